"""Chinese helpers: Traditional/Simplified folding (opencc) and word tokens (jieba).

Folding is character-by-character (opencc's ``t2s`` dictionary applied per
character), so the folded copy has exactly the original's length and every
offset stays valid. Phrase-level conversions that change length are not used:
matching only needs the characters to agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The Unicode ranges of Chinese text, written once: every module builds its patterns from these.
HAN_UNIFIED = "\u4e00-\u9fff"                  # CJK Unified Ideographs: what jieba's dictionary holds
HAN = "\u3400-\u9fff\uf900-\ufaff"              # with Extension A and the compatibility ideographs
CJK_START = "\u2e80"                             # no Chinese character (or CJK punctuation) lies below
# Wide characters: radicals to ideographs, CJK punctuation, full-width forms (no space between them).
CJK_WIDE = f"{CJK_START}-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
HIRAGANA = "\u3040-\u309f"
KATAKANA = "\u30a0-\u30ff"
_HAN = re.compile(f"[{HAN}]")
_HAN_UNIFIED = re.compile(f"[{HAN_UNIFIED}]")


def is_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return bool(_HAN.search(text))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def fold_to_simplified(text: str) -> str:
    """Same-length copy of ``text`` with Traditional characters mapped to Simplified."""
    return "".join(_fold_char(ch) if ch >= CJK_START else ch for ch in text)


def detect_script(text: str) -> str:
    """``"Hant"`` when folding changes a noticeable share of the Han characters, else ``"Hans"``."""
    han = _HAN_UNIFIED.findall(text[:5000])
    if not han:
        return "Hans"
    changed = sum(1 for ch in han if _fold_char(ch) != ch)
    return "Hant" if changed / len(han) > 0.03 else "Hans"


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def word_spans(text: str) -> list[tuple[int, int]]:
    """Word boundaries (start, end) of Chinese text via jieba; whitespace dropped.

    Pass the Simplified-folded text: jieba's dictionary is Simplified, and the
    folded copy has the same offsets as the original.
    """
    return [(s, e) for _, s, e in _jieba().tokenize(text) if not text[s:e].isspace()]


def inner_word_boundaries(word: str) -> list[int]:
    """Offsets inside a compound where a dictionary word of 2 or 3 characters starts or ends.

    jieba keeps 彻底改变 "completely change" as one word; its search mode sees 彻底 and 改变
    inside it. Two-character words (名称) have no inner boundary, so 称 never matches there.
    """
    if len(word) < 3:
        return []
    freq = _jieba().dt.FREQ
    out: set[int] = set()
    for size in (2, 3):
        for k in range(len(word) - size + 1):
            if size < len(word) and freq.get(word[k:k + size]):
                out.update((k, k + size))
    return sorted(out - {0, len(word)})
