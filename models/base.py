"""The embedding backend contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from .budget import check_time_budget


class ModelUnavailable(RuntimeError):
    """A model (or the package it needs) is not present on this machine."""


class ConfiguredModel:
    """Identity shared by every backend: the constructor arguments in ``config_keys`` define it.

    ``model_id`` keys the caches and ``signature()`` goes into every result, so both come from the
    configuration the object was built with and cannot drift from what ran (after sacrebleu).
    """

    name: ClassVar[str] = "model"
    config_keys: ClassVar[tuple[str, ...]] = ()

    def get_config(self) -> dict:
        return {key: getattr(self, key) for key in self.config_keys}

    @property
    def model_id(self) -> str:
        """Stable identity of the weights, used as the cache key prefix."""
        config = self.get_config()
        return f"{self.name}[" + ",".join(f"{k}={config[k]}" for k in sorted(config)) + "]"

    def signature(self) -> str:
        return self.model_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.get_config()})"


class Embedder(ConfiguredModel, ABC):
    """Sentence embedder: ``encode(texts) -> float32 [n, dim]`` in input order.

    Subclasses set ``name`` (registry name), ``config_keys`` (the constructor
    arguments that define the model; they go into the signature) and
    ``languages`` (ISO 639-1 codes the model covers, or None for "any").
    """

    name: ClassVar[str] = "embedder"
    config_keys: ClassVar[tuple[str, ...]] = ()
    languages: frozenset[str] | None = None
    dim: int = 0

    @abstractmethod
    def _encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        """Raw vectors for ``texts``; no normalisation needed."""

    def encode(self, texts: list[str], *, batch_size: int = 32, normalize: bool = True) -> np.ndarray:
        check_time_budget()     # a web request's budget (models/budget.py); no-op elsewhere
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._encode(list(texts), batch_size=batch_size), dtype=np.float32)
        if normalize:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.clip(norms, 1e-12, None)
        return vectors

    def covers(self, language: str) -> bool:
        return self.languages is None or language in self.languages

