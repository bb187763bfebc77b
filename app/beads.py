"""Bead output for comparison with Bertalign and Vecalign."""

from __future__ import annotations

from pathlib import Path

from .article import Article
from .bench.beads import format_bead
from .decode import read_file_text
from .errors import error
from .language import detect_language
from .pipeline import align_params, load_embedder, default_cache
from .settings import Settings
from .align import align_sentences
from .reader import read_article


def read_presplit(path: Path, *, what: str) -> list[str]:
    text, _ = read_file_text(path, what=what)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise error("E001", what=what)
    return lines


def align_beads(a: Path, b: Path, *, presplit: bool, model: str, lang_a: str | None = None,
                lang_b: str | None = None, max_group: int = 5, attach_unaligned: bool = False) -> list[str]:
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
    embedder = load_embedder(model, default_cache())
    params = align_params(Settings(max_group=max_group, attach_unaligned=attach_unaligned), lang_a, lang_b)
    alignment = align_sentences(texts_a, texts_b, embedder.encode, params=params)
    return [format_bead(x, y) for x, y in alignment.beads()]
