"""`python -m bench.news_word_weights`: refit the cross-lingual word-score weights on news (dev splits only).

Training data: MQM-News zh→en ``dev`` (WMT23; 18 articles x 10 MT systems), each pair
built exactly as ``bench news`` builds it (:func:`bench.news_mqm.read_pairs`: a = the
segments' sources joined with "\\n", b = their targets), aligned by the pipeline's own steps,
and every word of every linked sentence given the evidence ``compare`` gives it
(:func:`pair_tokens` mirrors :func:`app.steps.words.spans.token_scores`). Labels:

- positive: a word of a that overlaps a Major ``Accuracy/Omission`` span, a word of b that
  overlaps a Major ``Accuracy/Addition`` span;
- ``--mistranslation W``: a word of b inside a Major ``Accuracy/Mistranslation`` span counts as a
  positive of weight W (0 = left out; the raters' commonest error, but a changed word has a
  counterpart, so the evidence of "no counterpart" fits it less well);
- negative: every word of a "faithful" segment (no rater marked an Accuracy error);
- left out: words of "minor" segments, the other words of "major" segments, punctuation.

The fit also sees the sets ``bench word-weights`` fits on (SwissGov-RSD ``dev_train`` de/fr/it,
X-PARADE ``dev`` en-zh/zh-en): MQM's two sides together weigh ``--news-share`` (0.75), those five
sets the rest, each set within its group the same. The fit is the L2-regularised logistic
regression of ``bench word-weights`` (its ``FIXED`` weights set by hand).

Reported: the weights fitted on all of it; the held-out token ROC-AUC on MQM dev from six folds
BY ARTICLE (three dev articles each left out of the fit; mean over folds), omission and addition
words against faithful words, next to the committed weights' AUC on the same words; and X-PARADE
dev AUC (in-sample) of the new and the committed weights. The test splits are never read. Paste
``weights`` into ``app/steps/words/scoring.py`` (``Weights``) to adopt them; the threshold and the
fewest words of a span are chosen on ``python -m bench.news --split dev`` (docs/tuning-history.md).

    python -m bench.news_word_weights [--data ../shared/benchmarks] [--news-share 0.75] [--mistranslation 0]
    python -m bench.news_word_weights --sweep 0.3,0.35,0.4 [--min-words 1,2,3]

About 15 minutes on two cores (X-PARADE dev's evidence is most of it). Progress goes to stderr;
the last line of stdout is the report as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from scipy.optimize import minimize

from app.pipeline import (Work, check_languages, default_cache, load_embedder, load_token_encoder, step_align,
                          step_translate, to_article)
from app.settings import Settings
from app.steps.words.scoring import ALL_FEATURES, DEFAULT_WEIGHTS, FEATURES, Weights, combine, evidence
from app.steps.words.spans import linked_word_vectors

from . import news_mqm
from .news_spans import touches
from .stats import roc_auc

MISTRANSLATION = "Accuracy/Mistranslation"
# Token classes: what a word of the training data stands for.
NEGATIVE, POSITIVE, MISTRANSLATED, UNLABELLED = 0, 1, 2, 3
FOLDS = 6
# MQM dev's share of the fit. MQM alone raises its held-out AUC most but lowers X-PARADE dev's
# (.842/.882 against .868/.898 committed); a quarter for the older sets keeps X-PARADE (.863/.899)
# and most of MQM's gain (docs/tuning-history.md).
NEWS_SHARE = 0.75
GOLD_POSITIVE = 0.5      # bench word-weights: a word with gold difference >= 0.5 is positive


@dataclass(frozen=True, slots=True)
class Tokens:
    """Every word of the linked sentences of some pairs, with its evidence and class."""

    features: np.ndarray    # [n, len(FEATURES)]
    scored: np.ndarray      # bool [n]: a word (punctuation takes its neighbours' score)
    side: np.ndarray        # [n] 0 = a (zh source), 1 = b (en translation)
    doc: np.ndarray         # [n] article index (the unit of the folds)
    klass: np.ndarray       # [n] NEGATIVE | POSITIVE | MISTRANSLATED | UNLABELLED
    sentence: np.ndarray    # [n] running sentence number (a sentence's words are contiguous)

    def take(self, keep: np.ndarray) -> "Tokens":
        return Tokens(*(getattr(self, name)[keep] for name in self.__slots__))


def linked_evidence(article_a, article_b, alignment, embedder, token_encoder=None) -> tuple[dict, dict]:
    """Side -> sentence index -> ``[n_tokens, len(FEATURES)]`` evidence for every linked sentence, and
    side -> sentence index -> its word vectors.

    The same sentences, vectors and targets as :func:`app.steps.words.spans.token_scores` (whose
    scores are ``combine`` of these; a test checks it).
    """
    vec_a, vec_b = linked_word_vectors(article_a, article_b, alignment, embedder, token_encoder)
    out: dict[str, dict[int, np.ndarray]] = {"a": {}, "b": {}}
    for link in alignment.links:
        for side, mine, theirs, own, other in (("a", link.a, link.b, vec_a, vec_b), ("b", link.b, link.a, vec_b, vec_a)):
            target = [other[k] for k in theirs]
            for i, feats in zip(mine, evidence([own[i] for i in mine], target, top_k=len(target))):
                out[side][i] = feats
    return out, {"a": vec_a, "b": vec_b}


def aligned_work(text_a: str, text_b: str, settings: Settings, embedder) -> Work:
    """The pipeline's own steps up to the alignment (the word level scores against its links)."""
    work = Work(to_article(text_a, side="a", language="zh", meta=None, settings=settings),
                to_article(text_b, side="b", language="en", meta=None, settings=settings), settings, embedder)
    check_languages(work)
    work.token_encoder = load_token_encoder(settings, "zh", "en")
    step_translate(work)
    step_align(work)
    return work


