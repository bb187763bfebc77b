"""The Gradio Blocks: layout and event wiring. ``build_demo`` never launches anything.

Handlers are thin: ``compare`` runs once per click (engine.compare_texts), its
Result goes into ``gr.State``, and filters, the translation toggle and the
downloads all re-render from that stored Result without recomputing.
"""

from __future__ import annotations

import logging

import gradio as gr

from ..errors import FrameDiffError
from ..result import Result
from ..settings import Settings
from . import downloads, inputs, views
from .engine import compare_texts, web_message
from .render import comparison_html, comparison_placeholder

log = logging.getLogger("framediff.web")

INTRO = ("## FrameDiff\n"
         "FrameDiff aligns two reports of the same event sentence by sentence, across languages, "
         "and marks what the rewrite (**b**) omitted, added or reworded relative to the source (**a**). "
         "Paste or upload both articles, then press **Compare**.")
SIDE_TITLES = {"a": "Article a: the source (e.g. the wire report)", "b": "Article b: the rewrite"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The attach_unaligned setting (README, "Alignment"): right for translations, wrong for rewrites.
PARALLEL_INFO = ("Parallel text: a sentence left over joins its neighbour's link (fragments of a split "
                 "sentence). Leave off for rewrites, where such sentences are additions and omissions.")


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
        return read.text, inputs.detected_language_note(read.text, side=side)

    def example(self) -> tuple:
        ex = inputs.load_example()
        return (ex.a_text, ex.b_text, ex.outlet_a, ex.title_a, ex.outlet_b, ex.title_b,
                inputs.AUTO, inputs.AUTO)

    def model_changed(self, model: str, lang_a: str, lang_b: str) -> tuple:
        choices = inputs.language_choices(model)
        codes = {code for _, code in choices}
        return (gr.update(choices=choices, value=lang_a if lang_a in codes else inputs.AUTO),
                gr.update(choices=choices, value=lang_b if lang_b in codes else inputs.AUTO))

    # -- compare --------------------------------------------------------------------------
    def compare_ui(self, a_text, b_text, lang_a, lang_b, outlet_a, title_a, outlet_b, title_b, model,
                   translate_model=None, parallel=None, progress=gr.Progress()) -> tuple:
        progress(0.05, desc=f"Loading {model}")
        progress(0.25, desc="Reading, aligning and classifying sentences")
        result = self._run(a_text, b_text, model=model, lang_a=lang_a, lang_b=lang_b,
                           outlet_a=outlet_a, title_a=title_a, outlet_b=outlet_b, title_b=title_b,
                           translate_model=translate_model, attach_unaligned=parallel)
        progress(0.85, desc="Rendering and writing exports")
        kinds = views.kinds_present(result)
        files = downloads.write_exports(result)
        translated = views.has_translations(result)
        return (result,
                comparison_html(result, translations=translated),
                views.summary_html(result),
                self._table(result, translations=translated),
                gr.update(choices=views.kind_choices(result), value=kinds),
                gr.update(visible=translated, value=translated),
                status_line(result),
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
    def refilter(self, result: Result | None, kinds: list[str], translations: bool) -> str:
        if result is None:
            return comparison_placeholder()
        return comparison_html(views.with_kinds(result, kinds), translations=translations)

    def toggle_translations(self, result: Result | None, kinds: list[str], translations: bool) -> tuple:
        if result is None:
            return comparison_placeholder(), gr.update()
        return self.refilter(result, kinds, translations), self._table(result, translations=translations)

    @staticmethod
    def _table(result: Result, *, translations: bool):
        return gr.update(value={"headers": views.alignment_headers(translations=translations),
                                "data": views.alignment_rows(result, translations=translations)})


def status_line(result: Result) -> str:
    a, b = result.articles["a"], result.articles["b"]
    total = result.timings.get("total")
    took = "" if total is None else f" in {total:.1f} s" if total >= 1 else f" in {total * 1000:.0f} ms"
    warnings = "".join(f"\n\n⚠ {w}" for side in "ab" for w in result.articles[side].meta.warnings)
    return (f"Compared {len(a.sentences)} sentences ({a.language}) with {len(b.sentences)} ({b.language})"
            f"{took} · model `{result.settings.get('model')}` · config `{result.config_hash}`{warnings}")


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
        gr.Markdown(INTRO, elem_classes="fd-intro")
        side = {}
        with gr.Row(equal_height=True):
            for name in ("a", "b"):
                with gr.Column(variant="panel"):
                    side[name] = _side_inputs(name, settings, default_model)
        with gr.Row(elem_classes="fd-actions"):
            model = gr.Dropdown(models, value=default_model, label="Embedding model",
                                info="Models present on this machine", scale=2, elem_id="fd-model")
            translators = inputs.translation_choices()
            translate_model = gr.Dropdown(translators or [("No translation", inputs.NO_TRANSLATION)],
                                          value=inputs.NO_TRANSLATION, label="Translate sentences with",
                                          info="Translation models present on this machine", scale=2,
                                          visible=bool(translators), elem_id="fd-translate-model")
            parallel = gr.Checkbox(settings.attach_unaligned, label="b is a translation of a",
                                   info=PARALLEL_INFO, scale=2, elem_id="fd-parallel")
            example = gr.Button("Load example", scale=1, elem_id="fd-example")
            run = gr.Button("Compare", variant="primary", scale=1, elem_id="fd-compare")
        status = gr.Markdown("", elem_id="fd-status")
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Row():
                    kinds = gr.CheckboxGroup([], value=[], label="Show differences of kind",
                                             elem_id="fd-kinds", scale=4)
                    translations = gr.Checkbox(False, label="Show translations", visible=False,
                                               elem_id="fd-translations", scale=1)
                comparison = gr.HTML(comparison_placeholder(), elem_id="fd-comparison")
            with gr.Column(scale=1, min_width=320):
                summary = gr.HTML('<p class="fd-muted">The summary appears here.</p>', elem_id="fd-summary",
                                  label="Summary")
        with gr.Accordion("Sentence alignment", open=True):
            table = gr.Dataframe(headers=views.alignment_headers(), datatype="str", interactive=False,
                                 wrap=True, elem_id="fd-alignment", column_widths=["42%", "42%", "8%", "8%"])
        with gr.Row(elem_classes="fd-downloads"):
            buttons = [gr.DownloadButton(downloads.label(fmt), interactive=False, size="sm",
                                         elem_id=f"fd-download-{fmt}") for fmt in downloads.formats()]

        for name in ("a", "b"):
            parts = side[name]
            parts["upload"].upload(lambda path, n=name: handlers.upload(path, n), parts["upload"],
                                   [parts["text"], parts["note"]], api_visibility="private")
            parts["text"].change(lambda text, n=name: inputs.detected_language_note(text, side=n),
                                 parts["text"], parts["note"], trigger_mode="always_last",
                                 show_progress="hidden", api_visibility="private", queue=False)
        fields = [side["a"]["text"], side["b"]["text"], side["a"]["outlet"], side["a"]["title"],
                  side["b"]["outlet"], side["b"]["title"], side["a"]["lang"], side["b"]["lang"]]
        example.click(handlers.example, None, fields, api_visibility="private", queue=False)
        model.change(handlers.model_changed, [model, side["a"]["lang"], side["b"]["lang"]],
                     [side["a"]["lang"], side["b"]["lang"]], api_visibility="private", queue=False)
        run.click(handlers.compare_ui,
                  [side["a"]["text"], side["b"]["text"], side["a"]["lang"], side["b"]["lang"],
                   side["a"]["outlet"], side["a"]["title"], side["b"]["outlet"], side["b"]["title"], model,
                   translate_model, parallel],
                  [result_state, comparison, summary, table, kinds, translations, status, *buttons],
                  api_visibility="private", concurrency_id="compare")
        kinds.change(handlers.refilter, [result_state, kinds, translations], comparison,
                     api_visibility="private", show_progress="hidden", queue=False)
        translations.change(handlers.toggle_translations, [result_state, kinds, translations],
                            [comparison, table], api_visibility="private", show_progress="hidden", queue=False)
        gr.api(handlers.compare_api, api_name="compare", concurrency_id="compare")
    demo.queue(default_concurrency_limit=concurrency, max_size=64)
    return demo


def _side_inputs(name: str, settings: Settings, model: str) -> dict:
    gr.Markdown(f"#### {SIDE_TITLES[name]}")
    text = gr.Textbox(lines=10, max_lines=18, label=f"Text of article {name}", show_label=False,
                      placeholder="Paste the article here (plain text, Markdown or HTML), or upload a file below.",
                      autoscroll=False, elem_id=f"fd-text-{name}")
    note = gr.Markdown("Language: —", elem_id=f"fd-lang-note-{name}", elem_classes="fd-note")
    with gr.Row():
        outlet = gr.Textbox(label="Outlet (optional)", max_lines=1, elem_id=f"fd-outlet-{name}")
        title = gr.Textbox(label="Title (optional)", max_lines=1, elem_id=f"fd-title-{name}")
    with gr.Row(elem_classes="fd-lang-row"):
        lang = gr.Dropdown(inputs.language_choices(model), value=inputs.AUTO, label="Language",
                           info="Detected automatically; override here", elem_id=f"fd-lang-{name}", scale=2)
        upload = gr.UploadButton("Upload .txt, .md or .html", file_types=list(inputs.UPLOAD_SUFFIXES),
                                 type="filepath", size="sm", variant="secondary",
                                 elem_id=f"fd-upload-{name}", scale=1)
    return {"text": text, "note": note, "outlet": outlet, "title": title, "upload": upload, "lang": lang}
