"""The translate step: sentence translations for the side(s) not in the reader's language.

Runs only when asked (``Settings.translate``, ``translate_then_compare``, or a
user translation of side b). Translations go into the Result next to each
sentence (``translation``, ``translation_model``); they never enter alignment,
except with ``translate_then_compare``, where side b's translation (into a's
language) is what gets embedded. Spans always point into the original articles.

A user translation of side b has one line per sentence of b, in order
(``python -m app sentences B`` prints b's sentences one per line to translate);
it is stored with ``translation_model="user"``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from models.base import ModelUnavailable
from models.cache import TranslationCache, default_cache_dir
from models.registry import TRANSLATION_MODELS, find_translator, get_translator
from models.translate import CachedTranslator, Translator

from ..text.article import Article
from ..errors import error

USER = "user"
UserTranslation = str | Path | list[str]


@dataclass(frozen=True, slots=True)
class SideTranslation:
    texts: tuple[str, ...]   # one per sentence of the side, in order
    model: str               # registry name, path, or "user"
    language: str            # ISO 639-1 code of the translation
    signature: str


def source_code(article: Article) -> str:
    """The article's language as translators take it: Chinese carries its script."""
    return f"zh-{article.script}" if article.language == "zh" and article.script else article.language


def wants_translation(settings, user_translation_b) -> bool:
    return settings.translate or settings.translate_then_compare or user_translation_b is not None


def embed_language(article_a: Article, article_b: Article, side: str, settings) -> str:
    """The language a side is embedded in: side b's translation is in a's language under translate-then-compare."""
    if side == "b" and settings.translate_then_compare:
        return article_a.language
    return (article_a if side == "a" else article_b).language


# -- user translations ---------------------------------------------------------
def read_user_translation(source: UserTranslation, *, n_sentences: int) -> list[str]:
    """One line per sentence of b; blank lines at the very start or end are ignored."""
    if isinstance(source, Path):
        if not source.exists():
            raise error("E006", what="translation of b", path=str(source))
        source = source.read_text(encoding="utf-8-sig")
    lines = source.splitlines() if isinstance(source, str) else [str(line) for line in source]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) != n_sentences:
        raise error("E032", lines=len(lines), sentences=n_sentences)
    return [line.strip() for line in lines]


def user_side(lines: list[str], language: str) -> SideTranslation:
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]
    return SideTranslation(tuple(lines), USER, language, f"user[sha256:{digest}]")


# -- machine translation ---------------------------------------------------------
def translation_cache(enabled: bool) -> TranslationCache | None:
    if not enabled or os.environ.get("FRAMEDIFF_NO_CACHE") == "1":
        return None
    return TranslationCache(default_cache_dir() / TranslationCache.filename)


def load_translator(name_or_path: str, src: str, tgt: str, *, cache: TranslationCache | None
                    ) -> tuple[str, CachedTranslator]:
    """``(name, translator)`` for ``src`` → ``tgt``; ``"auto"`` takes the first present registry model."""
    if name_or_path == "auto":
        name = find_translator(src, tgt)
        if name is None:
            known = [s.name for s in TRANSLATION_MODELS.values() if s.covers_pair(src, tgt)]
            raise error("E031", src=src, tgt=tgt, known=", ".join(known) or "none in the registry",
                        first=known[0] if known else "NAME")
        name_or_path = name
    try:
        translator = get_translator(name_or_path)
    except ModelUnavailable as exc:
        raise error("E030", name=name_or_path, detail=str(exc)) from exc
    return name_or_path, as_cached(translator, cache)


def as_cached(translator: Translator | CachedTranslator, cache: TranslationCache | None) -> CachedTranslator:
    return translator if isinstance(translator, CachedTranslator) else CachedTranslator(translator, cache)


def machine_side(article: Article, translator: CachedTranslator, name: str, tgt: str) -> SideTranslation:
    src = source_code(article)
    if not translator.supports(src, tgt):
        raise error("E033", name=name, src=src, tgt=tgt)
    texts = translator.translate(article.sentence_texts, src_lang=src, tgt_lang=tgt)
    return SideTranslation(tuple(texts), name, tgt, translator.signature())


@dataclass
class TranslationRequest:
    """What the caller asked for beyond Settings: a translator object and/or a user translation of b."""

    translator: Translator | CachedTranslator | str | None = None
    user_b: UserTranslation | None = None
    cache: bool = True


def translate_sides(article_a: Article, article_b: Article, settings, request: TranslationRequest
                    ) -> dict[str, SideTranslation]:
    """Translations by side ("a", "b"), only for the sides that need one."""
    if not wants_translation(settings, request.user_b):
        return {}
    target = settings.translate_to
    target_b = article_a.language if settings.translate_then_compare else target
    out: dict[str, SideTranslation] = {}
    if request.user_b is not None:
        if settings.translate_then_compare and target != article_a.language:
            raise error("E034", target=target, language=article_a.language)
        out["b"] = user_side(read_user_translation(request.user_b, n_sentences=len(article_b.sentences)),
                             target)
    needs = []
    if "b" not in out and article_b.language != target_b:
        needs.append(("b", article_b, target_b))
    if settings.translate and article_a.language != target:
        needs.append(("a", article_a, target))
    cache = translation_cache(request.cache)
    for side, article, tgt in needs:
        name, translator = _translator_for(request, settings, article.language, tgt, cache)
        out[side] = machine_side(article, translator, name, tgt)
    return out


def _translator_for(request: TranslationRequest, settings, src: str, tgt: str, cache):
    given = request.translator
    if given is not None and not isinstance(given, str):
        return getattr(given, "model_name_or_path", given.name), as_cached(given, cache)
    return load_translator(given or settings.translate_model, src, tgt, cache=cache)


def translator_signature(translations: dict[str, SideTranslation]) -> str:
    sigs = [f"{side}={t.signature}" for side, t in sorted(translations.items())]
    return "+".join(sigs) if sigs else "none"


def sentence_lines(path: Path, *, language: str | None = None) -> list[str]:
    """The article's sentences as ``compare`` segments them, one per line (to translate line by line)."""
    from ..text.reader import read_article
    from ..settings import Settings

    article = read_article(path, is_path=True, language=language, meta=None, max_chars=Settings().max_chars,
                           what="the article", side="b")
    return [" ".join(text.split()) for text in article.sentence_texts]
