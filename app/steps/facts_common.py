"""Pieces shared by the fact checks (numbers, attribution, entities): items found in a sentence, spans."""

from __future__ import annotations

from dataclasses import dataclass

from .classify import group_counterpart
from ..result import Counterpart, SpanRecord


@dataclass(frozen=True, slots=True)
class Item:
    """Something found in a sentence: a quantity, a source or an entity."""

    sentence: int
    start: int
    end: int
    key: str          # unit for quantities, class for sources, canonical name for entities
    value: float | str | None = None


def rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def fact_span(article, side, item: Item, link, kind, score, other, other_item: Item, detail, label=None):
    cp = Counterpart(side="b" if side == "a" else "a", start=other_item.start, end=other_item.end,
                     text=other.text[other_item.start:other_item.end], sentences=[other_item.sentence])
    return SpanRecord(side=side, start=item.start, end=item.end, text=article.text[item.start:item.end], kind=kind,
                      score=score, sentence=item.sentence, link=link, counterpart=cp, label=label or item.key,
                      detail=detail)


def group_fact_span(article, side, item: Item, link, kind, score, other, other_ids, detail, label=None):
    cp = group_counterpart(other, "b" if side == "a" else "a", tuple(other_ids))
    return SpanRecord(side=side, start=item.start, end=item.end, text=article.text[item.start:item.end], kind=kind,
                      score=score, sentence=item.sentence, link=link, counterpart=cp, label=label or item.key,
                      detail=detail)

