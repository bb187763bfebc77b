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


# Imported by the product, but nothing they do reaches a result's numbers.
NO_NUMBERS = {"typer", "click", "pydantic", "rich", "tqdm", "gradio", "gradio_client", "huggingface_hub",
              "dask", "distributed", "pandas", "pyarrow", "psutil", "lxml_html_clean", "fpdf2", "playwright"}


def test_every_library_the_product_imports_is_signed_or_changes_no_numbers():
    import ast
    import sys
    from pathlib import Path

    from app.signature import LIBRARIES

    root = Path(__file__).resolve().parents[1]
    modules = set()
    for path in [*root.glob("app/**/*.py"), *root.glob("models/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = metadata.packages_distributions()
    third_party = {dist for module in modules - set(sys.stdlib_module_names) - {"app", "models"}
                   for dist in owners.get(module, [module])}
    signed = set(LIBRARIES.values())
    assert not {d for d in third_party if d not in signed and d not in NO_NUMBERS}, "sign them in app/signature.py"
