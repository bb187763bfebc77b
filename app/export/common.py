"""What every exporter shares: kind names, pair ids, span nesting, reading optional blocks.

Nothing here recomputes a comparison; it only rearranges what the Result holds.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

from ..result import FramesRecord, Result, SpanKind, SpanRecord

# label, one-line description; also the order of the legend and of nesting ties
KIND_INFO: dict[str, tuple[str, str]] = {
    "added": ("Added", "In b with no counterpart in a"),
    "omitted": ("Omitted", "In a, left out of b"),
    "reworded": ("Reworded", "Aligned, but the meaning moved"),
    "loaded": ("Loaded term", "Emotive or evaluative wording"),
    "framing": ("Framing", "Framing device, e.g. scare quotes or 'so-called'"),
    "attribution": ("Attribution", "Who says it: the source or its attribution differs"),
    "number": ("Number", "A figure, date or amount that differs"),
    "entity": ("Entity", "A person, organisation or place that differs"),
}
SIDE_NAMES = {"a": "A · source", "b": "B · rewrite"}
# spans with difference false: wording both articles carry, drawn muted and never counted
SHARED_INFO = ("Wording both carry", "Shown muted; not a difference, never counted")


def all_kinds() -> list[str]:
    """Every kind the schema knows, legend order first; kinds added to SpanKind later come last."""
    known = [kind for kind in KIND_INFO if kind in {k.value for k in SpanKind}]
    return known + [k.value for k in SpanKind if k.value not in KIND_INFO]


def kind_value(kind) -> str:
    """The plain string of a SpanKind (or any str Enum, e.g. SentenceStatus)."""
    return str(getattr(kind, "value", kind))


def kind_label(kind) -> str:
    value = kind_value(kind)
    return KIND_INFO.get(value, (value.replace("_", " ").capitalize(), ""))[0]


def kind_rank(kind) -> int:
    kinds = all_kinds()
    value = kind_value(kind)
    return kinds.index(value) if value in kinds else len(kinds)


def spans_by_sentence(result: Result) -> dict[tuple[str, int], list[tuple[int, SpanRecord]]]:
    """(side, sentence index) → the (index, span) pairs overlapping that sentence, in span order.

    Found by character overlap, not by ``span.sentence`` alone, so a span crossing sentences is
    listed under each of them.
    """
    buckets: dict[tuple[str, int], list[tuple[int, SpanRecord]]] = {}
    starts = {side: [s.start for s in result.articles[side].sentences] for side in ("a", "b")}
    for index, span in enumerate(result.spans):
        sentences = result.articles[span.side].sentences
        pos = max(0, bisect.bisect_right(starts[span.side], span.start) - 1)
        while pos < len(sentences) and sentences[pos].start < span.end:
            if sentences[pos].end > span.start:
                buckets.setdefault((span.side, sentences[pos].index), []).append((index, span))
            pos += 1
    return buckets


def pair_id(result: Result) -> str:
    """A stable id for the article pair: the first 12 hex digits of SHA-256 over both texts."""
    digest = hashlib.sha256()
    digest.update(result.articles["a"].text.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(result.articles["b"].text.encode("utf-8"))
    return digest.hexdigest()[:12]


def kind_counts(result: Result) -> dict[str, int]:
    """Span counts for every kind (0 where none), as the result's summary holds them."""
    return {kind: 0 for kind in all_kinds()} | dict(result.summary.counts)


def is_quiet(span: SpanRecord) -> bool:
    """Not counted (``difference`` false): wording both articles carry, or a possible difference below the
    confidence threshold. Both are drawn muted."""
    return span.difference is False


def is_shared(span: SpanRecord) -> bool:
    """Wording both articles carry (``difference`` false, no confidence): shown muted, never counted."""
    return is_quiet(span) and span.confidence is None


def is_possible(span: SpanRecord) -> bool:
    """A possible difference: its confidence is below ``settings.min_confidence`` (shown muted, not counted)."""
    return is_quiet(span) and span.confidence is not None


def possible_total(result: Result) -> int:
    return sum(result.summary.possible.values())


def shared_spans(result: Result) -> list[SpanRecord]:
    """The shared-wording spans, in reading order per side (a first)."""
    return sorted((s for s in result.spans if is_shared(s)), key=lambda s: (s.side, s.start))


def shared_total(result: Result) -> int:
    shared = getattr(result.summary, "shared", None)
    return sum(shared.values()) if shared else sum(1 for s in result.spans if is_shared(s))


