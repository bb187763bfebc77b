"""Every export format of a stored Result, written to a per-result temporary folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from pathlib import Path

from ..result import Result

_root: Path | None = None


def export_root() -> Path:
    """One temporary folder per process, removed at exit (Gradio serves copies from its cache)."""
    global _root
    if _root is None:
        _root = Path(tempfile.mkdtemp(prefix="framediff-web-"))
        atexit.register(shutil.rmtree, _root, ignore_errors=True)
    return _root


def formats() -> list[str]:
    return ["json"]


def write_exports(result: Result) -> dict[str, str]:
    folder = export_root() / uuid.uuid4().hex[:12]
    folder.mkdir()
    path = folder / f"framediff-{result.config_hash}.json"
    path.write_text(result.to_json(), encoding="utf-8")
    return {"json": str(path)}
