"""`python -m bench word-weights`: refit the word-score weights on the dev splits only.

Training data: SwissGov-RSD ``dev_train`` (de, fr, it; both sides labelled) and
X-PARADE ``dev`` (en→zh, zh→en). Each of the five sets weighs the same in the
fit; a word is positive when its gold difference is at least 0.5 (X-PARADE: ``new``,
with ``inf`` = 0.5 counted positive too); punctuation is left out of the fit (it
takes its neighbours' score). The fit is an L2-regularised logistic regression
(scipy L-BFGS); ``FIXED`` weights are set by hand. Held-out numbers, printed with the weights:

- SwissGov-RSD ``dev_val`` Spearman (de, fr, it), never seen by the fit;
- X-PARADE ``dev`` AUC on the odd-numbered paragraphs, from a second fit that
  saw only the even-numbered ones (the weights printed come from all of dev);
- X-PARADE ``dev`` precision of word spans by length: the share of ``new`` words
  among the words of the runs that would become spans (``word_diff_threshold_cross``,
  ``word_diff_max_gap``), for one-word, two-to-three-word and longer runs, next to the
  share of ``new`` among all labelled words (what ``word_diff_min_words_cross`` rests on);
- two sentence-level references on ``dev_val`` that locate the loss: the ``sentence``
  evidence alone (every word scored by 1 − its sentence's best similarity), and a
  ceiling for any method that only ranks sentences (every word scored by the mean
  gold label of its sentence).

iSTS-RSD and the test splits are not read. The committed cross-lingual ``Weights`` come from
``python -m bench.news_word_weights``, which fits these sets together with MQM-News zh-en dev
(news weighs three quarters); this bench stays as the diagnostic of the sets alone.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import numpy as np
from scipy.optimize import minimize

from app.text.chinese import fold_to_simplified
from app.errors import error
from app.pipeline import load_embedder
from app.settings import Settings
from app.steps.words.scoring import FEATURES, Weights, high_runs
from app.steps.words.pretokenised import ListEvidence, word_list_evidence
from bench.semdiff import SWISSGOV_LANGS, read_jsonl, swissgov_files
from bench.stats import roc_auc, spearman
from bench.xparade import GOLD_VALUE, premise_words, target_words

L2 = 1e-4
POSITIVE = 0.5
# Set by hand, not fitted: the dev sets hold too few numbers and dates to weigh them. A number or
# date that occurs on the other side (3月 ~ March, 2025年 ~ 2025) has a counterpart by definition;
# whether its value changed is facts.py's job (kind "number").
FIXED = {"fact_match": -3.0}
DEFAULTS = Settings()


def _swissgov_items(data: Path, split: str, lang: str) -> list[dict]:
    rows = read_jsonl(swissgov_files(data, split)[lang])
    return [{"words_a": r["text_a"].split(), "words_b": r["text_b"].split(), "joiner_a": " ", "joiner_b": " ",
             "language_a": "en", "language_b": lang, "gold_a": r["labels_a"],
             "gold_b": r["labels_b"] if any(g != -1 for g in r["labels_b"]) else None} for r in rows]


def _xparade_items(data: Path, direction: str) -> list[dict]:
    source, target = direction.split("-")
    items = json.loads((data / "complete_data_zh" / f"{direction}-adj-dev.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        indices, words = target_words(item)
        if target == "zh":
            words = [fold_to_simplified(w) for w in words]
        label_of = {i: name for name, ids in item["labels"].items() for i in ids}
        out.append({"words_a": words, "words_b": premise_words(item["premise"], source),
                    "joiner_a": "" if target == "zh" else " ", "joiner_b": "" if source == "zh" else " ",
                    "language_a": target, "language_b": source, "gold_b": None,
                    "gold_a": [GOLD_VALUE.get(label_of.get(i), -1) for i in indices]})
    return out


def _evidence(embedder, items: list[dict]) -> list[tuple[ListEvidence, np.ndarray]]:
    """(evidence, gold) for every labelled side of every item."""
    out = []
    for item in items:
        ev_a, ev_b = word_list_evidence(embedder, item["words_a"], item["words_b"], joiner_a=item["joiner_a"],
                                        joiner_b=item["joiner_b"], language_a=item["language_a"],
                                        language_b=item["language_b"])
        for ev, gold in ((ev_a, item["gold_a"]), (ev_b, item["gold_b"])):
            if gold is not None:
                out.append((ev, np.asarray(gold, dtype=np.float32)))
    return out


def _rows(sides) -> tuple[np.ndarray, np.ndarray]:
    """Features and gold of the labelled, scored words."""
    feats, gold = [], []
    for ev, g in sides:
        full = np.zeros((ev.n_words, len(FEATURES)), dtype=np.float32)
        scored = np.zeros(ev.n_words, dtype=bool)
        for group, f, s in zip(ev.groups, ev.features, ev.scored):
            full[group], scored[group] = f, s
        keep = scored & (g != -1)
        feats.append(full[keep])
        gold.append(g[keep])
    return np.concatenate(feats), np.concatenate(gold)


def fit_weights(training: list[tuple[np.ndarray, np.ndarray]]) -> Weights:
    """Logistic regression over several sets, each set weighing the same."""
    x = np.concatenate([f for f, _ in training]).astype(np.float64)
    fixed = np.array([FIXED.get(name, 0.0) for name in FEATURES])
    offset = x @ fixed
    free = [k for k, name in enumerate(FEATURES) if name not in FIXED]
    x = x[:, free]
    y = np.concatenate([g >= POSITIVE for _, g in training]).astype(np.float64)
    w = np.concatenate([np.full(len(g), 1.0 / len(g)) for _, g in training])
    w /= w.sum()

    def loss(theta):
        z = x @ theta[1:] + theta[0] + offset
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(w * (np.logaddexp(0, z) - y * z)) + L2 * theta[1:] @ theta[1:])
        grad_z = w * (p - y)
        return value, np.concatenate([[grad_z.sum()], x.T @ grad_z + 2 * L2 * theta[1:]])

    result = minimize(loss, np.zeros(len(free) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    theta = result.x
    fitted = {FEATURES[k]: round(float(v), 3) for k, v in zip(free, theta[1:])}
    return Weights(bias=round(float(theta[0]), 3), **fitted, **FIXED)


def _pooled(sides, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    scores, gold = [], []
    for ev, g in sides:
        s = ev.scores(weights)
        scores.append(s[g != -1])
        gold.append(g[g != -1])
    return np.concatenate(scores), np.concatenate(gold)


def span_precision_by_length(sides, weights: Weights | None, *, threshold: float, max_gap: int) -> dict:
    """Share of gold ``new`` (1.0) among the labelled words of high-scoring runs, by run length in words.

    ``weights`` None: the committed weights, as ``compare`` uses them.
    """
    counts = {key: [0, 0] for key in ("1", "2-3", "4+", "all words")}
    for ev, g in sides:
        scores = ev.scores(weights)
        for group, scored in zip(ev.groups, ev.scored):
            for run in high_runs(scores[group], scored, threshold=threshold, max_gap=max_gap):
                words = [group[k] for k in range(run.first, run.last + 1) if scored[k]]
                key = "1" if len(words) == 1 else "2-3" if len(words) <= 3 else "4+"
                labelled = [g[i] for i in words if g[i] != -1]
                counts[key][0] += sum(1 for x in labelled if x == 1.0)
                counts[key][1] += len(labelled)
        labelled = g[g != -1]
        counts["all words"][0] += int((labelled == 1.0).sum())
        counts["all words"][1] += len(labelled)
    return {key: {"precision": round(new / total, 3) if total else None, "words": total}
            for key, (new, total) in counts.items()}


def sentence_level_spearman(sides) -> dict[str, float]:
    """Spearman of two sentence-level scorings: our ``sentence`` evidence, and the gold mean of each sentence.

    Also the share of labelled sentences with no difference, a partial one, or differences throughout.
    """
    column = FEATURES.index("sentence")
    evidence, oracle, gold = [], [], []
    shape = {"none": 0, "partial": 0, "all": 0}
    for ev, g in sides:
        for group, feats in zip(ev.groups, ev.features):
            labelled = [k for k, i in enumerate(group) if g[i] != -1]
            if not labelled:
                continue
            mean = float(np.mean([g[group[k]] for k in labelled]))
            different = sum(g[group[k]] > 0 for k in labelled)
            shape["none" if different == 0 else "all" if different == len(labelled) else "partial"] += 1
            evidence += [float(feats[k, column]) for k in labelled]
            oracle += [mean] * len(labelled)
            gold += [float(g[group[k]]) for k in labelled]
    return {"sentence_evidence": round(spearman(evidence, gold), 4),
            "sentence_gold_mean": round(spearman(oracle, gold), 4),
            "sentences": {k: round(v / max(1, sum(shape.values())), 3) for k, v in shape.items()}}


def _auc(sides, weights: Weights) -> float:
    scores, gold = _pooled(sides, weights)
    binary = gold != 0.5
    return round(roc_auc(list(gold[binary] == 1.0), list(scores[binary])), 4)


def run_word_weights(semdiff: Path, xparade: Path, *, model: str = "use-m3",
                     log: Callable[[str], None] = lambda _: None) -> dict:
    semdiff, xparade = Path(semdiff), Path(xparade)
    if not (semdiff / "swissgov-rsd").is_dir() or not (xparade / "complete_data_zh").is_dir():
        raise error("E013", path=f"{semdiff}, {xparade}",
                    detail="expected swissgov-rsd/ and complete_data_zh/; see ../shared/benchmarks/README.md")
    embedder = load_embedder(model, None)
    t0 = time.perf_counter()
    train = {f"swissgov dev_train {lang}": _evidence(embedder, _swissgov_items(semdiff, "dev_train", lang))
             for lang in SWISSGOV_LANGS}
    val = {lang: _evidence(embedder, _swissgov_items(semdiff, "dev_val", lang)) for lang in SWISSGOV_LANGS}
    xp = {}
    for direction in ("en-zh", "zh-en"):
        sides = _evidence(embedder, _xparade_items(xparade, direction))
        xp[direction] = sides
        log(f"evidence ready: X-PARADE dev {direction}")
    # Sides come in item order, one per item (only the target paragraph is labelled).
    even = {d: s[0::2] for d, s in xp.items()}
    odd = {d: s[1::2] for d, s in xp.items()}
    swiss_rows = [_rows(sides) for sides in train.values()]
    weights = fit_weights(swiss_rows + [_rows(s) for s in xp.values()])
    held_out = fit_weights(swiss_rows + [_rows(s) for s in even.values()])
    report = {"bench": "word-weights", "features": list(FEATURES), "fixed": FIXED,
              "trained_on": list(train) + ["xparade dev en-zh", "xparade dev zh-en"],
              "weights": {"bias": weights.bias, **{name: getattr(weights, name) for name in FEATURES}},
              "swissgov_dev_val": {lang: round(spearman(*_pooled(sides, weights)), 4)
                                   for lang, sides in val.items()},
              "xparade_dev_odd_auc": {d: _auc(sides, held_out) for d, sides in odd.items()},
              "swissgov_dev_val_sentence_level": {lang: sentence_level_spearman(sides) for lang, sides in val.items()},
              "xparade_dev_span_precision": {
                  d: span_precision_by_length(sides, None, threshold=DEFAULTS.word_diff_threshold_cross,
                                              max_gap=DEFAULTS.word_diff_max_gap) for d, sides in xp.items()}}
    report["swissgov_dev_val"]["mean"] = round(float(np.mean(list(report["swissgov_dev_val"].values()))), 4)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report
