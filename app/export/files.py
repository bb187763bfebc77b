"""Reading saved results and writing exports to files: the logic behind ``export`` and
``compare --format``. Nothing here prints; the CLI reports what was written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import error
from ..result import Result
from .registry import get_exporter


@dataclass(frozen=True, slots=True)
class ExportOutput:
    """One rendered export: where it goes (None = stdout) and its text."""
    format: str
    path: Path | None
    text: str


def parse_formats(spec: str) -> list[str]:
    """``"html,json"`` → ``["html", "json"]``; an unknown name raises E009."""
    names = list(dict.fromkeys(part.strip().lower() for part in spec.split(",") if part.strip()))
    for name in names:
        get_exporter(name)
    if not names:
        raise error("E009", what="export format", name=spec, choices="html, md, csv, json, wa")
    return names


def load_result(path: Path, *, shown_as: str | None = None) -> Result:
    """A saved result, validated; a missing file is E006, anything unreadable or invalid is E014.

    ``shown_as`` names the file in messages instead of its path (the web server's upload folder is
    nobody's business)."""
    if not path.is_file():
        raise error("E006", what="result file", path=shown_as or path)
    path_shown = shown_as or path
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error("E014", path=path_shown, detail=f"not JSON ({exc.__class__.__name__}: {exc})") from exc
    if not isinstance(data, dict):
        raise error("E014", path=path_shown, detail="the top level is not a JSON object")
    try:
        return Result.from_json(data, validate=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise error("E014", path=path_shown, detail=f"{where}: {first['msg']}{more}") from exc


def plan_outputs(formats: list[str], output: Path | None, *, stem: str) -> list[tuple[str, Path | None]]:
    """Where each format goes: stdout (one format, no -o), a file, or ``DIR/STEM.EXT``."""
    if output is None:
        if len(formats) > 1:
            raise error("E015", formats=",".join(formats), output="nothing")
        return [(formats[0], None)]
    is_dir = output.is_dir() or str(output).endswith(("/", "\\")) or len(formats) > 1
    if len(formats) > 1 and output.exists() and not output.is_dir():
        raise error("E015", formats=",".join(formats), output=f"the file {output}")
    if not is_dir:
        return [(formats[0], output)]
    return [(fmt, output / f"{stem}.{get_exporter(fmt).extension}") for fmt in formats]


def check_export_request(spec: str, output: Path | None, *, stem: str) -> None:
    """Raise the error a bad ``--format``/``-o`` pair would raise, without rendering anything."""
    plan_outputs(parse_formats(spec), output, stem=stem)


def render_exports(result: Result, *, formats: list[str], output: Path | None, stem: str,
                   excel: bool = False, csv_raw: bool = False) -> list[ExportOutput]:
    """Render every requested format; nothing is written yet."""
    return [ExportOutput(fmt, path, get_exporter(fmt).render(result, excel=excel, csv_raw=csv_raw))
            for fmt, path in plan_outputs(formats, output, stem=stem)]


def write_export(item: ExportOutput) -> None:
    """Write one export as UTF-8, keeping its line endings (CSV uses CRLF)."""
    item.path.parent.mkdir(parents=True, exist_ok=True)
    with open(item.path, "w", encoding="utf-8", newline="") as handle:
        handle.write(item.text)
