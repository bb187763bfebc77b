import pytest

from app.text.decode import decode_article_bytes, decode_bytes, read_file_text
from app.errors import FrameDiffError
from app.text.reader import build_article, read_article


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


# --- decoding never guesses silently (issue 15) ------------------------------------------------------

FRENCH = ("Très bien, à côté de la rivière, où le père et la mère se sont arrêtés près de l'église. "
          "Le ministère a déclaré jeudi que la grève des employés de la société se poursuivra.")


def test_utf8_with_one_stray_byte_stays_utf8_with_a_warning():
    text = "外交部发言人周二表示，所谓的报道纯属炒作。美方应当停止抹黑中国企业。" * 3
    data = text.encode("utf-8")
    data = data[:30] + b"\xff" + data[30:]
    decoded = decode_article_bytes(data, what="article a")
    assert decoded.encoding == "utf-8"
    assert decoded.text.replace("\ufffd", "") == text
    assert decoded.warnings and "not valid UTF-8" in decoded.warnings[0]


def test_latin1_french_is_read_as_western_and_stays_french(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    article = read_article(path)
    assert article.text == FRENCH
    assert article.language == "fr"
    assert any("guessed as cp1252" in w for w in article.meta.warnings)


def test_plain_utf8_has_no_warning():
    assert decode_article_bytes(FRENCH.encode("utf-8"), what="a").warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide(encoding):
    data = FRENCH.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    decoded = decode_article_bytes(data, what="a")
    assert decoded.text == FRENCH and decoded.warnings == ()


def test_a_declared_html_charset_is_honoured():
    czech = "Příliš žluťoučký kůň úpěl ďábelské ódy. Vláda ve čtvrtek schválila nový rozpočet města."
    page = f'<html><head><meta charset="windows-1250"><title>t</title></head><body><p>{czech}</p></body></html>'
    decoded = decode_article_bytes(page.encode("cp1250"), what="a", html=True)
    assert decoded.encoding == "cp1250" and czech in decoded.text and decoded.warnings == ()


def test_a_page_declaring_latin1_but_valid_utf8_is_read_as_utf8_with_a_warning():
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{FRENCH}</p></body></html>'
    decoded = decode_article_bytes(page.encode("utf-8"), what="a", html=True)
    assert FRENCH in decoded.text and "valid UTF-8" in decoded.warnings[0]


def test_heavily_damaged_utf8_is_refused():
    text = "外交部发言人周二表示，所谓的报道纯属炒作。" * 5
    data = b"".join(ch.encode("utf-8") + (b"\xff" if i % 5 == 0 else b"") for i, ch in enumerate(text))
    with pytest.raises(FrameDiffError) as exc:
        decode_article_bytes(data, what="article a")
    assert exc.value.code == "E003"


def test_the_cli_prints_the_decoding_warning_and_keeps_it_in_the_result(tmp_path):
    import json

    from typer.testing import CliRunner

    from app.cli import app

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(FRENCH.encode("latin-1"))
    b.write_text(FRENCH, encoding="utf-8")
    res = CliRunner().invoke(app, ["compare", str(a), str(b), "--model", "hash", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert "warning: article a is not UTF-8" in res.stderr
    result = json.loads(res.stdout)
    assert result["articles"]["a"]["meta"]["warnings"] and result["articles"]["b"]["meta"]["warnings"] == []


# --- lone surrogates are replaced at the edge -----------------------------------------------------

def test_lone_surrogates_become_replacement_characters_with_a_warning():
    from app.text.article import ArticleMeta
    from app.pipeline import compare
    from app.settings import Settings

    result = compare("The council met on Monday.\ud800 It approved the plan.",
                     "The council met on Monday. It approved it.\udfff", settings=Settings(model="hash"),
                     cache=None, lang_a="en", lang_b="en", meta_a=ArticleMeta(outlet="Wire\ud83d"))
    assert "\ufffd" in result.articles["a"].text and "\ud800" not in result.articles["a"].text
    assert result.articles["a"].meta.outlet == "Wire\ufffd"
    assert "surrogate" in result.articles["b"].meta.warnings[0]
    result.to_json().encode("utf-8")           # writable as UTF-8


# -- issue 23: a wrong charset header does not garble silently ----------------------------------------

def test_a_gbk_page_declared_as_latin1_is_redetected_with_a_warning():
    from app.text.decode import decode_article_bytes

    story = "港口工人周一举行罢工，要求提高工资。工会表示，谈判已经破裂，罢工将持续到周五。" * 3
    decoded = decode_article_bytes(story.encode("gbk"), what="article b", html=True, charset="iso-8859-1")
    assert decoded.text == story and decoded.encoding == "gb18030"
    assert decoded.warnings and "declares charset cp1252" in decoded.warnings[0]


def test_a_latin1_page_declared_as_latin1_stays_latin1_without_a_warning():
    from app.text.decode import decode_article_bytes

    story = "Le conseil municipal a approuvé le pont. Les travaux débuteront au printemps, a déclaré le maire."
    decoded = decode_article_bytes(story.encode("latin-1"), what="article a", html=True, charset="iso-8859-1")
    assert decoded.text == story and decoded.warnings == ()


# -- issue 24: keyboard mash is "language unknown", not Maori or Swahili ---------------------------------

def test_keyboard_mash_has_no_language():
    import pytest

    from app.errors import FrameDiffError
    from app.text.language import detect_language

    for mash in ("asdkjh qwelkj zxcmnb poiuqwe lkjasd", "hfjdks fjdkslaa fjdks qpwoei"):
        with pytest.raises(FrameDiffError) as caught:
            detect_language(mash, what="article a", side="a")
        assert caught.value.code == "E011" and "language unknown" in caught.value.message
    assert detect_language("Halmashauri ya jiji iliidhinisha daraja jipya siku ya Jumatatu.") == "sw"
    assert detect_language("The council approved the bridge on Monday after a long debate.") == "en"
