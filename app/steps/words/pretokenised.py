"""Scoring pre-tokenised texts (the benchmarks' format): sentence splitting on word lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.base import Embedder

from .scoring import (DEFAULT_WEIGHTS, FEATURES, MONO_WEIGHTS, Weights, WordSentence, combine, embed_word_sentences,
                      evidence)


SENTENCE_END = frozenset({".", "?", "!", "。", "？", "！", "；"})


def split_word_list(words: list[str], *, joiner: str = " ", language: str = ""
                    ) -> tuple[list[WordSentence], list[list[int]]]:
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
        sentences.append(WordSentence(joiner.join(parts), tuple(spans), language))
    return sentences, groups


@dataclass(frozen=True, slots=True)
class ListEvidence:
    """Evidence for every word of one pre-tokenised text, sentence by sentence."""

    groups: list[list[int]]          # word indices of each sentence
    features: list[np.ndarray]       # per sentence: [n_words, len(FEATURES)]
    scored: list[np.ndarray]         # per sentence: bool [n_words], False for punctuation
    n_words: int
    same_language: bool = False

    def scores(self, weights: Weights | None = None) -> np.ndarray:
        if weights is None:
            weights = MONO_WEIGHTS if self.same_language else DEFAULT_WEIGHTS
        out = np.zeros(self.n_words, dtype=np.float32)
        for group, feats, scored in zip(self.groups, self.features, self.scored):
            out[group] = combine(feats, scored, weights)
        return out


def word_list_evidence(embedder: Embedder, words_a: list[str], words_b: list[str], *, joiner_a: str = " ",
                       joiner_b: str = " ", language_a: str = "", language_b: str = "", top_k: int = 1
                       ) -> tuple[ListEvidence, ListEvidence]:
    """Evidence for every word of two pre-tokenised texts (a relative to b, and b relative to a)."""
    sents_a, groups_a = split_word_list(words_a, joiner=joiner_a, language=language_a)
    sents_b, groups_b = split_word_list(words_b, joiner=joiner_b, language=language_b)
    vectors = embed_word_sentences(embedder, sents_a + sents_b)
    vec_a, vec_b = vectors[:len(sents_a)], vectors[len(sents_a):]
    out = []
    for source, target, groups, n in ((vec_a, vec_b, groups_a, len(words_a)), (vec_b, vec_a, groups_b, len(words_b))):
        feats = evidence(source, target, top_k=top_k)
        same = bool(source and target) and source[0].language == target[0].language
        out.append(ListEvidence(groups, feats, [s.scored for s in source], n, same))
    return out[0], out[1]


def score_word_lists(embedder: Embedder, words_a: list[str], words_b: list[str], *, joiner_a: str = " ",
                     joiner_b: str = " ", language_a: str = "", language_b: str = "", top_k: int = 1,
                     weights: Weights | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Scores for every word of two pre-tokenised texts (a relative to b, and b relative to a).

    ``language_*`` ("en", "de", "zh" …) picks the word-frequency list; "" guesses en/zh from the script.
    ``weights`` defaults to the cross-lingual fit, or ``MONO_WEIGHTS`` when both languages are the same.
    """
    ev_a, ev_b = word_list_evidence(embedder, words_a, words_b, joiner_a=joiner_a, joiner_b=joiner_b,
                                    language_a=language_a, language_b=language_b, top_k=top_k)
    return ev_a.scores(weights), ev_b.scores(weights)


__all__ = ["FEATURES", "ListEvidence", "SENTENCE_END", "score_word_lists", "split_word_list", "word_list_evidence"]
