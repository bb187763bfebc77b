"""The web UI in-process: endpoint, handlers, views, errors, uploads (no server, no browser)."""

from __future__ import annotations

import json
import os
import re
from types import SimpleNamespace

import gradio as gr
import pytest
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.result import Result
from app.settings import Settings
from app.web import build_demo, engine, inputs, views
from app.web.ui import Handlers
from models.registry import list_models
from tests.conftest import SAMPLES

NORVALE = SAMPLES / "norvale"
A_TEXT = (NORVALE / "a.en.txt").read_text(encoding="utf-8")
B_TEXT = (NORVALE / "b.zh.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(use_m3):
    return build_demo(Settings())


@pytest.fixture(scope="module")
def ui_outputs(use_m3):
    handlers = Handlers(Settings())
    return handlers.compare_ui(A_TEXT, B_TEXT, "auto", "auto", "Wirewatch", "", "", "", "use-m3",
                               progress=lambda *a, **k: None)


def test_build_demo_does_not_launch(demo):
    assert isinstance(demo, gr.Blocks)
    assert not demo.is_running
    names = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert names == {"compare", "compare-many"}          # each named after its CLI command
    assert demo.analytics_enabled is False and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert demo._queue.default_concurrency_limit == 2


@pytest.mark.slow
def test_compare_endpoint_returns_the_json_result(demo, use_m3):
    from app import compare

    data = demo(A_TEXT, B_TEXT, "auto", "auto", "use-m3", api_name="compare")
    result = Result.from_json(data, validate=True)
    assert result.articles["a"].text == A_TEXT and result.articles["b"].language == "zh"
    expected = compare(A_TEXT, B_TEXT, embedder=use_m3, cache=None)       # the defaults, as the server has them
    assert result.summary.counts == expected.summary.counts and result.summary.possible == expected.summary.possible
    assert [(s.kind, s.confidence) for s in result.spans] == [(s.kind, s.confidence) for s in expected.spans]


OUTPUT_NAMES = ["result", "result_area", "digest", "comparison", "summary", "table", "kinds", "shared", "glosses",
                "translations", "reading", "status", "details"]


def panels(outputs) -> dict:
    named = dict(zip(OUTPUT_NAMES, outputs))
    named["downloads"] = list(outputs[len(OUTPUT_NAMES):])
    return named


@pytest.mark.slow
def test_compare_handler_fills_every_panel(ui_outputs):
    out = panels(ui_outputs)
    result = out["result"]
    assert isinstance(result, Result) and result.articles["a"].meta.outlet == "Wirewatch"
    assert out["result_area"]["visible"] is True
    shown = {m.group(1): int(m.group(2))
             for m in re.finditer(r'data-kind="(\w+)">(\d+)<', out["summary"])}
    assert shown == result.summary.counts and shown                  # differences only
    shared = sum(not s.difference and s.confidence is None for s in result.spans)
    possible = sum(not s.difference and s.confidence is not None for s in result.spans)
    assert f'<td class="fd-count-shared">{shared}</td>' in out["summary"]
    assert f'<td class="fd-count-possible">{possible}</td>' in out["summary"]
    assert possible == sum(result.summary.possible.values())
    # every kind is offered, always in the same order (each keeps its swatch), with its count of differences
    assert [kind for _, kind in out["kinds"]["choices"]] == views.KIND_ORDER == out["kinds"]["value"]
    assert all(f"({result.summary.counts.get(kind, 0)})" in label for label, kind in out["kinds"]["choices"])
    assert out["translations"]["visible"] is False
    assert out["glosses"]["visible"] is True and out["glosses"]["value"] is False     # b is Chinese
    assert "dictionary glosses, not a translation" in out["reading"]
    assert "What changed from a to b" in out["digest"] and "fd-dg-item" in out["digest"]
    # plain status; the jargon is in the details
    assert "sentences" in out["status"] and result.config_hash not in out["status"]
    assert result.config_hash in out["details"] and result.signature in out["details"]
    rows = out["table"]["value"]["data"]
    covered_a = sorted(i for row in rows for i, sent in enumerate(result.articles["a"].sentences)
                       if row[0] and sent_text(result, "a", i) in row[0])
    assert covered_a == list(range(len(result.articles["a"].sentences)))
    assert {row[3] for row in rows} <= {"kept", "reworded", "omitted", "added"}
    for button in out["downloads"]:
        assert button["interactive"] and button["value"]
    assert str(out["downloads"][0]["value"]).endswith(".json")        # "Save comparison" comes first


@pytest.mark.slow
def test_digest_links_point_into_the_comparison(ui_outputs):
    out = panels(ui_outputs)
    ids = set(re.findall(r' id="(fdweb-s-[ab]\d+)"', out["comparison"]))
    links = re.findall(r'href="#(fdweb-s-[ab]\d+)"', out["digest"])
    assert links and set(links) <= ids


def sent_text(result, side, i):
    sent = result.articles[side].sentences[i]
    return result.articles[side].text[sent.start:sent.end]


@pytest.mark.slow
def test_downloads_hold_the_stored_result(ui_outputs):
    out = panels(ui_outputs)
    json_path = next(b["value"] for b in out["downloads"] if str(b["value"]).endswith(".json"))
    saved = Result.from_json(open(json_path, encoding="utf-8").read())
    assert saved == out["result"]
    from app.web import downloads

    digest_path = out["downloads"][downloads.formats().index("digest")]["value"]
    assert open(digest_path, encoding="utf-8").read().startswith("What changed from a to b")
    # the reports people read do not say where a typed-in text "came from"; the data keeps it
    html_path = next(b["value"] for b in out["downloads"] if str(b["value"]).endswith(".html"))
    assert engine.WEB_SOURCE not in open(html_path, encoding="utf-8").read()
    assert saved.articles["a"].meta.source == engine.WEB_SOURCE


@pytest.mark.slow
def test_filters_rerender_from_state_without_recomputing(ui_outputs, monkeypatch):
    result = ui_outputs[0]

    def no_recompute(*args, **kwargs):
        raise AssertionError("a filter must not run the comparison again")

    monkeypatch.setattr(engine, "compare", no_recompute)
    handlers = Handlers(Settings())
    only_omitted = views.with_kinds(result, ["omitted"], shared=False)
    assert {s.kind.value for s in only_omitted.spans} == {"omitted"}
    assert len(only_omitted.spans) == result.summary.counts["omitted"]
    assert len(result.spans) > len(only_omitted.spans)  # the stored result itself is untouched
    marked = lambda html: set(re.findall(r'<mark class="fd-span fd-k-(\w+)"', html))  # noqa: E731
    shared = lambda html: len(re.findall(r'<mark class="fd-span fd-k-\w+ fd-shared"', html))  # noqa: E731
    html, note = handlers.refilter(result, views.kinds_present(result), False, False, False)
    assert marked(html) == set(views.kinds_present(result)) and shared(html) == 0
    assert marked(handlers.refilter(result, ["omitted"], False, False, False)[0]) == {"omitted"}
    assert marked(handlers.refilter(result, [], False, False, False)[0]) == set()
    n_shared = sum(not s.difference for s in result.spans)
    assert n_shared and shared(handlers.refilter(result, [], True, False, False)[0]) >= n_shared
    lines_off, note_off = handlers.refilter(result, views.KIND_ORDER, True, False, False)
    lines_on, note_on = handlers.refilter(result, views.KIND_ORDER, True, True, False)
    assert '<input type="checkbox" class="fd-switch fd-toggle-gl" id="fdweb-t-gl" checked' in lines_on
    assert "fdweb-t-gl\" checked" not in lines_off
    assert "shown under each sentence" in note_on and "switch on *Word glosses*" in note_off


@pytest.mark.slow
def test_a_saved_comparison_opens_without_a_model(ui_outputs, monkeypatch, tmp_path):
    out = panels(ui_outputs)
    saved = next(b["value"] for b in out["downloads"] if str(b["value"]).endswith(".json"))
    monkeypatch.setattr(engine, "compare", lambda *a, **k: pytest.fail("opening must not compare"))
    monkeypatch.setattr(engine, "embedder_for", lambda *a, **k: pytest.fail("opening must not load a model"))
    opened = panels(Handlers(Settings()).open_saved(saved))
    assert opened["result"] == out["result"]
    assert opened["digest"] == out["digest"] and opened["comparison"] == out["comparison"]
    assert opened["status"].startswith("Opened a saved comparison") and "nothing compared again" in opened["status"]
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "framediff.result/1"}', encoding="utf-8")
    assert _gr_error(Handlers(Settings()).open_saved, str(broken)).startswith("[E014]")
    broken.write_text("not json", encoding="utf-8")
    assert _gr_error(Handlers(Settings()).open_saved, str(broken)).startswith("[E014]")


