"""Text and metadata out of documents: HTML pages (trafilatura), PDF (pdfminer.six), DOCX (python-docx).

What comes out (:class:`Extracted`) is the article text every offset will index, plus what the
document says about itself (title, byline, date, site name, canonical address). Nothing here
reads files or the network: callers pass bytes or decoded HTML (app/text/sources.py).

- HTML: trafilatura's main text (menus, related links, footers dropped), then whole lines that are
  known wire boilerplate (:data:`BOILERPLATE_LINES`, e.g. "Our Standards: The Thomson Reuters Trust
  Principles.") are dropped too. Metadata from ``<meta>``, Open Graph, JSON-LD and ``<link
  rel=canonical>``.
- PDF: the text layer, one paragraph per text block; a paragraph's hard-wrapped lines are joined
  (with a space, or nothing between CJK characters), since a line break ends a sentence here
  (app/text/segment.py). Title, author and creation date from the document information. A PDF without
  a text layer (a scan) or with a password is refused with a reason.
- DOCX: the body's paragraphs (not headers, footers or comments), one per line with a blank line
  between; title, author and creation date from the core properties.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

from .bounded import check_docx_unpacked, check_pdf_inflated
from .chinese import CJK_WIDE
from ..errors import FrameDiffError, error

MAX_PDF_PAGES = 1000
# Whole lines dropped after HTML extraction: site furniture that trafilatura keeps because it sits
# inside the article element. Each pattern must match the entire line (stripped); article prose never does.
BOILERPLATE_LINES = tuple(re.compile(p, re.I) for p in (
    r"our standards:\s*the thomson reuters trust principles\.?(,? opens new tab)?",
    r"(purchase|request) licensing rights(,? opens new tab)?",
    r"sign up here\.?",
    r"(skip to (main )?content|advertisement|scroll to continue( with content)?|share this article)",
    r"[【\[]?\s*(责任编辑|責任編輯|编辑|編輯)\s*[:：]\s*\S{1,20}\s*[】\]]?",   # "【责任编辑:张三】" (editor credit)
    r"[【\[]\s*纠错\s*[】\]](\s*[【\[]\s*(责任编辑|責任編輯)\s*[:：]\s*\S{1,20}\s*[】\]])?",
))
# A page whose main text is shorter than this (non-space characters) is a home page or an index, not an article.
MIN_PAGE_CHARS = 20
_AUTHOR_META = {"author", "article:author", "byline", "dc.creator", "parsely-author", "sailthru.author"}
# python-docx's own template values: a file that still has them says nothing about its article.
_DOCX_TEMPLATE_AUTHORS = {"python-docx"}
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=timezone.utc)
_CJK = re.compile(f"[{CJK_WIDE}]")
# pdfminer warns on the terminal about fonts it cannot measure ("Could not get FontBBox", 22 lines for
# one browser-printed PDF): nothing a reader can act on. Kept for a debug log, not shown.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Extracted:
    """An article's text as extracted, and the metadata its document carries (None when absent)."""

    text: str
    title: str | None = None
    author: str | None = None      # byline
    date: str | None = None        # ISO 8601 date (YYYY-MM-DD) when known
    outlet: str | None = None      # site name
    url: str | None = None         # canonical address
    warnings: tuple[str, ...] = ()


# -- HTML ------------------------------------------------------------------------------------------

def extract_html(html: str, *, what: str, url: str | None = None) -> Extracted:
    """Main text and metadata of an HTML page (trafilatura), known boilerplate lines dropped."""
    import trafilatura

    raw = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_recall=True,
                              output_format="json", with_metadata=True)
    found = json.loads(raw) if raw else {}
    text = drop_boilerplate(found.get("text") or "")
    if len("".join(text.split())) < MIN_PAGE_CHARS:
        raise error("E010", what=what, detail="no article text could be extracted from this HTML page"
                                              + (f" (only {text.strip()[:40]!r})" if text.strip() else ""))
    outlet = _clean(found.get("source-hostname")) or _clean(found.get("hostname"))
    author = _clean(found.get("author")) or _cjk_meta_author(html)
    return Extracted(text=text, title=_clean(found.get("title")), author=author,
                     date=_clean(found.get("date")), outlet=outlet, url=_clean(found.get("source")) or url)


