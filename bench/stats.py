"""The statistics every bench reports: bootstrap intervals, ROC-AUC, Spearman. One copy, here.

Bootstrap intervals are 95 % percentile intervals over ``samples`` resamples (with replacement) of
the rows a bench measured: documents, pairs or timing repeats. The generator is seeded, so a bench
prints the same interval for the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.stats import rankdata, spearmanr

SEED = 12345
BOOTSTRAP_SAMPLES = 1000


def bootstrap_ci(rows, statistic: Callable[[np.ndarray], np.ndarray], *, seed: int = SEED,
                 samples: int = BOOTSTRAP_SAMPLES) -> list[float]:
    """95 % interval of ``statistic`` over resamples of ``rows``, rounded to 4 places.

    ``statistic`` gets all resamples at once, an array ``[samples, len(rows), ...]``, and returns
    one value per resample; vectorised, a thousand resamples cost one numpy call.
    """
    data = np.asarray(rows, dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, len(data), size=(samples, len(data)))
    low, high = np.percentile(statistic(data[picks]), [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def bootstrap_mean_ci(values: Sequence[float], *, seed: int = SEED, samples: int = BOOTSTRAP_SAMPLES) -> list[float]:
    """95 % interval of the mean of ``values`` (seconds per run, per pair, ...)."""
    return bootstrap_ci(values, lambda resamples: resamples.mean(axis=1), seed=seed, samples=samples)


def roc_auc(positive: Sequence[bool], scores: Sequence[float]) -> float:
    """ROC-AUC as the Mann-Whitney statistic over average ranks (ties count half); NaN without both classes."""
    ranks = rankdata(scores)
    pos = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (scipy's, ties averaged)."""
    return float(spearmanr(x, y)[0])
