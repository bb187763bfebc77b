"""Each span's confidence: the estimated probability that a careful reader calls it a real difference.

Two sources, one scale:

- added/omitted **word runs** scored by the fitted word model (app/steps/words/word_model.py):
  the mean of their words' probabilities, which are calibrated on 29,750 rated news segments
  (reliability table in docs/benchmarks-news.md);
- **every other span** (whole sentences, loaded terms, framing, attribution, numbers, names):
  the share of spans of its class that people marked right on the annotated rewrite pairs,
  smoothed towards one half (``corpora/models/span_confidence.json``, rebuilt by
  ``python -m bench.span_confidence --write``; its hash joins the signature).

A span whose confidence reaches ``Settings.min_confidence`` is a difference; below it, it stays
in the result as a *possible* difference: drawn lighter, listed apart, never counted. Wording both
sides carry keeps ``difference`` false and no confidence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..result import SpanRecord

TABLE_PATH = Path(__file__).resolve().parents[2] / "corpora" / "models" / "span_confidence.json"
FORMAT = "framediff.span-confidence/1"


def span_class(span: SpanRecord) -> str:
    """The span's kind, with word runs told apart from whole sentences ("omitted words")."""
    return span.kind.value + (" words" if span.label == "words" else "")


@dataclass(frozen=True)
class ConfidenceTable:
    classes: dict[str, float]       # span class -> confidence
    default: float                  # a class the table has not seen
    sha256: str

    def of(self, span: SpanRecord) -> float:
        detail = span.detail or {}
        if span.label == "words" and detail.get("scored_by") == "word_model":
            return round(float(span.score), 4)
        return self.classes.get(span_class(span), self.default)


def read_table(path: Path = TABLE_PATH) -> ConfidenceTable:
    raw = path.read_bytes()
    spec = json.loads(raw)
    if spec.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file")
    return ConfidenceTable({name: float(row["confidence"]) for name, row in spec["classes"].items()},
                           float(spec["default"]), hashlib.sha256(raw).hexdigest())


@cache
def confidence_table() -> ConfidenceTable:
    """The shipped table, read once per process."""
    return read_table()


def with_confidence(spans: list[SpanRecord], min_confidence: float,
                    table: ConfidenceTable | None = None) -> list[SpanRecord]:
    """The spans with their confidence set and ``difference`` decided by ``min_confidence``."""
    table = table or confidence_table()
    out = []
    for span in spans:
        if not span.difference:                 # wording both sides carry, or a credit line: not a claim
            out.append(span)
            continue
        confidence = table.of(span)
        out.append(span.model_copy(update={"confidence": confidence, "difference": confidence >= min_confidence}))
    return out
