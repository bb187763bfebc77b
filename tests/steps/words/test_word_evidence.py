"""Evidence behind word scores: dictionary glosses, months and numbers, stems, punctuation, fitting."""

import re

import numpy as np
import pytest

from app.result import SpanKind
from app.settings import Settings
from tests.conftest import SAMPLES
from app.steps.words.word_evidence import (_headwords, char_readings, date_keys, frequency, gloss_stems, han_readings,
                                   is_function_word, latin_key, latin_runs, month_key, readings, stem)
from app.steps.words.scoring import (DEFAULT_WEIGHTS, FEATURES, WordSentence, combine, embed_word_sentences,
                                   evidence, fill_punctuation)


def test_stems_meet_across_inflection():
    assert stem("officials") == stem("official") and stem("policies") == stem("policy")
    assert stem("arrested") == stem("arrest") and stem("Switzerland's") == stem("Switzerland")
    assert stem("agreed") == stem("agree") and stem("press") != stem("president")
    assert stem("Sept") == stem("September") == "september"       # months keep their full name


def test_months_and_numbers_share_keys_across_languages():
    assert month_key("March") == month_key("3月") == month_key("三月") == month_key("Mar.") == "month:3"
    assert month_key("九月份") == month_key("September") == "month:9"
    assert month_key("13月") is None and month_key("Monday") is None
    # jieba cuts 3月 into "3" and "月": both tokens carry the month
    assert date_keys(["2025", "年", "3", "月", "至", "9", "月间"]) == [None, None, "month:3", "month:3", None,
                                                                     "month:9", "month:9"]


def test_glosses_cover_simplified_and_traditional():
    assert stem("minister") in gloss_stems("部长") and gloss_stems("部长") == gloss_stems("部長")
    assert stem("hype") in gloss_stems("炒作")
    assert gloss_stems("minister") == frozenset()


def test_function_words_and_frequency():
    assert is_function_word("Through") and is_function_word("的") and not is_function_word("said")
    assert frequency("the", "en") > frequency("semiconductor", "en") > 0
    assert frequency("Haus", "xx") == frequency("Baum", "xx")   # no word list: one neutral value


def test_fill_punctuation_takes_the_nearest_words():
    scores = np.array([0.2, 0.0, 0.8, 0.0, 0.0], dtype=np.float32)
    scored = np.array([True, False, True, False, False])
    assert np.allclose(fill_punctuation(scores, scored), [0.2, 0.5, 0.8, 0.8, 0.8])
    assert np.allclose(fill_punctuation(np.zeros(2, np.float32), np.zeros(2, bool)), 0)


def _features(use_m3, source: str, source_words, target: str, target_words, langs=("en", "zh")):
    def sentence(text, words, lang):
        spans, at = [], 0
        for w in words:
            at = text.index(w, at)
            spans.append((at, at + len(w)))
            at += len(w)
        return WordSentence(text, tuple(spans), lang)

    src, tgt = embed_word_sentences(use_m3, [sentence(source, source_words, langs[0]),
                                                     sentence(target, target_words, langs[1])])
    feats = evidence([src], [tgt])[0]
    return {w: dict(zip(FEATURES, row)) for w, row in zip(source_words, feats)}, src


@pytest.mark.slow
def test_gloss_evidence_lowers_a_translated_words_score(use_m3):
    words = ["The", "minister", "praised", "the", "farmers", "."]
    zh_words = ["部长", "赞扬", "了", "农民", "。"]
    feats, src = _features(use_m3, "The minister praised the farmers.", words, "部长赞扬了农民。", zh_words)
    assert feats["minister"]["gloss_hit"] == 1 and feats["farmers"]["gloss_hit"] == 1
    assert feats["the"]["gloss_hit"] == 0 and feats["the"]["gloss_miss"] == 0   # function word: not applicable
    other, _ = _features(use_m3, "The minister praised the farmers.", words, "部长赞扬了工人。",
                         ["部长", "赞扬", "了", "工人", "。"])
    assert other["farmers"]["gloss_miss"] == 1
    # the fitted weights reward a dictionary counterpart: same evidence, only the gloss flag flipped
    row = np.array([[feats["farmers"][name] for name in FEATURES]], dtype=np.float32)
    hit, miss = row.copy(), row.copy()
    hit[0, FEATURES.index("gloss_hit")], hit[0, FEATURES.index("gloss_miss")] = 1, 0
    miss[0, FEATURES.index("gloss_hit")], miss[0, FEATURES.index("gloss_miss")] = 0, 1
    scored = np.array([True])
    logit = lambda row: float(np.log(combine(row, scored)[0] / (1 - combine(row, scored)[0])))
    assert logit(hit) < logit(miss) - 0.5       # scores are calibrated to news: low, so compare odds
    zh_feats, _ = _features(use_m3, "部长赞扬了农民。", zh_words, "The minister praised the farmers.", words,
                            langs=("zh", "en"))
    assert zh_feats["部长"]["gloss_hit"] == 1 and zh_feats["农民"]["gloss_hit"] == 1


