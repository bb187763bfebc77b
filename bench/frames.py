"""`python -m bench frames`: how much frame shift faithful translations show (noise of the labels).

MAC's documents are faithful zh-en translations, so any frame shift between the two sides is noise
of the zero-shot frame labels. For each document the aligner runs with ``compare``'s defaults; the
report gives the mean total variation distance between the sides' frame shares with every sentence
labelled on its own, and with the sentences of each kept link sharing one frame (what ``compare``
does), how often a gold 1-1 pair gets the same frame when either side has one, and the share of
each side's sentences that get a frame other than ``other`` (labelled on their own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from app.steps.align import align_sentences
from app.steps.classify import link_statuses
from app.steps.frame_shares import assign_frames_linked, frames_record
from app.pipeline import align_params, default_cache, load_embedder
from app.result import SentenceStatus
from app.settings import Settings
from bench.align import read_lines, alignment_data, mac_documents
from bench.align_scoring import read_beads


def document_frames(texts_a: list[str], texts_b: list[str], embedder, settings: Settings):
    """Frame labels of both sides, alone and with kept links shared, and the gold-free alignment."""
    vectors_a, vectors_b = embedder.encode(texts_a), embedder.encode(texts_b)
    params = align_params(settings, "zh", "en")
    alignment = align_sentences(texts_a, texts_b, embedder.encode, params=params)
    statuses = link_statuses(alignment, settings.kept_threshold_cross)
    kept = [(link.a, link.b) for link, status in zip(alignment.links, statuses) if status is SentenceStatus.KEPT]
    threshold = settings.frame_min_similarity
    alone = assign_frames_linked(vectors_a, vectors_b, [], embedder, min_similarity=threshold)
    linked = assign_frames_linked(vectors_a, vectors_b, kept, embedder, min_similarity=threshold)
    return alone, linked, len(kept), len(alignment.links)


def run_frames_bench(data: Path, *, split: str = "dev", model: str = "use-m3",
                     log: Callable[[str], None] = lambda _: None) -> dict:
    data = alignment_data(data, split)
    embedder = load_embedder(model, default_cache())
    settings = Settings(model=model)
    tvd_alone, tvd_linked, kept_share = [], [], []
    both_framed = same_frame = 0
    framed = {"a": [0, 0], "b": [0, 0]}     # side -> [sentences with a frame, sentences]
    for name, path_a, path_b, path_gold in mac_documents(data, split):
        alone, linked, kept, links = document_frames(read_lines(path_a), read_lines(path_b), embedder, settings)
        tvd_alone.append(frames_record(alone["a"], alone["b"]).total_variation)
        tvd_linked.append(frames_record(linked["a"], linked["b"]).total_variation)
        kept_share.append(kept / max(links, 1))
        for side in framed:
            framed[side][0] += sum(label != "other" for label in alone[side])
            framed[side][1] += len(alone[side])
        for ids_a, ids_b in read_beads(path_gold):
            if len(ids_a) == 1 and len(ids_b) == 1:
                pair = alone["a"][ids_a[0]], alone["b"][ids_b[0]]
                if pair != ("other", "other"):
                    both_framed += 1
                    same_frame += pair[0] == pair[1]
        log(f"{name}: TVD alone {tvd_alone[-1]:.3f}, kept links shared {tvd_linked[-1]:.3f}")
    return {"bench": "frames", "split": split, "model": embedder.signature(), "docs": len(tvd_alone),
            "frame_min_similarity": settings.frame_min_similarity,
            "tvd_alone_mean": round(float(np.mean(tvd_alone)), 4),
            "tvd_kept_links_shared_mean": round(float(np.mean(tvd_linked)), 4),
            "tvd_alone": [round(v, 4) for v in tvd_alone],
            "tvd_kept_links_shared": [round(v, 4) for v in tvd_linked],
            "kept_link_share_mean": round(float(np.mean(kept_share)), 4),
            "framed_share_zh": round(framed["a"][0] / max(framed["a"][1], 1), 4),
            "framed_share_en": round(framed["b"][0] / max(framed["b"][1], 1), 4),
            "gold_1_1_pairs_with_a_frame": both_framed,
            "same_frame_share": round(same_frame / max(both_framed, 1), 4)}
