"""`python -m bench many`: seconds for one source and five rewrites of ~1,000 words (`compare_many`, issue 17).

The story is built from the project's own sample articles (corpora/samples), never from benchmark text:
the source is the ~1,000-word English text of `bench speed` (rottervik + floods + norvale); the five
rewrites are, deterministically,

1. its Chinese rewrite (the samples' b.zh.txt, concatenated);
2. that Chinese rewrite with every 4th sentence dropped and the harbour-strike Chinese report added;
3. the English source with every 5th sentence dropped and the harbour-strike English report added
   (so 2 and 3 share added material across languages, which the grouping of additions must find);
4. the English source with its paragraphs in reverse order and the lakeside-trial report added;
5. the Chinese rewrite with every 3rd sentence dropped and the lakeside-trial Chinese report added.

The model is loaded and one whole run is made to warm up. Each timed repeat then runs ``compare_many``
with a fresh, empty embedding cache and no word vectors kept, so nothing of the story is embedded before
the repeat starts; within a repeat the source is embedded by the first pair and read from the cache by
the other four (as in real use). Reports the mean with a 95% bootstrap interval, the texts embedded per
run, and the share of the time spent in the five two-way comparisons.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

from models.cache import CachedEmbedder, EmbeddingCache

from app.many import compare_many
from app.pipeline import load_embedder
from app.settings import Settings
from app.steps.words.spans import clear_word_vector_cache
from bench.speed import SAMPLES, speed_pair
from bench.stats import SEED, bootstrap_mean_ci

TARGET_SECONDS = 3.0


def _drop_every(text: str, k: int, *, zh: bool) -> str:
    """``text`` without every ``k``-th sentence (paragraphs kept)."""
    split = re.compile(r"(?<=[。！？])" if zh else r"(?<=[.!?])\s+")
    count = 0
    paragraphs = []
    for paragraph in text.split("\n\n"):
        kept = []
        for sent in (s for s in split.split(paragraph) if s.strip()):
            count += 1
            if count % k:
                kept.append(sent.strip())
        paragraphs.append(("" if zh else " ").join(kept))
    return "\n\n".join(p for p in paragraphs if p)


def many_story() -> tuple[str, list[str], list[str]]:
    """The source text, the five rewrites and their names."""
    source, zh = speed_pair()

    def sample(name: str, file: str) -> str:
        return (SAMPLES / name / file).read_text(encoding="utf-8").strip()

    rewrites = [
        zh,
        _drop_every(zh, 4, zh=True) + "\n\n" + sample("harbour-strike", "b.zh.txt"),
        _drop_every(source, 5, zh=False) + "\n\n" + sample("harbour-strike", "a.en.txt"),
        "\n\n".join(reversed(source.split("\n\n"))) + "\n\n" + sample("lakeside-trial", "a.en.txt"),
        _drop_every(zh, 3, zh=True) + "\n\n" + sample("lakeside-trial", "b.zh.txt"),
    ]
    names = ["zh-full", "zh-cut-strike", "en-cut-strike", "en-reversed-trial", "zh-cut-trial"]
    return source, rewrites, names


def run_many_bench(*, repeats: int = 5, model: str = "use-m3", log: Callable[[str], None] = lambda _: None) -> dict:
    settings = Settings(model=model)
    source, rewrites, names = many_story()
    embedder = load_embedder(model, None).embedder       # the bare model, loaded once
    t = time.perf_counter()
    many = compare_many(source, rewrites, names=names, settings=settings, embedder=CachedEmbedder(embedder, None),
                        cache=None)
    warm_up = time.perf_counter() - t
    seconds, pair_seconds, embedded = [], [], []
    for k in range(repeats):
        clear_word_vector_cache()
        with tempfile.TemporaryDirectory() as tmp:
            cached = CachedEmbedder(embedder, EmbeddingCache(Path(tmp) / "embeddings.sqlite"))
            t = time.perf_counter()
            many = compare_many(source, rewrites, names=names, settings=settings, embedder=cached, cache=None)
            seconds.append(time.perf_counter() - t)
            pair_seconds.append(many.timings["pairs"])
            embedded.append(cached.misses)
        log(f"repeat {k + 1}: {seconds[-1]:.3f} s ({many.timings['pairs']:.3f} s in the five comparisons), "
            f"{cached.misses} texts embedded")
    mean = float(np.mean(seconds))
    sentences = {o.name: len(o.result.articles["b"].sentences) for o in many.outlets}
    return {"bench": "many", "model": embedder.signature(), "config_hash": many.outlets[0].result.config_hash,
            "words_source": len(source.split()),
            "rewrites": {name: {"chars": len(text), "words_en": len(text.split()) if not name.startswith("zh") else None,
                                "sentences": sentences[name]}
                         for name, text in zip(names, rewrites)},
            "sentences_source": len(many.rows),
            "warm_up_seconds": round(warm_up, 3), "repeats": repeats,
            "seconds": [round(s, 4) for s in seconds], "mean_seconds": round(mean, 4),
            "mean_ci95": bootstrap_mean_ci(seconds), "seed": SEED,
            "median_seconds": round(float(np.median(seconds)), 4),
            "load_average_1min": round(os.getloadavg()[0], 2),   # the 2 cores are shared: read the spread with it
            "mean_seconds_in_pairs": round(float(np.mean(pair_seconds)), 4),
            "texts_embedded_per_run": embedded[-1],
            "shared_added_groups": sum(g.shared for g in many.added),
            "target_seconds": TARGET_SECONDS, "met": bool(mean < TARGET_SECONDS), "met_median": bool(np.median(seconds) < TARGET_SECONDS)}
