"""Running the pairs on Dask distributed: a LocalCluster sized to the machine, or an existing one.

Tasks are submitted through a bounded window (a few per worker thread) rather than
all at once, so a corpus of millions of pairs never floods the scheduler, and
results stream back in completion order for the progress bar and the errors log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import error
from .pairs import PairSpec
from .work import PairTask, failure, process_pair, warm_up

TASKS_PER_THREAD = 3


class LoadModels(WorkerPlugin):
    """Each worker loads its models once, when it joins (and again only if it restarts)."""

    name = "framediff-load-models"

    def __init__(self, model: str, cache_dir: str | None):
        self.model = model
        self.cache_dir = cache_dir

    def setup(self, worker) -> None:
        warm_up(self.model, self.cache_dir)


def machine_workers() -> int:
    """One single-threaded worker process per usable core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def open_client(*, workers: int | None, scheduler: str | None) -> tuple[Client, LocalCluster | None]:
    try:
        if scheduler:
            return Client(scheduler, timeout="20s"), None
        cluster = LocalCluster(n_workers=workers or machine_workers(), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster
    except (OSError, TimeoutError, ValueError) as exc:
        raise error("E054", where=scheduler or "local cluster", detail=str(exc)) from exc


def run_on_dask(specs: Iterable[PairSpec], task: PairTask, *, workers: int | None, scheduler: str | None,
                on_result: Callable[[dict], None], on_ready: Callable[[int], None] = lambda n: None) -> None:
    """Compare every pair on the cluster; ``on_result`` gets each status record as it arrives."""
    client, cluster = open_client(workers=workers, scheduler=scheduler)
    try:
        client.register_plugin(LoadModels(task.settings.model, task.cache_dir))
        threads = sum(client.nthreads().values()) or 1
        on_ready(threads)
        _stream(client, iter(specs), task, window=threads * TASKS_PER_THREAD, on_result=on_result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _stream(client: Client, specs: Iterator[PairSpec], task: PairTask, *, window: int,
            on_result: Callable[[dict], None]) -> None:
    pending: dict = {}
    running = as_completed()

    def submit_next() -> None:
        spec = next(specs, None)
        if spec is not None:
            future = client.submit(process_pair, spec, task, key=f"pair-{spec.id}-{os.urandom(4).hex()}",
                                   pure=False, retries=0)
            pending[future.key] = spec
            running.add(future)

    for _ in range(window):
        submit_next()
    for future in running:
        spec = pending.pop(future.key)
        try:
            status = future.result()
        except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: record it, go on
            status = failure(spec, error("E053", id=spec.id, kind=type(exc).__name__, detail=str(exc)[:300]))
        future.release()
        on_result(status)
        submit_next()
