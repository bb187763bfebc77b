"""One CSV row per span, for spreadsheets and data analysis.

Columns: pair_id, side, kind, start, end, text, score, counterpart_side, counterpart_start,
counterpart_end, counterpart_text, sentence, link, label, gloss. ``excel=True`` adds a UTF-8
byte-order mark (so Excel reads Chinese correctly) and defuses cells that Excel would run as a
formula (leading = + - @ get a ``'``); leave it off when you need ``text`` byte-exact.
"""

from __future__ import annotations

import csv
import io

from ..result import Result
from .common import kind_value, pair_id
from .registry import register_exporter

COLUMNS = ("pair_id", "side", "kind", "start", "end", "text", "score", "counterpart_side",
           "counterpart_start", "counterpart_end", "counterpart_text", "sentence", "link", "label", "gloss")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def span_rows(result: Result) -> list[dict]:
    pid = pair_id(result)
    rows = []
    for span in result.spans:
        cp = span.counterpart
        rows.append({"pair_id": pid, "side": span.side, "kind": kind_value(span.kind), "start": span.start,
                     "end": span.end, "text": span.text, "score": f"{span.score:.4f}",
                     "counterpart_side": cp.side if cp else "", "counterpart_start": cp.start if cp else "",
                     "counterpart_end": cp.end if cp else "", "counterpart_text": cp.text if cp else "",
                     "sentence": span.sentence, "link": "" if span.link is None else span.link,
                     "label": span.label or "", "gloss": span.gloss or ""})
    return rows


def _defuse(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def render_csv(result: Result, *, excel: bool = False, **_options) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for row in span_rows(result):
        writer.writerow({k: _defuse(v) for k, v in row.items()} if excel else row)
    return ("\ufeff" if excel else "") + buffer.getvalue()


register_exporter("csv", render=render_csv, extension="csv", media_type="text/csv; charset=utf-8",
                  description="One row per span (offsets, text, score, counterpart, sentence).")