def pair_tokens(pair: news_mqm.MqmPair, mistranslations: list[tuple], work: Work, doc: int,
                sentence_base: int) -> Tokens:
    """The words of one pair's linked sentences, their evidence and classes."""
    feats_by_side, vectors = linked_evidence(work.article_a, work.article_b, work.alignment, work.embedder,
                                             work.token_encoder)
    rows: dict[str, list] = {name: [] for name in Tokens.__slots__}
    sentence = sentence_base
    for side, article in (("a", work.article_a), ("b", work.article_b)):
        for i, feats in sorted(feats_by_side[side].items()):
            sent = article.sentences[i]
            scored = vectors[side][i].scored
            for n, k in enumerate(range(sent.token_start, sent.token_end)):
                token = article.tokens[k]
                rows["features"].append(feats[n])
                rows["scored"].append(bool(scored[n]))
                rows["side"].append(0 if side == "a" else 1)
                rows["doc"].append(doc)
                rows["klass"].append(token_class(pair, mistranslations, side, (token.start, token.end)))
                rows["sentence"].append(sentence)
            sentence += 1
    if not rows["features"]:
        return empty_tokens()
    return Tokens(np.stack(rows["features"]).astype(np.float32), np.array(rows["scored"], bool),
                  *(np.array(rows[name], np.int32) for name in ("side", "doc", "klass", "sentence")))


def empty_tokens() -> Tokens:
    return Tokens(np.zeros((0, len(ALL_FEATURES)), np.float32), np.zeros(0, bool),
                  *(np.zeros(0, np.int32) for _ in range(4)))


def token_class(pair: news_mqm.MqmPair, mistranslations: list[tuple], side: str, token: tuple[int, int]) -> int:
    for seg, mistranslated in zip(pair.segments, mistranslations):
        inside = getattr(seg, side)
        if not (inside[0] <= token[0] < inside[1]):
            continue
        if seg.label == "faithful":
            return NEGATIVE
        if seg.label != "major":
            return UNLABELLED
        gold = seg.omissions if side == "a" else seg.additions
        if any(touches(token, g) for g in gold):
            return POSITIVE
        if side == "b" and any(touches(token, g) for g in mistranslated):
            return MISTRANSLATED
        return UNLABELLED
    return UNLABELLED          # the "\n" between segments


