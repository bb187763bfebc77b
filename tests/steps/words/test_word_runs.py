"""Plumbing of word runs and pre-tokenised input (no model needed)."""

import numpy as np

from app.steps.words.scoring import _context_mean, high_runs
from app.steps.words.pretokenised import split_word_list


def test_high_runs_bridge_gaps_and_drop_edge_punctuation():
    scores = np.array([0.1, 0.9, 0.0, 0.8, 0.2, 0.7, 0.0, 0.1, 0.1, 0.95], dtype=np.float32)
    scored = np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 1], dtype=bool)
    runs = high_runs(scores, scored, threshold=0.5, max_gap=1)
    assert [(r.first, r.last) for r in runs] == [(1, 5), (9, 9)]
    assert abs(runs[0].score - np.mean([0.9, 0.8, 0.2, 0.7])) < 1e-6
    strict = high_runs(scores, scored, threshold=0.5, max_gap=0, min_words=2)
    assert [(r.first, r.last) for r in strict] == [(1, 3)]


def test_split_word_list_keeps_word_offsets():
    words = ["The", "men", "left", ".", "They", "came", "back", "!"]
    sentences, groups = split_word_list(words)
    assert groups == [[0, 1, 2, 3], [4, 5, 6, 7]]
    for sent, group in zip(sentences, groups):
        assert [sent.word(k) for k in range(len(sent.words))] == [words[i] for i in group]
    zh, _ = split_word_list(["他们", "离开", "了", "。"], joiner="")
    assert zh[0].text == "他们离开了。" and zh[0].word(1) == "离开"


def test_context_mean_is_a_clipped_window_mean():
    values = np.array([1.0, 0.0, 0.0, 1.0])
    assert np.allclose(_context_mean(values, 1), [0.5, 1 / 3, 1 / 3, 0.5])


def test_one_word_spans_only_within_one_language():
    """Across languages a span needs word_diff_min_words_cross (2) words; within one, word_diff_min_words (1)."""
    from app.steps.align import Alignment, Link
    from app.text.reader import build_article
    from app.settings import Settings
    from app.steps.words.spans import word_spans

    a = build_article("The minister will resign next week.", language="en")
    links = Alignment((Link((0,), (0,), 0.9),), 1, 1)

    def flagged(b, high, **settings):
        scores = {"a": np.zeros(len(a.tokens), np.float32), "b": np.zeros(len(b.tokens), np.float32)}
        for k, token in enumerate(b.tokens):
            if b.text[token.start:token.end] in high:
                scores["b"][k] = 0.9
        return [s.text for s in word_spans(a, b, links, scores, Settings(**settings))]

    zh = build_article("部长下周将突然辞职。", language="zh")
    en = build_article("The minister will suddenly resign next week.", language="en")
    assert flagged(zh, {"突然"}) == []                                   # one word across languages
    assert flagged(zh, {"突然"}, word_diff_min_words_cross=1) == ["突然"]
    assert flagged(zh, {"将", "突然"}) == ["将突然"]                     # two words are enough
    assert flagged(en, {"suddenly"}) == ["suddenly"]                     # within one language


def test_added_words_across_languages_need_the_stronger_threshold():
    """Across languages b's words use word_diff_threshold_added_cross, a's word_diff_threshold_cross;
    within one language both sides use word_diff_threshold_mono."""
    from app.steps.align import Alignment, Link
    from app.text.reader import build_article
    from app.settings import Settings
    from app.steps.words.spans import word_spans

    def flagged(a, b, score, **settings):
        scores = {"a": np.full(len(a.tokens), score, np.float32), "b": np.full(len(b.tokens), score, np.float32)}
        links = Alignment((Link((0,), (0,), 0.9),), 1, 1)
        return {s.side for s in word_spans(a, b, links, scores, Settings(**settings))}

    en = build_article("The minister will resign next week.", language="en")
    zh = build_article("部长下周将辞职。", language="zh")
    other_en = build_article("The premier may quit soon after.", language="en")
    cross = dict(word_diff_threshold_cross=0.4, word_diff_threshold_added_cross=0.6)
    assert flagged(en, zh, 0.5, **cross) == {"a"}                 # omitted words pass, added ones do not
    assert flagged(en, zh, 0.7, **cross) == {"a", "b"}
    assert flagged(en, other_en, 0.5, word_diff_threshold_mono=0.45, **cross) == {"a", "b"}


def test_literal_insertions_are_runs_of_words_the_other_side_lacks():
    from app.steps.words.literal import literal_insertions, shared_share, word_key

    a = "the company said its new inhaler cut attacks".split()
    b = "the company said its new inhaler an unprecedented historic breakthrough cut attacks".split()
    keys_b = [word_key(w, "en") for w in b]
    assert shared_share([word_key(w, "en") for w in a], keys_b) > 0.5
    assert literal_insertions(keys_b, [word_key(w, "en") for w in a], min_run=3) == [6, 7, 8, 9]
    # punctuation (None) neither breaks a run nor counts in it; shorter runs are left to the model
    assert literal_insertions(["x", None, "y", "z", "a"], ["a"], min_run=3) == [0, 2, 3]
    assert literal_insertions(["held", "at", "close", "to"], ["at", "near"], min_run=3) == []
    # inflections are the same word in English
    assert word_key("Detained", "en") == word_key("detains", "en")
