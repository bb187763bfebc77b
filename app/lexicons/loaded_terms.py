"""Lexicons of loaded and framing terms (corpora/lexicons/{en,zh}.tsv) and matching them in text.

English: whole words, case-insensitive; the first and last word of an entry also match their
regular inflections, so the file lists lemmas ("hype up" matches "hyped up").
Chinese: longest match over the Simplified-folded text (one entry serves Simplified and
Traditional), accepted only where it starts and ends on a word boundary from jieba, so 称
does not fire inside 名称.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parents[2] / "corpora" / "lexicons"
NEUTRAL = "neutral"
CATEGORIES = ("distancing", "stance_verb", "pejorative", "emotive", "booster", "hedge", "dismissive", NEUTRAL)

_EN_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_IRREGULAR = {"say": ["said"], "tell": ["told"], "write": ["wrote", "written"], "spin": ["spun"],
              "speak": ["spoke", "spoken"], "hold": ["held"], "think": ["thought"], "lie": ["lied", "lying"]}
_VOWELS = set("aeiou")


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    category: str
    weight: float
    gloss: str

    @property
    def neutral(self) -> bool:
        return self.category == NEUTRAL


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: character offsets into the text that was searched."""

    start: int
    end: int
    entry: Entry


def _inflections(word: str) -> set[str]:
    forms = {word, *_IRREGULAR.get(word, [])}
    if not word.isalpha() or len(word) < 3:
        return forms | {word + "s"}
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    else:
        forms |= {word + "s", word + "es", word + "ed", word + "ing"}
        if word[-1] not in _VOWELS | {"w", "x", "y"} and word[-2] in _VOWELS and word[-3] not in _VOWELS:
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _en_variants(term: str) -> set[tuple[str, ...]]:
    words = tuple(w.lower() for w in _EN_WORD.findall(term))
    if not words:
        return set()
    if len(words) == 1:
        return {(f,) for f in _inflections(words[0])}
    out = {(f,) + words[1:] for f in _inflections(words[0])}
    out |= {words[:-1] + (f,) for f in _inflections(words[-1])}
    return out


class Lexicon:
    """One language's entries and a matcher over plain text."""

    def __init__(self, language: str, entries: list[Entry], sha256: str):
        self.language = language
        self.entries = entries
        self.sha256 = sha256
        self._table: dict = {}
        if language == "zh":
            self._table = {e.term: e for e in entries}
            self._max_len = max((len(e.term) for e in entries), default=1)
        else:
            for e in entries:  # first entry wins when two inflect to the same form
                for variant in _en_variants(e.term):
                    self._table.setdefault(variant, e)
            self._max_len = max((len(k) for k in self._table), default=1)

    def __contains__(self, term: str) -> bool:
        if self.language == "zh":
            return term in self._table
        return tuple(w.lower() for w in _EN_WORD.findall(term)) in self._table

    def find(self, text: str, *, boundaries: set[int] | None = None) -> list[Hit]:
        """Non-overlapping longest matches, left to right.

        ``text`` is the folded match text for Chinese; ``boundaries`` (character positions where
        words start or end, e.g. from jieba) restricts Chinese matches to whole words.
        """
        if self.language == "zh":
            return self._find_zh(text, boundaries)
        return self._find_en(text)

    def _find_en(self, text: str) -> list[Hit]:
        words = [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _EN_WORD.finditer(text)]
        hits, i = [], 0
        while i < len(words):
            for n in range(min(self._max_len, len(words) - i), 0, -1):
                entry = self._table.get(tuple(w for _, _, w in words[i:i + n]))
                if entry is not None and _adjacent(text, words[i:i + n]):
                    hits.append(Hit(words[i][0], words[i + n - 1][1], entry))
                    i += n
                    break
            else:
                i += 1
        return hits

    def _find_zh(self, text: str, boundaries: set[int] | None) -> list[Hit]:
        hits, i = [], 0
        while i < len(text):
            found = None
            if boundaries is None or i in boundaries:
                for n in range(min(self._max_len, len(text) - i), 0, -1):
                    entry = self._table.get(text[i:i + n])
                    if entry is not None and (boundaries is None or i + n in boundaries):
                        found = Hit(i, i + n, entry)
                        break
            if found:
                hits.append(found)
                i = found.end
            else:
                i += 1
        return hits


def _adjacent(text: str, words: list[tuple[int, int, str]]) -> bool:
    """Words of a multiword entry must be separated only by spaces or hyphens."""
    return all(not text[a[1]:b[0]].strip(" -") for a, b in zip(words, words[1:]))


def parse_lexicon(text: str, *, language: str, sha256: str = "") -> Lexicon:
    entries: list[Entry] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[1] not in CATEGORIES:
            raise ValueError(f"lexicon {language} line {n}: expected term<TAB>category<TAB>weight<TAB>gloss "
                             f"with a category among {CATEGORIES}: {line!r}")
        entries.append(Entry(parts[0].strip(), parts[1], float(parts[2]), parts[3].strip()))
    return Lexicon(language, entries, sha256)


@lru_cache(maxsize=8)
def load_lexicon(language: str) -> Lexicon | None:
    """The project's lexicon for a language (folded to its base code), or None if there is none."""
    path = LEXICON_DIR / f"{language.split('-')[0].lower()}.tsv"
    if not path.exists():
        return None
    data = path.read_bytes()
    return parse_lexicon(data.decode("utf-8"), language=path.stem, sha256=hashlib.sha256(data).hexdigest())


def lexicons_hash() -> str:
    """SHA-256 over every file in corpora/lexicons and the frame descriptions (for the signature)."""
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.glob("*.tsv")) + [LEXICON_DIR.parent / "frames.json"]:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
