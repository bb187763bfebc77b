"""String evidence for word scoring: English stems (Snowball), CC-CEDICT glosses, word frequency.

- :func:`stem` is the Snowball English stemmer after dropping possessives, so
  "officials" meets "official" and "arrested" meets "arrest".
- :func:`gloss_stems` is the set of stemmed content words in every CC-CEDICT sense
  of a Chinese word (app/lexicons/glossary.py); words the dictionary lacks are split
  greedily into the longest headwords it has. A Chinese word whose gloss stems
  occur among the English words of the other side, or an English word that occurs
  in a gloss of some Chinese word there, has a dictionary counterpart.
- :func:`readings` spells a Chinese word in toneless pinyin from its characters'
  CC-CEDICT readings: a name the dictionary lacks (何立峰) meets its English
  spelling ("He Lifeng") through :func:`han_readings` and :func:`latin_runs`.
- :func:`frequency` is the word's Zipf frequency (0..8) from ``wordfreq``: common
  function words ("the", "的") rarely carry a difference on their own.

All lookups are cached per process.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

import snowballstemmer

from ...text.chinese import is_han

_SPLIT = re.compile(r"[a-z]+")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_ABBREV = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
_ZH_MONTH = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份|间)?$")
_ZH_NUMBER = re.compile(r"^(?:\d+|[零〇一二两三四五六七八九十]+)$")
_ZH_DATE_UNITS = frozenset({"年", "日", "号", "年间", "年度"})
# Words too common in CC-CEDICT senses to say anything about a match.
_GLOSS_STOP_WORDS = frozenset("""a an the to of in on at by for with from as or and be is are was were been being it its
this that these those one some sb sth something someone somebody etc used also esp especially kind type form
variant see cl pr old abbr not no up out into over under about than so very more most""".split())
_MAX_PIECE = 6


_SNOWBALL = snowballstemmer.stemmer("english")
_SNOWBALL_LOCK = threading.Lock()     # a Snowball stemmer object keeps state between calls


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lower-case English word stemmed by Snowball ("policies" and "policy" → "polici").

    Possessives are dropped first, and month names and their abbreviations map to
    the full name ("Sept" → "september"), so dates meet across spellings.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if w in _MONTH_ABBREV or w in _MONTHS:
        return _MONTH_ABBREV.get(w, w)
    with _SNOWBALL_LOCK:
        return _SNOWBALL.stemWord(w)


# Compared with stems, so stemmed the same way.
GLOSS_STOP = frozenset(stem(w) for w in _GLOSS_STOP_WORDS)


def month_key(word: str) -> str | None:
    """``"month:3"`` for "March", "Mar", "3月", "三月"; None for anything else (facts.py reads the numbers)."""
    from ..facts import month_number, zh_numeral

    number = month_number(word) if word[:1].isalpha() and word.isascii() else None
    if number is None:
        match = _ZH_MONTH.match(word)
        value = zh_numeral(match.group(1)) if match else None
        number = int(value) if value and value == int(value) else None
    return f"month:{number}" if number and 1 <= number <= 12 else None


def date_keys(keys) -> list[str | None]:
    """Month keys of a word sequence; a month split over two tokens ("3" "月") gives both the key.

    Chinese word segmentation cuts "3月" into a number and 月, so the key is read
    from each token together with its neighbour.
    """
    keys = list(keys)
    out = [month_key(k) for k in keys]
    for i in range(len(keys) - 1):
        if keys[i + 1].startswith("月") and _ZH_NUMBER.match(keys[i]):
            joined = month_key(keys[i] + "月")
            if joined:
                out[i] = out[i + 1] = joined
    return out


def date_unit_after_number(keys, i: int) -> bool:
    """Token ``i`` is a Chinese date unit (年, 日, 号 …) right after a number: it belongs to that number."""
    return i > 0 and keys[i] in _ZH_DATE_UNITS and bool(_ZH_NUMBER.match(keys[i - 1]))


def english_stems(text: str) -> set[str]:
    return {stem(w) for w in _SPLIT.findall(text.lower())} - GLOSS_STOP


@lru_cache(maxsize=1)
def _headwords() -> dict:
    from ...lexicons.glossary import index

    return index()


@lru_cache(maxsize=200_000)
def gloss_stems(word: str) -> frozenset[str]:
    """Stemmed English content words of every CC-CEDICT sense of ``word`` (folded to Simplified)."""
    if not is_han(word):
        return frozenset()
    pieces = [word] if word in _headwords() else _greedy_pieces(word)
    stems: set[str] = set()
    for piece in pieces:
        for line in _headwords().get(piece, ()):
            senses = line.partition("/")[2]
            stems |= english_stems(re.sub(r"\[[^\]]*\]|\b[A-Z][a-z]?\d\b", " ", senses))
    return frozenset(stems)


_PINYIN = re.compile(r"\[([^\]]*)\]")
_TONE = re.compile(r"\d")
MAX_READINGS = 64           # spellings of one word: names have a few readings per character, not hundreds
MIN_READING = 4             # "Lifeng", "Jinping": shorter strings ("he", "li") meet English words by chance


@lru_cache(maxsize=50_000)
def char_readings(char: str) -> frozenset[str]:
    """Toneless pinyin of every CC-CEDICT reading of one character (吕 → {"lu"}, 行 → {"hang", "xing"})."""
    out = set()
    for line in _headwords().get(char, ()):
        match = _PINYIN.search(line)
        if match:
            syllable = _TONE.sub("", match.group(1).lower().replace("u:", "u"))
            if syllable.isalpha():
                out.add(syllable)
    return frozenset(out)


@lru_cache(maxsize=200_000)
def readings(word: str) -> frozenset[str]:
    """Toneless pinyin spellings of a Chinese word run together (何立峰 → "helifeng"); empty when unknown.

    How names are written in English: a person's name is rarely in the dictionary, but its
    characters are, and the English text spells them in pinyin.
    """
    spellings = {""}
    for char in word:
        found = char_readings(char)
        if not found:
            return frozenset()
        spellings = {s + r for s in spellings for r in found}
        if len(spellings) > MAX_READINGS:
            return frozenset()
    return frozenset(spellings)


def latin_key(word: str) -> str:
    """An English word as pinyin is written: lower case, no hyphens, apostrophes or accents ("Xi'an" → "xian",
    "Malatyá" → "malatya")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return re.sub(r"[-'’]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


# Pinyin against an English spelling, both six letters or more: CC-CEDICT headwords against frequent
# English words almost never meet this by chance (tests/steps/words/test_word_evidence.py).
SPELLED_LIKE = 0.72
_MIN_SPELLED_LIKE = 6


def spelled_like(spellings: frozenset[str], latin: frozenset[str]) -> bool:
    """A pinyin spelling close to an English one: a foreign name transliterated into Chinese characters
    and back (马拉蒂亚 ~ Malatya), which exact spelling never meets."""
    for reading in spellings:
        if len(reading) < _MIN_SPELLED_LIKE:
            continue
        for word in latin:
            if len(word) < _MIN_SPELLED_LIKE or word[0] != reading[0] or not .6 <= len(word) / len(reading) <= 1.6:
                continue
            match = SequenceMatcher(None, reading, word, autojunk=False)
            if match.quick_ratio() >= SPELLED_LIKE and match.ratio() >= SPELLED_LIKE:
                return True
    return False


@lru_cache(maxsize=20_000)
def han_readings(keys: tuple[str, ...]) -> frozenset[str]:
    """Spellings of every run of two or three Chinese characters in a sentence's words (names cross word cuts)."""
    out: set[str] = set()
    stream = ""
    for key in keys + ("",):
        if is_han(key) and key.isalpha():
            stream += key
            continue
        for size in (2, 3):
            for i in range(len(stream) - size + 1):
                out |= {r for r in readings(stream[i:i + size]) if len(r) >= MIN_READING}
        stream = ""
    return frozenset(out)


@lru_cache(maxsize=20_000)
def latin_runs(keys: tuple[str, ...]) -> frozenset[str]:
    """One to three consecutive Latin-script words run together ("he lifeng" → "helifeng", "lifeng")."""
    keys = [latin_key(k) for k in keys]
    words = [k if k.isascii() and k.isalpha() else None for k in keys]
    out = set()
    for i in range(len(words)):
        joined = ""
        for word in words[i:i + 3]:
            if word is None:
                break
            joined += word
            if len(joined) >= MIN_READING:
                out.add(joined)
    return frozenset(out)


def _greedy_pieces(word: str) -> list[str]:
    """Longest dictionary headwords from the left (single characters when nothing longer is known)."""
    heads = _headwords()
    out, i = [], 0
    while i < len(word):
        for size in range(min(_MAX_PIECE, len(word) - i), 0, -1):
            piece = word[i:i + size]
            if piece in heads or size == 1:
                if is_han(piece):
                    out.append(piece)
                i += size
                break
    return out


def han_words(key: str) -> list[str]:
    """Dictionary-sized pieces of a Chinese token (whole when CC-CEDICT knows it)."""
    return [key] if key in _headwords() else _greedy_pieces(key)


UNKNOWN_LANGUAGE_FREQUENCY = 5.0   # about the mean over running text: neither function word nor rare


@lru_cache(maxsize=200_000)
def frequency(word: str, language: str) -> float:
    """Zipf frequency of ``word`` (0 = unknown word, about 7.7 for "the"/"的")."""
    if not _has_wordlist(language):
        return UNKNOWN_LANGUAGE_FREQUENCY
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


@lru_cache(maxsize=64)
def _has_wordlist(language: str) -> bool:
    """wordfreq covers the language and needs nothing more (Japanese and Korean need MeCab)."""
    from wordfreq import zipf_frequency

    try:
        zipf_frequency("a", language)
    except (LookupError, ImportError):
        return False
    return True


def guess_language(keys) -> str:
    """"zh" when the words are mostly Han characters, else "en" (frequency lists are per language)."""
    keys = [k for k in keys if k.strip()]
    han = sum(1 for k in keys if is_han(k))
    return "zh" if keys and han * 2 >= len(keys) else "en"



# Closed-class words (articles, prepositions, conjunctions, pronouns, auxiliaries, particles). A
# word span made of these alone is noise, never a difference worth showing. Written here rather than
# taken from a stop-word package: those lists also hold content words such as "said" or "made".
FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every either neither no both all such
of in on at by for with from to into onto over under between among through throughout during before after
about against across along around behind beyond near off out up down upon within without via per than as
and or but nor so yet if then though although while whereas because since unless until whether
it its itself they them their theirs he him his she her hers we us our ours you your i me my which who whom
whose what there here where when how
is are was were be been being am do does did have has had having will would shall should can could may
might must not 's ’s
的 地 得 了 着 过 之 在 于 至 向 从 自 对 与 和 及 以及 或 或者 而 并 并且 且 也 都 就 又 还 但 但是 却 则 把 被 将
为 以 因 因为 由 由于 所 其 该 此 这 那 这些 那些 一 一个 个 等 中 上 下 里 内 间 时 后 前 是 有 会 能 要 已 已经 便
""".split())


def is_function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS
