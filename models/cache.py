"""Persistent caches: no sentence is embedded (or translated) twice, across runs and processes.

One SQLite key-value store per kind of output, keyed by SHA-1 of (model id, text):
embeddings are stored as float32 bytes, translations as UTF-8 text. WAL mode
and a busy timeout let several batch workers share one file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

from .base import Embedder
from .budget import check_time_budget
from .loaded import MODELS


def default_cache_dir() -> Path:
    root = os.environ.get("FRAMEDIFF_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "framediff")
    return Path(root)


class SQLiteCache:
    """A thread-safe key -> value store; subclasses say how values become bytes and back."""

    filename = "cache.sqlite"

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_cache_dir() / self.filename
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, v BLOB NOT NULL)")
            self._local.db = db
        return db

    @staticmethod
    def key(model_id: str, text: str) -> bytes:
        return hashlib.sha1(f"{model_id}\x00{text}".encode()).digest()

    def _to_bytes(self, value) -> bytes:
        return value

    def _from_bytes(self, blob: bytes):
        return blob

    def get_many(self, keys: list[bytes]) -> dict:
        found: dict = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self._db.execute(f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
            found.update((k, self._from_bytes(v)) for k, v in rows)
        return found

    def put_many(self, items: list[tuple[bytes, object]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                                 [(k, self._to_bytes(v)) for k, v in items])

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM vec").fetchone()[0]


class EmbeddingCache(SQLiteCache):
    """Vectors as float32 bytes, in ``embeddings.sqlite``."""

    filename = "embeddings.sqlite"

    def _to_bytes(self, value) -> bytes:
        return np.asarray(value, dtype=np.float32).tobytes()

    def _from_bytes(self, blob: bytes) -> np.ndarray:
        return np.frombuffer(blob, dtype=np.float32)


class TranslationCache(SQLiteCache):
    """Translations as UTF-8 text, in ``translations.sqlite``; the key's model id includes the language pair."""

    filename = "translations.sqlite"

    def _to_bytes(self, value: str) -> bytes:
        return value.encode("utf-8")

    def _from_bytes(self, blob: bytes) -> str:
        return bytes(blob).decode("utf-8")


class CachedEmbedder:
    """Wraps an Embedder; looks every text up in the cache and embeds only the misses."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None):
        self.embedder = embedder
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def __getattr__(self, name):
        # name, dim, model_id, languages and the optional word-vector capability (models/base.py):
        # the wrapped embedder's own; only sentence vectors go through the cache.
        return getattr(self.embedder, name)

    def fixed_vectors(self, name: str, texts: list[str]) -> np.ndarray:
        """Vectors of texts the product fixes (``name``: frame descriptions, lexicon seeds), embedded
        once per loaded model and kept with it in the process's model cache (models/loaded.py)."""
        return MODELS.derived(self.embedder, name, lambda: self.encode(texts))

    def store(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep vectors this model produced by another route (USE-m3's word pass) as if encoded here.

        Only texts the cache lacks are written: the word pass runs on every compare, and a
        warm cache would otherwise be rewritten each time.
        """
        if self.cache is None or not len(texts):
            return
        keys = [EmbeddingCache.key(self.embedder.model_id, t) for t in texts]
        present = self.cache.get_many(keys)
        self.cache.put_many([(k, v) for k, v in zip(keys, vectors) if k not in present])

    def encode(self, texts: list[str], *, batch_size: int = 32) -> np.ndarray:
        """Unit-normalised float32 vectors, in input order; duplicates embedded once."""
        check_time_budget()     # also when every text is cached: a web request's budget (models/budget.py)
        unique = list(dict.fromkeys(texts))
        vectors: dict[str, np.ndarray] = {}
        if self.cache is not None and unique:
            keys = {t: EmbeddingCache.key(self.embedder.model_id, t) for t in unique}
            stored = self.cache.get_many(list(keys.values()))
            vectors = {t: stored[k] for t, k in keys.items() if k in stored}
        missing = [t for t in unique if t not in vectors]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.embedder.encode(missing, batch_size=batch_size, normalize=True)
            vectors.update(zip(missing, fresh))
            if self.cache is not None:
                self.cache.put_many([(EmbeddingCache.key(self.embedder.model_id, t), v)
                                     for t, v in zip(missing, fresh)])
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([vectors[t] for t in texts]).astype(np.float32, copy=False)
