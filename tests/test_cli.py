import json

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
    import app.interop as interop

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
