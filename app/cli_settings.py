"""Settings on the command line, declared once: every option is a ``Settings`` field of the same name.

``@takes_settings()`` gives a command one option per field of :class:`~app.settings.Settings`
(``min_link_score`` -> ``--min-link-score``, a bool -> ``--word-diff/--no-word-diff``), with the
field's default and help, plus ``--settings FILE``; the command itself receives one ``settings``
argument. Nothing lists the twenty-odd names a second time, so a new field reaches ``compare``,
``batch`` and ``serve`` (and the docs test) without touching this module.

Precedence: defaults < ``--settings FILE`` (TOML) < options typed on the command line. An option
counts only when typed (click's parameter source), so its default never hides a value from the file.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from pathlib import Path
from typing import Optional

import typer

from .errors import FrameDiffError
from .settings import Settings, read_settings_file

SHORT_FLAGS = {"model": "-m"}
PANEL = "Settings (defaults < --settings FILE < these options)"
SETTINGS_FILE_HELP = ("TOML file of settings (`name = value` per line, names as in docs/user-guide.md, "
                      "\"Settings\"); options typed on the command line win.")
# Typing this option also switches on the setting it serves (`--translate-model X` means: translate).
IMPLIED = {"translate_model": {"translate": True}}
_NOT_TYPED = ("DEFAULT", "DEFAULT_MAP")      # names of click's ParameterSource that mean "not given"


def fail(exc: FrameDiffError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def option_flags(field: dataclasses.Field) -> tuple[str, ...]:
    """The option names of a setting: ``--name-with-dashes`` (``--x/--no-x`` for a bool), plus a short flag."""
    long = "--" + field.name.replace("_", "-")
    if isinstance(field.default, bool):
        long = f"{long}/--no-{long[2:]}"
    return (long, *([SHORT_FLAGS[field.name]] if field.name in SHORT_FLAGS else []))


def _setting_parameters(names: tuple[str, ...]) -> list[inspect.Parameter]:
    fields = [f for f in dataclasses.fields(Settings) if not names or f.name in names]
    unknown = set(names) - {f.name for f in fields}
    if unknown:
        raise TypeError(f"not Settings fields: {sorted(unknown)}")
    params = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=type(f.default),
                                default=typer.Option(f.default, *option_flags(f), help=f.metadata["help"],
                                                     rich_help_panel=PANEL))
              for f in fields]
    params.append(inspect.Parameter("settings_file", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[Path],
                                    default=typer.Option(None, "--settings", help=SETTINGS_FILE_HELP,
                                                         rich_help_panel=PANEL)))
    return params


def takes_settings(*names: str):
    """Give the decorated command the options of ``names`` (all Settings fields if none) and ``--settings``.

    The command declares a ``settings: Settings`` parameter and receives the merged Settings there;
    a bad file or value (E016, E017) ends the command with its one-line error.
    """
    def decorate(command):
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "settings"]
        params = ([inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
                  + own + _setting_parameters(names))
        setting_names = {p.name for p in params} - {p.name for p in own} - {"ctx", "settings_file"}

        @functools.wraps(command)
        def run(ctx: typer.Context, **options):
            typed = {name: options.pop(name) for name in setting_names}
            try:
                settings = settings_from(ctx, typed, options.pop("settings_file"))
            except FrameDiffError as exc:
                fail(exc)
            return command(**options, settings=settings)

        run.__signature__ = signature.replace(parameters=params)
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run
    return decorate


def settings_from(ctx: typer.Context, options: dict, settings_file: Optional[Path] = None) -> Settings:
    """Settings from defaults, then ``settings_file``, then the options in ``options`` typed on the command line."""
    from_file = read_settings_file(settings_file) if settings_file is not None else {}
    typed = {name: value for name, value in options.items()
             if (source := ctx.get_parameter_source(name)) is not None and source.name not in _NOT_TYPED}
    implied = {k: v for name in typed for k, v in IMPLIED.get(name, {}).items()}
    return Settings(**{**from_file, **implied, **typed})
