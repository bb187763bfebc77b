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


# -- issue 23: every value that passes validation works; the rest is E017 or E009 ---------------------

def test_an_integer_beyond_float_range_is_e017_not_overflow():
    from app.errors import FrameDiffError
    from app.settings import Settings

    for value in (10**309, -(10**400)):
        with pytest.raises(FrameDiffError) as caught:
            Settings(min_link_score=value)
        assert caught.value.code == "E017" and "finite" in caught.value.message
        assert len(caught.value.message) < 200          # a 401-digit number is not echoed whole


def test_aside_min_weight_zero_compares(use_m3):
    from app import compare
    from app.settings import Settings

    result = compare("The port reopened on Monday. Ships queued outside.",
                     "The port reopened on Monday. Ships queued outside. Fishermen cheered loudly.",
                     settings=Settings(aside_min_weight=0.0), embedder=use_m3, cache=False, lang_a="en", lang_b="en")
    assert result.spans is not None


@pytest.mark.parametrize("code", ["../../x", "x" * 300, "e\ud800", "", "english", "zz"])
def test_a_language_code_is_checked_before_any_file_lookup(code, use_m3):
    from app import compare
    from app.errors import FrameDiffError

    with pytest.raises(FrameDiffError) as caught:
        compare("The port reopened.", "The port reopened.", embedder=use_m3, cache=False, lang_a=code or " ",
                lang_b="en")
    assert caught.value.code == "E009"
    import json
    json.dumps(caught.value.to_dict())                     # writable as JSON, surrogates and all


@pytest.mark.parametrize("code,base", [("zh-TW", "zh"), ("ZH-cn", "zh"), ("en", "en"), (" de ", "de")])
def test_region_forms_fold_to_their_base_code(code, base):
    from app.text.language import checked_language

    assert checked_language(code) == base
