"""The worker side of batch mode: compare one pair, write its result atomically.

Runs in the driver (``--no-dask``) or in a Dask worker process. Everything here is
per process: the embedder and its cache are loaded once by :func:`worker_embedder`
(and warmed by the worker plugin in :mod:`app.batch.cluster` when a worker starts), then reused for every pair.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text.article import ArticleMeta
from ..errors import FrameDiffError, error
from ..settings import Settings
from .pairs import PairSpec

log = logging.getLogger("framediff.batch")
TMP_PREFIX = ".tmp-"

# A tiny invented en→zh pair with an added, loaded sentence, so that the warm-up runs every step
# (and embeds the frame descriptions and lexicon seeds that each process embeds once).
WARMUP_A = "The committee met on Monday. It approved the plan by 7 votes to 2."
WARMUP_B = "委员会周一开会，以7票对2票批准了该计划。\n\n外交部发言人此前表示，某些国家应停止抹黑和打压邻国。"


@dataclass(frozen=True, slots=True)
class PairTask:
    """What every worker needs besides the pair itself (small, so it ships cheaply)."""

    out_dir: str
    settings: Settings
    cache_dir: str | None = None    # None: $FRAMEDIFF_CACHE_DIR or ~/.cache/framediff
    html: bool = False


@lru_cache(maxsize=1)
def worker_embedder(model: str, cache_dir: str | None):
    """The cached embedder of this process: the model and the SQLite cache are opened once.

    One entry: a batch uses one model, and the model itself lives in the process's one bounded
    model cache (models/loaded.py), which this must not outlast by holding older ones.
    """
    from models.cache import EmbeddingCache

    from ..pipeline import default_cache, load_embedder

    cache = EmbeddingCache(Path(cache_dir) / "embeddings.sqlite") if cache_dir else default_cache()
    return load_embedder(model, cache)


def warm_up(model: str, cache_dir: str | None) -> None:
    """Load the embedder, language detector and Chinese tokenizer before the first real pair."""
    from ..pipeline import compare

    embedder = worker_embedder(model, cache_dir)
    try:
        compare(WARMUP_A, WARMUP_B, embedder=embedder.embedder, cache=None)
    except FrameDiffError:
        pass   # e.g. a model that covers neither language: loading is what counts here


def pair_path(out_dir: str | Path, pair_id: str, suffix: str = ".json") -> Path:
    return Path(out_dir) / "pairs" / f"{pair_id}{suffix}"


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, fsync, then os.replace: all or nothing."""
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=f"{TMP_PREFIX}{path.name}.")
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def process_pair(spec: PairSpec, task: PairTask) -> dict:
    """Compare one pair and write ``pairs/<id>.json``; return a small status record, never raise."""
    from ..pipeline import compare

    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        embedder = worker_embedder(task.settings.model, task.cache_dir)
        hits, misses = embedder.hits, embedder.misses
        result = compare(_source(spec.a, spec.a_is_path), _source(spec.b, spec.b_is_path),
                         settings=task.settings, embedder=embedder, lang_a=spec.lang_a, lang_b=spec.lang_b,
                         meta_a=_meta(spec, "a"), meta_b=_meta(spec, "b"))
        if task.html:
            _write_html(result, pair_path(task.out_dir, spec.id, ".html"))
        write_atomic(pair_path(task.out_dir, spec.id), result.to_json())
    except FrameDiffError as exc:
        return failure(spec, exc)
    except Exception as exc:  # noqa: BLE001 - one broken pair must not stop a corpus
        log.debug("pair %s failed:\n%s", spec.id, traceback.format_exc())
        return failure(spec, error("E053", id=spec.id, kind=type(exc).__name__, detail=str(exc)[:300]))
    sentences = len(result.articles["a"].sentences) + len(result.articles["b"].sentences)
    return {"id": spec.id, "ok": True, "sentences": sentences, "seconds": round(time.perf_counter() - started, 4),
            "cpu_seconds": round(time.process_time() - cpu_started, 4),
            "hits": embedder.hits - hits, "misses": embedder.misses - misses, "pid": os.getpid(),
            "model_loads": worker_embedder.cache_info().misses}


def failure(spec: PairSpec, exc: FrameDiffError) -> dict:
    return {"id": spec.id, "ok": False, "where": spec.where, "stage": "compare", "code": exc.code,
            "error": exc.message}


def _source(value: str, is_path: bool) -> Path | str:
    return Path(value) if is_path else value


def _meta(spec: PairSpec, side: str) -> ArticleMeta:
    return ArticleMeta(outlet=getattr(spec, f"outlet_{side}"), title=getattr(spec, f"title_{side}"),
                       date=spec.date)


def _write_html(result, path: Path) -> None:
    """The per-pair HTML view, by the registered "html" exporter (the one ``compare -f html`` uses)."""
    from ..export import get_exporter

    write_atomic(path, get_exporter("html").render(result))


def write_html_from_json(out_dir: str | Path, pair_id: str) -> None:
    """pairs/<id>.html from a saved pairs/<id>.json (e.g. a pair compared before --html was given)."""
    from ..export.files import load_result

    _write_html(load_result(pair_path(out_dir, pair_id)), pair_path(out_dir, pair_id, ".html"))
