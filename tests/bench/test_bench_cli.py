"""``python -m bench``: the laboratory lives outside the product, and the product never imports it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import typer.main
from typer.testing import CliRunner

from bench.cli import app
from bench.stats import bootstrap_ci, bootstrap_mean_ci, roc_auc, spearman

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"align", "calibrate", "translate-compare", "frames", "semdiff", "word-weights", "xparade", "bias",
            "news", "robustness", "batch", "speed", "web", "many", "word-model", "span-confidence",
            "robustness-limits"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_product_module_imports_bench():
    offenders = [str(path.relative_to(ROOT)) for folder in ("app", "models") for path in (ROOT / folder).rglob("*.py")
                 if any(name == "bench" or name.startswith("bench.") for name in _imported_modules(path))]
    assert not offenders, f"the product imports bench: {offenders}"
    assert not (ROOT / "app" / "bench").exists()


def test_the_bench_commands_are_all_there():
    assert set(typer.main.get_command(app).commands) == COMMANDS


def test_python_m_app_has_no_bench_command():
    from app.cli import app as product

    assert "bench" not in typer.main.get_command(product).commands


def test_python_m_bench_runs_and_prints_its_help():
    out = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "align" in out.stdout and "news" in out.stdout


def test_a_bench_on_missing_data_is_a_coded_error(tmp_path):
    out = CliRunner().invoke(app, ["align", "--data", str(tmp_path)])
    assert out.exit_code == 1 and "E013" in out.output


def test_a_bench_module_not_in_this_checkout_says_so(monkeypatch):
    import bench.cli

    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(bench.cli.importlib, "import_module", missing)
    out = CliRunner().invoke(app, ["robustness", "--cases", "3"])
    assert out.exit_code == 1 and "bench/robustness.py is not in this checkout yet" in out.output


def test_the_news_command_passes_its_options(monkeypatch, tmp_path):
    import bench.cli

    seen = {}

    def fake(data, *, split, sets, save_dir, limit, log, settings):
        seen.update(data=data, split=split, sets=sets, save_dir=save_dir, limit=limit,
                    threshold=settings.word_diff_threshold_cross)
        return {"bench": "news"}

    real = bench.cli.bench_function
    monkeypatch.setattr(bench.cli, "bench_function",
                        lambda module, function: fake if function == "run_news_bench" else real(module, function))
    out = CliRunner().invoke(app, ["news", "--data", str(tmp_path), "--split", "test", "--sets", "mqm, identity",
                                   "--limit", "2", "--set", "word_diff_threshold_cross=0.3"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"bench": "news"}
    assert seen == {"data": tmp_path, "split": "test", "sets": ("mqm", "identity"), "save_dir": None, "limit": 2,
                    "threshold": 0.3}
    out = CliRunner().invoke(app, ["news", "--set", "word_diff_threshold_cross=2.0"])
    assert out.exit_code != 0 and "E017" in out.output and "Traceback" not in out.output


def test_bootstrap_mean_interval_is_seeded_and_brackets_the_mean():
    values = [1.0, 1.2, 0.9, 1.4, 1.1, 1.0, 1.3]
    low, high = bootstrap_mean_ci(values)
    assert low <= np.mean(values) <= high
    assert bootstrap_mean_ci(values) == [low, high]
    # the general form with the same statistic gives the same interval
    assert bootstrap_ci(values, lambda resamples: resamples.mean(axis=1)) == [low, high]


def test_roc_auc_and_spearman():
    assert roc_auc([True, True, False, False], [0.9, 0.8, 0.2, 0.1]) == 1.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5                  # ties count half
    assert np.isnan(roc_auc([True, True], [0.1, 0.2]))                  # one class only
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0


def test_robustness_with_fewer_than_50_cases_runs_exactly_that_many(monkeypatch):
    """--cases 20 once crashed: the use-m3 share (at least 50) left the hash run 0 cases, which hypothesis refuses."""
    from bench import robustness

    asked = []

    def fuzz(cases, *, model, log):
        asked.append((model, cases))
        return {"cases": cases, "uncoded": 0, "broken_results": 0}

    monkeypatch.setattr(robustness, "measure_in_child", lambda kind, chars: {"kind": kind, "chars": chars, "peak_mb": 1})
    monkeypatch.setattr(robustness, "measure_budget", lambda: {})
    monkeypatch.setattr(robustness, "run_fuzz", fuzz)
    report = robustness.run_robustness_bench(cases=20, sizes=(10,), log=lambda _: None)
    assert asked == [("hash", 0), ("use-m3", 20)] and report["fuzz_cases"] == 20


def test_no_fuzz_cases_is_an_empty_run_not_an_error():
    from bench.robustness import run_fuzz

    assert run_fuzz(0, model="hash", log=lambda _: None)["cases"] == 0


def test_the_new_bench_commands_take_their_options():
    """word-model, span-confidence and robustness-limits: their options reach the run functions."""
    from typer.testing import CliRunner

    for name, option in (("word-model", "--systems-2021"), ("span-confidence", "--min-confidence"),
                         ("robustness-limits", "--cases")):
        res = CliRunner().invoke(app, [name, "--help"])
        assert res.exit_code == 0 and option in res.stdout, name
