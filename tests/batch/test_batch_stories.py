"""Batch mode with a ``story`` field (issue 17): one coverage matrix per story and the outlets across stories.

Runs on the project's own test story (tests/data/many: one English source, rewrites in en, zh-Hans and
zh-Hant with planted omissions, framing and number changes), in this process with the real USE-m3.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from app.settings import Settings
from app.batch import BatchOptions, run_batch
from app.batch.stories import BEHAVIOURS, OUTLETS_CSV, group_stories, outlet_rows
from app.batch.pairs import read_pairs
from app.many import ManyResult

STORY = Path(__file__).resolve().parents[1] / "data" / "many"
# Every detected span counted (min_confidence 0): these tests check which behaviours the stories tally;
# the confidence gate is tested in tests/steps/test_confidence.py.
IN_PROCESS = BatchOptions(workers=0, settings=Settings(min_confidence=0.0))
TIMES = "=times"                      # a formula-like outlet name: the CSVs must not run it
HERALD = "<b>herald</b>"              # markup in an outlet name: the pages must show it as text
OUTLETS = {"ledger": "ledger.en.txt", HERALD: "herald.zh-Hans.txt", TIMES: "times.zh-Hant.txt", "post": "post.en.txt"}

pytestmark = pytest.mark.slow


def row(pair_id: str, outlet: str, story: str | None, source: str = "source.en.txt", **extra) -> dict:
    return {"id": pair_id, "a": f"many/{source}", "b": f"many/{OUTLETS.get(outlet, outlet)}",
            "outlet_a": "wire", "outlet_b": outlet, "story": story, **extra}


def story_rows() -> list[dict]:
    rows = [row(f"bridge-{i}", name, "Bridge closure") for i, name in enumerate(OUTLETS)]
    rows += [row("again-ledger", "ledger", "桥梁关闭"), row("again-post", "post", "桥梁关闭")]
    # the same story told from another source (ledger's text): a story of its own
    rows.append(row("from-ledger", "post", "Bridge closure", source="ledger.en.txt"))
    rows.append(row("missing-b", "gazette", "桥梁关闭") | {"b": "many/gazette.txt"})    # fails: no such file
    return rows


def write_pairs(folder: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    shutil.copytree(STORY, folder / "many", dirs_exist_ok=True)
    path = folder / "pairs.jsonl"
    path.write_text("\n".join([json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def story_run(tmp_path_factory, use_m3):
    folder = tmp_path_factory.mktemp("stories")
    pairs = write_pairs(folder, story_rows(), extra_lines=(
        json.dumps({"id": "bad-story", "a": "many/source.en.txt", "b": "many/post.en.txt", "story": ["a", "list"]}),
        json.dumps({"id": "long-story", "a": "many/source.en.txt", "b": "many/post.en.txt", "story": "x" * 201})))
    summary = run_batch(pairs, folder / "out", options=IN_PROCESS)
    return folder, pairs, folder / "out", summary


def stories_of(out: Path) -> dict[str, ManyResult]:
    return {p.parent.name: ManyResult.from_json(p.read_text(encoding="utf-8"))
            for p in sorted((out / "stories").glob("*/many.json"))}


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_rows_sharing_a_story_and_a_source_form_one_story(story_run):
    folder, pairs, out, summary = story_run
    stories = group_stories(read_pairs(pairs)[0])
    assert [(s.name, len(s.specs)) for s in stories] == [("Bridge closure", 4), ("桥梁关闭", 3), ("Bridge closure", 1)]
    slugs = [s.slug for s in stories]
    assert slugs[0] == "bridge-closure" and slugs[1].startswith("story-") and slugs[2].startswith("bridge-closure-")
    many = stories_of(out)
    assert set(many) == set(slugs)
    for slug in slugs:
        assert {p.name for p in (out / "stories" / slug).iterdir()} == {"many.json", "matrix.html", "matrix.csv",
                                                                       "digest.txt"}
    assert [o.name for o in many["bridge-closure"].outlets] == list(OUTLETS)
    assert summary["pairs"] == 8 and summary["compared"] == 7 and summary["failed"] == 1


def test_the_story_matrix_holds_each_pairs_own_result(story_run):
    _, _, out, _ = story_run
    many = stories_of(out)["bridge-closure"]
    for outlet, pair_id in zip(many.outlets, [f"bridge-{i}" for i in range(4)]):
        saved = json.loads((out / "pairs" / f"{pair_id}.json").read_text(encoding="utf-8"))
        assert outlet.result.to_dict() == saved          # read from pairs/<id>.json, not compared again
    ledger, times = many.outlet("ledger").findings, many.outlet(TIMES).findings
    assert [r.text for r in ledger.dropped_hedges] == ["probably"]
    assert ledger.omitted == [5] and times.omitted == [8]
    assert [g.outlets for g in many.added if g.shared] == [["ledger", HERALD]]


def test_outlets_across_stories(story_run):
    _, _, out, _ = story_run
    rows = {r["outlet"]: r for r in read_csv(out / "stories" / OUTLETS_CSV)}
    assert set(rows) == {"ledger", "post", "'" + TIMES, HERALD}          # one row per outlet, formula-safe
    ledger = rows["ledger"]
    assert int(ledger["stories"]) == 2 and int(ledger["source_sentences"]) == 20
    assert int(ledger["dropped_hedges_stories"]) == 2 and float(ledger["dropped_hedges_share"]) == 0.1
    assert int(ledger["omitted_sentences_stories"]) == 2 and float(ledger["omitted_sentences_share"]) == 0.1
    assert int(rows["'" + TIMES]["dropped_sources_stories"]) == 1
    post = rows["post"]
    assert int(post["stories"]) == 3 and int(post["added_framing_stories"]) == 3
    assert int(post["dropped_numbers_stories"]) == 0        # 31 → 35 million is a change, not a drop
    # the report agrees with the stories' own findings
    many = list(stories_of(out).values())
    for r in outlet_rows(many):
        with_framing = sum(bool(o.findings.added_framing) for m in many for o in m.outlets
                           if o.result.articles["b"].meta.outlet == r["outlet"])
        assert r["added_framing_stories"] == with_framing
    assert set(BEHAVIOURS) <= {k[:-len("_stories")] for k in ledger if k.endswith("_stories")}


def test_outlet_page_escapes_names_and_links_the_matrices(story_run):
    _, _, out, _ = story_run
    page = (out / "stories" / "outlets.html").read_text(encoding="utf-8")
    assert "<b>herald</b>" not in page and "&lt;b&gt;herald&lt;/b&gt;" in page
    assert 'href="bridge-closure/matrix.html"' in page
    assert "missing-b" in page                         # the failed pair is named under its story
    matrix = (out / "stories" / "bridge-closure" / "matrix.csv").read_text(encoding="utf-8-sig")
    assert "'=times status" in matrix.splitlines()[0]


def test_malformed_story_rows_get_a_clear_message(story_run):
    _, _, out, _ = story_run
    errors = {r["id"]: r for r in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert errors["bad-story"]["code"] == "E050" and "story must be a string" in errors["bad-story"]["error"]
    assert errors["long-story"]["code"] == "E050" and "at most 200 characters" in errors["long-story"]["error"]
    assert errors["missing-b"]["code"] == "E006"


def test_stories_resume_without_comparing_again(story_run, tmp_path):
    _, pairs, first_out, _ = story_run
    out = tmp_path / "out"
    shutil.copytree(first_out, out)
    assert run_batch(pairs, out, options=IN_PROCESS)["nothing_to_do"]
    # a run killed while swapping stories/ in: the folder is gone and a half-built one is left
    shutil.rmtree(out / "stories")
    (out / ".tmp-stories").mkdir()
    (out / ".tmp-stories" / "junk.txt").write_text("half", encoding="utf-8")
    summary = run_batch(pairs, out, options=IN_PROCESS)
    assert summary["todo"] == 0 and not summary["nothing_to_do"]
    assert not list(out.glob(".tmp-*")) and set(stories_of(out)) == set(stories_of(first_out))
    # a new row joins its story; the finished pairs are not compared again and no folder is renamed
    more = write_pairs(tmp_path, story_rows() + [row("again-herald", HERALD, "桥梁关闭")])
    summary = run_batch(more, out, options=IN_PROCESS)
    assert summary["already_done"] == 7 and summary["compared"] == 1
    again = stories_of(out)
    assert set(again) == set(stories_of(first_out))
    chinese = next(m for slug, m in again.items() if slug.startswith("story-"))
    assert [o.name for o in chinese.outlets] == ["ledger", "post", HERALD]