@pytest.mark.slow
def test_progress_names_the_real_steps_in_order(use_m3):
    from app.pipeline import STEPS
    from app.web.progress import step_label

    seen = []
    Handlers(Settings()).compare_ui(A_TEXT, B_TEXT, "auto", "auto", "", "", "", "", "use-m3",
                                    progress=lambda fraction, desc=None: seen.append((fraction, desc)))
    labels = [desc for _, desc in seen]
    assert labels[0] == "Starting" and labels[-1] == "Drawing the result and writing the downloads"
    steps = [label for label in labels[1:-1]]
    order = [step_label("read"), *(step_label(name) for name, _ in STEPS)]
    assert steps and all(label in order for label in steps)
    assert [order.index(label) for label in steps] == sorted(order.index(label) for label in steps)
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions)


def test_progress_reports_the_step_the_worker_is_in(monkeypatch):
    """Deterministic: the step holds until the reporter has named it."""
    import threading

    from app import pipeline
    from app.web.progress import run_with_steps

    release = threading.Event()

    def held(work):
        assert release.wait(30)
        return "done"

    monkeypatch.setattr(pipeline, "STEPS", [("align", held)])
    seen = []
    result = run_with_steps(lambda: held(None), lambda label, fraction: (seen.append((label, fraction)), release.set()))
    assert result == "done" and seen == [("Aligning sentences", 0.05 + 0.85 / 2)]
    with pytest.raises(ZeroDivisionError):                  # what the work raises reaches the caller
        run_with_steps(lambda: 1 / 0, lambda *a: None)


