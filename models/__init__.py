"""How text becomes vectors (and, later, translations).

This package never imports ``app``. Backends are found by name through
:mod:`models.registry`, which imports each one only when first used.
"""

from .base import Embedder
from .registry import get_embedder, list_models

__all__ = ["Embedder", "get_embedder", "list_models"]
