"""Word-level differences inside aligned sentences: which words have no counterpart on the other side.

Method (DiffAlign-style, offline with USE-m3; README "Word-level differences"):

1. One forward pass of USE-m3 over every sentence yields, per sentencepiece
   piece, its projected row (the n-gram CNN gives each a little context) and the
   sentence vectors. Pieces map to our word tokens by character offsets; a word's
   vector is the mean of the piece rows it overlaps.
2. For each word of a sentence on one side, against the best-matching
   sentence(s) of the other side's aligned group, we gather evidence:
   ``align``  1 − the best cosine to any word vector there (DiffAlign);
   ``sentence`` 1 − that sentence pair's similarity;
   ``deletion`` how much the sentence's similarity to its counterpart rises
   when the word is left out (its sentence vector is re-derived in closed form:
   the encoder sums piece rows before its dense head);
   ``lexical`` the word's string (Traditional folded to Simplified, lower case)
   occurs on the other side — names, numbers, shared terms;
   ``number`` the word holds digits that do not occur on the other side.
3. A logistic combination of the evidence (weights fitted on SwissGov-RSD
   dev_train, see :data:`DEFAULT_WEIGHTS`) gives a score in 0..1.

Contiguous words scoring at least ``Settings.word_diff_threshold`` become spans
of kind ``added`` (side b) or ``omitted`` (side a).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from models.use_m3_tokens import PieceSentence, encode_pieces, head_vectors

_DIGIT = re.compile(r"\d")
_WORDLIKE = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Weights:
    """Coefficients of the logistic combination (fitted on SwissGov-RSD dev_train; README)."""

    bias: float = -7.182
    align: float = 0.652
    align_context: float = 0.907
    sentence: float = 6.130
    deletion: float = 1.464
    lexical: float = 0.161
    number: float = 1.087
    not_mutual: float = 0.753
    align_any: float = -0.040
    any_context: float = 5.205

DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class WordSentence:
    """One sentence's words: the text fed to the encoder and each word's ``[start, end)`` inside it."""

    text: str
    words: tuple[tuple[int, int], ...]

    def word(self, i: int) -> str:
        start, end = self.words[i]
        return self.text[start:end]


@dataclass(frozen=True, slots=True)
class WordVectors:
    """What scoring needs about one sentence."""

    words: np.ndarray       # [n_words, 512] unit vectors (mean of overlapping piece rows)
    without: np.ndarray     # [n_words, 512] unit sentence vectors with that word left out
    sentence: np.ndarray    # [512] unit sentence vector
    keys: tuple[str, ...]   # lower-cased word strings, for lexical evidence
    scored: np.ndarray      # bool [n_words]: False for punctuation (always scores 0)


def _overlap(piece: PieceSentence, words: tuple[tuple[int, int], ...]) -> np.ndarray:
    if not words:
        return np.zeros((0, len(piece.ids)), dtype=np.float32)
    w = np.asarray(words, dtype=np.int32)
    inside = (piece.starts[None, :] < w[:, 1:2]) & (piece.ends[None, :] > w[:, 0:1])
    return inside.astype(np.float32)


def _without_rows(piece: PieceSentence, overlap: np.ndarray) -> np.ndarray:
    """The encoder's pre-head input for the sentence with each word left out (one row per word)."""
    counts = overlap.sum(axis=1)
    n_total = len(piece.ids) + 2  # BOS and EOS are part of the encoder's sum
    return (piece.total[None, :] - overlap @ piece.rows) / np.sqrt(np.maximum(n_total - counts, 1))[:, None]


def embed_word_sentences(backend, sentences: list[WordSentence]) -> list[WordVectors]:
    """Word vectors for every sentence: one batched forward pass, one batched head pass."""
    if not sentences:
        return []
    pieces = encode_pieces(backend, [s.text for s in sentences], head=False)
    overlaps = [_overlap(p, s.words) for p, s in zip(pieces, sentences)]
    lefts = [_without_rows(p, o) for p, o in zip(pieces, overlaps)]
    without_all = head_vectors(backend, np.concatenate(lefts)) if sum(map(len, lefts)) else None
    out, at = [], 0
    for piece, sent, overlap, left in zip(pieces, sentences, overlaps, lefts):
        n = len(left)
        without = without_all[at:at + n] if n else np.zeros((0, piece.sentence.shape[0]), np.float32)
        at += n
        keys = tuple(sent.word(i).lower() for i in range(n))
        scored = np.array([bool(_WORDLIKE.search(k)) and c > 0 for k, c in zip(keys, overlap.sum(axis=1))],
                          dtype=bool)
        out.append(WordVectors(_unit(overlap @ piece.rows), without, piece.sentence, keys, scored))
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-6, None)