def test_an_address_wins_over_the_text_area(monkeypatch):
    calls = []
    monkeypatch.setattr("app.web.ui.compare_texts", lambda a, b, **k: calls.append((a, b)) or _raise())
    handlers = Handlers(Settings())
    with pytest.raises(gr.Error):                   # the stand-in fails once it has seen the sources
        handlers.compare_ui("typed a", "typed b", "auto", "auto", "", "", "", "", "use-m3",
                            url_a="  https://example.invalid/a  ", url_b="", progress=lambda *a, **k: None)
    assert calls == [("https://example.invalid/a", "typed b")]


class _Stop(Exception):
    pass


def _raise():
    raise _Stop


def test_text_note_says_when_a_text_is_too_long():
    handlers = Handlers(Settings(max_chars=30_000))
    assert "too long" not in handlers.text_note(A_TEXT * 20, "a")
    assert "**too long**: this server compares at most 30,000 characters" in handlers.text_note(A_TEXT * 31, "a")


def test_filter_legend_gives_each_kind_its_pattern():
    css = views.filter_legend_css()
    for n, kind in enumerate(views.KIND_ORDER, 1):
        from app.export.html_view import KIND_STYLE

        assert f"label:nth-of-type({n})::after" in css and KIND_STYLE[kind][0] in css
    legend = views.legend_html()
    assert "Wording both carry" in legend and "wavy underline" in legend


@pytest.mark.slow
def test_model_loads_once_per_process(use_m3):
    handlers = Handlers(Settings())
    first = engine.embedder_for("use-m3")
    for _ in range(2):
        handlers.compare_api(A_TEXT, B_TEXT)
    assert engine.embedder_for("use-m3") is first
    assert first.embedder is use_m3  # the registry's single instance, shared with the rest of the process
    assert engine.loaded_models() == ["use-m3"]


def _gr_error(fn, *args, **kwargs) -> str:
    with pytest.raises(gr.Error) as info:
        fn(*args, **kwargs)
    return info.value.message


@pytest.mark.slow
def test_input_errors_are_coded_readable_messages():
    handlers = Handlers(Settings(max_chars=2000))
    assert _gr_error(handlers.compare_api, "   \n", B_TEXT).startswith("[E001] article a is empty")
    too_long = _gr_error(handlers.compare_api, A_TEXT * 3, B_TEXT)
    assert too_long.startswith("[E005]") and "serve --max-chars" in too_long
    hindi = "भारत सरकार ने आज नई नीति की घोषणा की। यह नीति किसानों के लिए है। मंत्री ने कहा कि यह ऐतिहासिक है।"
    uncovered = _gr_error(handlers.compare_api, A_TEXT, hindi)
    assert uncovered.startswith("[E004]") and "Language menu of article b" in uncovered
    assert "Traceback" not in uncovered and "--lang-b" not in uncovered


