"""How text becomes vectors and translations.

This package never imports ``app``. Backends are found by name through
:mod:`models.registry`, which imports each one only when first used.
"""

from .base import Embedder
from .registry import find_translator, get_embedder, get_translator, list_models
from .translate import Translator

__all__ = ["Embedder", "Translator", "find_translator", "get_embedder", "get_translator", "list_models"]
