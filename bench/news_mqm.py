"""`bench news`, set ``mqm``: MQM-News zh→en (WMT23), Chinese article a against one MT system's English b.

Article a joins the segments' sources with "\\n", b their targets; each segment
remembers its character range on both sides, so the raters' error spans
(offsets into the segment's own string) and the tool's spans meet in one
coordinate system. Definitions are in docs/benchmarks-news.md.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .news_spans import Range, difference_spans, kind_name, map_sentences, ratio, span_class, touches
from .stats import bootstrap_ci, roc_auc

OMISSION = "Accuracy/Omission"   # the data also says "Accuracy/Omission (Translation 2)": a prefix match
ADDITION = "Accuracy/Addition"
STRICT_KINDS = {"a": ("omitted", "reworded"), "b": ("added", "reworded")}


@dataclass(frozen=True, slots=True)
class Segment:
    label: str                       # faithful | minor | major
    a: Range
    b: Range
    omissions: tuple[Range, ...]     # Major omission spans on a, one per rater
    additions: tuple[Range, ...]     # Major addition spans on b, one per rater


@dataclass(frozen=True, slots=True)
class MqmPair:
    doc: str
    system: str
    text_a: str
    text_b: str
    segments: tuple[Segment, ...]


def read_pairs(data: Path, split: str) -> list[MqmPair]:
    path = Path(data) / "mqm-news-zhen" / f"{split}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [build_pair(json.loads(line)) for line in lines if line.strip()]


def build_pair(record: dict) -> MqmPair:
    segments, start_a, start_b = [], 0, 0
    for seg in record["segments"]:
        range_a = (start_a, start_a + len(seg["source"]))
        range_b = (start_b, start_b + len(seg["target"]))
        segments.append(Segment(seg["label"], range_a, range_b,
                                rater_spans(seg, OMISSION, "source", start_a),
                                rater_spans(seg, ADDITION, "target", start_b)))
        start_a, start_b = range_a[1] + 1, range_b[1] + 1   # + the "\n" joiner
    return MqmPair(record["doc"], record["system"], "\n".join(s["source"] for s in record["segments"]),
                   "\n".join(s["target"] for s in record["segments"]), tuple(segments))


def rater_spans(segment: dict, category: str, side: str, offset: int) -> tuple[Range, ...]:
    """Major spans of ``category`` on ``side`` that have offsets, shifted into the article; each rater's span once."""
    found = {(rating["rater"], error["start"], error["end"])
             for rating in segment["ratings"] for error in rating["errors"]
             if error["category"].startswith(category) and error["severity"] == "Major"
             and error.get("side") == side and error.get("start") is not None}
    return tuple((offset + start, offset + end) for _, start, end in sorted(found))


def score_pair(pair: MqmPair, result) -> dict:
    """Per-segment facts for one pair: flagged, strongest score, rater spans found, link correct."""
    spans = {side: [(s.start, s.end, s.score, kind_name(s), span_class(s)) for s in difference_spans(result, side)]
             for side in "ab"}
    # every span that carries a confidence, counted or possible: the graded signal segment_auc_confidence ranks
    rated = {side: [(s.start, s.end, s.confidence) for s in result.spans
                    if s.side == side and getattr(s, "confidence", None) is not None]   # results before issue 25: none
             for side in "ab"}
    links_ok = segment_links_correct(result, pair.segments)
    segments = []
    for seg, link_ok in zip(pair.segments, links_ok):
        hits = [s for side, target in (("a", seg.a), ("b", seg.b)) for s in spans[side] if touches(s[:2], target)]
        confidences = [c for side, target in (("a", seg.a), ("b", seg.b)) for start, end, c in rated[side]
                       if touches((start, end), target)]
        segments.append({
            "label": seg.label, "flagged": bool(hits), "spans": len(hits),
            "score": max((s[2] for s in hits), default=0.0), "confidence": max(confidences, default=0.0),
            "link_ok": link_ok,
            "omissions": len(seg.omissions), "additions": len(seg.additions),
            **found_counts("omissions", seg.omissions, spans["a"], STRICT_KINDS["a"]),
            **found_counts("additions", seg.additions, spans["b"], STRICT_KINDS["b"])})
    kinds = Counter(s[3] for side in "ab" for s in spans[side])
    return {"doc": pair.doc, "system": pair.system, "difference_spans": sum(kinds.values()),
            "all_spans": len(result.spans), "by_kind": dict(sorted(kinds.items())), "segments": segments,
            "major_touched_by_kind": major_touched_by_kind(pair, spans)}


def major_touched_by_kind(pair: MqmPair, spans: dict[str, list[tuple]]) -> dict[str, list[int]]:
    """[spans, spans touching a rater's Major omission (side a) or addition (side b)] per span class
    (``spans``: per side, ``(start, end, score, kind, class)`` of the difference spans)."""
    gold = {"a": [g for seg in pair.segments for g in seg.omissions],
            "b": [g for seg in pair.segments for g in seg.additions]}
    out: dict[str, list[int]] = {}
    for side in "ab":
        for start, end, _, _, name in spans[side]:
            tally = out.setdefault(f"{name} ({side})", [0, 0])
            tally[0] += 1
            tally[1] += any(touches((start, end), g) for g in gold[side])
    return out


def found_counts(name: str, gold: tuple[Range, ...], spans: list[tuple], strict_kinds: tuple[str, ...]) -> dict:
    found = [g for g in gold if any(touches(s[:2], g) for s in spans)]
    strict = [g for g in gold if any(touches(s[:2], g) for s in spans if s[3] in strict_kinds)]
    return {f"{name}_found": len(found), f"{name}_found_strict": len(strict),
            f"{name}_missed_chars": [end - start for start, end in gold if (start, end) not in found]}


