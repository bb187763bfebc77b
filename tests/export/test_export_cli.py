"""The export command, compare --format, hostile input, and the exporter registry."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.text.article import ArticleMeta
from app.cli import app
from app.errors import FrameDiffError
from app.export import exporter_names, get_exporter, register_exporter, render
from app.export.files import load_result
from app.export.html_view import render_comparison_html, render_html
from app.result import Result
from tests.conftest import SAMPLES
from tests.export.test_export_support import parse_html

runner = CliRunner()
A, B = str(SAMPLES / "norvale/a.en.txt"), str(SAMPLES / "norvale/b.zh.txt")

# Names that must never silently disappear (add new ones here when they land).
EXPORTER_SNAPSHOT = ["csv", "html", "json", "md", "wa"]


def test_registry_snapshot_and_metadata():
    assert set(EXPORTER_SNAPSHOT) <= set(exporter_names())
    assert {n: get_exporter(n).extension for n in EXPORTER_SNAPSHOT} == {
        "csv": "csv", "html": "html", "json": "json", "md": "md", "wa": "jsonld"}
    assert get_exporter("html").media_type.startswith("text/html")
    with pytest.raises(FrameDiffError) as exc:
        get_exporter("pdf")
    assert exc.value.code == "E009" and "html" in exc.value.message


def test_a_new_exporter_registers_like_the_builtins(norvale_result):
    register_exporter("count-test", render=lambda result, **_: f"{len(result.spans)} spans\n",
                      extension="txt", media_type="text/plain")
    assert "count-test" in exporter_names()
    assert render(norvale_result, "count-test") == f"{len(norvale_result.spans)} spans\n"


@pytest.mark.slow
def test_round_trip_compare_json_export_html(tmp_path):
    saved = tmp_path / "result.json"
    res = runner.invoke(app, ["compare", A, B, "--no-cache", "-o", str(saved)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "report.html"
    res = runner.invoke(app, ["export", str(saved), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    result = Result.from_json(saved.read_text(encoding="utf-8"))
    html = out.read_text(encoding="utf-8")
    assert html == render_html(result)
    root, _ = parse_html(html)
    marks = root.find_all("mark", "fd-span")
    assert {int(m.attrs["data-span"]) for m in marks} == set(range(len(result.spans)))
    assert {m.attrs["data-kind"] for m in marks} == {s.kind.value for s in result.spans}


@pytest.mark.slow
def test_compare_several_formats_into_a_directory(tmp_path):
    res = runner.invoke(app, ["compare", A, B, "--no-cache", "--format", "html,json,md,csv,wa",
                              "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["a.en_vs_b.zh.csv", "a.en_vs_b.zh.html", "a.en_vs_b.zh.json", "a.en_vs_b.zh.jsonld",
                     "a.en_vs_b.zh.md"]
    result = load_result(tmp_path / "out" / "a.en_vs_b.zh.json")
    assert (tmp_path / "out" / "a.en_vs_b.zh.md").read_text(encoding="utf-8") == render(result, "md")
    assert (tmp_path / "out" / "a.en_vs_b.zh.csv").read_bytes().count(b"\r\n") == len(result.spans) + 1


@pytest.mark.slow
def test_compare_single_format_to_stdout_and_default_stays_json():
    res = runner.invoke(app, ["compare", A, B, "--no-cache", "-f", "md"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("# FrameDiff report")
    res = runner.invoke(app, ["compare", A, B, "--no-cache"])
    assert json.loads(res.stdout)["schema_version"] == "framediff.result/1"


def test_export_bad_files_give_one_coded_line(tmp_path, norvale_result_json):
    not_json = tmp_path / "x.json"
    not_json.write_text("{nope")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"schema_version": "framediff.result/1", "spans": []}))
    broken = tmp_path / "broken.json"
    data = json.loads(norvale_result_json)
    data["spans"][0]["kind"] = "sparkly"
    broken.write_text(json.dumps(data))
    cases = [(tmp_path / "missing.json", "E006"), (not_json, "E014"), (wrong, "E014"), (broken, "E014")]
    for path, code in cases:
        res = runner.invoke(app, ["export", str(path), "-f", "html", "-o", str(tmp_path / "o.html")])
        assert res.exit_code == 1
        assert res.stderr.strip().startswith(f"error: [{code}]") and len(res.stderr.strip().splitlines()) == 1
        assert "Traceback" not in res.output
    assert not (tmp_path / "o.html").exists()
    good = tmp_path / "good.json"
    good.write_text(norvale_result_json)
    for args, code in [(["-f", "pdf"], "E009"), (["-f", "html,md"], "E015")]:
        res = runner.invoke(app, ["export", str(good), *args])
        assert res.exit_code == 1 and res.stderr.startswith(f"error: [{code}]")


@pytest.fixture(scope="module")
def norvale_result_json(norvale_result) -> str:
    return norvale_result.to_json()


# --- hostile input ---------------------------------------------------------------------------------

HOSTILE_A = ("Officials said the harbour reopened on Monday after a two-day closure. "
             "A notice read <script>alert(1)</script> at the gate. "
             "Witnesses reported <img src=x onerror=alert(1)> smoke over the docks. "
             "The port authority did not comment.")
HOSTILE_B = ("Officials said the harbour reopened on Monday. "
             "A notice read <script>alert(1)</script> at the gate. "
             "Critics called the closure a <b onmouseover=alert(5)>disgrace</b> and a cover-up.")
HOSTILE_META = ArticleMeta(outlet='Evil "outlet" <svg onload=alert(2)>', title='"><script>alert(3)</script>',
                           url="javascript:alert(4)", date="<i>today</i>")


@pytest.fixture(scope="module")
def hostile_result(use_m3) -> Result:
    from app import compare

    return compare(HOSTILE_A, HOSTILE_B, embedder=use_m3, cache=None, meta_a=HOSTILE_META,
                   meta_b=ArticleMeta(title="<iframe src=//evil.invalid></iframe>", url="https://ok.invalid/a?b=<x>"))


@pytest.mark.slow
def test_hostile_text_and_metadata_stay_text_in_html(hostile_result):
    assert "<script>alert(1)</script>" in hostile_result.articles["a"].text   # the reader kept it as text
    for markup in (render(hostile_result, "html"), render_comparison_html(hostile_result)):
        root, tags = parse_html(markup)
        assert not [t for t, _ in tags if t in {"img", "svg", "iframe", "b", "i"}]
        assert [t for t, _ in tags if t == "script"] == ([] if "fd-root" in markup[:40] else ["script"])
        for tag, attrs in tags:
            assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript")
        text = root.text()
        for needle in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><script>alert(3)</script>',
                       "<svg onload=alert(2)>", "javascript:alert(4)", "<iframe src=//evil.invalid></iframe>"):
            assert needle in text
    links = [a["href"] for t, a in parse_html(render(hostile_result, "html"))[1] if t == "a"]
    assert [link for link in links if not link.startswith("#fd-s-")] == ["https://ok.invalid/a?b=<x>"]


@pytest.mark.slow
def test_hostile_text_is_escaped_in_markdown_and_kept_exact_in_data_formats(hostile_result):
    md = render(hostile_result, "md")
    assert "<script" not in md and "<img" not in md and "<svg" not in md and "&lt;script&gt;" in md
    data = json.loads(render(hostile_result, "wa"))
    exacts = [a["target"]["selector"][1]["exact"] for a in data["first"]["items"]]
    assert exacts == [s.text for s in hostile_result.spans]


def test_compare_refuses_a_bad_format_before_comparing(tmp_path):
    for args, code in [(["-f", "docx"], "E009"), (["-f", "html,csv"], "E015")]:
        res = runner.invoke(app, ["compare", A, B, *args])
        assert res.exit_code == 1 and res.stderr.startswith(f"error: [{code}]"), res.output
