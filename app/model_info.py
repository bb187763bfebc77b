"""`models list` and `models download`: every registry entry, whether it is present here, how to get it.

Downloading happens only here, only when a user runs ``models download NAME``,
and only into the local Hugging Face cache, from which the backends then load
with ``local_files_only=True``. Nothing is ever downloaded implicitly.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from models.loaded import MODELS
from models.registry import find_spec, get_embedder, get_token_encoder, get_translator, is_present, list_models

from . import HUB_OFFLINE_BY_FRAMEDIFF
from .errors import error


def model_rows(*, measure: bool = False) -> list[dict]:
    """One row per registry model. ``memory_mb``: what it holds in memory once loaded, when it is
    loaded in this process or ``measure`` loads it (one at a time: the model cache's bound holds)."""
    rows = []
    for s in list_models():
        present = is_present(s)
        rows.append({"name": s.name, "kind": s.kind, "present": "yes" if present else "no",
                     "languages": sorted(s.languages) if s.languages else "any",
                     "pairs": sorted(f"{a}>{b}" for a, b in s.pairs) if s.pairs else None,
                     "size": s.size, "licence": s.licence, "model_id": s.model_id, "revision": s.revision,
                     "how_to_get": s.how_to_get, "memory_mb": _memory_mb(s, measure=measure and present)})
    return rows


def cache_summary() -> str:
    """One line on the process's model cache: its bound and what it holds."""
    loaded = ", ".join(f"{name} ({entry.bytes / 1e6:.0f} MB)" for entry in MODELS.entries()
                       for _, name in [entry.key]) or "none"
    return (f"Model cache: at most {MODELS.capacity} models loaded at once (FRAMEDIFF_MAX_MODELS), least "
            f"recently used dropped first; loaded in this process: {loaded}.")


def _memory_mb(spec, *, measure: bool) -> float | None:
    entry = next((e for e in MODELS.entries() if e.key == (spec.kind, spec.name)), None)
    if entry is None and measure:
        try:
            loaders = {"embedding": get_embedder, "tokens": get_token_encoder, "translation": get_translator}
            model = loaders[spec.kind](spec.name)
            if spec.kind == "embedding":
                model.encode(["weights load on first use"])
        except Exception:  # a model that cannot load here has no memory to show
            return None
        entry = next((e for e in MODELS.entries() if e.key == (spec.kind, spec.name)), None)
    return None if entry is None else round(entry.bytes / 1e6, 1)


def present_models(kind: str) -> list:
    """The registry entries of one kind ("embedding", "translation") present on this machine, in registry order."""
    return [s for s in list_models() if s.kind == kind and is_present(s)]


def languages_text(row: dict) -> str:
    if row["pairs"]:
        return ", ".join(p.replace(">", "→") for p in row["pairs"])
    langs = row["languages"]
    return langs if isinstance(langs, str) else (", ".join(langs) if len(langs) <= 4 else f"{len(langs)} languages")


def download_model(name: str, *, endpoint: str | None = None) -> dict:
    """Fetch a registry model into the Hugging Face cache at its pinned revision.

    Returns ``{"name", "model_id", "revision", "path", "status"}``; raises E009
    for an unknown name and E035 when the model cannot be fetched (no network,
    or it ships inside a Python package instead).
    """
    spec = find_spec(name)
    if spec is None:
        choices = ", ".join(s.name for s in list_models())
        raise error("E009", what="model", name=name, choices=choices)
    if is_present(spec):
        return {"name": name, "model_id": spec.model_id, "revision": spec.revision, "path": None,
                "status": "already present"}
    if spec.package or not spec.model_id or spec.name in ("use-m3", "hash"):
        raise error("E035", name=name, detail=f"it is not fetched from a hub; {spec.how_to_get}")
    try:
        from huggingface_hub import snapshot_download
    except ImportError as exc:
        raise error("E008", feature="models download", package="huggingface_hub") from exc
    try:
        with hub_online():
            path = snapshot_download(spec.model_id, revision=spec.revision, endpoint=endpoint)
    except Exception as exc:  # no network, offline mode, unknown revision: all end the same way for the user
        raise error("E035", name=name, detail=f"could not reach the model hub for {spec.model_id}@{spec.revision} "
                    f"({type(exc).__name__}: {' '.join(str(exc).split())[:160]}); is there a network?") from exc
    return {"name": name, "model_id": spec.model_id, "revision": spec.revision, "path": path,
            "commit": Path(path).name, "status": "downloaded"}


@contextmanager
def hub_online():
    """The hub online for one download, when FrameDiff set it offline (app/__init__.py), not the user."""
    from huggingface_hub import constants

    before = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = before and not HUB_OFFLINE_BY_FRAMEDIFF
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = before
