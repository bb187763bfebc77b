"""Many-to-many, order-tolerant sentence alignment.

Rewrites reorder, merge, split, drop and add sentences; translations mostly keep
order. The aligner serves both with one idea, applied repeatedly:

0. **Block order.** Side b is put in side a's order by moving whole blocks
   (``block_order``): a Viterbi pass walks b and follows a path through a's
   positions on z-scored similarities, where small forward steps are free and a
   jump costs ``block_jump``; the runs between jumps are blocks, sorted by where
   they sit in a. The move is kept only if the best monotone 1-1 path improves,
   so translations stay as they are. The later steps see b in the new order, so
   a group may join sentences that the move made neighbours.
1. **Monotone pass.** A 1-1 dynamic programme over the cosine matrix (vectorised
   row by row) finds the best monotone path; a second, banded programme around it
   considers groups of up to ``max_group`` consecutive sentences per side (1-1,
   1-n, n-1, n-m; at most ``max_total`` in all), scored on embeddings of the
   concatenated group texts. A link's DP value (``_Scorer``) is Bertalign's
   recipe plus two terms, each measured on MAC-Dev:
   (cosine - margin x mean cosine with the neighbours just outside the link)
   x length factor ** length_power, minus a squared log length-ratio penalty,
   plus a per-sentence term (each member's cosine with the other side's group,
   minus a base) that makes a boundary sentence join the group it matches.
   Leaving a sentence unaligned is worth ``skip``.
2. **Trim.** The DP absorbs an unrelated neighbour into a group when skipping it
   costs more than the small drop in similarity; ``_trim`` detaches such end
   sentences again (inserted asides, sentences moved elsewhere).
3. **Residual passes.** Links whose cosine is below ``min_score`` are dropped. The
   sentences still unaligned on both sides form two shorter sequences, and steps
   1-2 run again on them. A block of the rewrite moved elsewhere is monotone
   within itself, so it aligns on a later pass even though it crossed other
   links; such links must reach ``residual_min_score``, since leftovers pair up
   spuriously.
4. **Attach (parallel text only).** With ``attach_unaligned`` (off by default),
   each sentence still unaligned joins a neighbour's link when that costs the
   link less than ``attach_tolerance`` (``attach_unaligned``).

A link's ``score`` is the cosine of its two groups' embeddings. Group embeddings
are made on demand, only for groups inside the band that hold a sentence without a
confident (mutual best, >= ``confident``) 1-1 partner, and reused by every pass.
Parameters were tuned on MAC-Dev (``python -m bench align --split dev``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

Encode = Callable[[list[str]], np.ndarray]
PREPARE_CHUNK = 8192    # candidate links scored per numpy batch: bounds memory (~35 MB), not the result


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
    max_group: int = 5            # most sentences on one side of a link
    max_total: int = 5            # most sentences in a link, both sides together (n-m)
    min_score: float = 0.10       # links whose group cosine is below are dropped after each pass
    skip: float = -0.15           # DP value of leaving a sentence unaligned
    band: int = 8                 # half-width of the second-pass band, in sentences
    passes: int = 3               # residual passes for reordered material
    residual_min_score: float = 0.3  # links found after the first pass must reach this cosine
    long_group: int = 3           # a link with a group this long is tried only when its two sides'
    long_length_ratio: float = 2.0  #   lengths (scaled by the articles' ratio) are within this factor
    attach_unaligned: bool = False  # parallel text: unaligned sentences join a neighbour's link
    attach_tolerance: float = 0.12  #   when its cosine drops by less than this (MAC-Dev)
    confident: float = 0.6        # groups made only of mutual-best pairs this similar are not tried
    # Block finder (tuned on MAC-Dev --shuffle); its scores are similarities in z-scores.
    anchor_min: float = 0.3       # a block sits where its matches at least this similar (cosine) are
    block_min: int = 2            # fewer sentences than this never move as a block
    block_null: float = 1.0       # a b sentence scores at least this wherever it sits (added text is free)
    block_free: int = 1           # steps forward in a of up to this many sentences are free,
    block_far: int = 5            #   steps of up to this many cost block_step per sentence beyond block_free,
    block_step: float = 0.5       #
    block_jump: float = 3.5       #   and any other move starts a new block at this cost
    margin: float = 0.6           # weight of the neighbour margin (Bertalign) in the DP score
    member_bonus: float = 0.25    # each sentence of a link earns this x (its cosine with the
    member_base: float = 0.2      #   other side's group - member_base): sentences join the group they match
    length_power: float = 0.5     # exponent of the length-ratio factor (log2(1 + short/long))
    length_sq: float = 0.05       # additive penalty: this x log(len_b / expected len_b) ** 2
    trim_gain: float = 0.04       # after a pass, an end sentence leaves a group link when that raises
    trim_floor: float = 0.3       #   the link's cosine by trim_gain, its own cosine is below trim_floor
    trim_big_gain: float = 0.10   #   (or, whatever its own cosine, when leaving raises it this much)
    trim_length: float = 0.6      #   and it is at least this long relative to its side's mean sentence
    join_a: str = " "
    join_b: str = " "


class _Groups:
    """Embeddings of runs of 1..max_group consecutive sentences on one side, made on demand."""

    def __init__(self, texts: Sequence[str], encode: Encode, joiner: str, singles: np.ndarray | None = None):
        self.texts = list(texts)
        self.n = len(texts)
        self.encode = encode
        self.joiner = joiner
        if singles is None:
            singles = encode(self.texts) if self.texts else np.zeros((0, 1), dtype=np.float32)
        self.singles = singles
        self.groups: dict[tuple[int, int], np.ndarray] = {}
        self.set_confident(np.zeros(self.n, dtype=bool))
        lengths = np.array([len(t) for t in self.texts], dtype=np.float64)
        self.cum_len = np.concatenate([[0.0], np.cumsum(lengths)])
        self.cum_vec = np.concatenate([np.zeros((1, self.singles.shape[1])), np.cumsum(self.singles, axis=0)])

    def set_confident(self, confident: np.ndarray) -> None:
        self.confident = confident
        self._n_confident = [0, *np.cumsum(confident).tolist()]   # python ints: usable() is called ~10^5 times

    def usable(self, start: int, size: int) -> bool:
        """A group is worth embedding unless every member already has a confident 1-1 partner."""
        return size == 1 or self._n_confident[start + size] - self._n_confident[start] < size

    def length(self, start: int, size: int) -> float:
        return float(self.cum_len[start + size] - self.cum_len[start])

    def ensure(self, keys) -> None:
        """Embed, in one batch, the groups among ``keys`` not embedded yet."""
        missing = sorted({k for k in keys if k[1] > 1 and k not in self.groups})
        if not missing:
            return
        vectors = self.encode([self.joiner.join(self.texts[s:s + size]) for s, size in missing])
        self.groups.update(zip(missing, vectors))

    def vec(self, start: int, size: int) -> np.ndarray:
        return self.singles[start] if size == 1 else self.groups[(start, size)]


def align_sentences(texts_a: Sequence[str], texts_b: Sequence[str], encode: Encode, *,
                    params: AlignParams = AlignParams(), b_order: Sequence[int] | None = None) -> Alignment:
    """Align two articles' sentences; ``encode`` maps texts to unit vectors.

    ``b_order`` (b's sentence ids in a's order) replaces the block finder; it is
    for diagnosis (``bench align --shuffle --oracle-order`` passes the true order).
    """
    groups_a = _Groups(texts_a, encode, params.join_a)
    groups_b = _Groups(texts_b, encode, params.join_b)
    if groups_a.n == 0 or groups_b.n == 0:
        return Alignment((), groups_a.n, groups_b.n)
    # Align against b in a's order; groups may then join sentences that a block move made neighbours.
    sim = groups_a.singles @ groups_b.singles.T
    moved = list(b_order) if b_order is not None else block_order(sim, params)
    if sorted(moved) != list(range(groups_b.n)):
        raise ValueError("b_order must list every sentence of b once")
    if moved != list(range(groups_b.n)):
        groups_b = _Groups([texts_b[j] for j in moved], encode, params.join_b, groups_b.singles[moved])
    links = [Link(link.a, tuple(sorted(moved[q] for q in link.b)), link.score)
             for link in _align_groups(groups_a, groups_b, sim[:, moved], params)]
    if params.attach_unaligned:
        links = attach_unaligned(links, texts_a, texts_b, encode, params)
    links.sort(key=lambda l: (min(l.a), min(l.b)))
    return Alignment(tuple(links), groups_a.n, groups_b.n)


def attach_unaligned(links: list[Link], texts_a: Sequence[str], texts_b: Sequence[str], encode: Encode,
                     params: AlignParams) -> list[Link]:
    """For parallel text: each unaligned sentence joins the link of a neighbour in its own article.

    It joins when the link's cosine drops by less than ``attach_tolerance`` (or
    rises); with two neighbours' links eligible, the one left more similar wins.
    In a translation an unaligned sentence is nearly always a fragment of a split
    sentence that matches poorly alone (MAC has no 0-1 gold beads), but in a rewrite
    it is usually added or omitted text, hence off by default (docs/method.md).
    """
    links = list(links)
    for side, texts in (("a", texts_a), ("b", texts_b)):
        owner = {i: k for k, link in enumerate(links) for i in getattr(link, side)}
        for i in [i for i in range(len(texts)) if i not in owner]:
            options = []
            for k in {owner.get(i - 1), owner.get(i + 1)} - {None}:
                link = links[k]
                grown = tuple(sorted(getattr(link, side) + (i,)))
                if len(grown) > params.max_group:
                    continue
                a, b = (grown, link.b) if side == "a" else (link.a, grown)
                va, vb = encode([params.join_a.join(texts_a[x] for x in a),
                                 params.join_b.join(texts_b[x] for x in b)])
                cosine = float(va @ vb)
                if cosine > link.score - params.attach_tolerance:
                    options.append((cosine, k, a, b))
            if options:
                cosine, k, a, b = max(options)
                links[k] = Link(a, b, round(cosine, 4))
                owner[i] = k
    return links


def _align_groups(groups_a: _Groups, groups_b: _Groups, sim: np.ndarray, params: AlignParams) -> list[Link]:
    """Monotone passes, trim and residual passes over b in the order given (``sim``: a x b in that order)."""
    confident_a, confident_b = _confident(sim, params.confident)
    groups_a.set_confident(confident_a)
    groups_b.set_confident(confident_b)
    char_ratio = groups_b.cum_len[-1] / max(1.0, groups_a.cum_len[-1])
    scorer = _Scorer(sim, groups_a, groups_b, char_ratio, params)
    links: list[Link] = []
    free_a, free_b = list(range(groups_a.n)), list(range(groups_b.n))
    for pass_no in range(params.passes):
        if not free_a or not free_b:
            break
        found = _monotone_pass(free_a, free_b, sim, groups_a, groups_b, scorer, params)
        if params.trim_gain < 1.0:
            found = [_trim(link, scorer, params) for link in found]
        floor = params.min_score if pass_no == 0 else max(params.min_score, params.residual_min_score)
        found = [link for link in found if link.score >= floor]
        if not found:
            break
        links.extend(found)
        used_a = {i for l in found for i in l.a}
        used_b = {j for l in found for j in l.b}
        free_a = [i for i in free_a if i not in used_a]
        free_b = [j for j in free_b if j not in used_b]
    return links


def _confident(sim: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Sentences of a and of b that are each other's best match with at least ``floor``."""
    best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
    rows = np.arange(sim.shape[0])
    mutual = (best_a[best_b] == rows) & (sim[rows, best_b] >= floor)
    conf_a = mutual
    conf_b = np.zeros(sim.shape[1], dtype=bool)
    conf_b[best_b[mutual]] = True
    return conf_a, conf_b


