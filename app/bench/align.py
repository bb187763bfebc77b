"""`python -m app bench align`: strict/lax P/R/F1 on MAC and Text+Berg, seconds per document.

MAC-Dev (``--split dev``) is for tuning; ``--split test`` runs MAC-Test and
Text+Berg, reported as they come. ``--shuffle`` cuts the English side of MAC into
blocks and shuffles them (seeded), remapping the gold, to measure how much the
aligner depends on order.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..align import AlignParams, align_sentences
from ..errors import error
from ..pipeline import default_cache, load_embedder
from .beads import Bead, read_beads, score_documents

SEED = 12345


def mac_documents(root: Path, split: str) -> list[tuple[str, Path, Path, Path]]:
    """(name, zh file, en file, gold file) for each MAC document of the split."""
    if split == "dev":
        base = root / "data" / "mac" / "dev"
        gold = sorted((base / "gold").glob("*.align"))
        return [(g.stem, base / "zh" / g.stem, base / "en" / g.stem, g) for g in gold]
    split_dir = root / "corpus" / "mac" / "test" / "split"
    gold = sorted((root / "eval" / "mac" / "test" / "gold").glob("*.align"))
    return [(g.stem, split_dir / f"{g.stem}.zh", split_dir / f"{g.stem}.en", g) for g in gold]


def textberg_documents(root: Path) -> list[tuple[str, Path, Path, Path]]:
    base = root / "text+berg"
    gold = sorted((base / "gold").glob("*"))
    return [(g.name, base / "de" / g.name, base / "fr" / g.name, g) for g in gold]


def shuffle_blocks(n: int, rng: random.Random, block: int = 10) -> list[int]:
    """A permutation of range(n) that moves blocks of ``block`` consecutive sentences."""
    blocks = [list(range(i, min(n, i + block))) for i in range(0, n, block)]
    rng.shuffle(blocks)
    return [i for blk in blocks for i in blk]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run_documents(docs, *, join_a: str, join_b: str, encode, shuffle: bool, params: AlignParams):
    golds: list[list[Bead]] = []
    tests: list[list[Bead]] = []
    seconds: list[float] = []
    rng = random.Random(SEED)
    for _name, path_a, path_b, path_gold in docs:
        texts_a, texts_b = _lines(path_a), _lines(path_b)
        gold = read_beads(path_gold)
        if shuffle:
            order = shuffle_blocks(len(texts_b), rng)      # new position p holds old sentence order[p]
            new_pos = {old: p for p, old in enumerate(order)}
            texts_b = [texts_b[old] for old in order]
            gold = [(a, tuple(sorted(new_pos[j] for j in b))) for a, b in gold]
        t = time.perf_counter()
        alignment = align_sentences(texts_a, texts_b, encode, params=replace(params, join_a=join_a, join_b=join_b))
        seconds.append(time.perf_counter() - t)
        tests.append([(tuple(a), tuple(b)) for a, b in alignment.beads()])
        golds.append(gold)
    return score_documents(golds, tests), seconds


def run_align_bench(data: Path, *, split: str = "dev", shuffle: bool = False, model: str = "use-m3",
                    log: Callable[[str], None] = lambda _: None) -> dict:
    data = Path(data)
    if not (data / "README.txt").exists():
        raise error("E013", path=str(data), detail="README.txt missing; see ../shared/benchmarks/README.md")
    if split not in ("dev", "test"):
        raise error("E009", what="split", name=split, choices="dev, test")
    embedder = load_embedder(model, default_cache())
    encode = embedder.encode
    encode(["warm-up"])
    params = AlignParams()
    report: dict = {"bench": "align", "split": split, "shuffle": shuffle, "model": embedder.signature()}
    mac, secs = run_documents(mac_documents(data, split), join_a="", join_b=" ", encode=encode,
                              shuffle=shuffle, params=params)
    report["mac"] = {**mac, "docs": len(secs), "seconds_per_doc": round(sum(secs) / len(secs), 3)}
    log(f"MAC-{split}: {mac}")
    if split == "test":
        tb, secs = run_documents(textberg_documents(data), join_a=" ", join_b=" ", encode=encode,
                                 shuffle=False, params=params)
        report["text+berg"] = {**tb, "docs": len(secs), "seconds_per_doc": round(sum(secs) / len(secs), 3)}
        log(f"Text+Berg: {tb}")
    return report
