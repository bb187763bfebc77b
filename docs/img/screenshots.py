"""Regenerate the screenshots in docs/img: ``python docs/img/screenshots.py``.

Runs ``python -m app serve`` on a free local port (bench.web.local_server), drives Debian's
Chromium (/usr/bin/chromium, never a downloaded browser) through the bundled example pair, and
writes small palette PNGs of the parts the docs show. Nothing is fetched from the internet.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from app.export import render  # noqa: E402
from app.result import Result  # noqa: E402
from app.web.render import without_web_source  # noqa: E402
from bench.web import local_server  # noqa: E402

OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
WIDTH = 1280


def save(png: bytes, name: str, *, width: int = 1000) -> None:
    """Scale to ``width`` pixels and store as a 256-colour PNG (a few tens of kB)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(OUT / name, optimize=True)
    print(f"wrote docs/img/{name} ({(OUT / name).stat().st_size // 1024} kB)")


def clip(page, selector: str, *, pad: int = 8, height: int | None = None) -> dict:
    """The element's box (with ``pad`` around it) in the viewport, scrolled into view first."""
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.locator(selector).first.bounding_box()
    return {"x": max(0, box["x"] - pad), "y": max(0, box["y"] - pad), "width": box["width"] + 2 * pad,
            "height": (height or box["height"]) + 2 * pad}


def _box(page, selector: str, height: int) -> dict:
    """A clip from the element's top-left, the element's width and ``height`` pixels (room for a tooltip)."""
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.locator(selector).first.bounding_box()
    return {"x": max(0, box["x"] - 8), "y": max(0, box["y"] - 8), "width": box["width"] + 16, "height": height}


def main() -> None:
    with local_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
        page.goto(url)
        page.wait_for_selector("#fd-compare")
        page.click("#fd-example")
        page.wait_for_function("document.querySelector('#fd-lang-note-b').innerText.includes('Chinese')")
        save(page.screenshot(full_page=False), "web-input.png")

        page.click("#fd-compare")
        page.wait_for_function("document.querySelector('#fd-status').innerText.includes('Aligning')", timeout=60_000)
        page.locator("#fd-status").scroll_into_view_if_needed()
        status = page.locator("#fd-status").bounding_box()
        save(page.screenshot(clip={"x": 0, "y": max(0, status["y"] - 120), "width": WIDTH, "height": 200}),
             "web-progress.png", width=800)
        page.wait_for_selector("#fd-summary .fd-counts", timeout=120_000)
        page.locator("#fd-downloads").scroll_into_view_if_needed()
        top = page.locator("#fd-downloads").bounding_box()["y"]
        page.evaluate(f"window.scrollTo(0, {top} - 10 + window.scrollY)")
        page.wait_for_timeout(300)
        save(page.screenshot(full_page=False), "web-result.png")

        row = "#fd-comparison .fd-row[data-link='0']"
        page.locator(row).scroll_into_view_if_needed()
        page.evaluate(f"window.scrollBy(0, document.querySelector(\"{row}\").getBoundingClientRect().top - 60)")
        page.locator(f"{row} mark.fd-k-framing").first.hover()
        page.wait_for_timeout(300)
        save(page.screenshot(clip=_box(page, row, 330)), "web-reason.png")

        page.locator("#fd-glosses label").click()
        page.wait_for_selector("#fd-comparison p.fd-gl", state="visible")
        page.evaluate(f"window.scrollBy(0, document.querySelector(\"{row}\").getBoundingClientRect().top - 60)")
        page.locator(f"{row} p.fd-sent[lang='zh'] .fd-text > .fd-w[data-gl]").nth(4).hover()
        page.wait_for_timeout(300)
        save(page.screenshot(clip=_box(page, row, 330)), "web-glosses.png")

        with page.expect_download() as download:
            page.click("#fd-download-json")
        result = Result.from_json(Path(download.value.path()).read_text(encoding="utf-8"))
        report = OUT / "_report.html"
        report.write_text(render(without_web_source(result), "html"), encoding="utf-8")   # as the download
        page.set_viewport_size({"width": WIDTH, "height": 1100})
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        save(page.screenshot(full_page=False), "export-html.png")
        report.unlink()
        browser.close()


if __name__ == "__main__":
    main()
