"""The translation backend contract, and its persistent cache.

``Translator.translate(texts, *, src_lang, tgt_lang) -> list[str]`` in input
order. Languages are ISO 639-1 codes, optionally with a script for Chinese
(``"zh"``, ``"zh-Hans"``, ``"zh-Hant"``); each backend maps them to its model's
own convention (see :mod:`models.translate_codes`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from .base import ConfiguredModel
from .cache import TranslationCache


class Translator(ConfiguredModel, ABC):
    """Sentence translator. Subclasses set ``name``, ``config_keys`` and implement ``_translate``."""

    name: ClassVar[str] = "translator"
    config_keys: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def _translate(self, texts: list[str], *, src_lang: str, tgt_lang: str) -> list[str]:
        """Translations of ``texts`` (non-empty, no duplicates needed), in input order."""

    def translate(self, texts: list[str], *, src_lang: str, tgt_lang: str) -> list[str]:
        texts = list(texts)
        if not texts:
            return []
        out = self._translate(texts, src_lang=src_lang, tgt_lang=tgt_lang)
        if len(out) != len(texts):
            raise RuntimeError(f"{self.name} returned {len(out)} translations for {len(texts)} texts")
        return [str(t) for t in out]

    def supports(self, src_lang: str, tgt_lang: str) -> bool:
        """Whether this model can translate ``src_lang`` → ``tgt_lang`` (codes as for ``translate``)."""
        return True


class CachedTranslator:
    """Wraps a Translator; looks every (model, pair, text) up in the cache and translates only misses."""

    def __init__(self, translator: Translator, cache: TranslationCache | None):
        self.translator = translator
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def __getattr__(self, name):
        return getattr(self.translator, name)

    def translate(self, texts: list[str], *, src_lang: str, tgt_lang: str) -> list[str]:
        prefix = f"{self.translator.model_id}|{src_lang}>{tgt_lang}"
        unique = list(dict.fromkeys(texts))
        done: dict[str, str] = {}
        if self.cache is not None and unique:
            keys = {t: TranslationCache.key(prefix, t) for t in unique}
            stored = self.cache.get_many(list(keys.values()))
            done = {t: stored[k] for t, k in keys.items() if k in stored}
        missing = [t for t in unique if t not in done]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.translator.translate(missing, src_lang=src_lang, tgt_lang=tgt_lang)
            done.update(zip(missing, fresh))
            if self.cache is not None:
                self.cache.put_many([(TranslationCache.key(prefix, t), v) for t, v in zip(missing, fresh)])
        return [done[t] for t in texts]
