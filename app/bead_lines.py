"""The ``align`` command: a sentence alignment as bead lines, the format of Bertalign and Vecalign.

A bead is ``[a ids]:[b ids]`` with 0-based sentence (or line) numbers, e.g. ``[0, 1]:[0]`` or
``[5]:[]``. The product writes the format; the alignment benchmark (``bench/``) reads it back.
"""

from __future__ import annotations

import re
from pathlib import Path

from .text.article import Article
from .text.decode import read_file_text
from .errors import error
from .text.language import detect_language
from .pipeline import align_params, load_embedder, default_cache
from .settings import Settings
from .steps.align import align_sentences
from .text.reader import read_article

Bead = tuple[tuple[int, ...], tuple[int, ...]]
_BEAD = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def format_bead(a: list[int] | tuple[int, ...], b: list[int] | tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, a))}]:[{', '.join(map(str, b))}]"


def parse_bead(line: str) -> Bead:
    """The inverse of :func:`format_bead`; also reads ``[0,1]:[0]`` without spaces."""
    m = _BEAD.match(line)
    if not m:
        raise ValueError(f"not a bead: {line!r}")
    side = lambda s: tuple(int(x) for x in s.replace(",", " ").split())  # noqa: E731
    return side(m.group(1)), side(m.group(2))


def read_presplit(path: Path, *, what: str) -> list[str]:
    text, _ = read_file_text(path, what=what)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise error("E001", what=what)
    return lines


def align_beads(a: Path, b: Path, *, presplit: bool, lang_a: str | None = None, lang_b: str | None = None,
                settings: Settings = Settings()) -> list[str]:
    """Align two files and return bead lines ``[a ids]:[b ids]`` (0-based line/sentence numbers)."""
    if presplit:
        texts_a, texts_b = read_presplit(a, what="side a"), read_presplit(b, what="side b")
        lang_a = lang_a or detect_language("\n".join(texts_a), what="side a", side="a")
        lang_b = lang_b or detect_language("\n".join(texts_b), what="side b", side="b")
    else:
        art_a: Article = read_article(a, is_path=True, language=lang_a, what="side a", side="a")
        art_b: Article = read_article(b, is_path=True, language=lang_b, what="side b", side="b")
        texts_a = [art_a.sent_match_text(i) for i in range(len(art_a.sentences))]
        texts_b = [art_b.sent_match_text(i) for i in range(len(art_b.sentences))]
        lang_a, lang_b = art_a.language, art_b.language
    embedder = load_embedder(settings.model, default_cache())
    params = align_params(settings, lang_a, lang_b)
    alignment = align_sentences(texts_a, texts_b, embedder.encode, params=params)
    return [format_bead(x, y) for x, y in alignment.beads()]
