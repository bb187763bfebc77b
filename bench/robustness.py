"""``python -m bench.robustness``: cost bounded by design, and no crash on hostile input.

Three parts, one JSON report (the last stdout line):

* **cost**: seconds (wall and CPU) and peak memory (RSS) of one ``compare`` at 10k, 50k and 200k
  characters per side, for Chinese without any punctuation (one "sentence" before the cap in
  app/text/sentence_limit.py) and for ordinary news text. Each run is a fresh interpreter, so its peak
  is its own; ``baseline_mb`` is that process with USE-m3 loaded and warmed up, before the run.
  The texts are generated from the project's own samples (corpora/samples), shuffled and varied
  so that no two sentences repeat (repeats would hit the caches and flatter the numbers).
* **budget**: the web server's per-request time budget stops a 200k-character comparison (E041)
  within a second or two of the budget, so a heavy request frees its slot.
* **fuzz**: ``cases`` seeded hypothesis cases (bench/fuzz_cases.py) through ``compare``: most
  with the hash.v1 embedder (reading, decoding, segmentation, alignment and the result, fast),
  ``use_m3_cases`` of them with USE-m3 and the word level. Outcomes are counted; an uncoded
  exception or a span that does not slice its text counts as a failure, and the bench requires 0.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
KINDS = ("zh-unpunctuated", "news")
SIZES = (10_000, 50_000, 200_000)
MEMORY_LIMIT_MB = 2048          # the default 200,000-character limit must fit in this
BUDGET_SECONDS = 10.0


# -- generated texts ----------------------------------------------------------------------------

def _sample_sentences(pattern: str, splitter: str) -> list[str]:
    sentences = []
    for path in sorted(SAMPLES.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s.strip() for s in re.split(splitter, line) if len(s.strip()) > 8]
    return sentences


def generated_text(kind: str, chars: int, *, seed: int) -> str:
    """``chars`` characters of ``kind`` text built from the samples, every sentence varied."""
    from app.text.chinese import HAN_UNIFIED

    rng = random.Random(seed)
    if kind == "news":
        sentences = _sample_sentences("*/a*.en.txt", r"(?<=[.!?])\s+")
        vocabulary = sorted({w for s in sentences for w in s.split()})
    else:
        sentences = _sample_sentences("*/b*.zh.txt", r"(?<=[。！？])")
        vocabulary = sorted({w for s in sentences for w in re.findall(f"[{HAN_UNIFIED}]{{2}}", s)})
    parts, size = [], 0
    while size < chars:
        sentence = _vary(rng.choice(sentences), vocabulary, rng, kind)
        if kind == "news":
            sentence += "\n" if rng.random() < 0.2 else " "
        else:
            sentence = re.sub(r"[\W\d_]", "", sentence)     # no punctuation, no spaces, no digits at all
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:chars]


def _vary(sentence: str, vocabulary: list[str], rng: random.Random, kind: str) -> str:
    if kind == "news":
        words = sentence.split()
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        return " ".join(words)
    chars = list(sentence)
    for _ in range(3):
        at = rng.randrange(max(1, len(chars) - 1))
        chars[at:at + 2] = rng.choice(vocabulary)
    return "".join(chars)


# -- cost: one run per fresh interpreter -----------------------------------------------------------

def measure_one(kind: str, chars: int) -> dict:
    """Run one comparison in this process and report its cost (called in a child process)."""
    import psutil

    from app.pipeline import compare, load_embedder

    embedder = load_embedder("use-m3", None)
    compare("The committee met on Monday.", "委员会周一开会。", embedder=embedder, cache=None)   # warm up
    a, b = generated_text(kind, chars, seed=1), generated_text(kind, chars, seed=2)
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = compare(a, b, embedder=embedder, cache=None, lang_a="zh" if kind != "news" else "en",
                     lang_b="zh" if kind != "news" else "en")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    done.set()
    sampler.join()
    max_rss = max(peak[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    longest = max(s.end - s.start for s in result.articles["a"].sentences)
    return {"kind": kind, "chars": chars, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "peak_mb": round(max_rss / 2**20), "baseline_mb": round(baseline / 2**20),
            "sentences_a": len(result.articles["a"].sentences), "longest_sentence": longest,
            "spans": len(result.spans)}


def measure_in_child(kind: str, chars: int) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.robustness", "--one", kind, str(chars)], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        return {"kind": kind, "chars": chars, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- budget ----------------------------------------------------------------------------------------

def measure_budget(seconds: float = BUDGET_SECONDS) -> dict:
    """How long a 200k-character request holds its slot when the server's budget is ``seconds``."""
    from app.errors import FrameDiffError
    from app.settings import Settings
    from app.web.engine import compare_texts

    a, b = generated_text("zh-unpunctuated", 200_000, seed=1), generated_text("zh-unpunctuated", 200_000, seed=2)
    started = time.perf_counter()
    try:
        compare_texts(a, b, settings=Settings(), budget_seconds=seconds)
        code = "finished"
    except FrameDiffError as exc:
        code = exc.code
    return {"budget_seconds": seconds, "outcome": code, "held_slot_seconds": round(time.perf_counter() - started, 2)}


# -- fuzz ------------------------------------------------------------------------------------------