def mqm_tokens(data: Path, *, settings: Settings | None = None, model: str | None = None,
               log: Callable[[str], None] = lambda _: None) -> tuple[Tokens, list[str]]:
    """Tokens of every MQM-News dev pair, and the article names (index = ``Tokens.doc``)."""
    settings = settings or Settings()
    embedder = load_embedder(model or settings.model, default_cache())
    path = Path(data) / "mqm-news-zhen" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = sorted({r["doc"] for r in records})
    parts, sentence = [], 0
    for k, record in enumerate(records, 1):
        pair = news_mqm.build_pair(record)
        mistranslations = mistranslation_spans(record, pair)
        work = aligned_work(pair.text_a, pair.text_b, settings, embedder)
        parts.append(pair_tokens(pair, mistranslations, work, docs.index(pair.doc), sentence))
        sentence = int(parts[-1].sentence.max()) + 1 if len(parts[-1].sentence) else sentence
        if k % 20 == 0 or k == len(records):
            log(f"mqm dev: evidence for {k}/{len(records)} pairs")
    return Tokens(*(np.concatenate([getattr(p, name) for p in parts]) for name in Tokens.__slots__)), docs


def mistranslation_spans(record: dict, pair: news_mqm.MqmPair) -> list[tuple]:
    """Per segment: the Major mistranslation spans on b (article offsets), as ``build_pair`` places the others."""
    return [news_mqm.rater_spans(seg, MISTRANSLATION, "target", ranges.b[0])
            for seg, ranges in zip(record["segments"], pair.segments)]


def training_rows(tokens: Tokens, mistranslation: float) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(features, positive?, row weight) for side a and side b: scored words of a known class."""
    out = []
    for side in (0, 1):
        keep = tokens.scored & (tokens.side == side) & np.isin(tokens.klass, (NEGATIVE, POSITIVE, MISTRANSLATED))
        if mistranslation <= 0:
            keep &= tokens.klass != MISTRANSLATED
        klass = tokens.klass[keep]
        weight = np.where(klass == MISTRANSLATED, mistranslation, 1.0)
        out.append((tokens.features[keep], klass != NEGATIVE, weight))
    return out


def share_out(groups: list[tuple[float, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]]
              ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Sets with row weights such that each group weighs its share, split evenly over its sets."""
    out = []
    for share, sets in groups:
        for x, y, rows in sets:
            out.append((x, y, rows / rows.sum() * share / len(sets)))
    return out


def fit_logistic(sets: list[tuple[np.ndarray, np.ndarray, np.ndarray]], *, l2: float, fixed: dict[str, float]
                 ) -> Weights:
    """L2-regularised logistic regression over (features, positive?, row weight) sets, weights as given."""
    x = np.concatenate([f[:, :len(FEATURES)] for f, _, _ in sets]).astype(np.float64)
    y = np.concatenate([p for _, p, _ in sets]).astype(np.float64)
    w = np.concatenate([r for _, _, r in sets]).astype(np.float64)
    w /= w.sum()
    offset = x @ np.array([fixed.get(name, 0.0) for name in FEATURES])
    free = [k for k, name in enumerate(FEATURES) if name not in fixed]
    x = x[:, free]

    def loss(theta):
        z = x @ theta[1:] + theta[0] + offset
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(w * (np.logaddexp(0, z) - y * z)) + l2 * theta[1:] @ theta[1:])
        grad_z = w * (p - y)
        return value, np.concatenate([[grad_z.sum()], x.T @ grad_z + 2 * l2 * theta[1:]])

    theta = minimize(loss, np.zeros(len(free) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 5000}).x
    fitted = {FEATURES[k]: round(float(v), 3) for k, v in zip(free, theta[1:])}
    return Weights(bias=round(float(theta[0]), 3), **fitted, **fixed)


