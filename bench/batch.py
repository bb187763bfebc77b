"""`python -m bench batch --pairs N`: batch throughput on 1 and 2 Dask workers, cold and warm cache.

The corpus is generated from the project's own sample pairs (corpora/samples): each
generated pair renames the sample's invented company, port or firm with a made-up
name, and gets its own outlet and date, so the report has something to group by.
Sentences that do not name it repeat across pairs of the same sample, so even a
"cold" run hits the cache for some of them; the JSON reports hits and misses.
Cold runs use a fresh cache folder each; the warm run reuses the last cold cache.

Wall-clock pairs/s is what counts, but on a shared machine it mostly measures the
other tenants; ``cpu_seconds_per_pair`` (CPU time inside each worker) shows whether
the workers slow each other down (it should not grow from 1 to 2 workers).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from app.batch import BatchOptions, run_batch
from app.settings import Settings
from bench.stats import bootstrap_mean_ci

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
# (English name, Chinese name) of the invented entity each sample is about.
ENTITIES = {"norvale": ("Norvale", "诺瓦尔"), "harbour-strike": ("Elsberg", "埃尔斯伯格"),
            "lakeside-trial": ("Lakeside", "湖畔")}
SYLLABLES = [("Kor", "科"), ("Val", "瓦"), ("Mar", "马"), ("Ten", "滕"), ("Lis", "利"), ("Bru", "布"),
             ("Ost", "奥"), ("Fen", "芬")]
ENDINGS = [("ane", "安"), ("ix", "克斯"), ("ora", "拉"), ("ent", "特"), ("ell", "尔"), ("uro", "罗")]
OUTLETS = ["Harbour Daily (fictional)", "Evening Lantern (fictional)", "North Ridge Post (fictional)",
           "Capital Wire Digest (fictional)"]
TARGET_SPEEDUP = 1.7


def generated_name(k: int) -> tuple[str, str]:
    """The k-th made-up (English, Chinese) name: two syllables and an ending, all distinct for k < 288."""
    first, k = SYLLABLES[k % len(SYLLABLES)], k // len(SYLLABLES)
    second, k = SYLLABLES[k % len(SYLLABLES)], k // len(SYLLABLES)
    ending = ENDINGS[k % len(ENDINGS)]
    return first[0] + second[0].lower() + ending[0], first[1] + second[1] + ending[1]


def sample_pairs() -> list[tuple[str, str, str, dict]]:
    """(name, text a, text b, meta) of each sample pair with a known entity."""
    pairs = []
    for name in sorted(ENTITIES):
        folder = SAMPLES / name
        text_a = next(folder.glob("a.*")).read_text(encoding="utf-8")
        text_b = next(folder.glob("b.*")).read_text(encoding="utf-8")
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        pairs.append((name, text_a, text_b, meta))
    return pairs


def make_corpus(n_pairs: int, folder: Path) -> Path:
    """Write ``folder/pairs.jsonl`` with ``n_pairs`` generated pairs (texts inline) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = sample_pairs()
    start = date(2026, 1, 5)
    lines = []
    for k in range(n_pairs):
        name, text_a, text_b, meta = samples[k % len(samples)]
        en, zh = ENTITIES[name]
        new_en, new_zh = generated_name(k // len(samples))
        lines.append(json.dumps({
            "id": f"gen-{k:05d}-{name}", "a": text_a.replace(en, new_en), "b": text_b.replace(zh, new_zh),
            "outlet_a": meta.get("outlet_a"), "outlet_b": OUTLETS[k % len(OUTLETS)],
            "lang_a": meta.get("lang_a"), "lang_b": meta.get("lang_b"),
            "date": (start + timedelta(days=7 * (k % 40))).isoformat()}, ensure_ascii=False))
    path = folder / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(corpus: Path, out: Path, *, workers: int, cache_dir: Path, settings: Settings, label: str) -> dict:
    pair_seconds: list[float] = []      # wall time of each compared pair, in its worker

    def on_pair(status: dict) -> None:
        if status["ok"]:
            pair_seconds.append(status["seconds"])

    summary = run_batch(corpus, out, options=BatchOptions(settings=settings, workers=workers, cache_dir=str(cache_dir)),
                        on_pair=on_pair)
    keys = ("compared", "failed", "sentences", "seconds", "pairs_per_s", "sentences_per_s", "cache_hits",
            "cache_misses", "cpu_seconds_per_pair", "pair_seconds_mean")
    return {"run": label, "workers": workers, **{k: summary[k] for k in keys},
            "pair_seconds_ci95": bootstrap_mean_ci(pair_seconds) if pair_seconds else None}


def run_batch_bench(*, n_pairs: int = 24, workers: tuple[int, ...] = (1, 2), model: str = "use-m3",
                    log: Callable[[str], None] = lambda _: None) -> dict:
    settings = Settings(model=model)
    with tempfile.TemporaryDirectory(prefix="framediff-bench-batch-") as tmp:
        root = Path(tmp)
        corpus = make_corpus(n_pairs, root / "corpus")
        runs = []
        for n in workers:
            log(f"cold cache, {n} worker(s), {n_pairs} pairs")
            runs.append(_run(corpus, root / f"out-{n}", workers=n, cache_dir=root / f"cache-{n}",
                             settings=settings, label="cold"))
        last = workers[-1]
        log(f"warm cache, {last} worker(s)")
        runs.append(_run(corpus, root / "out-warm", workers=last, cache_dir=root / f"cache-{last}",
                         settings=settings, label="warm"))
        first_result = json.loads(next((root / f"out-{last}" / "pairs").glob("*.json")).read_text(encoding="utf-8"))
    by_workers = {r["workers"]: r for r in runs if r["run"] == "cold"}
    speedup = None
    if 1 in by_workers and 2 in by_workers and by_workers[1]["pairs_per_s"]:
        speedup = round(by_workers[2]["pairs_per_s"] / by_workers[1]["pairs_per_s"], 3)
    estimate = None
    if 1 in by_workers and 2 in by_workers and by_workers[2]["cpu_seconds_per_pair"]:
        # What 2 workers would give on two free cores: per-worker CPU cost, no other tenants.
        estimate = round(2 * by_workers[1]["cpu_seconds_per_pair"] / by_workers[2]["cpu_seconds_per_pair"], 3)
    return {"bench": "batch", "pairs": n_pairs, "model": model, "runs": runs,
            "speedup_2_vs_1": speedup, "speedup_2_vs_1_cpu_estimate": estimate, "target_speedup": TARGET_SPEEDUP,
            "target_met": None if speedup is None else speedup >= TARGET_SPEEDUP,
            "cpu_count": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2),
            "signature": first_result["signature"], "config_hash": first_result["config_hash"]}
