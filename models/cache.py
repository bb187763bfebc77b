"""A persistent embedding cache: no sentence is embedded twice, across runs and processes.

SQLite keyed by SHA-1 of (model id, text), vectors stored as float32 bytes.
WAL mode and a busy timeout let several batch workers share one file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

from .base import Embedder


def default_cache_dir() -> Path:
    root = os.environ.get("FRAMEDIFF_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "framediff")
    return Path(root)


class EmbeddingCache:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_cache_dir() / "embeddings.sqlite"
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

    def get_many(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self._db.execute(f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put_many(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                                 [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items])

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM vec").fetchone()[0]


class CachedEmbedder:
    """Wraps an Embedder; looks every text up in the cache and embeds only the misses."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None):
        self.embedder = embedder
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def __getattr__(self, name):
        return getattr(self.embedder, name)

    def encode(self, texts: list[str], *, batch_size: int = 32) -> np.ndarray:
        """Unit-normalised float32 vectors, in input order; duplicates embedded once."""
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
