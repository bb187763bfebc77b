"""The one cache of loaded models in a process: least recently used first out, a fixed bound.

Every "load once" path (the registry's embedders and translators, and through them the web
server, batch workers and the pipeline) goes through :data:`MODELS`, and so do the vectors the
product embeds once per model (frame descriptions, lexicon seeds: :meth:`ModelCache.derived`). A server whose users pick
several models would otherwise keep each one for the process's life (a 2 GB model per choice);
here at most ``FRAMEDIFF_MAX_MODELS`` (default 2: an embedder and a translator) stay loaded.
A model dropped while a request still uses it is freed when that request ends.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import numpy as np

DEFAULT_CAPACITY = 2
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LoadedModel:
    key: tuple[str, str]        # (kind, name or path)
    model: object
    derived: dict = field(default_factory=dict)     # what the product computed from it (see derived())

    @property
    def bytes(self) -> int:
        """Arrays and tensors it holds now (measured when asked: some backends load weights on first use)."""
        return resident_bytes(self.model)


class ModelCache:
    """Thread-safe LRU of loaded models; ``get`` loads on a miss (one load at a time)."""

    def __init__(self, capacity: int | None = None):
        self.capacity = capacity or _capacity_from_env()
        self._items: OrderedDict[tuple[str, str], LoadedModel] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, kind: str, name: str, load: Callable[[], object]):
        key = (kind, name)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key].model
            model = load()
            self._items[key] = LoadedModel(key, model)
            dropped = False
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
                dropped = True
            if dropped:
                gc.collect()            # large torch models hold reference cycles
            return model

    def derived(self, model: object, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` kept with ``model`` while this cache holds it, e.g. the vectors of the frame
        descriptions: dropped with the model, so they never outlive it or answer for another model.
        For a model the cache does not hold (built by hand), computed on every call."""
        with self._lock:
            entry = next((item for item in self._items.values() if item.model is model), None)
            if entry is None:
                return compute()
            if key not in entry.derived:
                entry.derived[key] = compute()
            return entry.derived[key]

    def holds(self, model: object) -> bool:
        with self._lock:
            return any(item.model is model for item in self._items.values())

    def entries(self) -> list[LoadedModel]:
        """Loaded models, least recently used first."""
        with self._lock:
            return list(self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _capacity_from_env() -> int:
    value = os.environ.get("FRAMEDIFF_MAX_MODELS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_CAPACITY


def resident_bytes(obj: object, *, depth: int = 5) -> int:
    """Bytes of the numpy arrays and torch tensors reachable from ``obj`` (each counted once)."""
    seen: set[int] = set()
    return _walk(obj, depth, seen)


def _walk(obj: object, depth: int, seen: set[int]) -> int:
    if id(obj) in seen or depth < 0 or isinstance(obj, (str, bytes, int, float, bool, type(None))):
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if hasattr(obj, "parameters") and hasattr(obj, "buffers") and callable(obj.parameters):
        return _torch_bytes(obj, seen)
    if isinstance(obj, dict):
        children = obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        children = obj
    else:
        children = list(getattr(obj, "__dict__", {}).values()) + [
            getattr(obj, slot, None) for slot in getattr(type(obj), "__slots__", ()) if isinstance(slot, str)]
    return sum(_walk(child, depth - 1, seen) for child in children)


def _torch_bytes(module, seen: set[int]) -> int:
    total = 0
    for tensor in (*module.parameters(), *module.buffers()):
        if id(tensor) not in seen:
            seen.add(id(tensor))
            total += tensor.numel() * tensor.element_size()
    return total


MODELS = ModelCache()