def _cjk_meta_author(html: str) -> str | None:
    """A ``<meta name="author">`` byline in Chinese or Japanese (trafilatura drops names without a space)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html[:200_000])
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    for element in tree.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().lower()
        content = _clean(element.get("content"))
        if name in _AUTHOR_META and content and _CJK.search(content) and len(content) <= 60 \
                and not content.lower().startswith("http"):
            return content
    return None


def drop_boilerplate(text: str) -> str:
    """``text`` without the lines that are entirely known site boilerplate (:data:`BOILERPLATE_LINES`)."""
    lines = text.split("\n")
    kept = [line for line in lines if not any(p.fullmatch(line.strip()) for p in BOILERPLATE_LINES)]
    return "\n".join(kept).strip("\n") if len(kept) != len(lines) else text


# -- PDF -------------------------------------------------------------------------------------------

def extract_pdf(data: bytes, *, what: str) -> Extracted:
    """The text layer of a PDF, one paragraph per text block, and its title, author and date."""
    try:
        from pdfminer.converter import TextConverter
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:
        raise error("E008", feature="reading PDF files", package="pdfminer.six") from None

    check_pdf_inflated(data, what=what)       # before pdfminer inflates anything (a PDF bomb)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        if not document.is_extractable:
            raise error("E025", what=what, kind="PDF", detail="its author forbids copying its text")
        out = io.StringIO()
        manager = PDFResourceManager()
        device = TextConverter(manager, out, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        pages = 0
        for page in PDFPage.create_pages(document):
            pages += 1
            if pages > MAX_PDF_PAGES:
                raise error("E025", what=what, kind="PDF", detail=f"it has more than {MAX_PDF_PAGES} pages; "
                                                                   "an article is far shorter")
            interpreter.process_page(page)
        device.close()
        info = _pdf_info(document)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise error("E025", what=what, kind="PDF", detail="it is protected by a password") from None
    except Exception as exc:   # noqa: BLE001 - pdfminer raises many kinds for a broken file
        if isinstance(exc, FrameDiffError):    # one of ours, raised above
            raise
        raise error("E025", what=what, kind="PDF",
                    detail=f"it is damaged or not a PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    text = reflow(out.getvalue())
    if not text.strip():
        raise error("E025", what=what, kind="PDF", detail="it has no text layer (a scanned image?); "
                                                           "run OCR on it or paste its text")
    return Extracted(text=text, title=info.get("Title"), author=info.get("Author"),
                     date=pdf_date(info.get("CreationDate")))


def _pdf_info(document) -> dict[str, str]:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    found: dict[str, str] = {}
    for info in document.info or []:
        for key in ("Title", "Author", "CreationDate"):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = decode_text(value)
            if isinstance(value, str) and (value := _clean(value)) and key not in found:
                found[key] = value
    return found


def pdf_date(value: str | None) -> str | None:
    """A PDF date string (``D:20240305100000Z``) as ``2024-03-05``; None when it is not one."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}" if match.group(3) else (f"{year}-{month}" if match.group(2) else year)


def reflow(text: str) -> str:
    """Paragraphs (blank-line separated; a form feed is a page break) with their wrapped lines joined.

    Runs of spaces (justified lines) become one space.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        # justified lines come out with runs of spaces: layout, not text
        lines = [re.sub(r"[ \t\u00a0]{2,}", " ", line.strip()) for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            glue = "" if _CJK.match(joined[-1]) or _CJK.match(line[0]) else " "
            joined += glue + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


# -- DOCX ------------------------------------------------------------------------------------------

def extract_docx(data: bytes, *, what: str) -> Extracted:
    """The body paragraphs of a DOCX, one per line, and its title, author and creation date."""
    try:
        import docx
    except ImportError:
        raise error("E008", feature="reading DOCX files", package="python-docx") from None
    try:
        check_docx_unpacked(data, what=what)      # real sizes, streamed: the directory may lie (a zip bomb)
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise error("E025", what=what, kind="DOCX", detail="it is damaged (not a valid zip archive)") from None
    except Exception as exc:   # noqa: BLE001 - python-docx and lxml raise many kinds for a broken file
        if isinstance(exc, FrameDiffError):     # lxml's errors have a .code of their own
            raise
        raise error("E025", what=what, kind="DOCX",
                    detail=f"it is damaged or not a Word document ({type(exc).__name__}: {str(exc)[:120]})") from None
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    text = "\n\n".join(p.text.strip() for p in paragraphs)
    if not text.strip():
        raise error("E001", what=what)
    props = document.core_properties
    title = _clean(props.title) or next((_clean(p.text) for p in paragraphs
                                         if (p.style is not None and p.style.name == "Title")), None)
    author = _clean(props.author)
    created = props.created
    return Extracted(text=text, title=title, author=None if author in _DOCX_TEMPLATE_AUTHORS else author,
                     date=None if created is None or created == _DOCX_TEMPLATE_CREATED else created.date().isoformat())


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