@pytest.mark.slow
def test_months_match_across_languages(use_m3):
    en = ["It", "ran", "between", "March", "and", "September", "2025", "."]
    zh = ["相关", "货物", "于", "2025", "年", "3", "月", "至", "9", "月间", "运出", "。"]
    feats, _ = _features(use_m3, "It ran between March and September 2025.", en, "相关货物于2025年3月至9月间运出。", zh)
    for word in ("March", "September", "2025"):
        assert feats[word]["fact_match"] == 1 and feats[word]["number"] == 0
    zh_feats, _ = _features(use_m3, "相关货物于2025年3月至9月间运出。", zh, "It ran between March and September 2025.",
                            en, langs=("zh", "en"))
    for word in ("3", "月", "9", "月间", "年"):
        assert zh_feats[word]["fact_match"] == 1, word
    changed, _ = _features(use_m3, "相关货物于2025年4月至9月间运出。", ["相关", "货物", "于", "2025", "年", "4", "月",
                           "至", "9", "月间", "运出", "。"], "It ran between March and September 2025.", en,
                           langs=("zh", "en"))
    assert changed["4"]["fact_match"] == 0 and changed["4"]["number"] == 1
    assert DEFAULT_WEIGHTS.fact_match < 0


def _word_level_spans(use_m3, a, b):
    """The word level's own spans, before app/steps/findings.py folds runs into the specific finding they overlap."""
    from app.pipeline import STEPS, Work, load_embedder, to_article

    settings = Settings()
    work = Work(to_article(a, side="a", language=None, meta=None, settings=settings),
                to_article(b, side="b", language=None, meta=None, settings=settings), settings,
                load_embedder(use_m3, None))
    for name, step in STEPS:
        step(work)
        if name == "word_spans":
            return work.word_spans


@pytest.mark.slow
def test_sample_pair_spans_skip_dates_and_function_words(use_m3, norvale_result):
    from app.text.chinese import word_spans

    spans = _word_level_spans(use_m3, SAMPLES / "norvale" / "a.en.txt", SAMPLES / "norvale" / "b.zh.txt")
    assert spans, "the sample pair has planted additions and omissions"
    for span in spans:
        words = [span.text[s:e] for s, e in word_spans(span.text) if re.search(r"\w", span.text[s:e])]
        assert not all(is_function_word(w) for w in words), span.text
        assert span.text.strip() not in {"3", "9", "月", "年", "March", "September", "3月", "9月"}, span.text
    assert any("知情人士" in s.text or "所谓" in s.text for s in spans if s.side == "b")   # the planted anonymous source
    # the dropped named source: the attribution step names it, and the result shows that span, not a word run
    assert any("seven people" in s.text for s in norvale_result.spans if s.kind is SpanKind.ATTRIBUTION)


@pytest.mark.slow
def test_faithful_sample_translation_has_no_word_spans(use_m3):
    for name in ("b_faithful.zh.txt", "b_faithful.zh-Hant.txt"):
        assert _word_level_spans(use_m3, SAMPLES / "harbour" / "a.en.txt", SAMPLES / "harbour" / name) == []


def test_pinyin_readings_spell_names_the_dictionary_lacks():
    assert "何立峰" not in _headwords() and readings("何立峰") == {"helifeng"}
    assert "lu" in char_readings("吕") and {"hang", "xing"} <= char_readings("行")
    assert latin_key("Xi'an") == "xian"
    assert {"helifeng", "lifeng"} <= latin_runs(("he", "lifeng", ",", "member"))
    assert "he" not in latin_runs(("he", "said"))          # too short to tell a name from a word
    # a name cut in two by the word segmenter is still spelled whole
    assert "helifeng" in han_readings(("何", "立峰", "出席")) and "lifeng" in han_readings(("何", "立峰", "出席"))


@pytest.mark.slow
def test_a_transliterated_name_has_a_counterpart(use_m3):
    en = ["He", "Lifeng", "attended", "the", "meeting", "."]
    zh = ["何立峰", "出席", "了", "会议", "。"]
    feats, _ = _features(use_m3, "He Lifeng attended the meeting.", en, "何立峰出席了会议。", zh)
    assert feats["Lifeng"]["gloss_hit"] == 1 and feats["Lifeng"]["gloss_miss"] == 0
    assert feats["Lifeng"]["han"] == 0
    zh_feats, _ = _features(use_m3, "何立峰出席了会议。", zh, "He Lifeng attended the meeting.", en, langs=("zh", "en"))
    assert zh_feats["何立峰"]["gloss_hit"] == 1 and zh_feats["何立峰"]["han"] == 1
    other, _ = _features(use_m3, "何立峰出席了会议。", zh, "Wang Yi attended the meeting.",
                         ["Wang", "Yi", "attended", "the", "meeting", "."], langs=("zh", "en"))
    assert other["何立峰"]["gloss_miss"] == 1                # another name is no counterpart


