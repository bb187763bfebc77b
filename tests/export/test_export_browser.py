"""The HTML export in a real browser: Debian's Chromium, headless, driven by Playwright.

Never `playwright install`: .ci/run installs Debian's `chromium`; these tests skip only when it
is missing (a plain developer machine), with the reason shown by pytest -ra.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from app.export import render
from app.export.common import all_kinds
from app.export.html_view import comparison_css, render_comparison_html
from tests.export.test_export_cli import HOSTILE_A, HOSTILE_B, HOSTILE_META
from tests.export.test_export_support import with_every_kind
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (see .ci/run)")]

TRANSPARENT = "rgba(0, 0, 0, 0)"


@pytest.fixture(scope="module")
def rich(norvale_result):
    return with_every_kind(norvale_result)


class Watched:
    """A page that records every request and every dialog."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.context.close()


def _styles(page, kind: str) -> list[dict]:
    return page.eval_on_selector_all(
        f"mark.fd-k-{kind}",
        """els => els.map(e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
             return {bg: s.backgroundColor, deco: s.textDecorationLine, shadow: s.boxShadow,
                     visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden'}; })""")


def _highlighted(style: dict) -> bool:
    return style["visible"] and (style["bg"] != TRANSPARENT or style["deco"] != "none")


def test_every_kind_is_highlighted_and_toggles_hide_and_show_it(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 1280, "height": 900})
    page = watched.open(path)
    kinds = sorted({s.kind.value for s in rich.spans})
    assert kinds == sorted(all_kinds())                   # the fixture has every kind
    for kind in kinds:
        before = _styles(page, kind)
        assert before and all(_highlighted(s) for s in before), kind
        page.click(f"label.fd-chip-{kind}")
        assert not page.is_checked(f"#fd-t-{kind}")
        after = _styles(page, kind)
        assert all(s["bg"] == TRANSPARENT and s["deco"] == "none" and s["shadow"] == "none" for s in after), kind
        others = [k for k in kinds if k != kind]
        assert all(_highlighted(s) for k in others for s in _styles(page, k) if s["bg"] != TRANSPARENT)
        page.click(f"label.fd-chip-{kind}")
        assert _styles(page, kind) == before
    shot_dir = Path(tempfile.mkdtemp(prefix="framediff-shot-"))
    page.screenshot(path=str(shot_dir / "report.png"), full_page=True)
    print(f"\nscreenshot: {shot_dir / 'report.png'}")
    assert watched.requests == [path.as_uri()], watched.requests    # nothing fetched
    assert watched.dialogs == []
    watched.close()


def test_keyboard_focus_shows_tooltip_and_space_toggles(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 1280, "height": 900})
    page = watched.open(path)
    page.keyboard.press("Tab")                              # the first control: the 'added' toggle
    assert page.evaluate("document.activeElement.id") == "fd-t-added"
    page.keyboard.press("Space")
    assert not page.is_checked("#fd-t-added")
    page.keyboard.press("Space")
    assert page.is_checked("#fd-t-added")
    span = next(i for i, s in enumerate(rich.spans) if s.kind.value == "loaded" and s.gloss)
    page.focus(f'mark[data-span="{span}"][tabindex="0"]')
    tip = page.locator(".fd-root > .fd-tooltip")
    assert tip.is_visible()
    assert "Loaded term" in tip.text_content() and rich.spans[span].gloss in tip.text_content()
    reworded = next(i for i, s in enumerate(rich.spans) if s.kind.value == "reworded")
    page.focus(f'mark[data-span="{reworded}"][tabindex="0"]')
    assert rich.spans[reworded].counterpart.text in tip.text_content()
    assert page.locator(".fd-peer").count() >= 1                   # the counterpart sentence is marked
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    focusable = page.eval_on_selector_all("mark.fd-span[tabindex='0']", "els => els.length")
    assert focusable == len(rich.spans)
    assert watched.dialogs == []
    watched.close()


def test_narrow_screen_stacks_the_two_articles(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = watched.open(path)
    boxes = page.eval_on_selector(
        "section.fd-row[data-link]",
        "row => [...row.querySelectorAll('.fd-cell')].map(c => { const r = c.getBoundingClientRect(); "
        "return [r.left, r.top, r.width]; })")
    (left_a, top_a, width_a), (left_b, top_b, _) = boxes
    assert left_a == left_b and top_b > top_a and width_a > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390     # no sideways scrolling
    shot = Path(tempfile.mkdtemp(prefix="framediff-shot-")) / "phone.png"
    page.screenshot(path=str(shot), full_page=False)
    print(f"\nscreenshot: {shot}")
    watched.close()


def test_print_stylesheet_hides_controls_and_prints(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser)
    page = watched.open(path)
    page.focus("mark.fd-k-loaded[tabindex='0']")
    assert page.locator(".fd-tooltip").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".fd-tooltip").is_visible() and not page.locator(".fd-hint").is_visible()
    assert page.eval_on_selector(".fd-colheads", "e => getComputedStyle(e).position") == "static"
    assert page.eval_on_selector(".fd-row", "e => getComputedStyle(e).breakInside") == "avoid"
    assert all(_highlighted(s) for s in _styles(page, "reworded"))      # colours are kept on paper
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    watched.close()


