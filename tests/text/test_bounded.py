"""Size checks before any decompression or parse (app/text/bounded.py, issue 23).

The limits are lowered for each test, so the "bombs" built here stay small and quick; the
real sizes and the memory they cost are measured by ``python -m bench robustness``.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from app.errors import FrameDiffError
from app.text import bounded
from app.text.sources import from_bytes, read_path, sniff
from tests.text.test_sources import docx_bytes, pdf_bytes


def _code(call) -> FrameDiffError:
    with pytest.raises(FrameDiffError) as caught:
        call()
    return caught.value


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_huge_mimetype_member_is_read_only_at_its_head(monkeypatch):
    """The type check used to read the member whole: 1 MB of zip became GBs in memory."""
    read = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = original(self, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    data = _zip({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 3_000_000})
    assert "OpenDocument text" in sniff(data)
    assert sum(read) <= 256


def test_a_docx_that_unpacks_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(bounded, "MAX_DOCX_UNPACKED", 500_000)
    story = docx_bytes(["The Tallin ferry resumed on Tuesday."])
    with zipfile.ZipFile(io.BytesIO(story)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/media/padding.bin"] = b"\0" * 2_000_000         # compresses to a few KB
    err = _code(lambda: from_bytes(_zip(members), what="article a", source="bomb.docx", suffix=".docx"))
    assert err.code == "E025" and "unpacks to more than" in err.message


def test_one_xml_part_has_its_own_limit(monkeypatch):
    monkeypatch.setattr(bounded, "MAX_DOCX_XML_PART", 100_000)
    story = docx_bytes(["A council vote. " * 10_000])                # ~160 KB of document.xml
    err = _code(lambda: from_bytes(story, what="article a", source="big.docx", suffix=".docx"))
    assert err.code == "E025" and "word/document.xml" in err.message


def test_malformed_docx_xml_is_a_coded_error_not_an_lxml_traceback():
    story = docx_bytes(["Harbour fees rose."])
    with zipfile.ZipFile(io.BytesIO(story)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/document.xml"] = b"<w:document><unclosed>"
    err = _code(lambda: from_bytes(_zip(members), what="article a", source="bad.docx", suffix=".docx"))
    assert err.code == "E025" and "damaged" in err.message


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(bounded, "MAX_PDF_INFLATED", 1_000_000)
    bomb = zlib.compress(b"0 0 Td " * 1_000_000, 9)               # 7 MB of drawing operators
    data = (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(bomb)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + bomb + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")
    err = _code(lambda: from_bytes(data, what="article b", source="bomb.pdf", suffix=".pdf"))
    assert err.code == "E025" and "inflate to more than" in err.message


def test_an_ordinary_pdf_passes_the_inflation_check():
    data = pdf_bytes(["The Norvale harbour reopened after the storm."])
    assert "Norvale harbour" in from_bytes(data, what="article a", source="ok.pdf", suffix=".pdf").text


def test_html_over_the_byte_limit_is_refused_before_extraction(monkeypatch):
    monkeypatch.setattr(bounded, "MAX_HTML_BYTES", 10_000)
    page = ("<html><body><article>" + "<p>The mayor opened the bridge.</p>" * 2000 + "</article></body></html>")
    err = _code(lambda: from_bytes(page.encode(), what="article a", source="page.html", suffix=".html"))
    assert err.code == "E025" and "HTML" in err.message


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import app.text.sources as sources

    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("Floods closed the road. " * 100, encoding="utf-8")
    err = _code(lambda: read_path(big, what="article a"))
    assert err.code == "E025" and "over the limit" in err.message


def test_too_many_sentences_is_a_coded_error_before_alignment(monkeypatch):
    import app.text.reader as reader
    from app.text.reader import build_article

    monkeypatch.setattr(reader, "MAX_SENTENCES", 50)
    lines = "\n".join(f"Line {k} of the list." for k in range(80))
    err = _code(lambda: build_article(lines, language="en"))
    assert err.code == "E019" and "80 sentences" in err.message and "50" in err.message
    assert len(build_article("\n".join(lines.split("\n")[:40]), language="en").sentences) == 40
