"""Settings are checked at construction: type, finiteness, declared range; E017 names the setting."""

import dataclasses
import math

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.errors import FrameDiffError
from app.settings import Settings

NORVALE = "corpora/samples/norvale"


@pytest.mark.parametrize("changes, name", [
    ({"min_link_score": math.nan}, "min_link_score"),
    ({"kept_threshold_cross": math.inf}, "kept_threshold_cross"),
    ({"max_group": 0}, "max_group"),
    ({"max_chars": -5}, "max_chars"),
    ({"batch_size": 0}, "batch_size"),
    ({"word_diff_threshold_mono": 1.5}, "word_diff_threshold_mono"),
    ({"max_group": 2.5}, "max_group"),
    ({"word_diff": "yes"}, "word_diff"),
    ({"model": "  "}, "model"),
])
def test_a_meaningless_value_is_refused_naming_the_setting(changes, name):
    with pytest.raises(FrameDiffError) as info:
        Settings(**changes)
    assert info.value.code == "E017"
    assert f"'{name}'" in info.value.message and "--" + name.replace("_", "-") in info.value.message


def test_replace_checks_too_and_defaults_pass():
    settings = Settings()
    assert settings.replace(max_group=3).max_group == 3
    with pytest.raises(FrameDiffError, match="E017"):
        settings.replace(min_link_score=math.nan)


def test_every_default_lies_in_its_declared_range():
    for f in dataclasses.fields(Settings):
        low, high = f.metadata.get("low"), f.metadata.get("high")
        assert low is None or f.default >= low, f.name
        assert high is None or f.default <= high, f.name


@pytest.mark.parametrize("option, value", [("--min-link-score", "nan"), ("--max-group", "0")])
def test_the_cli_fails_with_the_coded_error_before_comparing(option, value):
    out = CliRunner().invoke(app, ["compare", f"{NORVALE}/a.en.txt", f"{NORVALE}/b.zh.txt", option, value])
    assert out.exit_code == 1
    assert "[E017]" in out.output and option in out.output
    assert "Traceback" not in out.output


def test_a_settings_file_with_nan_is_refused(tmp_path):
    from app.settings import read_settings_file

    path = tmp_path / "s.toml"
    path.write_text("min_link_score = nan\n", encoding="utf-8")
    with pytest.raises(FrameDiffError, match="E017"):
        Settings(**read_settings_file(path))
