"""Launching the web UI (``python -m app serve``) and checking it in-process (``serve --check``)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import gradio as gr

from .. import __version__
from ..errors import error
from ..result import Result
from ..settings import Settings
from .engine import warm_up
from .model_access import set_model_dir
from .inputs import AUTO, load_example
from .render import comparison_script
from .ui import MAX_UPLOAD_BYTES, build_demo

CSS_PATH = Path(__file__).with_name("style.css")
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue",
                "Arial", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


def theme() -> gr.themes.Base:
    """Default theme with system fonts only: the page must fetch nothing from the internet."""
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", radius_size="sm",
                             font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def launch_options() -> dict:
    """Keyword arguments for ``Blocks.launch`` shared by ``serve`` and tests."""
    return {"theme": theme(), "css_paths": [CSS_PATH], "footer_links": ["api"], "ssr_mode": False,
            "max_file_size": MAX_UPLOAD_BYTES, "show_error": False, "share": False, "pwa": False,
            "mcp_server": False, "enable_monitoring": False, "head": comparison_script()}


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, concurrency: int = 2,
          model_dir: Path | None = None, time_budget: float | None = None) -> None:
    """Load the model, build the UI and serve it until interrupted.

    The server fetches the addresses its users type in, so it refuses local and private ones
    (app/text/fetch.py): nobody reaches the server's own network through it.
    """
    from ..text import fetch

    fetch.DEFAULT_OPTIONS = dataclasses.replace(fetch.DEFAULT_OPTIONS, allow_private=False)
    set_model_dir(model_dir)
    seconds = warm_up(settings)
    demo = build_demo(settings, concurrency=concurrency, time_budget=time_budget)
    # quiet: Gradio's own banner suggests share=True (a public tunnel), which FrameDiff never opens
    demo.launch(server_name=host, server_port=port, quiet=True, prevent_thread_lock=True, **launch_options())
    print(f"FrameDiff {__version__}: model {settings.model} loaded and warmed up on the sample pair in "
          f"{seconds:.1f} s; serving at http://{host}:{demo.server_port} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    demo.block_thread()


def check(settings: Settings) -> dict:
    """Run the sample pair through the real ``/compare`` endpoint in-process; a one-line report.

    Raises FrameDiffError (E010) when the endpoint does not return a valid result.
    """
    example = load_example()
    demo = build_demo(settings)
    try:
        data = demo(example.a_text, example.b_text, AUTO, AUTO, settings.model, api_name="compare")
    except gr.Error as exc:  # the endpoint's own readable message, e.g. [E005] …
        raise error("E010", what="serve --check", detail=f"/compare failed: {exc.message}") from None
    try:
        result = Result.from_json(data, validate=True)
    except Exception as exc:  # any validation failure means the endpoint is broken
        raise error("E010", what="serve --check", detail=f"/compare returned no valid result: {exc}") from exc
    return {"ok": True, "endpoint": "/compare", "model": result.settings.get("model"),
            "sentences_a": len(result.articles["a"].sentences), "sentences_b": len(result.articles["b"].sentences),
            "counts": result.summary.counts, "config_hash": result.config_hash}
