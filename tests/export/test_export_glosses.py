"""Word glosses for reading Chinese without a translation model (a view helper, app/export/glosses.py)."""

from __future__ import annotations

import pytest

from app.export.glosses import first_sense, gloss_line, glossed, sentence_words, word_gloss
from app.export.html_view import GLOSS_LABEL, render_comparison_html
from tests.export.test_export_support import parse_html

SENTENCE = "美国商务部声称正在审查该报道。"


def test_words_point_into_the_sentence_and_carry_dictionary_glosses():
    words = sentence_words(SENTENCE)
    assert "".join(w.text for w in words) == SENTENCE
    assert all(SENTENCE[w.start:w.end] == w.text for w in words)
    by_word = {w.text: w.gloss for w in words}
    assert by_word["审查"] and "examine" in by_word["审查"]
    assert by_word["。"] is None                                   # punctuation has no gloss


def test_news_lexicon_first_then_cedict_then_whole_parts():
    assert word_gloss("称") == "said"                              # CC-CEDICT's first sense is "to fit"
    assert word_gloss("炒作").startswith("hyp")
    assert word_gloss("美国商务部") == "United States + Department of Trade"   # two entries of 2+ characters
    assert word_gloss("瓦尔") is None                               # no guessing from single characters
    assert word_gloss("所謂") == word_gloss("所谓")                  # Traditional reads like Simplified


def test_gloss_line_is_a_word_by_word_crib():
    line = gloss_line("新加坡诺瓦尔半导体公司去年运送了设备。")
    assert line.startswith("Singapore") and "瓦尔" in line and "semiconductor" in line and line.endswith("equipment.")
    assert "(" not in line                                        # grammatical notes are left out
    assert first_sense("media, esp. news media") == "media" and first_sense("(completed action marker)") == ""


def test_only_chinese_is_glossed():
    assert glossed("zh") and not glossed("en")


def test_sentence_words_are_cached():
    sentence_words.cache_clear()
    sentence_words(SENTENCE)
    sentence_words(SENTENCE)
    assert sentence_words.cache_info().hits == 1


@pytest.mark.slow
def test_every_chinese_word_in_the_html_has_its_gloss_escaped(norvale_result):
    root, tags = parse_html(render_comparison_html(norvale_result))
    zh = [n for n in root.find_all("p", "fd-sent") if n.attrs.get("lang") == "zh"]
    assert zh
    for p in zh:
        text = p.find_all("span", "fd-text")[0]
        sent = norvale_result.articles["b"].sentences[int(text.attrs["data-index"])]
        assert text.text() == norvale_result.articles["b"].text[sent.start:sent.end]   # wrapping keeps the text
        words = {w.text: w.gloss for w in sentence_words(text.text())}
        for node in text.find_all("span", "fd-w"):
            assert node.attrs["data-gl"] == words[node.text()] or node.attrs["data-gl"] in words.values()
    lines = root.find_all("p", "fd-gl")
    assert len(lines) == len(zh) and all(GLOSS_LABEL in line.text() for line in lines)
    assert not [n for n in root.find_all("p", "fd-sent") if n.attrs.get("lang") == "en" and n.find_all("span", "fd-w")]
    none = parse_html(render_comparison_html(norvale_result, glosses=False))[0]
    assert not none.find_all("span", "fd-w") and not none.find_all("p", "fd-gl")


@pytest.mark.slow
def test_hostile_chinese_text_stays_text(norvale_result):
    article = norvale_result.articles["b"]
    text = "<img src=x onerror=alert(1)>美国商务部声称正在审查该报道。"
    sent = article.sentences[0].model_copy(update={"start": 0, "end": len(text)})
    hostile = norvale_result.model_copy(update={
        "articles": {"a": norvale_result.articles["a"],
                     "b": article.model_copy(update={"text": text, "sentences": [sent]})},
        "spans": [], "alignment": norvale_result.alignment.model_copy(update={"links": [], "unaligned_a": [],
                                                                               "unaligned_b": [0]})})
    root, tags = parse_html(render_comparison_html(hostile))
    assert not [t for t, _ in tags if t == "img"]
    assert "<img src=x onerror=alert(1)>" in root.text()
