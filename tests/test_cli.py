import json

import pytest
from typer.testing import CliRunner

from app.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()


def test_compare_writes_json_to_stdout():
    res = runner.invoke(app, ["compare", str(SAMPLES / "norvale/a.en.txt"), str(SAMPLES / "norvale/b.zh.txt")])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema_version"] == "framediff.result/1"
    assert data["articles"]["a"]["language"] == "en" and data["articles"]["b"]["language"] == "zh"


def test_bad_input_is_one_line_and_exit_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for a, code in [(empty, "E001"), (binary, "E002"), (tmp_path / "missing.txt", "E006")]:
        res = runner.invoke(app, ["compare", str(a), str(SAMPLES / "norvale/b.zh.txt")])
        assert res.exit_code == 1
        assert res.stderr.strip().startswith(f"error: [{code}]")
        assert "Traceback" not in res.output


def test_align_presplit_prints_beads(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("The ship left port on Monday.\nIt carried electronics.\nThe weather was fine.\n")
    b.write_text("船周一离港。\n船上载有电子产品。\n")
    res = runner.invoke(app, ["align", str(a), str(b), "--presplit"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[:2] == ["[0]:[0]", "[1]:[1]"] and lines[2] == "[2]:[]"


def test_align_attach_unaligned_reaches_the_aligner(tmp_path, monkeypatch):
    import app.beads as interop

    seen = []
    real = interop.align_sentences

    def spy(texts_a, texts_b, encode, *, params):
        seen.append(params.attach_unaligned)
        return real(texts_a, texts_b, encode, params=params)

    monkeypatch.setattr(interop, "align_sentences", spy)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The ship left port on Monday.\nIt carried electronics.\n")
    b.write_text("船周一离港。\n船上载有电子产品。\n")
    for flag in ([], ["--attach-unaligned"]):
        res = runner.invoke(app, ["align", str(a), str(b), "--presplit", *flag])
        assert res.exit_code == 0, res.output
    assert seen == [False, True]


@pytest.mark.parametrize("command", ["compare", "batch"])
def test_every_setting_option_reaches_the_settings(tmp_path, monkeypatch, command):
    """compare and batch build Settings from their options by name (cli.settings_from): check each one."""
    from app.settings import Settings

    seen = _spy_settings(monkeypatch)
    changed = {"--max-group": "3", "--min-link-score": "0.2", "--kept-threshold-cross": "0.4",
               "--kept-threshold-mono": "0.9", "--word-diff-threshold-cross": "0.7",
               "--word-diff-threshold-mono": "0.5", "--word-diff-min-words": "2", "--word-diff-min-words-cross": "3",
               "--word-diff-literal-run": "0", "--word-diff-max-gap": "0", "--max-chars": "5000",
               "--min-loaded-weight": "0.6", "--framing-min-weight": "0.8", "--aside-min-weight": "1.5",
               "--valence-min": "3", "--neighbour-min": "0.9", "--frame-min-similarity": "0.3"}
    args = [x for pair in changed.items() for x in pair] + ["--attach-unaligned", "--no-word-diff",
                                                             "--no-lexicon-extension"]
    a = tmp_path / "a.txt"
    a.write_text("x")
    target = ["compare", str(a), str(a)] if command == "compare" else ["batch", str(a), "--out", str(tmp_path / "o")]
    runner.invoke(app, target + args)
    [settings] = seen
    expected = Settings(max_group=3, min_link_score=0.2, kept_threshold_cross=0.4, kept_threshold_mono=0.9,
                        word_diff_threshold_cross=0.7, word_diff_threshold_mono=0.5, word_diff_min_words=2,
                        word_diff_min_words_cross=3, word_diff_literal_run=0, word_diff_max_gap=0, max_chars=5000,
                        attach_unaligned=True, word_diff=False, min_loaded_weight=0.6, framing_min_weight=0.8,
                        aside_min_weight=1.5, valence_min=3.0, neighbour_min=0.9, frame_min_similarity=0.3,
                        lexicon_extension=False)
    assert settings == expected
    cli_settings = {name for name in Settings.help()
                    if name not in ("batch_size", "translate", "translate_to", "translate_model",
                                    "translate_then_compare", "model")}
    assert {f for f in cli_settings if getattr(expected, f) == getattr(Settings(), f)} == set(), \
        "a setting the command takes is missing from this test"


def _spy_settings(monkeypatch):
    """Make compare, batch and serve --check hand over their Settings instead of running."""
    from app import batch as batch_module, pipeline as pipeline_module, web as web_module

    seen = []

    class Stop(Exception):
        pass

    def spy_compare(a, b, *, settings, **kwargs):
        seen.append(settings)
        raise Stop

    def spy_batch(pairs, out, *, options, log):
        seen.append(options.settings)
        raise Stop

    def spy_check(settings):
        seen.append(settings)
        return {"ok": True}

    monkeypatch.setattr(pipeline_module, "compare", spy_compare)
    monkeypatch.setattr(batch_module, "run_batch", spy_batch)
    monkeypatch.setattr(web_module, "check", spy_check)
    return seen


@pytest.mark.parametrize("command", ["compare", "batch", "serve"])
def test_settings_file_sets_every_command_and_typed_options_win(tmp_path, monkeypatch, command):
    from app.settings import Settings

    seen = _spy_settings(monkeypatch)
    conf = tmp_path / "framediff.toml"
    conf.write_text("# newsroom defaults\nmin_loaded_weight = 0.6\nlexicon_extension = false\n"
                    "max_chars = 9000\nkept_threshold_cross = 1\n", encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text("x")
    target = {"compare": ["compare", str(a), str(a)], "batch": ["batch", str(a), "--out", str(tmp_path / "o")],
              "serve": ["serve", "--check"]}[command]
    runner.invoke(app, target + ["--settings", str(conf), "--max-chars", "7000"])
    [settings] = seen
    assert settings.max_chars == 7000                      # typed on the command line: wins over the file
    if command == "serve":                                  # serve takes --model and --max-chars only
        assert (settings.min_loaded_weight, settings.lexicon_extension) == (0.6, False)
    else:
        assert settings == Settings(min_loaded_weight=0.6, lexicon_extension=False, max_chars=7000,
                                    kept_threshold_cross=1.0)


@pytest.mark.parametrize("content, message", [
    ("min_loaded_wieght = 0.6\n", "unknown setting 'min_loaded_wieght'; did you mean 'min_loaded_weight'?"),
    ("lexicon_extension = 'no'\n", "'lexicon_extension' must be true or false (like true), got 'no'"),
    ("max_chars = 1.5\n", "'max_chars' must be a whole number (like 200000), got 1.5"),
    ("max_chars = \n", "not valid TOML"),
])
def test_bad_settings_file_is_one_clear_line(tmp_path, monkeypatch, content, message):
    seen = _spy_settings(monkeypatch)
    conf = tmp_path / "bad.toml"
    conf.write_text(content, encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text("x")
    res = runner.invoke(app, ["compare", str(a), str(a), "--settings", str(conf)])
    assert res.exit_code == 1 and seen == []
    assert "[E016]" in res.output and message in res.output and "Traceback" not in res.output


def test_missing_settings_file(tmp_path):
    res = runner.invoke(app, ["serve", "--check", "--settings", str(tmp_path / "nope.toml")])
    assert res.exit_code == 1 and "[E016]" in res.output and "file not found" in res.output
    res = runner.invoke(app, ["serve", "--check", "--settings", str(tmp_path)])    # a folder
    assert res.exit_code == 1 and "[E016]" in res.output and "Traceback" not in res.output