def word_scores(tokens: Tokens, weights: Weights) -> np.ndarray:
    """Each token's score as ``compare`` computes it (punctuation filled sentence by sentence)."""
    out = np.zeros(len(tokens.scored), np.float32)
    bounds = np.flatnonzero(np.diff(tokens.sentence)) + 1
    for part in np.split(np.arange(len(out)), bounds):
        if len(part):
            out[part] = combine(tokens.features[part], tokens.scored[part], weights)
    return out


def heldout_auc(tokens: Tokens, scores: np.ndarray) -> dict:
    """ROC-AUC of omission/addition words against faithful words: both sides, side a, side b."""
    out = {}
    for name, side in (("both", None), ("a_omission", 0), ("b_addition", 1)):
        keep = tokens.scored & np.isin(tokens.klass, (NEGATIVE, POSITIVE))
        if side is not None:
            keep &= tokens.side == side
        out[name] = round(roc_auc(list(tokens.klass[keep] == POSITIVE), list(scores[keep])), 4)
    return out


def cross_validate(tokens: Tokens, n_docs: int, fit: Callable[[Tokens], Weights], *, folds: int = FOLDS,
                   reference: Weights = DEFAULT_WEIGHTS) -> dict:
    """Held-out AUC of ``folds`` fits, each leaving out every ``folds``-th article, next to ``reference``'s.

    The mean over folds: a fold's words are scored by one set of weights, so pooling folds would
    also score how alike the folds' calibrations are, which is not what the held-out number asks.
    """
    fitted, committed = [], []
    for fold in range(folds):
        held = np.isin(tokens.doc, [d for d in range(n_docs) if d % folds == fold])
        part = tokens.take(held)
        fitted.append(heldout_auc(part, word_scores(part, fit(tokens.take(~held)))))
        committed.append(heldout_auc(part, word_scores(part, reference)))

    def mean(rows: list[dict]) -> dict:
        return {key: round(float(np.nanmean([r[key] for r in rows])), 4) for key in rows[0]}

    return {"folds": folds, "refit": mean(fitted), "reference": mean(committed)}


def run_news_word_weights(data: Path, *, news_share: float = NEWS_SHARE, mistranslation: float = 0.0,
                          log: Callable[[str], None] = lambda _: None) -> dict:
    from bench.word_weights import FIXED, L2

    t0 = time.perf_counter()
    tokens, docs = mqm_tokens(data, log=log)
    sources = dev_source_sets(Path(data), log) if news_share < 1 else {}
    source_sets = [(x, g >= GOLD_POSITIVE, np.ones(len(g))) for x, g in sources.values()]

    def fit(part: Tokens) -> Weights:
        return fit_logistic(share_out([(news_share, training_rows(part, mistranslation)),
                                       (1 - news_share, source_sets)]), l2=L2, fixed=FIXED)

    weights = fit(tokens)
    counts = {name: int(((tokens.klass == code) & tokens.scored & (tokens.side == side)).sum())
              for side, tag in ((0, "a"), (1, "b"))
              for name, code in ((f"{tag}_negative", NEGATIVE), (f"{tag}_positive", POSITIVE),
                                 (f"{tag}_mistranslated", MISTRANSLATED))}
    return {"bench": "news-word-weights", "split": "dev", "features": list(FEATURES), "fixed": FIXED,
            "news_share": news_share, "mistranslation_weight": mistranslation,
            "trained_on": ["mqm-news-zhen dev (a: omissions, b: additions)"] + list(sources),
            "weights": {"bias": weights.bias, **{name: getattr(weights, name) for name in FEATURES}},
            "mqm_dev_heldout_auc_by_article": cross_validate(tokens, len(docs), fit),
            "xparade_dev_auc": {name: {"fitted": xparade_auc(x, g, weights), "committed": xparade_auc(x, g, DEFAULT_WEIGHTS)}
                                for name, (x, g) in sources.items() if name.startswith("xparade")},
            "counts": {"articles": len(docs), "words": counts}, "seconds": round(time.perf_counter() - t0, 1)}


