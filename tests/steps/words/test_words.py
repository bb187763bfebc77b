"""Word-level differences on pairs the project writes itself: planted additions and omissions are found."""

import numpy as np
import pytest

from app import compare
from app.result import SpanKind
from app.settings import Settings

# What the detectors find, every span counted: the confidence gate (min_confidence) is tested on its own
# in tests/steps/test_confidence.py.
import functools as _functools
from app.settings import Settings as _Settings
EVERY_SPAN = _Settings(min_confidence=0.0)
compare = _functools.partial(compare, settings=EVERY_SPAN)

pytestmark = pytest.mark.slow

BASE_EN = ("Police arrested three men in the capital on Tuesday. "
           "The men were held at a station near the harbour. "
           "A court will decide on Friday whether they stay in custody.")


def _word_spans(result, kind):
    return [s for s in result.spans_of(kind) if s.label == "words"]


def _coverage(spans, start, end):
    """Share of [start, end) covered by spans, and the number of span characters outside it."""
    inside = set()
    outside = 0
    for span in spans:
        for k in range(span.start, span.end):
            if start <= k < end:
                inside.add(k)
            else:
                outside += 1
    return len(inside) / (end - start), outside


def _findings(result, side, kind):
    """Word runs of ``kind`` and the specific findings that replace a word run they overlap
    (app/steps/findings.py: a dropped source is one attribution span, not also a run of omitted words)."""
    specific = {"attribution", "number", "entity", "framing"}
    return _word_spans(result, kind) + [s for s in result.spans if s.side == side and s.difference
                                        and s.kind.value in specific]


def _check_planted(result, side, kind, planted):
    text = result.articles[side].text
    start = text.index(planted)
    spans = _findings(result, side, kind)
    share, outside = _coverage(spans, start, start + len(planted))
    assert share >= 0.5, f"planted {planted!r} only {share:.0%} covered by {[s.text for s in spans]}"
    assert outside <= len(planted), f"too much flagged outside the plant: {[s.text for s in spans]}"
    for span in spans:
        assert text[span.start:span.end] == span.text
        assert span.side == side and span.link is not None and span.counterpart is not None
        assert 0.0 <= span.score <= 1.0


@pytest.mark.parametrize("b_text,planted", [
    ("Police arrested three men in the capital on Tuesday, in a crackdown that critics called politically "
     "motivated. The men were held at a station near the harbour. "
     "A court will decide on Friday whether they stay in custody.",
     "in a crackdown that critics called politically motivated"),
])
def test_added_clause_en_en(use_m3, b_text, planted):
    result = compare(BASE_EN, b_text, embedder=use_m3, cache=None)
    _check_planted(result, "b", SpanKind.ADDED, planted)


def test_dropped_source_en_en(use_m3):
    a = ("The minister will probably resign next week, according to two officials familiar with the talks. "
         "The men were held at a station near the harbour.")
    b = "The minister will resign next week. The men were held at a station near the harbour."
    result = compare(a, b, embedder=use_m3, cache=None)
    _check_planted(result, "a", SpanKind.OMITTED, "according to two officials familiar with the talks")


ZH_ADDED = {
    "Hans": ("警方周二在首都逮捕了三名男子，批评人士称此举是出于政治目的的打压。这些男子被关押在港口附近的一个警察局。"
             "法院将于周五决定是否继续羁押他们。", "批评人士称此举是出于政治目的的打压"),
    "Hant": ("警方週二在首都逮捕了三名男子，批評人士稱此舉是出於政治目的的打壓。這些男子被關押在港口附近的一個警察局。"
             "法院將於週五決定是否繼續羈押他們。", "批評人士稱此舉是出於政治目的的打壓"),
}


@pytest.mark.parametrize("script", ["Hans", "Hant"])
def test_added_clause_en_zh(use_m3, script):
    b_text, planted = ZH_ADDED[script]
    result = compare(BASE_EN, b_text, embedder=use_m3, cache=None, lang_b="zh")
    assert result.articles["b"].script == script
    _check_planted(result, "b", SpanKind.ADDED, planted)


