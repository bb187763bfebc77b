"""The embedding backend contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class PieceSentence:
    """One text's subword pieces: ids, ``[start, end)`` character offsets (-1 for pure-space pieces), vectors."""

    ids: tuple[int, ...]
    starts: np.ndarray      # int32 [n_pieces]
    ends: np.ndarray        # int32 [n_pieces]
    vectors: np.ndarray     # float32 [n_pieces, dim], unit norm
    sentence: np.ndarray    # float32 [dim], unit norm (equals the embedder's vector)
    rows: np.ndarray        # float32 [n_pieces, width]: piece rows, before the sentence head
    total: np.ndarray       # float32 [width]: sum of all rows, BOS and EOS included


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

    # -- optional capability: word-level vectors (app/steps/words) -----------------------------------
    # An embedder whose sentence vector is a dense head over a sum of per-piece rows can expose those
    # rows; the word level builds word vectors from them and re-derives "the sentence without this
    # word" through the head. Embedders that cannot leave ``supports_word_vectors`` False, and the
    # pipeline then skips the word level.
    supports_word_vectors: ClassVar[bool] = False

    def piece_vectors(self, texts: list[str]) -> list[PieceSentence]:
        """Per-piece rows (before the sentence head) and the sentence vector of each text, one forward pass."""
        raise NotImplementedError(f"{self.name} has no word-level vectors (supports_word_vectors is False)")

    def head_vectors(self, rows: np.ndarray) -> np.ndarray:
        """Unit sentence vectors of pre-head rows (each a sum over ``n`` pieces divided by sqrt(n))."""
        raise NotImplementedError(f"{self.name} has no word-level vectors (supports_word_vectors is False)")


@dataclass(frozen=True, slots=True)
class TokenVectors:
    """One text's pieces: ``[start, end)`` character ranges and contextual unit vectors."""

    starts: np.ndarray      # int32 [n]
    ends: np.ndarray        # int32 [n]
    vectors: np.ndarray     # float32 [n, dim], unit norm


class TokenEncoder(ConfiguredModel, ABC):
    """The word level's second capability: contextual vectors of every subword piece, with character ranges.

    A transformer's hidden states after a middle layer say which word of one sentence has a
    counterpart in another far better than USE-m3's n-gram piece rows (issue 25, docs/method.md):
    ``app/steps/words`` reads them as the ``ctx_*`` evidence. Independent of the sentence embedder:
    USE-m3 stays the aligner and its rows stay the other evidence.
    """

    name: ClassVar[str] = "tokens"

    @abstractmethod
    def encode_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """Piece ranges and vectors of each text, in input order (pieces that cover no character left out)."""

