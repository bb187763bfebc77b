"""The "Many outlets" tab: one source and up to six rewrites through ``compare_many`` (issue 17).

Each article is an address, pasted text or an uploaded file, as in the two-way tab. One click runs
:func:`app.many.compare_many` (through engine.compare_many_texts); its ManyResult goes into
``gr.State`` and the views only read it: the story digest, the coverage matrix (the very page
``compare-many -o`` writes, app/export/matrix.py, shown in a sandboxed frame so its stylesheet
stays its own and nothing in it can run) and the downloads (matrix.html, matrix.csv, many.json).
"""

from __future__ import annotations

import logging
import uuid
from html import escape

import gradio as gr

from ..errors import FrameDiffError
from ..export.matrix import many_digest, matrix_html, write_many
from ..many import ManyResult
from ..settings import Settings
from . import downloads, inputs
from .engine import compare_many_texts, web_message
from .progress import run_with_steps

log = logging.getLogger("framediff.web")

MAX_REWRITES = 6
SHOWN_REWRITES = 3           # the other three are folded away until needed
SOURCE_CHOICES = [("The article in the Source box", "first"),
                  ("Propose one (earliest date, else the one the others share most with)", "auto")]
DOWNLOADS = {"html": ("matrix.html", "⬇ Coverage matrix (HTML)"), "csv": ("matrix.csv", "⬇ Matrix (CSV)"),
             "json": ("many.json", "⬇ Save the story (JSON)")}
INTRO = ("Compare one source (e.g. the wire report) with up to six rewrites of it, in any mix of English and "
         "Chinese: who kept each sentence, who dropped a hedge or a source, who added framing, and what "
         "several outlets added that the source lacks. Empty rewrite boxes are left out.")


def matrix_frame(many: ManyResult) -> str:
    """The export's matrix page in a sandboxed frame: escaped into ``srcdoc``, no script allowed."""
    return (f'<iframe class="fd-many-frame" title="Coverage matrix" sandbox="" '
            f'srcdoc="{escape(matrix_html(many), quote=True)}"></iframe>')


def digest_block(many: ManyResult) -> str:
    return f'<pre class="fd-many-digest">{escape(many_digest(many))}</pre>'


def write_downloads(many: ManyResult) -> dict[str, str]:
    """matrix.html, matrix.csv (for a spreadsheet: byte-order mark, formula-safe) and many.json."""
    folder = downloads.export_root() / f"many-{uuid.uuid4().hex[:12]}"
    paths = {path.name: str(path) for path in write_many(many, folder, excel=True)}
    return {fmt: paths[name] for fmt, (name, _) in DOWNLOADS.items()}


def status_line(many: ManyResult) -> str:
    total = many.timings.get("total")
    took = "" if total is None else f" in {total:.1f} s"
    return escape(f"Compared {many.source_name} ({len(many.rows)} sentences) with {len(many.outlets)} "
                  f"outlet{'s' if len(many.outlets) != 1 else ''}{took}. Source: {many.source_choice.reason}.")


class ManyHandlers:
    def __init__(self, settings: Settings, *, time_budget: float | None = None):
        self.settings = settings
        self.time_budget = time_budget

    def upload(self, path: str | None, slot: str):
        if not path:
            return gr.update()
        try:
            return inputs.read_upload_file(path, side=slot, max_bytes=inputs_limit()).text
        except FrameDiffError as exc:
            raise gr.Error(web_message(exc), title="Cannot read the file", print_exception=False) from None

    def compare_ui(self, source_mode: str, model: str, *slots, progress=gr.Progress()) -> tuple:
        """``slots``: address, text and name of the source, then of each rewrite box."""
        articles, names = filled_slots(slots)
        state = {"done": 0, "total": 0, "what": ""}

        def on_pair(done: int, total: int, what: str) -> None:
            state.update(done=done, total=total, what=what)

        def report(label: str, fraction: float) -> None:
            if not state["total"]:
                progress(0.02, desc=label)
                return
            overall = 0.02 + 0.88 * (state["done"] + fraction) / state["total"]
            progress(overall, desc=f"Comparison {state['done'] + 1} of {state['total']} ({state['what']}): {label}")

        progress(0.01, desc="Starting")
        many = run_with_steps(lambda: self._run(articles[0], articles[1:], names=names, model=model,
                                                auto_source=source_mode == "auto", on_pair=on_pair), report)
        progress(0.93, desc="Drawing the matrix and writing the downloads")
        return self.show(many)

    def show(self, many: ManyResult) -> tuple:
        files = write_downloads(many)
        return (many, gr.update(visible=True), status_line(many), digest_block(many), matrix_frame(many),
                *[gr.update(value=files[fmt], interactive=True) for fmt in DOWNLOADS])

    def compare_many_api(self, source: str, rewrites: list[str], source_mode: str = "first",
                         names: list[str] | None = None, model: str = "") -> dict:
        """Compare a source with its rewrites (texts or http(s) addresses); returns framediff.many/1 JSON.

        ``names``: one per article, source first (blank: the article's outlet, else "outlet N").
        ``source_mode``: "first" (the source is ``source``) or "auto" (propose one).
        """
        given = list(names or []) + [None] * (len(rewrites) + 1)
        return self._run(source, list(rewrites), names=[inputs.blank_to_none(n) for n in given[:len(rewrites) + 1]],
                         model=model or self.settings.model, auto_source=source_mode == "auto").model_dump(mode="json")

    def _run(self, source: str, rewrites: list[str], *, names, model, auto_source, on_pair=None) -> ManyResult:
        try:
            return compare_many_texts(source, rewrites, settings=self.settings, names=names, model=model,
                                      auto_source=auto_source, budget_seconds=self.time_budget, on_pair=on_pair)
        except FrameDiffError as exc:
            raise gr.Error(web_message(exc), title="Cannot compare", duration=None, print_exception=False) from None
        except Exception as exc:  # a bug, not bad input: log it, show one line
            log.exception("compare-many failed")
            raise gr.Error(f"Internal error ({type(exc).__name__}); the server log has the details.",
                           title="Cannot compare", duration=None, print_exception=False) from None


