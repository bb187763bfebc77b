"""The corpus tables, rebuilt from ``pairs/*.json``: one row per span, one row per pair.

Only reads results. Fields other helpers add later (the per-article frames block)
are read defensively and come out empty when a result does not have them.
"""

from __future__ import annotations

import json
import math
from numbers import Number
from pathlib import Path

import pandas as pd

from ..result import SpanKind
from .work import write_atomic

PAIR_META = ("outlet_a", "outlet_b", "lang_a", "lang_b", "date")
SPAN_COLUMNS = ("pair_id", *PAIR_META, "side", "outlet", "language", "kind", "start", "end", "text", "score",
                "sentence", "link", "label", "gloss", "counterpart_text")
KIND_COLUMNS = tuple(f"n_{kind.value}" for kind in SpanKind)
PAIR_COLUMNS = ("pair_id", *PAIR_META, "title_a", "title_b", "sentences_a", "sentences_b", *KIND_COLUMNS,
                "share_a_omitted", "share_b_added", "frame_shift", "config_hash")
SHIFT_KEYS = ("shift", "frame_shift", "score", "value", "distance", "magnitude", "total")


def build_tables(pairs_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    pair_rows: list[dict] = []
    span_rows: list[dict] = []
    for path in sorted(Path(pairs_dir).glob("*.json")):
        if path.name.startswith("."):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = pair_meta(data)
        pair_rows.append(pair_row(path.stem, data, meta))
        span_rows.extend(span_row(path.stem, span, data, meta) for span in data.get("spans", []))
    pairs = pd.DataFrame(pair_rows, columns=list(PAIR_COLUMNS))
    spans = pd.DataFrame(span_rows, columns=list(SPAN_COLUMNS))
    return pairs.astype({c: "Int64" for c in ("sentences_a", "sentences_b", *KIND_COLUMNS)}), \
        spans.astype({c: "Int64" for c in ("start", "end", "sentence", "link")})


def pair_meta(data: dict) -> dict:
    articles = data.get("articles", {})
    meta_a = articles.get("a", {}).get("meta") or {}
    meta_b = articles.get("b", {}).get("meta") or {}
    return {"outlet_a": meta_a.get("outlet"), "outlet_b": meta_b.get("outlet"),
            "lang_a": articles.get("a", {}).get("language"), "lang_b": articles.get("b", {}).get("language"),
            "date": meta_b.get("date") or meta_a.get("date"),
            "title_a": meta_a.get("title"), "title_b": meta_b.get("title")}


def pair_row(pair_id: str, data: dict, meta: dict) -> dict:
    summary = data.get("summary", {})
    counts = summary.get("counts", {})
    articles = data.get("articles", {})
    return {"pair_id": pair_id, **meta,
            "sentences_a": len(articles.get("a", {}).get("sentences", [])),
            "sentences_b": len(articles.get("b", {}).get("sentences", [])),
            **{f"n_{kind.value}": int(counts.get(kind.value, 0)) for kind in SpanKind},
            "share_a_omitted": summary.get("share_a_omitted"), "share_b_added": summary.get("share_b_added"),
            "frame_shift": frame_shift(data), "config_hash": data.get("config_hash")}


def span_row(pair_id: str, span: dict, data: dict, meta: dict) -> dict:
    side = span.get("side")
    counterpart = span.get("counterpart") or {}
    return {"pair_id": pair_id, **{k: meta[k] for k in PAIR_META}, "side": side,
            "outlet": meta.get(f"outlet_{side}"), "language": meta.get(f"lang_{side}"),
            "kind": span.get("kind"), "start": span.get("start"), "end": span.get("end"), "text": span.get("text"),
            "score": span.get("score"), "sentence": span.get("sentence"), "link": span.get("link"),
            "label": span.get("label"), "gloss": span.get("gloss"), "counterpart_text": counterpart.get("text")}


def frame_shift(data: dict) -> float | None:
    """The frame shift between the two sides, if the result carries a frames block (else None)."""
    frames = data.get("frames")
    candidates = [data.get("frame_shift")]
    if isinstance(frames, dict):
        candidates += [frames.get(key) for key in SHIFT_KEYS]
    for value in candidates:
        if isinstance(value, dict):
            value = next((value[k] for k in SHIFT_KEYS if isinstance(value.get(k), Number)), None)
        if isinstance(value, Number) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return None


def write_tables(out_dir: Path, *, pairs: pd.DataFrame, spans: pd.DataFrame) -> None:
    """spans.parquet, spans.csv and pairs.csv, each replaced atomically."""
    write_atomic(out_dir / "pairs.csv", pairs.to_csv(index=False))
    write_atomic(out_dir / "spans.csv", spans.to_csv(index=False))
    tmp = out_dir / ".tmp-spans.parquet"
    spans.to_parquet(tmp, index=False)
    tmp.replace(out_dir / "spans.parquet")
