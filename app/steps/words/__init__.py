"""Word-level differences: per-token difference scores and added/omitted word spans (README)."""

from .scoring import (DEFAULT_WEIGHTS, MONO_WEIGHTS, Weights, WordSentence, WordVectors, embed_word_sentences,
                      score_sentences, weights_for)
from .spans import token_scores, word_spans

__all__ = ["DEFAULT_WEIGHTS", "MONO_WEIGHTS", "Weights", "WordSentence", "WordVectors", "embed_word_sentences",
           "score_sentences", "token_scores", "weights_for", "word_spans"]
