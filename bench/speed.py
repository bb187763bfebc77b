"""`python -m bench speed`: seconds for one ~1,000-word en-zh comparison, cold cache.

The pair is built from the project's own sample articles (corpora/samples: each
English report and its Chinese rewrite, concatenated), never from benchmark text.
The model is loaded and warmed up first; then every repeat runs the full
``compare`` with a fresh, empty on-disk embedding cache, so every sentence and
sentence group is embedded anew. Reports the mean with a 95% bootstrap interval
and the embedder's own throughput in sentences per second.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

from models.cache import CachedEmbedder, EmbeddingCache

from app.pipeline import compare, load_embedder
from app.settings import Settings
from app.steps.words.spans import clear_word_vector_cache
from bench.stats import SEED, bootstrap_mean_ci

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
PAIRS = ("rottervik", "floods", "norvale")


def speed_pair() -> tuple[str, str]:
    """English and Chinese article text made of the sample pairs, about 1,000 English words."""
    a = "\n\n".join((SAMPLES / name / "a.en.txt").read_text(encoding="utf-8").strip() for name in PAIRS)
    b = "\n\n".join((SAMPLES / name / "b.zh.txt").read_text(encoding="utf-8").strip() for name in PAIRS)
    return a, b


def run_speed_bench(*, repeats: int = 5, model: str = "use-m3",
                    log: Callable[[str], None] = lambda _: None) -> dict:
    settings = Settings(model=model)
    text_a, text_b = speed_pair()
    embedder = load_embedder(model, None).embedder       # the bare model, loaded once
    t = time.perf_counter()
    # Warm up on the pair itself, uncached: every step runs once, so per-process state (lexicon seed
    # vectors, frame descriptions, jieba, lingua) is loaded before timing. Each repeat below starts
    # from an empty sentence cache and no word vectors, so no text of the pair is reused.
    compare(text_a, text_b, settings=settings, embedder=CachedEmbedder(embedder, None), lang_a="en", lang_b="zh")
    warm_up = time.perf_counter() - t
    seconds, embedded, steps = [], [], []
    for k in range(repeats):
        # Cold for this pair: a fresh sentence cache, and no word vectors kept from the last repeat.
        clear_word_vector_cache()
        with tempfile.TemporaryDirectory() as tmp:
            cached = CachedEmbedder(embedder, EmbeddingCache(Path(tmp) / "embeddings.sqlite"))
            t = time.perf_counter()
            result = compare(text_a, text_b, settings=settings, embedder=cached, lang_a="en", lang_b="zh")
            seconds.append(time.perf_counter() - t)
            embedded.append(cached.misses)
            steps.append(result.timings)
        log(f"repeat {k + 1}: {seconds[-1]:.3f} s, {cached.misses} texts embedded, timings {result.timings}")
    sentences = ([result.articles["a"].text[s.start:s.end] for s in result.articles["a"].sentences] +
                 [result.articles["b"].text[s.start:s.end] for s in result.articles["b"].sentences])
    t = time.perf_counter()
    embedder.encode(sentences)
    throughput = len(sentences) / (time.perf_counter() - t)
    return {"bench": "speed", "model": embedder.signature(), "pair": "+".join(PAIRS),
            "words_a": len(text_a.split()), "chars_b": len(text_b),
            "sentences": {"a": len(result.articles["a"].sentences), "b": len(result.articles["b"].sentences)},
            "warm_up_seconds": round(warm_up, 3), "repeats": repeats,
            "seconds": [round(s, 4) for s in seconds], "mean_seconds": round(float(np.mean(seconds)), 4),
            "mean_ci95": bootstrap_mean_ci(seconds), "seed": SEED,
            "texts_embedded_per_compare": embedded[-1],
            "step_seconds_mean": {key: round(float(np.mean([s[key] for s in steps])), 4) for key in steps[0]},
            "embedder_sentences_per_second": round(throughput, 1)}
