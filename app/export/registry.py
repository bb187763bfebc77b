"""A name → exporter registry.

An exporter is a render function ``render(result, **options) -> str`` plus the
file extension and media type of what it renders. Built-in exporters are listed
in :data:`BUILTIN_MODULES`; each module calls :func:`register_exporter` on import,
exactly as an outside module would, and the list is imported on first use only
(so ``import app.export`` stays cheap).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from ..errors import error

BUILTIN_MODULES = ("app.export.json_result", "app.export.html_view", "app.export.markdown_report",
                   "app.export.csv_rows", "app.export.web_annotation", "app.export.digest")


@dataclass(frozen=True, slots=True)
class Exporter:
    name: str
    render: Callable[..., str]
    extension: str
    media_type: str
    description: str


_EXPORTERS: dict[str, Exporter] = {}
_builtins_loaded = False


def register_exporter(name: str, *, render: Callable[..., str], extension: str, media_type: str,
                      description: str = "") -> Exporter:
    """Add an exporter; a name registered twice is replaced (last one wins)."""
    exporter = Exporter(name=name, render=render, extension=extension, media_type=media_type,
                        description=description)
    _EXPORTERS[name] = exporter
    return exporter


def _load_builtins() -> None:
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        for module in BUILTIN_MODULES:
            importlib.import_module(module)


def exporter_names() -> list[str]:
    _load_builtins()
    return sorted(_EXPORTERS)


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; an unknown name raises E009 listing the choices."""
    _load_builtins()
    try:
        return _EXPORTERS[name.strip().lower()]
    except KeyError:
        raise error("E009", what="export format", name=name, choices=", ".join(exporter_names())) from None


def render(result, name: str, **options) -> str:
    """Render ``result`` with the exporter called ``name``."""
    return get_exporter(name).render(result, **options)
