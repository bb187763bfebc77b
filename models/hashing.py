"""A deterministic, dependency-free embedder for fast plumbing tests.

Character n-gram hashing: similar strings get similar vectors, nothing more.
Never use it for real comparisons; behaviour tests run USE-m3.
"""

from __future__ import annotations

import hashlib

import numpy as np

from .base import Embedder


class HashEmbedder(Embedder):
    name = "hash"
    config_keys = ("dim", "n")
    languages = None

    def __init__(self, *, dim: int = 256, n: int = 3):
        self.dim = dim
        self.n = n

    def _encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f" {text.lower()} "
            for i in range(max(1, len(padded) - self.n + 1)):
                gram = padded[i:i + self.n].encode()
                h = int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return out