def block_order(sim: np.ndarray, params: AlignParams) -> list[int]:
    """Side b's sentences in the order of side a, moving whole blocks only.

    A Viterbi pass walks b in order and follows a path through a's positions
    (``_block_path``): small forward steps are free, longer forward steps cost a
    little per skipped sentence, and a jump anywhere else costs ``block_jump``. The runs
    between jumps are b's blocks; they are sorted by where they sit in a. Unmoved
    text keeps its order, so translations are untouched.
    """
    m = sim.shape[1]
    blocks = _block_path(sim, params)
    order = sorted(range(len(blocks)), key=lambda k: (blocks[k][0], k))
    moved = [j for k in order for j in blocks[k][1]]
    if moved == list(range(m)):
        return moved
    # Keep the move only if the best monotone 1-1 path gets better with it.
    if _path_value(sim[:, moved], params.skip) > _path_value(sim, params.skip):
        return moved
    return list(range(m))


def _block_path(sim: np.ndarray, params: AlignParams) -> list[tuple[float, list[int]]]:
    """(position in a, b's sentence ids) for each block of b, in b's order.

    State i for sentence j of b means "b_j sits at a_i"; it earns
    max(z-scored sim[i, j], block_null), so an added sentence does not force a jump.
    Vectorised over states: each step of b is a few numpy operations.
    """
    n, m = sim.shape
    free, far, step, jump = params.block_free, params.block_far, params.block_step, params.block_jump
    emit = np.maximum(_zscores(sim), params.block_null)
    V = emit[:, 0].copy()
    back = np.zeros((m, n), dtype=np.int64)
    for j in range(1, m):
        best = np.full(n, -np.inf)
        arg = np.zeros(n, dtype=np.int64)
        for d in range(0, min(far, n - 1) + 1):   # forward steps from i - d
            cost = 0.0 if d <= free else step * (d - free)
            cand = np.full(n, -np.inf)
            cand[d:] = V[:n - d] - cost
            better = cand > best
            best[better], arg[better] = cand[better], (np.arange(n) - d)[better]
        k = int(V.argmax())
        cand = V[k] - jump
        better = cand > best
        best[better], arg[better] = cand, k
        back[j] = arg
        V = best + emit[:, j]
    path = np.zeros(m, dtype=np.int64)
    path[-1] = int(V.argmax())
    for j in range(m - 1, 0, -1):
        path[j - 1] = back[j, path[j]]
    runs: list[list[int]] = [[0]]
    for j in range(1, m):
        if 0 <= path[j] - path[j - 1] <= far:
            runs[-1].append(j)
        else:
            runs.append([j])
    # A run shorter than block_min stays where it is: one sentence that matches
    # elsewhere is more often a look-alike than a moved block, and the residual
    # passes still align a sentence that really moved.
    blocks: list[list[int]] = []
    for run in runs:
        if blocks and len(run) < params.block_min:
            blocks[-1].extend(run)
        else:
            blocks.append(run)
    return [(_block_key(sim, path, members, params), members) for members in blocks]


