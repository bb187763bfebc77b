"""Frames per article: shares sum to one, the shift is b - a, and the field round-trips."""

from __future__ import annotations

import pytest

from app.frames import frame_descriptions, frame_names, frames_record
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
