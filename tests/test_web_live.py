"""The web UI as a user and a script see it: a real server, gradio_client, and Chromium via Playwright.

The server is ``python -m app serve`` on a free localhost port (bench.web.local_server).
Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright never downloads one.
The screenshot goes to $FRAMEDIFF_ARTIFACTS (default /tmp/framediff-artifacts) and its path is
printed in the log.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.web import local_server
from app.result import Result
from tests.conftest import SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
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


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
    assert result.summary.counts == norvale_result.summary.counts
    assert [(s.side, s.start, s.end, s.kind) for s in result.spans] == \
        [(s.side, s.start, s.end, s.kind) for s in norvale_result.spans]


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


def test_browser_sample_pair(page, server_url, capsys):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _compare_in_page(page, A_TEXT, B_TEXT)
    assert "Chinese" in page.inner_text("#fd-lang-note-b")

    result = Result.from_json(_download(page, "json").read_text(encoding="utf-8"))
    shown = {cell.get_attribute("data-kind"): int(cell.inner_text())
             for cell in page.query_selector_all("#fd-summary .fd-count")}
    assert shown == result.summary.counts and shown

    for kind in result.summary.counts:
        assert page.locator(f"#fd-comparison mark.fd-span[data-kind='{kind}']").count() >= 1, kind
    table = page.inner_text("#fd-alignment")
    first = result.articles["a"].sentences[0]
    assert result.articles["a"].text[first.start:first.end] in table
    assert all(word in table for word in ("kept", "omitted", "added"))

    html_export = _download(page, "html")
    exported = html_export.read_text(encoding="utf-8")
    assert "Norvale Semiconductor" in exported and "<html" in exported.lower()

    shot = ARTIFACTS / "web-sample-pair.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\n[web] screenshot: {shot}\n[web] downloads: {ARTIFACTS}")
    assert _external_requests(page, server_url) == []


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
