"""Word-level differences: per-token difference scores and added/omitted word spans (README)."""

from .scoring import DEFAULT_WEIGHTS, Weights, WordSentence, WordVectors, embed_word_sentences, score_sentences
from .spans import token_scores, word_spans

__all__ = ["DEFAULT_WEIGHTS", "Weights", "WordSentence", "WordVectors", "embed_word_sentences",
           "score_sentences", "token_scores", "word_spans"]
