"""The pipeline step: word scores for every aligned group, and added/omitted word spans.

All sentences that take part in a link, on both sides, go through USE-m3 in one
batched forward pass (and an in-process cache keyed by sentence text), then each
word is scored against the sentences of its link's other side. Words of
unaligned sentences score 1.0 (nothing on the other side corresponds to them),
so later steps can read one score per token of each article.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from models.base import Embedder, TokenEncoder

from ..align import Alignment
from ...text.article import Article
from ..classify import group_counterpart, quote
from ...result import SpanKind, SpanRecord
from ...settings import Settings
from .word_evidence import is_function_word
from .literal import EDITED_COPY, literal_insertions, shared_share, word_key
from .scoring import (WORDLIKE, WordSentence, WordVectors, embed_word_sentences, high_runs, score_sentences,
                      with_context)

_CACHE_SIZE = 4096
# Bytes of word vectors kept between calls: ~4 KB per word, so a count bound alone let one huge
# comparison (or a server's day of them) keep GBs alive (docs/robustness.md).
_CACHE_BYTES = 256 * 2**20
EMBED_CHUNK_CHARS = 8000    # characters per word-vector pass: its arrays stay tens of MB, not GBs
_cache: OrderedDict[tuple, WordVectors] = OrderedDict()
# One lock for the cache: the web server compares in threads, and an OrderedDict mutated by one
# while another iterates or evicts fails ("mutated during iteration", KeyError; issue 23). Held
# only for lookups and updates, never while embedding.
_cache_lock = threading.Lock()


def clear_word_vector_cache() -> None:
    """Forget the word vectors of sentences seen so far (benchmarks use this to time a cold run)."""
    with _cache_lock:
        _cache.clear()


def sentence_words(article: Article, i: int) -> WordSentence:
    """Sentence ``i`` in matching form (Traditional folded), with word offsets relative to its start."""
    sent = article.sentences[i]
    words = tuple((t.start - sent.start, t.end - sent.start) for t in article.sent_tokens(i))
    return WordSentence(article.match_text[sent.start:sent.end], words, article.language)


def embed_cached(embedder: Embedder, sentences: list[WordSentence],
                 token_encoder: TokenEncoder | None = None) -> list[WordVectors]:
    """Word vectors, reusing those of sentences seen earlier in this process (``embedder.supports_word_vectors``).

    With a ``token_encoder``, entries cached without its contextual vectors (the word pass before
    alignment embeds every sentence; only linked ones need them) get them added, without a second
    pass of the embedder.
    """
    keys = [(embedder.model_id, s.text, s.words, s.language) for s in sentences]
    with _cache_lock:
        found = {k: _cache[k] for k in keys if k in _cache}
        for key in found:
            _cache.move_to_end(key)
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    by_key = dict(zip(keys, sentences))
    for chunk in _chunks(missing, EMBED_CHUNK_CHARS):
        found.update(zip(chunk, embed_word_sentences(embedder, [by_key[k] for k in chunk])))
    fresh = set(missing)
    if token_encoder is not None:
        bare = list(dict.fromkeys(k for k in keys if found[k].context_model != token_encoder.model_id))
        for chunk in _chunks(bare, EMBED_CHUNK_CHARS):
            found.update(zip(chunk, with_context([found[k] for k in chunk], [by_key[k] for k in chunk],
                                                 token_encoder)))
        fresh.update(bare)
    with _cache_lock:
        _cache.update({k: found[k] for k in fresh})
        _evict()
    return [found[key] for key in keys]


def _chunks(keys: list[tuple], max_chars: int):
    """Runs of keys whose sentence texts (key[1]) add up to at most ``max_chars`` (one key at least)."""
    chunk, size = [], 0
    for key in keys:
        if chunk and size + len(key[1]) > max_chars:
            yield chunk
            chunk, size = [], 0
        chunk.append(key)
        size += len(key[1])
    if chunk:
        yield chunk


def _nbytes(v: WordVectors) -> int:
    return v.words.nbytes + v.without.nbytes + (v.context.nbytes if v.context is not None else 0)


def _evict() -> None:
    """Drop the least recently used entries over the bounds (caller holds ``_cache_lock``)."""
    total = sum(_nbytes(v) for v in _cache.values())
    while _cache and (len(_cache) > _CACHE_SIZE or total > _CACHE_BYTES):
        _, dropped = _cache.popitem(last=False)
        total -= _nbytes(dropped)


def linked_word_vectors(article_a: Article, article_b: Article, alignment: Alignment,
                        embedder: Embedder, token_encoder: TokenEncoder | None = None) -> tuple[dict, dict]:
    """Word vectors of every linked sentence, per side (sentence index -> vectors), in one embedding pass."""
    linked_a = sorted({i for link in alignment.links for i in link.a})
    linked_b = sorted({j for link in alignment.links for j in link.b})
    vectors = embed_cached(embedder, [sentence_words(article_a, i) for i in linked_a]
                           + [sentence_words(article_b, j) for j in linked_b], token_encoder)
    return dict(zip(linked_a, vectors[:len(linked_a)])), dict(zip(linked_b, vectors[len(linked_a):]))


def token_scores(article_a: Article, article_b: Article, alignment: Alignment, embedder: Embedder,
                 *, literal_run: int = 0, token_encoder: TokenEncoder | None = None,
                 fitted: bool = False) -> dict[str, np.ndarray]:
    """One difference score per token of each article (index = token index).

    ``literal_run`` > 0: within one language, runs of that many words the other side of an
    edited copy lacks word for word score 1.0 (``literal.py``). ``fitted``: the fitted word model's
    probabilities (across languages, with a ``token_encoder``), else the hand-fitted weights'
    scores, which the support step and the framing gate read.
    """
    vec_a, vec_b = linked_word_vectors(article_a, article_b, alignment, embedder, token_encoder)
    scores = {"a": _unaligned_scores(article_a), "b": _unaligned_scores(article_b)}
    for link in alignment.links:
        for side, article, mine, theirs, own, other in (("a", article_a, link.a, link.b, vec_a, vec_b),
                                                        ("b", article_b, link.b, link.a, vec_b, vec_a)):
            target = [other[k] for k in theirs]
            for i, sent_scores in zip(mine, score_sentences([own[i] for i in mine], target, top_k=len(target),
                                                            fitted=fitted)):
                sent = article.sentences[i]
                scores[side][sent.token_start:sent.token_end] = sent_scores
        if literal_run and article_a.language == article_b.language:
            _mark_literal_insertions(scores, article_a, link.a, article_b, link.b, literal_run)
    return scores


def _group_keys(article: Article, ids) -> tuple[list[int], list[str | None]]:
    """Token indices of a group of sentences and their word keys (None for punctuation)."""
    tokens = [k for i in ids for k in range(article.sentences[i].token_start, article.sentences[i].token_end)]
    keys = []
    for k in tokens:
        t = article.tokens[k]
        word = article.match_text[t.start:t.end]
        keys.append(word_key(word, article.language) if WORDLIKE.search(word) else None)
    return tokens, keys


def _mark_literal_insertions(scores, article_a, ids_a, article_b, ids_b, min_run: int) -> None:
    tokens_a, keys_a = _group_keys(article_a, ids_a)
    tokens_b, keys_b = _group_keys(article_b, ids_b)
    words_a, words_b = [k for k in keys_a if k], [k for k in keys_b if k]
    if shared_share(words_a, words_b) < EDITED_COPY:
        return      # a paraphrase: the model's scores stand alone
    for side, tokens, keys, other in (("a", tokens_a, keys_a, words_b), ("b", tokens_b, keys_b, words_a)):
        for pos in literal_insertions(keys, other, min_run=min_run):
            scores[side][tokens[pos]] = 1.0


def _unaligned_scores(article: Article) -> np.ndarray:
    """1.0 for word tokens (their whole sentence has no counterpart until a link says otherwise)."""
    return np.array([1.0 if any(ch.isalnum() for ch in article.token_text(i)) else 0.0
                     for i in range(len(article.tokens))], dtype=np.float32)


def word_spans(article_a: Article, article_b: Article, alignment: Alignment, scores: dict[str, np.ndarray],
               settings: Settings, *, scored_by: str = "weights") -> list[SpanRecord]:
    """Added (side b) and omitted (side a) word spans inside aligned sentences.

    ``scored_by`` says what made the scores: "word_model" (calibrated probabilities: a run's mean is
    its confidence, app/steps/confidence.py) or "weights" (the hand-fitted combination).
    """
    same = article_a.language == article_b.language
    thresholds = ({"a": settings.word_diff_threshold_mono, "b": settings.word_diff_threshold_mono} if same else
                  {"a": settings.word_diff_threshold_cross, "b": settings.word_diff_threshold_added_cross})
    if scored_by == "word_model":      # calibrated probabilities: one threshold, the confidence decides the rest
        thresholds = {"a": settings.word_probability_threshold, "b": settings.word_probability_threshold}
    # One-word runs across languages are below chance on X-PARADE dev (bench word-weights, README).
    min_words = settings.word_diff_min_words if same else settings.word_diff_min_words_cross
    spans: list[SpanRecord] = []
    for k, link in enumerate(alignment.links):
        for side, article, other, mine, theirs in (("a", article_a, article_b, link.a, link.b),
                                                   ("b", article_b, article_a, link.b, link.a)):
            counterpart = group_counterpart(other, "b" if side == "a" else "a", theirs)
            for i in mine:
                spans.extend(_sentence_spans(article, side, i, k, scores[side], thresholds[side], min_words,
                                             settings.word_diff_max_gap, counterpart, scored_by))
    return spans


def _only_function_words(article: Article, token_start: int, token_end: int) -> bool:
    """A run of closed-class words alone ("through a", "between", 的): nothing to show on its own."""
    words = [article.token_text(k) for k in range(token_start, token_end)]
    return all(is_function_word(w) for w in words if WORDLIKE.search(w))


def _sentence_spans(article, side, i, link, scores, threshold, min_words, max_gap, counterpart,
                    scored_by) -> list[SpanRecord]:
    sent = article.sentences[i]
    sent_scores = scores[sent.token_start:sent.token_end]
    scored = np.array([bool(WORDLIKE.search(article.token_text(k)))
                       for k in range(sent.token_start, sent.token_end)], dtype=bool)
    kind = SpanKind.OMITTED if side == "a" else SpanKind.ADDED
    out = []
    for run in high_runs(sent_scores, scored, threshold=threshold, min_words=min_words, max_gap=max_gap):
        if _only_function_words(article, sent.token_start + run.first, sent.token_start + run.last + 1):
            continue
        first = article.tokens[sent.token_start + run.first]
        last = article.tokens[sent.token_start + run.last]
        text = article.text[first.start:last.end]
        out.append(SpanRecord(side=side, start=first.start, end=last.end, text=text,
                              kind=kind, score=round(run.score, 4), sentence=i, link=link,
                              counterpart=counterpart, label="words", reason=_word_reason(side, text, counterpart),
                              detail={"token_start": sent.token_start + run.first,
                                      "token_end": sent.token_start + run.last + 1, "scored_by": scored_by}))
    return out


def _word_reason(side: str, text: str, counterpart) -> str:
    """One line a reader can check: the words, and the other side's matching sentence."""
    shown = quote(counterpart.text)
    if side == "b":
        return f"b adds '{text}'; a's matching passage has no counterpart for it: '{shown}'"
    return f"a's '{text}' has no counterpart in b's matching passage: '{shown}'"
