"""``bench bias``: loaded-term flags against human bias annotations (BABE words, BASIL spans).

BABE (SG2): sentence macro-F1 (a sentence counts as biased when any word is flagged) and word-level precision/recall/F1 of the words our lexicon (and, with the lexicon
extension, VADER valence) flags, against the annotators' biased words, micro-pooled over rows.
Dev = SG2 rows whose text also appears in SG1 (tune here only); report = the other SG2 rows.
BASIL: lexical-bias spans (bias == "lex"); recall = share of gold spans overlapped by a flagged
term, precision = share of flagged terms that overlap a gold lexical span. Dev = years <= 2014,
report = years >= 2015. The data are read from ../shared/benchmarks at run time, never copied.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import time
from pathlib import Path

from app.errors import error
from app.steps.framing import find_marks, is_loaded
from app.lexicons.loaded_terms import load_lexicon
from app.text.reader import build_article
from app.settings import Settings

_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")


def flagged_spans(text: str, settings: Settings) -> list[tuple[int, int]]:
    """Character spans of the English terms the pipeline marks as loaded (its own functions, app/steps/framing.py)."""
    if not text.strip():
        return []
    article = build_article(text, language="en", max_chars=max(len(text), 1))
    # English marks need no alignment or embedder (those serve the Chinese neighbour search).
    marks = find_marks(article, [], [], settings, None)
    return [(m.start, m.end) for m in marks if is_loaded(m, settings)]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _read_babe(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def babe_split(folder: Path) -> dict[str, list[dict]]:
    sg1 = {r["text"] for r in _read_babe(folder / "final_labels_SG1.csv")}  # exact text, as the README defines it
    rows = _read_babe(folder / "final_labels_SG2.csv")
    return {"dev": [r for r in rows if r["text"] in sg1],
            "report": [r for r in rows if r["text"] not in sg1]}


def babe_scores(rows: list[dict], settings: Settings) -> dict:
    tp = fp = fn = 0
    sentence_pairs = []  # (gold biased?, predicted biased?) for rows labelled Biased / Non-biased
    for row in rows:
        try:
            gold_list = ast.literal_eval(row.get("biased_words") or "[]")
        except (ValueError, SyntaxError):
            gold_list = []
        gold = set().union(*(_words(g) for g in gold_list)) if gold_list else set()
        text = row["text"]
        pred = set().union(*(_words(text[s:e]) for s, e in flagged_spans(text, settings))) if text else set()
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if row.get("label_bias") in ("Biased", "Non-biased"):
            sentence_pairs.append((row["label_bias"] == "Biased", bool(pred)))
    return {"rows": len(rows), **_prf(tp, fp, fn), "sentence_macro_f1": _macro_f1(sentence_pairs)}


def _macro_f1(pairs: list[tuple[bool, bool]]) -> float:
    """Macro-F1 over the two sentence classes (a sentence is predicted biased when any word is flagged)."""
    scores = []
    for cls in (True, False):
        tp = sum(g == cls and p == cls for g, p in pairs)
        fp = sum(g != cls and p == cls for g, p in pairs)
        fn = sum(g == cls and p != cls for g, p in pairs)
        scores.append(_prf(tp, fp, fn)["f1"])
    return round(sum(scores) / 2, 4)


def basil_scores(folder: Path, years: list[int], settings: Settings) -> dict:
    gold_n = gold_hit = pred_n = pred_hit = articles = 0
    for year in years:
        for ann_path in sorted((folder / "annotations" / str(year)).glob("*_ann.json")):
            art_path = folder / "articles" / str(year) / ann_path.name.replace("_ann.json", ".json")
            if not art_path.exists():
                continue
            article = json.loads(art_path.read_text(encoding="utf-8"))
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            text = "\n".join(" ".join(p) for p in article.get("body-paragraphs", []))
            gold = []
            for a in ann.get("phrase-level-annotations", []):
                if a.get("bias") != "lex" or not a.get("txt"):
                    continue
                at = text.find(a["txt"].strip().strip('"“”'))
                if at >= 0:
                    gold.append((at, at + len(a["txt"].strip().strip('"“”'))))
            pred = flagged_spans(text, settings)
            articles += 1
            gold_n += len(gold)
            gold_hit += sum(any(s < ge and e > gs for s, e in pred) for gs, ge in gold)
            pred_n += len(pred)
            pred_hit += sum(any(s < ge and e > gs for gs, ge in gold) for s, e in pred)
    recall = gold_hit / gold_n if gold_n else 0.0
    precision = pred_hit / pred_n if pred_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles": articles, "gold_spans": gold_n, "flagged": pred_n, "recall": round(recall, 4),
            "precision": round(precision, 4), "f1": round(f1, 4)}


def run_bias_bench(data: Path, *, split: str = "report", settings: Settings | None = None, log=None) -> dict:
    settings = settings or Settings()
    babe, basil = data / "babe", data / "basil"
    if not (babe / "final_labels_SG2.csv").exists() or not (basil / "annotations").exists():
        raise error("E013", path=data, detail="expected babe/final_labels_SG{1,2}.csv and basil/{articles,annotations}")
    if split not in ("dev", "report"):
        raise error("E009", what="split", name=split, choices="dev, report")
    t0 = time.perf_counter()
    rows = babe_split(babe)[split]
    babe_result = babe_scores(rows, settings)
    if log:
        log(f"BABE {split}: {babe_result}")
    all_years = sorted(int(p.name) for p in (basil / "annotations").iterdir() if p.name.isdigit())
    years = [y for y in all_years if (y <= 2014) == (split == "dev")]
    basil_result = basil_scores(basil, years, settings)
    if log:
        log(f"BASIL {split} {years}: {basil_result}")
    return {"bench": "bias", "split": split, "babe_words": babe_result, "basil_lexical": {"years": years, **basil_result},
            "settings": {"min_loaded_weight": settings.min_loaded_weight, "lexicon_extension": settings.lexicon_extension,
                         "valence_min": settings.valence_min},
            "lexicon_sha8": load_lexicon("en").sha256[:8], "seconds": round(time.perf_counter() - t0, 2)}