def _zscores(sim: np.ndarray) -> np.ndarray:
    """Each similarity in standard deviations above its row's and its column's mean, averaged.

    Raw cosines differ by text type (literary fragments match at .3, news at .7);
    z-scores put every document on one scale, so one jump cost fits all.
    """
    def z(axis):
        std = sim.std(axis=axis, keepdims=True)
        return (sim - sim.mean(axis=axis, keepdims=True)) / np.where(std > 1e-6, std, 1.0)
    if min(sim.shape) < 2:
        return sim
    return 0.5 * (z(0) + z(1))


def _block_key(sim, path, members, params) -> float:
    matched = [path[j] for j in members if sim[path[j], j] >= params.anchor_min]
    return float(np.median(matched if matched else [path[j] for j in members]))


def _path_table(sim: np.ndarray, skip: float) -> np.ndarray:
    n, m = sim.shape
    cols = np.arange(m + 1, dtype=np.float64)
    D = np.empty((n + 1, m + 1))
    D[0] = skip * cols
    for i in range(1, n + 1):
        x = D[i - 1] + skip
        x[1:] = np.maximum(x[1:], D[i - 1, :-1] + sim[i - 1])
        # D[i, j] = max_k<=j (x[k] + skip * (j - k))   (skip <= 0)
        D[i] = np.maximum.accumulate(x - skip * cols) + skip * cols
    return D


