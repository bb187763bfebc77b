"""`bench news`: the output of `compare` with default Settings, scored against people's annotations on real news.

Three sets, all scoring only the Result that :func:`app.compare` returns:
``mqm`` (MQM-News zh→en, dev or test), ``rewrites`` (real rewrites with gold
links and must-flag items, dev only) and ``identity`` (every sample article
against itself: the target is zero difference spans). Definitions and current
numbers: docs/benchmarks-news.md.

    python -m bench.news --split dev [--sets mqm,rewrites,identity] [--save-dir out/news] [--limit N]
                         [--set NAME=VALUE ...]

``--set`` changes a setting for a tuning scan (docs/tuning-history.md records such scans); the report
then lists the changed settings under ``settings_changed``, and its numbers are not the defaults'.
Progress goes to stderr; the last line of stdout is the report as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Callable

from app import compare
from app.errors import FrameDiffError
from app.settings import Settings

from . import news_mqm, news_rewrites
from .news_spans import difference_spans, kind_name

SETS = ("mqm", "rewrites", "identity")
SPLITS = ("dev", "test")
SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


class _Run:
    """What every set shares: the comparison with default settings, the first signature, saved outputs."""

    def __init__(self, save_dir: Path | None, log: Callable[[str], None], settings: Settings | None = None):
        self.settings = settings or Settings()
        self.save_dir = Path(save_dir) if save_dir is not None else None
        self.log = log
        self.first = None

    def compare(self, a, b, **languages):
        result = compare(a, b, settings=self.settings, **languages)
        if self.first is None:
            self.first = result
        return result

    def save(self, folder: str, name: str, result, scores: dict) -> None:
        if self.save_dir is None:
            return
        out = self.save_dir / folder
        out.mkdir(parents=True, exist_ok=True)
        file_name = re.sub(r"[^\w.-]+", "_", name) + ".json"
        (out / file_name).write_text(result.to_json(), encoding="utf-8")
        with (out / "scores.jsonl").open("a", encoding="utf-8") as lines:
            lines.write(json.dumps({"name": name, **scores}, ensure_ascii=False) + "\n")

    def clear(self, folder: str) -> None:
        if self.save_dir is not None:
            (self.save_dir / folder / "scores.jsonl").unlink(missing_ok=True)


def check_text(result, pair_id: str, **texts: str) -> None:
    """Offsets only line up if compare kept each text exactly as given."""
    for side, text in texts.items():
        if result.articles[side].text != text:
            raise ValueError(f"{pair_id}: compare changed the text of side {side}; gold offsets would not line up")


def run_mqm(run: _Run, data: Path, split: str, limit: int | None) -> dict:
    pairs = news_mqm.read_pairs(data, split)[:limit]
    folder = f"mqm-{split}"
    run.clear(folder)
    scores = []
    for k, pair in enumerate(pairs, 1):
        result = run.compare(pair.text_a, pair.text_b, lang_a="zh", lang_b="en")
        check_text(result, f"{pair.doc} {pair.system}", a=pair.text_a, b=pair.text_b)
        scores.append(news_mqm.score_pair(pair, result))
        run.save(folder, f"{pair.doc}__{pair.system}", result, scores[-1])
        if k % 10 == 0 or k == len(pairs):
            run.log(f"mqm {split}: {k}/{len(pairs)} pairs")
    return {"split": split, **news_mqm.mqm_metrics(scores), "token_auc": token_auc(data, split, run, limit)}


def token_auc(data: Path, split: str, run: _Run, limit: int | None) -> dict | None:
    """Word-level ROC-AUC of the word model's probabilities on this split (omission words of a and addition
    words of b against faithful words), from the evidence ``bench.word_model`` caches; None when the
    settings do not score words with the fitted model, or for a partial run (``--limit``)."""
    if limit is not None or not run.settings.word_diff or run.settings.word_model == "none":
        return None
    from app.steps.words.word_model import word_model
    from . import word_model as fit

    tokens, _ = fit.extract(f"mqm-{split}", fit.read_records(Path(data) / "mqm-news-zhen" / f"{split}.jsonl", 0),
                            log=run.log)
    return fit.token_auc(tokens, fit.model_scores(tokens, word_model()))


def run_rewrites(run: _Run, data: Path, limit: int | None) -> dict:
    pairs = news_rewrites.read_pairs(data)[:limit]
    run.clear("rewrites")
    scores = []
    for pair in pairs:
        result = run.compare(pair.a.text, pair.b.text)   # languages: the app's own detection
        check_text(result, pair.id, a=pair.a.text, b=pair.b.text)
        scores.append(news_rewrites.score_pair(pair, result))
        run.save("rewrites", pair.id, result, scores[-1])
        run.log(f"rewrites: {pair.id}: {scores[-1]['difference_spans']} difference spans")
    return news_rewrites.rewrites_metrics(scores)


def run_identity(run: _Run, limit: int | None) -> dict:
    files = sorted([*SAMPLES.glob("*/a.*.txt"), *SAMPLES.glob("*/b*.txt")])[:limit]
    run.clear("identity")
    per_file, by_language, by_kind = {}, Counter(), Counter()
    for path in files:
        result = run.compare(path, path)
        spans = difference_spans(result)
        name = path.relative_to(SAMPLES).as_posix()
        per_file[name] = len(spans)
        by_language[result.articles["a"].language] += len(spans)
        by_kind.update(kind_name(s) for s in spans)
        run.save("identity", name, result, {"difference_spans": len(spans)})
    run.log(f"identity: {sum(per_file.values())} difference spans over {len(files)} files")
    return {"total": sum(per_file.values()), "by_language": dict(sorted(by_language.items())),
            "by_kind": dict(sorted(by_kind.items())), "files": per_file}


def run_news_bench(data: Path = Path("../shared/benchmarks"), *, split: str = "dev",
                   sets: tuple[str, ...] = SETS, save_dir: Path | None = None, limit: int | None = None,
                   log: Callable[[str], None] = print, settings: Settings | None = None) -> dict:
    """Run the chosen sets and return the report (see the module docstring and docs/benchmarks-news.md).

    ``settings`` (default: the defaults) is for tuning scans; the report names what differs from the defaults.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    unknown = set(sets) - set(SETS)
    if unknown:
        raise ValueError(f"unknown sets {sorted(unknown)}: choose from {', '.join(SETS)}")
    t0 = time.perf_counter()
    run = _Run(save_dir, log, settings)
    report: dict = {"bench": "news", "split": split}
    changed = {k: v for k, v in run.settings.to_dict().items() if v != getattr(Settings(), k)}
    if changed:
        report["settings_changed"] = changed
    if "mqm" in sets:
        report["mqm"] = run_mqm(run, Path(data), split, limit)
    if "rewrites" in sets:
        report["rewrites"] = run_rewrites(run, Path(data), limit)
    if "identity" in sets:
        report["identity"] = run_identity(run, limit)
    report["signature"] = run.first.signature if run.first else None
    report["config_hash"] = run.first.config_hash if run.first else None
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report


