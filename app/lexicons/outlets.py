"""News outlets and wire services (corpora/lexicons/outlets.tsv): publishers, not actors of a story.

A rewrite credits the outlet it copies ("据路透社14日报道", "(Reuters) -"); that credit is neither an
entity change nor a new source. :func:`names_outlet` tells whether a passage names one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..text.chinese import fold_to_simplified

OUTLETS = Path(__file__).resolve().parents[2] / "corpora" / "lexicons" / "outlets.tsv"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    en, zh = [], []
    for line in OUTLETS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("en\t"):
            continue
        names_en, names_zh = line.split("\t")
        en += names_en.split("|")
        zh += names_zh.split("|")
    by_length = lambda names: sorted(set(names), key=len, reverse=True)  # noqa: E731 (longest first)
    en_pattern = re.compile("|".join(rf"(?<![\w.]){re.escape(n)}(?!\w)" for n in by_length(en)))
    zh_pattern = re.compile("|".join(re.escape(n) for n in by_length(zh)))
    return en_pattern, zh_pattern


def names_outlet(text: str) -> bool:
    """Whether ``text`` names a news outlet (English names whole-word, Chinese names anywhere)."""
    en, zh = _patterns()
    return bool(en.search(text) or zh.search(fold_to_simplified(text)))


def is_outlet(name: str) -> bool:
    """Whether ``name`` is itself an outlet's name (not merely a passage that mentions one)."""
    en, zh = _patterns()
    return bool(en.fullmatch(name.strip()) or zh.fullmatch(fold_to_simplified(name.strip())))
