"""Frames per article: the share of sentences on each Media Frames Corpus frame, zero-shot.

Each frame has a few descriptive sentences in English and Chinese (``corpora/frames.json``,
written by the project). A sentence takes the frame whose descriptions it is most similar to
(cosine of USE-m3 vectors, best description per frame); below ``frame_min_similarity`` it is
``other``. Shares are by sentence count; the shift between sides is the per-frame difference
(b - a) and the total variation distance (half the sum of absolute differences, 0-1).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .result import FramesRecord

FRAMES_FILE = Path(__file__).resolve().parents[1] / "corpora" / "frames.json"
OTHER = "other"


@lru_cache(maxsize=1)
def frame_descriptions() -> dict[str, tuple[str, ...]]:
    data = json.loads(FRAMES_FILE.read_text(encoding="utf-8"))
    return {name: tuple(texts) for name, texts in data.items() if not name.startswith("_")}


def frame_names() -> list[str]:
    return list(frame_descriptions()) + [OTHER]


_description_vectors: dict[str, np.ndarray] = {}


def description_vectors(embedder, texts: list[str]) -> np.ndarray:
    """Frame description vectors, embedded once per process and embedder."""
    key = getattr(embedder, "name", repr(embedder))
    if key not in _description_vectors:
        _description_vectors[key] = embedder.encode(texts)
    return _description_vectors[key]


def assign_frames(sentence_vectors: np.ndarray, embedder, *, min_similarity: float) -> list[str]:
    """One frame name per sentence vector (rows unit-normalised)."""
    descriptions = frame_descriptions()
    names, texts = [], []
    for name, items in descriptions.items():
        names += [name] * len(items)
        texts += list(items)
    if len(sentence_vectors) == 0:
        return []
    desc_vectors = description_vectors(embedder, texts)
    sims = sentence_vectors @ desc_vectors.T
    best: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        best[name] = np.maximum(best[name], sims[:, j]) if name in best else sims[:, j]
    order = list(best)
    table = np.stack([best[n] for n in order], axis=1)
    top = table.argmax(axis=1)
    return [order[t] if table[i, t] >= min_similarity else OTHER for i, t in enumerate(top)]


def shares(labels: list[str]) -> dict[str, float]:
    total = len(labels) or 1
    return {name: round(labels.count(name) / total, 4) for name in frame_names()}


def frames_record(labels_a: list[str], labels_b: list[str]) -> FramesRecord:
    share_a, share_b = shares(labels_a), shares(labels_b)
    shift = {name: round(share_b[name] - share_a[name], 4) for name in share_a}
    tvd = round(0.5 * sum(abs(v) for v in shift.values()), 4)
    return FramesRecord(a=share_a, b=share_b, shift=shift, total_variation=tvd,
                        sentences_a=labels_a, sentences_b=labels_b)
