"""Views of a many-outlet result (app/many.py, framediff.many/1): the coverage matrix as HTML and CSV.

matrix.html is one self-contained page (no script, no external file): rows are the source's sentences,
columns the outlets, each cell coloured by status (kept / reworded / omitted) with the outlet's wording on
hover or keyboard focus (CSS only); rows for what outlets added follow, shared additions first; then each outlet's
findings side by side. All text comes from the articles and is escaped; none of it becomes markup.

matrix.csv has the same rows; every cell goes through the formula-safe rule of app/export/spreadsheet.py.
digest.txt is the story in plain text (:func:`many_digest`).
"""

from __future__ import annotations

import csv
import html
import io

from ..many import ManyResult
from .spreadsheet import EXCEL_BOM, safe_cell

STATUS_LABEL = {"kept": "kept", "reworded": "reworded", "omitted": "omitted", "added": "added"}
CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin-bottom:1.5em}
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top}
th{background:#eee;text-align:left}
td.src{max-width:36em}
td.cell{text-align:center;font-size:.9em;min-width:6em;position:relative}
td.cell .tip{display:none;position:absolute;z-index:2;top:100%;right:0;width:26em;background:#fff;color:#222;
  border:1px solid #888;padding:.4em .6em;text-align:left;font-size:1rem;box-shadow:0 2px 6px rgba(0,0,0,.25)}
td.cell:hover .tip,td.cell:focus .tip{display:block}
td.cell:focus{outline:2px solid #333}
td.cell .ch{display:block;font-weight:600;color:#7a2e00}
td.kept{background:#cfe8cf}
td.reworded{background:#fbe7a8}
td.omitted{background:#f4b9b9}
td.added{background:#b9d3f4}
td.none{background:#fafafa;color:#999}
tr.shared td.src{font-weight:600}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.4em;border:1px solid #bbb}
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _list(refs) -> str:
    return "; ".join(f"{r.text} ({r.counterpart})" if r.counterpart and len(r.counterpart) < 40 else r.text
                     for r in refs)


def _cell_html(outlet: str, status: str, wording: str, changes: list[str] = ()) -> str:
    """A status cell, naming the kinds of change the outlet made there; the outlet's wording (escaped) shows
    on hover or keyboard focus."""
    tip = f'<span class="tip">{_e(wording)}</span>' if wording else ""
    focus = ' tabindex="0"' if wording else ""
    marks = f'<span class="ch">{_e(", ".join(changes))}</span>' if changes else ""
    return (f'<td class="cell {status}{" changed" if changes else ""}" data-outlet="{_e(outlet)}"{focus}>'
            f'<span class="st">{STATUS_LABEL[status]}</span>{marks}{tip}</td>')


def matrix_html(many: ManyResult) -> str:
    names = [o.name for o in many.outlets]
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    lines = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>FrameDiff coverage: {_e(many.source_name)}</title><style>{CSS}</style></head><body>",
        f"<h1>Coverage of {_e(many.source_name)} by {len(names)} outlet{'s' if len(names) != 1 else ''}</h1>",
        f'<p class="choice">Source: {_e(many.source_name)} ({_e(many.source_choice.reason)}).</p>',
        '<p class="legend"><span style="background:#cfe8cf">kept</span>'
        '<span style="background:#fbe7a8">reworded</span><span style="background:#f4b9b9">omitted</span>'
        '<span style="background:#b9d3f4">added</span> Hover (or tab to) a cell for the outlet\'s wording.</p>',
        f'<table id="matrix"><thead><tr><th>#</th><th>{_e(many.source_name)}</th>{head}</tr></thead><tbody>',
    ]
    for row in many.rows:
        cells = []
        for name in names:
            cell = row.cells[name]
            marks = (["moved"] if cell.moved else []) + cell.changes
            cells.append(_cell_html(name, cell.status, (cell.text or "").strip(), marks))
        lines.append(f'<tr class="source" data-row="{row.index}"><td>{row.index + 1}</td>'
                     f'<td class="src">{_e(row.text)}</td>{"".join(cells)}</tr>')
    for k, group in enumerate(many.added):
        by_outlet: dict[str, list[str]] = {}
        for sent in group.sentences:
            by_outlet.setdefault(sent.outlet, []).append(sent.text.strip())
        label = "added by " + ", ".join(group.outlets)
        cells = []
        for name in names:
            if name in by_outlet:
                cells.append(_cell_html(name, "added", " ".join(by_outlet[name])))
            else:
                cells.append(f'<td class="cell none" data-outlet="{_e(name)}"></td>')
        first = group.sentences[0].text.strip()
        lines.append(f'<tr class="added{" shared" if group.shared else ""}" data-group="{k}"><td>+</td>'
                     f'<td class="src"><em>{_e(label)}:</em> {_e(first)}</td>{"".join(cells)}</tr>')
    lines.append("</tbody></table>")
    lines.append('<h2>Findings per outlet</h2><table id="findings"><thead><tr><th>outlet</th><th>omitted</th>'
                 "<th>added</th><th>moved</th><th>dropped hedges</th><th>dropped sources</th><th>added framing</th>"
                 "<th>loaded wording</th><th>number changes</th></tr></thead><tbody>")
    for outlet in many.outlets:
        f = outlet.findings
        numbers = [r for r in f.number_changes if r.side == "a"] or f.number_changes
        lines.append(f"<tr><td>{_e(outlet.name)}</td><td>{len(f.omitted)}</td><td>{len(f.added)}</td><td>{len(f.moved)}</td>"
                     f"<td>{_e(_list(f.dropped_hedges))}</td><td>{_e(_list(f.dropped_sources))}</td>"
                     f"<td>{_e(_list(f.added_framing))}</td><td>{_e(_list(f.added_loaded))}</td>"
                     f"<td>{_e(_list(numbers))}</td></tr>")
    lines.append("</tbody></table></body></html>")
    return "\n".join(lines) + "\n"


def matrix_rows(many: ManyResult) -> tuple[list[str], list[list]]:
    """Header and rows of the matrix table: one row per source sentence, then one per added group."""
    names = [o.name for o in many.outlets]
    header = ["row", "index", "source_text"]
    for name in names:
        header += [f"{name} status", f"{name} changes", f"{name} text"]
    rows = []
    for row in many.rows:
        out = ["source", row.index, row.text.strip()]
        for name in names:
            cell = row.cells[name]
            out += [cell.status, " ".join((["moved"] if cell.moved else []) + cell.changes), (cell.text or "").strip()]
        rows.append(out)
    for k, group in enumerate(many.added):
        by_outlet: dict[str, list[str]] = {}
        for sent in group.sentences:
            by_outlet.setdefault(sent.outlet, []).append(sent.text.strip())
        out = ["added (shared)" if group.shared else "added", k, ""]
        for name in names:
            out += (["added", "", " ".join(by_outlet[name])] if name in by_outlet else ["", "", ""])
        rows.append(out)
    return header, rows


def matrix_csv(many: ManyResult, *, raw: bool = False, excel: bool = False) -> str:
    header, rows = matrix_rows(many)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in [header, *rows]:
        writer.writerow([safe_cell(value, raw=raw) for value in line])
    return (EXCEL_BOM if excel else "") + buffer.getvalue()


def _q(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


def many_digest(many: ManyResult) -> str:
    """The story in plain text: coverage per outlet, shared additions, then who dropped or added what.

    Sentence numbers (#n) count from 1: the source's for coverage and findings on the source side."""
    n = len(many.rows)
    lines = [f"Story: {many.source_name} and {len(many.outlets)} outlet(s); source: {many.source_choice.reason}.",
             "", "Coverage of the source's sentences:"]
    for outlet in many.outlets:
        statuses = [row.cells[outlet.name].status for row in many.rows]
        omitted = [f"#{i + 1}" for i, st in enumerate(statuses) if st == "omitted"]
        lines.append(f"  {outlet.name}: {statuses.count('kept')} kept, {statuses.count('reworded')} reworded, "
                     f"{len(omitted)} omitted of {n}" + (f" ({', '.join(omitted)})" if omitted else "")
                     + f"; {len(outlet.findings.added)} sentence(s) added")
    shared = [g for g in many.added if g.shared]
    if shared:
        lines += ["", "Added by several outlets, not in the source (a common second source?):"]
        for group in shared:
            lines.append(f"  {', '.join(group.outlets)}: " + " / ".join(_q(s.text) for s in group.sentences))
    moved = [(o.name, ", ".join(f"#{i + 1}" for i in o.findings.moved)) for o in many.outlets if o.findings.moved]
    if moved:
        lines += ["", "Told out of the source's order:"]
        lines += [f"  {name}: {rows}" for name, rows in moved]
    sections = [("Dropped hedges", "dropped_hedges"), ("Dropped sources", "dropped_sources"),
                ("Added framing", "added_framing"), ("Added loaded wording", "added_loaded")]
    for title, field in sections:
        items = [(o.name, r) for o in many.outlets for r in getattr(o.findings, field)]
        if items:
            lines += ["", f"{title}:"]
            lines += [f"  {name}: {_q(r.text, 60)}" + (f" (source #{r.sentence + 1})" if r.side == "a" else "")
                      for name, r in items]
    numbers = [(o.name, r) for o in many.outlets for r in o.findings.number_changes if r.side == "a"]
    if numbers:
        lines += ["", "Number changes:"]
        lines += [f"  {name}: {_q(r.text, 60)} -> {_q(r.counterpart or '', 60)} (source #{r.sentence + 1})"
                  for name, r in numbers]
    return "\n".join(lines) + "\n"


def write_many(many: ManyResult, directory, *, raw: bool = False, excel: bool = False) -> list:
    """many.json, matrix.html, matrix.csv and digest.txt in ``directory`` (created); returns the paths written."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {"many.json": many.to_json(), "matrix.html": matrix_html(many),
             "matrix.csv": matrix_csv(many, raw=raw, excel=excel), "digest.txt": many_digest(many)}
    paths = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