FEATURES = ("align", "align_context", "sentence", "deletion", "lexical", "number", "not_mutual",
            "align_any", "any_context")


def _context_mean(values: np.ndarray, width: int) -> np.ndarray:
    """Mean over a window of ``2 * width + 1`` words (clipped at the sentence edges)."""
    if len(values) == 0 or width == 0:
        return values
    padded = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(len(values))
    lo, hi = np.maximum(idx - width, 0), np.minimum(idx + width + 1, len(values))
    return (padded[hi] - padded[lo]) / (hi - lo)


def evidence(source: list[WordVectors], target: list[WordVectors], *, top_k: int = 1,
             context: int = 2) -> list[np.ndarray]:
    """Per sentence of ``source``: a ``[n_words, len(FEATURES)]`` array of evidence (see module doc)."""
    if not target:
        return [np.tile([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0], (len(s.keys), 1)).astype(np.float32)
                for s in source]
    target_sents = np.stack([t.sentence for t in target])
    source_sents = np.stack([s.sentence for s in source])
    sims = source_sents @ target_sents.T                     # [n_source, n_target]
    best_back = sims.argmax(axis=0)                          # each target sentence's best source sentence
    all_words = np.concatenate([t.words for t in target])
    all_keys = {k for t in target for k in t.keys}
    all_digits = "".join(k for k in all_keys if _DIGIT.search(k))
    out = []
    for i, sent in enumerate(source):
        order = np.argsort(-sims[i])[:top_k]
        first = order[0]
        candidates = np.concatenate([target[j].words for j in order])
        near_keys = {k for j in order for k in target[j].keys}
        n = len(sent.keys)
        align = 1.0 - (sent.words @ candidates.T).max(axis=1) if len(candidates) else np.ones(n)
        weights = sent.scored.astype(np.float32)
        support = np.maximum(_context_mean(weights, context), 1e-6)
        context_align = _context_mean(align * weights, context) / support
        align_any = 1.0 - (sent.words @ all_words.T).max(axis=1) if len(all_words) else np.ones(n)
        any_context = _context_mean(align_any * weights, context) / support
        deletion = sent.without @ target_sents[first] - sims[i, first]
        lexical = np.array([k in near_keys for k in sent.keys], dtype=np.float32)
        number = np.array([bool(_DIGIT.search(k)) and k not in all_keys and k not in all_digits
                           for k in sent.keys], dtype=np.float32)
        feats = np.stack([align, context_align, np.full(n, 1.0 - sims[i, first]), deletion, lexical, number,
                          np.full(n, float(best_back[first] != i)), align_any, any_context], axis=1)
        out.append(feats.astype(np.float32))
    return out


def combine(feats: np.ndarray, scored: np.ndarray, weights: Weights = DEFAULT_WEIGHTS) -> np.ndarray:
    """Scores in 0..1 from evidence; punctuation scores 0."""
    w = np.array([getattr(weights, name) for name in FEATURES], dtype=np.float32)
    z = feats @ w + weights.bias
    return np.where(scored, 1.0 / (1.0 + np.exp(-z)), 0.0).astype(np.float32)


def score_sentences(source: list[WordVectors], target: list[WordVectors], *, top_k: int = 1,
                    weights: Weights = DEFAULT_WEIGHTS) -> list[np.ndarray]:
    """Difference score of every word of ``source`` relative to ``target`` (one array per sentence)."""
    return [combine(f, s.scored, weights) for f, s in zip(evidence(source, target, top_k=top_k), source)]


@dataclass(frozen=True, slots=True)
class WordRun:
    """Contiguous high-scoring words of one sentence: word indices ``[first, last]`` and their mean score."""

    first: int
    last: int
    score: float


def high_runs(scores: np.ndarray, scored: np.ndarray, *, threshold: float, min_words: int = 1,
              max_gap: int = 0) -> list[WordRun]:
    """Runs of words scoring ``>= threshold``; punctuation inside a run is kept, at its edges dropped.

    ``max_gap`` lets a run bridge that many low-scoring words.
    """
    runs: list[WordRun] = []
    first = last = None
    gap = 0
    for i, (score, counts) in enumerate(zip(scores, scored)):
        if not counts:
            continue
        if score >= threshold:
            if first is None:
                first = i
            last, gap = i, 0
        elif first is not None:
            gap += 1
            if gap > max_gap:
                runs.append(_run(scores, scored, first, last))
                first = last = None
                gap = 0
    if first is not None:
        runs.append(_run(scores, scored, first, last))
    return [r for r in runs if int(scored[r.first:r.last + 1].sum()) >= min_words]


def _run(scores, scored, first, last) -> WordRun:
    inside = scored[first:last + 1]
    return WordRun(first, last, float(scores[first:last + 1][inside].mean()))

