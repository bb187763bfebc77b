"""Bytes and files to text: encoding detection, binary refusal, HTML/Markdown handling."""

from __future__ import annotations

from pathlib import Path

from .errors import error

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}


def decode_bytes(data: bytes, *, what: str) -> str:
    """Decode article bytes: UTF-8 (with or without BOM) first, then detection.

    Binary data (NUL bytes, or detection failing outright) is refused with a
    clear error rather than turned into mojibake.
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("E002", what=what, detail="it contains NUL bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise error("E003", what=what, detail="no encoding fits")
    text = str(best)
    if _control_share(text) > 0.05:
        raise error("E002", what=what, detail=f"decoded as {best.encoding} it is mostly control characters")
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(text)


def guess_format(text: str, suffix: str = "") -> str:
    suffix = suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text):
        return "html"
    return "text"


def html_to_text(html: str, *, what: str) -> str:
    """Main text of an HTML page via trafilatura (boilerplate, menus and ads dropped)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_recall=True, output_format="txt")
    if not text or not text.strip():
        raise error("E010", what=what, detail="no article text could be extracted from this HTML page")
    return text


def read_file_text(path: str | Path, *, what: str) -> tuple[str, str]:
    """Read a file and return ``(text, format)``; HTML is reduced to its main text."""
    p = Path(path)
    if not p.is_file():
        raise error("E006", what=what, path=str(p))
    raw = decode_bytes(p.read_bytes(), what=what)
    fmt = guess_format(raw, p.suffix)
    if fmt == "html":
        return html_to_text(raw, what=what), fmt
    return raw, fmt
