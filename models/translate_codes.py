"""Language codes: FrameDiff's ISO 639-1 (+ script for Chinese) to each model family's convention.

- NLLB-200 wants FLORES-200 codes: ``zho_Hans``, ``eng_Latn``.
- M2M100 wants ISO 639-1: ``zh``, ``en`` (no script distinction).
- Marian opus-mt models are per pair; multi-target ones expect a target token
  such as ``>>cmn_Hans<<`` at the start of the source, in ISO 639-3 (+ script).
"""

from __future__ import annotations

# ISO 639-1 -> FLORES-200 (NLLB). Chinese is resolved by script below.
NLLB_CODES = {
    "af": "afr_Latn", "ar": "arb_Arab", "bg": "bul_Cyrl", "bn": "ben_Beng", "ca": "cat_Latn",
    "cs": "ces_Latn", "da": "dan_Latn", "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn",
    "es": "spa_Latn", "et": "est_Latn", "fa": "pes_Arab", "fi": "fin_Latn", "fr": "fra_Latn",
    "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "hu": "hun_Latn", "id": "ind_Latn",
    "it": "ita_Latn", "ja": "jpn_Jpan", "ko": "kor_Hang", "lt": "lit_Latn", "lv": "lvs_Latn",
    "nl": "nld_Latn", "no": "nob_Latn", "pl": "pol_Latn", "pt": "por_Latn", "ro": "ron_Latn",
    "ru": "rus_Cyrl", "sk": "slk_Latn", "sl": "slv_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn",
    "sw": "swh_Latn", "ta": "tam_Taml", "th": "tha_Thai", "tl": "tgl_Latn", "tr": "tur_Latn",
    "uk": "ukr_Cyrl", "ur": "urd_Arab", "vi": "vie_Latn",
}

# ISO 639-1 -> ISO 639-3 as used in opus-mt target tokens (Chinese is Mandarin, "cmn").
ISO3 = {"en": "eng", "zh": "cmn", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por",
        "ru": "rus", "ja": "jpn", "ko": "kor", "ar": "ara", "nl": "nld", "pl": "pol", "tr": "tur"}


def split_code(code: str) -> tuple[str, str | None]:
    """``"zh-Hant"`` -> ``("zh", "Hant")``; ``"en"`` -> ``("en", None)``. Accepts ``_`` too."""
    base, _, script = code.replace("_", "-").partition("-")
    return base.lower(), (script.title() or None)


def nllb_code(code: str) -> str:
    base, script = split_code(code)
    if base == "zh":
        return "zho_Hant" if script == "Hant" else "zho_Hans"
    if base not in NLLB_CODES:
        raise KeyError(f"no NLLB-200 code known for '{code}'")
    return NLLB_CODES[base]


def m2m_code(code: str) -> str:
    return split_code(code)[0]


def marian_target_tokens(code: str) -> list[str]:
    """Candidate target-language tokens for multi-target Marian models, most specific first."""
    base, script = split_code(code)
    iso3 = ISO3.get(base, base)
    script = script or ("Hans" if base == "zh" else None)
    tokens = [f">>{iso3}_{script}<<"] if script else []
    return tokens + [f">>{iso3}<<", f">>{base}<<"]
