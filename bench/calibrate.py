"""`python -m bench calibrate`: the classification thresholds, chosen on MAC-Dev.

Scores are what the aligner puts on a link: the cosine of the two groups'
embeddings (each group's sentences joined into one text).

- cross-lingual gold links: the zh and en sides of every non-null gold bead;
- monolingual gold links: the same beads with the zh side replaced by its Google
  MT (``.trans``, line-parallel to zh): English paraphrase pairs;
- non-links: each gold bead's zh side against the en side of the bead three
  beads later in the same document (same shapes, wrong content).

Rules: ``kept_threshold_*`` = the 10th percentile of gold-link scores (90% of
true translations/paraphrases count as kept); ``min_link_score`` = the 1st
percentile of cross-lingual gold-link scores (a link weaker than 99% of true
translations is not a counterpart). Gold links and non-links overlap for USE-m3
(Youden's best cut is reported too), so the aligner's choice of partner, not this
floor, does most of the work; the floor only removes what is clearly unrelated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from app.pipeline import default_cache, load_embedder
from bench.align import alignment_data, mac_documents
from bench.align_scoring import read_beads

SHIFT = 3
KEPT_PERCENTILE = 10
MIN_LINK_PERCENTILE = 1


def _pair_scores(encode, left: list[str], right: list[str]) -> np.ndarray:
    va, vb = encode(left), encode(right)
    return np.einsum("kd,kd->k", va, vb)


def best_separation(positive: np.ndarray, negative: np.ndarray) -> tuple[float, float]:
    """The cut point maximising TPR - FPR (Youden's J), and J itself."""
    cuts = np.unique(np.concatenate([positive, negative]))
    tpr = (positive[None, :] >= cuts[:, None]).mean(axis=1)
    fpr = (negative[None, :] >= cuts[:, None]).mean(axis=1)
    k = int(np.argmax(tpr - fpr))
    return float(cuts[k]), float(tpr[k] - fpr[k])


def run_calibrate(data: Path, *, model: str = "use-m3", log: Callable[[str], None] = lambda _: None) -> dict:
    data = alignment_data(data)
    embedder = load_embedder(model, default_cache())
    zh_groups, trans_groups, en_groups, wrong_en = [], [], [], []
    for _name, path_zh, path_en, path_gold in mac_documents(data, "dev"):
        zh = path_zh.read_text(encoding="utf-8").splitlines()
        trans = path_zh.with_name(path_zh.name + ".trans").read_text(encoding="utf-8").splitlines()
        en = path_en.read_text(encoding="utf-8").splitlines()
        beads = [(a, b) for a, b in read_beads(path_gold) if a and b]
        for k, (a, b) in enumerate(beads):
            zh_groups.append("".join(zh[i] for i in a))
            trans_groups.append(" ".join(trans[i] for i in a))
            en_groups.append(" ".join(en[j] for j in b))
            wrong_en.append(" ".join(en[j] for j in beads[(k + SHIFT) % len(beads)][1]))
    encode = embedder.encode
    cross = _pair_scores(encode, zh_groups, en_groups)
    mono = _pair_scores(encode, trans_groups, en_groups)
    non_links = _pair_scores(encode, zh_groups, wrong_en)
    cut, youden = best_separation(cross, non_links)
    pct = lambda x, q: round(float(np.percentile(x, q)), 4)  # noqa: E731
    report = {
        "bench": "calibrate", "data": "MAC-Dev", "model": embedder.signature(), "links": len(cross),
        "rule": {"kept": f"{KEPT_PERCENTILE}th percentile of gold-link cosines",
                 "min_link_score": f"{MIN_LINK_PERCENTILE}st percentile of cross-lingual gold-link cosines"},
        "cross": {"p1": pct(cross, 1), "p2": pct(cross, 2), "p5": pct(cross, 5), "p10": pct(cross, 10), "p25": pct(cross, 25), "median": pct(cross, 50)},
        "mono": {"p10": pct(mono, 10), "p25": pct(mono, 25), "median": pct(mono, 50)},
        "non_links": {"median": pct(non_links, 50), "p90": pct(non_links, 90)},
        "youden": {"cut": round(cut, 4), "j": round(youden, 4)},
        "thresholds": {"kept_threshold_cross": round(float(np.percentile(cross, KEPT_PERCENTILE)), 2),
                       "kept_threshold_mono": round(float(np.percentile(mono, KEPT_PERCENTILE)), 2),
                       "min_link_score": round(float(np.percentile(cross, MIN_LINK_PERCENTILE)), 2)},
    }
    log(f"thresholds: {report['thresholds']}")
    return report
