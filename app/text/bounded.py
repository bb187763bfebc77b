"""Size checks that run before any decompression or parse, in constant memory (docs/robustness.md).

A 1 MB DOCX can unpack to gigabytes, and a zip's directory may lie about its sizes; a PDF
content stream can inflate a thousandfold. Each check here streams the compressed data
through a decompressor in small chunks, counting what comes out, and stops at the limit
with a coded error (E025) before the parser that would have held it all in memory runs.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..errors import error

CHUNK = 1 << 20
# A DOCX's parts (text, styles, images) unpacked; a 200,000-character article is a few MB of XML.
MAX_DOCX_UNPACKED = 30_000_000
MAX_DOCX_XML_PART = 10_000_000
# All of a PDF's Flate streams inflated: text layers of long reports stay far below this.
MAX_PDF_INFLATED = 60_000_000
# HTML handed to the page extractor; news pages weigh 0.1-3 MB with their scripts.
MAX_HTML_BYTES = 5_000_000
# Any input file read from disk (before its kind is known).
MAX_FILE_BYTES = 50_000_000


def zip_member_head(data: bytes, name: str, size: int = 256) -> bytes:
    """The first ``size`` bytes of one zip member (the "mimetype" of an OpenDocument), never more."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with archive.open(name) as member:
            return member.read(size)


def check_docx_unpacked(data: bytes, *, what: str) -> None:
    """Stream every member of the archive, counting real (not declared) bytes; E025 past the limits."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            part_limit = MAX_DOCX_XML_PART if info.filename.endswith((".xml", ".rels")) else MAX_DOCX_UNPACKED
            part = 0
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    part += len(chunk)
                    total += len(chunk)
                    if part > part_limit:
                        raise error("E025", what=what, kind="DOCX",
                                    detail=f"its part {info.filename[:60]!r} unpacks to more than {part_limit:,} bytes")
                    if total > MAX_DOCX_UNPACKED:
                        raise error("E025", what=what, kind="DOCX",
                                    detail=f"it unpacks to more than {MAX_DOCX_UNPACKED:,} bytes")


_STREAM = re.compile(rb"stream\r?\n")


def check_pdf_inflated(data: bytes, *, what: str) -> None:
    """Inflate every Flate-compressed stream with a cap on the running total; E025 past it.

    Streams are found by their keyword, as a PDF reader scanning the file would; bytes that do not
    inflate (another filter, or no compression) count as they are.
    """
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        inflater = zlib.decompressobj()
        at = start
        try:
            while at < end:
                piece = inflater.decompress(data[at:min(at + CHUNK, end)], CHUNK)
                at = min(at + CHUNK, end)
                total += len(piece)
                while inflater.unconsumed_tail:
                    piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
                    total += len(piece)
                    if total > MAX_PDF_INFLATED:
                        break
                if total > MAX_PDF_INFLATED or inflater.eof:
                    break
        except zlib.error:
            total += end - start
        if total > MAX_PDF_INFLATED:
            raise error("E025", what=what, kind="PDF",
                        detail=f"its compressed streams inflate to more than {MAX_PDF_INFLATED:,} bytes")


def check_html_bytes(size: int, *, what: str) -> None:
    if size > MAX_HTML_BYTES:
        raise error("E025", what=what, kind="HTML",
                    detail=f"the page is {size:,} bytes, over the limit of {MAX_HTML_BYTES:,} for one article")
