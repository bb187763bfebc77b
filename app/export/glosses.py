"""Word glosses for reading a Chinese article without a translation model (presentation only).

A view helper, not part of the comparison: it cuts a sentence of the Result's text into words
(jieba, as the pipeline does) and looks each word up in FrameDiff's news lexicon (称 "said")
and then CC-CEDICT (app/lexicons/glossary.py). Nothing
here changes the Result. Lookups are cached per sentence text, so re-rendering a result (a
filter, a toggle) costs nothing. Callers escape what they show: glosses come from a dictionary
file, words from the untrusted article.

    >>> [(w.text, w.gloss) for w in sentence_words("美国媒体炒作称")][:2]
    [('美国', 'United States; USA'), ('媒体', 'media, esp. news media')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.chinese import is_han

GLOSSED_LANGUAGES = frozenset({"zh"})
# CJK punctuation shown as its ASCII look-alike in the gloss line
PUNCTUATION = str.maketrans({"，": ",", "。": ".", "、": ",", "；": ";", "：": ":", "？": "?", "！": "!",
                             "“": '"', "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")", "《": "‹",
                             "》": "›", "「": '"', "」": '"', "『": '"', "』": '"', "—": "—", "…": "…"})


@dataclass(frozen=True, slots=True)
class Word:
    start: int          # offsets into the sentence text given
    end: int
    text: str
    gloss: str | None   # CC-CEDICT's short gloss, or None (names, numbers, words it lacks)


def glossed(language: str) -> bool:
    """Whether sentences of this language get word glosses (CC-CEDICT is a Chinese dictionary)."""
    return language in GLOSSED_LANGUAGES


@lru_cache(maxsize=8192)
def sentence_words(text: str) -> tuple[Word, ...]:
    """The words of one Chinese sentence with their glosses (cached by the sentence's text)."""
    from ..text.chinese import fold_to_simplified, word_spans

    words = []
    for start, end in word_spans(fold_to_simplified(text)):
        word = text[start:end]
        meaning = word_gloss(word) if _lexical(word) else None
        words.append(Word(start, end, word, meaning))
    return tuple(words)


def _lexical(word: str) -> bool:
    """Words worth a dictionary lookup: at least one Chinese character."""
    return is_han(word)


@lru_cache(maxsize=1)
def _news_glosses() -> dict[str, str]:
    """Glosses of FrameDiff's Chinese news lexicon (称 "said", 炒作 "hyped"): in news these read
    better than the dictionary's first sense (称 "to fit")."""
    from ..lexicons.loaded_terms import load_lexicon

    lexicon = load_lexicon("zh")
    return {entry.term: entry.gloss for entry in (lexicon.entries if lexicon else []) if entry.gloss}


def word_gloss(word: str) -> str | None:
    """The news lexicon's gloss of ``word``, else CC-CEDICT's, else None."""
    from ..text.chinese import fold_to_simplified
    from ..lexicons.glossary import gloss

    return _news_glosses().get(fold_to_simplified(word)) or gloss(word) or _compound(word)


def _compound(word: str) -> str | None:
    """A compound CC-CEDICT lacks, glossed part by part when it splits wholly into entries of two or
    more characters (美国商务部 → 美国 + 商务部). Single characters are not tried: 瓦尔 in a name is no
    "roof tile"."""
    from ..lexicons.glossary import gloss

    if len(word) < 4:
        return None
    parts, at = [], 0
    while at < len(word):
        for size in range(min(6, len(word) - at), 1, -1):
            found = gloss(word[at:at + size])
            if found:
                parts.append(first_sense(found) or found)
                at += size
                break
        else:
            return None
    return " + ".join(parts) if len(parts) > 1 else None


def first_sense(gloss: str) -> str:
    """The first sense of a gloss, without its qualifications (``'media, esp. news media'`` → ``'media'``);
    empty for a grammatical note such as ``'(completed action marker)'``."""
    sense = re.split(r"[;,]| \(", gloss, maxsplit=1)[0].strip()
    return "" if sense.startswith("(") else sense


@lru_cache(maxsize=8192)
def gloss_line(text: str) -> str:
    """A word-by-word crib of one sentence: each word's first sense, or the word itself (names, numbers)."""
    out: list[str] = []
    for word in sentence_words(text):
        if word.gloss:
            sense = first_sense(word.gloss)
            if sense:
                out.append(sense)
        elif _lexical(word.text) or word.text.strip():
            piece = word.text.translate(PUNCTUATION)
            if piece in ",.;:?!)›" and out:
                out[-1] += piece
                continue
            out.append(piece)
    return " ".join(out)
