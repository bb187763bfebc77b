"""bench news: the scoring rules on hand-built results, and one short run on the real data when present.

The texts below are invented for these tests; no benchmark sentence is copied here.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from app.result import SpanRecord
from bench import news_mqm, news_rewrites
from bench.news_spans import covered_chars, is_difference, share_inside
from bench.stats import roc_auc


def span(side, start, end, kind="reworded", score=0.5, **extra):
    return SimpleNamespace(side=side, start=start, end=end, kind=kind, score=score, **extra)


def fake_result(spans=(), sentences_a=(), sentences_b=(), links=()):
    """Just the parts of a Result the scorers read."""
    def article(ranges):
        return SimpleNamespace(sentences=[SimpleNamespace(start=s, end=e) for s, e in ranges])

    return SimpleNamespace(spans=list(spans), articles={"a": article(sentences_a), "b": article(sentences_b)},
                           alignment=SimpleNamespace(links=[SimpleNamespace(a=a, b=b) for a, b in links]))


def error(rater, category, severity, side, start, end):
    return rater, {"category": category, "severity": severity, "side": side, "start": start, "end": end}


def mqm_record(segments):
    """segments: (source, target, label, [(rater, error), ...])."""
    out = []
    for i, (source, target, label, errors) in enumerate(segments, 1):
        raters = {}
        for rater, err in errors:
            raters.setdefault(rater, []).append(err)
        out.append({"i": i, "source": source, "target": target, "label": label,
                    "ratings": [{"rater": r, "errors": e} for r, e in raters.items()]})
    return {"doc": "d1", "system": "s1", "segments": out}


# Segment 0 faithful; segment 1 has a Major omission on a (chars 2..5 of its source) marked by two raters,
# one of them twice under the two category spellings the data uses.
PAIR = news_mqm.build_pair(mqm_record([
    ("AAAAAAAA", "aaaaaaaaaa", "faithful", [error("r1", "Fluency/Grammar", "Minor", "target", 0, 2)]),
    ("BBBBBBBB", "bbbbbbbb", "major", [
        error("r1", "Accuracy/Omission (Translation)", "Major", "source", 2, 5),
        error("r1", "Accuracy/Omission (Translation 2)", "Major", "source", 2, 5),
        error("r2", "Accuracy/Omission", "Major", "source", 2, 5),
        error("r3", "Accuracy/Omission", "Minor", "source", 0, 1),
        error("r2", "Accuracy/Addition", "Major", "target", 6, 8)]),
]))
SENTS_A, SENTS_B = [(0, 8), (9, 17)], [(0, 10), (11, 19)]
ONE_TO_ONE = [([0], [0]), ([1], [1])]


def test_mqm_pair_offsets_and_rater_spans():
    assert PAIR.text_a[slice(*PAIR.segments[1].a)] == "BBBBBBBB"
    assert PAIR.text_b[slice(*PAIR.segments[0].b)] == "aaaaaaaaaa"
    assert PAIR.segments[1].omissions == ((11, 14), (11, 14))   # r1 once, r2 once; the Minor one left out
    assert PAIR.segments[1].additions == ((17, 19),)
    assert PAIR.segments[0].omissions == () and PAIR.segments[0].additions == ()


def test_mqm_span_on_faithful_segment_is_a_false_flag_and_omission_is_recalled():
    result = fake_result([span("b", 1, 4, "loaded", 0.4), span("a", 12, 13, "omitted", 0.9)],
                         SENTS_A, SENTS_B, ONE_TO_ONE)
    segments = news_mqm.score_pair(PAIR, result)["segments"]
    assert news_mqm.false_flag_rate(segments) == 1.0
    assert news_mqm.recall(segments, "omissions") == 1.0 and news_mqm.recall(segments, "additions") == 0.0
    assert [s["score"] for s in segments] == [0.4, 0.9]
    assert news_mqm.link_accuracy(segments) == 1.0


def test_mqm_tallies_spans_touching_major_errors_by_class():
    result = fake_result([span("b", 1, 4, "loaded", 0.4), span("a", 12, 13, "omitted", 0.9, label="words"),
                          span("a", 2, 4, "omitted", 0.6, label="words"), span("b", 17, 18, "added")],
                         SENTS_A, SENTS_B, ONE_TO_ONE)
    report = news_mqm.mqm_metrics([news_mqm.score_pair(PAIR, result)])
    assert report["missed_omission_chars"] == {"missed": 0}     # both raters' span is touched
    assert report["flagged_by_label"] == {"faithful": 1.0, "major": 1.0}
    assert report["major_touched_by_kind"] == {"added (b)": {"spans": 1, "touch_major": 1},
                                               "loaded (b)": {"spans": 1, "touch_major": 0},
                                               "omitted words (a)": {"spans": 2, "touch_major": 1}}


def test_mqm_reports_how_long_the_missed_rater_spans_are():
    result = fake_result([span("b", 1, 4, "loaded", 0.4)], SENTS_A, SENTS_B, ONE_TO_ONE)
    report = news_mqm.mqm_metrics([news_mqm.score_pair(PAIR, result)])
    assert report["missed_omission_chars"] == {"missed": 2, "median": 3, "under_5_chars": 2}


def test_mqm_strict_recall_needs_an_omitted_or_reworded_span():
    result = fake_result([span("a", 10, 12, "entity")], SENTS_A, SENTS_B, ONE_TO_ONE)
    segments = news_mqm.score_pair(PAIR, result)["segments"]
    assert news_mqm.recall(segments, "omissions") == 1.0
    assert news_mqm.recall(segments, "omissions", strict=True) == 0.0


def test_shared_wording_spans_are_not_differences():
    shared = span("b", 1, 4, "loaded", 0.8, difference=False)
    segments = news_mqm.score_pair(PAIR, fake_result([shared], SENTS_A, SENTS_B, ONE_TO_ONE))["segments"]
    assert news_mqm.false_flag_rate(segments) == 0.0 and segments[0]["score"] == 0.0
    assert not is_difference(shared)
    record = SpanRecord(side="a", start=0, end=2, text="AA", kind="omitted", score=0.5, sentence=0)
    assert is_difference(record)   # before the field exists (or when it says true), every span counts


def test_link_accuracy_on_a_hand_made_alignment():
    # a sentence of segment 0 is glued to segment 1's b: both segments wrong
    glued = fake_result([], SENTS_A, SENTS_B, [([0], [0, 1]), ([1], [1])])
    assert news_mqm.segment_links_correct(glued, PAIR.segments) == [False, False]
    # segment 1 split in two tool sentences on a, both linked to its b: right; segment 0 left unaligned: wrong
    split = fake_result([], [(0, 8), (9, 12), (12, 17)], SENTS_B, [([1, 2], [1])])
    assert news_mqm.segment_links_correct(split, PAIR.segments) == [False, True]


def test_roc_auc_counts_ties_half():
    assert roc_auc([True, False, True, False], [0.9, 0.1, 0.5, 0.5]) == pytest.approx(3.5 / 4)
    assert roc_auc([True, False], [0.0, 0.0]) == 0.5
    assert roc_auc([True, True], [0.1, 0.2]) != roc_auc([True, True], [0.1, 0.2])   # NaN: one class only


def test_bootstrap_resamples_whole_articles():
    faithful = {"label": "faithful", "flagged": False, "omissions": 0, "omissions_found": 0}
    articles = [[{"segments": [faithful, {**faithful, "flagged": True}]}], [{"segments": [faithful]}],
                [{"segments": [{**faithful, "flagged": True}]}]]
    ci = news_mqm.article_ci(articles, news_mqm.false_flag_rate)
    assert ci == news_mqm.article_ci(articles, news_mqm.false_flag_rate)   # seeded
    assert 0.0 <= ci[0] <= 0.5 <= ci[1] <= 1.0
    assert news_mqm.article_ci(articles, lambda segments: news_mqm.recall(segments, "omissions")) is None


def test_coverage_helpers():
    assert covered_chars([(0, 4), (2, 6), (8, 9)], (1, 9)) == 6
    assert share_inside((0, 10), [(0, 3), (5, 7)]) == 0.5
    assert share_inside((4, 4), [(0, 5)]) == 1.0


def write_rewrite(folder, gold):
    folder.mkdir()
    (folder / "a.txt").write_text("header a\n\nOne two. Three four. Five six.", encoding="utf-8")
    (folder / "b.txt").write_text("header b\n\nOne two. Seven eight. Tail end.", encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(gold), encoding="utf-8")


GOLD = {"id": "toy", "kind": "rewrite_en_en",
        "sentences_a": ["One two.", "Three four.", "Five six."], "sentences_b": ["One two.", "Seven eight.", "Tail end."],
        "links": [[[0], [0]], [[2], [1]]], "out_of_scope_a": [], "out_of_scope_b": [2],
        "must_flag_a": [{"text": "Three", "kind": "omitted_content"}],
        "must_flag_b": [{"text": "Seven", "kind": "loaded"}],
        "faithful_a": ["One two."], "faithful_b": ["One two."]}


def test_rewrites_scoring(tmp_path):
    write_rewrite(tmp_path / "toy", GOLD)
    pair = news_rewrites.read_pair(tmp_path / "toy")
    assert pair.a.sentences == ((0, 8), (9, 20), (21, 30)) and pair.a.unlinked == {1} and pair.b.unlinked == set()
    spans = [span("a", 9, 20, "omitted"),            # inside a gold omitted sentence: right
             span("b", 9, 14, "loaded"),             # on the must-flag item: right
             span("b", 4, 7, "reworded", label="words"),   # 3 of 8 chars of a faithful passage (> 1/4): wrong, false flag
             span("b", 22, 26, "added"),             # in an out-of-scope sentence: not scored
             span("a", 0, 3, "loaded", difference=False)]   # shared wording: ignored
    result = fake_result(spans, [(0, 8), (9, 20), (21, 30)], [(0, 8), (9, 21), (22, 31)],
                         [([0], [0]), ([1, 2], [1])])
    scores = news_rewrites.score_pair(pair, result)
    assert (scores["scored_spans"], scores["right_spans"], scores["recall"]) == (3, 2, 1.0)
    assert (scores["faithful_passages"], scores["faithful_false_flags"]) == (2, 1)
    assert (scores["links_tool"], scores["links_gold"], scores["links_right"]) == (3, 2, 2)
    report = news_rewrites.rewrites_metrics([scores])
    assert report["span_precision"] == pytest.approx(2 / 3, abs=1e-4) and report["link_recall"] == 1.0
    assert report["must_flag_recall_by_kind"] == {"loaded": 1.0, "omitted_content": 1.0}
    assert report["span_precision_by_kind"] == {"loaded": {"spans": 1, "precision": 1.0, "ci95": None},
                                                "omitted": {"spans": 1, "precision": 1.0, "ci95": None},
                                                "reworded words": {"spans": 1, "precision": 0.0, "ci95": None}}


@pytest.mark.bench
@pytest.mark.slow
def test_news_bench_runs_on_a_few_real_pairs(benchmarks, tmp_path):
    from bench.news import run_news_bench

    report = run_news_bench(benchmarks, split="dev", save_dir=tmp_path, limit=2, log=lambda _: None)
    assert report["mqm"]["counts"]["pairs"] == 2 and report["rewrites"]["counts"]["pairs"] == 2
    assert 0 <= report["mqm"]["false_flag_rate"] <= 1 and 0 <= report["rewrites"]["span_precision"] <= 1
    assert len(report["identity"]["files"]) == 2 and report["signature"] and report["config_hash"]
    assert len((tmp_path / "mqm-dev" / "scores.jsonl").read_text().splitlines()) == 2
    json.dumps(report)
    assert "settings_changed" not in report                   # the defaults: nothing to declare


def test_news_bench_set_changes_settings_as_toml_lines():
    from app.errors import FrameDiffError
    from bench.news import settings_from

    changed = settings_from(["word_diff_threshold_cross=0.3", "word_diff_min_words_cross=3", "word_diff=false"])
    assert (changed.word_diff_threshold_cross, changed.word_diff_min_words_cross, changed.word_diff) == (0.3, 3, False)
    assert settings_from(["word_diff_threshold_cross=1"]).word_diff_threshold_cross == 1.0   # an int where a float goes
    for bad in (["nope=1"], ["word_diff_threshold_cross"]):
        with pytest.raises(SystemExit):
            settings_from(bad)
    with pytest.raises(FrameDiffError):                       # out of range: the settings' own check
        settings_from(["word_diff_threshold_cross=2.0"])


def test_news_bench_report_declares_changed_settings():
    from app.settings import Settings
    from bench.news import run_news_bench

    report = run_news_bench(sets=("identity",), limit=1, log=lambda _: None,
                            settings=Settings(word_diff_threshold_cross=0.3))
    assert report["settings_changed"] == {"word_diff_threshold_cross": 0.3}
