"""Cells safe to open in a spreadsheet: the one rule every CSV FrameDiff writes goes through.

Article text is untrusted: a line such as ``=HYPERLINK("http://…")`` or ``@SUM(…)`` in an
article or an outlet name would run as a live formula when the CSV is opened in Excel or
LibreOffice. Following OWASP's "CSV injection" advice, a text cell that starts with
``= + - @``, a tab or a carriage return gets a leading single quote, which spreadsheets take
as "this cell is text" and do not show. Numbers stay numbers. The raw form (text byte for byte)
is written only when asked for (``--csv-raw``); ``spans.parquet`` is always raw.

Used by the compare/export CSV (app/export/csv_rows.py), the web UI's download (which also
gets the byte-order mark, ``EXCEL_BOM``, so Excel reads the UTF-8 as UTF-8) and the batch
tables (app/batch/tables.py).
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel opens a UTF-8 CSV as the local legacy code page unless it starts with this mark.
EXCEL_BOM = "\ufeff"


def safe_cell(value, *, raw: bool = False):
    """``value`` as a spreadsheet must receive it: text starting like a formula gets a ``'``."""
    if not raw and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: dict, *, raw: bool = False) -> dict:
    return {key: safe_cell(value, raw=raw) for key, value in row.items()}


def safe_frame(frame, *, raw: bool = False):
    """A pandas DataFrame with every text cell passed through :func:`safe_cell` (a copy)."""
    if raw:
        return frame
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].map(safe_cell, na_action="ignore")
    return frame
