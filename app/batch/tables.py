"""The corpus tables, rebuilt from ``pairs/*.json``: one row per span, one row per pair.

Only reads results, through ``load_result`` (``Result.from_json``, validated; a damaged file is
E014 naming it, as for ``export``). A field a result does not have (``frames``, in results from
before frames existed) is None by the schema, not by guessing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..export.files import load_result
from ..export.spreadsheet import EXCEL_BOM, safe_frame
from ..result import FramesRecord, Result, SpanKind, SpanRecord
from .work import TMP_PREFIX, write_atomic

PAIR_META = ("outlet_a", "outlet_b", "lang_a", "lang_b", "date")
SPAN_COLUMNS = ("pair_id", *PAIR_META, "side", "outlet", "language", "kind", "start", "end", "text", "score",
                "sentence", "link", "label", "gloss", "counterpart_text", "source", "difference", "reason")
KIND_COLUMNS = tuple(f"n_{kind.value}" for kind in SpanKind)
PAIR_COLUMNS = ("pair_id", *PAIR_META, "title_a", "title_b", "sentences_a", "sentences_b", *KIND_COLUMNS,
                "share_a_omitted", "share_b_added", "frame_shift", "frame_gained", "frame_lost", "frames_a",
                "frames_b", "config_hash")
INT_SPAN_COLUMNS = ("start", "end", "sentence", "link")
SPAN_SCHEMA = pa.schema([(c, pa.int64() if c in INT_SPAN_COLUMNS else pa.float64() if c == "score"
                          else pa.bool_() if c == "difference" else pa.string()) for c in SPAN_COLUMNS])
CHUNK_ROWS = 50_000


def iter_results(pairs_dir: Path):
    """(pair id, Result) of every finished pair, in id order."""
    for path in sorted(Path(pairs_dir).glob("*.json")):
        if not path.name.startswith("."):
            yield path.stem, load_result(path)


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
        for pair_id, result in iter_results(out_dir / "pairs"):
            meta = pair_meta(result)
            pair_rows.append(pair_row(pair_id, result, meta))
            chunk.extend(span_row(pair_id, span, meta) for span in result.spans)
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


def pair_meta(result: Result) -> dict:
    meta_a, meta_b = result.articles["a"].meta, result.articles["b"].meta
    return {"outlet_a": meta_a.outlet, "outlet_b": meta_b.outlet,
            "lang_a": result.articles["a"].language, "lang_b": result.articles["b"].language,
            "date": meta_b.date or meta_a.date, "title_a": meta_a.title, "title_b": meta_b.title}


def pair_row(pair_id: str, result: Result, meta: dict) -> dict:
    summary = result.summary
    return {"pair_id": pair_id, **meta,
            "sentences_a": len(result.articles["a"].sentences), "sentences_b": len(result.articles["b"].sentences),
            **{f"n_{kind.value}": summary.counts.get(kind.value, 0) for kind in SpanKind},
            "share_a_omitted": summary.share_a_omitted, "share_b_added": summary.share_b_added,
            "frame_shift": result.frames.total_variation if result.frames else None,
            **frame_moves(result.frames), "config_hash": result.config_hash}


def span_row(pair_id: str, span: SpanRecord, meta: dict) -> dict:
    return {"pair_id": pair_id, **{k: meta[k] for k in PAIR_META}, "side": span.side,
            "outlet": meta[f"outlet_{span.side}"], "language": meta[f"lang_{span.side}"],
            "kind": span.kind.value, "start": span.start, "end": span.end, "text": span.text,
            "score": span.score, "sentence": span.sentence, "link": span.link, "label": span.label,
            "gloss": span.gloss, "counterpart_text": span.counterpart.text if span.counterpart else None,
            "source": (span.detail or {}).get("source"), "difference": span.difference, "reason": span.reason}


def frame_moves(frames: FramesRecord | None) -> dict:
    """The frame that gained most share in b and the one that lost most, and each side's mix as JSON."""
    if frames is None:
        return {"frame_gained": None, "frame_lost": None, "frames_a": None, "frames_b": None}
    gained = max(frames.shift, key=frames.shift.get, default=None)
    lost = min(frames.shift, key=frames.shift.get, default=None)
    return {"frame_gained": gained if gained is not None and frames.shift[gained] > 0 else None,
            "frame_lost": lost if lost is not None and frames.shift[lost] < 0 else None,
            "frames_a": _mix_json(frames.a), "frames_b": _mix_json(frames.b)}


def _mix_json(mix: dict[str, float]) -> str:
    # Frames with no sentence are left out to keep the cell short; readers treat them as 0.
    return json.dumps({k: v for k, v in mix.items() if v}, ensure_ascii=False, sort_keys=True)
