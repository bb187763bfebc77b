"""`python -m bench.span_confidence`: the span confidence table, and what gating on it does, by leave-one-pair-out.

The table (``corpora/models/span_confidence.json``, read by app/steps/confidence.py) gives each
span class other than model-scored word runs its confidence: the share of its spans that the
annotators' must-flag items and added/omitted sentences mark right on the ``rewrites`` pairs
(``bench news``'s precision rule), smoothed towards one half: ``(right + 1) / (spans + 2)``.

Rewrites is a dev set of 12 pairs, so nothing fitted on it is reported in-sample: for each pair
the table is rebuilt from the other 11, the pair's spans are gated with it at ``min_confidence``,
and the pair is scored as ``bench news`` scores it. The report gives those leave-one-pair-out
figures next to the ungated ones (every span a difference). MQM dev and test never see the table
built here except as the held-out check ``bench news`` makes.

    python -m bench.span_confidence [--data ../shared/benchmarks] [--min-confidence 0.3,0.4,0.5,0.6] [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from app.pipeline import compare
from app.settings import Settings
from app.steps.confidence import FORMAT, TABLE_PATH, ConfidenceTable, span_class, with_confidence

from . import news_rewrites

PRIOR_RIGHT, PRIOR_SPANS = 1, 2      # smoothing: an unseen class is a coin toss


def class_counts(pair, result) -> Counter:
    """(class, "spans"|"right") -> count for one scored pair."""
    counts = Counter()
    for name, (scored, right) in news_rewrites.precision_counts_by_kind(pair, result).items():
        counts[(name, "spans")] += scored
        counts[(name, "right")] += right
    return counts


def table_from(counts: Counter) -> dict:
    names = sorted({name for name, _ in counts})
    return {name: {"spans": counts[(name, "spans")], "right": counts[(name, "right")],
                   "confidence": round((counts[(name, "right")] + PRIOR_RIGHT) / (counts[(name, "spans")] + PRIOR_SPANS), 4)}
            for name in names}


def gated(result, table: dict, min_confidence: float):
    """The result with its spans gated by ``table`` (its word runs keep their own scores)."""
    spans = [s.model_copy(update={"difference": True, "confidence": None}) if s.confidence is not None else s
             for s in result.spans]
    conf = ConfidenceTable({k: v["confidence"] for k, v in table.items()}, PRIOR_RIGHT / PRIOR_SPANS, "")
    return result.model_copy(update={"spans": with_confidence(spans, min_confidence, conf)})


def run(data: Path, *, min_confidence: list[float], write: bool, log) -> dict:
    pairs = news_rewrites.read_pairs(data)
    settings = Settings(min_confidence=0.0)          # every span a difference: the table sees them all
    results, counts = [], []
    for pair in pairs:
        result = compare(pair.a.text, pair.b.text, settings=settings)
        results.append(result)
        counts.append(class_counts(pair, result))
        log(f"{pair.id}: {sum(v for (n, k), v in counts[-1].items() if k == 'spans')} scored spans")
    ungated = [news_rewrites.score_pair(p, r) for p, r in zip(pairs, results)]
    held_out: dict[float, list] = {threshold: [] for threshold in min_confidence}
    for k, (pair, result) in enumerate(zip(pairs, results)):
        others = table_from(sum((c for j, c in enumerate(counts) if j != k), Counter()))
        for threshold in min_confidence:
            held_out[threshold].append(news_rewrites.score_pair(pair, gated(result, others, threshold)))
    table = table_from(sum(counts, Counter()))
    spec = {"format": FORMAT, "built_by": "python -m bench.span_confidence --write",
            "data": "rewrites (12 annotated pairs, dev); confidence = (right + 1) / (spans + 2)",
            "default": PRIOR_RIGHT / PRIOR_SPANS, "classes": table}
    if write:
        TABLE_PATH.parent.mkdir(parents=True, exist_ok=True)
        TABLE_PATH.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")

    def summary(scores):
        m = news_rewrites.rewrites_metrics(scores)
        return {k: m[k] for k in ("span_precision", "must_flag_recall", "faithful_false_flag_rate",
                                  "must_flag_recall_by_kind", "span_precision_by_kind")}

    return {"bench": "span-confidence", "table": table, "ungated": summary(ungated),
            "gated_leave_one_pair_out": {str(t): summary(scores) for t, scores in held_out.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.span_confidence", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchmarks"))
    parser.add_argument("--min-confidence", default="0.3,0.4,0.5,0.6",
                        help="thresholds to evaluate, comma-separated")
    parser.add_argument("--write", action="store_true", help=f"write the table to {TABLE_PATH.name}")
    args = parser.parse_args(argv)
    report = run(args.data, min_confidence=[float(t) for t in args.min_confidence.split(",")], write=args.write,
                 log=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
