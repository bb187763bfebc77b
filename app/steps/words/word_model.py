"""The fitted word model: the probability that a word has no counterpart on the other side.

A logistic regression per language of the word over its evidence (``scoring.ALL_FEATURES``)
and a few products of it, fitted on rated segments of Chinese news translated into English
(MQM-News train, WMT 2020 and 2021) by ``python -m bench.word_model``, cross-validated by
article. "zh" (a Chinese word with no counterpart in the English) learned from the raters'
Major omissions, "en" (an English word with no counterpart in the Chinese) from their Major
additions; faithful segments are the negatives. The model is keyed by the word's language,
not by its side: in a rewrite of an English wire, side a is English, and what the evidence
means (glosses, word frequencies, script) follows the language. Words of other languages are
scored by the "en" model (docs/method.md says how far that was measured).
Its scores are calibrated probabilities (docs/method.md, reliability table in
docs/benchmarks-news.md).

The model is a data file, ``corpora/models/word_scores.json``; its hash goes into every
result's signature (``wm:``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .scoring import ALL_FEATURES

MODEL_PATH = Path(__file__).resolve().parents[3] / "corpora" / "models" / "word_scores.json"
FORMAT = "framediff.word-model/1"


@dataclass(frozen=True)
class SideModel:
    terms: tuple[tuple[int, ...], ...]    # each term: the product of these columns of ALL_FEATURES
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    def logit(self, features: np.ndarray) -> np.ndarray:
        x = np.stack([np.prod(features[:, list(term)], axis=1) for term in self.terms], axis=1)
        return ((x - self.mean) / self.scale) @ self.coef + self.bias


@dataclass(frozen=True)
class WordModel:
    sides: dict[str, SideModel]
    sha256: str

    def probability(self, features: np.ndarray, language: str) -> np.ndarray:
        """P(no counterpart) for each row of ``features`` (``[n, len(ALL_FEATURES)]``), words in ``language``."""
        if not len(features):
            return np.zeros(0, dtype=np.float32)
        z = np.clip(self.sides[model_key(language)].logit(features.astype(np.float64)), -30, 30)
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def model_key(language: str) -> str:
    """"zh" for Chinese words, "en" for every other language's (the fit saw English only)."""
    return "zh" if language == "zh" else "en"


def read_model(path: Path = MODEL_PATH) -> WordModel:
    raw = path.read_bytes()
    spec = json.loads(raw)
    if spec.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file")
    sides = {}
    for side, fit in spec["sides"].items():
        terms = tuple(tuple(ALL_FEATURES.index(name) for name in term.split("*")) for term in fit["terms"])
        sides[side] = SideModel(terms, np.array(fit["mean"]), np.array(fit["scale"]), np.array(fit["coef"]),
                                float(fit["bias"]))
    return WordModel(sides, hashlib.sha256(raw).hexdigest())


@cache
def word_model() -> WordModel:
    """The shipped model, read once per process."""
    return read_model()


def word_model_signature(token_encoder) -> str:
    """``e5-small[...]@<model hash>`` when the fitted model scores words, else ``none``."""
    if token_encoder is None:
        return "none"
    return f"{token_encoder.signature()}@{word_model().sha256[:8]}"
