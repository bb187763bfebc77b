"""Reading a corpus of article pairs: JSONL, CSV, or a folder of ``<id>/a.*``, ``<id>/b.*``.

Reading never raises for a bad row: each one becomes a :class:`RowProblem` with a
coded reason, so a corpus with a few broken rows still runs. Only a missing or
unreadable PAIRS source raises (there is nothing to run at all).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import error
from ..text.fetch import url_scheme

ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx"}
META_KEYS = ("outlet_a", "outlet_b", "lang_a", "lang_b", "date", "title_a", "title_b", "story")
MAX_STORY_CHARS = 200
# Ids become file names (pairs/<id>.json), so they are kept to a portable alphabet.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
MAX_PATH_CHARS = 1024


@dataclass(frozen=True, slots=True)
class PairSpec:
    """One pair to compare; ``a``/``b`` are file paths (absolute) when ``*_is_path``, else text or a URL."""

    id: str
    a: str
    b: str
    a_is_path: bool
    b_is_path: bool
    where: str                       # "pairs.jsonl:7", for messages
    outlet_a: str | None = None
    outlet_b: str | None = None
    lang_a: str | None = None
    lang_b: str | None = None
    date: str | None = None
    title_a: str | None = None
    title_b: str | None = None
    story: str | None = None         # rows with one story and one source (a) form a story (app/batch/stories.py)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not become a pair; ``id`` is None when the row has none."""

    id: str | None
    where: str
    code: str
    error: str

    def to_record(self) -> dict:
        return {"id": self.id, "where": self.where, "stage": "read", "code": self.code, "error": self.error}


def read_pairs(source: Path) -> tuple[list[PairSpec], list[RowProblem]]:
    """All valid pairs of ``source`` in order, and the rows that were rejected."""
    source = Path(source)
    if source.is_dir():
        rows = _folder_rows(source)
    elif not source.is_file():
        raise error("E051", path=str(source), detail="no such file or folder")
    elif source.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows = _jsonl_rows(source)
    elif source.suffix.lower() in (".csv", ".tsv"):
        rows = _csv_rows(source)
    else:
        raise error("E051", path=str(source), detail="expected a .jsonl or .csv file, or a folder of <id>/a.*, <id>/b.*")
    return _validate(rows, base=source if source.is_dir() else source.parent)


def _jsonl_rows(path: Path):
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield where, None, f"line is not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(row, dict):
                yield where, None, "line is valid JSON but not an object"
                continue
            yield where, row, None


def _csv_rows(path: Path):
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        for row in reader:
            # line_num is the physical line where the row ends (rows may span lines).
            where = f"{path.name}:{reader.line_num}"
            if None in row:
                yield where, None, "row has more fields than the header"
                continue
            yield where, {k: v for k, v in row.items() if k is not None}, None


def _folder_rows(root: Path):
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        where = f"{root.name}/{folder.name}"
        row: dict = {"id": folder.name}
        meta_path = folder / "meta.json"
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield where, None, f"meta.json is not valid JSON ({exc})"
                continue
            if not isinstance(meta, dict):
                yield where, None, "meta.json is not a JSON object"
                continue
            row.update({k: meta[k] for k in META_KEYS if k in meta})
        for side in ("a", "b"):
            files = sorted(p for p in folder.glob(f"{side}.*") if p.is_file())
            if len(files) > 1:
                yield where, None, f"several files for side {side}: {', '.join(p.name for p in files)}"
                break
            if files:
                row[side] = str(files[0].resolve())
        else:
            yield where, row, None


def _validate(rows, *, base: Path) -> tuple[list[PairSpec], list[RowProblem]]:
    specs: list[PairSpec] = []
    problems: list[RowProblem] = []
    first_seen: dict[str, str] = {}
    for where, row, problem in rows:
        if problem is not None:
            problems.append(RowProblem(None, where, "E050", error("E050", where=where, detail=problem).message))
            continue
        pair_id, reason = _check_row(row)
        if reason is not None:
            problems.append(RowProblem(pair_id, where, "E050", error("E050", where=where, detail=reason).message))
        elif pair_id in first_seen:
            exc = error("E052", id=pair_id, where=where, first=first_seen[pair_id])
            problems.append(RowProblem(pair_id, where, exc.code, exc.message))
        else:
            first_seen[pair_id] = where
            specs.append(_spec(row, pair_id, where, base=base))
    return specs, problems


def _check_row(row: dict) -> tuple[str | None, str | None]:
    raw_id = row.get("id")
    pair_id = None if raw_id is None else str(raw_id).strip()
    if not pair_id:
        return None, "missing id"
    if not ID_PATTERN.match(pair_id):
        return None, f"id {pair_id[:60]!r} must be 1-128 letters, digits, '.', '_' or '-' (it names a file)"
    for side in ("a", "b"):
        value = row.get(side)
        if value is None:
            return pair_id, f"missing {side}"
        if not isinstance(value, str):
            return pair_id, f"{side} must be text, a file path or a URL, not {type(value).__name__}"
    for key in META_KEYS:
        if row.get(key) is not None and not isinstance(row[key], (str, int, float)):
            return pair_id, f"{key} must be a string"
    if len(str(row.get("story") or "").strip()) > MAX_STORY_CHARS:
        return pair_id, f"story must be at most {MAX_STORY_CHARS} characters (it names the story, not its text)"
    return pair_id, None


def _spec(row: dict, pair_id: str, where: str, *, base: Path) -> PairSpec:
    a, a_is_path = _text_or_path(row["a"], base)
    b, b_is_path = _text_or_path(row["b"], base)
    meta = {k: (str(row[k]).strip() or None) if row.get(k) is not None else None for k in META_KEYS}
    return PairSpec(id=pair_id, a=a, b=b, a_is_path=a_is_path, b_is_path=b_is_path, where=where, **meta)


def _text_or_path(value: str, base: Path) -> tuple[str, bool]:
    """A value names a file when it is one line and an existing file or has an article suffix.

    A URL (``https://...``, or any ``scheme://``) is neither: it stays a string, which the reader
    fetches (or refuses, naming what is supported, when it is not http(s)).
    """
    candidate = value.strip()
    if not candidate or "\n" in candidate or len(candidate) > MAX_PATH_CHARS:
        return value, False
    if url_scheme(candidate):
        return candidate, False
    path = Path(candidate).expanduser()
    path = path if path.is_absolute() else base / path
    try:
        exists = path.is_file()
    except OSError:
        exists = False
    if exists or Path(candidate).suffix.lower() in ARTICLE_SUFFIXES:
        return str(path.resolve()), True
    return value, False