def test_uploads_are_decoded(tmp_path):
    gbk = tmp_path / "b.txt"
    gbk.write_bytes("诺瓦尔半导体公司周一表示，公司遵守所有出口管制法律。".encode("gb18030"))
    assert inputs.read_upload(gbk, side="b", max_bytes=10_000).startswith("诺瓦尔半导体公司")
    page = tmp_path / "a.html"
    body = " ".join(["Norvale Semiconductor shipped chip-making equipment to a distributor in Malaysia."] * 4)
    page.write_text(f"<html><head><title>t</title></head><body><nav>Home | World | Markets</nav>"
                    f"<article><h1>Norvale</h1><p>{body}</p><p>{body}</p></article>"
                    f"<footer>Copyright</footer></body></html>", encoding="utf-8")
    text = inputs.read_upload(page, side="a", max_bytes=100_000)
    assert "Norvale Semiconductor shipped" in text and "<p>" not in text
    with pytest.raises(Exception, match=r"E040"):
        inputs.read_upload(page, side="a", max_bytes=100)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 hello")
    with pytest.raises(Exception, match=r"E025.*damaged"):
        inputs.read_upload(pdf, side="a", max_bytes=100_000)
    from tests.text.test_sources import docx_bytes

    word = tmp_path / "b.docx"
    word.write_bytes(docx_bytes(["港口工人周二罢工。", "约1400名会员参加了罢工。"]))
    assert inputs.read_upload(word, side="b", max_bytes=100_000) == "港口工人周二罢工。\n\n约1400名会员参加了罢工。"
    sheet = tmp_path / "a.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(Exception, match=r"E024.*Supported: .*PDF"):
        inputs.read_upload(sheet, side="a", max_bytes=100_000)


