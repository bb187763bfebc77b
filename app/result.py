"""The result object and its JSON form (schema ``framediff.result/1``).

Everything a view needs is here, so exporters and the web UI only read it.
Each article's text appears once; everything else points into it with half-open
character offsets ``[start, end)``. Spans name their kind with :class:`SpanKind`;
kinds are only ever added, never redefined.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "framediff.result/1"


class SpanKind(str, Enum):
    ADDED = "added"          # side b: content with no counterpart in a
    OMITTED = "omitted"      # side a: content with no counterpart in b
    REWORDED = "reworded"    # either side: aligned, but the meaning moved
    LOADED = "loaded"
    FRAMING = "framing"
    ATTRIBUTION = "attribution"
    NUMBER = "number"
    ENTITY = "entity"


class SentenceStatus(str, Enum):
    KEPT = "kept"
    REWORDED = "reworded"
    OMITTED = "omitted"   # side a only
    ADDED = "added"       # side b only


Side = Literal["a", "b"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Meta(_Model):
    outlet: str | None = None
    title: str | None = None
    author: str | None = Field(None, description="Byline, from the page or document when not given (docs/inputs.md).")
    url: str | None = None
    date: str | None = None
    source: str | None = None
    warnings: list[str] = Field(default_factory=list, description=(
        "How the text was read, when anything was doubtful: an encoding guessed, bytes or code points "
        "replaced by U+FFFD. Empty when the text was read as it is."))


class SentenceRecord(_Model):
    index: int
    start: int
    end: int
    status: SentenceStatus
    link: int | None = Field(None, description="Index into alignment.links, or null when unaligned.")
    translation: str | None = Field(None, description="Machine (or user) translation, when asked for.")
    translation_model: str | None = None


class ArticleRecord(_Model):
    language: str
    script: str | None = Field(None, description="'Hans' or 'Hant' for Chinese, else null.")
    format: str = "text"
    text: str = Field(description="The article text exactly as decoded; all offsets index it.")
    meta: Meta = Field(default_factory=Meta)
    sentences: list[SentenceRecord]


class LinkRecord(_Model):
    a: list[int] = Field(description="Sentence indices on side a.")
    b: list[int] = Field(description="Sentence indices on side b.")
    score: float
    status: SentenceStatus


class AlignmentRecord(_Model):
    links: list[LinkRecord]
    unaligned_a: list[int]
    unaligned_b: list[int]


class Counterpart(_Model):
    side: Side
    start: int
    end: int
    text: str
    sentences: list[int] = Field(default_factory=list)


class SpanRecord(_Model):
    side: Side
    start: int
    end: int
    text: str
    kind: SpanKind
    score: float
    sentence: int = Field(description="Index of the sentence (on this side) holding the span.")
    link: int | None = None
    counterpart: Counterpart | None = None
    difference: bool = Field(True, description="True when the span marks a difference between the articles: its "
                             "confidence is at least settings.min_confidence. False for wording both sides carry "
                             "(confidence null) and for possible differences below the threshold (confidence set); "
                             "neither is counted.")
    confidence: float | None = Field(None, description="Estimated probability that a careful reader calls this span a "
                                     "real difference (docs/reading-results.md#confidence); null for wording both "
                                     "sides carry.")
    reason: str | None = Field(None, description="One plain-English line saying why the span is there, "
                               "with the other side's evidence.")
    label: str | None = Field(None, description="Finer category, e.g. a lexicon category.")
    gloss: str | None = Field(None, description="Short English gloss, when one is known.")
    detail: dict | None = None


class PairVerdict(_Model):
    """What kind of relation the two articles have (app/steps/verdict.py), with the shares behind it."""

    label: Literal["close translation", "light edit", "rewrite", "different stories"]
    reason: str = Field(description="One plain line saying why.")
    shares: dict[str, float] = Field(description=(
        "Shares of characters: a_left_out, b_added, a_linked, b_linked, a_reworded."))
    telling_changes: int = Field(0, description="Counted framing, loaded-wording and attribution changes.")


class Summary(_Model):
    counts: dict[str, int] = Field(description="Number of difference spans of each kind (shared wording not counted).")
    shared: dict[str, int] = Field(default_factory=dict,
                                   description="Number of spans of each kind that both articles carry (difference false).")
    possible: dict[str, int] = Field(default_factory=dict, description=(
        "Number of possible differences of each kind: spans whose confidence is below settings.min_confidence "
        "(shown lighter, not counted)."))
    sentences_a: dict[str, int]
    sentences_b: dict[str, int]
    share_a_omitted: float = Field(description="Share of side a's characters in omitted sentences.")
    share_b_added: float = Field(description="Share of side b's characters in added sentences.")


class FramesRecord(_Model):
    """Share of each side's sentences on each Media Frames Corpus frame, and the shift between sides."""

    a: dict[str, float] = Field(description="Frame -> share of side a's sentences (sums to 1).")
    b: dict[str, float] = Field(description="Frame -> share of side b's sentences (sums to 1).")
    shift: dict[str, float] = Field(description="Frame -> share in b minus share in a.")
    total_variation: float = Field(description="Half the sum of absolute shifts: 0 = same mix, 1 = disjoint.")
    sentences_a: list[str] = Field(default_factory=list, description="Frame of each sentence of a (the sentences of a kept link share one).")
    sentences_b: list[str] = Field(default_factory=list, description="Frame of each sentence of b (the sentences of a kept link share one).")


class Result(_Model):
    schema_version: Literal["framediff.result/1"] = SCHEMA_VERSION
    framediff_version: str
    signature: str
    config_hash: str
    settings: dict
    articles: dict[Side, ArticleRecord]
    alignment: AlignmentRecord
    spans: list[SpanRecord]
    summary: Summary
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per pipeline step.")
    frames: FramesRecord | None = Field(None, description="Frames per article (optional; absent in older results).")
    verdict: PairVerdict | None = Field(None, description=(
        "What kind of relation the articles have: close translation, light edit, rewrite or different stories "
        "(absent in older results)."))

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: str | bytes | dict, *, validate: bool = True) -> "Result":
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        if validate:
            return cls.model_validate(data)
        return cls.model_construct(**data)

    def spans_of(self, kind: SpanKind | str, side: Side | None = None) -> list[SpanRecord]:
        kind = SpanKind(kind)
        return [s for s in self.spans if s.kind == kind and (side is None or s.side == side)]


def json_schema() -> dict:
    schema = Result.model_json_schema()
    schema["$id"] = "https://framediff.invalid/schemas/result-1.json"
    schema["title"] = "FrameDiff result (framediff.result/1)"
    return schema
