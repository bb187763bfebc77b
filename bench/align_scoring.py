"""Gold bead files and the alignment scorer of Bertalign/Vecalign (after Sennrich & Volk 2011).

strict TP: the test bead equals a gold bead. lax TP: it shares at least one source
and one target sentence with one gold bead. Precision runs over all test beads,
nulls included; recall is the same function with gold and test swapped and every
null bead dropped from both. Counts are pooled over documents (micro).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.bead_lines import Bead, parse_bead
from bench.stats import BOOTSTRAP_SAMPLES, SEED, bootstrap_ci


def read_beads(path: str | Path) -> list[Bead]:
    return [parse_bead(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _precision_counts(gold: list[Bead], test: list[Bead]) -> tuple[int, int, int, int]:
    gold_set = set(gold)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in test:
        if not src and not tgt:
            continue
        if (src, tgt) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        if src and tgt and any(set(src) & set(gs) and set(tgt) & set(gt) for gs, gt in gold):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def document_counts(gold: list[Bead], test: list[Bead]) -> tuple[int, ...]:
    """Per-document statistics: precision counts (strict TP/FP, lax TP/FP), then recall counts."""
    gold_links = [bd for bd in gold if bd[0] and bd[1]]
    test_links = [bd for bd in test if bd[0] and bd[1]]
    return _precision_counts(gold, test) + _precision_counts(test_links, gold_links)


def _prf(tp_p: int, fp_p: int, tp_r: int, fp_r: int) -> dict:
    tp_p, fp_p, tp_r, fp_r = int(tp_p), int(fp_p), int(tp_r), int(fp_r)
    precision = tp_p / (tp_p + fp_p) if tp_p + fp_p else 0.0
    recall = tp_r / (tp_r + fp_r) if tp_r + fp_r else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def score_counts(counts: list[tuple[int, ...]]) -> dict:
    """Micro-averaged strict and lax P/R/F1 from per-document counts."""
    total = np.asarray(counts, dtype=np.int64).reshape(-1, 8).sum(axis=0)
    p, r = total[:4], total[4:]
    return {"strict": _prf(p[0], p[1], r[0], r[1]), "lax": _prf(p[2], p[3], r[2], r[3])}


def score_documents(golds: list[list[Bead]], tests: list[list[Bead]]) -> dict:
    return score_counts([document_counts(g, t) for g, t in zip(golds, tests, strict=True)])


def bootstrap_f1(counts: list[tuple[int, ...]], *, seed: int = SEED, samples: int = BOOTSTRAP_SAMPLES,
                 kind: str = "strict") -> list[float]:
    """95% bootstrap interval of micro F1, resampling documents (their counts) with replacement."""
    k = 0 if kind == "strict" else 2

    def micro_f1(resamples: np.ndarray) -> np.ndarray:
        sums = resamples.sum(axis=1)                       # [samples, 8]
        tp_p, fp_p, tp_r, fp_r = sums[:, k], sums[:, k + 1], sums[:, 4 + k], sums[:, 5 + k]
        with np.errstate(invalid="ignore", divide="ignore"):
            precision = np.where(tp_p + fp_p > 0, tp_p / (tp_p + fp_p), 0.0)
            recall = np.where(tp_r + fp_r > 0, tp_r / (tp_r + fp_r), 0.0)
            return np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)

    return bootstrap_ci(np.asarray(counts).reshape(-1, 8), micro_f1, seed=seed, samples=samples)
