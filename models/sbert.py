"""Any sentence-transformers model, by registry name, hub id (from the local cache) or path.

Nothing is downloaded: the hub is consulted only through the local cache
(``HF_HUB_OFFLINE=1`` is forced while loading). e5-style models want
"query: " / "passage: " prefixes; for symmetric sentence matching both sides
get the same prefix, given by ``prefix`` (set in the registry for e5 models).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .base import Embedder, ModelUnavailable


def _offline():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class SentenceTransformerEmbedder(Embedder):
    name = "sbert"
    config_keys = ("model_name_or_path", "revision", "prefix")

    def __init__(self, model_name_or_path: str, *, revision: str | None = None, prefix: str = "",
                 languages: frozenset[str] | None = None, device: str | None = None):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable("run `pip install sentence-transformers`") from exc
        _offline()
        self.model_name_or_path = str(model_name_or_path)
        self.revision = revision
        self.prefix = prefix or _default_prefix(self.model_name_or_path)
        self.languages = languages
        try:
            self._model = SentenceTransformer(self.model_name_or_path, revision=revision,
                                              device=device or "cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types for "not there"
            where = "path" if Path(self.model_name_or_path).exists() else "Hugging Face cache"
            raise ModelUnavailable(f"could not load '{self.model_name_or_path}' from the {where} "
                                   f"({type(exc).__name__}: {str(exc)[:200]})") from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 0)

    def _encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        if self.prefix:
            texts = [self.prefix + t for t in texts]
        return self._model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                  show_progress_bar=False, normalize_embeddings=False)


def _default_prefix(name: str) -> str:
    return "query: " if "e5" in Path(name).name.lower() else ""
