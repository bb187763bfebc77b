"""Input as people have it (issue 16, item 1): URLs, saved pages, PDF, DOCX, and clear refusals.

Every page is served by a local HTTP server on 127.0.0.1 (http.server in a thread); every PDF and
DOCX is built here (fpdf2, python-docx). Nothing touches the internet. The news pages wrap the
harbour-strike sample pair (corpora/samples) in a site's furniture: navigation, a byline, a date,
related links, "Our Standards: ..." and a footer, none of which may reach the article text.
"""

from __future__ import annotations

import datetime
import gzip
import http.server
import io
import json
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.text import fetch
from app.errors import FrameDiffError
from app.text.fetch import FetchOptions, fetch_url, url_scheme
from app.text.reader import read_article
from app.text.sources import SUPPORTED_INPUTS, read_source, sniff, source_stem
from tests.conftest import SAMPLES

HARBOUR = SAMPLES / "harbour-strike"
A_PARAGRAPHS = [p for p in (HARBOUR / "a.en.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
B_PARAGRAPHS = [p for p in (HARBOUR / "b.zh.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
CANONICAL_A = "https://www.wirewatch.example/world/port-elsberg-strike-2026-03-03/"
runner = CliRunner()


def news_page_a() -> str:
    """An English wire report as a news site serves it: metadata, furniture, boilerplate footer."""
    body = "\n".join(f'<p data-testid="paragraph-{i}">{p}</p>' for i, p in enumerate(A_PARAGRAPHS))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Dock workers strike at Port Elsberg as wage talks collapse | Wirewatch</title>
<meta property="og:site_name" content="Wirewatch">
<meta property="og:title" content="Dock workers strike at Port Elsberg as wage talks collapse">
<meta name="author" content="Maria Lind">
<meta property="article:published_time" content="2026-03-03T09:30:00Z">
<link rel="canonical" href="{CANONICAL_A}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/markets">Markets</a> <a href="/sustainability">Sustainability</a></nav></header>
<main><article>
<h1>Dock workers strike at Port Elsberg as wage talks collapse</h1>
<div class="byline">By <a href="/authors/maria-lind">Maria Lind</a></div>
<time datetime="2026-03-03T09:30:00Z">March 3, 2026 9:30 AM UTC</time>
<div class="article-body">
{body}
<p class="trust">Our Standards: <a href="https://www.wirewatch.example/trust">The Thomson Reuters Trust Principles.</a>, opens new tab</p>
</div></article></main>
<aside><h2>Read next</h2><ul><li><a href="/a">Markets rally as oil prices fall</a></li>
<li><a href="/b">Election results: live updates</a></li></ul></aside>
<footer><p>All quotes delayed a minimum of 15 minutes.</p><p>&copy; 2026 Wirewatch. All rights reserved.</p></footer>
</body></html>"""


def news_page_b() -> str:
    """The Chinese rewrite as a news site serves it; no <meta charset> (the HTTP header names GBK)."""
    body = "\n".join(f"<p>{p}</p>" for p in B_PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<title>埃尔斯伯格港码头工人罢工_国际新闻_环球日报</title>
<meta property="og:site_name" content="环球日报">
<meta property="og:title" content="埃尔斯伯格港码头工人罢工">
<meta name="author" content="李明">
<meta name="publishdate" content="2026-03-04">
</head><body>
<div class="nav"><a href="/">首页</a> <a href="/world">国际</a> <a href="/china">国内</a> <a href="/finance">财经</a></div>
<div class="article"><h1>埃尔斯伯格港码头工人罢工</h1>
{body}
<p>【责任编辑：王芳】</p>
</div>
<div class="footer"><p>版权所有 环球日报 未经授权禁止转载</p></div>
</body></html>"""


def pdf_bytes(paragraphs: list[str], *, title: str | None = None, author: str | None = None,
              font: Path | None = None, encrypt: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date(datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.timezone.utc))
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    if font is not None:
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=12)
    else:
        pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


def docx_bytes(paragraphs: list[str], *, title: str | None = None, author: str | None = None,
               headline: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    if author is not None:
        document.core_properties.author = author
        document.core_properties.created = datetime.datetime(2026, 3, 4, tzinfo=datetime.timezone.utc)
    if headline:
        document.add_paragraph(headline, style="Title")
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.sections[0].footer.paragraphs[0].text = "Page footer that is not article text"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(names: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in names.items():
            archive.writestr(name, text)
    return out.getvalue()


def routes() -> dict[str, tuple[int, dict, bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    return {
        "/a.html": (200, html, news_page_a().encode("utf-8")),
        "/b.html": (200, {"Content-Type": "text/html; charset=gbk"}, news_page_b().encode("gbk")),
        "/gzip.html": (200, {**html, "Content-Encoding": "gzip"}, gzip.compress(news_page_a().encode("utf-8"))),
        "/forbidden.html": (403, {"Content-Type": "text/html"}, b"<h1>Access denied</h1>"),
        "/moved": (301, {"Location": "/a.html"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, pdf_bytes(A_PARAGRAPHS, title="Port strike")),
        "/photo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(64)),
        "/empty.html": (200, html, b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a>"
                                   b"</nav></body></html>"),
        "/big.html": (200, html, b"<html><body>" + b"<p>word word word word.</p>" * 200 + b"</body></html>"),
    }


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    requests: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.requests.append((self.path, self.headers.get("User-Agent")))
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):    # the client gave up (size or time limit): as meant
            pass

    def _answer(self):
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/stream":    # no Content-Length: the size limit must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body><p>" + b"x" * 50_000 + b"</p></body></html>")
            return
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = type("Routes", (Handler,), {"routes": routes(), "requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


def code_of(call) -> FrameDiffError:
    with pytest.raises(FrameDiffError) as info:
        call()
    return info.value


# -- URLs ------------------------------------------------------------------------------------------

def test_a_news_page_url_gives_the_article_text_and_its_metadata(server):
    base, handler = server
    article = read_article(f"{base}/a.html")
    assert article.format == "url" and article.language == "en"
    assert article.text.split("\n") == A_PARAGRAPHS          # main text, every paragraph, nothing else
    assert "Our Standards" not in article.text and "Markets rally" not in article.text
    meta = article.meta
    assert (meta.outlet, meta.title, meta.author, meta.date) == (
        "Wirewatch", "Dock workers strike at Port Elsberg as wage talks collapse", "Maria Lind", "2026-03-03")
    assert meta.url == CANONICAL_A and meta.source == f"{base}/a.html" and meta.warnings == ()
    for sentence in article.sentences:                        # offsets index the extracted text
        assert article.text[sentence.start:sentence.end].strip()
    user_agent = dict(handler.requests)["/a.html"]
    assert user_agent.startswith("Mozilla/5.0 (compatible; FrameDiff/")


def test_the_http_charset_header_is_honoured_and_chinese_boilerplate_dropped(server):
    base, _ = server
    article = read_article(f"{base}/b.html")
    assert article.language == "zh" and article.meta.warnings == ()
    assert article.text.split("\n") == B_PARAGRAPHS
    assert "责任编辑" not in article.text and "版权所有" not in article.text
    assert (article.meta.outlet, article.meta.author, article.meta.date) == ("环球日报", "李明", "2026-03-04")
    assert article.meta.url == f"{base}/b.html"               # no canonical link: the address it was read from


def test_what_the_user_gives_wins_over_the_page(server):
    from app.text.article import ArticleMeta

    base, _ = server
    article = read_article(f"{base}/a.html", meta=ArticleMeta(outlet="My outlet", date="2026-03-05"))
    assert (article.meta.outlet, article.meta.date, article.meta.author) == ("My outlet", "2026-03-05", "Maria Lind")


def test_redirects_are_followed_and_a_pdf_url_is_read(server):
    base, _ = server
    assert read_article(f"{base}/gzip.html").text.split("\n") == A_PARAGRAPHS    # compressed though not asked
    moved = read_article(f"{base}/moved")
    assert moved.text.split("\n") == A_PARAGRAPHS and moved.meta.source == f"{base}/moved"
    pdf = read_article(f"{base}/report.pdf")
    assert pdf.format == "url" and pdf.meta.title == "Port strike" and "1,400 members" in pdf.text


@pytest.mark.parametrize("path, code, words", [
    ("/missing.html", "E021", ["HTTP 404", "/missing.html"]),
    ("/forbidden.html", "E021", ["HTTP 403", "save the page from your browser"]),
    ("/photo.png", "E023", ["not an article", "image/png"]),
    ("/empty.html", "E023", ["not an article", "no article text"]),
    ("/to-file", "E020", ["/to-file", "not an http(s) address"]),
])
def test_a_failed_fetch_names_the_url_and_the_reason(server, path, code, words):
    base, _ = server
    exc = code_of(lambda: read_article(f"{base}{path}"))
    assert exc.code == code and f"{base}{path}" in exc.message
    for word in words:
        assert word in exc.message


def test_size_and_time_limits(server):
    base, _ = server
    exc = code_of(lambda: fetch_url(f"{base}/big.html", what="article a", options=FetchOptions(max_bytes=1000)))
    assert exc.code == "E022" and "1,000 bytes" in exc.message and "/big.html" in exc.message
    exc = code_of(lambda: fetch_url(f"{base}/stream", what="article a", options=FetchOptions(max_bytes=10_000)))
    assert exc.code == "E022"
    exc = code_of(lambda: fetch_url(f"{base}/slow", what="article a", options=FetchOptions(timeout=0.2)))
    assert exc.code == "E020" and "no answer within 0.2 s" in exc.message


def test_no_network_and_nothing_listening(server, monkeypatch):
    with socket.socket() as probe:          # a port with nothing behind it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exc = code_of(lambda: read_article(f"http://127.0.0.1:{port}/a.html"))
    assert exc.code == "E020" and "refused" in exc.message

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    exc = code_of(lambda: read_article("https://news.example.com/story.html"))
    assert exc.code == "E020" and "no network" in exc.message and "https://news.example.com/story.html" in exc.message


def test_reserved_names_are_refused_without_a_lookup(monkeypatch):
    def no_lookup(*args, **kwargs):
        raise AssertionError("a reserved name was looked up")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    exc = code_of(lambda: read_article("https://example.invalid/x"))
    assert exc.code == "E020" and "reserved name" in exc.message


def test_a_server_for_others_does_not_fetch_local_addresses(server, monkeypatch):
    base, _ = server
    exc = code_of(lambda: read_source(f"{base}/a.html", what="article a", fetch=FetchOptions(allow_private=False)))
    assert exc.code == "E020" and "local or private address" in exc.message
    monkeypatch.setattr(fetch, "DEFAULT_OPTIONS", FetchOptions(allow_private=False))    # a server's policy
    exc = code_of(lambda: read_article(f"{base}/moved"))
    assert exc.code == "E020" and "local or private address" in exc.message


@pytest.mark.parametrize("value, scheme", [
    ("https://www.example.com/a", "https"), ("HTTP://example.com", "http"), ("ftp://example.com/a.txt", "ftp"),
    ("file:///etc/passwd", "file"), ("mailto:desk@example.com", "mailto"), ("C:\\news\\a.txt", None),
    ("article.txt", None), ("Note: see https://example.com", None), ("Paris: a city", None)])
def test_url_scheme(value, scheme):
    assert url_scheme(value) == scheme


@pytest.mark.parametrize("value", ["ftp://example.com/a.txt", "file:///etc/passwd", "mailto:desk@example.com",
                                   "gopher://example.com/1"])
def test_other_schemes_are_refused_naming_what_is_supported(value):
    exc = code_of(lambda: read_article(value))
    assert exc.code == "E024" and SUPPORTED_INPUTS in exc.message and value.split(":")[0] in exc.message


def test_an_address_without_its_scheme_says_how_to_give_it(tmp_path):
    for value in ("www.reuters.com/world/china/story-2026-03-03/", "https:/www.reuters.com/world/story"):
        exc = code_of(lambda: read_article(Path(value)))
        assert exc.code == "E026" and "https://" in exc.message
    exc = code_of(lambda: read_article("www.reuters.com/world/story"))     # as a batch row's text
    assert exc.code == "E026"


def test_source_stem():
    assert source_stem("https://www.example.com/world/port-strike.html?x=1") == "port-strike"
    assert source_stem("https://www.example.com/") == "www.example.com"
    assert source_stem(Path("/tmp/a.en.txt")) == "a.en"


# -- saved pages, PDF, DOCX ------------------------------------------------------------------------

def test_a_saved_page_gives_text_metadata_and_drops_boilerplate(tmp_path):
    page = tmp_path / "saved.html"
    page.write_text(news_page_a(), encoding="utf-8")
    article = read_article(page)
    assert article.format == "html" and article.text.split("\n") == A_PARAGRAPHS
    assert (article.meta.outlet, article.meta.author, article.meta.date, article.meta.url) == (
        "Wirewatch", "Maria Lind", "2026-03-03", CANONICAL_A)
    assert article.meta.source == str(page)


def test_a_saved_page_in_a_legacy_charset_keeps_the_decoding_rules(tmp_path):
    page = tmp_path / "saved-gbk.html"
    page.write_bytes(news_page_b().replace("<head>", '<head><meta charset="gbk">').encode("gbk"))
    article = read_article(page)
    assert article.text.split("\n") == B_PARAGRAPHS and article.meta.warnings == ()


def test_a_pdf_gives_its_text_layer_as_paragraphs_and_its_metadata(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(A_PARAGRAPHS, title="Port strike", author="Maria Lind"))
    article = read_article(path)
    assert article.format == "pdf"
    assert article.text.split("\n\n") == A_PARAGRAPHS          # wrapped lines joined, one paragraph each
    assert (article.meta.title, article.meta.author, article.meta.date) == ("Port strike", "Maria Lind", "2026-03-03")


def test_a_chinese_pdf_is_joined_without_spaces(tmp_path):
    font = next(iter(Path("/usr/share/fonts").rglob("wqy-zenhei.tt*")), None)
    if font is None:
        pytest.skip("the WenQuanYi Zen Hei font (fonts-wqy-zenhei, installed by .ci/run) is not here")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf_bytes(B_PARAGRAPHS, font=font))
    article = read_article(path)
    assert article.language == "zh" and article.text.split("\n\n") == B_PARAGRAPHS


@pytest.mark.parametrize("kind, data, words", [
    ("no text layer", "scan", ["no text layer", "OCR"]),
    ("password", "encrypted", ["password"]),
    ("damaged", b"%PDF-1.4\nthis is not really a PDF", ["damaged"]),
])
def test_unreadable_pdfs_say_why(tmp_path, kind, data, words):
    if data == "scan":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
        data = bytes(pdf.output())
    elif data == "encrypted":
        data = pdf_bytes(A_PARAGRAPHS, encrypt=True)
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    exc = code_of(lambda: read_article(path))
    assert exc.code == "E025" and "PDF" in exc.message
    for word in words:
        assert word in exc.message


def test_a_docx_gives_its_body_paragraphs_and_its_metadata(tmp_path):
    path = tmp_path / "rewrite.docx"
    path.write_bytes(docx_bytes(B_PARAGRAPHS, title="港口罢工", author="李明", headline="埃尔斯伯格港码头工人罢工"))
    article = read_article(path)
    assert article.format == "docx" and article.language == "zh"
    assert article.text.split("\n\n") == ["埃尔斯伯格港码头工人罢工"] + B_PARAGRAPHS
    assert "footer" not in article.text
    assert (article.meta.title, article.meta.author, article.meta.date) == ("港口罢工", "李明", "2026-03-04")


def test_a_docx_without_properties_takes_its_title_paragraph(tmp_path):
    path = tmp_path / "plain.docx"
    path.write_bytes(docx_bytes(A_PARAGRAPHS, headline="Dock workers strike"))
    article = read_article(path)
    assert article.meta.title == "Dock workers strike"
    assert article.meta.author is None and article.meta.date is None     # python-docx's template values


# -- unsupported inputs ----------------------------------------------------------------------------

XLSX = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
UNSUPPORTED = [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "a JPEG image"),
    ("articles.zip", zip_bytes({"a.txt": "text"}), "a zip archive"),
    ("figures.xlsx", XLSX, "an Excel spreadsheet"),
    ("figures.csv", b"country,exports\nNorvale,23\n", "a CSV table"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy Microsoft Office"),
    ("story.odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
     "OpenDocument text"),
    ("fake.pdf", b"just text named .pdf", "not a PDF"),
]


@pytest.mark.parametrize("name, data, kind", UNSUPPORTED)
def test_each_unsupported_file_names_what_is_supported(tmp_path, name, data, kind):
    path = tmp_path / name
    path.write_bytes(data)
    exc = code_of(lambda: read_article(path))
    assert exc.code == "E024" and kind in exc.message and SUPPORTED_INPUTS in exc.message


def test_an_unknown_binary_names_what_is_supported(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01\x02" * 100)
    exc = code_of(lambda: read_article(path))
    assert exc.code == "E002" and "PDF" in exc.message and "DOCX" in exc.message and "http(s)" in exc.message


def test_sniff_reads_bytes_before_names(tmp_path):
    assert sniff(b"%PDF-1.7 ...", ".txt") == "pdf"
    assert sniff(docx_bytes(["x"]), "") == "docx"
    assert sniff(b"Plain words.", ".txt") == "text" and sniff(b"<html></html>", ".html") == "text"


# -- the CLI, compare() and batch rows -------------------------------------------------------------

@pytest.mark.slow
def test_cli_compare_two_urls_end_to_end(server):
    base, _ = server
    res = runner.invoke(app, ["compare", f"{base}/a.html", f"{base}/b.html"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    a, b = data["articles"]["a"], data["articles"]["b"]
    assert a["format"] == b["format"] == "url"
    assert a["meta"]["author"] == "Maria Lind" and a["meta"]["url"] == CANONICAL_A and b["meta"]["outlet"] == "环球日报"
    assert a["text"].split("\n") == A_PARAGRAPHS and "Our Standards" not in a["text"]
    for side in (a, b):
        for sentence in side["sentences"]:
            assert side["text"][sentence["start"]:sentence["end"]].strip()
    # the same comparison as from the sample's text files: the pages add nothing and lose nothing
    res_txt = runner.invoke(app, ["compare", str(HARBOUR / "a.en.txt"), str(HARBOUR / "b.zh.txt")])
    assert json.loads(res_txt.stdout)["summary"]["counts"] == data["summary"]["counts"]


def test_cli_fetch_failure_is_one_line(server):
    base, _ = server
    res = runner.invoke(app, ["compare", f"{base}/missing.html", str(HARBOUR / "b.zh.txt")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.strip().startswith("error: [E021]") and f"{base}/missing.html" in res.stderr
    res = runner.invoke(app, ["compare", "ftp://example.com/a.txt", str(HARBOUR / "b.zh.txt")])
    assert res.exit_code == 1 and res.stderr.strip().startswith("error: [E024]") and "PDF" in res.stderr


@pytest.mark.slow
def test_compare_reads_a_pdf_and_a_docx(tmp_path, use_m3):
    from app import compare

    (tmp_path / "a.pdf").write_bytes(pdf_bytes(A_PARAGRAPHS, title="Port strike", author="Maria Lind"))
    (tmp_path / "b.docx").write_bytes(docx_bytes(B_PARAGRAPHS, title="港口罢工", author="李明"))
    result = compare(tmp_path / "a.pdf", tmp_path / "b.docx", embedder=use_m3, cache=None)
    a, b = result.articles["a"], result.articles["b"]
    assert (a.format, b.format) == ("pdf", "docx") and (a.meta.author, b.meta.author) == ("Maria Lind", "李明")
    assert result.summary.sentences_b.get("added", 0) >= 1        # the invented commentary paragraph


@pytest.mark.slow
def test_compare_takes_urls_as_the_web_ui_passes_text(server, use_m3):
    """The web UI calls compare() with what the user typed: a URL there is fetched like on the CLI."""
    from app import compare

    base, _ = server
    result = compare(f"{base}/a.html", f"{base}/b.html", embedder=use_m3, cache=None)
    assert result.articles["a"].meta.title.startswith("Dock workers strike") and result.articles["b"].format == "url"


def test_batch_rows_keep_urls_as_urls(tmp_path):
    from app.batch import read_pairs

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "web", "a": "https://example.com/world/a.html",
                                 "b": "https://example.com/b.pdf"}) + "\n", encoding="utf-8")
    (spec,), problems = read_pairs(pairs)
    assert not problems and (spec.a, spec.a_is_path, spec.b_is_path) == ("https://example.com/world/a.html", False, False)


@pytest.mark.slow
def test_a_batch_row_with_urls(tmp_path, server, use_m3):
    from app.batch import BatchOptions, run_batch

    base, _ = server
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("id,a,b\n"
                     f"web,{base}/a.html,{base}/b.html\n"
                     f"gone,{base}/missing.html,{base}/b.html\n"
                     f"ftp,ftp://example.com/a.txt,{base}/b.html\n", encoding="utf-8")
    summary = run_batch(pairs, tmp_path / "out", options=BatchOptions(workers=0))
    assert summary["compared"] == 1 and summary["failed"] == 2
    result = json.loads((tmp_path / "out" / "pairs" / "web.json").read_text(encoding="utf-8"))
    assert result["articles"]["a"]["format"] == "url" and result["articles"]["a"]["meta"]["author"] == "Maria Lind"
    errors = {r["id"]: r for r in map(json.loads, (tmp_path / "out" / "errors.jsonl").read_text().splitlines())}
    assert errors["gone"]["code"] == "E021" and f"{base}/missing.html" in errors["gone"]["error"]
    assert errors["ftp"]["code"] == "E024" and "http(s)" in errors["ftp"]["error"]


# -- issue 23: deadlines that hold, and no second resolution -------------------------------------------

def _drip_server(first_line: bytes):
    """A server that sends ``first_line`` and then one byte a second, forever (until the client goes)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            def drip(conn=conn):
                try:
                    conn.recv(4096)
                    conn.sendall(first_line)
                    for _ in range(120):
                        time.sleep(1)
                        conn.sendall(b"x")
                except OSError:
                    pass
                finally:
                    conn.close()
            threading.Thread(target=drip, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener


@pytest.mark.parametrize("first_line", [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",          # a body that never ends
    b"HTTP/1.1 200 OK\r\nX-Slow",                                    # headers that never end
])
def test_a_slow_server_ends_in_a_coded_error_within_the_deadline(first_line):
    listener = _drip_server(first_line)
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/drip"
        started = time.monotonic()
        exc = code_of(lambda: fetch_url(url, what="article a", options=FetchOptions(timeout=5, deadline=2)))
        assert exc.code == "E020" and "longer than 2 s" in exc.message and url in exc.message
        assert time.monotonic() - started < 2 + 5      # the deadline, not the drip, ended it
    finally:
        listener.close()


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """DNS rebinding: a public answer for the check, 127.0.0.1 for a second lookup. One lookup only."""
    answers = iter(["93.184.216.34", "127.0.0.1"])
    looked_up, connected = [], []

    def resolver(host, port, *args, **kwargs):
        address = next(answers)
        looked_up.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def recording_connect(address, timeout=None, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError(111, "refused (test: nothing is contacted)")

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(socket, "create_connection", recording_connect)
    exc = code_of(lambda: fetch_url("http://rebinding.news-test.org/a", what="article a",
                                    options=FetchOptions(allow_private=False)))
    assert exc.code == "E020"
    assert looked_up == ["93.184.216.34"] and connected == ["93.184.216.34"]


def test_a_private_address_is_refused_at_connect_time(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))])
    exc = code_of(lambda: fetch_url("http://intranet.news-test.org/a", what="article a",
                                    options=FetchOptions(allow_private=False)))
    assert exc.code == "E020" and "private address (10.1.2.3)" in exc.message
    assert "http://intranet.news-test.org/a" in exc.message
