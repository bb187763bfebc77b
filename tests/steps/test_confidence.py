"""Every span's confidence and the one threshold that makes it a difference (app/steps/confidence.py)."""

from __future__ import annotations

import json

from app import compare
from app.result import SpanKind, SpanRecord
from app.settings import Settings
from app.steps.confidence import TABLE_PATH, ConfidenceTable, read_table, span_class, with_confidence


def _span(kind: SpanKind, *, label=None, score=1.0, difference=True, scored_by=None) -> SpanRecord:
    detail = {"scored_by": scored_by} if scored_by else None
    return SpanRecord(side="b", start=0, end=4, text="word", kind=kind, score=score, sentence=0, label=label,
                      difference=difference, detail=detail)


TABLE = ConfidenceTable({"loaded": 0.8, "entity": 0.3, "added words": 0.9}, default=0.5, sha256="x")


def test_a_class_gets_its_share_and_an_unseen_class_the_default():
    out = with_confidence([_span(SpanKind.LOADED), _span(SpanKind.ENTITY), _span(SpanKind.NUMBER)], 0.5, TABLE)
    assert [s.confidence for s in out] == [0.8, 0.3, 0.5]
    assert [s.difference for s in out] == [True, False, True]


def test_a_model_scored_word_run_carries_its_own_probability():
    runs = [_span(SpanKind.ADDED, label="words", score=0.62, scored_by="word_model"),
            _span(SpanKind.ADDED, label="words", score=0.62, scored_by="weights")]
    out = with_confidence(runs, 0.7, TABLE)
    assert out[0].confidence == 0.62 and not out[0].difference          # its own, below 0.7
    assert out[1].confidence == 0.9 and out[1].difference               # hand-weighted: its class's share


def test_shared_wording_keeps_no_confidence():
    shared = _span(SpanKind.LOADED, difference=False)
    assert with_confidence([shared], 0.0, TABLE)[0].confidence is None


def test_span_classes_tell_word_runs_from_sentences():
    assert span_class(_span(SpanKind.OMITTED)) == "omitted"
    assert span_class(_span(SpanKind.OMITTED, label="words")) == "omitted words"


def test_the_shipped_table_is_a_table_with_its_rebuild_command():
    spec = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    table = read_table()
    assert 0 < table.default < 1 and spec["built_by"].startswith("python -m bench.span_confidence")
    assert all(0 < v < 1 for v in table.classes.values())


def test_the_threshold_moves_spans_between_counted_and_possible(norvale_result, use_m3):
    from tests.conftest import SAMPLES

    a = (SAMPLES / "norvale" / "a.en.txt").read_text(encoding="utf-8")
    b = (SAMPLES / "norvale" / "b.zh.txt").read_text(encoding="utf-8")
    everything = compare(a, b, embedder=use_m3, cache=False, settings=Settings(min_confidence=0.0))
    strict = compare(a, b, embedder=use_m3, cache=False, settings=Settings(min_confidence=0.99))
    counted = sum(everything.summary.counts.values())
    assert counted > 0 and sum(everything.summary.possible.values()) == 0
    assert sum(strict.summary.counts.values()) + sum(strict.summary.possible.values()) == counted
    for span in strict.spans:
        if span.confidence is not None:
            assert span.difference == (span.confidence >= 0.99)


# -- the pair verdict (app/steps/verdict.py, issue 22) ------------------------------------------------

def test_a_faithful_translation_is_a_close_translation_and_the_digest_says_only_that(use_m3):
    from app.export.digest import digest_text
    from tests.conftest import SAMPLES

    result = compare(SAMPLES / "harbour" / "a.en.txt", SAMPLES / "harbour" / "b_faithful.zh.txt",
                     embedder=use_m3, cache=False)
    assert result.verdict.label == "close translation"
    assert result.verdict.shares["a_left_out"] <= 0.05 and result.verdict.shares["b_added"] <= 0.05
    text = digest_text(result)
    assert "Verdict: a close translation" in text and "no confident difference found" in text
    assert "\n 1. " not in text


def test_an_unrelated_article_is_a_different_story(use_m3):
    a = ("The Kelby council approved a new harbour bridge on Monday. Work starts in April. "
         "The bridge will carry two lanes of traffic and a cycle path.")
    b = ("Heavy snow closed the mountain pass above Ostrava for a third day. Drivers waited in long queues. "
         "Ploughs are expected to clear the road by Friday.")
    result = compare(a, b, embedder=use_m3, cache=False, lang_a="en", lang_b="en")
    assert result.verdict.label == "different stories"


def test_the_verdict_reads_the_shares_and_the_counted_findings_only():
    from app.result import SentenceRecord, SentenceStatus
    from app.steps.verdict import pair_verdict

    def sentences(statuses):
        return [SentenceRecord(index=i, start=10 * i, end=10 * i + 10, status=st) for i, st in enumerate(statuses)]

    kept = [SentenceStatus.KEPT] * 10
    assert pair_verdict(sentences(kept), sentences(kept), []).label == "close translation"
    framing = _span(SpanKind.FRAMING)
    assert pair_verdict(sentences(kept), sentences(kept), [framing]).label == "light edit"
    assert pair_verdict(sentences(kept), sentences(kept),
                        [framing.model_copy(update={"difference": False})]).label == "close translation"
    mostly_gone = [SentenceStatus.KEPT] * 5 + [SentenceStatus.OMITTED] * 5
    assert pair_verdict(sentences(mostly_gone), sentences(kept), []).label == "rewrite"
