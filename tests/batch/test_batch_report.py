"""The corpus tables and report read results (Result.from_json) and escape everything (plumbing: hash embedder)."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from app import compare
from app.text.article import ArticleMeta
from app.batch.report import render_report, terms
import pandas as pd

from app.batch import tables
from app.batch.tables import read_spans, write_tables
from bench.batch import ENTITIES, generated_name, make_corpus
from app.cli import app

HOSTILE = '<img src=x onerror="alert(1)">'


def write_result(folder, pair_id: str, *, outlet_b: str, date: str, extra: dict | None = None) -> dict:
    result = compare("The mayor opened the bridge on Monday. Traffic resumed at noon.",
                     "The mayor opened the bridge on Monday. Critics called it a waste of money.",
                     embedder="hash", cache=None, lang_a="en", lang_b="en",
                     meta_a=ArticleMeta(outlet="Wire"), meta_b=ArticleMeta(outlet=outlet_b, date=date))
    data = result.to_dict() | (extra or {})
    (folder / f"{pair_id}.json").write_text(json.dumps(data), encoding="utf-8")
    return data


def test_tables_and_report_from_results(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "CHUNK_ROWS", 2)          # stream the spans in several chunks
    pairs_dir = tmp_path / "pairs"
    pairs_dir.mkdir()
    plain = write_result(pairs_dir, "p1", outlet_b=HOSTILE, date="2026-01-02", extra={"frames": None})  # older result
    framed = write_result(pairs_dir, "p2", outlet_b="Second", date="2026-02-03", extra={"frames": {
        "a": {"economic": 0.5, "security": 0.5}, "b": {"economic": 0.2, "security": 0.8},
        "shift": {"economic": -0.3, "security": 0.3}, "total_variation": 0.3}})
    framed["spans"].append({"side": "b", "start": 0, "end": 3, "text": HOSTILE, "kind": "loaded", "score": 1.0,
                            "sentence": 0, "label": "pejorative & <b>", "gloss": "bad"})
    framed["spans"].append({"side": "b", "start": 0, "end": 3, "text": "peacefulness", "kind": "loaded",
                            "score": 0.2, "sentence": 0, "label": "positive", "gloss": "VADER valence +2.2",
                            "detail": {"source": "valence", "valence": 2.2}})
    framed["spans"].append({"side": "a", "start": 0, "end": 3, "text": "smear", "kind": "loaded", "score": 0.8,
                            "sentence": 0, "difference": False, "reason": "both articles carry this wording (b: 'x')"})
    (pairs_dir / "p2.json").write_text(json.dumps(framed), encoding="utf-8")
    pairs = write_tables(tmp_path)
    spans = read_spans(tmp_path)
    spans_csv = pd.read_csv(tmp_path / "spans.csv", keep_default_na=False)
    assert list(spans_csv["text"]) == list(spans["text"]) and list(spans_csv["start"]) == list(spans["start"])
    assert list(spans["pair_id"]) == ["p1"] * len(plain["spans"]) + ["p2"] * len(framed["spans"])
    assert list(pairs["pair_id"]) == ["p1", "p2"]
    assert pairs["frame_shift"].isna().tolist() == [True, False]
    assert (pairs.loc[1, "frame_gained"], pairs.loc[1, "frame_lost"]) == ("security", "economic")
    assert len(spans) == len(plain["spans"]) + len(framed["spans"])
    assert pairs.loc[0, "n_added"] == plain["summary"]["counts"].get("added", 0)
    html = render_report(pairs=pairs, spans=spans, errors=[{"id": "x", "where": "f:1", "code": "E001",
                                                              "error": HOSTILE}])
    assert HOSTILE not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "pejorative &amp; &lt;b&gt;" in html
    assert list(spans["source"]).count("valence") == 1                   # the spans table says where a term came from
    shared = spans[~spans["difference"]]                                  # and whether a span is a difference
    assert list(shared["text"]) == ["smear"] and list(shared["reason"]) == ["both articles carry this wording (b: 'x')"]
    assert list(spans_csv["difference"]) == list(spans["difference"])
    assert "peacefulness" not in html and "1 term caught by the lexicon extension" in html
    assert "Mean frame shift" in html and "Loaded terms per article" in html and "Frame mix" in html
    assert "2026-01-02" in html and "2026-02-03" in html
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        ElementTree.fromstring(svg)                  # every plot is well-formed XML


def test_terms_are_content_words():
    assert terms("The company's shares fell 4% on Monday.", "en") == ["company", "shares", "fell", "monday"]
    assert "出口" in terms("美方滥用出口管制。", "zh")


def test_generated_corpus_renames_the_entity(tmp_path):
    path = make_corpus(7, tmp_path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == 7 and len({generated_name(k) for k in range(288)}) == 288
    for row in rows:
        sample = row["id"].split("-", 2)[2]
        en, zh = ENTITIES[sample]
        assert en not in row["a"] and zh not in row["b"]


def test_batch_cli_prints_a_json_summary_and_then_nothing_to_do(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("id,a,b,lang_a,lang_b\n"
                     'one,"The mayor opened the bridge. Traffic resumed.","The mayor opened the bridge.",en,en\n',
                     encoding="utf-8")
    args = ["batch", str(pairs), "--out", str(tmp_path / "out"), "--no-dask", "--no-progress", "--model", "hash"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["compared"] == 1
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and json.loads(again.stdout)["nothing_to_do"]
    assert "nothing to do" in again.stderr
    tuned = CliRunner().invoke(app, ["batch", str(pairs), "--out", str(tmp_path / "tuned"), "--no-dask",
                                     "--no-progress", "--model", "hash", "--no-word-diff",
                                     "--word-diff-threshold-cross", "0.7", "--max-group", "3"])
    assert tuned.exit_code == 0, tuned.output
    saved = json.loads((tmp_path / "tuned" / "pairs" / "one.json").read_text(encoding="utf-8"))["settings"]
    assert (saved["word_diff"], saved["word_diff_threshold_cross"], saved["max_group"]) == (False, 0.7, 3)
    missing = CliRunner().invoke(app, ["batch", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: [E051]")


def test_html_per_pair_also_for_pairs_compared_before(tmp_path):
    from app.batch import BatchOptions, run_batch

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "one", "a": "The mayor opened the bridge. Traffic resumed.",
                                 "b": f"The mayor opened the bridge. {HOSTILE} was painted on it.",
                                 "lang_a": "en", "lang_b": "en"}) + "\n", encoding="utf-8")
    settings = BatchOptions().settings.replace(model="hash")
    messages: list[str] = []
    run_batch(pairs, tmp_path / "out", options=BatchOptions(settings=settings, workers=0), log=messages.append)
    assert not (tmp_path / "out" / "pairs" / "one.html").exists()
    run_batch(pairs, tmp_path / "out", options=BatchOptions(settings=settings, workers=0, html=True),
              log=messages.append)
    html_file = tmp_path / "out" / "pairs" / "one.html"
    html = html_file.read_text(encoding="utf-8")      # rendered afterwards from the saved JSON
    assert HOSTILE not in html and "onerror" in html                 # and escaped by the exporter
