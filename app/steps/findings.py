"""One finding, one span: overlapping difference spans that say the same thing are merged.

The steps look at a pair from different angles, so one change can be caught several times: a
dropped source is both an ``attribution`` span and a run of omitted words; an evaluative sentence
b adds is an ``added`` sentence, an ``editorial_aside`` and three loaded terms. A reader should see
it once, named by the most specific step:

- a word-level added/omitted run overlapping a specific finding on the same side (attribution,
  number, entity, framing) is dropped: the specific span names what the words are;
- a word-level run inside a sentence reported as reworded is dropped: "most of this passage has no
  counterpart" already says it, from the same word scores;
- an added/omitted sentence that is exactly an editorial aside is dropped: the aside says b adds it
  and why it matters;
- loaded terms inside an aside stay visible as its wording but are not counted again
  (``difference`` false);
- a sentence one side has alone that only credits an outlet ("With AFP", "(路透社)") is a credit
  line, not content: shown, not counted.
"""

from __future__ import annotations

import re

from ..text.chinese import is_han
from .classify import quote
from .framing import FramingSpans
from ..lexicons.outlets import names_outlet
from ..result import SpanKind, SpanRecord

SPECIFIC = {SpanKind.ATTRIBUTION, SpanKind.NUMBER, SpanKind.ENTITY, SpanKind.FRAMING}


def merge(*, sentences: list[SpanRecord], words: list[SpanRecord], framing: FramingSpans,
          facts: list[SpanRecord]) -> list[SpanRecord]:
    """Every step's spans, in step order, with each finding reported once (see the module docstring)."""
    specific = [s for s in (*framing.terms, *framing.asides, *facts) if s.difference and s.kind in SPECIFIC]
    reworded = [s for s in sentences if s.difference and s.kind is SpanKind.REWORDED]
    asides = [s for s in framing.asides if s.difference]
    return [*_kept(_sentence_span(s, asides) for s in sentences),
            *(s for s in words if not (s.difference and (any(_overlap(s, x) for x in specific)
                                                         or any(_inside(s, x) for x in reworded)))),
            *(_term_span(s, asides) for s in framing.terms), *framing.asides, *facts]


def _kept(spans) -> list[SpanRecord]:
    return [s for s in spans if s is not None]


def _sentence_span(span: SpanRecord, asides: list[SpanRecord]) -> SpanRecord | None:
    """None for a sentence that is exactly an aside; a credit line stays visible but is not counted."""
    if not span.difference or span.kind not in (SpanKind.ADDED, SpanKind.OMITTED):
        return span
    if any(_same_range(span, s) for s in asides):
        return None
    if is_credit_line(span.text):
        return span.model_copy(update={
            "difference": False, "reason": "a credit line naming an outlet, not content of the story"})
    return span


def _term_span(span: SpanRecord, asides: list[SpanRecord]) -> SpanRecord:
    """A loaded term inside an aside is its wording, not counted again."""
    aside = next((s for s in asides if _inside(span, s)), None)
    if not span.difference or span.kind is not SpanKind.LOADED or aside is None:
        return span
    return span.model_copy(update={
        "difference": False,
        "reason": f"part of the evaluative passage {span.side} {_verb(span.side)}: '{quote(aside.text, 60)}'"})


def _overlap(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and x.start < y.end and y.start < x.end


def _same_range(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and (x.start, x.end) == (y.start, y.end)


def _inside(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and y.start <= x.start and x.end <= y.end


def _verb(side: str) -> str:
    return "adds" if side == "b" else "has"


_WORD = re.compile(r"[^\W\d_]+")
CREDIT_MAX_WORDS = 4


_BYLINE = re.compile(r"(?i)^\W*(?:additional\s+)?(?:reporting|writing|editing|compiled|edited|written)\s+by\b")


def is_credit_line(text: str) -> bool:
    """A short line that names an outlet and little else ("With AFP"), or a wire's byline credit
    ("Reporting by ...; Editing by ...")."""
    if _BYLINE.match(text):
        return True
    words = _WORD.findall(text)
    han = sum(len(w) for w in words if is_han(w))
    return names_outlet(text) and len(words) - (1 if han else 0) + han // 4 <= CREDIT_MAX_WORDS