def span_note(span: SpanRecord) -> list[str]:
    """What a view says about a span, line by line: kind (and label), shared or possible, the reason, the gloss.

    The confidence is shown for possible differences only (app/steps/confidence.py): a counted span's
    reason says why it is there.
    """
    head = kind_label(span.kind) + (f" · {span.label.replace('_', ' ')}" if span.label else "")
    lines = [head]
    if is_shared(span):
        lines.append(f"{SHARED_INFO[0]}: not a difference")
    elif is_possible(span):
        lines.append(f"Possible difference (confidence {span.confidence:.0%}, below the threshold): not counted")
    if span.reason:
        lines.append(span.reason)
    if span.gloss and span.gloss not in (span.reason or ""):
        lines.append(f"gloss: {span.gloss}")
    return lines


def spans_of_kind(result: Result, kind: str) -> list[SpanRecord]:
    return [span for span in result.spans if kind_value(span.kind) == kind]


# Loaded spans that the lexicon extension caught (VADER valence, USE-m3 neighbours of lexicon seeds):
# scored lower, and listed apart from the lexicon's own terms in every view.
EXTENSION_SOURCES = frozenset({"valence", "neighbour"})


def is_extension_term(span: SpanRecord) -> bool:
    return (span.detail or {}).get("source") in EXTENSION_SOURCES


def loaded_terms(result: Result, *, extension: bool | None = None) -> list[SpanRecord]:
    """Loaded-term spans that mark a difference, in reading order per side (a first); loaded wording
    both sides carry is listed with the shared wording instead (:func:`shared_spans`).

    ``extension`` True/False keeps only the terms the lexicon extension caught / the others.
    """
    spans = [s for s in spans_of_kind(result, "loaded") if not is_quiet(s)
             and (extension is None or is_extension_term(s) == extension)]
    return sorted(spans, key=lambda s: (s.side, s.start))


def frames_block(result: Result) -> FramesRecord | None:
    """The result's frames; None in results saved before frames existed."""
    return result.frames


def frame_shift_items(frames: FramesRecord) -> list[tuple[str, float, float, float]]:
    """(frame, share in a, share in b, shift b - a) for every frame, in the record's order."""
    return [(name, frames.a.get(name, 0.0), frames.b.get(name, 0.0), delta) for name, delta in frames.shift.items()]


# --- nesting overlapping spans into well-formed fragments -------------------------------------

@dataclass(slots=True)
class Fragment:
    """A piece of one span inside one segment; ``children`` are text runs and nested fragments."""
    span_index: int
    start: int
    end: int
    children: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TextRun:
    start: int
    end: int


def nest_spans(spans: list[tuple[int, SpanRecord]], start: int, end: int) -> list:
    """Cut ``[start, end)`` into text runs and properly nested span fragments.

    Spans of different kinds may overlap in any way. Longer spans go outside; a span that
    crosses the edge of an inner one is split into several fragments, each with its own
    offsets, so the markup stays well formed and every fragment covers exactly
    ``text[fragment.start:fragment.end]``.
    """
    items = [(max(s.start, start), min(s.end, end), i, s) for i, s in spans
             if s.start < end and s.end > start and s.end > s.start]
    points = sorted({start, end, *(p for it in items for p in it[:2])})
    root: list = []
    stack: list[tuple[Fragment, int]] = []   # open fragments with their span's (clipped) end

    def close_from(depth: int, at: int) -> list[tuple[int, int]]:
        reopen = []
        while len(stack) > depth:
            frag, frag_end = stack.pop()
            frag.end = at
            (stack[-1][0].children if stack else root).append(frag)
            if frag_end > at:
                reopen.append((frag.span_index, frag_end))
        return reopen

    by_index = {i: span for i, span in spans}
    for here, nxt in zip(points, points[1:] + [None]):
        ending = [d for d, (_, frag_end) in enumerate(stack) if frag_end == here]
        reopen = close_from(min(ending), here) if ending else []
        starting = [(i, e) for s, e, i, _ in items if s == here]
        for index, span_end in sorted(reopen + starting,
                                      key=lambda t: (-t[1], kind_rank(by_index[t[0]].kind), t[0])):
            stack.append((Fragment(index, here, span_end), span_end))
        if nxt is not None and nxt > here:
            (stack[-1][0].children if stack else root).append(TextRun(here, nxt))
    close_from(0, end)
    return root


def iter_fragments(pieces: list):
    """Every fragment in a nested piece list, outer before inner."""
    for piece in pieces:
        if isinstance(piece, Fragment):
            yield piece
            yield from iter_fragments(piece.children)