def _path_value(sim: np.ndarray, skip: float) -> float:
    return float(_path_table(sim, skip)[-1, -1])


def _first_pass(sim: np.ndarray, skip: float) -> np.ndarray:
    """Best monotone 1-1 path with skips; returns for each row its matched column or -1.

    D[i, j] = max(D[i-1, j] + skip, D[i, j-1] + skip, D[i-1, j-1] + sim[i-1, j-1]).
    The D[i, j-1] term is a running maximum, so each row is a few numpy calls.
    """
    n, m = sim.shape
    D = _path_table(sim, skip)
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


@lru_cache(maxsize=4096)
def _link_types(run_a: int, run_b: int, max_group: int, max_total: int) -> tuple[tuple[int, int], ...]:
    """The (sentences of a, sentences of b) shapes a link ending here may take."""
    return tuple((da, db) for da in range(1, min(run_a, max_group) + 1)
                 for db in range(1, min(run_b, max_group) + 1) if da + db <= max_total or min(da, db) == 1)


def _band_cells(n: int, m: int, centre: np.ndarray, band: int):
    """Per row p, the columns q_lo..q_hi the DP visits; consecutive rows always overlap."""
    prev_lo, prev_hi = 0, 0
    for p in range(n + 1):
        c = centre[p - 1] if p > 0 else 0
        q_lo, q_hi = max(0, c - band), min(m, c + band + 1)
        if p == n:
            q_hi = m
        if p == 0:
            q_lo = 0
        q_lo, q_hi = min(q_lo, prev_hi), max(q_hi, prev_lo)   # keep the band connected
        prev_lo, prev_hi = q_lo, q_hi
        yield p, q_lo, q_hi


