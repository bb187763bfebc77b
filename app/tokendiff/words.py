"""Scoring pre-tokenised texts (the benchmarks' format): sentence splitting on word lists."""

from __future__ import annotations

import numpy as np

from .scoring import DEFAULT_WEIGHTS, Weights, WordSentence, embed_word_sentences, score_sentences


SENTENCE_END = frozenset({".", "?", "!", "。", "？", "！", "；"})


def split_word_list(words: list[str], *, joiner: str = " ") -> tuple[list[WordSentence], list[list[int]]]:
    """Sentences of a pre-tokenised text: split after end punctuation, words re-joined with ``joiner``.

    Returns the sentences and, for each, the indices of its words in ``words``.
    """
    groups: list[list[int]] = [[]]
    for i, word in enumerate(words):
        groups[-1].append(i)
        if word in SENTENCE_END:
            groups.append([])
    groups = [g for g in groups if g]
    sentences = []
    for group in groups:
        spans, parts, pos = [], [], 0
        for i in group:
            spans.append((pos, pos + len(words[i])))
            parts.append(words[i])
            pos += len(words[i]) + len(joiner)
        sentences.append(WordSentence(joiner.join(parts), tuple(spans)))
    return sentences, groups


def score_word_lists(backend, words_a: list[str], words_b: list[str], *, joiner_a: str = " ",
                     joiner_b: str = " ", top_k: int = 1, weights: Weights = DEFAULT_WEIGHTS
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Scores for every word of two pre-tokenised texts (a relative to b, and b relative to a)."""
    sents_a, groups_a = split_word_list(words_a, joiner=joiner_a)
    sents_b, groups_b = split_word_list(words_b, joiner=joiner_b)
    vectors = embed_word_sentences(backend, sents_a + sents_b)
    vec_a, vec_b = vectors[:len(sents_a)], vectors[len(sents_a):]
    out = []
    for source, target, groups, n in ((vec_a, vec_b, groups_a, len(words_a)), (vec_b, vec_a, groups_b, len(words_b))):
        scores = np.zeros(n, dtype=np.float32)
        for group, sent_scores in zip(groups, score_sentences(source, target, top_k=top_k, weights=weights)):
            scores[group] = sent_scores
        out.append(scores)
    return out[0], out[1]
