"""The web UI's only way to compare: ``app.pipeline.compare`` with the process's shared models.

Models live in the process's one bounded model cache (models/loaded.py), loaded on first
use or at start-up by :func:`warm_up`; callers name them, never give paths
(model_access.py). Each user's Result lives in ``gr.State``.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from pathlib import Path
import time

from models.budget import TimeBudgetExceeded, time_budget
from models.cache import CachedEmbedder
from models.loaded import MODELS

from ..text.article import ArticleMeta
from ..errors import FrameDiffError, error
from ..pipeline import compare, default_cache, load_embedder
from ..result import Result
from ..steps.words.spans import clear_word_vector_cache
from ..settings import Settings
from .inputs import NO_TRANSLATION, blank_to_none, language_or_none, load_example
from .model_access import check_translation, resolve_embedding

log = logging.getLogger("framediff.web")
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
    """The cached embedder for a model name, shared while the process's model cache holds its model.

    Wrappers of models the cache has dropped are forgotten, so a dropped model's memory is freed.
    """
    with _lock:
        wrapper = load_embedder(name, default_cache())     # the registry's instance (loads on a miss)
        if name not in _embedders or _embedders[name].embedder is not wrapper.embedder:
            _embedders[name] = wrapper
        for other in [n for n, w in _embedders.items() if not MODELS.holds(w.embedder)]:
            del _embedders[other]
        return _embedders[name]


def _embedder_named(name: str, path: str) -> CachedEmbedder:
    """The embedder for a caller's model name; a server folder's failure never shows its path."""
    try:
        return embedder_for(path)
    except FrameDiffError as exc:
        if path == name:
            raise
        log.warning("model %s (%s) failed to load: %s", name, path, exc.message)
        raise error("E007", name=name, detail="this server could not load it (its log says why)") from None


def loaded_models() -> list[str]:
    return sorted(_embedders)


def warm_up(settings: Settings) -> float:
    """Load the default model and run the bundled sample pair once, before the first request arrives.

    Loading is only part of a cold start: the first comparison also loads the token encoder, the
    word model, jieba's dictionary, CC-CEDICT, lingua and the lexicons (issue 24: 8.2 s against 2 s
    for the second). The sample runs uncached, so nothing of it is kept but those. Returns seconds.
    """
    started = time.perf_counter()
    embedder = embedder_for(settings.model)
    example = load_example()
    compare(example.a_text, example.b_text, settings=settings, embedder=embedder.embedder, cache=False)
    clear_word_vector_cache()      # a user's first comparison of the sample must not find its vectors kept
    return time.perf_counter() - started


# A path in the server's own folders (an upload's temporary file, the installation): the user sees its
# file name only. What the user typed (a model name "/etc/passwd") is echoed as typed.
_SERVER_FOLDERS = sorted({tempfile.gettempdir(), os.environ.get("GRADIO_TEMP_DIR", ""),
                          str(Path(__file__).resolve().parents[2])} - {""}, key=len, reverse=True)
_SERVER_PATH = re.compile("(?:" + "|".join(re.escape(f.rstrip("/")) for f in _SERVER_FOLDERS)
                          + r")/(?:[^\s'\"/]+/)*([^\s'\"/]+)")


def web_message(exc: FrameDiffError) -> str:
    """The coded one-line message, with CLI flags replaced by the matching UI control and server paths
    reduced to file names (issue 24)."""
    message = exc.message
    for cli, web in WEB_WORDING:
        message = message.replace(cli, web)
    message = _SERVER_PATH.sub(lambda m: m.group(1), message)
    return f"[{exc.code}] {message}"


def compare_texts(a_text: str, b_text: str, *, settings: Settings, model: str | None = None,
                  lang_a: str | None = None, lang_b: str | None = None,
                  outlet_a: str | None = None, title_a: str | None = None,
                  outlet_b: str | None = None, title_b: str | None = None,
                  translate_model: str | None = None, attach_unaligned: bool | None = None,
                  budget_seconds: float | None = None) -> Result:
    """Compare two pasted texts (plain, Markdown or HTML) with the process-wide model.

    ``budget_seconds`` (``serve --time-budget``) stops a comparison that runs longer with E041, so a
    huge request frees its slot in the queue (models/budget.py).

    ``translate_model`` (a translation model name) asks the pipeline to translate the
    sentences too; None or "none" leaves the settings as they are. ``attach_unaligned``
    (parallel text) overrides the setting of that name when it is not None.
    """
    name = model or settings.model
    path = resolve_embedding(name, server_model=settings.model)    # E009 for anything but a listed name
    settings = settings.replace(model=name)
    if translate_model and translate_model != NO_TRANSLATION:
        settings = settings.replace(translate=True, translate_model=check_translation(translate_model))
    if attach_unaligned is not None:
        settings = settings.replace(attach_unaligned=bool(attach_unaligned))
    embedder = _embedder_named(name, path)
    try:
        with time_budget(budget_seconds):
            return compare(a_text or "", b_text or "", settings=settings,
                           embedder=embedder,
                           lang_a=language_or_none(lang_a), lang_b=language_or_none(lang_b),
                           meta_a=ArticleMeta(outlet=blank_to_none(outlet_a), title=blank_to_none(title_a),
                                              source=WEB_SOURCE),
                           meta_b=ArticleMeta(outlet=blank_to_none(outlet_b), title=blank_to_none(title_b),
                                              source=WEB_SOURCE))
    except TimeBudgetExceeded as exc:
        raise error("E041", seconds=exc.seconds) from None


def compare_many_texts(source: str, rewrites: list[str], *, settings: Settings, names: list[str | None],
                       model: str | None = None, auto_source: bool = False, budget_seconds: float | None = None,
                       on_pair=None):
    """compare-many on texts or addresses typed in the web UI, with the process-wide model.

    Callers name models (E009 for anything else, as for compare). ``budget_seconds`` is the
    server's budget per request: the whole story shares it (a story of 12 articles in auto mode once
    held both slots for minutes, issue 23), so a long story needs a larger ``serve --time-budget``.
    """
    from ..many import check_rewrites, compare_many

    check_rewrites(source, rewrites)      # E018 before the model is touched
    name = model or settings.model
    path = resolve_embedding(name, server_model=settings.model)
    settings = settings.replace(model=name)
    embedder = _embedder_named(name, path)
    try:
        with time_budget(budget_seconds):
            return compare_many(source, rewrites, settings=settings, embedder=embedder, names=names[1:],
                                source_name=names[0], auto_source=auto_source, on_pair=on_pair)
    except TimeBudgetExceeded as exc:
        raise error("E041", seconds=exc.seconds) from None
