"""Reading an article: file or string → decoded text → language → Article."""

from __future__ import annotations

from pathlib import Path

from .article import Article, ArticleMeta
from .chinese import detect_script, fold_to_simplified
from .decode import guess_format, html_to_text, read_file_text
from .errors import error
from .language import detect_language
from .segment import segment

DEFAULT_MAX_CHARS = 200_000


def read_article(source: str | Path, *, is_path: bool | None = None, language: str | None = None,
                 meta: ArticleMeta | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                 what: str = "article a", side: str = "a") -> Article:
    """Build an Article from a file path or a string of text (plain, Markdown or HTML).

    ``is_path=None`` treats ``source`` as a path when it is a ``Path`` or names an
    existing file, else as the article text itself.
    """
    meta = meta or ArticleMeta()
    if is_path is None:
        is_path = isinstance(source, Path) or _looks_like_path(source)
    if is_path:
        text, fmt = read_file_text(source, what=what)
        meta = _with_source(meta, str(source))
    else:
        text = str(source)
        fmt = guess_format(text)
        if fmt == "html":
            text = html_to_text(text, what=what)
        meta = _with_source(meta, meta.source or "<string>")
    return build_article(text, language=language, fmt=fmt, meta=meta, max_chars=max_chars,
                         what=what, side=side)


def build_article(text: str, *, language: str | None = None, fmt: str = "text",
                  meta: ArticleMeta | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                  what: str = "article a", side: str = "a") -> Article:
    """Segment already-decoded text into an Article (checks emptiness and size)."""
    if not text.strip():
        raise error("E001", what=what)
    if len(text) > max_chars:
        raise error("E005", what=what, size=len(text), limit=max_chars)
    language = (language or detect_language(text, what=what, side=side)).lower()
    language = {"zh-cn": "zh", "zh-tw": "zh", "zh-hans": "zh", "zh-hant": "zh"}.get(language, language)
    script = detect_script(text) if language == "zh" else None
    match_text = fold_to_simplified(text) if language == "zh" else text
    sentences, tokens = segment(text, match_text, language, markdown=(fmt == "markdown"))
    if not sentences:
        raise error("E001", what=what)
    return Article(text=text, language=language, sentences=sentences, tokens=tokens,
                   match_text=match_text, script=script, format=fmt, meta=meta or ArticleMeta())


def _looks_like_path(source: str) -> bool:
    if "\n" in source or len(source) > 4096:
        return False
    try:
        return Path(source).is_file()
    except OSError:
        return False


def _with_source(meta: ArticleMeta, source: str) -> ArticleMeta:
    return ArticleMeta(outlet=meta.outlet, title=meta.title, url=meta.url, date=meta.date, source=source)