def _monotone_pass(free_a: list[int], free_b: list[int], sim: np.ndarray, groups_a: _Groups,
                   groups_b: _Groups, scorer: "_Scorer", params: AlignParams) -> list[Link]:
    n, m = len(free_a), len(free_b)
    sub = sim[np.ix_(free_a, free_b)]
    centre = _centres(_first_pass(sub, params.skip), m)
    # Runs that can be grouped: consecutive in the residue AND in the order aligned (b after block moves).
    run_a = _run_lengths(free_a, params.max_group)
    run_b = _run_lengths(free_b, params.max_group)
    cells = list(_band_cells(n, m, centre, params.band))
    candidates = [k for k in _candidate_links(cells, free_a, free_b, run_a, run_b, params)
                  if groups_a.usable(k[0], k[1]) and groups_b.usable(k[2], k[3]) and scorer.plausible(k)]
    groups_a.ensure([(k[0], k[1]) for k in candidates])
    groups_b.ensure([(k[2], k[3]) for k in candidates])
    scorer.prepare(candidates)
    values = scorer.memo
    NEG = -1e9
    score: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    for p, q_lo, q_hi in cells:
        for q in range(q_lo, q_hi + 1):
            if p == 0 and q == 0:
                continue
            best, arg = NEG, None
            if p > 0 and (p - 1, q) in score:
                v = score[(p - 1, q)] + params.skip
                if v > best:
                    best, arg = v, (1, 0, 0.0)
            if q > 0 and (p, q - 1) in score:
                v = score[(p, q - 1)] + params.skip
                if v > best:
                    best, arg = v, (0, 1, 0.0)
            if p > 0 and q > 0:
                for da, db in _link_types(run_a[p - 1], run_b[q - 1], params.max_group, params.max_total):
                    prev = score.get((p - da, q - db))
                    value = values.get((free_a[p - da], da, free_b[q - db], db))
                    if prev is None or value is None:      # not a candidate (see above)
                        continue
                    v = prev + value
                    if v > best:
                        best, arg = v, (da, db, 0.0)
            if arg is not None:
                score[(p, q)] = best
                back[(p, q)] = arg
    links = []
    p, q = n, m
    if (p, q) not in back:
        return links
    while p > 0 or q > 0:
        da, db, _ = back[(p, q)]
        if da and db:
            a0, b0 = free_a[p - da], free_b[q - db]
            links.append(Link(tuple(free_a[p - da:p]), tuple(free_b[q - db:q]),
                              round(scorer.cosine(a0, da, b0, db), 4)))
        p, q = p - da, q - db
    links.reverse()
    return links


