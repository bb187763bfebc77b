"""The fitted word model (app/steps/words/word_model.py) and the e5 evidence it reads, on invented text."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from app import compare
from app.settings import Settings
from app.steps.words import word_model as wm
from app.steps.words.scoring import ALL_FEATURES, CONTEXT_FEATURES, FEATURES

# b adds a whole clause about a festival that a never mentions; the rest is a close translation.
SOURCE = "The Kelby council approved the new bridge on Monday. Construction will start in April."
REWRITE = "凯尔比市议会周一批准了新桥。工程将于四月开工，同时市政府还将举办盛大的烟花音乐节庆祝。"


def test_the_shipped_model_reads_and_its_hash_is_the_files():
    model = wm.read_model()
    assert model.sha256 == hashlib.sha256(wm.MODEL_PATH.read_bytes()).hexdigest()
    assert set(model.sides) == {"zh", "en"}
    spec = json.loads(wm.MODEL_PATH.read_text(encoding="utf-8"))
    assert spec["built_by"].startswith("python -m bench.word_model")


def test_probabilities_are_probabilities_and_follow_the_words_language():
    model = wm.read_model()
    rng = np.random.default_rng(7)
    features = rng.random((50, len(ALL_FEATURES))).astype(np.float32)
    for language in ("zh", "en", "de"):
        p = model.probability(features, language)
        assert p.shape == (50,) and np.all((p >= 0) & (p <= 1))
    assert np.array_equal(model.probability(features, "de"), model.probability(features, "en"))
    assert model.probability(features[:0], "zh").shape == (0,)


def test_more_contextual_distance_means_a_higher_probability():
    """The e5 evidence carries weight: the same word, further from every word on the other side, scores higher."""
    model = wm.read_model()
    base = np.zeros((1, len(ALL_FEATURES)), dtype=np.float32)
    near, far = base.copy(), base.copy()
    for name in ("ctx_align", "ctx_context"):
        near[0, ALL_FEATURES.index(name)] = 0.1
        far[0, ALL_FEATURES.index(name)] = 0.6
    for language in ("zh", "en"):
        assert model.probability(far, language)[0] > model.probability(near, language)[0]


@pytest.fixture(scope="module")
def festival(use_m3):
    return compare(SOURCE, REWRITE, embedder=use_m3, cache=False, lang_a="en", lang_b="zh")


def test_added_words_score_higher_than_translated_ones(use_m3):
    """b's festival clause has no counterpart in a: its words get high probabilities, the bridge's none."""
    from app.pipeline import STEPS, Work, load_embedder, load_token_encoder, to_article

    settings = Settings()
    work = Work(to_article(SOURCE, side="a", language="en", meta=None, settings=settings),
                to_article(REWRITE, side="b", language="zh", meta=None, settings=settings), settings,
                load_embedder(use_m3, None))
    work.token_encoder = load_token_encoder(settings, "en", "zh")
    for _, step in STEPS:
        step(work)
    b = work.article_b
    probability = {b.token_text(k): float(work.word_probabilities["b"][k]) for k in range(len(b.tokens))}
    assert min(probability[w] for w in ("烟花", "音乐节", "庆祝")) > 0.5
    assert max(probability[w] for w in ("市议会", "批准", "新桥", "四月")) < 0.1
    # the clause sits in a sentence reported as reworded, which says it once (findings.py)
    assert any(s.kind.value == "reworded" and "烟花" in s.text and s.difference for s in work.spans)


def test_the_signature_names_the_token_encoder_and_the_model_hash(festival, use_m3):
    signature = festival.signature
    assert f"@{wm.word_model().sha256[:8]}" in signature and "wm:e5-small[" in signature
    off = compare(SOURCE, REWRITE, embedder=use_m3, cache=False, lang_a="en", lang_b="zh",
                  settings=Settings(word_model="none"))
    assert "wm:none" in off.signature and off.config_hash != festival.config_hash
    assert all((s.detail or {}).get("scored_by", "weights") == "weights" for s in off.spans if s.label == "words")


def test_a_refit_changes_the_signature(tmp_path, monkeypatch, use_m3):
    spec = json.loads(wm.MODEL_PATH.read_text(encoding="utf-8"))
    spec["sides"]["en"]["bias"] += 0.5
    refit = tmp_path / "word_scores.json"
    refit.write_text(json.dumps(spec), encoding="utf-8")
    before = compare(SOURCE, REWRITE, embedder=use_m3, cache=False, lang_a="en", lang_b="zh")
    monkeypatch.setattr(wm, "word_model", lambda: wm.read_model(refit))
    after = compare(SOURCE, REWRITE, embedder=use_m3, cache=False, lang_a="en", lang_b="zh")
    assert before.config_hash != after.config_hash


def test_within_one_language_no_token_encoder_runs(use_m3):
    result = compare("The council approved the bridge.", "The council approved the new bridge quickly.",
                     embedder=use_m3, cache=False, lang_a="en", lang_b="en")
    assert "wm:none" in result.signature


def test_the_feature_columns_are_the_evidence_then_the_context():
    assert ALL_FEATURES[:len(FEATURES)] == FEATURES and ALL_FEATURES[len(FEATURES):] == CONTEXT_FEATURES