def inputs_limit() -> int:
    from .ui import MAX_UPLOAD_BYTES

    return MAX_UPLOAD_BYTES


def filled_slots(slots) -> tuple[list[str], list[str | None]]:
    """(articles, names) of the source and of each rewrite box with something in it; an address wins
    over the text of its box. The source is always kept, so an empty one gets its own E001."""
    articles, names = [], []
    for k in range(0, len(slots), 3):
        url, text, name = slots[k:k + 3]
        article = (url or "").strip() or (text or "")
        if k == 0 or article.strip():
            articles.append(article)
            names.append(inputs.blank_to_none(name))
    return articles, names


def _slot(label: str, key: str, settings: Settings) -> list:
    """Address, text, name and upload of one article; returns [address, text, name] (the handler's order)."""
    with gr.Column(variant="panel", min_width=280):
        gr.Markdown(f"#### {label}")
        url = gr.Textbox(label="Address (URL)", max_lines=1, placeholder="https://… (fetched by the server)",
                         elem_id=f"fd-many-url-{key}")
        text = gr.Textbox(lines=6, max_lines=12, show_label=False, autoscroll=False, elem_id=f"fd-many-text-{key}",
                          placeholder=f"Paste the article (up to {settings.max_chars:,} characters), "
                                      "give its address above or upload it below.")
        with gr.Row():
            name = gr.Textbox(label="Outlet name (optional)", max_lines=1, elem_id=f"fd-many-name-{key}", scale=2)
            upload = gr.UploadButton("Upload", file_types=list(inputs.UPLOAD_SUFFIXES), type="filepath", size="sm",
                                     elem_id=f"fd-many-upload-{key}", scale=1)
    return [url, text, name, upload]


def build_many_tab(settings: Settings, *, models: list[tuple[str, str]], default_model: str,
                   time_budget: float | None = None) -> None:
    """The tab's components and events, inside the caller's ``gr.Tab``."""
    handlers = ManyHandlers(settings, time_budget=time_budget)
    many_state = gr.State(None)
    gr.Markdown(INTRO, elem_classes="fd-note")
    slots = [_slot("Source (e.g. the wire report)", "source", settings)]
    with gr.Row():
        slots += [_slot(f"Rewrite {i}", str(i), settings) for i in range(1, SHOWN_REWRITES + 1)]
    with gr.Accordion(f"Rewrites {SHOWN_REWRITES + 1}–{MAX_REWRITES}", open=False, elem_id="fd-many-more"):
        with gr.Row():
            slots += [_slot(f"Rewrite {i}", str(i), settings) for i in range(SHOWN_REWRITES + 1, MAX_REWRITES + 1)]
    with gr.Row(elem_classes="fd-actions"):
        source_mode = gr.Radio(SOURCE_CHOICES, value="first", label="Which article is the source",
                               elem_id="fd-many-source", scale=3)
        model = gr.Dropdown(models, value=default_model, label="Embedding model", elem_id="fd-many-model", scale=2)
        run = gr.Button("Compare all", variant="primary", elem_id="fd-many-compare", scale=1)
    status = gr.Markdown("", elem_id="fd-many-status")
    with gr.Column(visible=False, elem_id="fd-many-result") as result_area:
        with gr.Row(elem_classes="fd-downloads", elem_id="fd-many-downloads"):
            buttons = [gr.DownloadButton(label, interactive=False, size="sm", elem_id=f"fd-many-download-{fmt}",
                                         variant="primary" if fmt == "json" else "secondary")
                       for fmt, (_, label) in DOWNLOADS.items()]
        digest = gr.HTML("", elem_id="fd-many-digest")
        matrix = gr.HTML("", elem_id="fd-many-matrix")
    for k, (_, text, _, upload) in enumerate(slots):
        slot = "source" if k == 0 else f"rewrite {k}"
        upload.upload(lambda path, s=slot: handlers.upload(path, s), upload, text, api_visibility="private")
    fields = [field for slot in slots for field in slot[:3]]
    run.click(handlers.compare_ui, [source_mode, model, *fields],
              [many_state, result_area, status, digest, matrix, *buttons],
              api_visibility="private", concurrency_id="compare", show_progress_on=[status])
    gr.api(handlers.compare_many_api, api_name="compare-many", concurrency_id="compare")