def test_hostile_article_opens_no_dialog_and_runs_nothing(browser, use_m3, tmp_path):
    from app import compare

    result = compare(HOSTILE_A, HOSTILE_B, embedder=use_m3, cache=None, meta_a=HOSTILE_META)
    path = tmp_path / "hostile.html"
    path.write_text(render(result, "html"), encoding="utf-8")
    watched = Watched(browser)
    page = watched.open(path)
    for mark in page.query_selector_all("mark.fd-span"):
        mark.hover()
        mark.focus()
    page.wait_for_timeout(200)
    assert watched.dialogs == []
    assert page.locator("img, svg, iframe").count() == 0
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert '"><script>alert(3)</script>' in body
    assert watched.requests == [path.as_uri()]
    watched.close()


def test_fragment_works_without_javascript_when_embedded(browser, rich, tmp_path):
    """As inside a gr.HTML component: the fragment in a host page, scripts off; CSS does the work."""
    host = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{background:#222;color:#eee}'
            'mark{background:red}</style></head><body><h1>Host app</h1>'
            f'{render_comparison_html(rich, id_prefix="pane1")}</body></html>')
    path = tmp_path / "host.html"
    path.write_text(host, encoding="utf-8")
    watched = Watched(browser, java_script_enabled=False, viewport={"width": 1100, "height": 900})
    page = watched.open(path)
    assert all(_highlighted(s) for s in _styles(page, "loaded"))
    page.click("label.fd-chip-loaded")
    assert all(s["bg"] == TRANSPARENT for s in _styles(page, "loaded"))
    span = next(i for i, s in enumerate(rich.spans) if s.kind.value == "number")
    selector = f'mark[data-span="{span}"][tabindex="0"]'
    page.focus(selector)
    tip = page.eval_on_selector(selector, "e => { const s = getComputedStyle(e, '::after'); "
                                          "return [s.display, s.content]; }")
    assert tip[0] == "block" and "Number" in tip[1] and rich.spans[span].counterpart.text.replace("\n", "\\a ") in tip[1]  # CSS escapes line breaks
    assert page.inner_text("h1") == "Host app"           # the fragment's styles did not leak out
    assert page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(238, 238, 238)"
    assert ".fd-root" in comparison_css()
    watched.close()


def test_chinese_words_show_their_gloss_and_the_gloss_line_toggles(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 1280, "height": 900})
    page = watched.open(path)
    plain = page.locator("p.fd-sent[lang='zh'] .fd-text > .fd-w[data-gl]").first   # a word outside every mark
    word, gloss = plain.text_content(), plain.get_attribute("data-gl")
    plain.hover()
    tip = page.locator(".fd-root > .fd-tooltip")
    assert tip.is_visible() and word in tip.text_content() and gloss in tip.text_content()
    inside = page.locator("mark.fd-span .fd-w[data-gl]").first                       # a word inside a mark
    inside.hover()
    text = tip.text_content()
    assert f"{inside.text_content()}: {inside.get_attribute('data-gl')}" in text     # the word's gloss ...
    assert "Counterpart in" in text or "No counterpart" in text                      # ... beside the span's own tip
    lines = page.locator("p.fd-gl")
    assert lines.count() >= 1 and not lines.first.is_visible()                         # off until asked for
    page.click("label.fd-chip-gl")
    assert lines.first.is_visible() and "not a translation" in lines.first.text_content().lower()
    assert watched.dialogs == [] and watched.requests == [path.as_uri()]
    watched.close()


def test_shared_wording_is_drawn_muted_and_can_be_hidden(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 1280, "height": 900})
    page = watched.open(path)
    colours = page.eval_on_selector_all(
        "mark.fd-k-loaded", "els => els.map(e => [e.classList.contains('fd-shared'), getComputedStyle(e).backgroundColor])")
    shared = {bg for is_shared, bg in colours if is_shared}
    differences = {bg for is_shared, bg in colours if not is_shared}
    assert shared and differences and not shared & differences               # muted: another colour
    page.click("label.fd-chip-shared")
    hidden = page.eval_on_selector_all("mark.fd-shared", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert hidden and set(hidden) == {TRANSPARENT}
    assert _highlighted(_styles(page, "number")[0])                          # differences stay drawn
    watched.close()


def test_digest_links_jump_to_the_sentence(browser, rich, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(rich, "html"), encoding="utf-8")
    watched = Watched(browser, viewport={"width": 1280, "height": 700})
    page = watched.open(path)
    link = page.locator(".fd-digest > ol a[href^='#fd-s-']").last              # not folded away
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === {target!r}")
    box = page.locator(target).bounding_box()
    assert 0 <= box["y"] < 700                                                # scrolled into view
    assert page.eval_on_selector(target, "e => e.matches(':target')")
    watched.close()
