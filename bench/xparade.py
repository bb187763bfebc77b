"""`python -m bench xparade`: which words of a paragraph are new relative to the other language's paragraph.

X-PARADE (Rodriguez et al. 2023), en↔zh: target paragraphs come word-segmented
(``tokens``, index 0 is a language tag); the source paragraph (``premise``) is
plain text, segmented here (regex words for English, jieba for Chinese). Every
target word is scored against the premise with
:func:`app.steps.words.pretokenised.score_word_lists`. Reported per direction: ROC-AUC of
the scores for ``new`` vs ``same`` words (``inf``, "new but inferable", left
out) and Spearman over all labelled words with new = 1, inf = 0.5, same = 0.
Tune on ``--split dev``; ``test`` is the report split.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Callable

import numpy as np

from app.text.chinese import fold_to_simplified, word_spans
from app.errors import error
from app.pipeline import load_embedder
from app.steps.words.pretokenised import score_word_lists
from bench.stats import roc_auc, spearman

DIRECTIONS = ("en-zh", "zh-en")
GOLD_VALUE = {"new": 1.0, "inf": 0.5, "same": 0.0}
_EN_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def premise_words(text: str, language: str) -> list[str]:
    if language == "zh":
        folded = fold_to_simplified(text)
        return [folded[s:e] for s, e in word_spans(folded) if folded[s:e].strip()]
    return _EN_WORD.findall(text)


def target_words(item: dict) -> tuple[list[int], list[str]]:
    """Token indices (the language tag at index 0 left out) and their words, in order."""
    indices = sorted(int(k) for k in item["tokens"] if int(k) > 0)
    return indices, [item["tokens"][str(i)] for i in indices]


def score_item(embedder, item: dict, direction: str) -> list[tuple[float, str]]:
    source_lang, target_lang = direction.split("-")
    indices, words = target_words(item)
    if target_lang == "zh":
        words = [fold_to_simplified(w) for w in words]
    premise = premise_words(item["premise"], source_lang)
    scores, _ = score_word_lists(embedder, words, premise, joiner_a="" if target_lang == "zh" else " ",
                                 joiner_b="" if source_lang == "zh" else " ", language_a=target_lang,
                                 language_b=source_lang)
    label_of = {i: name for name, ids in item["labels"].items() for i in ids}
    return [(float(s), label_of[i]) for i, s in zip(indices, scores) if label_of.get(i) in GOLD_VALUE]


def metrics(pairs: list[tuple[float, str]]) -> dict:
    scores = np.array([s for s, _ in pairs])
    labels = [g for _, g in pairs]
    binary = [(s, g == "new") for s, g in pairs if g in ("new", "same")]
    auc = roc_auc([g for _, g in binary], [s for s, _ in binary])
    rho = spearman(scores, [GOLD_VALUE[g] for g in labels])
    return {"auc": round(float(auc), 4), "spearman": round(float(rho), 4), "tokens": len(pairs),
            "new": labels.count("new"), "inf": labels.count("inf"), "same": labels.count("same")}


def run_xparade_bench(data: Path, *, split: str = "test", model: str = "use-m3",
                      log: Callable[[str], None] = lambda _: None) -> dict:
    root = Path(data) / "complete_data_zh"
    if not root.is_dir():
        raise error("E013", path=str(data), detail="expected complete_data_zh/; see ../shared/benchmarks/README.md")
    if split not in ("dev", "test"):
        raise error("E009", what="split", name=split, choices="dev, test")
    embedder = load_embedder(model, None)
    t0 = time.perf_counter()
    report: dict = {"bench": "xparade", "split": split, "model": embedder.signature()}
    for direction in DIRECTIONS:
        items = json.loads((root / f"{direction}-adj-{split}.json").read_text(encoding="utf-8"))
        pairs = [p for item in items for p in score_item(embedder, item, direction)]
        report[direction] = {**metrics(pairs), "paragraphs": len(items)}
        log(f"{direction} {split}: {report[direction]}")
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report
