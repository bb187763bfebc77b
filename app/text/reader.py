"""Reading an article: file or string → decoded text → language → Article."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .article import Article, ArticleMeta
from .chinese import detect_script, fold_to_simplified
from .decode import guess_format, html_to_text
from ..errors import error
from .fetch import FetchOptions, url_scheme
from .language import checked_language, detect_language
from .segment import segment
from .sources import looks_like_address, read_source

DEFAULT_MAX_CHARS = 200_000
# UTF-16 halves on their own (a str from JSON with "\ud800", or a bad clipboard) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_article(source: str | Path, *, is_path: bool | None = None, language: str | None = None,
                 meta: ArticleMeta | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                 what: str = "article a", side: str = "a", fetch: FetchOptions | None = None) -> Article:
    """Build an Article from a file path, an http(s) URL or a string of text (plain, Markdown or HTML).

    ``is_path=None`` treats ``source`` as a path when it is a ``Path`` or names an
    existing file, else as the article text itself. A string that is one URL and nothing
    else is fetched (``fetch``: time and size limits, app/text/fetch.py) or, when its scheme is not
    http(s), refused (E024). Files and pages go through app/text/sources.py: PDF, DOCX and HTML are
    reduced to their text, and their title, byline, date, site name and address fill what
    ``meta`` leaves blank.
    """
    meta = meta or ArticleMeta()
    if is_path is None:
        is_path = isinstance(source, Path) or _looks_like_path(source)
    if is_path or (isinstance(source, str) and url_scheme(source)):
        read = read_source(source, what=what, fetch=fetch)
        text, fmt = read.text, read.format
        meta = read.meta(meta)
    else:
        if looks_like_address(str(source)):     # "www.reuters.com/world/..." is no article text
            raise error("E026", what=what, path=str(source).strip())
        text, meta = without_surrogates(str(source), meta, what=what)
        fmt = guess_format(text)
        if fmt == "html":
            text = html_to_text(text, what=what)
        meta = _with_source(meta, meta.source or "<string>")
    return build_article(text, language=language, fmt=fmt, meta=meta, max_chars=max_chars,
                         what=what, side=side)


# The aligner compares every sentence of a with every sentence of b, so memory grows with the square
# of the count: 3,000 short lines a side peak near 600 MB, 10,000 at 2.3 GB (docs/robustness.md).
# A news article has tens to a few hundred sentences; a book chapter of one-line paragraphs is refused.
MAX_SENTENCES = 4000


def build_article(text: str, *, language: str | None = None, fmt: str = "text",
                  meta: ArticleMeta | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                  what: str = "article a", side: str = "a") -> Article:
    """Segment already-decoded text into an Article (checks emptiness and size).

    Lone surrogates in the text or the metadata become U+FFFD (one code point each, so offsets
    keep their meaning), with a warning in the metadata, rather than failing when the result is
    written as UTF-8.
    """
    text, meta = without_surrogates(str(text), meta or ArticleMeta(), what=what)
    if not text.strip():
        raise error("E001", what=what)
    if len(text) > max_chars:
        raise error("E005", what=what, size=len(text), limit=max_chars)
    language = checked_language(language, what=what) if language else detect_language(text, what=what, side=side)
    script = detect_script(text) if language == "zh" else None
    match_text = fold_to_simplified(text) if language == "zh" else text
    sentences, tokens = segment(text, match_text, language, markdown=(fmt == "markdown"))
    if not sentences:
        raise error("E001", what=what)
    if len(sentences) > MAX_SENTENCES:
        raise error("E019", what=what, count=len(sentences), limit=MAX_SENTENCES)
    return Article(text=text, language=language, sentences=sentences, tokens=tokens,
                   match_text=match_text, script=script, format=fmt, meta=meta)


def without_surrogates(text: str, meta: ArticleMeta, *, what: str) -> tuple[str, ArticleMeta]:
    """Text and metadata with lone surrogates replaced; a warning in the metadata says how many."""
    text, fixed = replace_surrogates(text)
    meta = _clean_meta(meta)
    if fixed:
        meta = dataclasses.replace(meta, warnings=meta.warnings + (
            f"{what}: {fixed} lone UTF-16 surrogate(s) (not valid Unicode text) were replaced by U+FFFD (�).",))
    return text, meta


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with every surrogate code point replaced by U+FFFD, and how many there were."""
    count = len(_SURROGATE.findall(text))
    return (_SURROGATE.sub("\ufffd", text), count) if count else (text, 0)


def _clean_meta(meta: ArticleMeta) -> ArticleMeta:
    changes = {name: replace_surrogates(value)[0] for name in ("outlet", "title", "author", "url", "date", "source")
               if isinstance(value := getattr(meta, name), str) and _SURROGATE.search(value)}
    return dataclasses.replace(meta, **changes) if changes else meta


def _looks_like_path(source: str) -> bool:
    if "\n" in source or len(source) > 4096:
        return False
    try:
        return Path(source).is_file()
    except (OSError, ValueError):    # ValueError: a NUL byte, or a code point the file system cannot encode
        return False


def _with_source(meta: ArticleMeta, source: str) -> ArticleMeta:
    return dataclasses.replace(meta, source=source)
