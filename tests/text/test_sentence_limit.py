"""Over-long sentences are cut at segmentation, with exact offsets (app/text/sentence_limit.py)."""

import pytest

from app.text.reader import build_article
from app.text.sentence_limit import MAX_SENTENCE_CHARS, cap_sentence


def _pieces(text, limit):
    return [text[s:e] for s, e in cap_sentence(text, 0, len(text), limit)]


def test_a_short_sentence_is_left_whole():
    assert cap_sentence("  hello world ", 2, 13, 50) == [(2, 13)]


def test_cuts_prefer_clause_punctuation_then_whitespace_then_a_hard_window():
    assert _pieces("一二三四五，六七八九十，甲乙丙", 8) == ["一二三四五，", "六七八九十，", "甲乙丙"]
    assert _pieces("alpha beta gamma delta", 12) == ["alpha beta", "gamma delta"]
    assert _pieces("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_a_hard_cut_keeps_combining_marks_with_their_letter():
    text = "e\u0301" * 10          # é as e + combining acute
    for piece in _pieces(text, 5):
        assert not piece.startswith("\u0301")


def test_unpunctuated_chinese_becomes_bounded_sentences_with_exact_offsets():
    text = "我们今天讨论经济政策和国际关系的问题" * 300      # 5,400 characters, no punctuation
    article = build_article(text, language="zh")
    assert len(article.sentences) >= len(text) // MAX_SENTENCE_CHARS
    assert "".join(article.sentence_texts) == text
    for i, sent in enumerate(article.sentences):
        assert 0 < sent.end - sent.start <= MAX_SENTENCE_CHARS
        assert article.text[sent.start:sent.end] == article.sent_text(i)
    for token in article.tokens:
        sent = article.sentences[token.sent]
        assert sent.start <= token.start < token.end <= sent.end


def test_a_long_english_line_without_full_stops_is_cut_between_words():
    text = " ".join(["the committee met again"] * 200)
    article = build_article(text, language="en")
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in article.sentences)
    assert all(text[s.start].isalpha() and text[s.end - 1].isalpha() for s in article.sentences)
    assert " ".join(article.sentence_texts) == text


@pytest.mark.slow
def test_no_later_stage_sees_a_sentence_over_the_cap(use_m3, monkeypatch):
    """The reproducer of issue 15: unpunctuated Chinese was one sentence, and the word level's
    words x pieces matrices grew with its square (50,000 characters: 80 s, 7.4 GB)."""
    from app import pipeline
    from app.steps.words import scoring

    longest = []
    original = scoring.embed_word_sentences

    def recording(embedder, sentences):
        longest.append(max(len(s.text) for s in sentences))
        return original(embedder, sentences)

    monkeypatch.setattr("app.steps.words.spans.embed_word_sentences", recording)
    text = "我们今天讨论经济政策和国际关系的问题以及未来发展方向" * 400        # 10,400 characters
    result = pipeline.compare(text, text[:5000] + text[5100:], embedder=use_m3, cache=None,
                              lang_a="zh", lang_b="zh")
    assert longest and max(longest) <= MAX_SENTENCE_CHARS
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for side in "ab" for s in result.articles[side].sentences)
