"""Many-to-many, order-tolerant sentence alignment.

Rewrites reorder, merge, split, drop and add sentences; translations mostly keep
order. The aligner serves both with one idea, applied repeatedly:

1. **Monotone pass.** A 1-1 dynamic programme over the cosine matrix (vectorised
   row by row) finds the best monotone path; a second, banded programme around it
   considers groups of up to ``max_group`` consecutive sentences per side (1-1,
   1-n, n-1, n-m), scored on embeddings of the concatenated group texts, with a
   length-ratio penalty (Bertalign's recipe).
2. **Residual passes.** Links scoring below ``min_score`` are dropped. The
   sentences still unaligned on both sides form two shorter sequences, and step 1
   runs again on them. A block of the rewrite moved elsewhere is monotone within
   itself, so it aligns on the second pass even though it crossed other links.

Group embeddings are computed once per call (through the caller's encoder, which
caches) and reused by every pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Link:
    a: tuple[int, ...]
    b: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class Alignment:
    """Links between groups of sentences, plus what stayed unaligned; both directions."""

    links: tuple[Link, ...]
    n_a: int
    n_b: int
    a_to_b: tuple[int | None, ...] = field(init=False)  # sentence of a -> link index
    b_to_a: tuple[int | None, ...] = field(init=False)

    def __post_init__(self):
        a_to_b: list[int | None] = [None] * self.n_a
        b_to_a: list[int | None] = [None] * self.n_b
        for k, link in enumerate(self.links):
            for i in link.a:
                a_to_b[i] = k
            for j in link.b:
                b_to_a[j] = k
        object.__setattr__(self, "a_to_b", tuple(a_to_b))
        object.__setattr__(self, "b_to_a", tuple(b_to_a))

    @property
    def unaligned_a(self) -> tuple[int, ...]:
        return tuple(i for i, k in enumerate(self.a_to_b) if k is None)

    @property
    def unaligned_b(self) -> tuple[int, ...]:
        return tuple(j for j, k in enumerate(self.b_to_a) if k is None)

    def beads(self) -> list[tuple[list[int], list[int]]]:
        """Bertalign/Vecalign beads in the order of side b, nulls included."""
        beads = [(list(l.a), list(l.b)) for l in self.links]
        beads += [([i], []) for i in self.unaligned_a]
        beads += [([], [j]) for j in self.unaligned_b]

        def position(bead):
            a, b = bead
            return (min(a) if a else _nearest(self.a_to_b, self.links, b), 0 if a else 1)
        return sorted(beads, key=position)


def _nearest(a_to_b, links, b_ids) -> float:
    """Where an insertion bead sorts among a's indices: just after the link before it in b."""
    j = min(b_ids)
    best = -0.5
    for link in links:
        if max(link.b) < j and link.a:
            best = max(best, max(link.a) + 0.5)
    return best


@dataclass(frozen=True, slots=True)
class AlignParams:
    max_group: int = 4
    min_score: float = 0.10       # links below are dropped after each pass
    skip: float = -0.05           # DP reward for leaving a sentence unaligned
    band: int = 8                 # half-width of the second-pass band, in sentences
    passes: int = 3               # residual passes for reordered material
    join_a: str = " "
    join_b: str = " "


class _Groups:
    """Embeddings of every run of 1..max_group consecutive sentences on one side."""

    def __init__(self, texts: Sequence[str], encode: Encode, max_group: int, joiner: str):
        self.n = len(texts)
        self.max_group = max_group
        keys, group_texts = [], []
        for size in range(1, max_group + 1):
            for start in range(0, self.n - size + 1):
                keys.append((start, size))
                group_texts.append(joiner.join(texts[start:start + size]))
        vectors = encode(group_texts) if group_texts else np.zeros((0, 1), dtype=np.float32)
        self.index = {key: row for row, key in enumerate(keys)}
        self.vectors = vectors
        self.lengths = {key: sum(len(t) for t in texts[key[0]:key[0] + key[1]]) for key in keys}

    def vec(self, start: int, size: int) -> np.ndarray:
        return self.vectors[self.index[(start, size)]]

    def singles(self) -> np.ndarray:
        return self.vectors[: self.n]


def align_sentences(texts_a: Sequence[str], texts_b: Sequence[str], encode: Encode, *,
                    params: AlignParams = AlignParams()) -> Alignment:
    """Align two articles' sentences; ``encode`` maps texts to unit vectors."""
    groups_a = _Groups(texts_a, encode, params.max_group, params.join_a)
    groups_b = _Groups(texts_b, encode, params.max_group, params.join_b)
    if groups_a.n == 0 or groups_b.n == 0:
        return Alignment((), groups_a.n, groups_b.n)
    sim = groups_a.singles() @ groups_b.singles().T
    char_ratio = (sum(groups_b.lengths[(j, 1)] for j in range(groups_b.n)) /
                  max(1, sum(groups_a.lengths[(i, 1)] for i in range(groups_a.n))))
    links: list[Link] = []
    free_a, free_b = list(range(groups_a.n)), list(range(groups_b.n))
    for _ in range(params.passes):
        if not free_a or not free_b:
            break
        found = _monotone_pass(free_a, free_b, sim, groups_a, groups_b, char_ratio, params)
        found = [link for link in found if link.score >= params.min_score]
        if not found:
            break
        links.extend(found)
        used_a = {i for l in found for i in l.a}
        used_b = {j for l in found for j in l.b}
        free_a = [i for i in free_a if i not in used_a]
        free_b = [j for j in free_b if j not in used_b]
    links.sort(key=lambda l: (min(l.a), min(l.b)))
    return Alignment(tuple(links), groups_a.n, groups_b.n)


