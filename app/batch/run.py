"""Batch mode: plan what is left to do, map :func:`~app.batch.work.process_pair` over it, reduce.

State lives only in the output folder, so a run can be killed at any moment and
started again:

- ``pairs/<id>.json`` exists  ⇔  the pair is done (written atomically by the worker);
- ``errors.jsonl`` lists the rows that were rejected and the pairs that failed;
- ``batch.json`` fingerprints the state the aggregates were last built from.

The aggregates (``spans.*``, ``pairs.csv``, ``report.html`` and, when rows carry a ``story``,
``stories/``) are always rebuilt from ``pairs/*.json`` at the end, so they can never disagree with
the per-pair results.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import error
from ..settings import Settings
from .pairs import PairSpec, RowProblem, read_pairs
from .work import TMP_PREFIX, PairTask, process_pair, warm_up, write_atomic, write_html_from_json

ERRORS_FILE = "errors.jsonl"
MANIFEST_FILE = "batch.json"
AGGREGATE_FILES = ("spans.parquet", "spans.csv", "pairs.csv", "report.html")


@dataclass(frozen=True, slots=True)
class BatchOptions:
    settings: Settings = field(default_factory=Settings)
    workers: int | None = None        # None: one per core; 0: in this process, no Dask
    scheduler: str | None = None      # tcp://host:port of an existing Dask cluster
    html: bool = False                # also write pairs/<id>.html
    retry_errors: bool = False        # compare again the pairs that failed before
    cache_dir: str | None = None      # embedding cache folder; None: $FRAMEDIFF_CACHE_DIR or default
    progress: bool = False            # progress bar on stderr
    csv_raw: bool = False             # spans.csv/pairs.csv cells as they are (default: formula-safe, see tables)


@dataclass
class RunStats:
    compared: int = 0
    failed: int = 0
    sentences: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    cpu_seconds: float = 0.0          # CPU time the workers spent comparing (excludes waiting for a core)
    pair_seconds: list[float] = field(default_factory=list)   # wall time of each compared pair, in its worker
    seconds: float = 0.0
    workers: int = 0


def run_batch(source: Path, out_dir: Path, *, options: BatchOptions = BatchOptions(),
              log: Callable[[str], None] = lambda msg: None,
              on_pair: Callable[[dict], None] | None = None) -> dict:
    """Compare every pair of ``source`` not yet done in ``out_dir``; return a summary dict.

    ``on_pair`` sees each pair's status as it finishes (``ok``, ``seconds``, ``cpu_seconds``, ...):
    the batch bench takes its per-pair timings from there.
    """
    if options.workers is not None and options.workers < 0:
        raise error("E010", what="--workers", detail=f"must be 0 (in this process) or more, not {options.workers}")
    out_dir = Path(out_dir).resolve()     # workers elsewhere (another cwd, another machine) write here
    specs, problems = read_pairs(Path(source))
    (out_dir / "pairs").mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(out_dir)
    done = done_ids(out_dir)
    failed_before = pair_failures(out_dir)
    todo = [s for s in specs if s.id not in done and (options.retry_errors or s.id not in failed_before)]
    skipped_failed = sum(1 for s in specs if s.id not in done and s.id in failed_before and not options.retry_errors)
    summary = {"out": str(out_dir), "pairs": len(specs), "rows_rejected": len(problems),
               "already_done": sum(1 for s in specs if s.id in done), "todo": len(todo),
               "skipped_failed": skipped_failed}
    html_missing = _html_missing(out_dir, done) if options.html else []
    if not todo and not html_missing and _up_to_date(out_dir, specs, problems, csv_raw=options.csv_raw):
        log(f"nothing to do: {summary['already_done']} pairs done, {skipped_failed} failed before"
            + (" (use --retry-errors to retry them)" if skipped_failed else "")
            + f"; outputs in {out_dir} are up to date")
        return {**summary, "nothing_to_do": True}
    stats = RunStats()
    if todo:
        log(f"{len(todo)} pairs to compare ({summary['already_done']} already done, {len(problems)} rows rejected)")
        stats = _execute(todo, out_dir, options, on_pair)
    if html_missing:
        log(f"writing pairs/<id>.html for {len(html_missing)} pairs compared earlier")
        for pair_id in html_missing:
            write_html_from_json(out_dir, pair_id)
    log("rebuilding spans, pairs.csv and report.html from pairs/*.json")
    _finish(out_dir, specs, problems, options=options, log=log)
    return {**summary, "nothing_to_do": False, **_rates(stats)}


def _html_missing(out_dir: Path, done: set[str]) -> list[str]:
    return sorted(i for i in done if not (out_dir / "pairs" / f"{i}.html").exists())


def done_ids(out_dir: Path) -> set[str]:
    return {p.stem for p in (out_dir / "pairs").glob("*.json") if not p.name.startswith(".")}


def read_error_log(out_dir: Path) -> list[dict]:
    """Records of errors.jsonl; a line cut short by a killed run is skipped."""
    path = out_dir / ERRORS_FILE
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def pair_failures(out_dir: Path) -> dict[str, dict]:
    """The last recorded comparison failure of each pair id."""
    return {r["id"]: r for r in read_error_log(out_dir) if r.get("stage") == "compare" and r.get("id")}


def _execute(todo: list[PairSpec], out_dir: Path, options: BatchOptions,
             on_pair: Callable[[dict], None] | None) -> RunStats:
    from tqdm import tqdm

    task = PairTask(out_dir=str(out_dir), settings=options.settings, cache_dir=options.cache_dir, html=options.html)
    stats = RunStats()
    bar = tqdm(total=len(todo), unit="pair", file=sys.stderr, disable=not options.progress, dynamic_ncols=True,
               smoothing=0.1)
    started = [time.perf_counter()]

    def on_ready(threads: int) -> None:
        stats.workers = threads
        bar.reset(total=len(todo))      # rate and ETA count from here, not from model loading
        started[0] = time.perf_counter()

    with open(out_dir / ERRORS_FILE, "a", encoding="utf-8") as errors_log, bar:
        def on_result(status: dict) -> None:
            if on_pair is not None:
                on_pair(status)
            if status["ok"]:
                stats.compared += 1
                stats.sentences += status["sentences"]
                stats.cache_hits += status["hits"]
                stats.cache_misses += status["misses"]
                stats.cpu_seconds += status["cpu_seconds"]
                stats.pair_seconds.append(status["seconds"])
            else:
                stats.failed += 1
                record = {k: status[k] for k in ("id", "where", "stage", "code", "error")}
                errors_log.write(json.dumps(record, ensure_ascii=False) + "\n")
                errors_log.flush()   # a killed run keeps every failure it saw
            bar.update(1)
            bar.set_postfix(failed=stats.failed, refresh=False)

        if options.workers == 0:
            warm_up(options.settings.model, options.cache_dir)
            on_ready(1)
            for spec in todo:
                on_result(process_pair(spec, task))
        else:
            from .cluster import run_on_dask

            run_on_dask(todo, task, workers=options.workers, scheduler=options.scheduler,
                        on_result=on_result, on_ready=on_ready)
    stats.seconds = time.perf_counter() - started[0]
    return stats


def _rates(stats: RunStats) -> dict:
    seconds = max(stats.seconds, 1e-9)
    return {"compared": stats.compared, "failed": stats.failed, "sentences": stats.sentences,
            "workers": stats.workers, "seconds": round(stats.seconds, 3),
            "pairs_per_s": round(stats.compared / seconds, 3) if stats.compared else 0.0,
            "sentences_per_s": round(stats.sentences / seconds, 2) if stats.compared else 0.0,
            "cache_hits": stats.cache_hits, "cache_misses": stats.cache_misses,
            "cpu_seconds_per_pair": round(stats.cpu_seconds / stats.compared, 4) if stats.compared else 0.0,
            "pair_seconds_mean": (round(sum(stats.pair_seconds) / len(stats.pair_seconds), 4)
                                  if stats.pair_seconds else None)}


def _error_records(out_dir: Path, specs: list[PairSpec], problems: list[RowProblem]) -> list[dict]:
    """One row per rejected row and per pair whose last attempt failed (in input order)."""
    done = done_ids(out_dir)
    failures = pair_failures(out_dir)
    records = [p.to_record() for p in problems]
    records += [failures[s.id] for s in specs if s.id in failures and s.id not in done]
    return records


def _errors_text(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _fingerprint(out_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((out_dir / "pairs").glob("*.json")):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    errors = out_dir / ERRORS_FILE
    digest.update(errors.read_bytes() if errors.exists() else b"")
    return digest.hexdigest()


def _up_to_date(out_dir: Path, specs: list[PairSpec], problems: list[RowProblem], *, csv_raw: bool = False) -> bool:
    from .stories import OUTLETS_CSV, STORIES_DIR, stories_fingerprint

    manifest = out_dir / MANIFEST_FILE
    if not manifest.exists() or not all((out_dir / name).exists() for name in AGGREGATE_FILES):
        return False
    stories = stories_fingerprint(specs) if any(s.story for s in specs) else None
    if stories is not None and not (out_dir / STORIES_DIR / OUTLETS_CSV).exists():
        return False
    errors = out_dir / ERRORS_FILE
    current = errors.read_text(encoding="utf-8") if errors.exists() else ""
    if current != _errors_text(_error_records(out_dir, specs, problems)):
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        return (recorded.get("fingerprint") == _fingerprint(out_dir) and recorded.get("csv_raw", False) == csv_raw
                and recorded.get("stories") == stories)
    except (json.JSONDecodeError, OSError, AttributeError):
        return False


def _finish(out_dir: Path, specs: list[PairSpec], problems: list[RowProblem], *, options: BatchOptions,
            log: Callable[[str], None] = lambda msg: None) -> None:
    from .report import REPORT_KINDS, write_report
    from .tables import read_spans, write_tables

    csv_raw = options.csv_raw
    write_atomic(out_dir / ERRORS_FILE, _errors_text(_error_records(out_dir, specs, problems)))
    pairs = write_tables(out_dir, csv_raw=csv_raw)
    write_report(out_dir / "report.html", pairs=pairs, spans=read_spans(out_dir, kinds=REPORT_KINDS),
                 errors=read_error_log(out_dir))
    stories = _finish_stories(out_dir, specs, options, log)
    write_atomic(out_dir / MANIFEST_FILE, json.dumps({"fingerprint": _fingerprint(out_dir), "pairs": len(pairs),
                                                      "errors": len(read_error_log(out_dir)), "csv_raw": csv_raw,
                                                      "stories": stories,
                                                      "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, indent=2))


def _finish_stories(out_dir: Path, specs: list[PairSpec], options: BatchOptions,
                    log: Callable[[str], None]) -> str | None:
    """Rebuild stories/ when rows carry a story; returns the fingerprint of the grouping (None: no stories).

    Loads the model in this process (a Dask run has not): grouping what outlets added embeds those sentences.
    """
    from .stories import STORIES_DIR, stories_fingerprint, write_stories
    from .work import worker_embedder

    if not any(s.story for s in specs):
        shutil.rmtree(out_dir / STORIES_DIR, ignore_errors=True)   # the rows no longer carry stories
        return None
    log("rebuilding stories/ (one coverage matrix per story, outlets.csv, outlets.html)")
    embedder = worker_embedder(options.settings.model, options.cache_dir)
    for built in write_stories(out_dir, specs, settings=options.settings, embedder=embedder, csv_raw=options.csv_raw):
        if built.missing or built.note:
            log(f"story {built.story.name!r}: " + "; ".join(
                filter(None, [built.missing and f"no result for {', '.join(built.missing)}", built.note])))
    return stories_fingerprint(specs)


def _remove_stale_temp_files(out_dir: Path) -> None:
    """Half-written files of a killed run (never visible under their final name)."""
    for folder in (out_dir, out_dir / "pairs"):
        for path in folder.glob(f"{TMP_PREFIX}*"):
            if path.is_dir():      # a stories/ folder being built or swapped (app/batch/stories.py)
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
