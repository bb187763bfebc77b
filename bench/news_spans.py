"""Shared pieces of `bench news`: which spans count, character overlap, sentence mapping, AUC.

Everything works on character ranges ``(start, end)``, half-open, into one
article's text, which is how :class:`app.result.SpanRecord` and the benchmarks'
gold annotations both point into the text.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

Range = tuple[int, int]


def is_difference(span) -> bool:
    """A span counts when it marks a difference; shared wording carries ``difference=False``.

    Results written before SpanRecord had the field count every span.
    """
    return bool(getattr(span, "difference", True))


def difference_spans(result, side: str | None = None, kinds: Iterable[str] | None = None) -> list:
    kinds = None if kinds is None else set(kinds)
    return [s for s in result.spans if is_difference(s) and (side is None or s.side == side)
            and (kinds is None or kind_name(s) in kinds)]


def kind_name(span) -> str:
    return getattr(span.kind, "value", span.kind)


def span_class(span) -> str:
    """The span's kind, with word-level runs told apart from whole sentences ("added words")."""
    return kind_name(span) + (" words" if getattr(span, "label", None) == "words" else "")


def overlap(first: Range, second: Range) -> int:
    """Characters the two ranges share."""
    return max(0, min(first[1], second[1]) - max(first[0], second[0]))


def touches(span: Range, target: Range) -> bool:
    """The span shares a character with the target (an empty span: it sits inside the target)."""
    if span[0] == span[1]:
        return target[0] <= span[0] < target[1]
    return overlap(span, target) > 0


def share_inside(span: Range, targets: Iterable[Range]) -> float:
    """Share of the span's characters inside the (disjoint) targets; an empty span counts 1 if it sits inside one."""
    if span[0] == span[1]:
        return float(any(touches(span, t) for t in targets))
    return sum(overlap(span, t) for t in targets) / (span[1] - span[0])


def covered_chars(spans: Iterable[Range], target: Range) -> int:
    """Characters of the target covered by the union of the spans."""
    clipped = sorted((max(s, target[0]), min(e, target[1])) for s, e in spans)
    covered, reach = 0, target[0]
    for start, end in clipped:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered


def best_unit(sentence: Range, units: Sequence[Range]) -> int | None:
    """Index of the unit holding most of the sentence's characters (first on ties), None when none does."""
    shares = [overlap(sentence, unit) for unit in units]
    if not shares or max(shares) == 0:
        return None
    return int(np.argmax(shares))


def map_sentences(result, side: str, units: Sequence[Range]) -> list[int | None]:
    """For each of the tool's sentences on ``side``, the unit (segment, gold sentence) it belongs to."""
    return [best_unit((s.start, s.end), units) for s in result.articles[side].sentences]


def ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None
