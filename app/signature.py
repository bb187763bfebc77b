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


def versions() -> dict[str, str]:
    return {"framediff": __version__, "numpy": _version("numpy"),
            "sentence-transformers": _version("sentence-transformers"), "torch": _version("torch")}


def build_signature(*, embedder_signature: str, settings: dict, translator_signature: str = "none",
                    lexicon_hash: str = "none", seed: int = 12345) -> tuple[str, str]:
    """Return ``(signature, config_hash)``; the hash leaves versions out."""
    config = {"emb": embedder_signature, "tr": translator_signature, "lex": lexicon_hash,
              "rs": seed, "settings": settings}
    config_hash = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    parts = [f"emb:{embedder_signature}", f"tr:{translator_signature}",
             f"thr:{settings.get('kept_threshold_cross')}/{settings.get('kept_threshold_mono')}",
             f"lex:{lexicon_hash[:8]}", f"rs:{seed}", f"cfg:{config_hash}", f"v:{__version__}"]
    return "|".join(parts), config_hash
