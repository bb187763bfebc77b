"""Every export format of a stored Result, written to a per-result temporary folder.

The formats and their rendering come from the exporter registry (app/export); this
module only decides where the files go. Gradio serves copies from its own cache,
which ``delete_cache`` on the Blocks cleans up.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from pathlib import Path

from ..export import exporter_names, get_exporter
from ..export.common import pair_id
from ..result import Result

_root: Path | None = None
LABELS = {"html": "HTML report", "json": "Save comparison (JSON)", "md": "Markdown report", "csv": "CSV spans",
          "wa": "Web Annotation", "digest": "What changed (text)"}


def export_root() -> Path:
    """One temporary folder per process, removed at exit."""
    global _root
    if _root is None:
        _root = Path(tempfile.mkdtemp(prefix="framediff-web-"))
        atexit.register(shutil.rmtree, _root, ignore_errors=True)
    return _root


FIRST = ("json", "html", "md", "digest", "csv")


def formats() -> list[str]:
    """Every registered export format: the JSON (the saved comparison, which "Open" reads back) first,
    then the reports people read, then the data formats."""
    names = exporter_names()
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def label(fmt: str) -> str:
    return f"⬇ {LABELS.get(fmt, fmt.upper())}"


# Formats that are data: written from the result exactly as it is. The reports people read are
# written from the copy the page shows (no "text given in the web UI" where a file name would be).
DATA_FORMATS = frozenset({"json", "csv", "wa"})


def write_exports(result: Result) -> dict[str, str]:
    """Write the result in every format; returns format → file path."""
    from .render import without_web_source

    folder = export_root() / uuid.uuid4().hex[:12]
    folder.mkdir()
    stem = f"framediff-{pair_id(result)}"
    shown = without_web_source(result)
    paths = {}
    for fmt in formats():
        exporter = get_exporter(fmt)
        path = folder / f"{stem}.{exporter.extension}"
        if path.exists():              # two formats with one extension (a plug-in's .txt): never overwrite
            path = folder / f"{stem}-{fmt}.{exporter.extension}"
        with open(path, "w", encoding="utf-8", newline="") as handle:     # excel: a download is opened in a
            handle.write(exporter.render(result if fmt in DATA_FORMATS else shown, excel=True))   # spreadsheet
        paths[fmt] = str(path)
    return paths
