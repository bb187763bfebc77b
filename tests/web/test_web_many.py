"""The "Many outlets" tab (app/web/many_tab.py) as a user and a script see it: a real server
(``python -m app serve`` on a free localhost port), Debian's Chromium through Playwright, and gradio_client.

The story is the project's own (tests/data/many): one English source and four rewrites in en, zh-Hans and
zh-Hant with planted omissions, framing and number changes.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from app.many import ManyResult, compare_many
from bench.web import local_server

ARTIFACTS = Path(os.environ.get("FRAMEDIFF_ARTIFACTS", "/tmp/framediff-artifacts"))
STORY = Path(__file__).resolve().parents[1] / "data" / "many"
REWRITES = {"ledger": "ledger.en.txt", "herald": "herald.zh-Hans.txt", "times": "times.zh-Hant.txt",
            "post": "post.en.txt"}
SOURCE = (STORY / "source.en.txt").read_text(encoding="utf-8")
TEXTS = {name: (STORY / file).read_text(encoding="utf-8") for name, file in REWRITES.items()}
COLOURS = {"kept": "rgb(207, 232, 207)", "reworded": "rgb(251, 231, 168)", "omitted": "rgb(244, 185, 185)"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url(use_m3):
    with local_server(concurrency=2) as url:
        yield url


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.requests, page.dialogs = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server_url)
    page.get_by_role("tab", name="Many outlets").click()
    page.wait_for_selector("#fd-many-compare")
    yield page
    context.close()


@pytest.fixture(scope="module")
def expected(use_m3) -> ManyResult:
    """The same story through compare_many in this process: what the page must show."""
    return compare_many(SOURCE, list(TEXTS.values()), embedder=use_m3, cache=None, source_name="wire",
                        names=list(TEXTS))


def fill_slot(page, key: str, text: str, name: str) -> None:
    if key in ("4", "5", "6") and not page.locator(f"#fd-many-text-{key} textarea").is_visible():
        page.locator("#fd-many-more > button").first.click()
    page.fill(f"#fd-many-text-{key} textarea", text)
    page.fill(f"#fd-many-name-{key} input, #fd-many-name-{key} textarea", name)


def fill_story(page, source: str = SOURCE, texts: dict | None = None) -> None:
    fill_slot(page, "source", source, "wire")
    for k, (name, text) in enumerate((texts or TEXTS).items(), start=1):
        fill_slot(page, str(k), text, name)


def matrix(page):
    return page.frame_locator("#fd-many-matrix iframe")


def wait_for_matrix(page) -> None:
    matrix(page).locator("#matrix").wait_for(timeout=180_000)


def download(page, fmt: str) -> Path:
    page.wait_for_timeout(1000)          # a download button ignores clicks while the previous one is handled
    with page.expect_download() as info:
        page.click(f"#fd-many-download-{fmt}")
    target = ARTIFACTS / f"many-{uuid.uuid4().hex[:6]}-{info.value.suggested_filename}"
    info.value.save_as(target)
    return target


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def external_requests(page, server_url: str) -> list[str]:
    ours = urlparse(server_url).netloc
    return [url for url in page.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != ours]


def test_the_story_shows_digest_then_matrix_with_downloads_on_top(page, server_url, expected, capsys):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    fill_story(page)
    page.click("#fd-many-compare")
    wait_for_matrix(page)
    # downloads: the same story as JSON, the matrix page, a formula-safe CSV
    saved = ManyResult.from_json(download(page, "json").read_text(encoding="utf-8"))
    assert [o.name for o in saved.outlets] == list(TEXTS)
    assert [[c.status for c in r.cells.values()] for r in saved.rows] == \
        [[c.status for c in r.cells.values()] for r in expected.rows]
    assert 'id="matrix"' in download(page, "html").read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(download(page, "csv").read_text(encoding="utf-8-sig"))))
    assert table[0][:4] == ["row", "index", "source_text", "ledger status"] and len(table) == len(saved.rows) + len(saved.added) + 1
    assert top(page, "#fd-many-downloads") < top(page, "#fd-many-digest") < top(page, "#fd-many-matrix")
    digest = page.inner_text("#fd-many-digest")
    assert digest.strip().startswith("Story: wire and 4 outlet(s)")
    assert 'ledger: "probably" (source #3)' in digest
    # the frame is the export's page: every cell as compare_many says, the outlet's wording on hover
    frame = matrix(page)
    for row in expected.rows:
        for name, cell in row.cells.items():
            shown = frame.locator(f'tr[data-row="{row.index}"] td[data-outlet="{name}"]')
            assert shown.evaluate("e => getComputedStyle(e).backgroundColor") == COLOURS[cell.status], (row.index, name)
    cell = frame.locator('tr[data-row="3"] td[data-outlet="herald"]')
    cell.hover()
    assert cell.locator(".tip").is_visible() and "声称" in cell.locator(".tip").inner_text()
    assert "Compared wire (10 sentences) with 4 outlets" in page.inner_text("#fd-many-status")
    shot = ARTIFACTS / "web-many.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\n[web many] screenshot: {shot}")
    assert external_requests(page, server_url) == [] and page.dialogs == []


def test_progress_names_the_comparison_and_its_step(page):
    tag = uuid.uuid4().hex[:6]           # sentences nobody embedded yet, so every step has real work

    def tagged(text: str) -> str:        # the story told three times, each paragraph marked apart
        paragraphs = [p for _ in range(3) for p in text.split("\n\n")]
        return "\n\n".join(f"{p} ({tag}-{i})" for i, p in enumerate(paragraphs))

    fill_story(page, tagged(SOURCE), {name: tagged(text) for name, text in TEXTS.items()})
    page.click("#fd-many-compare")
    seen = set()
    while not matrix(page).locator("#matrix").count():
        seen.add(page.inner_text("#fd-many-status"))
        page.wait_for_timeout(50)
    from app.web.progress import STEP_LABELS

    steps = [text for text in seen if any(label in text for label in STEP_LABELS.values()) and " of 4 (" in text]
    assert steps, seen                   # "Comparison 2 of 4 (wire with herald): Aligning sentences"


def test_a_rewrite_can_be_uploaded(page, tmp_path):
    upload = tmp_path / "times.txt"
    upload.write_bytes(TEXTS["times"].encode("big5"))
    with page.expect_file_chooser() as chooser:
        page.click("#fd-many-upload-2")
    chooser.value.set_files(str(upload))
    page.wait_for_function("document.querySelector('#fd-many-text-2 textarea').value.includes('大橋')",
                           timeout=30_000)
    assert page.input_value("#fd-many-text-2 textarea").strip() == TEXTS["times"].strip()


def test_only_the_source_is_a_coded_message(page):
    fill_slot(page, "source", SOURCE, "wire")
    page.click("#fd-many-compare")
    page.get_by_text("[E018]", exact=False).first.wait_for(timeout=30_000)
    assert "Traceback" not in page.inner_text("body")


def test_markup_in_names_and_text_stays_text(page, server_url):
    hostile = "<img src=x onerror=alert(1)> " + TEXTS["post"]
    fill_story(page, texts={'"><script>alert(2)</script>': hostile, "ledger": TEXTS["ledger"]})
    page.click("#fd-many-compare")
    wait_for_matrix(page)
    frame = matrix(page)
    assert frame.locator("img, script").count() == 0
    assert page.locator("#fd-many-digest img, #fd-many-digest script").count() == 0
    assert "<script>alert(2)</script>" in frame.locator("#matrix thead").inner_text()
    assert page.dialogs == [] and external_requests(page, server_url) == []


def test_api_takes_model_names_only(server_url):
    from gradio_client import Client

    client = Client(server_url, verbose=False)
    data = client.predict(SOURCE, [TEXTS["ledger"]], "first", ["wire", "ledger"], "", api_name="/compare-many")
    assert ManyResult.from_json(data).outlets[0].findings.omitted == [5]
    for model in ("/etc/passwd", "../models/x"):
        with pytest.raises(Exception) as info:
            client.predict(SOURCE, [TEXTS["ledger"]], "first", None, model, api_name="/compare-many")
        assert "[E009] Unknown embedding model" in str(info.value) and "Traceback" not in str(info.value)
