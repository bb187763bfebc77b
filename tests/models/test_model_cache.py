"""The process's one model cache (models/loaded.py): bounded, least recently used out, memory shown."""

import json

import numpy as np
from typer.testing import CliRunner

from app.cli import app
from models.loaded import MODELS, ModelCache, resident_bytes


class Weights:
    def __init__(self, mb: int):
        self.table = np.zeros(mb * 250_000, dtype=np.float32)     # mb megabytes


def test_the_least_recently_used_model_is_dropped_at_the_bound():
    cache = ModelCache(capacity=2)
    loads = []

    def loader(name):
        return lambda: loads.append(name) or Weights(1)

    first = cache.get("embedding", "a", loader("a"))
    cache.get("embedding", "b", loader("b"))
    assert cache.get("embedding", "a", loader("a")) is first        # a hit: a becomes the most recent
    cache.get("translation", "c", loader("c"))                       # b is dropped, not a
    assert [entry.key for entry in cache.entries()] == [("embedding", "a"), ("translation", "c")]
    assert loads == ["a", "b", "c"] and cache.holds(first)
    cache.get("embedding", "b", loader("b"))
    assert loads == ["a", "b", "c", "b"] and not cache.holds(first)


def test_what_is_derived_from_a_model_is_kept_with_it_and_dropped_with_it():
    cache = ModelCache(capacity=1)
    computed = []

    def compute(value):
        return lambda: computed.append(value) or value

    model = cache.get("embedding", "a", lambda: Weights(1))
    assert cache.derived(model, "frames", compute(1)) == 1
    assert cache.derived(model, "frames", compute(2)) == 1 and computed == [1]       # kept
    cache.get("embedding", "b", lambda: Weights(1))                                   # a is dropped
    assert cache.derived(model, "frames", compute(3)) == 3
    assert cache.derived(model, "frames", compute(4)) == 4 and computed == [1, 3, 4]  # not kept for a


def test_vectors_of_fixed_texts_are_per_model_not_per_backend_name(monkeypatch):
    """Two sentence-transformers models are both named "sbert": each gets its own frame vectors."""
    from models.cache import CachedEmbedder
    from models.hashing import HashEmbedder

    small, large = HashEmbedder(dim=8), HashEmbedder(dim=16)
    cache = ModelCache()
    for name, model in (("small", small), ("large", large)):
        cache.get("embedding", name, lambda model=model: model)
    monkeypatch.setattr("models.cache.MODELS", cache)
    shapes = [CachedEmbedder(m, None).fixed_vectors("frame descriptions", ["a", "b", "c"]).shape
              for m in (small, large)]
    assert shapes == [(3, 8), (3, 16)]


def test_memory_counts_arrays_once():
    model = Weights(2)
    model.alias = model.table
    assert resident_bytes(model) == 2_000_000


def test_models_list_shows_memory_and_the_bound(use_m3):
    use_m3.encode(["weights load on first use"])
    res = CliRunner().invoke(app, ["models", "list"])
    assert res.exit_code == 0, res.output
    assert "memory" in res.output.splitlines()[0]
    assert f"at most {MODELS.capacity} models" in res.output
    rows = {row["name"]: row for row in json.loads(CliRunner().invoke(app, ["models", "list", "--json"]).stdout)}
    assert rows["use-m3"]["memory_mb"] > 10 and rows["labse"]["memory_mb"] is None
