"""The web UI as a user and a script see it: a real server, gradio_client, and Chromium via Playwright.

The server is ``python -m app serve`` on a free localhost port (bench.web.local_server).
Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright never downloads one.
The screenshot goes to $FRAMEDIFF_ARTIFACTS (default /tmp/framediff-artifacts) and its path is
printed in the log.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.web import local_server
from app.result import Result
from tests.conftest import SAMPLES

ARTIFACTS = Path(os.environ.get("FRAMEDIFF_ARTIFACTS", "/tmp/framediff-artifacts"))
A_TEXT = (SAMPLES / "norvale" / "a.en.txt").read_text(encoding="utf-8")
B_TEXT = (SAMPLES / "norvale" / "b.zh.txt").read_text(encoding="utf-8")
HOSTILE = ("Officials in Norvale said on Monday that the inquiry would continue. "
           "<img src=x onerror=alert(1)> The company denied wrongdoing. "
           "<script>alert(1)</script> Shares fell 4% in early trading.\n\n"
           "Analysts said the case could prompt tighter scrutiny of distributors.")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url(use_m3):
    with local_server(concurrency=2) as url:
        yield url


@pytest.fixture(scope="module")
def client(server_url):
    from gradio_client import Client

    return Client(server_url, verbose=False)


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server_url)
    page.wait_for_selector("#fd-compare")
    yield page
    context.close()


def test_api_compare_with_gradio_client(client, norvale_result):
    data = client.predict(A_TEXT, B_TEXT, api_name="/compare")
    result = Result.from_json(data, validate=True)
    # the server counts at the default confidence threshold; the fixture counts every span (min_confidence 0)
    assert [(s.side, s.start, s.end, s.kind) for s in result.spans] == \
        [(s.side, s.start, s.end, s.kind) for s in norvale_result.spans]
    counted = {}
    for span in result.spans:
        if span.difference:
            counted[span.kind.value] = counted.get(span.kind.value, 0) + 1
    assert result.summary.counts == counted and sum(result.summary.possible.values()) > 0


def test_api_bad_input_is_a_readable_error(client):
    with pytest.raises(Exception) as info:
        client.predict("   ", B_TEXT, api_name="/compare")
    assert "[E001] article a is empty" in str(info.value)
    assert "Traceback" not in str(info.value)


def _compare_in_page(page, a_text: str, b_text: str) -> None:
    page.fill("#fd-text-a textarea", a_text)
    page.fill("#fd-text-b textarea", b_text)
    page.click("#fd-compare")
    page.wait_for_selector("#fd-summary .fd-counts", timeout=120_000)


def _download(page, fmt: str) -> Path:
    with page.expect_download() as info:
        page.click(f"#fd-download-{fmt}")
    target = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _external_requests(page, server_url: str) -> list[str]:
    ours = urlparse(server_url).netloc
    return [url for url in page.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != ours]


def _open_accordion(page, elem_id: str) -> None:
    page.locator(f"#{elem_id} > button").first.click()


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_browser_sample_pair(page, server_url, capsys):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _compare_in_page(page, A_TEXT, B_TEXT)
    assert "Chinese" in page.inner_text("#fd-lang-note-b")

    result = Result.from_json(_download(page, "json").read_text(encoding="utf-8"))
    shown = {cell.get_attribute("data-kind"): int(cell.inner_text())
             for cell in page.query_selector_all("#fd-summary .fd-count")}
    assert shown == result.summary.counts and shown               # differences only
    assert int(page.inner_text("#fd-summary .fd-count-shared")) == sum(
        not s.difference and s.confidence is None for s in result.spans)
    assert int(page.inner_text("#fd-summary .fd-count-possible")) == sum(result.summary.possible.values())

    for kind in result.summary.counts:
        assert page.locator(f"#fd-comparison mark.fd-span[data-kind='{kind}']").count() >= 1, kind
    # the result reads top down: downloads, what changed, the filters, the comparison
    assert _top(page, "#fd-downloads") < _top(page, "#fd-digest") < _top(page, "#fd-kinds") \
        < _top(page, "#fd-comparison .fd-body")
    assert page.locator("#fd-digest li.fd-dg-item").count() >= 3
    # jargon only in the details
    assert result.config_hash not in page.inner_text("#fd-status")
    assert result.config_hash not in page.inner_text("#fd-comparison")
    _open_accordion(page, "fd-details")
    page.wait_for_function(f"document.querySelector('#fd-details').innerText.includes({result.config_hash!r})")
    _open_accordion(page, "fd-alignment-panel")
    page.wait_for_function("(document.querySelector('#fd-alignment') || {innerText: ''}).innerText.includes('kept')")
    table = page.inner_text("#fd-alignment")
    first = result.articles["a"].sentences[0]
    assert result.articles["a"].text[first.start:first.end] in table
    assert all(word in table for word in ("kept", "omitted", "added"))

    html_export = _download(page, "html")
    exported = html_export.read_text(encoding="utf-8")
    assert "Norvale Semiconductor" in exported and "<html" in exported.lower()
    assert _download(page, "digest").read_text(encoding="utf-8").startswith("What changed from a to b")

    shot = ARTIFACTS / "web-sample-pair.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\n[web] screenshot: {shot}\n[web] downloads: {ARTIFACTS}")
    assert _external_requests(page, server_url) == []


def test_browser_progress_names_the_steps(page):
    # sentences no earlier test embedded, so the comparison has real work to report (no cache hits)
    tag = uuid.uuid4().hex[:6]
    page.fill("#fd-text-a textarea", "\n\n".join(f"{p} Filed as {tag}{i}." for i, p in enumerate(A_TEXT.split("\n\n"))))
    page.fill("#fd-text-b textarea", "\n\n".join(f"{p}（编号{tag}{i}）" for i, p in enumerate(B_TEXT.split("\n\n"))))
    page.click("#fd-compare")
    seen, heights = set(), set()
    while not page.query_selector("#fd-summary .fd-counts"):
        seen.add(page.inner_text("#fd-status"))
        heights.add(page.locator("#fd-status").bounding_box()["height"])
        page.wait_for_timeout(50)
    from app.web.progress import STEP_LABELS

    named = {label for label in STEP_LABELS.values() for text in seen if label in text}
    assert named, seen                                  # the bar says which step runs, not a fixed 25 %
    assert min(heights) > 20                            # and it has room to be seen while the line is empty


def test_browser_digest_links_into_the_comparison(page):
    _compare_in_page(page, A_TEXT, B_TEXT)
    link = page.locator("#fd-digest .fd-digest > ol a").last
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === {target!r}")
    assert page.eval_on_selector(target, "e => e.matches(':target') && e.closest('#fd-comparison') !== null")
    box = page.locator(target).bounding_box()
    assert 0 <= box["y"] < 1000


def test_browser_chinese_words_show_glosses_and_the_gloss_lines_toggle(page):
    _compare_in_page(page, A_TEXT, B_TEXT)
    assert "dictionary glosses, not a translation" in page.inner_text("#fd-reading")
    word = page.locator("#fd-comparison p.fd-sent[lang='zh'] .fd-text > .fd-w[data-gl]").first
    word.hover()
    tip = page.locator("#fd-comparison .fd-tooltip")
    tip.wait_for(state="visible")
    assert word.get_attribute("data-gl") in tip.inner_text()
    lines = page.locator("#fd-comparison p.fd-gl")
    assert lines.count() >= 1 and not lines.first.is_visible()
    page.locator("#fd-glosses label").click()
    lines.first.wait_for(state="visible")
    assert "not a translation" in lines.first.inner_text().lower()
    page.wait_for_function("document.querySelector('#fd-reading').innerText.includes('shown under each sentence')")


def test_browser_filters_carry_the_legend_patterns(page):
    from app.export.html_view import KIND_STYLE

    _compare_in_page(page, A_TEXT, B_TEXT)
    swatches = page.eval_on_selector_all(
        "#fd-kinds label", "els => els.map(e => getComputedStyle(e, '::after').backgroundColor)")
    assert len(swatches) == len(KIND_STYLE) and len(set(swatches)) == len(KIND_STYLE)   # one pattern per kind
    page.locator("#fd-legend > button").first.click()
    page.wait_for_function("document.querySelector('#fd-legend').innerText.includes('wavy underline')")


def test_browser_saved_comparison_opens_again_without_comparing(page, browser, server_url):
    _compare_in_page(page, A_TEXT, B_TEXT)
    saved = _download(page, "json")
    digest = page.inner_text("#fd-digest")
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    fresh.goto(server_url)
    fresh.wait_for_selector("#fd-open")
    assert not fresh.locator("#fd-digest").is_visible()             # no result yet: no empty result panels
    with fresh.expect_file_chooser() as chooser:
        fresh.click("#fd-open")
    chooser.value.set_files(str(saved))
    fresh.wait_for_selector("#fd-summary .fd-counts", timeout=60_000)
    assert "Opened a saved comparison" in fresh.inner_text("#fd-status")
    assert fresh.inner_text("#fd-digest") == digest
    fresh.context.close()


def test_browser_a_long_paste_does_not_freeze_the_page(browser, server_url):
    """150,000 characters pasted with Ctrl+V land at once (the browser's own insertion takes ~20 s here)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url.rstrip("/"))
    page = context.new_page()
    page.goto(server_url)
    page.wait_for_selector("#fd-compare")
    text = ("\n\n".join([A_TEXT] * (150_000 // len(A_TEXT) + 1)))[:150_000]
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    page.click("#fd-text-a textarea")
    page.keyboard.press("Control+V")
    page.wait_for_function("document.querySelector('#fd-lang-note-a').innerText.includes('150,000 characters')")
    assert page.input_value("#fd-text-a textarea") == text
    context.close()


def test_browser_an_address_field_goes_through_the_input_path(page, server_url):
    page.fill("#fd-url-a input, #fd-url-a textarea", "ftp://example.invalid/report")
    page.fill("#fd-text-b textarea", B_TEXT)
    page.click("#fd-compare")
    toast = page.get_by_text("[E024]", exact=False)
    toast.first.wait_for(timeout=30_000)
    assert "URL" in page.inner_text("body")
    # the server fetches for its users, so never its own network (here: its own address)
    page.fill("#fd-url-a input, #fd-url-a textarea", server_url)
    page.click("#fd-compare")
    page.get_by_text("local or private address", exact=False).first.wait_for(timeout=30_000)


def test_browser_filters_hide_and_show_kinds(page):
    _compare_in_page(page, A_TEXT, B_TEXT)
    omitted = page.locator("#fd-comparison mark.fd-span[data-kind='omitted']")
    assert omitted.count() >= 1
    page.locator("#fd-kinds label", has_text="omitted").click()
    page.wait_for_function("document.querySelectorAll(\"#fd-comparison mark.fd-span[data-kind='omitted']\").length == 0")
    assert page.locator("#fd-comparison mark.fd-span[data-kind='added']").count() >= 1
    page.locator("#fd-kinds label", has_text="omitted").click()
    page.wait_for_function("document.querySelectorAll(\"#fd-comparison mark.fd-span[data-kind='omitted']\").length > 0")


def test_browser_markup_in_articles_stays_text(page, server_url):
    page.fill("#fd-outlet-a input, #fd-outlet-a textarea", "<img src=y onerror=alert(2)>Wire")
    _compare_in_page(page, HOSTILE, B_TEXT)
    page.wait_for_timeout(500)
    shown = page.inner_text("#fd-comparison")
    assert "<img src=x onerror=alert(1)>" in shown and "<script>alert(1)</script>" in shown
    assert "<img src=y onerror=alert(2)>Wire" in page.inner_text("#fd-summary") + shown
    assert page.locator("#fd-comparison img, #fd-summary img, #fd-alignment img").count() == 0
    assert page.dialogs == []
    assert _external_requests(page, server_url) == []


def test_browser_bad_input_shows_a_message(page):
    page.fill("#fd-text-b textarea", B_TEXT)
    page.click("#fd-compare")
    toast = page.get_by_text("[E001] article a is empty", exact=False)
    toast.first.wait_for(timeout=30_000)
    assert "Traceback" not in page.inner_text("body")


def test_browser_example_button_fills_both_sides(page):
    page.click("#fd-example")
    page.wait_for_function("document.querySelector('#fd-text-b textarea').value.length > 100")
    meta = json.loads((SAMPLES / "norvale" / "meta.json").read_text(encoding="utf-8"))
    assert page.input_value("#fd-outlet-a input, #fd-outlet-a textarea") == meta["outlet_a"]
    page.wait_for_function("document.querySelector('#fd-lang-note-a').innerText.includes('English')")


def test_browser_upload_fills_the_text_area(page, tmp_path):
    upload = tmp_path / "rewrite.txt"
    upload.write_bytes(B_TEXT.encode("gb18030"))
    with page.expect_file_chooser() as chooser:
        page.click("#fd-upload-b")
    chooser.value.set_files(str(upload))
    page.wait_for_function("document.querySelector('#fd-text-b textarea').value.includes('诺瓦尔')",
                           timeout=30_000)
    assert page.input_value("#fd-text-b textarea").strip() == B_TEXT.strip()
    page.wait_for_function("document.querySelector('#fd-lang-note-b').innerText.includes('Chinese')")


def test_browser_shows_one_current_error_at_a_time(page):
    """Issue 24: a new error replaces the old one on screen (Gradio groups them, oldest first)."""
    page.click("#fd-compare")                                            # both empty: a is named first
    page.wait_for_selector('[data-testid="toast-text"]')
    page.fill("#fd-text-a textarea", "The Kelby council approved the bridge on Monday.")
    page.click("#fd-compare")                                            # now b is the empty one
    page.wait_for_function("document.querySelectorAll('[data-testid=\"toast-text\"]').length >= 2")
    shown = [t for t in page.locator('[data-testid="toast-text"]').all()  if t.is_visible()]
    assert len(shown) == 1 and "article b is empty" in shown[0].inner_text()
    assert not page.locator(".toast-count").first.is_visible()
