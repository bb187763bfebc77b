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

    bias: float = -2.0
    align: float = 4.0
    sentence: float = 4.0
    deletion: float = 10.0
    lexical: float = -1.0
    number: float = 1.5


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


def _word_vectors(backend, piece: PieceSentence, sent: WordSentence) -> WordVectors:
    overlap = _overlap(piece, sent.words)
    words = _unit(overlap @ piece.rows)
    counts = overlap.sum(axis=1)
    n_total = len(piece.ids) + 2  # BOS and EOS are part of the encoder's sum
    left = (piece.total[None, :] - overlap @ piece.rows) / np.sqrt(np.maximum(n_total - counts, 1))[:, None]
    without = head_vectors(backend, left) if len(left) else np.zeros((0, piece.sentence.shape[0]), np.float32)
    keys = tuple(sent.word(i).lower() for i in range(len(sent.words)))
    scored = np.array([bool(_WORDLIKE.search(k)) and c > 0 for k, c in zip(keys, counts)], dtype=bool)
    return WordVectors(words, without, piece.sentence, keys, scored)


def embed_word_sentences(backend, sentences: list[WordSentence]) -> list[WordVectors]:
    """Word vectors for every sentence, in one batched forward pass."""
    if not sentences:
        return []
    pieces = encode_pieces(backend, [s.text for s in sentences], head=False)
    return [_word_vectors(backend, p, s) for p, s in zip(pieces, sentences)]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-6, None)


def evidence(source: list[WordVectors], target: list[WordVectors], *, top_k: int = 1) -> list[np.ndarray]:
    """Per sentence of ``source``: a ``[n_words, 5]`` array (align, sentence, deletion, lexical, number)."""
    if not target:
        return [np.tile([1.0, 1.0, 0.0, 0.0, 0.0], (len(s.keys), 1)).astype(np.float32) for s in source]
    target_sents = np.stack([t.sentence for t in target])
    all_keys = {k for t in target for k in t.keys}
    all_digits = "".join(k for k in all_keys if _DIGIT.search(k))
    out = []
    for sent in source:
        sims = target_sents @ sent.sentence
        best = np.argsort(-sims)[:top_k]
        candidates = np.concatenate([target[j].words for j in best])
        near_keys = {k for j in best for k in target[j].keys}
        align = 1.0 - (sent.words @ candidates.T).max(axis=1) if len(candidates) else np.ones(len(sent.keys))
        deletion = sent.without @ target_sents[best[0]] - sims[best[0]]
        lexical = np.array([k in near_keys for k in sent.keys], dtype=np.float32)
        number = np.array([bool(_DIGIT.search(k)) and k not in all_keys and k not in all_digits
                           for k in sent.keys], dtype=np.float32)
        feats = np.stack([align, np.full(len(sent.keys), 1.0 - sims[best[0]]), deletion, lexical, number], axis=1)
        out.append(feats.astype(np.float32))
    return out


def combine(feats: np.ndarray, scored: np.ndarray, weights: Weights = DEFAULT_WEIGHTS) -> np.ndarray:
    """Scores in 0..1 from evidence; punctuation scores 0."""
    w = np.array([weights.align, weights.sentence, weights.deletion, weights.lexical, weights.number],
                 dtype=np.float32)
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

