"""One finding, one span: overlapping difference spans that say the same thing are merged.

The steps look at a pair from different angles, so one change can be caught several times: a
dropped source is both an ``attribution`` span and a run of omitted words; an evaluative sentence
b adds is an ``added`` sentence, an ``editorial_aside`` and three loaded terms. A reader should see
it once, named by the most specific step:

- a word-level added/omitted run overlapping a specific finding on the same side (attribution,
  number, entity, framing) is dropped: the specific span names what the words are;
- an added/omitted sentence that is exactly an editorial aside is dropped: the aside says b adds it
  and why it matters;
- loaded terms inside an aside stay visible as its wording but are not counted again
  (``difference`` false);
- a sentence one side has alone that only credits an outlet ("With AFP", "(路透社)") is a credit
  line, not content: shown, not counted.
"""

from __future__ import annotations

import re

from .outlets import names_outlet
from .tokendiff.lexical import is_han
from .result import SpanKind, SpanRecord

SPECIFIC = {SpanKind.ATTRIBUTION, SpanKind.NUMBER, SpanKind.ENTITY, SpanKind.FRAMING}


def merge(spans: list[SpanRecord]) -> list[SpanRecord]:
    """The spans with each finding reported once (see the module docstring)."""
    differences = [s for s in spans if s.difference]
    specific = [s for s in differences if s.kind in SPECIFIC]
    asides = [s for s in differences if s.kind is SpanKind.FRAMING and s.label == "editorial_aside"]
    out = []
    for span in spans:
        if not span.difference:
            out.append(span)
        elif span.label == "words" and any(_overlap(span, s) for s in specific):
            continue
        elif span.kind in (SpanKind.ADDED, SpanKind.OMITTED) and span.label is None and any(
                _same_range(span, s) for s in asides):
            continue
        elif span.kind in (SpanKind.ADDED, SpanKind.OMITTED) and span.label is None and is_credit_line(span.text):
            out.append(span.model_copy(update={
                "difference": False, "reason": "a credit line naming an outlet, not content of the story"}))
        elif span.kind is SpanKind.LOADED and any(_inside(span, s) for s in asides):
            aside = next(s for s in asides if _inside(span, s))
            out.append(span.model_copy(update={
                "difference": False,
                "reason": f"part of the evaluative passage {span.side} {_verb(span.side)}: '{_short(aside.text)}'"}))
        else:
            out.append(span)
    return out


def _overlap(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and x.start < y.end and y.start < x.end


def _same_range(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and (x.start, x.end) == (y.start, y.end)


def _inside(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and y.start <= x.start and x.end <= y.end


def _verb(side: str) -> str:
    return "adds" if side == "b" else "has"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


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