def xparade_auc(features: np.ndarray, gold: np.ndarray, weights: Weights) -> float:
    """``new`` against ``same`` words (``inf`` left out), as ``bench xparade`` scores them; in-sample here."""
    binary = gold != 0.5
    z = features[binary] @ np.array([getattr(weights, name) for name in FEATURES])
    return round(roc_auc(list(gold[binary] == 1.0), list(z)), 4)


def dev_source_sets(data: Path, log: Callable[[str], None]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(features, gold) of the sets ``bench word-weights`` fits on: SwissGov-RSD dev_train, X-PARADE dev."""
    from bench.semdiff import SWISSGOV_LANGS
    from bench.word_weights import _evidence, _rows, _swissgov_items, _xparade_items

    embedder = load_embedder("use-m3", None)
    sets = {}
    for lang in SWISSGOV_LANGS:
        sets[f"swissgov dev_train {lang}"] = _rows(_evidence(embedder, _swissgov_items(data / "semdiff", "dev_train", lang)))
    for direction in ("en-zh", "zh-en"):
        sets[f"xparade dev {direction}"] = _rows(_evidence(embedder, _xparade_items(data / "xparade", direction)))
        log(f"evidence ready: X-PARADE dev {direction}")
    return sets


def run_threshold_sweep(data: Path, thresholds: list[float], min_words: list[int], *,
                        log: Callable[[str], None] = lambda _: None) -> dict:
    """``bench news`` (mqm dev and rewrites) with the committed weights at each span threshold and
    fewest words across languages; every other setting at its default. The rows of the trade-off
    table in docs/tuning-history.md."""
    from bench import news

    rows = []
    for words in min_words:
        for threshold in thresholds:
            run = news._Run(None, log)
            run.settings = Settings(word_diff_threshold_cross=threshold, word_diff_min_words_cross=words)
            mqm = news.run_mqm(run, Path(data), "dev", None)
            rewrites = news.run_rewrites(run, Path(data), None)
            rows.append({"threshold": threshold, "min_words": words,
                         **{k: mqm[k] for k in ("false_flag_rate", "omission_recall", "addition_recall",
                                                "segment_auc", "link_accuracy")},
                         "rewrites": {k: rewrites[k] for k in ("span_precision", "must_flag_recall",
                                                               "faithful_false_flag_rate", "link_f1")}})
            log(json.dumps(rows[-1]))
    return {"bench": "news-word-weights sweep", "split": "dev", "rows": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.news_word_weights", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchmarks"))
    parser.add_argument("--mistranslation", type=float, default=0.0,
                        help="weight of Major mistranslation words of b as positives (0 = left out)")
    parser.add_argument("--news-share", type=float, default=NEWS_SHARE,
                        help="weight of MQM dev in the fit; the rest goes to the sets of bench word-weights (1 = MQM only)")
    parser.add_argument("--sweep", default=None, metavar="T1,T2,...",
                        help="instead of fitting: bench news (mqm dev, rewrites) at these word_diff_threshold_cross")
    parser.add_argument("--min-words", default="2", metavar="N1,N2,...",
                        help="with --sweep: word_diff_min_words_cross values to try")
    args = parser.parse_args(argv)
    log = lambda line: print(line, file=sys.stderr, flush=True)   # noqa: E731
    if args.sweep:
        report = run_threshold_sweep(args.data, [float(t) for t in args.sweep.split(",")],
                                     [int(n) for n in args.min_words.split(",")], log=log)
        print(json.dumps(report, ensure_ascii=False))
        return
    report = run_news_word_weights(args.data, news_share=args.news_share, mistranslation=args.mistranslation,
                                   log=log)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
