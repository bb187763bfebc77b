"""The pair verdict: what kind of relation the two articles have, said first (issue 22).

Four verdicts, from the alignment's shares of text and the counted findings, nothing else:

- **different stories**: less than a quarter of either article has a counterpart in the other;
- **close translation**: at most 5 % of a left out and of b added, at most a quarter of the linked
  text reworded, and no counted change of framing, loaded wording or sourcing;
- **light edit**: at most a quarter of a left out and of b added;
- **rewrite**: the rest.

The bounds were set before looking at any benchmark pair and are not tuned; ``bench news`` reports
how often the verdict agrees with the annotators' kind of pair (rewrites set). The shares behind
the verdict travel with it, so a reader sees why.
"""

from __future__ import annotations

from ..result import PairVerdict, SentenceStatus, SpanRecord

DIFFERENT_LINKED = 0.25
CLOSE_CHANGED, CLOSE_REWORDED = 0.05, 0.25
LIGHT_CHANGED = 0.25
TELLING_KINDS = {"framing", "loaded", "attribution"}


def _share(sentences, statuses: set[SentenceStatus]) -> float:
    total = sum(s.end - s.start for s in sentences) or 1
    return sum(s.end - s.start for s in sentences if s.status in statuses) / total


def pair_verdict(sentences_a, sentences_b, spans: list[SpanRecord]) -> PairVerdict:
    """``sentences_*``: the result's SentenceRecords (status set); ``spans``: the result's spans."""
    linked = {SentenceStatus.KEPT, SentenceStatus.REWORDED}
    shares = {"a_left_out": _share(sentences_a, {SentenceStatus.OMITTED}),
              "b_added": _share(sentences_b, {SentenceStatus.ADDED}),
              "a_linked": _share(sentences_a, linked), "b_linked": _share(sentences_b, linked),
              "a_reworded": _share(sentences_a, {SentenceStatus.REWORDED})}
    telling = sum(1 for s in spans if s.difference and s.kind.value in TELLING_KINDS)
    if shares["a_linked"] < DIFFERENT_LINKED or shares["b_linked"] < DIFFERENT_LINKED:
        label, why = "different stories", "little of either article has a counterpart in the other"
    elif (shares["a_left_out"] <= CLOSE_CHANGED and shares["b_added"] <= CLOSE_CHANGED
          and shares["a_reworded"] <= CLOSE_REWORDED and telling == 0):
        label, why = "close translation", "b renders nearly all of a and adds almost nothing"
    elif shares["a_left_out"] <= LIGHT_CHANGED and shares["b_added"] <= LIGHT_CHANGED:
        label, why = "light edit", "b keeps most of a and adds little"
    else:
        label, why = "rewrite", "b leaves out or adds a large part"
    return PairVerdict(label=label, reason=why, shares={k: round(v, 4) for k, v in shares.items()},
                       telling_changes=telling)
