"""Does a word of one article have a counterpart in a passage of the other? (English and Chinese)

Every check that could flag wording "one side has and the other lacks" asks this first, so a
term both articles carry is shared wording, not a difference:

- same language: the term itself (English stems, Chinese folded to Simplified);
- Chinese term, English passage: a stemmed content word of the term's CC-CEDICT senses (or of its
  lexicon gloss) occurs in the passage ("抹黑" meets "smear", "报道" meets "reported");
- English term, Chinese passage: the term's stem occurs in the CC-CEDICT senses of some word of the
  passage ("suppressing" meets 打压 "to suppress").

The dictionary is what a bilingual reader would consult; when it has no entry the answer is
"unknown", and callers treat unknown as "do not flag": a flag that is not there is better than a
flag that is wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.chinese import fold_to_simplified, is_han, word_spans
from .words.word_evidence import GLOSS_STOP, english_stems, gloss_stems, han_words, stem

_EN_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")


def term_stems(term: str, language: str, gloss: str | None = None) -> frozenset[str]:
    """English stems standing for ``term``: its own (English) or its dictionary senses (Chinese)."""
    if language == "zh":
        stems = set(gloss_stems(fold_to_simplified(term)))
        if gloss:
            stems |= english_stems(gloss)
        return frozenset(stems)
    return frozenset(english_stems(term)) or frozenset({stem(term)})


@lru_cache(maxsize=4096)
def passage_stems(text: str, language: str) -> frozenset[str]:
    """English stems a passage offers: its words (English) or its words' dictionary senses (Chinese)."""
    if language != "zh":
        return frozenset(english_stems(text))
    folded = fold_to_simplified(text)
    stems: set[str] = set()
    for start, end in word_spans(folded):
        word = folded[start:end]
        if is_han(word):
            for piece in han_words(word):
                stems |= gloss_stems(piece)
        else:
            stems |= english_stems(word)
    return frozenset(stems - GLOSS_STOP)


def has_counterpart(term: str, language: str, passage: str, passage_language: str, *,
                    gloss: str | None = None, min_share: float = 0.0) -> bool:
    """Whether ``passage`` carries ``term`` or a dictionary translation of it.

    Across languages one shared stem is enough, unless ``min_share`` asks for a share of the term's
    stems (a multi-word source such as "seven people with direct knowledge of the deals").
    """
    if language == passage_language == "zh":
        return fold_to_simplified(term) in fold_to_simplified(passage)
    if language == passage_language:
        return shares_word(term, passage)
    mine = term_stems(term, language, gloss) - GLOSS_STOP
    if not mine:
        return False
    found = mine & passage_stems(passage, passage_language)
    return bool(found) and len(found) >= min_share * len(mine)


def shares_word(term: str, passage: str) -> bool:
    """Same-language check for an English term: all its content words occur in the passage."""
    words = english_stems(term)
    return bool(words) and words <= english_stems(passage)