def settings_from(assignments: list[str]) -> Settings:
    """Settings with ``NAME=VALUE`` changes, each value read as TOML (0.3, true, "text").

    An unknown name or a line that is not TOML exits with a message; a value out of range or of the
    wrong type raises the settings' own coded error (E017)."""
    try:
        values = tomllib.loads("\n".join(assignments))
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"--set: not NAME=VALUE ({exc})") from None
    defaults = Settings()
    values = {k: float(v) if isinstance(getattr(defaults, k, None), float) and isinstance(v, int) else v
              for k, v in values.items()}
    try:
        return defaults.replace(**values)
    except TypeError as exc:
        raise SystemExit(f"--set: {exc}") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.news", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchmarks"))
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    parser.add_argument("--save-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="first N pairs (files) of each set")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="change one setting for a tuning scan, as a TOML line (word_diff_threshold_cross=0.3)")
    args = parser.parse_args(argv)
    sets = tuple(s.strip() for s in args.sets.split(",") if s.strip())
    try:
        settings = settings_from(args.set)
    except FrameDiffError as exc:
        raise SystemExit(f"--set: {exc}") from None
    report = run_news_bench(args.data, split=args.split, sets=sets, save_dir=args.save_dir, limit=args.limit,
                            log=lambda line: print(line, file=sys.stderr, flush=True), settings=settings)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