def missed_lengths(segments: list[dict], name: str) -> dict:
    """How long the rater spans no difference span touched are (characters): what the tool misses."""
    lengths = sorted(n for s in segments for n in s[f"{name}_missed_chars"])
    if not lengths:
        return {"missed": 0}
    return {"missed": len(lengths), "median": lengths[len(lengths) // 2],
            "under_5_chars": sum(n < 5 for n in lengths)}


def segment_links_correct(result, segments: tuple[Segment, ...]) -> list[bool]:
    """Segment i is right when a link joins its sentences on both sides and no link joins it to another segment."""
    map_a = map_sentences(result, "a", [s.a for s in segments])
    map_b = map_sentences(result, "b", [s.b for s in segments])
    joined, crossed = set(), set()
    for link in result.alignment.links:
        on_a = {map_a[i] for i in link.a} - {None}
        on_b = {map_b[j] for j in link.b} - {None}
        joined |= on_a & on_b
        for seg in on_a | on_b:
            if (seg in on_a and on_b - {seg}) or (seg in on_b and on_a - {seg}):
                crossed.add(seg)
    return [i in joined and i not in crossed for i in range(len(segments))]


def segments_of(pair_scores: list[dict]) -> list[dict]:
    return [seg for pair in pair_scores for seg in pair["segments"]]


def false_flag_rate(segments: list[dict]) -> float | None:
    faithful = [s for s in segments if s["label"] == "faithful"]
    return ratio(sum(s["flagged"] for s in faithful), len(faithful))


def recall(segments: list[dict], name: str, *, strict: bool = False) -> float | None:
    found = f"{name}_found_strict" if strict else f"{name}_found"
    return ratio(sum(s[found] for s in segments), sum(s[name] for s in segments))


def segment_auc(segments: list[dict], key: str = "score") -> float | None:
    """Major against faithful segments, ranked by ``key``: "score" (the strongest counted span's score, the
    figure since issue 9) or "confidence" (the most confident span, counted or possible)."""
    rated = [s for s in segments if s["label"] in ("major", "faithful")]
    auc = roc_auc([s["label"] == "major" for s in rated], [s.get(key, 0.0) for s in rated])
    return None if auc != auc else round(auc, 4)


def link_accuracy(segments: list[dict]) -> float | None:
    return ratio(sum(s["link_ok"] for s in segments), len(segments))


def article_ci(articles: list[list[dict]], metric) -> list[float] | None:
    """95% interval of ``metric`` over resamples of whole articles (their pairs and segments stay together)."""
    def per_resample(picks: np.ndarray) -> np.ndarray:
        values = (metric(segments_of([pair for i in row for pair in articles[int(i)]])) for row in picks)
        return np.array([np.nan if v is None else v for v in values])

    if metric(segments_of([pair for article in articles for pair in article])) is None:
        return None
    interval = bootstrap_ci(np.arange(len(articles)), per_resample)
    return None if any(np.isnan(interval)) else interval   # a resample without a single rated span


def mqm_metrics(pair_scores: list[dict]) -> dict:
    """Pooled metrics over all pairs, counts, and 95% intervals from resampling whole articles."""
    segments = segments_of(pair_scores)
    labels = Counter(s["label"] for s in segments)
    by_doc = defaultdict(list)
    for pair in pair_scores:
        by_doc[pair["doc"]].append(pair)
    articles = list(by_doc.values())
    headline = {"false_flag_rate": false_flag_rate, "omission_recall": lambda s: recall(s, "omissions"),
                "addition_recall": lambda s: recall(s, "additions"), "segment_auc": segment_auc,
                "segment_auc_confidence": lambda s: segment_auc(s, "confidence")}
    kinds, touched = Counter(), defaultdict(lambda: [0, 0])
    for pair in pair_scores:
        kinds.update(pair["by_kind"])
        for name, (n, hits) in pair["major_touched_by_kind"].items():
            touched[name][0] += n
            touched[name][1] += hits
    return {
        **{name: metric(segments) for name, metric in headline.items()},
        "omission_recall_strict": recall(segments, "omissions", strict=True),
        "addition_recall_strict": recall(segments, "additions", strict=True),
        "link_accuracy": link_accuracy(segments),
        "spans_per_faithful_segment": ratio(sum(s["spans"] for s in segments if s["label"] == "faithful"),
                                            labels["faithful"]),
        "flagged_by_label": {label: ratio(sum(s["flagged"] for s in segments if s["label"] == label), n)
                             for label, n in sorted(labels.items())},
        "missed_omission_chars": missed_lengths(segments, "omissions"),
        "major_touched_by_kind": {name: {"spans": n, "touch_major": hits}
                                  for name, (n, hits) in sorted(touched.items())},
        "ci95": {name: article_ci(articles, metric) for name, metric in headline.items()},
        "counts": {"articles": len(articles), "pairs": len(pair_scores), "segments": dict(sorted(labels.items())),
                   "major_omission_spans": sum(s["omissions"] for s in segments),
                   "major_addition_spans": sum(s["additions"] for s in segments),
                   "difference_spans": sum(p["difference_spans"] for p in pair_scores),
                   "all_spans": sum(p["all_spans"] for p in pair_scores),
                   "difference_spans_by_kind": dict(sorted(kinds.items()))},
    }
