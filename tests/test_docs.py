"""The README documents every command, every option and every setting (after Datasette's test_docs)."""

import dataclasses
from pathlib import Path

import typer.main

from app.cli import app
from app.settings import Settings

SETTINGS = {f.name for f in dataclasses.fields(Settings)}
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands():
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            for sub_name, sub in cmd.commands.items():
                yield f"{name} {sub_name}", sub
        else:
            yield name, cmd


def test_every_command_is_in_the_readme():
    missing = [name for name, _ in _commands() if f"python -m app {name}" not in README]
    assert not missing, f"README lacks: {missing}"


def test_every_option_is_in_the_readme():
    missing = []
    for name, cmd in _commands():
        for param in cmd.params:
            for opt in param.opts:
                setting = opt[2:].replace("-", "_")
                documented = f"`{opt}" in README or (setting in SETTINGS and f"`{setting}`" in README)
                if opt.startswith("--") and opt != "--help" and not documented:
                    missing.append(f"{name} {opt}")
    assert not missing, f"README lacks options: {missing}"


def test_every_setting_is_in_the_readme():
    missing = [f.name for f in dataclasses.fields(Settings) if f"`{f.name}`" not in README]
    assert not missing, f"README lacks settings: {missing}"


def test_the_readme_settings_file_example_reads(tmp_path):
    """The TOML example under Settings is a file `--settings` accepts, with the values it shows."""
    from app.settings import read_settings_file

    example = README.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "framediff.toml"
    path.write_text(example, encoding="utf-8")
    values = read_settings_file(path)
    assert values == {"min_loaded_weight": 0.5, "lexicon_extension": False, "word_diff_threshold_cross": 0.7}
    Settings(**values)
