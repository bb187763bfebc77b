"""`python -m bench web`: latency of concurrent ``/compare`` calls against a local server.

Starts ``python -m app serve`` on a free localhost port in a subprocess, times its first call
(``first_call_s``: a sample pair the server did not warm up on) and a second one on another pair
(``second_call_s``; issue 24 asks the first to take at most twice the second), then runs ``rounds`` rounds of ``clients`` simultaneous calls with
gradio_client (one Client per simulated user) and reports p50/p95 latency. Traffic
goes to 127.0.0.1 only, and the number of calls is bounded by clients × rounds.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from app.errors import error

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "samples" / "norvale"
# The cold-start pairs, about the same size and neither the sample the server warms up on (norvale):
# the first call finds nothing of them kept, nor does the second.
FIRST_PAIR = ("rottervik",)
SECOND_PAIR = ("floods", "harbour-strike", "lakeside-trial")


def sample_pair(names: tuple[str, ...]) -> list[str]:
    return ["\n\n".join((ROOT / "corpora" / "samples" / n / f).read_text(encoding="utf-8").strip() for n in names)
            for f in ("a.en.txt", "b.zh.txt")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_server(*, concurrency: int = 2, cache: bool = True, timeout: float = 180.0,
                 extra_env: dict | None = None) -> Iterator[str]:
    """``python -m app serve`` on a free localhost port; yields its URL and stops it afterwards."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(extra_env or {})}
    if not cache:
        env["FRAMEDIFF_NO_CACHE"] = "1"
    cmd = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--concurrency", str(concurrency)]
    # A file, not a pipe: a chatty server must never block on a full pipe.
    server_log = tempfile.NamedTemporaryFile("w+", prefix="framediff-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_ready(proc, port, timeout, Path(server_log.name))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        server_log.close()
        Path(server_log.name).unlink(missing_ok=True)


def _wait_ready(proc: subprocess.Popen, port: int, timeout: float, server_log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = server_log.read_text(encoding="utf-8", errors="replace")
            raise error("E010", what="web server", detail=f"exited with {proc.returncode}: {out[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.5)
    raise error("E010", what="web server", detail=f"not listening on port {port} after {timeout:.0f} s")


def run_web_bench(*, clients: int = 4, rounds: int = 3, concurrency: int = 2, cache: bool = False,
                  log: Callable[[str], None] = lambda msg: None) -> dict:
    """p50/p95/mean/max seconds per ``/compare`` call with ``clients`` calls in flight at once."""
    from gradio_client import Client

    a_text = (SAMPLE / "a.en.txt").read_text(encoding="utf-8")
    b_text = (SAMPLE / "b.zh.txt").read_text(encoding="utf-8")
    load_before = os.getloadavg()[0]
    with local_server(concurrency=concurrency, cache=cache) as url:
        log(f"server at {url}; first and second call")
        users = [Client(url, verbose=False) for _ in range(clients)]
        t0 = time.perf_counter()
        users[0].predict(*sample_pair(FIRST_PAIR), api_name="/compare")
        first_call = time.perf_counter() - t0
        t0 = time.perf_counter()
        users[0].predict(*sample_pair(SECOND_PAIR), api_name="/compare")
        second_call = time.perf_counter() - t0
        first = users[0].predict(a_text, b_text, api_name="/compare")
        latencies: list[float] = []
        walls: list[float] = []

        def call(user) -> float:
            t0 = time.perf_counter()
            user.predict(a_text, b_text, api_name="/compare")
            return time.perf_counter() - t0

        with ThreadPoolExecutor(max_workers=clients) as pool:
            for r in range(rounds):
                t0 = time.perf_counter()
                latencies.extend(pool.map(call, users))
                walls.append(time.perf_counter() - t0)
                log(f"round {r + 1}/{rounds}: {walls[-1]:.2f} s for {clients} calls")
    lat = np.array(latencies)
    return {"bench": "web", "first_call_s": round(first_call, 3), "second_call_s": round(second_call, 3),
            "first_over_second": round(first_call / second_call, 2),
            "clients": clients, "rounds": rounds, "calls": len(latencies),
            "server_concurrency": concurrency, "embedding_cache": cache,
            "p50_s": round(float(np.percentile(lat, 50)), 3), "p95_s": round(float(np.percentile(lat, 95)), 3),
            "mean_s": round(float(lat.mean()), 3), "max_s": round(float(lat.max()), 3),
            "calls_per_s": round(len(latencies) / sum(walls), 3),
            "cpus": os.cpu_count(), "loadavg_before": round(load_before, 2),
            "loadavg_after": round(os.getloadavg()[0], 2),
            "pair": "corpora/samples/norvale", "signature": first["signature"], "config_hash": first["config_hash"]}