def run_fuzz(cases: int, *, model: str, log=print) -> dict:
    """``cases`` seeded cases through compare with ``model``; outcome counts and the first failures."""
    from hypothesis import HealthCheck, given, settings

    from bench.fuzz_cases import cases as case_strategy
    from bench.fuzz_cases import run_case
    from models.registry import get_embedder

    if cases <= 0:      # hypothesis refuses max_examples=0
        return {"model": model, "cases": 0, "seconds": 0.0, "outcomes": {}, "uncoded": 0, "broken_results": 0,
                "failures": []}
    embedder = get_embedder(model)
    outcomes: collections.Counter = collections.Counter()
    failures: list[dict] = []

    @settings(max_examples=cases, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case_strategy)
    def one(case):
        try:
            outcomes[run_case(case, embedder=embedder, model=model)] += 1
        except Exception as exc:  # noqa: BLE001 - the bench counts what the product must never do
            kind = "broken_result" if isinstance(exc, AssertionError) else "uncoded"
            outcomes[kind] += 1
            if len(failures) < 10:
                failures.append({"kind": kind, "error": f"{type(exc).__name__}: {str(exc)[:200]}",
                                 "case": repr(case)[:400], "where": traceback.format_exc().splitlines()[-3:]})
        done = sum(outcomes.values())
        if done % 1000 == 0:
            log(f"fuzz {model}: {done}/{cases} cases, {outcomes['uncoded'] + outcomes['broken_result']} failures")

    started = time.perf_counter()
    one()
    return {"model": model, "cases": sum(outcomes.values()), "seconds": round(time.perf_counter() - started, 1),
            "outcomes": dict(sorted(outcomes.items())), "uncoded": outcomes["uncoded"],
            "broken_results": outcomes["broken_result"], "failures": failures}


# -- the bench -------------------------------------------------------------------------------------

def run_robustness_bench(*, cases: int = 10000, log=print, sizes: tuple[int, ...] = SIZES,
                         use_m3_cases: int | None = None) -> dict:
    """The cost table, the budget check and the fuzz summary (module docstring)."""
    from app import __version__

    # One case in fifty with the real model, at least 50 of them, never more than ``cases`` in all.
    use_m3_cases = min(cases, max(50, cases // 50) if use_m3_cases is None else use_m3_cases)
    cost = []
    for kind in KINDS:
        for chars in sizes:
            log(f"cost: {kind}, {chars:,} characters per side (fresh process)")
            cost.append(measure_in_child(kind, chars))
            log(f"  {cost[-1]}")
    log("budget: a 200,000-character request against a 10 s budget")
    budget = measure_budget()
    log(f"  {budget}")
    fuzz = [run_fuzz(max(0, cases - use_m3_cases), model="hash", log=log),
            run_fuzz(use_m3_cases, model="use-m3", log=log)]
    largest = [row for row in cost if row.get("chars") == max(sizes)]
    total_cases = sum(f["cases"] for f in fuzz)
    failures = sum(f["uncoded"] + f["broken_results"] for f in fuzz)
    return {"bench": "robustness", "framediff_version": __version__,
            "load_average": [round(x, 1) for x in os.getloadavg()],     # this machine is shared: context for seconds
            "cost": cost,
            "memory_limit_mb": MEMORY_LIMIT_MB,
            "largest_within_limit": all(row.get("peak_mb", 1e9) < MEMORY_LIMIT_MB for row in largest),
            "budget": budget, "fuzz": fuzz, "fuzz_cases": total_cases, "fuzz_failures": failures,
            "ok": failures == 0 and all(row.get("peak_mb", 1e9) < MEMORY_LIMIT_MB for row in largest)}


def cost_table(rows: list[dict]) -> str:
    """The cost rows as a Markdown table (for docs/robustness.md)."""
    lines = ["| text | characters per side | sentences (a) | longest | seconds | CPU s | peak MB | baseline MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['kind']} | {r['chars']:,} | error: {r['error']} | | | | | |")
            continue
        lines.append(f"| {r['kind']} | {r['chars']:,} | {r['sentences_a']:,} | {r['longest_sentence']} | "
                     f"{r['seconds']} | {r['cpu_seconds']} | {r['peak_mb']:,} | {r['baseline_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.robustness", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10000, help="fuzz cases in all (default 10,000)")
    parser.add_argument("--use-m3-cases", type=int, default=None, help="of which with USE-m3 (default cases/50)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters per side, comma-separated")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "CHARS"), help=argparse.SUPPRESS)
    parser.add_argument("--fuzz-only", action="store_true", help="only the fuzz cases (no cost table, no budget)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    if args.fuzz_only:
        use_m3 = min(args.cases, max(50, args.cases // 50) if args.use_m3_cases is None else args.use_m3_cases)
        fuzz = [run_fuzz(args.cases - use_m3, model="hash", log=log), run_fuzz(use_m3, model="use-m3", log=log)]
        print(json.dumps({"bench": "robustness", "fuzz": fuzz, "fuzz_cases": sum(f["cases"] for f in fuzz),
                          "fuzz_failures": sum(f["uncoded"] + f["broken_results"] for f in fuzz)}, ensure_ascii=False))
        return
    report = run_robustness_bench(cases=args.cases, log=log, use_m3_cases=args.use_m3_cases,
                                  sizes=tuple(int(s) for s in args.sizes.split(",")))
    log(cost_table(report["cost"]))
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
