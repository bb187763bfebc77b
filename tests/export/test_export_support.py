"""Shared helpers for the export tests, and unit tests of the span-nesting they rely on.

``with_every_kind`` takes a REAL result (from the real pipeline) and adds spans of every kind
(loaded, framing, attribution, number, entity), each with a reason, and two spans of wording both
articles carry (``difference`` false), placed by searching the article text, plus translations and
a frames block, so the exporters can be checked on every kind, on shared wording, on overlapping
spans and on a span that crosses a sentence boundary.
"""

from __future__ import annotations

from app.export.common import Fragment, TextRun, iter_fragments, nest_spans
from app.result import Counterpart, Result, SpanKind, SpanRecord

# (side, text to find, kind, gloss, counterpart text on the other side or None, label)
EXTRA_SPANS = [
    ("b", "炒作", "loaded", "to hype up (pejorative)", None, "pejorative"),
    ("b", "所谓", "framing", "so-called", None, "scare quotes"),
    ("b", "“知情人士”", "framing", "“people familiar” in scare quotes", "the people said", None),
    ("b", "知情人士", "attribution", "people familiar with the matter", "the people said", None),
    ("b", "2300万美元", "number", "23 million US dollars", "$23 million", None),
    ("b", "马来西亚", "entity", "Malaysia", "Malaysia", None),
    ("b", "滥用", "loaded", "abuse", None, "pejorative"),
    ("b", "闹剧", "loaded", "farce", None, "pejorative"),
    ("a", "$23 million", "number", None, "2300万美元", None),
    ("a", "Norvale Semiconductor", "entity", None, None, None),
    # crosses the end of a reworded sentence into an omitted one
    ("a", "the people said.\n\nWirewatch could not", "attribution", None, None, None),
]
# wording both articles carry (difference false): drawn muted, listed apart, never counted
SHARED_SPANS = [
    ("a", "sanctioned", "loaded", "under sanctions", "受制裁", "pejorative"),
    ("b", "受制裁", "loaded", "sanctioned", "sanctioned", "pejorative"),
]
SHARED_REASON = "both articles carry this wording"


def _sentence_of(result: Result, side: str, start: int) -> int:
    for sent in result.articles[side].sentences:
        if sent.start <= start < sent.end:
            return sent.index
    raise AssertionError(f"no sentence at {start}")


def _span(result: Result, side, needle, kind, gloss, cp_text, label) -> SpanRecord:
    text = result.articles[side].text
    start = text.index(needle)
    counterpart = None
    if cp_text:
        other = "b" if side == "a" else "a"
        cp_start = result.articles[other].text.index(cp_text)
        counterpart = Counterpart(side=other, start=cp_start, end=cp_start + len(cp_text), text=cp_text,
                                  sentences=[_sentence_of(result, other, cp_start)])
    return SpanRecord(side=side, start=start, end=start + len(needle), text=needle, kind=SpanKind(kind),
                      score=0.8, sentence=_sentence_of(result, side, start), counterpart=counterpart,
                      gloss=gloss, label=label, reason=f"test reason: {side} has {kind} '{needle}'")


def _shared_span(result: Result, *row) -> SpanRecord:
    span = _span(result, *row)
    return span.model_copy(update={"difference": False, "reason": f"{SHARED_REASON} ({span.counterpart.text})"})


def _whole_sentence(result: Result, side: str, needle: str):
    start = result.articles[side].text.index(needle)
    return result.articles[side].sentences[_sentence_of(result, side, start)]


def _reworded_pair(result: Result, needle_a: str, needle_b: str) -> list[SpanRecord]:
    sent_a, sent_b = _whole_sentence(result, "a", needle_a), _whole_sentence(result, "b", needle_b)
    spans = []
    for side, sent, other, other_sent in (("a", sent_a, "b", sent_b), ("b", sent_b, "a", sent_a)):
        text, other_text = result.articles[side].text, result.articles[other].text
        counterpart = Counterpart(side=other, start=other_sent.start, end=other_sent.end,
                                  text=other_text[other_sent.start:other_sent.end], sentences=[other_sent.index])
        spans.append(SpanRecord(side=side, start=sent.start, end=sent.end, text=text[sent.start:sent.end],
                                kind=SpanKind.REWORDED, score=0.4, sentence=sent.index, counterpart=counterpart,
                                reason=f"test reason: most of {side}'s passage has no counterpart"))
    return spans


