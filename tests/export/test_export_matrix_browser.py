"""matrix.html (app/export/matrix.py) in a real browser: Debian's Chromium, headless, driven by Playwright.

Never `playwright install`: these tests skip only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.export.matrix import matrix_html
from app.many import compare_many
from tests.conftest import CHROMIUM

STORY = Path(__file__).resolve().parents[1] / "data" / "many"
REWRITES = ["ledger.en.txt", "herald.zh-Hans.txt", "times.zh-Hant.txt", "post.en.txt"]
COLOURS = {"kept": "rgb(207, 232, 207)", "reworded": "rgb(251, 231, 168)", "omitted": "rgb(244, 185, 185)",
           "added": "rgb(185, 211, 244)"}
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (see .ci/run)")]


@pytest.fixture(scope="module")
def story(use_m3):
    return compare_many(STORY / "source.en.txt", [STORY / name for name in REWRITES], embedder=use_m3, cache=None)


def _open(browser, html: str, path: Path):
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, dialogs = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, requests, dialogs


def _cell(page, row: int, outlet: str) -> str:
    return f'tr[data-row="{row}"] td[data-outlet="{outlet}"]'


def test_cells_are_coloured_by_status_and_show_the_wording_on_hover(browser, story, tmp_path):
    path = tmp_path / "matrix.html"
    context, page, requests, dialogs = _open(browser, matrix_html(story), path)
    for row in story.rows:
        for name, cell in row.cells.items():
            colour = page.eval_on_selector(_cell(page, row.index, name), "e => getComputedStyle(e).backgroundColor")
            assert colour == COLOURS[cell.status], (row.index, name)
    assert page.eval_on_selector_all("tr.added td.cell.added", "els => els.length") == 2
    # hover: the outlet's own wording appears; before, it is hidden
    tip = page.locator(f'{_cell(page, 3, "herald")} .tip')
    assert not tip.is_visible()
    page.hover(_cell(page, 3, "herald"))
    assert tip.is_visible() and "声称" in tip.text_content()
    page.hover(_cell(page, 3, "post"))
    assert not tip.is_visible()
    assert "claimed" in page.locator(f'{_cell(page, 3, "post")} .tip').text_content()
    assert page.locator(f'{_cell(page, 6, "post")} .ch').inner_text() == "framing"     # so-called, visible
    assert page.locator(f'{_cell(page, 6, "ledger")} .ch').count() == 0
    # keyboard: tabbing to a cell shows it too; an omitted cell has nothing to show and takes no focus
    page.focus(_cell(page, 7, "post"))
    assert page.locator(f'{_cell(page, 7, "post")} .tip').is_visible()
    assert "35 million" in page.locator(f'{_cell(page, 7, "post")} .tip').text_content()
    assert page.locator(f'{_cell(page, 5, "ledger")} .tip').count() == 0
    page.screenshot(path=str(tmp_path / "matrix.png"), full_page=True)
    assert requests == [path.as_uri()], requests        # self-contained: nothing else is fetched
    assert dialogs == []
    context.close()


def test_hostile_text_and_names_stay_text(browser, use_m3, tmp_path):
    source = ('The minister opened the new hospital on Monday. <img src=x onerror="alert(1)"> was painted on a wall. '
              "The hospital has 200 beds.")
    rewrite = ("<script>alert(2)</script> The minister opened the new hospital on Monday. The hospital has 200 beds.")
    many = compare_many(source, [rewrite], embedder=use_m3, cache=None, source_name="<b>wire</b>",
                        names=['"><script>alert(3)</script>'])
    context, page, requests, dialogs = _open(browser, matrix_html(many), tmp_path / "hostile.html")
    assert page.eval_on_selector_all("script, img", "els => els.length") == 0
    assert dialogs == []
    assert "<img src=x" in page.inner_text("#matrix")
    assert page.eval_on_selector_all('td[data-outlet="\\"><script>alert(3)</script>"]', "els => els.length") >= 3
    context.close()
