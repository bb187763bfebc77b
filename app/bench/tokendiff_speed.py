"""`python -m app bench tokendiff-speed`: seconds for a whole ~1,000-word en–zh comparison, word level included.

The pair is generated here from templates the project wrote (seeded, every
sentence distinct, so no cache short-cut): English sentences on side a, their
Chinese renderings on side b, with a few sentences dropped and added. The model
is loaded and warmed up first; then each run starts with empty embedding and
word-vector caches. Reports the mean, a 95% bootstrap interval and per-step times; also the process CPU time (all threads), which
is less disturbed than wall time when other jobs share the cores.
"""

from __future__ import annotations

import random
import time
from typing import Callable

import numpy as np

from ..pipeline import compare, load_embedder
from ..settings import Settings
from ..tokendiff import spans as tokendiff_spans

SEED = 12345
SUBJECTS = [("The finance ministry", "财政部"), ("A senior central bank official", "一名央行高级官员"),
            ("The provincial government", "省政府"), ("Several large exporters", "几家大型出口商"),
            ("The state railway operator", "国家铁路运营商"), ("A group of local farmers", "一群当地农民"),
            ("The city's largest hospital", "该市最大的医院"), ("Two opposition lawmakers", "两名反对派议员")]
VERBS = [("announced new rules on", "宣布了关于{o}的新规定"), ("raised concerns about", "对{o}表示担忧"),
         ("approved extra funding for", "批准为{o}追加资金"), ("opened an inquiry into", "对{o}展开调查"),
         ("proposed changes to", "提议修改{o}"), ("warned of delays in", "警告{o}可能延误")]
OBJECTS = [("rural water supplies", "农村供水"), ("steel imports", "钢铁进口"), ("the port expansion", "港口扩建"),
           ("grain storage", "粮食储备"), ("bus fares", "公交票价"), ("coal power plants", "燃煤电厂"),
           ("mobile network coverage", "移动网络覆盖"), ("flood defences", "防洪设施")]
PLACES = [("in the northern region", "在北部地区"), ("near the border", "在边境附近"),
          ("across three provinces", "在三个省份"), ("in the capital", "在首都"), ("along the coast", "在沿海地区")]
TIMES = [("on Monday", "周一"), ("on Tuesday", "周二"), ("last week", "上周"), ("earlier this month", "本月早些时候"),
         ("on Friday", "周五")]
TAILS = [("after months of debate", "此前经过了数月的讨论"), ("according to a statement seen by reporters", "据记者看到的一份声明"),
         ("citing rising costs and falling demand", "理由是成本上升、需求下降"),
         ("in a move that surprised many analysts", "此举令许多分析人士感到意外"),
         ("while promising to publish details later", "并承诺稍后公布细节"), ("as protests continued", "与此同时抗议仍在继续")]


def synthetic_pair(*, words: int = 1000, seed: int = SEED) -> tuple[str, str]:
    """An English article of about ``words`` words and a Chinese rewrite (some sentences dropped/added)."""
    rng = random.Random(seed)
    seen: set[tuple] = set()
    a_sents, b_sents = [], []
    count = 0
    while count < words:
        choice = tuple(rng.randrange(len(x)) for x in (SUBJECTS, VERBS, OBJECTS, PLACES, TIMES, TAILS))
        if choice in seen:
            continue
        seen.add(choice)
        s, v, o, p, t, tail = (x[k] for x, k in zip((SUBJECTS, VERBS, OBJECTS, PLACES, TIMES, TAILS), choice))
        en = f"{s[0]} {v[0]} {o[0]} {p[0]} {t[0]}, {tail[0]}."
        zh = f"{s[1]}{t[1]}{p[1]}{v[1].format(o=o[1])}，{tail[1]}。"
        count += len(en.split())
        a_sents.append(en)
        roll = rng.random()
        if roll < 0.08:
            continue                                   # dropped in the rewrite
        b_sents.append(zh)
        if roll > 0.94:
            b_sents.append("分析人士指出，这一做法引发了广泛争议。")  # added in the rewrite
    return " ".join(a_sents), "".join(b_sents)


def run_speed_bench(*, model: str = "use-m3", runs: int = 5, words: int = 1000,
                    log: Callable[[str], None] = lambda _: None) -> dict:
    a, b = synthetic_pair(words=words)
    embedder = load_embedder(model, None)
    settings = Settings(model=model)
    compare(a, b, settings=settings, embedder=embedder, cache=None, lang_a="en", lang_b="zh")   # warm-up
    seconds, cpu, steps = [], [], []
    for _ in range(runs):
        tokendiff_spans._cache.clear()
        t, c = time.perf_counter(), time.process_time()
        result = compare(a, b, settings=settings, embedder=embedder, cache=None, lang_a="en", lang_b="zh")
        seconds.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        steps.append(result.timings)
        log(f"run {len(seconds)}: {seconds[-1]:.3f}s {result.timings}")
    rng = np.random.default_rng(SEED)
    boot = [float(np.mean(rng.choice(seconds, size=len(seconds)))) for _ in range(1000)]
    return {"bench": "tokendiff-speed", "model": embedder.signature(), "words_a": len(a.split()),
            "chars_b": len(b), "runs": runs, "seconds_mean": round(float(np.mean(seconds)), 3),
            "seconds_ci95": [round(float(np.percentile(boot, 2.5)), 3), round(float(np.percentile(boot, 97.5)), 3)],
            "cpu_seconds_mean": round(float(np.mean(cpu)), 3),
            "step_seconds": {k: round(float(np.mean([s[k] for s in steps])), 3) for k in steps[0]},
            "word_spans": sum(1 for s in result.spans if s.label == "words"),
            "note": "measured under whatever load the machine had"}
