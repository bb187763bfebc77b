"""`python -m bench semdiff`: Spearman of word difference scores on iSTS-RSD and SwissGov-RSD.

Texts are whitespace pre-tokenised (word i = ``text.split()[i]``); every word of
both sides is scored with :func:`app.steps.words.pretokenised.score_word_lists`. Spearman is
computed over all labelled words pooled per subset (gold -1 removed; side b only
when its labels are not all -1), as in Vamvas & Sennrich (2023) and SwissGov-RSD.
iSTS-RSD is a sample of a test benchmark and SwissGov ``test`` is the report
split: nothing is tuned on them (weights and thresholds come from SwissGov
``dev_train``/``dev_val``, see docs/benchmarks.md).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import numpy as np

from app.errors import error
from app.pipeline import load_embedder
from app.steps.words.pretokenised import score_word_lists
from bench.stats import spearman

ISTS_SUBSETS = ("ists", "ists_negatives", "ists_documents", "ists_permutations",
                "ists_de", "ists_es", "ists_fr", "ists_ja", "ists_ko", "ists_zh", "ists_it")
CROSS_LINGUAL = ("ists_de", "ists_es", "ists_fr", "ists_ja", "ists_ko", "ists_zh", "ists_it")
CJK_SUBSETS = {"ists_ja": "", "ists_ko": " ", "ists_zh": ""}
SWISSGOV_LANGS = ("de", "fr", "it")


def subset_language(subset: str) -> str:
    """Language of an iSTS-RSD subset's side b ("en" for the monolingual ones)."""
    return subset.removeprefix("ists_") if subset in CROSS_LINGUAL else "en"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def labelled_pairs(row: dict, scores_a: np.ndarray, scores_b: np.ndarray):
    """(score, gold) for every labelled word of one pair."""
    pairs = [(s, g) for s, g in zip(scores_a, row["labels_a"]) if g != -1]
    if any(g != -1 for g in row["labels_b"]):  # unlabelled sides may not match the word count
        pairs += [(s, g) for s, g in zip(scores_b, row["labels_b"]) if g != -1]
    return pairs


def score_rows(embedder, rows: list[dict], *, joiner_b: str = " ", language_b: str = "") -> tuple[float, int]:
    pooled = []
    for row in rows:
        words_a, words_b = row["text_a"].split(), row["text_b"].split()
        b_labelled = any(g != -1 for g in row["labels_b"])
        if len(words_a) != len(row["labels_a"]) or (b_labelled and len(words_b) != len(row["labels_b"])):
            raise error("E010", what=f"semdiff row {row.get('id')}", detail="label count differs from word count")
        scores_a, scores_b = score_word_lists(embedder, words_a, words_b, joiner_b=joiner_b, language_a="en",
                                              language_b=language_b)
        pooled += labelled_pairs(row, scores_a, scores_b)
    scores, gold = zip(*pooled)
    return spearman(scores, gold), len(pooled)


def swissgov_files(root: Path, split: str) -> dict[str, Path]:
    return {lang: root / "swissgov-rsd" / split / f"gold_admin_{lang}.jsonl" for lang in SWISSGOV_LANGS}


def run_semdiff_bench(data: Path, *, model: str = "use-m3", swissgov_split: str = "test",
                      log: Callable[[str], None] = lambda _: None) -> dict:
    data = Path(data)
    ists_path = data / "ists-rsd" / "gold_ists_rsd_11subsets.jsonl"
    if not ists_path.exists() or not (data / "swissgov-rsd").is_dir():
        raise error("E013", path=str(data), detail="expected ists-rsd/ and swissgov-rsd/; see ../shared/benchmarks/README.md")
    if swissgov_split not in ("test", "dev_train", "dev_val"):
        raise error("E009", what="split", name=swissgov_split, choices="test, dev_train, dev_val")
    embedder = load_embedder(model, None)
    t0 = time.perf_counter()
    report: dict = {"bench": "semdiff", "model": embedder.signature(), "metric": "spearman",
                    "swissgov_split": swissgov_split, "ists": {}, "swissgov": {}}
    rows = read_jsonl(ists_path)
    for subset in ISTS_SUBSETS:
        part = [r for r in rows if r["subset"] == subset]
        rho, n = score_rows(embedder, part, joiner_b=CJK_SUBSETS.get(subset, " "), language_b=subset_language(subset))
        report["ists"][subset] = {"spearman": round(rho, 4), "tokens": n, "pairs": len(part)}
        log(f"{subset}: {rho:.3f} ({n} tokens)")
    for lang, path in swissgov_files(data, swissgov_split).items():
        rho, n = score_rows(embedder, read_jsonl(path), language_b=lang)
        report["swissgov"][lang] = {"spearman": round(rho, 4), "tokens": n}
        log(f"swissgov {swissgov_split} {lang}: {rho:.3f} ({n} tokens)")
    cross = [report["ists"][s]["spearman"] for s in CROSS_LINGUAL]
    report["summary"] = {
        "ists": report["ists"]["ists"]["spearman"],
        "ists_zh": report["ists"]["ists_zh"]["spearman"],
        "cross_lingual_mean": round(float(np.mean(cross)), 4),
        "swissgov_mean": round(float(np.mean([v["spearman"] for v in report["swissgov"].values()])), 4)}
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report
