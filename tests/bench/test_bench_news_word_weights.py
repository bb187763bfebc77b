"""bench news-word-weights: its evidence is the pipeline's, its labels follow the raters' spans, its fit separates."""

import numpy as np
import pytest

from app.settings import Settings
from app.steps.words.scoring import DEFAULT_WEIGHTS, FEATURES, combine
from bench import news_mqm
from bench.news_word_weights import (MISTRANSLATED, NEGATIVE, POSITIVE, UNLABELLED, aligned_work, fit_logistic,
                                     linked_evidence, share_out, token_class, training_rows, Tokens)

# Invented for the test: segment 1 is faithful, segment 2 drops 昨天 (a Major omission) and adds
# "suddenly" (a Major addition); one rater calls "a dog" a Major mistranslation of 一只猫.
RECORD = {"doc": "invented", "system": "sys", "segments": [
    {"i": 1, "source": "警方逮捕了三名男子。", "target": "Police arrested three men.", "label": "faithful", "ratings": []},
    {"i": 2, "source": "他昨天看到一只猫。", "target": "He suddenly saw a dog.", "label": "major", "ratings": [
        {"rater": "r1", "errors": [
            {"category": "Accuracy/Omission (Translation)", "severity": "Major", "side": "source", "start": 1,
             "end": 3, "text": "昨天"},
            {"category": "Accuracy/Addition", "severity": "Major", "side": "target", "start": 3, "end": 11,
             "text": "suddenly"},
            {"category": "Accuracy/Mistranslation", "severity": "Major", "side": "target", "start": 16, "end": 21,
             "text": "a dog"}]}]}]}


def test_token_classes_follow_segments_and_rater_spans():
    from bench.news_word_weights import mistranslation_spans

    pair = news_mqm.build_pair(RECORD)
    mis = mistranslation_spans(RECORD, pair)
    a, b = pair.text_a, pair.text_b

    def klass(side, text, word):
        at = text.index(word)
        return token_class(pair, mis, side, (at, at + len(word)))

    assert klass("a", a, "警方") == NEGATIVE and klass("b", b, "Police") == NEGATIVE
    assert klass("a", a, "昨天") == POSITIVE and klass("b", b, "suddenly") == POSITIVE
    assert klass("b", b, "dog") == MISTRANSLATED
    assert klass("a", a, "猫") == UNLABELLED and klass("b", b, "saw") == UNLABELLED   # rest of a major segment


@pytest.mark.slow
def test_bench_evidence_gives_the_pipelines_word_scores(use_m3):
    from app.pipeline import load_embedder, step_word_scores

    pair = news_mqm.build_pair(RECORD)
    work = aligned_work(pair.text_a, pair.text_b, Settings(), load_embedder(use_m3, None))
    feats, vectors = linked_evidence(work.article_a, work.article_b, work.alignment, work.embedder)
    step_word_scores(work)
    assert feats["a"] and feats["b"]
    for side, article in (("a", work.article_a), ("b", work.article_b)):
        for i, f in feats[side].items():
            sent = article.sentences[i]
            expected = work.token_scores[side][sent.token_start:sent.token_end]
            assert np.allclose(combine(f, vectors[side][i].scored, DEFAULT_WEIGHTS), expected, atol=1e-6)


def test_fit_separates_and_each_group_weighs_its_share():
    from bench.word_weights import FIXED, L2

    rng = np.random.default_rng(0)
    x = rng.random((600, len(FEATURES))).astype(np.float32)
    column = FEATURES.index("han")
    news = [(x, x[:, column] > 0.7, np.ones(len(x)))]
    other = [(x, x[:, FEATURES.index("sentence")] > 0.7, np.ones(len(x)))]
    leaning_news = fit_logistic(share_out([(0.9, news), (0.1, other)]), l2=L2, fixed=FIXED)
    leaning_other = fit_logistic(share_out([(0.1, news), (0.9, other)]), l2=L2, fixed=FIXED)
    assert leaning_news.han > leaning_news.sentence and leaning_other.sentence > leaning_other.han
    for name, value in FIXED.items():
        assert getattr(leaning_news, name) == value
    rows = share_out([(0.75, news), (0.25, other + other)])
    assert [round(float(r.sum()), 3) for _, _, r in rows] == [0.75, 0.125, 0.125]


def test_training_rows_weigh_mistranslations_or_leave_them_out():
    klass = np.array([NEGATIVE, POSITIVE, MISTRANSLATED, UNLABELLED, NEGATIVE], np.int32)
    tokens = Tokens(np.eye(5, len(FEATURES), dtype=np.float32), np.array([True, True, True, True, False]),
                    np.ones(5, np.int32), np.zeros(5, np.int32), klass, np.zeros(5, np.int32))
    (_, _, _), (x, positive, weight) = training_rows(tokens, 0.0)
    assert len(x) == 2 and positive.tolist() == [False, True]        # punctuation and unlabelled words out
    (_, _, _), (x, positive, weight) = training_rows(tokens, 0.3)
    assert positive.tolist() == [False, True, True] and weight.tolist() == pytest.approx([1.0, 1.0, 0.3])