def _first_pass(sim: np.ndarray, skip: float) -> np.ndarray:
    """Best monotone 1-1 path with skips; returns for each row its matched column or -1.

    D[i, j] = max(D[i-1, j] + skip, D[i, j-1] + skip, D[i-1, j-1] + sim[i-1, j-1]).
    The D[i, j-1] term is a running maximum, so each row is a few numpy calls.
    """
    n, m = sim.shape
    cols = np.arange(m + 1, dtype=np.float64)
    D = np.empty((n + 1, m + 1))
    D[0] = skip * cols
    for i in range(1, n + 1):
        x = D[i - 1] + skip
        x[1:] = np.maximum(x[1:], D[i - 1, :-1] + sim[i - 1])
        # D[i, j] = max_k<=j (x[k] + skip * (j - k))   (skip <= 0)
        D[i] = np.maximum.accumulate(x - skip * cols) + skip * cols
    match = np.full(n, -1)
    i, j = n, m
    while i > 0 and j > 0:
        if np.isclose(D[i, j], D[i - 1, j - 1] + sim[i - 1, j - 1]):
            match[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif np.isclose(D[i, j], D[i - 1, j] + skip):
            i -= 1
        else:
            j -= 1
    return match


def _centres(match: np.ndarray, m: int) -> np.ndarray:
    """A band centre for every row: its match, or interpolated between neighbours."""
    n = len(match)
    known = np.flatnonzero(match >= 0)
    if len(known) == 0:
        return np.round(np.linspace(0, m - 1, n)).astype(int) if n > 1 else np.zeros(n, dtype=int)
    return np.round(np.interp(np.arange(n), known, match[known])).astype(int)


def _length_penalty(len_a: int, len_b: int, char_ratio: float) -> float:
    expected_b = len_a * char_ratio
    lo, hi = sorted((expected_b, float(len_b)))
    return math.log2(1.0 + lo / hi) if hi > 0 else 0.0


def _monotone_pass(free_a: list[int], free_b: list[int], sim: np.ndarray, groups_a: _Groups,
                   groups_b: _Groups, char_ratio: float, params: AlignParams) -> list[Link]:
    n, m = len(free_a), len(free_b)
    sub = sim[np.ix_(free_a, free_b)]
    centre = _centres(_first_pass(sub, params.skip), m)
    # Runs that can be grouped: consecutive in the residue AND in the original article.
    run_a = _run_lengths(free_a, params.max_group)
    run_b = _run_lengths(free_b, params.max_group)
    band = params.band
    NEG = -1e9
    score: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, float]] = {}

    for p in range(n + 1):
        c = centre[p - 1] if p > 0 else 0
        q_lo, q_hi = max(0, c - band), min(m, c + band + 1)
        if p == n:
            q_hi = m
        if p == 0:
            q_lo = 0
        for q in range(q_lo, q_hi + 1):
            if p == 0 and q == 0:
                continue
            best, arg = NEG, None
            if p > 0 and (p - 1, q) in score:
                v = score[(p - 1, q)] + params.skip
                if v > best:
                    best, arg = v, (1, 0, params.skip)
            if q > 0 and (p, q - 1) in score:
                v = score[(p, q - 1)] + params.skip
                if v > best:
                    best, arg = v, (0, 1, params.skip)
            for da in range(1, min(run_a[p - 1] if p > 0 else 0, params.max_group) + 1):
                for db in range(1, min(run_b[q - 1] if q > 0 else 0, params.max_group) + 1):
                    if min(da, db) > 1 and da + db > params.max_group + 1:
                        continue
                    prev = score.get((p - da, q - db))
                    if prev is None:
                        continue
                    s = _link_score(free_a[p - da], da, free_b[q - db], db, groups_a, groups_b,
                                    char_ratio, sim)
                    v = prev + s
                    if v > best:
                        best, arg = v, (da, db, s)
            if arg is not None:
                score[(p, q)] = best
                back[(p, q)] = arg
    links = []
    p, q = n, m
    if (p, q) not in back:
        return links
    while p > 0 or q > 0:
        da, db, s = back[(p, q)]
        if da and db:
            links.append(Link(tuple(free_a[p - da:p]), tuple(free_b[q - db:q]), round(float(s), 4)))
        p, q = p - da, q - db
    links.reverse()
    return links


def _run_lengths(ids: list[int], cap: int) -> list[int]:
    """For each position, how many positions ending there are consecutive in the original."""
    runs = []
    for k, i in enumerate(ids):
        runs.append(min(cap, runs[-1] + 1) if k and ids[k - 1] == i - 1 else 1)
    return runs


def _link_score(a0: int, da: int, b0: int, db: int, groups_a: _Groups, groups_b: _Groups,
                char_ratio: float, sim: np.ndarray) -> float:
    if da == 1 and db == 1:
        cos = float(sim[a0, b0])
    else:
        cos = float(groups_a.vec(a0, da) @ groups_b.vec(b0, db))
    penalty = _length_penalty(groups_a.lengths[(a0, da)], groups_b.lengths[(b0, db)], char_ratio)
    return cos * penalty
