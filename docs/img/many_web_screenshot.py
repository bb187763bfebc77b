"""Regenerate docs/img/web-many.png: ``python docs/img/many_web_screenshot.py``.

Runs ``python -m app serve`` on a free local port (bench.web.local_server), opens the "Many outlets" tab in
Debian's Chromium (/usr/bin/chromium), compares the project's own test story (tests/data/many: one source,
four rewrites) and photographs the result: downloads, the story digest and the coverage matrix. Nothing is
fetched from the internet.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.web import local_server  # noqa: E402
from screenshots import CHROMIUM, save  # noqa: E402

STORY = ROOT / "tests" / "data" / "many"
REWRITES = {"ledger": "ledger.en.txt", "herald": "herald.zh-Hans.txt", "times": "times.zh-Hant.txt",
            "post": "post.en.txt"}


def fill(page) -> None:
    page.fill("#fd-many-text-source textarea", (STORY / "source.en.txt").read_text(encoding="utf-8"))
    page.fill("#fd-many-name-source input", "wire")
    page.locator("#fd-many-more > button").first.click()
    for k, (name, file) in enumerate(REWRITES.items(), start=1):
        page.fill(f"#fd-many-text-{k} textarea", (STORY / file).read_text(encoding="utf-8"))
        page.fill(f"#fd-many-name-{k} input", name)


def main() -> None:
    with local_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url)
        page.get_by_role("tab", name="Many outlets").click()
        fill(page)
        page.click("#fd-many-compare")
        page.frame_locator("#fd-many-matrix iframe").locator("#matrix").wait_for(timeout=180_000)
        page.locator("#fd-many-more > button").first.click()          # fold the extra boxes away again
        page.set_viewport_size({"width": 1280, "height": 2600})      # the whole result at once: no scrolling
        page.evaluate("window.scrollTo(0, 0)")
        page.frame_locator("#fd-many-matrix iframe").locator('tr[data-row="3"] td[data-outlet="herald"]').hover()
        top = page.locator("#fd-many-status").bounding_box()["y"] - 8
        save(page.screenshot(clip={"x": 0, "y": top, "width": 1280, "height": 1250}), "web-many.png")
        browser.close()


if __name__ == "__main__":
    main()
