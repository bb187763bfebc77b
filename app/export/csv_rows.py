"""One CSV row per span, for spreadsheets and data analysis.

Columns: pair_id, side, kind, start, end, text, score, counterpart_side, counterpart_start,
counterpart_end, counterpart_text, sentence, link, label, gloss, difference, confidence, reason.
``difference`` is ``true`` for a counted difference and ``false`` for wording both articles carry
and for possible differences below the confidence threshold (neither counted); ``confidence`` is
the estimated probability that the span is a real difference (empty for shared wording); ``reason``
is the span's plain-English explanation. ``score`` is the raw span score as the JSON holds it. Cells that a spreadsheet would
run as a formula (leading = + - @, tab, CR) get a ``'`` (app/export/spreadsheet.py) unless
``csv_raw=True`` asks for ``text`` byte-exact; ``excel=True`` adds a UTF-8 byte-order mark (so
Excel reads Chinese correctly).
"""

from __future__ import annotations

import csv
import io

from ..result import Result
from .common import kind_value, pair_id
from .registry import register_exporter
from .spreadsheet import EXCEL_BOM, safe_row

COLUMNS = ("pair_id", "side", "kind", "start", "end", "text", "score", "counterpart_side",
           "counterpart_start", "counterpart_end", "counterpart_text", "sentence", "link", "label", "gloss",
           "difference", "confidence", "reason")


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
                     "label": span.label or "", "gloss": span.gloss or "",
                     "difference": "true" if span.difference else "false",
                     "confidence": "" if span.confidence is None else f"{span.confidence:.4f}",
                     "reason": span.reason or ""})
    return rows


def render_csv(result: Result, *, excel: bool = False, csv_raw: bool = False, **_options) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for row in span_rows(result):
        writer.writerow(safe_row(row, raw=csv_raw))
    return (EXCEL_BOM if excel else "") + buffer.getvalue()


register_exporter("csv", render=render_csv, extension="csv", media_type="text/csv; charset=utf-8",
                  description="One row per span (offsets, text, counterpart, sentence, difference, reason).")
