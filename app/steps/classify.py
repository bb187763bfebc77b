"""Sentence classes from the alignment, and the sentence-level spans they produce.

A link scoring at least the 'kept' threshold keeps its sentences; below it they
are reworded. Unaligned sentences are omitted (side a) or added (side b).
Cross-lingual similarities run lower than monolingual ones for the same meaning,
so each has its own threshold (calibrated by ``python -m bench calibrate``).
"""

from __future__ import annotations

from typing import Sequence

from .align import Alignment
from ..text.article import Article
from ..result import Counterpart, SentenceStatus, SpanKind, SpanRecord
from ..settings import Settings


def kept_threshold(article_a: Article, article_b: Article, settings: Settings) -> float:
    same = article_a.language == article_b.language
    return settings.kept_threshold_mono if same else settings.kept_threshold_cross


def link_statuses(alignment: Alignment, threshold: float,
                  supported: dict[str, Sequence[bool]] | None = None) -> list[SentenceStatus]:
    """Kept when the link scores at least ``threshold`` and, given ``supported`` (side -> whether each
    sentence's content has a counterpart on the other side, app/steps/support.py), every sentence of it is."""
    def kept(link) -> bool:
        if link.score < threshold:
            return False
        return supported is None or all(supported["a"][i] for i in link.a) and all(supported["b"][j] for j in link.b)
    return [SentenceStatus.KEPT if kept(link) else SentenceStatus.REWORDED for link in alignment.links]


def sentence_statuses(alignment: Alignment, statuses: list[SentenceStatus], side: str
                      ) -> list[SentenceStatus]:
    mapping = alignment.a_to_b if side == "a" else alignment.b_to_a
    unaligned = SentenceStatus.OMITTED if side == "a" else SentenceStatus.ADDED
    return [unaligned if k is None else statuses[k] for k in mapping]


def group_counterpart(article: Article, side: str, sentence_ids: tuple[int, ...]) -> Counterpart:
    first, last = article.sentences[min(sentence_ids)], article.sentences[max(sentence_ids)]
    return Counterpart(side=side, start=first.start, end=last.end,
                       text=article.text[first.start:last.end],
                       sentences=sorted(sentence_ids))


def sentence_spans(article_a: Article, article_b: Article, alignment: Alignment,
                   statuses: list[SentenceStatus],
                   supported: dict[str, Sequence[bool]] | None = None) -> list[SpanRecord]:
    """One span per omitted, added or reworded sentence.

    A reworded sentence is a difference when the other side does not support its content (``supported``,
    app/steps/support.py); one whose content the other side carries in other words is shown, not counted:
    the word spans inside say what differs.
    """
    spans: list[SpanRecord] = []
    for side, article, other, mapping in (("a", article_a, article_b, alignment.a_to_b),
                                          ("b", article_b, article_a, alignment.b_to_a)):
        other_name = "b" if side == "a" else "a"
        for i, sent in enumerate(article.sentences):
            k = mapping[i]
            difference = True
            if k is None:
                kind, score, counterpart = (SpanKind.OMITTED if side == "a" else SpanKind.ADDED), 1.0, None
                reason = ("b adds this passage; a has no counterpart for it" if side == "b"
                          else "b has no counterpart for this passage of a")
            elif statuses[k] is SentenceStatus.REWORDED:
                link = alignment.links[k]
                other_ids = link.b if side == "a" else link.a
                kind, score = SpanKind.REWORDED, round(1.0 - link.score, 4)
                counterpart = group_counterpart(other, other_name, other_ids)
                shown = quote(counterpart.text)
                difference = supported is None or not supported[side][i]
                reason = (f"most of this passage has no counterpart in {other_name}'s matching passage: '{shown}'"
                          if difference else f"{other_name} says this in other words: '{shown}'")
            else:
                continue
            spans.append(SpanRecord(side=side, start=sent.start, end=sent.end,
                                    text=article.text[sent.start:sent.end], kind=kind, score=score,
                                    sentence=i, link=k, counterpart=counterpart, difference=difference,
                                    reason=reason))
    return spans


def quote(text: str, limit: int = 80) -> str:
    """A passage shortened for a one-line reason."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
