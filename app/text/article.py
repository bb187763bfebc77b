"""The Article: original text plus sentences and tokens as character offsets.

``Article.text`` is the text exactly as decoded (for HTML: the main text that
trafilatura extracted; for PDF and DOCX: the extracted text; for a URL: what the
page served, extracted the same way) and never changes. Sentences and tokens store only
half-open ``start``/``end`` character offsets into it; their text is sliced on
demand. A normalised copy (``match_text``: Traditional Chinese folded to
Simplified) exists only for matching, never for display.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    sent: int  # index of the sentence the token belongs to


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    token_start: int
    token_end: int  # exclusive


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None     # the article's own (canonical) address, when known
    date: str | None = None
    source: str | None = None  # file name, the URL as given, or "<string>"
    warnings: tuple[str, ...] = ()  # how the text was read, when doubtful (app/text/decode.py, app/text/reader.py)
    author: str | None = None  # byline, from the page or document (app/text/sources.py) when not given

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True)
class Article:
    text: str
    language: str                      # ISO 639-1 code, e.g. "en", "zh"
    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]
    match_text: str                    # same length as text; normalised for matching
    script: str | None = None          # "Hans" / "Hant" for Chinese
    format: str = "text"               # text | markdown | html | pdf | docx | url (app/text/sources.py)
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    def __post_init__(self):
        if len(self.match_text) != len(self.text):
            raise ValueError("match_text must be aligned character by character with text")

    # -- text access -------------------------------------------------------
    def sent_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start:s.end]

    def sent_match_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.match_text[s.start:s.end]

    def token_text(self, i: int) -> str:
        t = self.tokens[i]
        return self.text[t.start:t.end]

    def sent_tokens(self, i: int) -> tuple[Token, ...]:
        s = self.sentences[i]
        return self.tokens[s.token_start:s.token_end]

    @property
    def sentence_texts(self) -> list[str]:
        return [self.sent_text(i) for i in range(len(self.sentences))]

    # -- offsets -> tokens ---------------------------------------------------
    def char_span(self, start: int, end: int,
                  mode: Literal["strict", "contract", "expand"] = "strict") -> tuple[int, int] | None:
        """Map a character range to a token range ``(token_start, token_end)``.

        ``strict`` returns None unless both offsets fall on token boundaries;
        ``contract`` keeps only tokens fully inside; ``expand`` grows to cover
        every token the range touches. Returns None when no token qualifies.
        """
        starts = [t.start for t in self.tokens]
        ends = [t.end for t in self.tokens]
        if mode == "strict":
            i, j = bisect_left(starts, start), bisect_left(ends, end)
            if i < len(starts) and j < len(ends) and starts[i] == start and ends[j] == end and i <= j:
                return i, j + 1
            return None
        if mode == "contract":
            i, j = bisect_left(starts, start), bisect_right(ends, end)
        elif mode == "expand":
            i, j = bisect_right(ends, start), bisect_left(starts, end)
        else:
            raise ValueError(f"mode must be strict, contract or expand, not {mode!r}")
        return (i, j) if i < j else None
