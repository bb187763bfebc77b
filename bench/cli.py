"""Command line of the benchmarks: ``python -m bench NAME``. Not part of the product (``app`` never imports it).

Each command parses options and calls one ``run_*`` function, which returns a report dict. Progress
goes to stderr; the report is printed as the last line of stdout, one JSON object, so scripts can
read it with ``tail -n 1``. Exit codes: 0 ok, 1 missing data or bad option.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Optional

import typer

from app.cli_settings import takes_settings
from app.errors import FrameDiffError
from app.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="FrameDiff benchmarks: quality and speed on external data (../shared/benchmarks).")

ALIGNMENT_DATA = Path("../shared/benchmarks/alignment")


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def print_report(run_bench, *args, **kwargs) -> None:
    """Run a bench with its progress on stderr; print its report as the last line (one JSON object)."""
    try:
        report = run_bench(*args, **kwargs, log=lambda msg: typer.echo(msg, err=True))
    except FrameDiffError as exc:
        fail(str(exc))
    typer.echo(json.dumps(report))


def bench_function(module: str, function: str):
    """``bench.<module>.<function>``, imported when the command runs.

    Benches written alongside others may not be in this checkout yet; their command then says so
    instead of breaking every other command at import time.
    """
    try:
        return getattr(importlib.import_module(f"bench.{module}"), function)
    except ModuleNotFoundError as exc:
        if exc.name != f"bench.{module}":
            raise
        fail(f"bench/{module}.py is not in this checkout yet (the `{module.replace('_', '-')}` bench)")
    except AttributeError:
        fail(f"bench/{module}.py has no {function}()")


@app.command("align")
@takes_settings("model", "attach_unaligned")
def align_cli(
    data: Path = typer.Option(ALIGNMENT_DATA, help="The alignment benchmark folder."),
    split: str = typer.Option("dev", help="dev (MAC-Dev, to tune on) or test (MAC-Test + Text+Berg)."),
    shuffle: bool = typer.Option(False, "--shuffle", help="Shuffle blocks of the English side first."),
    oracle_order: bool = typer.Option(False, "--oracle-order",
                                      help="With --shuffle: give the aligner the true order (diagnosis)."),
    *,
    settings: Settings,
):
    """Strict and lax P/R/F1 on MAC and Text+Berg, and seconds per document."""
    from bench.align import run_align_bench

    print_report(run_align_bench, data, split=split, shuffle=shuffle, oracle_order=oracle_order,
                 model=settings.model, attach_unaligned=settings.attach_unaligned)


@app.command("calibrate")
@takes_settings("model")
def calibrate_cli(
    data: Path = typer.Option(ALIGNMENT_DATA, help="The alignment benchmark folder."),
    *,
    settings: Settings,
):
    """Choose kept_threshold_cross/mono and min_link_score on MAC-Dev (rules in docs/method.md, "Calibration")."""
    from bench.calibrate import run_calibrate

    print_report(run_calibrate, data, model=settings.model)


@app.command("translate-compare")
def translate_compare_cli(
    data: Path = typer.Option(ALIGNMENT_DATA, help="The alignment benchmark folder."),
    split: str = typer.Option("dev", help="dev (MAC-Dev) or test (MAC-Test)."),
):
    """Cross-lingual zh↔en vs translate-then-compare (MAC's Google MT of zh) ↔ en: strict/lax F1."""
    from bench.translate_compare import run_translate_compare_bench

    print_report(run_translate_compare_bench, data, split=split)


@app.command("frames")
@takes_settings("model")
def frames_cli(
    data: Path = typer.Option(ALIGNMENT_DATA, help="The alignment benchmark folder."),
    split: str = typer.Option("dev", help="dev (MAC-Dev) or test (MAC-Test)."),
    *,
    settings: Settings,
):
    """Frame shift that faithful zh-en translations (MAC) show: the noise floor of the frame labels."""
    from bench.frames import run_frames_bench

    print_report(run_frames_bench, data, split=split, model=settings.model)


@app.command("semdiff")
@takes_settings("model")
def semdiff_cli(
    data: Path = typer.Option(Path("../shared/benchmarks/semdiff"), help="The semdiff benchmark folder."),
    swissgov_split: str = typer.Option("test", help="SwissGov-RSD split: test (report), dev_train or dev_val (tune)."),
    *,
    settings: Settings,
):
    """Spearman of word difference scores on the 11 iSTS-RSD subsets and SwissGov-RSD de/fr/it."""
    from bench.semdiff import run_semdiff_bench

    print_report(run_semdiff_bench, data, model=settings.model, swissgov_split=swissgov_split)


@app.command("word-weights")
@takes_settings("model")
def word_weights_cli(
    semdiff: Path = typer.Option(Path("../shared/benchmarks/semdiff"), help="The semdiff benchmark folder."),
    xparade: Path = typer.Option(Path("../shared/benchmarks/xparade"), help="The X-PARADE benchmark folder."),
    *,
    settings: Settings,
):
    """Refit the word-score weights on SwissGov-RSD dev_train + X-PARADE dev; held-out dev numbers."""
    from bench.word_weights import run_word_weights

    print_report(run_word_weights, semdiff, xparade, model=settings.model)


@app.command("xparade")
@takes_settings("model")
def xparade_cli(
    data: Path = typer.Option(Path("../shared/benchmarks/xparade"), help="The X-PARADE benchmark folder."),
    split: str = typer.Option("test", help="test (report) or dev (tune)."),
    *,
    settings: Settings,
):
    """ROC-AUC (new vs same) and Spearman of word scores on X-PARADE en-zh and zh-en."""
    from bench.xparade import run_xparade_bench

    print_report(run_xparade_bench, data, split=split, model=settings.model)


@app.command("bias")
@takes_settings("min_loaded_weight", "lexicon_extension", "valence_min")
def bias_cli(
    data: Path = typer.Option(Path("../shared/benchmarks/bias"), help="The bias benchmark folder (babe/, basil/)."),
    split: str = typer.Option("report", help="report (BABE SG2 rows not in SG1; BASIL >= 2015) or dev (the rest)."),
    *,
    settings: Settings,
):
    """BABE word-level P/R/F1 and BASIL lexical-bias span recall/precision of loaded-term flags."""
    from bench.bias import run_bias_bench

    print_report(run_bias_bench, data, split=split, settings=settings)


@app.command("news")
def news_cli(
    data: Path = typer.Option(Path("../shared/benchmarks"), "--data", help="The benchmarks folder (mqm-news-zhen/, rewrites/)."),
    split: str = typer.Option("dev", "--split", help="dev (to tune on) or test (report)."),
    sets: str = typer.Option("mqm,rewrites,identity", "--sets", help="Comma-separated sets to run: mqm, rewrites, identity."),
    save_dir: Optional[Path] = typer.Option(None, "--save-dir", help="Also write each pair's result JSON here."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many pairs per set (a quick check)."),
    changes: list[str] = typer.Option([], "--set", help="NAME=VALUE (a TOML line): change one setting for a tuning scan; the report lists it under settings_changed."),
):
    """The deciding number: `compare` with default settings on real news, scored against people's annotations."""
    if split not in ("dev", "test"):
        fail(f"--split must be dev or test, not {split!r}")
    run_news_bench = bench_function("news", "run_news_bench")
    try:
        settings = bench_function("news", "settings_from")(changes)
    except FrameDiffError as exc:           # a value out of range or of the wrong type
        fail(str(exc))
    print_report(run_news_bench, data, split=split, sets=tuple(s.strip() for s in sets.split(",") if s.strip()),
                 save_dir=save_dir, limit=limit, settings=settings)


@app.command("robustness")
def robustness_cli(
    cases: int = typer.Option(10000, "--cases", help="Generated hostile inputs to run through the readers and compare."),
):
    """Hostile and malformed inputs: every one must give a result or a coded error, never a crash."""
    run_robustness_bench = bench_function("robustness", "run_robustness_bench")
    print_report(run_robustness_bench, cases=cases)


@app.command("batch")
@takes_settings("model")
def batch_cli(
    pairs: int = typer.Option(24, "--pairs", help="Number of pairs to generate from corpora/samples."),
    *,
    settings: Settings,
):
    """Batch pairs/s and sentences/s on 1 and 2 Dask workers (cold cache) and with a warm cache."""
    from bench.batch import run_batch_bench

    print_report(run_batch_bench, n_pairs=pairs, model=settings.model)


@app.command("speed")
@takes_settings("model")
def speed_cli(
    repeats: int = typer.Option(5, help="Timed comparisons (each with a fresh, empty embedding cache)."),
    *,
    settings: Settings,
):
    """Seconds to compare a ~1,000-word en-zh sample pair once the model is loaded (cold cache)."""
    from bench.speed import run_speed_bench

    print_report(run_speed_bench, repeats=repeats, model=settings.model)


@app.command("many")
@takes_settings("model")
def many_cli(
    repeats: int = typer.Option(5, help="Timed runs of compare_many (each with a fresh, empty embedding cache)."),
    *,
    settings: Settings,
):
    """Seconds to compare one ~1,000-word source with five rewrites (compare_many), model loaded, cold cache."""
    run_many_bench = bench_function("many", "run_many_bench")
    print_report(run_many_bench, repeats=repeats, model=settings.model)


@app.command("web")
def web_cli(
    clients: int = typer.Option(4, "--clients", help="Concurrent /compare calls per round."),
    rounds: int = typer.Option(3, "--rounds", help="Timed rounds (after one warm-up call)."),
    concurrency: int = typer.Option(2, "--concurrency", help="The server's --concurrency."),
    cache: bool = typer.Option(False, "--cache", help="Let the server use the embedding cache (default: off, so every call embeds)."),
):
    """Latency (p50/p95) of concurrent /compare calls against a local server it starts."""
    from bench.web import run_web_bench

    print_report(run_web_bench, clients=clients, rounds=rounds, concurrency=concurrency, cache=cache)


@app.command("word-model")
def word_model_cli(
    data: Path = typer.Option(Path("../shared/benchmarks"), "--data", help="Benchmark data folder."),
    systems_2021: int = typer.Option(0, "--systems-2021", help="Systems per article of 2021 (0 = all 15)."),
    systems_2020: int = typer.Option(6, "--systems-2020", help="Systems per article of 2020 (0 = all 10)."),
    write: bool = typer.Option(False, "--write", help="Write the fit to corpora/models/word_scores.json."),
):
    """Fit the word model on MQM-News train by article; held-out token AUC, reliability, dev and test AUC."""
    run = bench_function("word_model", "run")
    print_report(run, data, systems={"2021": systems_2021, "2020": systems_2020}, write=write)


@app.command("span-confidence")
def span_confidence_cli(
    data: Path = typer.Option(Path("../shared/benchmarks"), "--data", help="Benchmark data folder."),
    min_confidence: str = typer.Option("0.3,0.4,0.5,0.6", "--min-confidence", help="Thresholds to evaluate, comma-separated."),
    write: bool = typer.Option(False, "--write", help="Write the table to corpora/models/span_confidence.json."),
):
    """The span confidence table from the rewrite pairs, and the gate it makes, by leave-one-pair-out."""
    run = bench_function("span_confidence", "run")
    print_report(run, data, min_confidence=[float(t) for t in min_confidence.split(",")], write=write)


@app.command("robustness-limits")
def robustness_limits_cli(
    cases: str = typer.Option("docx_bomb,mimetype_bomb,pdf_bomb,short_lines,slow_server,threads,charset", "--cases",
                              help="Cases to run, comma-separated."),
):
    """Decompression bombs, many short lines, a slow server, threads, a lying charset: each in a fresh process."""
    run_limits = bench_function("robustness_limits", "run_limits")
    print_report(run_limits, tuple(c for c in cases.split(",") if c))


def main() -> None:
    app()
