"""`python -m bench align`: strict/lax P/R/F1 on MAC and Text+Berg, seconds per document.

MAC-Dev (``--split dev``) is for tuning; ``--split test`` runs MAC-Test and
Text+Berg, reported as they come. ``--shuffle`` cuts side b (MAC: English; Text+Berg: French) into
blocks of 10 sentences and shuffles them (seeded), remapping the gold, to measure
how much the aligner depends on order. Strict F1 also gets a 95% bootstrap
interval over documents (seed 12345). ``--shuffle --oracle-order`` gives the aligner
the true order of b instead of its block finder's: what is lost to finding blocks.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from app.steps.align import AlignParams, align_sentences
from app.errors import error
from app.pipeline import align_params, default_cache, load_embedder
from app.settings import Settings
from bench.align_scoring import Bead, bootstrap_f1, document_counts, read_beads, score_counts
from bench.stats import BOOTSTRAP_SAMPLES, SEED

SYSTEMS = ("galechurch", "hunalign", "bleualign", "vecalign", "mbert")


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
    """A permutation of range(n) that moves blocks of ``block`` consecutive sentences.

    Position p of the shuffled side holds sentence ``order[p]`` of the original.
    """
    blocks = [list(range(i, min(n, i + block))) for i in range(0, n, block)]
    rng.shuffle(blocks)
    return [i for blk in blocks for i in blk]


def shuffle_side_b(texts_b: list[str], gold: list[Bead], rng: random.Random
                   ) -> tuple[list[str], list[Bead], list[int]]:
    """Shuffle blocks of side b and renumber the b side of every gold bead to match.

    Also returns the true order: the shuffled positions of b's sentences in their original order.
    """
    order = shuffle_blocks(len(texts_b), rng)
    new_pos = {old: p for p, old in enumerate(order)}
    true_order = [new_pos[old] for old in range(len(order))]
    return [texts_b[old] for old in order], [(a, tuple(sorted(new_pos[j] for j in b))) for a, b in gold], true_order


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run_documents(docs, *, join_a: str, join_b: str, encode, shuffle: bool, params: AlignParams,
                  oracle_order: bool = False):
    """Align every document (zh/de side a, en/fr side b); per-document counts and seconds.

    ``oracle_order`` (with ``shuffle``) hands the aligner the true order of b instead of
    its block finder: the score the aligner would reach if it found every block.
    """
    counts: list[tuple[int, ...]] = []
    seconds: list[float] = []
    rng = random.Random(SEED)
    params = replace(params, join_a=join_a, join_b=join_b)
    for _name, path_a, path_b, path_gold in docs:
        texts_a, texts_b = read_lines(path_a), read_lines(path_b)
        gold = read_beads(path_gold)
        b_order = None
        if shuffle:
            texts_b, gold, true_order = shuffle_side_b(texts_b, gold, rng)
            b_order = true_order if oracle_order else None
        t = time.perf_counter()
        alignment = align_sentences(texts_a, texts_b, encode, params=params, b_order=b_order)
        seconds.append(time.perf_counter() - t)
        counts.append(document_counts(gold, [(tuple(a), tuple(b)) for a, b in alignment.beads()]))
    return counts, seconds


def summarise_documents(counts, seconds) -> dict:
    """Pooled P/R/F1, a bootstrap interval for strict F1, and seconds per document."""
    return {**score_counts(counts),
            "strict_f1_ci95": bootstrap_f1(counts, seed=SEED, samples=BOOTSTRAP_SAMPLES),
            "docs": len(seconds), "seconds_per_doc": round(sum(seconds) / len(seconds), 3)}


def score_stored_outputs(data: Path, *, split: str, system: str = "mbert") -> dict:
    """Score the system outputs stored with the benchmark (checks this scorer against its README)."""
    counts = []
    for name, _a, _b, path_gold in mac_documents(Path(data), split):
        auto = (path_gold.parent.parent / "auto" / f"{name}.align" if split == "dev"
                else Path(data) / "eval" / "mac" / "test" / "auto" / system / f"{name}.align")
        counts.append(document_counts(read_beads(path_gold), read_beads(auto)))
    return score_counts(counts)


def alignment_data(data: Path, split: str = "dev") -> Path:
    """The alignment benchmark folder, checked (E013 when it is missing), and a valid split (E009)."""
    data = Path(data)
    if not (data / "README.txt").exists():
        raise error("E013", path=str(data), detail="README.txt missing; see ../shared/benchmarks/README.md")
    if split not in ("dev", "test"):
        raise error("E009", what="split", name=split, choices="dev, test")
    return data


def run_align_bench(data: Path, *, split: str = "dev", shuffle: bool = False, oracle_order: bool = False,
                    model: str = "use-m3", params: AlignParams | None = None, attach_unaligned: bool = False,
                    log: Callable[[str], None] = lambda _: None) -> dict:
    data = alignment_data(data, split)
    if oracle_order and not shuffle:
        raise error("E010", what="--oracle-order", detail="needs --shuffle (it restores the shuffled order)")
    embedder = load_embedder(model, default_cache())
    encode = embedder.encode
    t = time.perf_counter()
    encode(["warm-up", "预热"])
    warm_up = time.perf_counter() - t
    # the defaults compare() runs with (--attach-unaligned: the parallel-text option)
    params = params or align_params(Settings(attach_unaligned=attach_unaligned), "zh", "en")
    report: dict = {"bench": "align", "split": split, "shuffle": shuffle, "oracle_order": oracle_order,
                    "model": embedder.signature(),
                    "params": {k: getattr(params, k) for k in params.__slots__ if not k.startswith("join")},
                    "seed": SEED, "bootstrap_samples": BOOTSTRAP_SAMPLES,
                    "warm_up_seconds": round(warm_up, 3)}
    counts, secs = run_documents(mac_documents(data, split), join_a="", join_b=" ", encode=encode,
                                 shuffle=shuffle, params=params, oracle_order=oracle_order)
    report["mac"] = summarise_documents(counts, secs)
    log(f"MAC-{split}: {report['mac']}")
    if split == "test":
        counts, secs = run_documents(textberg_documents(data), join_a=" ", join_b=" ", encode=encode,
                                     shuffle=shuffle, params=params, oracle_order=oracle_order)
        report["text+berg"] = summarise_documents(counts, secs)
        log(f"Text+Berg: {report['text+berg']}")
    return report
