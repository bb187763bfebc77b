"""The Gradio Blocks: layout and event wiring. ``build_demo`` never launches anything.

Handlers are thin: ``compare`` runs once per click (engine.compare_texts), its Result goes into
``gr.State``, and the digest, filters, glosses, the translation toggle and the downloads all
re-render from that stored Result without recomputing. A saved comparison (the JSON download)
opens the same way, with no model.

Layout, top to bottom: the two articles (URL, text, upload, outlet and title), the actions
(example, open a saved comparison, compare), options; then the result: downloads, "What changed"
(the digest), the filters (which are also the legend), the comparison with the summary beside it,
and, folded away, the sentence alignment and the technical details.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ..errors import FrameDiffError
from ..export.files import load_result
from ..text.language import language_name
from ..result import Result
from ..settings import Settings
from . import downloads, inputs, views
from .engine import compare_texts, web_message
from .many_tab import build_many_tab
from .progress import run_with_steps
from .render import comparison_html, comparison_placeholder

log = logging.getLogger("framediff.web")

INTRO = ("## FrameDiff\n"
         "Compare a news report (**a**, e.g. the wire story) with a rewrite of it (**b**), in the same "
         "language or across languages: FrameDiff lists what the rewrite added, dropped and reframed, "
         "each finding quoted from both sides.")
SIDE_TITLES = {"a": "Article a: the source (e.g. the wire report)", "b": "Article b: the rewrite"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The attach_unaligned setting (docs/method.md, "Alignment"): right for translations, wrong for rewrites.
PARALLEL_INFO = ("Parallel text: a sentence left over joins its neighbour's link (fragments of a split "
                 "sentence). Leave off for rewrites, where such sentences are additions and omissions.")
RESULT_PLACEHOLDER = '<p class="fd-muted">The summary appears here.</p>'


class Handlers:
    """Event handlers bound to the server's settings."""

    def __init__(self, settings: Settings, *, time_budget: float | None = None):
        self.settings = settings
        self.time_budget = time_budget

    # -- inputs ---------------------------------------------------------------------------
    def upload(self, path: str | None, side: str) -> tuple[str, str]:
        if not path:
            return gr.update(), gr.update()
        try:
            read = inputs.read_upload_file(path, side=side, max_bytes=MAX_UPLOAD_BYTES)
        except FrameDiffError as exc:
            raise gr.Error(web_message(exc), title="Cannot read the file", print_exception=False) from None
        for warning in read.warnings:     # a guessed encoding: the user must see it before comparing
            gr.Warning(warning, duration=None, title="Check the text")
        return read.text, self.text_note(read.text, side)

    def text_note(self, text: str, side: str) -> str:
        """The line under a text area: the language, the size, and the limit when it is passed."""
        note = inputs.detected_language_note(text, side=side)
        if len(text or "") > self.settings.max_chars:
            note += (f" · **too long**: this server compares at most {self.settings.max_chars:,} characters "
                     "per article")
        return note

    def example(self) -> tuple:
        ex = inputs.load_example()
        return (ex.a_text, ex.b_text, ex.outlet_a, ex.title_a, ex.outlet_b, ex.title_b,
                inputs.AUTO, inputs.AUTO, "", "")

    def model_changed(self, model: str, lang_a: str, lang_b: str) -> tuple:
        choices = inputs.language_choices(model)
        codes = {code for _, code in choices}
        return (gr.update(choices=choices, value=lang_a if lang_a in codes else inputs.AUTO),
                gr.update(choices=choices, value=lang_b if lang_b in codes else inputs.AUTO))

    # -- compare --------------------------------------------------------------------------
    def compare_ui(self, a_text, b_text, lang_a, lang_b, outlet_a, title_a, outlet_b, title_b, model,
                   translate_model=None, parallel=None, url_a="", url_b="", progress=gr.Progress()) -> tuple:
        """Compare from the input panel; an address (URL field) wins over the text area of its side."""
        source_a, source_b = (url_a or "").strip() or a_text, (url_b or "").strip() or b_text
        progress(0.02, desc="Starting")
        result = run_with_steps(
            lambda: self._run(source_a, source_b, model=model, lang_a=lang_a, lang_b=lang_b,
                              outlet_a=outlet_a, title_a=title_a, outlet_b=outlet_b, title_b=title_b,
                              translate_model=translate_model, attach_unaligned=parallel),
            lambda label, fraction: progress(fraction, desc=label))
        progress(0.93, desc="Drawing the result and writing the downloads")
        return self.show(result, status=status_line(result))

    def open_saved(self, path: str | None) -> tuple:
        """Open a saved comparison (the JSON download): shown as it was, no model needed."""
        if not path:
            raise gr.Error("No file was given.", title="Cannot open the comparison", print_exception=False)
        try:
            result = load_result(Path(path), shown_as=Path(path).name)
        except FrameDiffError as exc:
            raise gr.Error(web_message(exc), title="Cannot open the comparison", duration=None,
                           print_exception=False) from None
        status = (f"Opened a saved comparison ({Path(path).name}, FrameDiff {result.framediff_version}): "
                  "shown as it was saved, nothing compared again.")
        return self.show(result, status=status)

    def show(self, result: Result, *, status: str) -> tuple:
        """Every panel of the result, in the order of :func:`result_outputs`."""
        files = downloads.write_exports(result)
        translated = views.has_translations(result)
        glossable = bool(views.glossed_sides(result))
        return (result,
                gr.update(visible=True),
                views.digest_panel(result),
                comparison_html(result, translations=translated),
                views.summary_html(result),
                self._table(result, translations=translated),
                gr.update(choices=views.kind_choices(result), value=list(views.KIND_ORDER)),
                gr.update(value=True),
                gr.update(visible=glossable, value=False),
                gr.update(visible=translated, value=translated),
                views.reading_note(result, translations=translated, gloss_lines=False),
                status,
                views.details_html(result),
                *[gr.update(value=files.get(fmt), interactive=fmt in files) for fmt in downloads.formats()])

    def compare_api(self, a_text: str, b_text: str, lang_a: str = inputs.AUTO, lang_b: str = inputs.AUTO,
                    model: str = "") -> dict:
        """Compare article a (the source) with article b (the rewrite); returns the JSON result."""
        return self._run(a_text, b_text, model=model or self.settings.model,
                         lang_a=lang_a, lang_b=lang_b).to_dict()

    def _run(self, a_text, b_text, *, model, **options) -> Result:
        try:
            return compare_texts(a_text, b_text, settings=self.settings, model=model,
                                 budget_seconds=self.time_budget, **options)
        except FrameDiffError as exc:
            raise gr.Error(web_message(exc), title="Cannot compare", duration=None,
                           print_exception=False) from None
        except Exception as exc:  # a bug, not bad input: log it, show one line
            log.exception("compare failed")
            raise gr.Error(f"Internal error ({type(exc).__name__}); the server log has the details.",
                           title="Cannot compare", duration=None, print_exception=False) from None

    # -- re-rendering from the stored result ----------------------------------------------
    def refilter(self, result: Result | None, kinds: list[str], shared: bool, gloss_lines: bool,
                 translations: bool) -> tuple:
        """The comparison with the chosen kinds, shared wording, gloss lines and translations; no recompute."""
        if result is None:
            return comparison_placeholder(), ""
        shown = views.with_kinds(result, kinds, shared=shared)
        return (comparison_html(shown, translations=translations, gloss_lines=gloss_lines),
                views.reading_note(result, translations=translations, gloss_lines=gloss_lines))

    def toggle_translations(self, result: Result | None, kinds: list[str], shared: bool, gloss_lines: bool,
                            translations: bool) -> tuple:
        if result is None:
            return comparison_placeholder(), "", gr.update()
        return (*self.refilter(result, kinds, shared, gloss_lines, translations),
                self._table(result, translations=translations))

    @staticmethod
    def _table(result: Result, *, translations: bool):
        return gr.update(value={"headers": views.alignment_headers(translations=translations),
                                "data": views.alignment_rows(result, translations=translations)})


