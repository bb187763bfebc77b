"""The README and docs/*.md together document every command, option and setting (after Datasette's test_docs).

Both command lines are covered: the product's (`python -m app`) and the benchmarks' (`python -m bench`).
"""

import dataclasses
from pathlib import Path

import pytest
import typer.main

from app.cli import app as product_app
from app.settings import Settings
from bench.cli import app as bench_app

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {f.name for f in dataclasses.fields(Settings)}
USER_GUIDE = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
APPS = {"python -m app": product_app, "python -m bench": bench_app}


def _commands(prefix: str):
    group = typer.main.get_command(APPS[prefix])
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            for sub_name, sub in cmd.commands.items():
                yield f"{prefix} {name} {sub_name}", sub
        else:
            yield f"{prefix} {name}", cmd


@pytest.mark.parametrize("prefix", APPS)
def test_every_command_is_documented(prefix):
    missing = [name for name, _ in _commands(prefix) if name not in DOCS]
    assert not missing, f"README and docs/ lack: {missing}"


@pytest.mark.parametrize("prefix", APPS)
def test_every_option_is_documented(prefix):
    missing = []
    for name, cmd in _commands(prefix):
        for param in cmd.params:
            for opt in param.opts:
                setting = opt[2:].replace("-", "_")
                documented = f"`{opt}" in DOCS or (setting in SETTINGS and f"`{setting}`" in DOCS)
                if opt.startswith("--") and opt != "--help" and not documented:
                    missing.append(f"{name} {opt}")
    assert not missing, f"README and docs/ lack options: {missing}"


def test_every_setting_is_documented():
    missing = [name for name in SETTINGS if f"`{name}`" not in DOCS]
    assert not missing, f"README and docs/ lack settings: {missing}"


def test_the_settings_table_shows_the_defaults():
    """The user guide's table of settings gives each field's default as Settings has it."""
    shown = {}
    for line in USER_GUIDE.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and cells[0].strip("`") in SETTINGS:
            shown[cells[0].strip("`")] = cells[1].strip("`")
    assert set(shown) == SETTINGS
    for field in dataclasses.fields(Settings):
        default = str(field.default).lower() if isinstance(field.default, bool) else str(field.default)
        assert shown[field.name] == default, field.name


def test_the_user_guide_settings_file_example_reads(tmp_path):
    """The TOML example under Settings is a file `--settings` accepts, with the values it shows."""
    from app.settings import read_settings_file

    example = USER_GUIDE.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "framediff.toml"
    path.write_text(example, encoding="utf-8")
    values = read_settings_file(path)
    assert values == {"min_loaded_weight": 0.5, "lexicon_extension": True, "word_diff_threshold_cross": 0.7}
    Settings(**values)


def test_the_readme_stays_short_and_keeps_the_set_up_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    assert "python -m pip install -r requirements.txt && python -m app compare" in readme
    assert "python -m pytest -q" in readme
