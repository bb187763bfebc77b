"""Language identification (lingua) and Chinese script detection (opencc).

lingua's low-accuracy mode is used on a sample of the article: news articles are
long enough for trigram statistics, and it loads in ~0.2 s instead of ~5 s.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import error

SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_all_languages()
            .with_low_accuracy_mode().with_preloaded_language_models().build())


# Keyboard mash ("asdkjh qwelkj zxcmnb") gets a confident guess from lingua (Swahili, Maori): a text
# in which hardly any word is a word of the guessed language, or of a few large ones, has no language.
MIN_KNOWN_WORDS = 0.2
_FALLBACK_WORDLISTS = ("en", "fr", "de", "es", "pt", "it", "nl")
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")


def detect_language(text: str, *, what: str = "the article", side: str = "a") -> str:
    """ISO 639-1 code of the text's main language (e.g. ``"en"``, ``"zh"``); E011 when there is none."""
    sample = text[:SAMPLE_CHARS]
    lang = _detector().detect_language_of(sample)
    if lang is None:
        raise error("E011", what=what, side=side)
    code = lang.iso_code_639_1.name.lower()
    if not has_real_words(sample, code):
        raise error("E011", what=what, side=side)
    return code


def has_real_words(sample: str, code: str) -> bool:
    """At least :data:`MIN_KNOWN_WORDS` of the sample's alphabetic words are words of ``code`` (by wordfreq),
    or, when wordfreq has no list for it, of one of a few large languages. Scripts without spaces
    (Chinese, Japanese, Thai) and texts of fewer than three words are not judged."""
    from wordfreq import available_languages, zipf_frequency

    words = [w.lower() for w in _LATIN_WORD.findall(sample) if w.isascii() or w.isalpha()][:200]
    if len(words) < 3 or code in ("zh", "ja", "th", "ko", "my", "km", "lo"):
        return True
    lists = [code] if code in available_languages() else list(_FALLBACK_WORDLISTS)
    known = sum(1 for w in words if any(zipf_frequency(w, lang) > 0 for lang in lists))
    return known / len(words) >= MIN_KNOWN_WORDS


_REGION_FORMS = {"zh-cn": "zh", "zh-tw": "zh", "zh-hk": "zh", "zh-hans": "zh", "zh-hant": "zh"}


def checked_language(code: str, *, what: str = "the article") -> str:
    """A language code given by the user, as the base ISO 639-1 code ("zh-TW" → "zh"), or E009.

    Checked against lingua's list before anything uses it: a code also names lexicon and model
    files, so "../../x", a 300-character string or a lone surrogate must never reach a path.
    """
    from lingua import IsoCode639_1

    folded = code.strip().lower() if isinstance(code, str) else ""
    folded = _REGION_FORMS.get(folded, folded)
    if not (len(folded) == 2 and folded.isascii() and folded.isalpha() and hasattr(IsoCode639_1, folded.upper())):
        shown = ascii(code[:20] if isinstance(code, str) else code)
        raise error("E009", what=f"language code for {what}", name=shown.strip("'"),
                    choices="a two-letter ISO 639-1 code such as en, zh, de, fr (zh-CN and zh-TW are read as zh)")
    return folded


def language_name(code: str) -> str:
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except (AttributeError, ValueError):
        return code
