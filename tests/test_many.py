"""compare_many on a story the project wrote itself (tests/data/many): one English source, four rewrites.

Planted changes, each asserted in its cell or list:
- ledger (en): drops the hedge 'probably' (sentence 3) and the shop owners' sentence (6); adds the north-bank
  residents' sentence, which herald also adds.
- herald (zh-Hans): the mayor 声称 (claimed) where the source says 'said'; adds the north-bank sentence in Chinese.
- times (zh-Hant): drops the state-government sentence (9) and the source 'according to the regional transport
  department' (5).
- post (en): the mayor 'claimed'; a 'so-called' shuttle bus; 31 million dollars became 35 million; the shop
  owners (the other side's voice) moved to the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.text.article import ArticleMeta
from app.many import ManyResult, compare_many

# What the detectors find, every span counted: the confidence gate (min_confidence) is tested on its own
# in tests/steps/test_confidence.py.
import functools as _functools
from app.settings import Settings as _Settings
EVERY_SPAN = _Settings(min_confidence=0.0)
compare_many = _functools.partial(compare_many, settings=EVERY_SPAN)

pytestmark = pytest.mark.slow

STORY = Path(__file__).parent / "data" / "many"
REWRITES = ["ledger.en.txt", "herald.zh-Hans.txt", "times.zh-Hant.txt", "post.en.txt"]


@pytest.fixture(scope="module")
def many(use_m3) -> ManyResult:
    return compare_many(STORY / "source.en.txt", [STORY / name for name in REWRITES], embedder=use_m3, cache=None)


def test_outlets_are_named_after_their_files_and_keep_their_languages(many):
    assert [o.name for o in many.outlets] == ["ledger", "herald", "times", "post"]
    scripts = {o.name: (o.result.articles["b"].language, o.result.articles["b"].script) for o in many.outlets}
    assert scripts == {"ledger": ("en", None), "herald": ("zh", "Hans"), "times": ("zh", "Hant"), "post": ("en", None)}
    assert many.source_name == "source" and many.source_choice.method == "given"


def test_every_row_is_a_source_sentence_and_the_omissions_land_in_their_cells(many):
    assert len(many.rows) == 10
    for row in many.rows:
        assert many.source.text[row.start:row.end] == row.text
    omitted = {(row.index, name) for row in many.rows for name, cell in row.cells.items() if cell.status == "omitted"}
    assert omitted == {(5, "ledger"), (8, "times")}
    assert "shop owners" in many.rows[5].text and "state government" in many.rows[8].text


def test_a_covered_cell_holds_the_outlets_own_wording_by_offsets(many):
    for row in many.rows:
        for name, cell in row.cells.items():
            if cell.status == "omitted":
                assert cell.text is None and cell.sentences == []
                continue
            text = many.outlet(name).result.articles["b"].text
            assert text[cell.start:cell.end] == cell.text
    assert "声称" in many.rows[3].cells["herald"].text
    assert "claimed" in many.rows[3].cells["post"].text
    assert "35 million" in many.rows[7].cells["post"].text
    assert "大橋工程" in many.rows[9].cells["times"].text


def test_cells_name_the_changes_each_outlet_made_in_that_sentence(many):
    changed = {(row.index, name): cell.changes for row in many.rows for name, cell in row.cells.items() if cell.changes}
    assert changed == {(2, "ledger"): ["framing"],       # 'probably' dropped
                       (3, "herald"): ["framing"],       # 声称
                       (3, "post"): ["framing"],         # claimed
                       (4, "times"): ["attribution"],    # the transport department dropped
                       (6, "post"): ["framing"],         # so-called
                       (7, "post"): ["number"]}          # 31 -> 35 million


def test_the_sentence_one_outlet_moved_to_the_end_is_marked_moved_and_nothing_else_is(many):
    moved = {(row.index, name) for row in many.rows for name, cell in row.cells.items() if cell.moved}
    assert moved == {(5, "post")}
    assert many.rows[5].cells["post"].sentences == [9]
    assert many.outlet("post").findings.moved == [5]
    assert all(many.outlet(name).findings.moved == [] for name in ("ledger", "herald", "times"))


def test_the_paragraph_two_outlets_add_is_one_shared_group_across_languages(many):
    shared = [g for g in many.added if g.shared]
    assert len(shared) == 1
    group = shared[0]
    assert group.outlets == ["ledger", "herald"]
    texts = {s.outlet: s.text for s in group.sentences}
    assert "north bank" in texts["ledger"] and "北岸居民" in texts["herald"]
    # nothing else was added
    assert all(g.shared for g in many.added)


def test_who_dropped_what(many):
    findings = {o.name: o.findings for o in many.outlets}
    assert [s.text for s in findings["ledger"].dropped_hedges] == ["probably"]
    assert findings["ledger"].dropped_hedges[0].side == "a"
    assert findings["ledger"].omitted == [5]
    assert [s.text for s in findings["times"].dropped_sources] == ["according to the regional transport department"]
    assert findings["times"].omitted == [8]
    assert [s.text for s in findings["herald"].added_framing] == ["声称"]
    assert sorted(s.text for s in findings["post"].added_framing) == ["claimed", "so-called"]
    assert {(s.side, s.text) for s in findings["post"].number_changes} == {("a", "31 million dollars"),
                                                                           ("b", "35 million dollars")}
    for name in ("ledger", "herald", "times"):
        assert findings[name].number_changes == []
    for name in ("herald", "times", "post"):
        assert findings[name].dropped_hedges == []


def test_findings_are_the_two_way_results_own_figures(many):
    for outlet in many.outlets:
        assert outlet.findings.counts == outlet.result.summary.counts
        assert outlet.result.articles["a"].text == many.source.text


def test_the_result_round_trips_through_json(many):
    again = ManyResult.from_json(many.to_json())
    assert again == many
    assert again.schema_version == "framediff.many/1"


def test_auto_source_takes_the_earliest_date_when_every_article_has_one(use_m3):
    metas = [ArticleMeta(date="2026-03-02"), ArticleMeta(date="2026-03-01"), ArticleMeta(date="2026-03-03")]
    many = compare_many(STORY / "post.en.txt", [STORY / "source.en.txt", STORY / "ledger.en.txt"], embedder=use_m3,
                        cache=None, metas=metas, auto_source=True)
    assert many.source_choice.method == "date" and many.source_choice.index == 1
    assert many.source_name == "source" and "2026-03-01" in many.source_choice.reason
    assert [o.name for o in many.outlets] == ["post", "ledger"]


def test_auto_source_without_dates_takes_the_article_the_others_cover_most(use_m3):
    # ledger (first here) lacks a source sentence; the source holds everything the others share
    many = compare_many(STORY / "ledger.en.txt", [STORY / "source.en.txt", STORY / "times.zh-Hant.txt"],
                        embedder=use_m3, cache=None, auto_source=True)
    choice = many.source_choice
    assert choice.method == "coverage" and choice.index == 1, choice
    assert len(choice.coverage) == 3 and choice.coverage[1] == max(choice.coverage)
    assert "share most content" in choice.reason
    assert many.source_name == "source"


SCHEMA = Path(__file__).resolve().parents[1] / "app" / "schemas" / "many-1.json"


def test_committed_many_schema_matches_the_models():
    """Regenerate with: python -c "import json; from app.many import many_json_schema;
    open('app/schemas/many-1.json', 'w').write(json.dumps(many_json_schema(), indent=2, ensure_ascii=False) + '\\n')\""""
    import json

    from app.many import many_json_schema

    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == many_json_schema()


def test_the_story_validates_against_the_committed_schema(many):
    import json

    import jsonschema

    jsonschema.validate(json.loads(many.to_json()), json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_in_order_keeps_a_longest_order_keeping_run():
    from app.many import in_order

    assert in_order([]) == set()
    assert in_order([0, 1, 2, 3, 4, 6, 7, 8, 9, 5]) == set(range(9))      # one sentence moved to the end
    assert in_order([9, 0, 1, 2]) == {1, 2, 3}                             # one moved to the top
    assert len(in_order([0, 2, 1, 3])) == 3 and {0, 3} <= in_order([0, 2, 1, 3])


def test_more_rewrites_than_the_limit_is_e018_before_anything_is_read():
    from app.errors import FrameDiffError
    from app.many import MAX_REWRITES, check_rewrites

    rewrites = [f"Rewrite number {k} of the ferry story." for k in range(MAX_REWRITES + 1)]
    with pytest.raises(FrameDiffError) as caught:
        check_rewrites("The ferry story.", rewrites)
    assert caught.value.code == "E018" and f"over the limit of {MAX_REWRITES}" in caught.value.message
    check_rewrites("The ferry story.", rewrites[:MAX_REWRITES])      # the limit itself is fine


def test_pasted_and_linked_articles_are_named_not_numbered(use_m3):
    """Without a name, an outlet or a file, an article is called by its headline (issue 24)."""
    from app.many import NAME_CHARS, _name_of
    from app.text.article import ArticleMeta
    from app.text.reader import build_article

    source = "Kelby council approves the new harbour bridge\n\nThe council voted 7 to 2 on Monday."
    rewrites = ["Bridge vote: a long night in Kelby's council chamber ends with a yes from seven members\n\n"
                "Seven councillors backed the bridge on Monday.",
                "凯尔比议会批准新桥\n\n议会周一以七票赞成通过新桥方案。"]
    many = compare_many(source, rewrites, embedder=use_m3, cache=None)
    assert many.source_name.startswith("Kelby council approves") and len(many.source_name) <= NAME_CHARS
    names = [o.name for o in many.outlets]
    assert names[0].startswith("Bridge vote") and names[0].endswith("…") and len(names[0]) <= NAME_CHARS
    assert names[1] == "凯尔比议会批准新桥"
    linked = build_article("A story.", language="en", meta=ArticleMeta(source="https://www.harbour-news.test/a/1"))
    assert _name_of(linked, None, "outlet 1") == "harbour-news.test"
