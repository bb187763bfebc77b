"""The web UI's only way to compare: ``app.pipeline.compare`` with a model loaded once per process.

Models live at module level (shared by every request, loaded on first use or at
start-up by :func:`warm_up`); each user's Result lives in ``gr.State``.
"""

from __future__ import annotations

import threading

from models.cache import CachedEmbedder

from ..article import ArticleMeta
from ..errors import FrameDiffError
from ..pipeline import compare, default_cache, load_embedder
from ..result import Result
from ..settings import Settings
from .inputs import NO_TRANSLATION, blank_to_none, language_or_none

WEB_SOURCE = "text given in the web UI"
_embedders: dict[str, CachedEmbedder] = {}
_lock = threading.Lock()

# CLI wording in core messages, said the way a web user acts on it.
WEB_WORDING = [
    ("with --model", "in the Model menu"),
    ("with --lang-a", "in the Language menu of article a"),
    ("with --lang-b", "in the Language menu of article b"),
    ("(raise it with --max-chars if you really mean it)", "(the server's limit: `serve --max-chars`)"),
]


def embedder_for(name: str) -> CachedEmbedder:
    """The cached embedder for a model name: loaded once per process, then shared."""
    with _lock:
        if name not in _embedders:
            _embedders[name] = load_embedder(name, default_cache())
        return _embedders[name]


def loaded_models() -> list[str]:
    return sorted(_embedders)


def warm_up(settings: Settings) -> None:
    """Load the default model before the first request arrives."""
    embedder_for(settings.model)


def web_message(exc: FrameDiffError) -> str:
    """The coded one-line message, with CLI flags replaced by the matching UI control."""
    message = exc.message
    for cli, web in WEB_WORDING:
        message = message.replace(cli, web)
    return f"[{exc.code}] {message}"


def compare_texts(a_text: str, b_text: str, *, settings: Settings, model: str | None = None,
                  lang_a: str | None = None, lang_b: str | None = None,
                  outlet_a: str | None = None, title_a: str | None = None,
                  outlet_b: str | None = None, title_b: str | None = None,
                  translate_model: str | None = None, attach_unaligned: bool | None = None) -> Result:
    """Compare two pasted texts (plain, Markdown or HTML) with the process-wide model.

    ``translate_model`` (a translation model name) asks the pipeline to translate the
    sentences too; None or "none" leaves the settings as they are. ``attach_unaligned``
    (parallel text) overrides the setting of that name when it is not None.
    """
    name = model or settings.model
    settings = settings.replace(model=name)
    if translate_model and translate_model != NO_TRANSLATION:
        settings = settings.replace(translate=True, translate_model=translate_model)
    if attach_unaligned is not None:
        settings = settings.replace(attach_unaligned=bool(attach_unaligned))
    return compare(a_text or "", b_text or "", settings=settings,
                   embedder=embedder_for(name),
                   lang_a=language_or_none(lang_a), lang_b=language_or_none(lang_b),
                   meta_a=ArticleMeta(outlet=blank_to_none(outlet_a), title=blank_to_none(title_a), source=WEB_SOURCE),
                   meta_b=ArticleMeta(outlet=blank_to_none(outlet_b), title=blank_to_none(title_b), source=WEB_SOURCE))