def test_fit_weights_learns_a_separating_feature_and_keeps_fixed_ones():
    from bench.word_weights import FIXED, fit_weights

    rng = np.random.default_rng(0)
    sets = []
    for _ in range(2):
        x = rng.random((400, len(FEATURES))).astype(np.float32)
        gold = (x[:, FEATURES.index("sentence")] > 0.5).astype(np.float32)
        sets.append((x, gold))
    weights = fit_weights(sets)
    others = [abs(getattr(weights, name)) for name in FEATURES if name not in FIXED and name != "sentence"]
    assert weights.sentence > 5 and weights.sentence > 5 * max(others)
    for name, value in FIXED.items():
        assert getattr(weights, name) == value


def test_sentence_level_references_score_whole_sentences():
    from bench.word_weights import sentence_level_spearman
    from app.steps.words.pretokenised import ListEvidence

    column = FEATURES.index("sentence")
    feats = [np.zeros((3, len(FEATURES)), np.float32), np.zeros((3, len(FEATURES)), np.float32)]
    feats[0][:, column] = 0.9          # the first sentence matches badly, the second well
    feats[1][:, column] = 0.1
    ev = ListEvidence(groups=[[0, 1, 2], [3, 4, 5]], features=feats, scored=[np.ones(3, bool)] * 2, n_words=6)
    # gold: the first sentence mostly different, the second not at all; word 2 is unlabelled
    gold = np.array([1.0, 0.6, -1.0, 0.0, 0.0, 0.2], np.float32)
    result = sentence_level_spearman([(ev, gold)])
    # the gold mean ranks the first sentence's words above the second's: both scorings agree with it here
    assert result["sentence_gold_mean"] == pytest.approx(result["sentence_evidence"])
    assert result["sentence_evidence"] > 0.5
    assert result["sentences"] == {"none": 0.0, "partial": 0.5, "all": 0.5}
    # turned around, the evidence disagrees with the gold while the ceiling does not move
    feats[0][:, column], feats[1][:, column] = 0.1, 0.9
    flipped = sentence_level_spearman([(ev, gold)])
    assert flipped["sentence_evidence"] < -0.5
    assert flipped["sentence_gold_mean"] == result["sentence_gold_mean"]


def test_a_foreign_name_spelled_close_to_its_pinyin_has_a_counterpart(use_m3):
    from app.steps.words.word_evidence import spelled_like

    assert latin_key("Malatyá") == "malatya"
    assert spelled_like(readings("马拉蒂亚"), frozenset({"malatya"}))
    assert not spelled_like(readings("马拉蒂亚"), frozenset({"madrid", "montreal", "mexico"}))
    assert not spelled_like(readings("拜登"), frozenset({"baden"}))       # shorter than six letters: no guess
    zh = ["一位", "马拉蒂亚", "农民", "收获", "杏子", "。"]
    en = ["A", "farmer", "in", "Malatya", "harvests", "apricots", "."]
    feats, _ = _features(use_m3, "一位马拉蒂亚农民收获杏子。", zh, "A farmer in Malatya harvests apricots.", en,
                         langs=("zh", "en"))
    assert feats["马拉蒂亚"]["gloss_hit"] == 1 and feats["马拉蒂亚"]["gloss_miss"] == 0


def test_glosses_meet_the_words_inside_a_hyphenated_token(use_m3):
    zh = ["新冠", "病例", "增加", "。"]
    en = ["COVID-19", "cases", "rose", "."]
    feats, _ = _features(use_m3, "新冠病例增加。", zh, "COVID-19 cases rose.", en, langs=("zh", "en"))
    assert feats["新冠"]["gloss_hit"] == 1
    back, _ = _features(use_m3, "COVID-19 cases rose.", en, "新冠病例增加。", zh)
    assert back["COVID-19"]["gloss_hit"] == 1


def test_close_spellings_almost_never_meet_by_chance():
    """300 CC-CEDICT headwords of three characters or more against 200 frequent English words each:
    the pinyin of an unrelated word comes close to an English word in under 0.1 % of the pairs."""
    import random

    from wordfreq import top_n_list

    from app.steps.words.word_evidence import spelled_like

    rng = random.Random(7)
    english = [w for w in top_n_list("en", 20000) if len(w) >= 6 and w.isalpha()]
    heads = sorted(h for h in _headwords() if len(h) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in h))
    pairs = [(h, w) for h in rng.sample(heads, 300) for w in rng.sample(english, 200)]
    met = sum(spelled_like(readings(h), frozenset({w})) for h, w in pairs)
    assert met <= len(pairs) // 1000, met
