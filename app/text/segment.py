"""Sentences and tokens with character offsets into the original text.

Line breaks always end a sentence: in news copy a line is a paragraph, a byline,
a dateline, a caption or a list item, and none of those should be glued to the
next one. A short line that does not end like a sentence is a headline and stays
whole. Inside other lines, CJK text is split at sentence-final punctuation outside
quotation marks; other languages go through pysbd (rule-based, abbreviation
aware). Offsets are recovered by locating each piece in order, so they always
index the original text exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .article import Sentence, Token
from .chinese import HAN_UNIFIED, HIRAGANA, KATAKANA, word_spans
from .sentence_limit import cap_sentence, strip_span

CJK_LANGUAGES = {"zh", "ja"}
PYSBD_LANGUAGES = {"en", "hi", "mr", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa",
                   "nl", "da", "fr", "my", "el", "it", "de", "kk", "sk"}

# Markdown block markers: headings, list bullets, numbered items, quotes, rules, fences.
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s*)+")
_MD_SKIP = re.compile(r"^\s*(?:[-*_]{3,}|```.*|~~~.*)\s*$")

_CJK_FINAL = "。！？!?；…"
_OPEN_QUOTES = "“「『《（(【"
_CLOSE_QUOTES = "”」』》）)】"
_TRAILING_CLOSERS = set(_CLOSE_QUOTES + "\"'’")

# Initialisms (U.S., U.N.) are one token: split, "U" would look like a word of its own.
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*%?|\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
_JA_RUN = re.compile(rf"[{HAN_UNIFIED}]+|[{HIRAGANA}]+|[{KATAKANA}]+|\d+(?:[.,]\d+)*|[A-Za-z]+|\S")


def split_lines(text: str, *, markdown: bool = False) -> list[tuple[int, int]]:
    """Non-empty lines as (start, end), stripped of whitespace (and Markdown markers)."""
    spans = []
    for m in re.finditer(r"[^\n\r]+", text):
        start, end = m.start(), m.end()
        line = m.group()
        if markdown:
            if _MD_SKIP.match(line):
                continue
            prefix = _MD_PREFIX.match(line)
            if prefix:
                start += prefix.end()
        start, end = strip_span(text, start, end)
        if start < end:
            spans.append((start, end))
    return spans


def split_cjk(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split at sentence-final punctuation that is outside quotation marks.

    Closing quotes right after the punctuation stay with the sentence
    (他说：“……。”). If quotes are unbalanced the depth check is dropped, so a
    stray quote cannot swallow a whole paragraph.
    """
    pieces = _split_cjk_once(text, start, end, respect_quotes=True)
    if any(e - s > 400 for s, e in pieces):
        pieces = _split_cjk_once(text, start, end, respect_quotes=False)
    return pieces


def _split_cjk_once(text, start, end, *, respect_quotes):
    pieces, depth, piece_start, i = [], 0, start, start
    while i < end:
        ch = text[i]
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        if ch in _CJK_FINAL:
            j = i + 1
            while j < end and text[j] in _CJK_FINAL:
                j += 1
            closing = 0
            while j < end and text[j] in _TRAILING_CLOSERS:
                if text[j] in _CLOSE_QUOTES:
                    closing += 1
                j += 1
            if not respect_quotes or depth - closing <= 0:
                depth = 0
                s, e = strip_span(text, piece_start, j)
                if s < e:
                    pieces.append((s, e))
                piece_start = j
            i = j
            continue
        i += 1
    s, e = strip_span(text, piece_start, end)
    if s < e:
        pieces.append((s, e))
    return pieces


@lru_cache(maxsize=32)
def _pysbd(language: str):
    import pysbd

    return pysbd.Segmenter(language=language if language in PYSBD_LANGUAGES else "en", clean=False)


def split_pysbd(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    block = text[start:end]
    pieces, cursor = [], 0
    for piece in _pysbd(language).segment(block):
        piece = piece.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # pysbd normalised something: give up on this block, keep it whole
            return [(start, end)]
        pieces.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return pieces or [(start, end)]


TITLE_MAX_CHARS = 100
_LINE_FINAL = set(_CJK_FINAL + ".:：;") | _TRAILING_CLOSERS


def is_title_line(text: str, start: int, end: int) -> bool:
    """A short line that does not end like a sentence: a headline or subheading ("Putin's offer? US says
    no", "普京提议停火？美方拒绝"). It is one unit even with a question mark inside: the other
    article's headline says the same thing in one piece."""
    return end - start <= TITLE_MAX_CHARS and text[end - 1] not in _LINE_FINAL


def sentence_spans(text: str, language: str, *, markdown: bool = False) -> list[tuple[int, int]]:
    spans = []
    for start, end in split_lines(text, markdown=markdown):
        if is_title_line(text, start, end):
            pieces = [(start, end)]
        elif language in CJK_LANGUAGES:
            pieces = split_cjk(text, start, end)
        else:
            pieces = split_pysbd(text, start, end, language)
        for s_start, s_end in pieces:   # bounded length: every later stage's cost stays linear
            spans.extend(cap_sentence(text, s_start, s_end))
    return spans


def token_spans(text: str, match_text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Word tokens of one sentence, as absolute (start, end) offsets."""
    if language == "zh":
        return [(start + s, start + e) for s, e in word_spans(match_text[start:end])]
    pattern = _JA_RUN if language == "ja" else _WORD
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]


def segment(text: str, match_text: str, language: str, *, markdown: bool = False
            ) -> tuple[tuple[Sentence, ...], tuple[Token, ...]]:
    """Sentences and tokens for a whole article."""
    sentences, tokens = [], []
    for s_start, s_end in sentence_spans(text, language, markdown=markdown):
        first = len(tokens)
        for t_start, t_end in token_spans(text, match_text, s_start, s_end, language):
            tokens.append(Token(t_start, t_end, len(sentences)))
        sentences.append(Sentence(s_start, s_end, first, len(tokens)))
    return tuple(sentences), tuple(tokens)
