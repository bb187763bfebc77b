"""`bench news`, set ``rewrites``: real rewrite and translation pairs with gold links, must-flag items
and faithful passages (a DEV set). Definitions are in docs/benchmarks-news.md.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .stats import bootstrap_ci
from .news_spans import (Range, covered_chars, difference_spans, kind_name, map_sentences, ratio, share_inside,
                         span_class, touches)

SIGNAL_KINDS = ("loaded", "framing", "number", "entity", "attribution")   # any touch false-flags a faithful passage
CONTENT_KINDS = ("added", "omitted", "reworded")                       # > a quarter of it false-flags it
CONTENT_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class GoldSide:
    text: str
    sentences: tuple[Range, ...]             # the annotator's sentences
    out_of_scope: frozenset[int]
    unlinked: frozenset[int]                 # gold omitted (a) / added (b): in no link, in scope
    must_flag: tuple[tuple[str, tuple[Range, ...]], ...]   # (kind, every occurrence of its text)
    faithful: tuple[tuple[Range, ...], ...]  # every occurrence of each faithful passage


@dataclass(frozen=True, slots=True)
class RewritePair:
    id: str
    kind: str
    a: GoldSide
    b: GoldSide
    gold_links: frozenset[tuple[int, int]]   # in-scope (i, j) sentence pairs


def read_pairs(data: Path) -> list[RewritePair]:
    root = Path(data) / "rewrites"
    return [read_pair(folder) for folder in sorted(root.iterdir()) if (folder / "gold.json").exists()]


def article_text(path: Path) -> str:
    """The text after the header line and the blank line below it."""
    _header, _, rest = path.read_text(encoding="utf-8").partition("\n")
    return rest[1:] if rest.startswith("\n") else rest


def read_pair(folder: Path) -> RewritePair:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    linked = {side: {i for link in gold["links"] for i in link[k]} for k, side in enumerate("ab")}
    sides = {side: gold_side(article_text(folder / f"{side}.txt"), gold, side, linked[side]) for side in "ab"}
    pairs = frozenset((i, j) for link_a, link_b in gold["links"] for i in link_a for j in link_b
                      if i not in sides["a"].out_of_scope and j not in sides["b"].out_of_scope)
    return RewritePair(gold["id"], gold["kind"], sides["a"], sides["b"], pairs)


def gold_side(text: str, gold: dict, side: str, linked: set[int]) -> GoldSide:
    sentences = locate_in_order(text, gold[f"sentences_{side}"])
    out = frozenset(gold[f"out_of_scope_{side}"])
    return GoldSide(text, sentences, out, frozenset(set(range(len(sentences))) - linked - out),
                    tuple((item["kind"], occurrences(text, item["text"])) for item in gold[f"must_flag_{side}"]),
                    tuple(occurrences(text, passage) for passage in gold[f"faithful_{side}"]))


def locate_in_order(text: str, sentences: list[str]) -> tuple[Range, ...]:
    ranges, cursor = [], 0
    for sentence in sentences:
        start = text.find(sentence, cursor)
        if start < 0:
            raise ValueError(f"gold sentence not found after offset {cursor}: {sentence[:30]!r}")
        ranges.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return tuple(ranges)


def occurrences(text: str, item: str) -> tuple[Range, ...]:
    """Every place the item's text occurs: a phrase that occurs twice is one item found at either place."""
    found = tuple((m.start(), m.end()) for m in re.finditer(re.escape(item), text))
    if not found:
        raise ValueError(f"gold item not found in the article: {item[:30]!r}")
    return found


def score_pair(pair: RewritePair, result) -> dict:
    spans = {side: [((s.start, s.end), kind_name(s)) for s in difference_spans(result, side)] for side in "ab"}
    precision = precision_counts(pair, spans)
    by_kind = precision_counts_by_kind(pair, result)
    must_flag = [(kind, any(touches(s, place) for s, _ in spans[side] for place in places))
                 for side in "ab" for kind, places in getattr(pair, side).must_flag]
    faithful = [false_flagged(spans[side], places) for side in "ab" for places in getattr(pair, side).faithful]
    links = link_counts(pair, result)
    verdict = getattr(result, "verdict", None)
    return {"id": pair.id, "kind": pair.kind, "verdict": verdict.label if verdict is not None else None,
            "difference_spans": len(spans["a"]) + len(spans["b"]),
            **precision, "precision": ratio(precision["right_spans"], precision["scored_spans"]),
            "must_flag": [{"kind": kind, "found": found} for kind, found in must_flag],
            "recall": ratio(sum(found for _, found in must_flag), len(must_flag)),
            "faithful_passages": len(faithful), "faithful_false_flags": sum(faithful), **links,
            "spans_by_kind": by_kind}


def precision_counts(pair: RewritePair, spans: dict) -> dict:
    """Spans mostly outside out-of-scope sentences, and those that hit a must-flag item or a gold added/omitted sentence."""
    scored = right = 0
    for side in "ab":
        gold = getattr(pair, side)
        out = [gold.sentences[i] for i in gold.out_of_scope]
        unlinked = [gold.sentences[i] for i in gold.unlinked]
        items = [place for _, places in gold.must_flag for place in places]
        for span, _ in spans[side]:
            if share_inside(span, out) > 0.5:
                continue
            scored += 1
            right += any(touches(span, item) for item in items) or share_inside(span, unlinked) > 0.5
    return {"scored_spans": scored, "right_spans": right}


