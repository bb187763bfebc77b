"""Where an article comes from: a file (text, Markdown, HTML, PDF, DOCX) or an http(s) URL.

:func:`read_source` is the one input path of the CLI, batch rows and the web UI (through
``app.text.reader.read_article``). It returns the text that every offset will index (for HTML, PDF and
DOCX: the extracted text, never the raw bytes), the source format, and the metadata the document
carries (title, byline, date, site name, canonical address), which fills what the user left blank.

What a file is comes from its bytes first (``%PDF-``, a zip holding ``word/document.xml``, an
image's signature...), then its suffix; a fetched page's from its Content-Type, then its bytes.
Anything else is refused with an error that names what is supported (E024).
"""

from __future__ import annotations

import dataclasses
import io
import re
import urllib.parse
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .article import ArticleMeta
from .bounded import MAX_FILE_BYTES, check_html_bytes, zip_member_head
from .decode import decode_article_bytes, guess_format
from .documents import Extracted, extract_docx, extract_html, extract_pdf
from ..errors import FrameDiffError, error
from .fetch import FETCH_SCHEMES, FetchOptions, fetch_url, unsupported_scheme, url_scheme

SUPPORTED_INPUTS = "plain text (.txt, .md), HTML (.html, .htm), PDF (.pdf), DOCX (.docx) or an http(s):// URL"
FORMATS = ("text", "markdown", "html", "pdf", "docx", "url")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Leading bytes -> what the file is, for formats FrameDiff refuses (None: read as a document).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"), (b"BZh91AY&SY", "a bzip2 archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc, .xls or .ppt; save it as DOCX)"),
    (b"{\\rtf", "an RTF document (save it as DOCX or plain text)"), (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio or video file"), (b"fLaC", "a FLAC audio file"), (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"PAR1", "a Parquet file"),
    (b"\x1aE\xdf\xa3", "a WebM or Matroska video"),
)
# Suffixes of text formats that are not articles (read as text, they would compare as noise).
_TEXT_NOT_ARTICLES = {".csv": "a CSV table (a spreadsheet)", ".tsv": "a TSV table (a spreadsheet)",
                      ".json": "a JSON file", ".jsonl": "a JSON Lines file", ".svg": "an SVG image",
                      ".xlsx": "an Excel spreadsheet (.xlsx)", ".xls": "an Excel spreadsheet (.xls)",
                      ".ods": "an OpenDocument spreadsheet (.ods)", ".zip": "a zip archive"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
# "www.reuters.com/world/..." given without its scheme, or "https:/host/..." (a URL that went through Path()).
_ADDRESS_LIKE = re.compile(r"^(?:https?:/[^/]|www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}/)", re.I)


@dataclass(frozen=True, slots=True)
class SourceText:
    """An article's extracted text, its source format, where it came from and what it says about itself."""

    text: str
    format: str                      # one of FORMATS
    source: str                      # the path or URL as given
    found: Extracted | None = None   # metadata the document carries
    warnings: tuple[str, ...] = ()

    def meta(self, given: ArticleMeta | None = None) -> ArticleMeta:
        """``given`` (what the user said) with its blanks filled from the document, and the source recorded."""
        given = given or ArticleMeta()
        found = self.found or Extracted(text="")
        fill = {name: getattr(given, name) or getattr(found, name)
                for name in ("outlet", "title", "author", "date", "url")}
        return dataclasses.replace(given, **fill, source=self.source, warnings=given.warnings + self.warnings)


def read_source(source: str | Path, *, what: str, fetch: FetchOptions | None = None) -> SourceText:
    """Read a file path or an http(s) URL (any other scheme is E024) as article text with its metadata."""
    if isinstance(source, str):
        scheme = url_scheme(source)
        if scheme in FETCH_SCHEMES:
            return read_url(source.strip(), what=what, fetch=fetch)
        if scheme is not None:
            raise unsupported_scheme(source.strip(), what=what)
    return read_path(Path(source), what=what)


def looks_like_address(value: str) -> bool:
    """Whether a one-word value is a web address given without its scheme (``www.reuters.com/...``)."""
    value = value.strip()
    return bool(value) and len(value) < 4096 and not any(ch.isspace() for ch in value) \
        and bool(_ADDRESS_LIKE.match(value))


def read_path(path: Path, *, what: str) -> SourceText:
    """A local file as article text: text, Markdown, HTML, PDF or DOCX; anything else is E024."""
    try:
        found = path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        if looks_like_address(str(path)) and not path.parent.exists():
            raise error("E026", what=what, path=str(path))
        raise error("E006", what=what, path=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error("E025", what=what, kind="input",
                        detail=f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} for one article")
        data = path.read_bytes()
    except OSError as exc:
        raise error("E010", what=what, detail=f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    return from_bytes(data, what=what, source=str(path), suffix=path.suffix)


def read_url(url: str, *, what: str, fetch: FetchOptions | None = None) -> SourceText:
    """Fetch an http(s) URL and read what it serves (an HTML page, a PDF, a DOCX, plain text)."""
    fetched = fetch_url(url, what=what, options=fetch)
    final = fetched.final_url
    kind = fetched.content_type
    if kind.startswith(("image/", "audio/", "video/", "font/")) or kind in {"application/zip", "application/json"}:
        raise error("E023", what=what, url=url, detail=f"it serves {kind}, not an article page")
    suffix = PurePosixPath(urllib.parse.urlsplit(final).path).suffix
    if kind in _HTML_TYPES:
        suffix = ".html"
    elif kind == "application/pdf":
        suffix = ".pdf"
    elif kind == DOCX_TYPE:
        suffix = ".docx"
    elif kind in _TEXT_TYPES:
        suffix = ".md" if "markdown" in kind else ".txt"
    try:
        read = from_bytes(fetched.data, what=what, source=url, suffix=suffix, charset=fetched.charset,
                          page_url=final)
    except FrameDiffError as exc:
        if exc.code in ("E001", "E010"):     # nothing could be extracted: the page is no article
            raise error("E023", what=what, url=url, detail=_no_article(exc)) from None
        if exc.code in ("E002", "E024"):
            raise error("E023", what=what, url=url, detail=exc.message.split(": ", 1)[-1]) from None
        raise
    found = read.found or Extracted(text="")
    if not found.url:
        found = dataclasses.replace(found, url=final)
    if not found.outlet:
        found = dataclasses.replace(found, outlet=_host(final))
    return dataclasses.replace(read, format="url", found=found)


def from_bytes(data: bytes, *, what: str, source: str, suffix: str = "", charset: str | None = None,
               page_url: str | None = None) -> SourceText:
    """Bytes of a file (or of a fetched body) as article text; ``suffix`` helps when the bytes do not tell."""
    suffix = suffix.lower()
    kind = sniff(data, suffix)
    if kind in ("pdf", "docx"):
        extracted = (extract_pdf if kind == "pdf" else extract_docx)(data, what=what)
        return SourceText(extracted.text, kind, source, dataclasses.replace(extracted, text=""))
    if kind != "text":
        raise error("E024", what=what, kind=kind, supported=SUPPORTED_INPUTS)
    head = data.lstrip()[:512].lower()
    looks_html = suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html"))
    decoded = decode_article_bytes(data, what=what, html=looks_html, charset=charset)
    fmt = guess_format(decoded.text, suffix)
    if fmt != "html":
        return SourceText(decoded.text, fmt, source, None, decoded.warnings)
    check_html_bytes(len(data), what=what)      # before the extractor builds a tree of it
    extracted = extract_html(decoded.text, what=what, url=page_url)
    return SourceText(extracted.text, "html", source, dataclasses.replace(extracted, text=""), decoded.warnings)


def sniff(data: bytes, suffix: str = "") -> str:
    """``"pdf"``, ``"docx"``, ``"text"`` (text, Markdown or HTML, decoded later) or what the file is, for E024."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(data)
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "a HEIC image" if data[8:12] in (b"heic", b"heix", b"mif1") else "an MP4 or MOV video"
    if suffix == ".pdf":
        return "a file named .pdf that is not a PDF (it lacks the %PDF- header)"
    if suffix == ".docx":
        return "a file named .docx that is not a Word document"
    if suffix in _TEXT_NOT_ARTICLES:
        return _TEXT_NOT_ARTICLES[suffix]
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        # the head only: a member named "mimetype" may inflate to gigabytes (issue 23)
        mimetype = zip_member_head(data, "mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error):
        return "a damaged zip archive"
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "an Excel spreadsheet (.xlsx)"
    if any(name.startswith("ppt/") for name in names):
        return "a PowerPoint presentation (.pptx)"
    if mimetype == "application/epub+zip":
        return "an EPUB e-book"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "an OpenDocument text (.odt; save it as DOCX)"
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        return "an OpenDocument spreadsheet (.ods)"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "an OpenDocument file"
    return "a zip archive"


def source_stem(source: str | Path) -> str:
    """A short name for output files: a file's stem, or a URL's last path segment (else its host)."""
    if isinstance(source, str) and url_scheme(source):
        parts = urllib.parse.urlsplit(source.strip())
        last = PurePosixPath(parts.path).stem or (parts.hostname or "page")
        return re.sub(r"[^\w.-]+", "_", last)[:60] or "page"
    return Path(source).stem


def as_source(value: str) -> str | Path:
    """A command-line argument as an article source: a URL stays a string, anything else is a path."""
    return value.strip() if url_scheme(value) else Path(value)


def _host(url: str) -> str | None:
    host = urllib.parse.urlsplit(url).hostname
    return host[4:] if host and host.startswith("www.") else host


def _no_article(exc: FrameDiffError) -> str:
    return "no article text could be found on the page" if exc.code == "E010" else "the page has no text"
