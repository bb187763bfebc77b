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
    import app.bead_lines as bead_lines

    seen = []
    real = bead_lines.align_sentences

    def spy(texts_a, texts_b, encode, *, params):
        seen.append(params.attach_unaligned)
        return real(texts_a, texts_b, encode, params=params)

    monkeypatch.setattr(bead_lines, "align_sentences", spy)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The ship left port on Monday.\nIt carried electronics.\n")
    b.write_text("船周一离港。\n船上载有电子产品。\n")
    for flag in ([], ["--attach-unaligned"]):
        res = runner.invoke(app, ["align", str(a), str(b), "--presplit", *flag])
        assert res.exit_code == 0, res.output
    assert seen == [False, True]


def _changed_value(field):
    """A value of the setting other than its default, inside its declared range, as typed and as parsed."""
    default, high = field.default, field.metadata.get("high")
    if isinstance(default, bool):
        return [("--no-" if default else "--") + field.name.replace("_", "-")], not default
    if isinstance(default, str):
        value = {"model": "hash", "translate_to": "de", "translate_model": "opus-mt"}.get(field.name, "x")
    elif isinstance(default, int):
        value = default + 1 if high is None or default + 1 <= high else default - 1
    else:
        value = round(default + 0.1 if high is None or default + 0.1 <= high else default - 0.1, 4)
    return ["--" + field.name.replace("_", "-"), str(value)], value


@pytest.mark.parametrize("command", ["compare", "batch", "serve"])
def test_every_setting_option_reaches_the_settings(tmp_path, monkeypatch, command):
    """compare, batch and serve take one option per Settings field, by name, and hand all of them over."""
    import dataclasses

    from app.settings import Settings

    seen = _spy_settings(monkeypatch)
    args, expected = [], {}
    for field in dataclasses.fields(Settings):
        typed, expected[field.name] = _changed_value(field)
        args += typed
    a = tmp_path / "a.txt"
    a.write_text("x")
    target = {"compare": ["compare", str(a), str(a)], "batch": ["batch", str(a), "--out", str(tmp_path / "o")],
              "serve": ["serve", "--check"]}[command]
    res = runner.invoke(app, target + args)
    assert len(seen) == 1, res.output
    assert seen[0] == Settings(**expected)


def test_every_setting_option_is_named_after_its_field():
    import dataclasses

    import typer.main

    from app.settings import Settings

    fields = {f.name for f in dataclasses.fields(Settings)}
    for command in ("compare", "batch", "serve"):
        params = typer.main.get_command(app).commands[command].params
        options = {p.name: p.opts[0] for p in params if p.name in fields}
        assert set(options) == fields, command
        assert all(opt == "--" + name.replace("_", "-") for name, opt in options.items())


def test_translate_model_implies_translate_unless_typed_off(tmp_path, monkeypatch):
    seen = _spy_settings(monkeypatch)
    a = tmp_path / "a.txt"
    a.write_text("x")
    runner.invoke(app, ["compare", str(a), str(a), "--translate-model", "opus-mt"])
    runner.invoke(app, ["compare", str(a), str(a), "--translate-model", "opus-mt", "--no-translate"])
    assert [(s.translate, s.translate_model) for s in seen] == [(True, "opus-mt"), (False, "opus-mt")]


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
    conf.write_text("# newsroom defaults\nmin_loaded_weight = 0.6\nlexicon_extension = true\n"
                    "max_chars = 9000\nkept_threshold_cross = 1\n", encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text("x")
    target = {"compare": ["compare", str(a), str(a)], "batch": ["batch", str(a), "--out", str(tmp_path / "o")],
              "serve": ["serve", "--check"]}[command]
    runner.invoke(app, target + ["--settings", str(conf), "--max-chars", "7000"])
    [settings] = seen
    assert settings.max_chars == 7000                      # typed on the command line: wins over the file
    assert settings == Settings(min_loaded_weight=0.6, lexicon_extension=True, max_chars=7000,
                                kept_threshold_cross=1.0)


@pytest.mark.parametrize("content, message", [
    ("min_loaded_wieght = 0.6\n", "unknown setting 'min_loaded_wieght'; did you mean 'min_loaded_weight'?"),
    ("lexicon_extension = 'no'\n", "'lexicon_extension' must be true or false"),
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
