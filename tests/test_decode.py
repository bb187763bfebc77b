import pytest

from app.decode import decode_bytes, read_file_text
from app.errors import FrameDiffError
from app.reader import build_article, read_article


def test_gbk_and_big5_are_detected():
    text = "外交部发言人表示，所谓的报道纯属炒作。美方应当停止抹黑中国企业。" * 3
    assert decode_bytes(text.encode("gb18030"), what="a") == text
    trad = "外交部發言人表示，所謂的報導純屬炒作。美方應當停止抹黑中國企業。" * 3
    assert decode_bytes(trad.encode("big5"), what="a") == trad


def test_utf8_bom_is_dropped():
    assert decode_bytes("\ufeffHello".encode("utf-8"), what="a") == "Hello"


def test_binary_is_refused():
    with pytest.raises(FrameDiffError) as exc:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), what="article a")
    assert exc.value.code == "E002"


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_is_refused(text):
    with pytest.raises(FrameDiffError) as exc:
        build_article(text, language="en")
    assert exc.value.code == "E001"


def test_too_long_is_refused():
    with pytest.raises(FrameDiffError) as exc:
        build_article("word " * 100, language="en", max_chars=50)
    assert exc.value.code == "E005"


def test_missing_file(tmp_path):
    with pytest.raises(FrameDiffError) as exc:
        read_file_text(tmp_path / "nope.txt", what="article a")
    assert exc.value.code == "E006"


def test_html_main_text_is_extracted(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title></head><body><nav>Home | World | Sport</nav>"
                    "<article><h1>Ship seized</h1><p>The coast guard seized a cargo ship on Monday, "
                    "officials said. The crew of twelve was detained for questioning by the police.</p>"
                    "<p>The ship had been sailing from Malaysia to Singapore with electronics on board.</p>"
                    "</article><footer>Copyright 2026</footer></body></html>", encoding="utf-8")
    article = read_article(page, language="en")
    assert article.format == "html"
    assert "seized a cargo ship" in article.text
    assert "Copyright" not in article.text


def test_language_is_detected():
    assert build_article("The ministry said on Tuesday that it would not comment on the report.").language == "en"
    assert build_article("外交部发言人周二表示，所谓的报道纯属炒作。").language == "zh"
