"""Batch mode end to end on a small corpus the project wrote (corpora/samples), with the real USE-m3.

The embedding cache is shared by the whole test session, so after the first test
most sentences are cache hits and the later tests run quickly.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from app.batch import BatchOptions, read_pairs, run_batch
from app.result import Result
from tests.conftest import SAMPLES

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "app" / "schemas" / "result-1.json").read_text())
SAMPLE_IDS = ("norvale", "harbour-strike", "lakeside-trial")
HINDI = ("नगर परिषद ने मंगलवार को नए बजट को मंजूरी दी। मतदान सात के मुकाबले दो से हुआ। "
         "परिषद के अध्यक्ष ने कहा कि शहर में नई सड़कें और दो नए पुल बनेंगे।")
IN_PROCESS = BatchOptions(workers=0)

pytestmark = pytest.mark.slow


def sample_rows(folder: Path) -> list[dict]:
    """One row per sample pair, with a and b as paths relative to ``folder`` (where PAIRS lives)."""
    rows = []
    for name in SAMPLE_IDS:
        copy = folder / "articles" / name
        shutil.copytree(SAMPLES / name, copy, dirs_exist_ok=True)
        meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
        rows.append({"id": name, "a": f"articles/{name}/{next(copy.glob('a.*')).name}",
                     "b": f"articles/{name}/{next(copy.glob('b.*')).name}",
                     "outlet_a": meta["outlet_a"], "outlet_b": meta["outlet_b"],
                     "lang_a": meta.get("lang_a"), "lang_b": meta.get("lang_b"), "date": meta["date"]})
    return rows


def write_jsonl(path: Path, rows: list, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pair_jsons(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "pairs").glob("*.json"))}


def errors_by_id(out: Path) -> dict:
    return {(r["id"], r["where"]): r for r in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}


def assert_valid_results(out: Path, ids) -> dict[str, dict]:
    import jsonschema

    results = pair_jsons(out)
    assert sorted(results) == sorted(ids)
    for data in results.values():
        jsonschema.validate(data, SCHEMA)
        result = Result.from_json(data)
        for span in result.spans:
            assert result.articles[span.side].text[span.start:span.end] == span.text
    return results


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory, use_m3):
    folder = tmp_path_factory.mktemp("corpus")
    rows = sample_rows(folder)
    rows[1]["outlet_b"] = "<script>alert(1)</script> Harbour & Co"
    pairs = write_jsonl(folder / "pairs.jsonl", rows)
    out = folder / "out"
    summary = run_batch(pairs, out, options=IN_PROCESS)
    return folder, rows, out, summary


def test_jsonl_corpus_end_to_end(jsonl_run):
    _folder, rows, out, summary = jsonl_run
    assert summary["compared"] == 3 and summary["failed"] == 0 and summary["rows_rejected"] == 0
    results = assert_valid_results(out, SAMPLE_IDS)
    norvale = results["norvale"]
    assert norvale["articles"]["a"]["language"] == "en" and norvale["articles"]["b"]["language"] == "zh"
    assert norvale["articles"]["b"]["meta"]["outlet"] == rows[0]["outlet_b"]
    assert norvale["articles"]["a"]["meta"]["date"] == "2026-11-24"
    # A planted difference comes through: the foreign-ministry sentence exists in b only.
    assert any("外交部" in s["text"] for s in norvale["spans"] if s["kind"] == "added")
    assert (out / "errors.jsonl").read_text() == ""


def test_tables_agree_with_the_pair_results(jsonl_run):
    _folder, _rows, out, _summary = jsonl_run
    results = pair_jsons(out)
    spans_csv = pd.read_csv(out / "spans.csv")
    spans_parquet = pd.read_parquet(out / "spans.parquet")
    n_spans = sum(len(r["spans"]) for r in results.values())
    assert len(spans_csv) == len(spans_parquet) == n_spans > 0
    assert set(spans_parquet["pair_id"]) == set(SAMPLE_IDS)
    first = results["norvale"]["spans"][0]
    row = spans_parquet[(spans_parquet["pair_id"] == "norvale")].iloc[0]
    assert (row["side"], row["start"], row["end"], row["text"], row["kind"]) == \
        (first["side"], first["start"], first["end"], first["text"], first["kind"])
    assert row["outlet_b"] == results["norvale"]["articles"]["b"]["meta"]["outlet"]
    pairs = pd.read_csv(out / "pairs.csv").set_index("pair_id")
    for pair_id, data in results.items():
        summary = data["summary"]
        assert pairs.loc[pair_id, "share_a_omitted"] == pytest.approx(summary["share_a_omitted"])
        assert pairs.loc[pair_id, "share_b_added"] == pytest.approx(summary["share_b_added"])
        assert pairs.loc[pair_id, "n_omitted"] == summary["counts"].get("omitted", 0)
        assert pairs.loc[pair_id, "n_added"] == summary["counts"].get("added", 0)
        # every result now carries a frames block; the table must show its total variation
        assert pairs.loc[pair_id, "frame_shift"] == pytest.approx(data["frames"]["total_variation"])


def test_report_is_self_contained_and_escaped(jsonl_run):
    _folder, _rows, out, _summary = jsonl_run
    html = (out / "report.html").read_text(encoding="utf-8")
    for heading in ("Loaded terms by outlet", "Omitted and added, by outlet of b", "Omitted and added over time",
                    "Frame shifts", "Most frequent omitted and added terms"):
        assert heading in html
    assert "<svg" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Harbour &amp; Co" in html
    assert "src=" not in html and "<link" not in html and "@import" not in html
    assert "2026-03-03" in html and "2026-11-24" in html          # one point per dated pair


def test_csv_and_folder_give_the_same_results_as_jsonl(jsonl_run, tmp_path):
    _folder, _rows, jsonl_out, _summary = jsonl_run
    expected = {k: v["spans"] for k, v in pair_jsons(jsonl_out).items()}
    rows = sample_rows(tmp_path)
    with open(tmp_path / "pairs.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run_batch(tmp_path / "pairs.csv", tmp_path / "out-csv", options=IN_PROCESS)
    assert {k: v["spans"] for k, v in pair_jsons(tmp_path / "out-csv").items()} == expected
    run_batch(tmp_path / "articles", tmp_path / "out-folder", options=IN_PROCESS)   # <id>/a.*, b.*, meta.json
    folder_results = assert_valid_results(tmp_path / "out-folder", SAMPLE_IDS)
    assert {k: v["spans"] for k, v in folder_results.items()} == expected
    assert folder_results["norvale"]["articles"]["a"]["meta"]["title"].startswith("Exclusive: Norvale")


def test_bad_rows_go_to_errors_and_the_run_goes_on(tmp_path, use_m3):
    (tmp_path / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 20)
    (tmp_path / "hindi.txt").write_text(HINDI, encoding="utf-8")
    good = sample_rows(tmp_path)[0]
    rows = [good,
            {"id": "missing-file", "a": "articles/nowhere/a.en.txt", "b": good["b"]},
            {"id": "empty-text", "a": "   \n ", "b": good["b"]},
            {"id": "undecodable", "a": "undecodable.txt", "b": good["b"]},
            {"id": "hindi", "a": good["a"], "b": "hindi.txt"},
            {"id": "norvale", "a": "duplicate id", "b": "duplicate id"},
            {"id": "no-b", "a": good["a"]},
            {"a": "no id", "b": "no id"}]
    pairs = write_jsonl(tmp_path / "pairs.jsonl", rows, extra_lines=('{"id": "broken", "a": ',))
    summary = run_batch(pairs, tmp_path / "out", options=IN_PROCESS)
    assert summary["compared"] == 1 and summary["failed"] == 4 and summary["rows_rejected"] == 4
    assert_valid_results(tmp_path / "out", ["norvale"])
    codes = {key: r["code"] for key, r in errors_by_id(tmp_path / "out").items()}
    assert codes == {("missing-file", "pairs.jsonl:2"): "E006", ("empty-text", "pairs.jsonl:3"): "E001",
                     ("undecodable", "pairs.jsonl:4"): "E003", ("hindi", "pairs.jsonl:5"): "E004",
                     ("norvale", "pairs.jsonl:6"): "E052", ("no-b", "pairs.jsonl:7"): "E050",
                     (None, "pairs.jsonl:8"): "E050", (None, "pairs.jsonl:9"): "E050"}
    hindi = errors_by_id(tmp_path / "out")[("hindi", "pairs.jsonl:5")]
    assert "Hindi" in hindi["error"]
    assert "Errors" in (tmp_path / "out" / "report.html").read_text()


def test_rerun_does_nothing_and_retry_errors_retries(tmp_path, use_m3):
    rows = sample_rows(tmp_path)[:1] + [{"id": "late", "a": "late/a.txt", "b": "late/b.txt"}]
    pairs = write_jsonl(tmp_path / "pairs.jsonl", rows)
    out = tmp_path / "out"
    first = run_batch(pairs, out, options=IN_PROCESS)
    assert (first["compared"], first["failed"]) == (1, 1)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run_batch(pairs, out, options=IN_PROCESS)
    assert again["nothing_to_do"] and again["skipped_failed"] == 1
    assert {p.name: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    # The missing files appear; without --retry-errors the failed pair stays failed.
    (tmp_path / "late").mkdir()
    shutil.copy(SAMPLES / "harbour-strike" / "a.en.txt", tmp_path / "late" / "a.txt")
    shutil.copy(SAMPLES / "harbour-strike" / "b.zh.txt", tmp_path / "late" / "b.txt")
    assert run_batch(pairs, out, options=IN_PROCESS)["nothing_to_do"]
    retried = run_batch(pairs, out, options=BatchOptions(workers=0, retry_errors=True))
    assert (retried["todo"], retried["compared"], retried["failed"]) == (1, 1, 0)
    assert_valid_results(out, ["norvale", "late"])
    assert (out / "errors.jsonl").read_text() == ""
    assert len(pd.read_csv(out / "pairs.csv")) == 2
    assert (out / "pairs" / "norvale.json").stat().st_mtime_ns == stamps["norvale.json"]


def test_dask_local_cluster_with_two_workers(jsonl_run, tmp_path):
    folder, _rows, jsonl_out, _summary = jsonl_run
    summary = run_batch(folder / "pairs.jsonl", tmp_path / "out", options=BatchOptions(workers=2, html=True))
    assert summary["workers"] == 2 and summary["compared"] == 3 and summary["failed"] == 0
    results = assert_valid_results(tmp_path / "out", SAMPLE_IDS)
    expected = pair_jsons(jsonl_out)
    # Same alignment and sentence-level spans as the in-process run. Word-level spans may differ at a
    # borderline: Dask workers run BLAS on one thread, this process on several (see README).
    for pair_id, data in results.items():
        links, expected_links = data["alignment"]["links"], expected[pair_id]["alignment"]["links"]
        assert [(l["a"], l["b"], l["status"]) for l in links] == [(l["a"], l["b"], l["status"]) for l in expected_links]
        assert [l["score"] for l in links] == pytest.approx([l["score"] for l in expected_links], abs=1e-4)
        assert _sentence_spans(data) == _sentence_spans(expected[pair_id])
    assert (tmp_path / "out" / "report.html").exists()


def _sentence_spans(data: dict) -> list[tuple]:
    return [(s["side"], s["start"], s["end"], s["kind"]) for s in data["spans"]
            if s["kind"] in ("added", "omitted", "reworded")]


def test_each_dask_worker_loads_its_model_once(jsonl_run, tmp_path):
    from app.batch.cluster import run_on_dask
    from app.batch.work import PairTask

    folder, _rows, _out, _summary = jsonl_run
    specs, _problems = read_pairs(folder / "pairs.jsonl")
    statuses: list[dict] = []
    (tmp_path / "pairs").mkdir()
    run_on_dask([dataclasses.replace(s, id=f"{s.id}-{k}") for k in range(2) for s in specs],
                PairTask(out_dir=str(tmp_path), settings=IN_PROCESS.settings), workers=2, scheduler=None,
                on_result=statuses.append)
    assert len(statuses) == 6 and all(s["ok"] for s in statuses)
    assert len({s["pid"] for s in statuses}) == 2                 # both workers took pairs
    assert {s["model_loads"] for s in statuses} == {1}            # loaded once per worker, when it joined


def test_reading_resolves_paths_against_the_pairs_file(tmp_path):
    (tmp_path / "x.txt").write_text("Some text.", encoding="utf-8")
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [
        {"id": "p1", "a": "x.txt", "b": "An inline article. It has two sentences."},
        {"id": "p2", "a": "gone.md", "b": "x.txt", "date": 2026},
        {"id": "../escape", "a": "x", "b": "y"}])
    specs, problems = read_pairs(pairs)
    assert [(s.id, s.a_is_path, s.b_is_path) for s in specs] == [("p1", True, False), ("p2", True, True)]
    assert specs[0].a == str((tmp_path / "x.txt").resolve()) and specs[1].a == str((tmp_path / "gone.md").resolve())
    assert specs[1].date == "2026"
    assert [(p.code, p.where) for p in problems] == [("E050", "pairs.jsonl:3")]
