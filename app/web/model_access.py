"""Which models a web caller may ask for: registry names, and the server's own folder, by name.

A remote caller never passes a path. Before this rule, ``model="/etc/passwd"`` answered "is a
file, not a directory" where a missing path answered "not found", so callers could map the
server's files, and ``/etc`` was actually tried as a model. Now every name that is not on the
list gets the same E009, whatever exists on disk. Paths are the operator's choice: the server's
own ``--model`` and ``serve --model-dir DIR``, whose sub-folders are offered by folder name.
"""

from __future__ import annotations

import re
from pathlib import Path

from models.registry import EMBEDDING_MODELS, TRANSLATION_MODELS

from ..errors import error

# Models that exist for plumbing tests only; comparing with them is meaningless.
HIDDEN_MODELS = frozenset({"hash"})
_FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_model_dir: Path | None = None


def set_model_dir(path: Path | None) -> None:
    """The server's folder of extra embedding models (``serve --model-dir``); None for none."""
    global _model_dir
    _model_dir = None if path is None else Path(path).resolve()


def model_dir_names() -> list[str]:
    """Sub-folders of ``--model-dir`` that hold a sentence-transformers model, by folder name."""
    if _model_dir is None or not _model_dir.is_dir():
        return []
    return sorted(p.name for p in _model_dir.iterdir()
                  if _FOLDER_NAME.match(p.name) and p.is_dir()
                  and ((p / "modules.json").exists() or (p / "config.json").exists()))


def embedding_names(server_model: str) -> list[str]:
    """Every name a caller may choose: registry embedders, ``--model-dir`` folders, the server's model."""
    names = [n for n in EMBEDDING_MODELS if n not in HIDDEN_MODELS] + model_dir_names()
    return list(dict.fromkeys([server_model, *names]))


def resolve_embedding(name: str, *, server_model: str) -> str:
    """What the registry loads for a caller's ``name``; E009 for anything not on the list."""
    if name == server_model or (name in EMBEDDING_MODELS and name not in HIDDEN_MODELS):
        return name
    if name in model_dir_names():
        return str(_model_dir / name)
    raise error("E009", what="embedding model", name=_shown(name), choices=", ".join(embedding_names(server_model)))


def check_translation(name: str) -> str:
    """A translation model name from the registry, else E009 (no paths from callers here either)."""
    if name in TRANSLATION_MODELS or name == "auto":
        return name
    raise error("E009", what="translation model", name=_shown(name), choices=", ".join(["auto", *TRANSLATION_MODELS]))


def _shown(name) -> str:
    text = str(name)
    return text if len(text) <= 60 else text[:57] + "..."
