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
import pyarrow as pa
import pyarrow.parquet as pq

from ..export.spreadsheet import EXCEL_BOM, safe_frame
from ..result import SpanKind
from .work import TMP_PREFIX, write_atomic

PAIR_META = ("outlet_a", "outlet_b", "lang_a", "lang_b", "date")
SPAN_COLUMNS = ("pair_id", *PAIR_META, "side", "outlet", "language", "kind", "start", "end", "text", "score",
                "sentence", "link", "label", "gloss", "counterpart_text", "source")
KIND_COLUMNS = tuple(f"n_{kind.value}" for kind in SpanKind)
PAIR_COLUMNS = ("pair_id", *PAIR_META, "title_a", "title_b", "sentences_a", "sentences_b", *KIND_COLUMNS,
                "share_a_omitted", "share_b_added", "frame_shift", "frame_gained", "frame_lost", "frames_a",
                "frames_b", "config_hash")
INT_SPAN_COLUMNS = ("start", "end", "sentence", "link")
SPAN_SCHEMA = pa.schema([(c, pa.int64() if c in INT_SPAN_COLUMNS else pa.float64() if c == "score" else pa.string())
                         for c in SPAN_COLUMNS])
CHUNK_ROWS = 50_000
TOTAL_SHIFT_KEYS = ("total_variation", "total", "distance", "score", "value")


def iter_results(pairs_dir: Path):
    """(pair id, result dict) of every finished pair, in id order."""
    for path in sorted(Path(pairs_dir).glob("*.json")):
        if not path.name.startswith("."):
            yield path.stem, json.loads(path.read_text(encoding="utf-8"))


def write_tables(out_dir: Path, *, csv_raw: bool = False) -> pd.DataFrame:
    """Write spans.parquet, spans.csv and pairs.csv from ``out_dir/pairs``; return the pairs table.

    Spans are streamed in chunks, so a corpus with millions of spans never sits in memory at once;
    each file is written under a temporary name and renamed into place. The CSVs are for
    spreadsheets: a byte-order mark, and text cells that would run as a formula get a ``'``
    (app/export/spreadsheet.py) unless ``csv_raw``; spans.parquet always has the text as it is.
    """
    out_dir = Path(out_dir)
    tmp_parquet, tmp_csv = out_dir / f"{TMP_PREFIX}spans.parquet", out_dir / f"{TMP_PREFIX}spans.csv"
    pair_rows: list[dict] = []
    chunk: list[dict] = []
    with pq.ParquetWriter(tmp_parquet, SPAN_SCHEMA) as parquet, open(tmp_csv, "w", encoding="utf-8",
                                                                     newline="") as csv_file:
        csv_file.write(("" if csv_raw else EXCEL_BOM) + ",".join(SPAN_COLUMNS) + "\n")
        for pair_id, data in iter_results(out_dir / "pairs"):
            meta = pair_meta(data)
            pair_rows.append(pair_row(pair_id, data, meta))
            chunk.extend(span_row(pair_id, span, meta) for span in data.get("spans", []))
            if len(chunk) >= CHUNK_ROWS:
                _write_chunk(chunk, parquet, csv_file, csv_raw=csv_raw)
                chunk = []
        _write_chunk(chunk, parquet, csv_file, csv_raw=csv_raw)
    tmp_parquet.replace(out_dir / "spans.parquet")
    tmp_csv.replace(out_dir / "spans.csv")
    pairs = pd.DataFrame(pair_rows, columns=list(PAIR_COLUMNS))
    pairs = pairs.astype({c: "Int64" for c in ("sentences_a", "sentences_b", *KIND_COLUMNS)})
    write_atomic(out_dir / "pairs.csv", ("" if csv_raw else EXCEL_BOM) + safe_frame(pairs, raw=csv_raw).to_csv(index=False))
    return pairs


def read_spans(out_dir: Path, *, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The spans table (only ``kinds``, when given) from spans.parquet."""
    filters = [("kind", "in", list(kinds))] if kinds else None
    return pd.read_parquet(Path(out_dir) / "spans.parquet", filters=filters)


def _write_chunk(rows: list[dict], parquet: pq.ParquetWriter, csv_file, *, csv_raw: bool = False) -> None:
    if not rows:
        return
    table = pa.Table.from_pylist(rows, schema=SPAN_SCHEMA)
    parquet.write_table(table)
    frame = pd.DataFrame(rows, columns=list(SPAN_COLUMNS)).astype({c: "Int64" for c in INT_SPAN_COLUMNS})
    safe_frame(frame, raw=csv_raw).to_csv(csv_file, header=False, index=False)


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
            "frame_shift": frame_shift(data), **frame_moves(data), "config_hash": data.get("config_hash")}


def span_row(pair_id: str, span: dict, meta: dict) -> dict:
    side = span.get("side")
    counterpart = span.get("counterpart") or {}
    return {"pair_id": pair_id, **{k: meta[k] for k in PAIR_META}, "side": side,
            "outlet": meta.get(f"outlet_{side}"), "language": meta.get(f"lang_{side}"),
            "kind": span.get("kind"), "start": span.get("start"), "end": span.get("end"), "text": span.get("text"),
            "score": span.get("score"), "sentence": span.get("sentence"), "link": span.get("link"),
            "label": span.get("label"), "gloss": span.get("gloss"), "counterpart_text": counterpart.get("text"),
            "source": (span.get("detail") or {}).get("source")}


def frame_shift(data: dict) -> float | None:
    """How far b's frame mix moved from a's: ``frames.total_variation`` (0 same mix, 1 disjoint).

    Read defensively: results without a frames block (older ones) give None; a block that only
    has the per-frame ``shift`` gives half the sum of its absolute values (the same quantity).
    """
    frames = data.get("frames")
    if not isinstance(frames, dict):
        return _number(data.get("frame_shift"))
    for key in TOTAL_SHIFT_KEYS:
        if (value := _number(frames.get(key))) is not None:
            return value
    shift = frames.get("shift")
    if isinstance(shift, dict):
        parts = [_number(v) for v in shift.values()]
        if parts and None not in parts:
            return round(sum(abs(v) for v in parts) / 2, 6)
        return _number(next((shift[k] for k in TOTAL_SHIFT_KEYS if k in shift), None))
    return _number(shift)


def frame_moves(data: dict) -> dict:
    """The frame that gained most share in b and the one that lost most, and each side's mix as JSON."""
    frames = data.get("frames")
    frames = frames if isinstance(frames, dict) else {}
    shift = {k: v for k, v in (frames.get("shift") or {}).items() if _number(v) is not None} \
        if isinstance(frames.get("shift"), dict) else {}
    gained = max(shift, key=shift.get, default=None)
    lost = min(shift, key=shift.get, default=None)
    return {"frame_gained": gained if gained is not None and shift[gained] > 0 else None,
            "frame_lost": lost if lost is not None and shift[lost] < 0 else None,
            "frames_a": _mix_json(frames.get("a")), "frames_b": _mix_json(frames.get("b"))}


def _mix_json(mix) -> str | None:
    if not isinstance(mix, dict):
        return None
    # Frames with no sentence are left out to keep the cell short; readers treat them as 0.
    return json.dumps({k: v for k, v in mix.items() if _number(v)}, ensure_ascii=False, sort_keys=True)


def _number(value) -> float | None:
    if isinstance(value, Number) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
