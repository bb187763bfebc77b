"""Literal insertions in edited copies: within one language, phrases the other side lacks word for word.

USE-m3 word scores judge meaning, and within one language they lean on the
similarity of the whole sentence: a six-word appositive inserted into an
otherwise identical sentence ("its new inhaler, an unprecedented and utterly
historic breakthrough, cut ...") scores only .19-.34 against a threshold of .40.
When two linked sentence groups share most of their words (an edited copy, not a
paraphrase), a run of ``min_run`` or more consecutive words none of which occurs
on the other side is an insertion whatever it means. Shorter runs are left to the
model: one or two changed words are usually a substitution (held -> detained).
"""

from __future__ import annotations

from collections.abc import Sequence

from .word_evidence import stem

EDITED_COPY = 0.5    # Dice share of shared words above which two groups count as an edited copy


def word_key(word: str, language: str) -> str:
    """What must be equal for two words to count as the same (English inflections fold together)."""
    low = word.lower()
    return stem(low) if language == "en" else low


def shared_share(keys: Sequence[str], other: Sequence[str]) -> float:
    """Dice coefficient over the two sides' words: 2 x words found on the other side / all words."""
    if not keys and not other:
        return 1.0
    mine, theirs = set(keys), set(other)
    found = sum(1 for k in keys if k in theirs) + sum(1 for k in other if k in mine)
    return found / (len(keys) + len(other))


def literal_insertions(keys: Sequence[str | None], other: Sequence[str], *, min_run: int) -> list[int]:
    """Positions of words in runs of at least ``min_run`` consecutive words absent from ``other``.

    ``keys`` holds one key per token, None for punctuation (it neither breaks nor extends a run).
    """
    theirs = set(other)
    out: list[int] = []
    run: list[int] = []
    for pos, key in enumerate(list(keys) + [""]):      # the sentinel "" closes the last run
        if key is None:
            continue
        if key and key not in theirs:
            run.append(pos)
            continue
        if len(run) >= min_run:
            out.extend(run)
        run = []
    return out
