"""Bytes and files to text: encoding, binary refusal, HTML/Markdown handling.

Decoding never guesses silently. In order:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. strict UTF-8 (no warning);
3. UTF-8 with a few damaged bytes (most non-ASCII text is valid UTF-8): the bad bytes become
   U+FFFD, with a warning; too much damage is refused (E003);
4. an HTML page's declared charset (``<meta charset>``);
5. only then a detector (charset-normalizer), with a warning naming the guess; when two
   single-byte code pages read the bytes equally well, Windows-1252 wins (the web's default for
   Western text: a Latin-1 French page must not come out as Czech cp1250).

Warnings travel with the text (:class:`Decoded`) into the Article's metadata, hence into the
result (``articles.a.meta.warnings``), the CLI's stderr and the web UI's status line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import error

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# More damaged UTF-8 than this share of characters is not an article with a stray byte: refuse it.
MAX_DAMAGED_SHARE = 0.01
# UTF-8 with damage means: at least this many valid non-ASCII characters per bad byte sequence.
MIN_VALID_PER_DAMAGED = 4
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
# WHATWG's encoding labels: these legacy names mean a superset in practice.
_LABEL_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "iso-8859-1": "cp1252", "ascii": "cp1252",
                  "us-ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, the encoding used, and what the reader should know about it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file read as article text (HTML reduced to its main text), its format and any warnings."""

    text: str
    format: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, what: str) -> str:
    """The text of ``data`` (see :func:`decode_article_bytes`, which also returns the warnings)."""
    return decode_article_bytes(data, what=what).text


def decode_article_bytes(data: bytes, *, what: str, html: bool = False, charset: str | None = None) -> Decoded:
    """Decode article bytes (module docstring: BOM, UTF-8, damaged UTF-8, declared charset, detector).

    ``charset`` is one declared outside the bytes (a fetched page's Content-Type header); it takes
    the place of the page's ``<meta charset>``, as in browsers. Binary data (NUL bytes, or detection
    failing outright) is refused with a clear error rather than turned into mojibake.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom):], encoding, what=what)
    if b"\x00" in data[:8192]:
        raise error("E002", what=what, detail="it contains NUL bytes")
    declared = charset_name(charset) if charset else None
    declared = declared or (declared_charset(data) if html else None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        warnings = ()
        if declared and declared not in ("utf-8", "utf_8") and not data.isascii():
            warnings = (f"{what}: the page declares charset {declared} but is valid UTF-8; read as UTF-8.",)
        return Decoded(text, "utf-8", warnings)
    damaged = _damaged_utf8(data, what=what)
    if damaged is not None:
        return damaged
    if declared:
        return _decode_declared(data, declared, what=what)
    return _detect(data, what=what)


def _decode_with_bom(body: bytes, encoding: str, *, what: str) -> Decoded:
    text = body.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - body.decode(encoding, errors="ignore").count("\ufffd")
    if bad == 0:
        return Decoded(text, encoding)
    _check_damage(bad, text, encoding, what=what)
    return Decoded(text, encoding, (f"{what}: starts with a {encoding.upper()} byte-order mark but {bad} byte "
                                    f"sequence(s) are not valid {encoding.upper()}; each was replaced by U+FFFD (�).",))


def _damaged_utf8(data: bytes, *, what: str) -> Decoded | None:
    """UTF-8 with a few bad bytes, or None when the bytes do not look like UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    valid = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if valid < MIN_VALID_PER_DAMAGED * bad:
        return None
    _check_damage(bad, text, "UTF-8", what=what)
    return Decoded(text, "utf-8", (f"{what}: {bad} byte sequence(s) are not valid UTF-8 (the rest is); "
                                   "each was replaced by U+FFFD (�).",))


def _check_damage(bad: int, text: str, encoding: str, *, what: str) -> None:
    if bad > max(3, MAX_DAMAGED_SHARE * len(text)):
        raise error("E003", what=what, detail=f"{bad} byte sequences are not valid {encoding}, too many to "
                                              "replace; save the file as UTF-8")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its top, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return charset_name(match.group(1).decode("ascii"))


def charset_name(label: str) -> str | None:
    """A charset label (``ISO-8859-1``, ``gbk``) as the Python codec that reads it, or None when unknown."""
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


# Single-byte code pages: any byte string "decodes", so a wrong declaration gives mojibake silently.
_SINGLE_BYTE = {"cp1252", "latin-1", "iso8859-1", "iso8859-15", "cp1250", "cp1251", "mac-roman", "koi8-r"}
# Western text in a single-byte code page has a few accented letters among ASCII; CJK text in a
# double-byte encoding is mostly high bytes in pairs.
MOJIBAKE_HIGH_SHARE = 0.3


def _decode_declared(data: bytes, encoding: str, *, what: str) -> Decoded:
    if encoding in _SINGLE_BYTE and _mostly_high_bytes(data):
        found = _redetect(data, encoding, what=what)
        if found is not None:
            return found
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    _check_damage(bad, text, encoding, what=what)
    return Decoded(text, encoding, (f"{what}: the page declares charset {encoding} but {bad} byte sequence(s) "
                                    "do not fit it; each was replaced by U+FFFD (�).",))


def _mostly_high_bytes(data: bytes) -> bool:
    sample = data[:65536]
    letters = sum(1 for b in sample if b >= 0x80 or chr(b).isalpha())
    return letters > 0 and sum(1 for b in sample if b >= 0x80) / letters > MOJIBAKE_HIGH_SHARE


def _redetect(data: bytes, declared: str, *, what: str) -> Decoded | None:
    """The detector's reading when it is a multi-byte encoding that fits well: the declaration was wrong."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.encoding not in _SINGLE_BYTE and m.chaos < 0.2]
    if not matches:
        return None
    best = matches[0]
    return Decoded(str(best), best.encoding, (
        f"{what}: the page declares charset {declared}, but the bytes read as {best.encoding} (as {declared} "
        "they would be mojibake); read as " + best.encoding + ". If characters look wrong, save it as UTF-8.",))


def _detect(data: bytes, *, what: str) -> Decoded:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise error("E003", what=what, detail="no encoding fits")
    best = _prefer_western(matches)
    text = str(best)
    if _control_share(text) > 0.05:
        raise error("E002", what=what, detail=f"decoded as {best.encoding} it is mostly control characters")
    return Decoded(text, best.encoding, (f"{what} is not UTF-8 and declares no charset; its encoding was guessed "
                                         f"as {best.encoding}. If characters look wrong, save it as UTF-8.",))


def _prefer_western(matches: list):
    """The detector's best match, or Windows-1252 when it reads the bytes just as well (a tie)."""
    best = matches[0]
    for match in matches:
        if (match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01
                and match.coherence >= best.coherence - 0.02):
            return match
    return best


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
    """Main text of an HTML page via trafilatura (boilerplate, menus and ads dropped; app/text/documents.py)."""
    from .documents import extract_html

    return extract_html(html, what=what).text


def read_file(path: str | Path, *, what: str) -> ReadFile:
    """Read a file as article text (HTML, PDF and DOCX reduced to their text; app/text/sources.py).

    Warnings say how it was decoded. :func:`app.text.sources.read_path` also gives the document's metadata.
    """
    from .sources import read_path

    read = read_path(Path(path), what=what)
    return ReadFile(read.text, read.format, read.warnings)


def read_file_text(path: str | Path, *, what: str) -> tuple[str, str]:
    """Read a file and return ``(text, format)`` (:func:`read_file` also gives the decoding warnings)."""
    read = read_file(path, what=what)
    return read.text, read.format
