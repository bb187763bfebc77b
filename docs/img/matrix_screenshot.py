"""Regenerate docs/img/compare-many-matrix.png: ``python docs/img/matrix_screenshot.py``.

Runs ``compare_many`` on the project's own test story (tests/data/many), writes matrix.html to a temporary
folder, and photographs it in Debian's Chromium (/usr/bin/chromium) with the mouse on one cell, so the
outlet's wording shows. Nothing is fetched from the internet.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.export.matrix import matrix_html  # noqa: E402
from app.many import compare_many  # noqa: E402
from screenshots import CHROMIUM, save  # noqa: E402

STORY = ROOT / "tests" / "data" / "many"


def main() -> None:
    many = compare_many(STORY / "source.en.txt", [STORY / name for name in
                                                  ("ledger.en.txt", "herald.zh-Hans.txt", "times.zh-Hant.txt",
                                                   "post.en.txt")], cache=None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matrix.html"
        path.write_text(matrix_html(many), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(path.as_uri())
            page.hover('tr[data-row="3"] td[data-outlet="herald"]')
            box = page.locator("#matrix").bounding_box()
            png = page.screenshot(clip={"x": 0, "y": 0, "width": 1280, "height": box["y"] + box["height"] + 16})
            browser.close()
    save(png, "compare-many-matrix.png", width=1100)


if __name__ == "__main__":
    main()