FRAMES = {"a": {"conflict": 0.2, "economic": 0.6, "legal": 0.2},
          "b": {"conflict": 0.55, "economic": 0.25, "legal": 0.2},
          "shift": {"conflict": 0.35, "economic": -0.35, "legal": 0.0}, "total_variation": 0.35}


def with_every_kind(result: Result, *, frames: bool = True) -> Result:
    """The real result plus spans of every kind, b-side translations and (optionally) frames."""
    spans = (list(result.spans) + [_span(result, *row) for row in EXTRA_SPANS]
             + [_shared_span(result, *row) for row in SHARED_SPANS])
    if not any(span.kind is SpanKind.REWORDED for span in result.spans):
        # Whether a1/b1 come out reworded depends on the calibrated kept threshold; the exporters
        # must be checked on a reworded pair either way, so make it one here.
        spans += _reworded_pair(result, "The shipments, made through", "报道援引")
    counts, shared = dict(result.summary.counts), dict(result.summary.shared)
    for span in spans[len(result.spans):]:
        tally = counts if span.difference else shared
        tally[span.kind.value] = tally.get(span.kind.value, 0) + 1
    article_b = result.articles["b"]
    sentences_b = [s.model_copy(update={"translation": f"[EN gloss of B{s.index + 1}] Machine translation here.",
                                        "translation_model": "test-mt"}) if s.index < 3 else s
                   for s in article_b.sentences]
    articles = {"a": result.articles["a"], "b": article_b.model_copy(update={"sentences": sentences_b})}
    data = result.model_dump()
    data.update(spans=spans, articles=articles,
                summary=result.summary.model_copy(update={"counts": counts, "shared": shared}))
    return Result.model_validate({**data, "frames": FRAMES if frames else None})


def assert_span_texts(result: Result) -> None:
    for span in result.spans:
        assert result.articles[span.side].text[span.start:span.end] == span.text


# --- unit tests of nest_spans --------------------------------------------------------------------

class _S:
    def __init__(self, start, end, kind):
        self.start, self.end, self.kind = start, end, kind


def _flatten(pieces, text):
    out = []
    for piece in pieces:
        out.append(text[piece.start:piece.end] if isinstance(piece, TextRun) else _flatten(piece.children, text))
    return "".join(out)


def test_nest_spans_keeps_text_and_offsets_for_crossing_spans():
    text = "0123456789abcdefghij"
    spans = [(0, _S(2, 10, "reworded")), (1, _S(5, 14, "loaded")), (2, _S(6, 7, "number")), (3, _S(14, 16, "entity"))]
    pieces = nest_spans(spans, 0, len(text))
    assert _flatten(pieces, text) == text
    frags = list(iter_fragments(pieces))
    for frag in frags:
        assert _flatten(frag.children, text) == text[frag.start:frag.end]
    covered = {}
    for frag in frags:
        covered.setdefault(frag.span_index, []).append((frag.start, frag.end))
    # the crossing 'loaded' span is split in two fragments that together cover it exactly
    assert sorted(covered[1]) == [(5, 10), (10, 14)]
    assert covered[0] == [(2, 10)] and covered[2] == [(6, 7)] and covered[3] == [(14, 16)]


def test_nest_spans_puts_the_longer_span_outside_and_clips_to_the_segment():
    text = "abcdefghij"
    spans = [(0, _S(3, 5, "loaded")), (1, _S(0, 10, "reworded"))]
    pieces = nest_spans(spans, 2, 8)
    assert len(pieces) == 1 and isinstance(pieces[0], Fragment) and pieces[0].span_index == 1
    assert (pieces[0].start, pieces[0].end) == (2, 8)
    inner = [p for p in pieces[0].children if isinstance(p, Fragment)]
    assert [(f.span_index, f.start, f.end) for f in inner] == [(0, 3, 5)]


# --- a tiny DOM from the standard library's HTML parser --------------------------------------------

from html.parser import HTMLParser  # noqa: E402

VOID = {"input", "meta", "br", "img", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}


class Node:
    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.all_tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.all_tags.append((tag, node.attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"badly nested </{tag}> inside <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(markup: str) -> tuple[Node, list[tuple[str, dict]]]:
    """(root, every start tag with its attributes); asserts the markup is well nested."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root, builder.all_tags
