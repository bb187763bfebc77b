"""Frames per article: the share of sentences on each Media Frames Corpus frame, zero-shot.

Each frame has a few descriptive sentences in English and Chinese (``corpora/frames.json``,
written by the project). A sentence takes the frame whose descriptions it is most similar to
(cosine of USE-m3 vectors, best description per frame); below ``frame_min_similarity`` it is
``other``. The sentences of a kept link share one frame (``assign_frames_linked``). Shares are
by sentence count; the shift between sides is the per-frame difference (b - a) and the total
variation distance (half the sum of absolute differences, 0-1).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..result import FramesRecord

FRAMES_FILE = Path(__file__).resolve().parents[2] / "corpora" / "frames.json"
OTHER = "other"


@lru_cache(maxsize=1)
def frame_descriptions() -> dict[str, tuple[str, ...]]:
    data = json.loads(FRAMES_FILE.read_text(encoding="utf-8"))
    return {name: tuple(texts) for name, texts in data.items() if not name.startswith("_")}


def frame_names() -> list[str]:
    return list(frame_descriptions()) + [OTHER]


def frame_table(sentence_vectors: np.ndarray, embedder) -> tuple[list[str], np.ndarray]:
    """Frame names and, per sentence (rows unit-normalised), its best cosine to each frame's descriptions."""
    names, texts = [], []
    for name, items in frame_descriptions().items():
        names += [name] * len(items)
        texts += list(items)
    order = list(dict.fromkeys(names))
    if len(sentence_vectors) == 0:
        return order, np.zeros((0, len(order)), dtype=np.float32)
    sims = sentence_vectors @ embedder.fixed_vectors("frame descriptions", texts).T
    columns = np.array(names)
    return order, np.stack([sims[:, columns == name].max(axis=1) for name in order], axis=1)


def label_rows(order: list[str], table: np.ndarray, *, min_similarity: float) -> list[str]:
    """The best frame of each row of a frame table, or ``other`` when it is below ``min_similarity``."""
    top = table.argmax(axis=1) if len(table) else np.zeros(0, dtype=int)
    return [order[t] if table[i, t] >= min_similarity else OTHER for i, t in enumerate(top)]


def assign_frames_linked(vectors_a: np.ndarray, vectors_b: np.ndarray, kept_links, embedder, *,
                         min_similarity: float) -> dict[str, list[str]]:
    """Frames per sentence of both sides, where the sentences of each kept link share one frame.

    A kept link says the two sides tell the same thing, so a frame shift there is noise of the
    zero-shot labels: on MAC-Dev's faithful zh-en translations, a sentence and its translation
    labelled apart got one frame in common only one time in ten whenever either had one (README,
    "Frames"). Each kept link takes the frame of its sentences' mean frame table, both sides; the
    shift between the articles then comes from what was added, omitted or reworded.
    ``kept_links`` holds (sentence ids of a, sentence ids of b) pairs.
    """
    order, table_a = frame_table(vectors_a, embedder)
    _, table_b = frame_table(vectors_b, embedder)
    labels = {"a": label_rows(order, table_a, min_similarity=min_similarity),
              "b": label_rows(order, table_b, min_similarity=min_similarity)}
    for ids_a, ids_b in kept_links:
        joint = np.concatenate([table_a[list(ids_a)], table_b[list(ids_b)]]).mean(axis=0, keepdims=True)
        [label] = label_rows(order, joint, min_similarity=min_similarity)
        for i in ids_a:
            labels["a"][i] = label
        for j in ids_b:
            labels["b"][j] = label
    return labels


def shares(labels: list[str]) -> dict[str, float]:
    total = len(labels) or 1
    return {name: round(labels.count(name) / total, 4) for name in frame_names()}


def frames_record(labels_a: list[str], labels_b: list[str]) -> FramesRecord:
    share_a, share_b = shares(labels_a), shares(labels_b)
    shift = {name: round(share_b[name] - share_a[name], 4) for name in share_a}
    tvd = round(0.5 * sum(abs(v) for v in shift.values()), 4)
    return FramesRecord(a=share_a, b=share_b, shift=shift, total_variation=tvd,
                        sentences_a=labels_a, sentences_b=labels_b)
