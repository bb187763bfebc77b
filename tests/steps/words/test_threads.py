"""Comparisons in threads share the word-vector cache safely, also while it evicts (issue 23)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from app import compare
from app.steps.words import spans

PAIRS = [
    ("The Kelby city council approved a new bridge on Monday. Work starts in spring, officials said.",
     "凯尔比市议会周一批准修建一座新桥。官员表示，工程将于春季开工。"),
    ("Rain closed three mountain roads near Ostrava. Drivers were told to wait for the snowploughs.",
     "俄斯特拉发附近三条山路因降雨封闭。司机被告知等待扫雪车。"),
]


def _spans(result):
    return [(s.side, s.start, s.end, s.kind.value) for s in result.spans]


def test_two_comparisons_in_threads_with_evictions_forced(use_m3, monkeypatch):
    monkeypatch.setattr(spans, "_CACHE_SIZE", 2)       # nearly every insertion evicts
    expected = [_spans(compare(a, b, embedder=use_m3, cache=False, lang_a="en", lang_b="zh")) for a, b in PAIRS]

    def run(k: int):
        spans.clear_word_vector_cache() if k % 5 == 0 else None
        a, b = PAIRS[k % 2]
        return k % 2, _spans(compare(a, b, embedder=use_m3, cache=False, lang_a="en", lang_b="zh"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(run, range(16)))
    assert len(done) == 16
    for which, found in done:
        assert found == expected[which]
    assert len(spans._cache) <= 2


@pytest.mark.parametrize("size", [0, 1])
def test_eviction_bound_holds(use_m3, monkeypatch, size):
    monkeypatch.setattr(spans, "_CACHE_SIZE", size)
    compare(*PAIRS[0], embedder=use_m3, cache=False, lang_a="en", lang_b="zh")
    assert len(spans._cache) <= size