def test_upload_handler_shows_error_as_gr_error(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02" * 50)
    message = _gr_error(Handlers(Settings()).upload, str(blob), "a")
    assert message.startswith("[E002]")


def test_language_is_detected_and_shown():
    assert "**English** (`en`)" in inputs.detected_language_note(A_TEXT, side="a")
    assert "**Chinese** (`zh`)" in inputs.detected_language_note(B_TEXT, side="b")
    assert inputs.detected_language_note("  ", side="a") == "Language: —"


def test_model_choices_are_present_models_default_first():
    choices = inputs.model_choices()
    names = [name for _, name in choices]
    assert names[0] == "use-m3" and "hash" not in names
    known = {spec.name for spec in list_models()}
    assert set(names) <= known
    languages = dict((code, label) for label, code in inputs.language_choices("use-m3"))
    assert languages["auto"] == "Auto-detect" and languages["zh"] == "Chinese" and "hi" not in languages


def test_example_is_the_sample_pair():
    handlers = Handlers(Settings())
    a_text, b_text, outlet_a, title_a, outlet_b, title_b, lang_a, lang_b, url_a, url_b = handlers.example()
    meta = json.loads((NORVALE / "meta.json").read_text(encoding="utf-8"))
    assert (a_text, b_text) == (A_TEXT, B_TEXT)
    assert (outlet_a, title_b) == (meta["outlet_a"], meta["title_b"])
    assert lang_a == lang_b == "auto" and url_a == url_b == ""


def test_frame_chart_reads_the_optional_frames_block():
    from app.steps.frame_shares import frames_record

    frames = frames_record(["economic", "economic", "morality", "other"], ["economic", "legality", "legality"])
    shares = views.frame_shares(SimpleNamespace(frames=frames))
    assert shares[0] == ("legality", 0.0, 0.6667)
    assert ("economic", 0.5, 0.3333) in shares and not any(name == "policy" for name, _, _ in shares)
    assert views.frame_shares(SimpleNamespace(frames=None)) == []
    odd = frames.model_copy(update={"a": {"<b>x</b>": 1.0}, "b": {}, "shift": {"<b>x</b>": -1.0}})
    svg = views.frame_chart_svg(SimpleNamespace(frames=odd))
    assert "<b>x</b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg


@pytest.mark.slow
def test_serve_check_runs_the_real_endpoint():
    res = CliRunner().invoke(cli_app, ["serve", "--check"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout.strip().splitlines()[-1])
    assert report["ok"] and report["endpoint"] == "/compare" and report["sentences_a"] == 10


@pytest.mark.slow
def test_translation_toggle_shows_and_hides_stored_translations(ui_outputs):
    result = ui_outputs[0]
    b = result.articles["b"]
    marker = "ZQX translated sentence"
    translated_b = b.model_copy(update={"sentences": [
        s.model_copy(update={"translation": f"{marker} {s.index}", "translation_model": "user"}) for s in b.sentences]})
    translated = result.model_copy(update={"articles": {"a": result.articles["a"], "b": translated_b}})
    assert views.has_translations(translated) and not views.has_translations(result)
    handlers = Handlers(Settings())
    kinds = views.kinds_present(translated)
    html_on, note_on, table_on = handlers.toggle_translations(translated, kinds, True, False, True)
    html_off, note_off, table_off = handlers.toggle_translations(translated, kinds, True, False, False)
    assert f"{marker} 0" in html_on and marker not in html_off
    assert "machine translations" in note_on and "(by user)" in note_on
    assert "dictionary glosses, not a translation" in note_off
    assert "translation of b" in table_on["value"]["headers"]
    assert any(f"{marker} 0" in cell for row in table_on["value"]["data"] for cell in map(str, row))
    assert table_off["value"]["headers"] == views.alignment_headers()
    assert views.has_translations(translated)  # toggling never changes the stored result


def test_translation_choices_are_present_models_only():
    choices = inputs.translation_choices()
    if choices:
        assert choices[0][1] == inputs.NO_TRANSLATION
        kinds = {spec.name: spec.kind for spec in list_models()}
        assert all(kinds[name] == "translation" for _, name in choices[1:])


def test_serve_check_fails_with_one_line_and_exit_1():
    res = CliRunner().invoke(cli_app, ["serve", "--check", "--max-chars", "100"])
    assert res.exit_code == 1
    line = res.stderr.strip()
    assert line.startswith("error: [E010] serve --check: /compare failed: [E005]") and "\n" not in line


@pytest.mark.slow
def test_parallel_text_box_reaches_the_aligner(ui_outputs):
    handlers = Handlers(Settings())
    parallel = handlers.compare_ui(A_TEXT, B_TEXT, "auto", "auto", "", "", "", "", "use-m3", None, True,
                                   progress=lambda *a, **k: None)[0]
    plain = ui_outputs[0]
    assert parallel.settings["attach_unaligned"] is True and plain.settings["attach_unaligned"] is False
    assert parallel.config_hash != plain.config_hash
    # norvale is a rewrite: its added asides stay added even with the box ticked (tests/test_pipeline.py)
    assert parallel.summary.counts["added"] == plain.summary.counts["added"] > 0


def test_parallel_text_box_starts_from_the_servers_setting(use_m3):
    def box(demo):
        return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "fd-parallel")

    assert box(build_demo(Settings())).value is False
    assert box(build_demo(Settings(attach_unaligned=True))).value is True


@pytest.mark.slow
def test_url_fields_read_pages_through_the_input_path(use_m3, monkeypatch):
    """The address fields reach read_article (app/text/sources.py), like compare URL URL on the command line."""
    import http.server
    import threading

    import app.text.fetch as fetch
    from tests.text.test_sources import Handler, routes

    monkeypatch.setattr(fetch, "DEFAULT_OPTIONS", fetch.FetchOptions(allow_private=True))   # the test's own server
    handler = type("Routes", (Handler,), {"routes": routes(), "requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        out = panels(Handlers(Settings()).compare_ui("", "", "auto", "auto", "", "", "", "", "use-m3",
                                                     url_a=f"{base}/a.html", url_b=f"{base}/b.html",
                                                     progress=lambda *a, **k: None))
    finally:
        httpd.shutdown()
        httpd.server_close()
    result = out["result"]
    assert result.articles["a"].meta.outlet == "Wirewatch" and result.articles["b"].language == "zh"
    assert "Our Standards" not in result.articles["a"].text
    assert "a: Wirewatch" in out["digest"]                       # the page's outlet names the side
    assert {path for path, _ in handler.requests} == {"/a.html", "/b.html"}
