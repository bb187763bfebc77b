import pytest

from app.text.reader import build_article


def _check_offsets(article):
    for i, sent in enumerate(article.sentences):
        assert article.text[sent.start:sent.end] == article.sent_text(i)
        assert article.sent_text(i) == article.sent_text(i).strip()
        for tok in article.sent_tokens(i):
            assert sent.start <= tok.start < tok.end <= sent.end
            assert article.token_text(article.tokens.index(tok)) == article.text[tok.start:tok.end]


def test_english_wire_copy_keeps_datelines_quotes_and_bylines():
    text = ('WASHINGTON, Nov 24 (Reuters) - The U.S. said Mr. Smith, 45, paid $2.5 million. '
            '"We could not establish that," he said.\nBy Jane Doe\n\nPhoto caption: a ship in port\n'
            '- first item\n- second item')
    article = build_article(text, language="en")
    assert article.sentence_texts == [
        "WASHINGTON, Nov 24 (Reuters) - The U.S. said Mr. Smith, 45, paid $2.5 million.",
        '"We could not establish that," he said.', "By Jane Doe", "Photo caption: a ship in port",
        "- first item", "- second item"]
    _check_offsets(article)


@pytest.mark.parametrize("text,language,expected", [
    ("Putin's ceasefire offer? US says no\nThe offer was made in 2023. It was rejected.", "en",
     ["Putin's ceasefire offer? US says no", "The offer was made in 2023.", "It was rejected."]),
    ("普京提议停火？美方断然拒绝\n普京去年提议停火。美方拒绝了。", "zh",
     ["普京提议停火？美方断然拒绝", "普京去年提议停火。", "美方拒绝了。"]),
])
def test_a_headline_line_is_one_sentence_even_with_a_question_mark_inside(text, language, expected):
    """A short line that does not end like a sentence is a headline; lines that do are split as usual."""
    article = build_article(text, language=language)
    assert article.sentence_texts == expected
    _check_offsets(article)


def test_markdown_markers_are_outside_sentences():
    article = build_article("# Title here\n\n* a list item.\n1. numbered one.\n> quoted text.", language="en",
                            fmt="markdown")
    assert article.sentence_texts == ["Title here", "a list item.", "numbered one.", "quoted text."]
    _check_offsets(article)


def test_chinese_quotes_stay_inside_the_sentence_and_traditional_is_folded():
    text = "外交部發言人週二表示：“所謂的報道純屬炒作。我們堅決反對。”他說，美方應停止抹黑。真的嗎？"
    article = build_article(text, language="zh")
    assert article.script == "Hant"
    assert article.sentence_texts == ["外交部發言人週二表示：“所謂的報道純屬炒作。我們堅決反對。”",
                                      "他說，美方應停止抹黑。", "真的嗎？"]
    assert article.match_text.startswith("外交部发言人周二表示")
    words = [article.token_text(i) for i in range(len(article.tokens))]
    assert "所謂" in words and "炒作" in words
    _check_offsets(article)


def test_numbers_and_hyphenated_words_are_single_tokens():
    article = build_article("It paid $23.5 million to so-called partners, up 4%.", language="en")
    words = [article.token_text(i) for i in range(len(article.tokens))]
    assert "23.5" in words and "so-called" in words and "4%" in words


def test_initialisms_are_single_tokens():
    article = build_article("The U.S. Postal Service and the U.N. agreed on it.", language="en")
    words = [article.token_text(i) for i in range(len(article.tokens))]
    assert words[:2] == ["The", "U.S."] and "U.N." in words and "U" not in words


@pytest.mark.parametrize("mode,expected", [("strict", (1, 3)), ("contract", (1, 3)), ("expand", (1, 3))])
def test_char_span_modes_on_boundaries(mode, expected):
    article = build_article("One two three four.", language="en")
    assert article.char_span(4, 13, mode=mode) == expected


def test_char_span_off_boundary():
    article = build_article("One two three four.", language="en")
    assert article.char_span(5, 13, mode="strict") is None
    assert article.char_span(5, 13, mode="contract") == (2, 3)
    assert article.char_span(5, 13, mode="expand") == (1, 3)