@pytest.mark.parametrize("b_text", [
    "部长下周将辞职。这些男子被关押在港口附近的一个警察局。",
    "部長下週將辭職。這些男子被關押在港口附近的一個警察局。",
])
def test_dropped_source_en_zh(use_m3, b_text):
    a = ("The minister will resign next week, according to two officials familiar with the talks. "
         "The men were held at a station near the harbour.")
    result = compare(a, b_text, embedder=use_m3, cache=None, lang_b="zh")
    _check_planted(result, "a", SpanKind.OMITTED, "according to two officials familiar with the talks")


FAITHFUL = [
    ("Police arrested three men in the capital on Tuesday. The men were held at a station near the harbour. "
     "A court will decide on Friday whether they stay in custody. The company said its profit rose last year.",
     "警方周二在首都逮捕了三名男子。这些男子被关押在港口附近的一个警察局。法院将于周五决定是否继续羁押他们。"
     "该公司表示，其去年利润有所增长。"),
    ("Police arrested three men in the capital on Tuesday. The men were held at a station near the harbour. "
     "A court will decide on Friday whether they stay in custody. The company said its profit rose last year.",
     "警方週二在首都逮捕了三名男子。這些男子被關押在港口附近的一個警察局。法院將於週五決定是否繼續羈押他們。"
     "該公司表示，其去年利潤有所增長。"),
    (BASE_EN, "On Tuesday police arrested three men in the capital. The men were detained at a station close "
              "to the harbour. Whether they stay in custody will be decided by a court on Friday."),
]


@pytest.mark.parametrize("a,b", FAITHFUL)
def test_faithful_translation_has_few_word_spans(use_m3, a, b):
    result = compare(a, b, embedder=use_m3, cache=None)
    flagged = _word_spans(result, SpanKind.ADDED) + _word_spans(result, SpanKind.OMITTED)
    chars = sum(s.end - s.start for s in flagged)
    assert len(flagged) <= 1 and chars <= 12, [s.text for s in flagged]


def test_token_scores_cover_every_token(use_m3):
    from app.pipeline import Work, load_embedder, step_align, step_word_scores
    from app.text.reader import read_article
    from app.settings import Settings

    settings = Settings()
    a = read_article(BASE_EN, is_path=False, language="en", meta=None, max_chars=10_000, what="a", side="a")
    b = read_article(ZH_ADDED["Hans"][0], is_path=False, language="zh", meta=None, max_chars=10_000,
                     what="b", side="b")
    work = Work(a, b, settings, load_embedder(use_m3))
    for step in (step_align, step_word_scores):
        step(work)
    for side, article in (("a", a), ("b", b)):
        scores = work.token_scores[side]
        assert scores.shape == (len(article.tokens),)
        assert np.all((scores >= 0) & (scores <= 1))
        for sent in article.sentences:   # punctuation shares its neighbours' scores
            words = [i for i in range(sent.token_start, sent.token_end) if any(c.isalnum() for c in article.token_text(i))]
            for i in range(sent.token_start, sent.token_end):
                if i not in words and words:
                    near = [k for k in (max([w for w in words if w < i], default=None),
                                        min([w for w in words if w > i], default=None)) if k is not None]
                    assert scores[i] == pytest.approx(np.mean(scores[near]), abs=1e-5)
    # the planted clause scores higher on average than the translated rest
    text = b.text
    start = text.index(ZH_ADDED["Hans"][1])
    end = start + len(ZH_ADDED["Hans"][1])
    words = [i for i, t in enumerate(b.tokens) if any(c.isalnum() for c in b.token_text(i))]
    planted = [work.token_scores["b"][i] for i in words if start <= b.tokens[i].start < end]
    rest = [work.token_scores["b"][i] for i in words if not start <= b.tokens[i].start < end]
    assert np.mean(planted) > np.mean(rest) + 0.2


def test_inserted_appositive_in_an_edited_copy_is_added_en_en(use_m3):
    a = ("Police arrested three men in the capital on Tuesday. The company said its new inhaler cut severe asthma "
         "attacks by 31% in a late-stage trial. A court will decide on Friday whether they stay in custody.")
    planted = "an unprecedented and utterly historic breakthrough"
    b = a.replace("new inhaler cut", f"new inhaler, {planted}, cut")
    result = compare(a, b, embedder=use_m3, cache=None)
    _check_planted(result, "b", SpanKind.ADDED, planted)
    off = compare(a, b, embedder=use_m3, cache=None, settings=Settings(word_diff_literal_run=0))
    assert not _word_spans(off, SpanKind.ADDED), "the model alone misses it (README: literal insertions)"