def status_line(result: Result) -> str:
    """One plain line after a comparison: what was compared and how long it took, then any warnings."""
    a, b = result.articles["a"], result.articles["b"]
    total = result.timings.get("total")
    took = "" if total is None else f" in {total:.1f} s" if total >= 1 else f" in {total * 1000:.0f} ms"
    warnings = "".join(f"\n\n⚠ {w}" for side in "ab" for w in result.articles[side].meta.warnings)
    return (f"Compared {len(a.sentences)} sentences of a ({language_name(a.language)}) with "
            f"{len(b.sentences)} of b ({language_name(b.language)}){took}.{warnings}")


def build_demo(settings: Settings | None = None, *, concurrency: int = 2,
               time_budget: float | None = None) -> gr.Blocks:
    """The FrameDiff web UI as a queued ``gr.Blocks``; launching is the caller's job.

    At most ``concurrency`` comparisons run at once (one queue for the UI and the API); each is
    stopped with E041 after ``time_budget`` seconds, so others wait at most that long for a slot.
    """
    settings = settings or Settings()
    handlers = Handlers(settings, time_budget=time_budget)
    models = inputs.model_choices()
    default_model = settings.model if settings.model in {name for _, name in models} else (
        models[0][1] if models else settings.model)
    with gr.Blocks(title="FrameDiff", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        result_state = gr.State(None)
        gr.HTML(views.filter_legend_css(), elem_id="fd-legend-style", padding=False)
        gr.Markdown(INTRO, elem_classes="fd-intro")
        with gr.Tabs(elem_id="fd-tabs"):
            with gr.Tab("Two articles", elem_id="fd-tab-two"):
                side = {}
                with gr.Row(equal_height=True):
                    for name in ("a", "b"):
                        with gr.Column(variant="panel"):
                            side[name] = _side_inputs(name, settings, default_model)
                with gr.Row(elem_classes="fd-actions"):
                    example = gr.Button("Load example", scale=1, elem_id="fd-example")
                    open_saved = gr.UploadButton("Open a saved comparison (.json)", file_types=[".json"], type="filepath",
                                                 variant="secondary", scale=1, elem_id="fd-open")
                    run = gr.Button("Compare", variant="primary", scale=2, elem_id="fd-compare")
                with gr.Accordion("Options: model, translation, parallel text", open=False, elem_id="fd-options"):
                    with gr.Row():
                        model = gr.Dropdown(models, value=default_model, label="Embedding model",
                                            info="Models present on this machine", scale=2, elem_id="fd-model")
                        translators = inputs.translation_choices()
                        translate_model = gr.Dropdown(translators or [("No translation", inputs.NO_TRANSLATION)],
                                                      value=inputs.NO_TRANSLATION, label="Translate sentences with",
                                                      info="Translation models present on this machine", scale=2,
                                                      visible=bool(translators), elem_id="fd-translate-model")
                        parallel = gr.Checkbox(settings.attach_unaligned, label="b is a translation of a",
                                               info=PARALLEL_INFO, scale=2, elem_id="fd-parallel")
                status = gr.Markdown("", elem_id="fd-status")

                with gr.Column(visible=False, elem_id="fd-result") as result_area:
                    with gr.Row(elem_classes="fd-downloads", elem_id="fd-downloads"):
                        buttons = [gr.DownloadButton(downloads.label(fmt), interactive=False, size="sm",
                                                     variant="primary" if fmt == "json" else "secondary",
                                                     elem_id=f"fd-download-{fmt}") for fmt in downloads.formats()]
                    digest = gr.HTML("", elem_id="fd-digest")
                    with gr.Row(elem_classes="fd-filters", equal_height=True):
                        kinds = gr.CheckboxGroup(views.kind_choices(), value=list(views.KIND_ORDER),
                                                 label="Show differences of kind (the swatch is how each is marked)",
                                                 elem_id="fd-kinds", scale=5)
                        with gr.Column(scale=2, min_width=240):
                            shared = gr.Checkbox(True, label="Wording both carry (muted, not counted)", elem_id="fd-shared-toggle")
                            glosses = gr.Checkbox(False, label="Word glosses under Chinese sentences", visible=False,
                                                  elem_id="fd-glosses")
                            translations = gr.Checkbox(False, label="Show translations", visible=False,
                                                       elem_id="fd-translations")
                    reading = gr.Markdown("", elem_id="fd-reading", elem_classes="fd-note")
                    with gr.Accordion("What the marks mean", open=False, elem_id="fd-legend"):
                        gr.HTML(views.legend_html())
                    with gr.Row():
                        with gr.Column(scale=3):
                            comparison = gr.HTML(comparison_placeholder(), elem_id="fd-comparison")
                        with gr.Column(scale=1, min_width=320):
                            summary = gr.HTML(RESULT_PLACEHOLDER, elem_id="fd-summary", label="Summary")
                    with gr.Accordion("Sentence alignment", open=False, elem_id="fd-alignment-panel"):
                        table = gr.Dataframe(headers=views.alignment_headers(), datatype="str", interactive=False,
                                             wrap=True, elem_id="fd-alignment", column_widths=["42%", "42%", "8%", "8%"])
                    with gr.Accordion("Details: model, settings hash, signature, timings", open=False, elem_id="fd-details"):
                        details = gr.HTML("", elem_id="fd-details-body")
            with gr.Tab("Many outlets", elem_id="fd-tab-many"):
                build_many_tab(settings, models=models, default_model=default_model, time_budget=time_budget)

        outputs = [result_state, result_area, digest, comparison, summary, table, kinds, shared, glosses,
                   translations, reading, status, details, *buttons]
        for name in ("a", "b"):
            parts = side[name]
            parts["upload"].upload(lambda path, n=name: handlers.upload(path, n), parts["upload"],
                                   [parts["text"], parts["note"]], api_visibility="private")
            parts["text"].change(lambda text, n=name: handlers.text_note(text, n),
                                 parts["text"], parts["note"], trigger_mode="always_last",
                                 show_progress="hidden", api_visibility="private", queue=False)
        fields = [side["a"]["text"], side["b"]["text"], side["a"]["outlet"], side["a"]["title"],
                  side["b"]["outlet"], side["b"]["title"], side["a"]["lang"], side["b"]["lang"],
                  side["a"]["url"], side["b"]["url"]]
        example.click(handlers.example, None, fields, api_visibility="private", queue=False)
        model.change(handlers.model_changed, [model, side["a"]["lang"], side["b"]["lang"]],
                     [side["a"]["lang"], side["b"]["lang"]], api_visibility="private", queue=False)
        run.click(handlers.compare_ui,
                  [side["a"]["text"], side["b"]["text"], side["a"]["lang"], side["b"]["lang"],
                   side["a"]["outlet"], side["a"]["title"], side["b"]["outlet"], side["b"]["title"], model,
                   translate_model, parallel, side["a"]["url"], side["b"]["url"]],
                  outputs, api_visibility="private", concurrency_id="compare", show_progress_on=[status])
        open_saved.upload(handlers.open_saved, open_saved, outputs, api_visibility="private",
                          show_progress_on=[status])
        view_inputs = [result_state, kinds, shared, glosses, translations]
        for control in (kinds, shared, glosses):
            control.change(handlers.refilter, view_inputs, [comparison, reading],
                           api_visibility="private", show_progress="hidden", queue=False)
        translations.change(handlers.toggle_translations, view_inputs, [comparison, reading, table],
                            api_visibility="private", show_progress="hidden", queue=False)
        gr.api(handlers.compare_api, api_name="compare", concurrency_id="compare")
    demo.queue(default_concurrency_limit=concurrency, max_size=64)
    return demo


def _side_inputs(name: str, settings: Settings, model: str) -> dict:
    gr.Markdown(f"#### {SIDE_TITLES[name]}")
    url = gr.Textbox(label="Address (URL)", max_lines=1, placeholder="https://… — fetched by the server; leave "
                     "empty to use the text below", elem_id=f"fd-url-{name}")
    text = gr.Textbox(lines=10, max_lines=18, label=f"Text of article {name}", show_label=False,
                      placeholder=(f"Paste the article here (plain text, Markdown or HTML), give its address "
                                   f"above or upload the file below: up to {settings.max_chars:,} characters."),
                      autoscroll=False, elem_id=f"fd-text-{name}")
    note = gr.Markdown("Language: —", elem_id=f"fd-lang-note-{name}", elem_classes="fd-note")
    with gr.Row():
        outlet = gr.Textbox(label="Outlet (optional)", max_lines=1, elem_id=f"fd-outlet-{name}")
        title = gr.Textbox(label="Title (optional)", max_lines=1, elem_id=f"fd-title-{name}")
    with gr.Row(elem_classes="fd-lang-row"):
        lang = gr.Dropdown(inputs.language_choices(model), value=inputs.AUTO, label="Language",
                           info="Detected automatically; override here", elem_id=f"fd-lang-{name}", scale=2)
        upload = gr.UploadButton("Upload a file (" + ", ".join(inputs.UPLOAD_SUFFIXES) + ")",
                                 file_types=list(inputs.UPLOAD_SUFFIXES),
                                 type="filepath", size="sm", variant="secondary",
                                 elem_id=f"fd-upload-{name}", scale=1)
    return {"text": text, "note": note, "outlet": outlet, "title": title, "upload": upload, "lang": lang,
            "url": url}
