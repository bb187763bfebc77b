"""Shared fixtures. Real-model tests share one session-scoped USE-m3 with a temporary cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The suite loads many models (USE-m3 shared by the session, MiniLM, tiny ones built in tests); the
# default bound of 2 would drop the shared USE-m3 and load it again and again. The bound itself is
# tested on its own cache (tests/models/test_model_cache.py).
os.environ.setdefault("FRAMEDIFF_MAX_MODELS", "16")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
# Debian's Chromium, driven by Playwright (never a downloaded browser; .ci/run installs it).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Never touch the user's cache from tests."""
    os.environ["FRAMEDIFF_CACHE_DIR"] = str(tmp_path_factory.mktemp("fd-cache"))
    yield


@pytest.fixture(scope="session")
def use_m3():
    from models.registry import get_embedder

    return get_embedder("use-m3")


@pytest.fixture(scope="session")
def norvale_result(use_m3):
    """The sample pair with every detected span counted (min_confidence 0): the views and exports are
    tested on every kind of span; the confidence gate has tests of its own (tests/steps/test_confidence.py)."""
    from app import compare
    from app.settings import Settings

    return compare(SAMPLES / "norvale" / "a.en.txt", SAMPLES / "norvale" / "b.zh.txt", embedder=use_m3, cache=None,
                   settings=Settings(min_confidence=0.0))


@pytest.fixture(scope="session")
def benchmarks() -> Path:
    if not (BENCHMARKS / "README.md").exists():
        pytest.skip("../shared/benchmarks is not present")
    return BENCHMARKS


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests; they are skipped where it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
