"""Frames per article: shares sum to one, the shift is b - a, and the field round-trips."""

from __future__ import annotations

import pytest

import numpy as np

from app.steps.frame_shares import assign_frames_linked, frame_descriptions, frame_names, frames_record
from app.result import Result


def test_fifteen_frames_with_english_and_chinese_descriptions():
    descriptions = frame_descriptions()
    assert len(frame_names()) == 15 and frame_names()[-1] == "other"
    for texts in descriptions.values():
        assert any(t.isascii() for t in texts) and any(not t.isascii() for t in texts)


def test_shares_shift_and_total_variation():
    record = frames_record(["economic", "economic", "policy", "other"], ["political", "policy"])
    assert record.a["economic"] == 0.5 and record.b["political"] == 0.5
    assert sum(record.a.values()) == pytest.approx(1) and sum(record.b.values()) == pytest.approx(1)
    assert record.shift["economic"] == -0.5 and record.shift["political"] == 0.5
    assert record.total_variation == pytest.approx(0.75)


@pytest.mark.slow
def test_result_carries_frames(norvale_result):
    frames = norvale_result.frames
    assert len(frames.sentences_a) == len(norvale_result.articles["a"].sentences)
    assert len(frames.sentences_b) == len(norvale_result.articles["b"].sentences)
    assert set(frames.sentences_b) <= set(frame_names())
    again = Result.from_json(norvale_result.to_json())
    assert again.frames == frames
    old = norvale_result.to_dict()
    del old["frames"]
    assert Result.from_json(old).frames is None  # results written before the field still load


class OneHotFrames:
    """A stand-in embedder: each frame description becomes the unit vector of its frame."""

    name = "one-hot-frames (test)"

    def __init__(self):
        self.order = list(frame_descriptions())

    def encode(self, texts):
        where = {text: self.order.index(name) for name, items in frame_descriptions().items() for text in items}
        out = np.zeros((len(texts), len(self.order)), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, where[text]] = 1.0
        return out

    def fixed_vectors(self, name, texts):      # the pipeline's CachedEmbedder keeps these per model
        return self.encode(texts)

    def sentence(self, **weights):
        vector = np.zeros(len(self.order), dtype=np.float32)
        for name, weight in weights.items():
            vector[self.order.index(name)] = weight
        return vector


def test_kept_link_shares_one_frame_and_other_sentences_keep_their_own():
    embedder = OneHotFrames()
    a = np.stack([embedder.sentence(economic=0.9, policy=0.3), embedder.sentence(policy=0.8)])
    b = np.stack([embedder.sentence(economic=0.2, policy=0.7), embedder.sentence(health_and_safety=0.9),
                  embedder.sentence(political=0.1)])
    alone = assign_frames_linked(a, b, [], embedder, min_similarity=0.18)
    assert alone == {"a": ["economic", "policy"], "b": ["policy", "health_and_safety", "other"]}
    linked = assign_frames_linked(a, b, [((0,), (0, 2))], embedder, min_similarity=0.18)
    # the link's mean table: economic (0.9+0.2+0)/3 = .37 beats policy (0.3+0.7+0)/3 = .33
    assert linked == {"a": ["economic", "policy"], "b": ["economic", "health_and_safety", "economic"]}


@pytest.mark.slow
def test_faithful_translation_shows_no_frame_shift_and_an_added_aside_does(tmp_path):
    from pathlib import Path

    from app.pipeline import compare

    root = Path(__file__).resolve().parents[2] / "corpora" / "samples" / "harbour"
    faithful = compare(root / "a.en.txt", root / "b_faithful.zh-Hant.txt").frames
    assert faithful.total_variation == 0 and faithful.sentences_a == faithful.sentences_b
    framed = compare(root / "a.en.txt", root / "b_framed.zh.txt")
    added = [s.index for s in framed.articles["b"].sentences if s.status == "added"]
    assert added and framed.frames.total_variation > 0
    assert {framed.frames.sentences_b[i] for i in added} - {"other"}


@pytest.mark.slow
def test_bench_frames_labels_a_document_alone_and_linked():
    from bench.frames import document_frames
    from app.pipeline import default_cache, load_embedder
    from app.settings import Settings

    zh = ["央行周二宣布将基准利率下调0.25个百分点。", "分析人士认为，此举旨在刺激疲软的经济增长。", "总统周三在议会发表讲话。"]
    en = ["The central bank cut its benchmark interest rate by 0.25 percentage points on Tuesday.",
          "Analysts said the move aims to stimulate weak economic growth.",
          "The president addressed parliament on Wednesday."]
    alone, linked, kept, links = document_frames(zh, en, load_embedder("use-m3", default_cache()), Settings())
    assert links == kept == 3                       # a faithful translation: every link kept
    assert len(alone["a"]) == len(alone["b"]) == 3
    assert linked["a"] == linked["b"]               # so both sides carry the same frames
