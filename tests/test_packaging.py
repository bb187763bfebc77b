"""pyproject.toml: `pip install .` installs the product (app, models, the corpora they read), not bench or tests.

The install itself is checked by hand in a throwaway venv (docs/development.md); this test keeps the
package-data globs in step with the data files the code reads.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_console_command_is_the_cli():
    assert PYPROJECT["project"]["scripts"] == {"framediff": "app.cli:main"}


def test_packages_are_the_product_only():
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {"app", "models", "corpora"} <= set(include)
    assert not any(name.split(".")[0] in ("bench", "tests") for name in include)


def test_every_data_file_is_package_data():
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    missing = []
    for package in ("app", "models", "corpora"):
        for path in (ROOT / package).rglob("*"):
            relative = path.relative_to(ROOT / package).as_posix()
            if (path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts
                    or relative.startswith("local/")):      # models/local: the user's own models, ignored by git
                continue
            if not any(fnmatch.fnmatch(relative, pattern) for pattern in package_data.get(package, [])):
                missing.append(f"{package}/{relative}")
    assert not missing, f"not installed by `pip install .`: {missing}"