def precision_counts_by_kind(pair: RewritePair, result) -> dict[str, list[int]]:
    """[scored, right] per span class, counted as :func:`precision_counts` counts them."""
    out: dict[str, list[int]] = {}
    for side in "ab":
        for span in difference_spans(result, side):
            counts = precision_counts(pair, {side: [((span.start, span.end), kind_name(span))],
                                             "ab".replace(side, ""): []})
            if counts["scored_spans"]:
                tally = out.setdefault(span_class(span), [0, 0])
                tally[0] += 1
                tally[1] += counts["right_spans"]
    return out


def false_flagged(spans: list[tuple[Range, str]], places: tuple[Range, ...]) -> bool:
    if any(touches(span, place) for span, kind in spans if kind in SIGNAL_KINDS for place in places):
        return True
    content = [span for span, kind in spans if kind in CONTENT_KINDS]
    covered = sum(covered_chars(content, place) for place in places)
    return covered > CONTENT_SHARE * sum(end - start for start, end in places)


def link_counts(pair: RewritePair, result) -> dict:
    """Tool links as annotator sentence pairs (each tool sentence -> the gold sentence it overlaps most)."""
    map_a = map_sentences(result, "a", pair.a.sentences)
    map_b = map_sentences(result, "b", pair.b.sentences)
    tool = {(map_a[i], map_b[j]) for link in result.alignment.links for i in link.a for j in link.b}
    tool = {(i, j) for i, j in tool if i is not None and j is not None
            and i not in pair.a.out_of_scope and j not in pair.b.out_of_scope}
    return {"links_tool": len(tool), "links_gold": len(pair.gold_links), "links_right": len(tool & pair.gold_links)}


def rewrites_metrics(pair_scores: list[dict]) -> dict:
    found_by_kind, total_by_kind = Counter(), Counter()
    for pair in pair_scores:
        for item in pair["must_flag"]:
            total_by_kind[item["kind"]] += 1
            found_by_kind[item["kind"]] += item["found"]
    right, tool, gold = (sum(p[k] for p in pair_scores) for k in ("links_right", "links_tool", "links_gold"))
    link_p, link_r = ratio(right, tool), ratio(right, gold)
    return {
        "split": "dev only",
        "span_precision": ratio(sum(p["right_spans"] for p in pair_scores), sum(p["scored_spans"] for p in pair_scores)),
        "span_precision_ci95": _pooled_ci([{"spans_by_kind": {"all": [p["scored_spans"], p["right_spans"]]}}
                                           for p in pair_scores], "all"),
        "must_flag_recall": ratio(sum(found_by_kind.values()), sum(total_by_kind.values())),
        "must_flag_recall_by_kind": {k: ratio(found_by_kind[k], n) for k, n in sorted(total_by_kind.items())},
        "faithful_false_flag_rate": ratio(sum(p["faithful_false_flags"] for p in pair_scores),
                                          sum(p["faithful_passages"] for p in pair_scores)),
        "span_precision_by_kind": _precision_by_kind(pair_scores),
        "link_precision": link_p, "link_recall": link_r,
        "link_f1": round(2 * link_p * link_r / (link_p + link_r), 4) if link_p and link_r else 0.0,
        "counts": {"pairs": len(pair_scores), "must_flag": sum(total_by_kind.values()),
                   "must_flag_by_kind": dict(sorted(total_by_kind.items())),
                   "faithful_passages": sum(p["faithful_passages"] for p in pair_scores),
                   "scored_spans": sum(p["scored_spans"] for p in pair_scores),
                   "difference_spans": sum(p["difference_spans"] for p in pair_scores),
                   "gold_links": gold, "tool_links": tool},
        "verdicts_by_kind": _verdicts_by_kind(pair_scores),
        "pairs": [{k: p.get(k) for k in ("id", "kind", "verdict", "difference_spans", "precision", "recall")}
                  for p in pair_scores],
    }


def _verdicts_by_kind(pair_scores: list[dict]) -> dict[str, dict[str, int]]:
    """The annotators' kind of pair (rewrite_en_zh, faithful_en_zh …) against FrameDiff's verdict: a check,
    not a target (the verdict's bounds are not tuned on these pairs)."""
    table: dict[str, dict[str, int]] = {}
    for pair in pair_scores:
        row = table.setdefault(pair["kind"], {})
        row[str(pair.get("verdict"))] = row.get(str(pair.get("verdict")), 0) + 1
    return dict(sorted(table.items()))


def _precision_by_kind(pair_scores: list[dict]) -> dict[str, dict]:
    """Pooled span precision per span class, with the number of scored spans."""
    pooled: dict[str, list[int]] = {}
    for pair in pair_scores:
        for name, (scored, right) in pair.get("spans_by_kind", {}).items():
            tally = pooled.setdefault(name, [0, 0])
            tally[0] += scored
            tally[1] += right
    return {name: {"spans": scored, "precision": ratio(right, scored),
                   "ci95": _pooled_ci(pair_scores, name)}
            for name, (scored, right) in sorted(pooled.items())}


def _pooled_ci(pair_scores: list[dict], name: str) -> list[float] | None:
    """95 % interval of the class's pooled precision over resamples of whole pairs."""
    rows = [pair.get("spans_by_kind", {}).get(name, [0, 0]) for pair in pair_scores]

    def precision(resamples):
        scored, right = resamples[..., 0].sum(axis=1), resamples[..., 1].sum(axis=1)
        return np.where(scored > 0, right / np.maximum(scored, 1), np.nan)

    if len(rows) < 2:
        return None
    interval = bootstrap_ci(rows, lambda r: precision(r)[~np.isnan(precision(r))])
    return interval