def _candidate_links(cells, free_a, free_b, run_a, run_b, params) -> list[tuple[int, int, int, int]]:
    keys = []
    for p, q_lo, q_hi in cells:
        if p == 0:
            continue
        for q in range(max(1, q_lo), q_hi + 1):
            for da, db in _link_types(run_a[p - 1], run_b[q - 1], params.max_group, params.max_total):
                keys.append((free_a[p - da], da, free_b[q - db], db))
    return keys


class _Scorer:
    """The DP value of a candidate link, memoised."""

    def __init__(self, sim, groups_a: _Groups, groups_b: _Groups, char_ratio: float, params: AlignParams):
        self.sim, self.ga, self.gb, self.ratio, self.params = sim, groups_a, groups_b, char_ratio, params
        self.memo: dict[tuple[int, int, int, int], float] = {}

    def ensure(self, a: list[int], b: list[int]) -> None:
        self.ga.ensure([(a[0], len(a))])
        self.gb.ensure([(b[0], len(b))])

    def relative_length(self, side: str, i: int) -> float:
        groups = self.ga if side == "a" else self.gb
        return groups.length(i, 1) * groups.n / max(1.0, float(groups.cum_len[-1]))

    def own_cosine(self, side: str, i: int, other: list[int]) -> float:
        """Cosine of one sentence with a group of the other side."""
        if side == "a":
            return float(self.ga.singles[i] @ self.gb.vec(other[0], len(other)))
        return float(self.gb.singles[i] @ self.ga.vec(other[0], len(other)))

    def cosine(self, a0: int, da: int, b0: int, db: int) -> float:
        if da == 1 and db == 1:
            return float(self.sim[a0, b0])
        return float(self.ga.vec(a0, da) @ self.gb.vec(b0, db))

    def plausible(self, key: tuple[int, int, int, int]) -> bool:
        """Whether a link is worth scoring: links with a long group need plausible lengths.

        A group of long_group or more sentences is the expensive one to embed, and
        it can only win against a side of comparable length (MAC-Dev: no loss in F1,
        a quarter fewer characters embedded on the ~1,000-word speed pair).
        """
        a0, da, b0, db = key
        if max(da, db) < self.params.long_group:
            return True
        len_a, len_b = self.ga.length(a0, da) * self.ratio, self.gb.length(b0, db)
        return max(len_a, len_b) <= self.params.long_length_ratio * max(1.0, min(len_a, len_b))

    def prepare(self, keys: list[tuple[int, int, int, int]]) -> None:
        """Score many candidate links at once (numpy), so that the DP only looks values up.

        In chunks: a long article has ~20 candidates per sentence, and two 512-float vectors per
        candidate held at once came to 2.6 GB for 200,000 characters (docs/robustness.md).
        """
        keys = [k for k in dict.fromkeys(keys) if k not in self.memo]
        for start in range(0, len(keys), PREPARE_CHUNK):
            self._prepare_chunk(keys[start:start + PREPARE_CHUNK])

    def _prepare_chunk(self, keys: list[tuple[int, int, int, int]]) -> None:
        if not keys:
            return
        a0, da, b0, db = (np.array(col) for col in zip(*keys))
        va = np.stack([self.ga.vec(i, d) for i, d in zip(a0, da)])
        vb = np.stack([self.gb.vec(j, d) for j, d in zip(b0, db)])
        p = self.params
        cos = np.einsum("kd,kd->k", va, vb)
        if p.margin:
            cos = cos - p.margin * 0.5 * (_neighbour_sims(va, self.gb, b0, db) + _neighbour_sims(vb, self.ga, a0, da))
        len_a = (self.ga.cum_len[a0 + da] - self.ga.cum_len[a0]) * self.ratio
        len_b = self.gb.cum_len[b0 + db] - self.gb.cum_len[b0]
        lo, hi = np.minimum(len_a, len_b), np.maximum(len_a, len_b)
        factor = np.where(hi > 0, np.log2(1.0 + lo / np.maximum(hi, 1e-9)), 0.0)
        value = cos * factor ** p.length_power
        value -= p.length_sq * np.log((len_b + 1.0) / (len_a + 1.0)) ** 2
        if p.member_bonus:
            members = (np.einsum("kd,kd->k", self.ga.cum_vec[a0 + da] - self.ga.cum_vec[a0], vb) +
                       np.einsum("kd,kd->k", self.gb.cum_vec[b0 + db] - self.gb.cum_vec[b0], va))
            value += p.member_bonus * (members - p.member_base * (da + db))
        self.memo.update(zip(keys, value.tolist()))


