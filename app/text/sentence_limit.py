"""Over-long sentences cut into pieces, so that no later stage sees an unbounded one.

Sentence embedding and, above all, the word level (words × pieces matrices per
sentence, app/steps/words) cost the square of a sentence's length. Text without
sentence punctuation (a scraped table, unpunctuated Chinese, a hostile paste) is
one "sentence" as long as the text: 50,000 characters took 80 s and 7.4 GB before
this cap. Cutting at segmentation bounds every later stage without touching them:
the cost of an article becomes linear in its length (docs/robustness.md).

A piece ends at the best break within the limit: clause punctuation, else
whitespace, else a hard cut (never between a character and the marks that
combine with it). Offsets index the original text exactly; pieces are stripped.
"""

from __future__ import annotations

import re
import unicodedata

# Longest sentence (in characters) later stages see. Far above real news sentences (the longest in
# the project's rewrite and alignment benchmarks are under 500 characters), so ordinary text is
# never cut, and low enough that the word level's matrices for one sentence stay a few MB.
MAX_SENTENCE_CHARS = 600

# A break here ends a clause: Chinese and Latin commas, semicolons, colons and the enumeration comma.
_CLAUSE_END = re.compile(r"[，；、：,;:—]+[”」』》）)】\"'’]*")
_SPACE = re.compile(r"\s+")


def cap_sentence(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of ``text`` as pieces of at most ``limit`` characters (itself when short enough)."""
    pieces = []
    while end - start > limit:
        cut = _best_break(text, start, start + limit)
        piece = strip_span(text, start, cut)
        if piece[0] < piece[1]:
            pieces.append(piece)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append(strip_span(text, start, end))
    return pieces


def _best_break(text: str, start: int, stop: int) -> int:
    """Where to end a piece that starts at ``start`` and may not pass ``stop``.

    The last clause break in the second half of the window, else the last whitespace there, else
    either one anywhere in the window; a hard cut at ``stop`` only when the window has neither.
    """
    middle = start + (stop - start) // 2
    for pattern in (_CLAUSE_END, _SPACE):
        cut = _last_match_end(pattern, text, middle, stop)
        if cut is not None:
            return cut
    for pattern in (_CLAUSE_END, _SPACE):
        cut = _last_match_end(pattern, text, start + 1, stop)
        if cut is not None:
            return cut
    return _hard_cut(text, start, stop)


def _last_match_end(pattern: re.Pattern, text: str, lo: int, hi: int) -> int | None:
    last = None
    for match in pattern.finditer(text, lo, hi):
        last = match.end()
    return last


def _hard_cut(text: str, start: int, stop: int) -> int:
    """``stop``, moved back so a combining mark, joiner or variation selector stays with its base."""
    cut = stop
    while cut > start + 1 and _joins_previous(text[cut]):
        cut -= 1
    return cut if cut > start + 1 else stop


def _joins_previous(ch: str) -> bool:
    return (unicodedata.combining(ch) > 0 or unicodedata.category(ch) in ("Mn", "Me")
            or ch in "\u200d\ufe0e\ufe0f" or "\udc00" <= ch <= "\udfff")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
