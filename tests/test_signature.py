"""The signature names every library version that can change the numbers; the config hash leaves them out."""

from importlib import metadata

from app import __version__
from app.signature import build_signature


def test_signature_carries_library_versions_and_ends_with_framediffs():
    signature, config_hash = build_signature(embedder_signature="use-m3[x]", settings={"kept_threshold_cross": 0.3})
    parts = signature.split("|")
    assert parts[-1] == f"v:{__version__}"
    libraries = dict(item.split(":", 1) for item in parts)["lib"]
    for key, package in (("torch", "torch"), ("st", "sentence-transformers"), ("np", "numpy")):
        assert f"{key}{metadata.version(package)}" in libraries.split(",")
    assert f"cfg:{config_hash}" in parts


def test_config_hash_ignores_versions(monkeypatch):
    import app.signature as signature_module

    before = build_signature(embedder_signature="e", settings={})
    monkeypatch.setattr(signature_module, "_version", lambda package: "9.9")
    after = build_signature(embedder_signature="e", settings={})
    assert before[1] == after[1] and before[0] != after[0]