def _trim(link: Link, scorer: "_Scorer", params: AlignParams) -> Link:
    """Detach end sentences of a group link that do not belong to it.

    The DP absorbs an unrelated neighbour into a group when skipping it costs more
    than the small drop in group similarity. A sentence leaves a group when it is
    not short (fragments of a split sentence legitimately match poorly), matches the
    rest poorly itself, and its departure raises the link's cosine.
    """
    a, b = list(link.a), list(link.b)
    score = link.score
    while len(a) + len(b) > 2:
        options = []
        for side, ids in (("a", a), ("b", b)):
            if len(ids) < 2:
                continue
            for rest, gone in ((ids[1:], ids[0]), (ids[:-1], ids[-1])):
                new_a, new_b = (rest, b) if side == "a" else (a, rest)
                scorer.ensure(new_a, new_b)
                cos = scorer.cosine(new_a[0], len(new_a), new_b[0], len(new_b))
                gain = cos - score
                if gain >= params.trim_gain and scorer.relative_length(side, gone) >= params.trim_length and (
                        gain >= params.trim_big_gain
                        or scorer.own_cosine(side, gone, new_b if side == "a" else new_a) < params.trim_floor):
                    options.append((cos, side, rest))
        if not options:
            break
        score, side, rest = max(options)
        a, b = (rest, b) if side == "a" else (a, rest)
    if (tuple(a), tuple(b)) == (link.a, link.b):
        return link
    return Link(tuple(a), tuple(b), round(score, 4))


def _neighbour_sims(vecs: np.ndarray, groups: _Groups, start: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Mean cosine of each vector with the sentences just before and after its group on the other side."""
    total = np.zeros(len(vecs))
    count = np.zeros(len(vecs))
    for idx in (start - 1, start + size):
        ok = (idx >= 0) & (idx < groups.n)
        sims = np.einsum("kd,kd->k", vecs, groups.singles[np.clip(idx, 0, groups.n - 1)])
        total += np.where(ok, sims, 0.0)
        count += ok
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def _run_lengths(ids: list[int], cap: int) -> list[int]:
    """For each position, how many positions ending there are consecutive in the original."""
    runs = []
    for k, i in enumerate(ids):
        runs.append(min(cap, runs[-1] + 1) if k and ids[k - 1] == i - 1 else 1)
    return runs
