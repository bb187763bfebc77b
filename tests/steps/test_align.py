"""The aligner on small hand-made inputs, with the real USE-m3 model."""

import pytest

from app.steps.align import AlignParams, Alignment, Link, align_sentences
from app.pipeline import align_params
from app.settings import Settings

pytestmark = pytest.mark.slow

EN = [
    "The city council approved a new budget on Tuesday.",
    "It raises spending on public schools by ten percent.",
    "The mayor called the vote a victory for families.",
    "Opposition members said the plan would raise property taxes.",
    "A final review is scheduled for next month.",
]
ZH = [
    "市议会周二批准了一项新预算。",
    "该预算将公立学校的支出提高百分之十。",
    "市长称这次投票是家庭的胜利。",
    "反对派议员说，该计划将提高房产税。",
    "最终审查定于下个月进行。",
]


@pytest.fixture(scope="module")
def align(use_m3):
    def run(a, b, *, lang_a="en", lang_b="zh"):
        return align_sentences(a, b, use_m3.encode, params=align_params(Settings(), lang_a, lang_b))
    return run


def pairs(alignment):
    return {(l.a, l.b) for l in alignment.links}


def test_translation_aligns_one_to_one(align):
    alignment = align(EN, ZH)
    assert pairs(alignment) == {((i,), (i,)) for i in range(5)}
    assert alignment.unaligned_a == () and alignment.unaligned_b == ()


def test_one_sentence_split_in_two_is_a_one_to_two_link(align):
    en = ["The storm closed the airport and cancelled more than two hundred flights on Friday.",
          "Officials expect the airport to reopen on Sunday morning."]
    zh = ["周五，暴风雨导致机场关闭。", "两百多个航班被取消。", "官员预计机场将于周日上午重新开放。"]
    assert pairs(align(en, zh)) == {((0,), (0, 1)), ((1,), (2,))}


def test_two_sentences_merged_into_one_is_a_two_to_one_link(align):
    en = ["The company hired a new chief executive.", "She previously ran a large bank in Frankfurt.",
          "Its shares rose three percent after the news."]
    zh = ["该公司聘请了一位曾在法兰克福掌管一家大银行的新首席执行官。", "消息传出后，其股价上涨了百分之三。"]
    assert pairs(align(en, zh)) == {((0, 1), (0,)), ((2,), (1,))}


def test_dropped_sentence_is_unaligned_on_side_a(align):
    zh = ZH[:2] + ZH[3:]                           # the mayor's quote is dropped
    alignment = align(EN, zh)
    assert alignment.unaligned_a == (2,)
    assert pairs(alignment) == {((0,), (0,)), ((1,), (1,)), ((3,), (2,)), ((4,), (3,))}


def test_inserted_sentence_is_unaligned_on_side_b(align):
    zh = ZH[:3] + ["有评论指出，这座城市的交通拥堵问题长期得不到解决。"] + ZH[3:]
    alignment = align(EN, zh)
    assert alignment.unaligned_b == (3,)
    assert alignment.unaligned_a == ()


def test_moved_block_still_aligns(align):
    zh = ZH[3:] + ZH[:3]                           # the last two sentences moved to the top
    alignment = align(EN, zh)
    assert pairs(alignment) == {((0,), (2,)), ((1,), (3,)), ((2,), (4,)), ((3,), (0,)), ((4,), (1,))}


def test_empty_side_gives_no_links(align):
    alignment = align(EN, [])
    assert alignment.links == () and alignment.unaligned_a == tuple(range(5))
    assert align([], ZH).unaligned_b == tuple(range(5))


def test_both_directions_and_beads():
    alignment = Alignment((Link((0,), (1,), 0.9), Link((1, 2), (2,), 0.7)), n_a=4, n_b=3)
    assert alignment.a_to_b == (0, 1, 1, None)
    assert alignment.b_to_a == (None, 0, 1)
    assert alignment.beads() == [([], [0]), ([0], [1]), ([1, 2], [2]), ([3], [])]


def test_same_language_copy_aligns_to_itself(align):
    alignment = align(EN, EN, lang_b="en")
    assert pairs(alignment) == {((i,), (i,)) for i in range(5)}
    assert all(l.score > 0.99 for l in alignment.links)


def _diagonal_sim(order: list[int], n: int, *, noise: float = 0.05, seed: int = 0):
    """Cosines of a translation whose side b holds a's sentences in ``order`` (sentence k of b = a[order[k]])."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sim = rng.uniform(0.0, 0.2, size=(n, len(order)))
    for k, i in enumerate(order):
        sim[i, k] = 0.6 + rng.uniform(-noise, noise)
    return sim


def test_block_order_restores_shuffled_blocks():
    from app.steps.align import block_order

    order = list(range(20, 30)) + list(range(0, 10)) + list(range(30, 40)) + list(range(10, 20))
    moved = block_order(_diagonal_sim(order, 40), AlignParams())
    assert [order[k] for k in moved] == list(range(40))


def test_block_order_leaves_a_translation_in_place():
    from app.steps.align import block_order

    assert block_order(_diagonal_sim(list(range(30)), 30), AlignParams()) == list(range(30))


def test_block_order_does_not_move_a_single_look_alike():
    from app.steps.align import block_order

    sim = _diagonal_sim(list(range(30)), 30)
    sim[25, 12] = 0.95                      # b's sentence 12 looks like a's 25 more than its own a[12]
    assert block_order(sim, AlignParams()) == list(range(30))


def test_group_may_join_sentences_a_block_move_made_neighbours():
    """a[2] was split into b[9] + b[0]; once b's blocks are back in a's order the halves are neighbours."""
    import numpy as np

    a = [f"a{i}" for i in range(10)]
    b = ["half2"] + [f"b{i}" for i in range(3, 10)] + ["b0", "b1", "half1"]
    rng = np.random.default_rng(1)
    base = {t: v for t, v in zip(a, rng.normal(size=(10, 64)))}
    vec = {**base, **{f"b{i}": base[f"a{i}"] for i in range(10)},
           "half1": base["a2"] + rng.normal(scale=0.9, size=64), "half2": base["a2"] + rng.normal(scale=0.9, size=64)}

    def encode(texts):
        rows = []
        for t in texts:
            parts = [p for p in t.split(" ") if p]
            v = sum(vec[p] for p in parts) if all(p in vec for p in parts) else rng.normal(size=64)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)

    links = {(l.a, l.b) for l in align_sentences(a, b, encode, params=AlignParams()).links}
    assert ((2,), (0, 10)) in links
    assert ((0,), (8,)) in links and ((9,), (7,)) in links


def test_every_sentence_is_in_exactly_one_link_or_unaligned():
    """Random small inputs with repeats and reorderings: the alignment always partitions both sides."""
    import numpy as np

    rng = np.random.default_rng(0)
    table = rng.normal(size=(8, 16))

    def encode(texts):
        rows = [sum(table[int(w[1:])] for w in t.split()) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows])

    for _ in range(200):
        n, m = rng.integers(0, 14, size=2)
        a = [f"s{rng.integers(0, 8)}" for _ in range(n)]
        b = [f"s{rng.integers(0, 8)}" for _ in range(m)]
        alignment = align_sentences(a, b, encode, params=AlignParams())
        assert sorted([i for l in alignment.links for i in l.a] + list(alignment.unaligned_a)) == list(range(n))
        assert sorted([j for l in alignment.links for j in l.b] + list(alignment.unaligned_b)) == list(range(m))


def test_long_groups_are_only_tried_against_a_side_of_comparable_length():
    """A 1-3 link between a short sentence and three long ones is not scored (nor its group embedded)."""
    import numpy as np

    from app.steps.align import _Groups, _Scorer

    def encode(texts):
        return np.ones((len(texts), 4)) / 2.0

    short, long = "The minister resigned.", "The minister, who had led the department for six years, resigned late on Sunday."
    a = _Groups([short, long, long, long], encode, " ")
    b = _Groups([long, long, long, short], encode, " ")
    scorer = _Scorer(a.singles @ b.singles.T, a, b, 1.0, AlignParams())
    assert not scorer.plausible((0, 1, 0, 3))        # 22 characters against ~240
    assert scorer.plausible((1, 3, 0, 3))            # three long sentences each side
    assert scorer.plausible((0, 1, 0, 2))            # two-sentence groups are always tried
    assert _Scorer(scorer.sim, a, b, 1.0, AlignParams(long_group=99)).plausible((0, 1, 0, 3))


def test_a_given_order_of_b_replaces_the_block_finder():
    import numpy as np

    def encode(texts):
        return np.eye(8)[[int(t[1:]) % 8 for t in texts]] if texts else np.zeros((0, 8))

    a = [f"s{i}" for i in range(6)]
    b = ["s3", "s4", "s5", "s0", "s1", "s2"]
    links = align_sentences(a, b, encode, params=AlignParams(), b_order=[3, 4, 5, 0, 1, 2]).links
    assert {(l.a, l.b) for l in links} == {((i,), ((i + 3) % 6,)) for i in range(6)}
    with pytest.raises(ValueError):
        align_sentences(a, b, encode, params=AlignParams(), b_order=[0, 1])


def _bag_of_words_encoder(dim=64, seed=1):
    import numpy as np

    rng = np.random.default_rng(seed)
    table: dict[str, np.ndarray] = {}

    def encode(texts):
        rows = []
        for text in texts:
            row = sum(table.setdefault(w, rng.normal(size=dim)) for w in text.lower().split())
            rows.append(row / np.linalg.norm(row))
        return np.array(rows)
    return encode


def test_attach_unaligned_joins_a_fragment_to_its_neighbours_link_and_leaves_unrelated_text():
    from app.steps.align import attach_unaligned

    encode = _bag_of_words_encoder()
    a = ["storm closed airport cancelled two hundred flights friday", "officials expect reopening sunday"]
    b = ["storm closed airport friday", "cancelled two hundred flights",           # a split sentence
         "critics say the mayor ignored warnings for years", "officials expect reopening sunday"]
    score = lambda x, y: round(float(encode([" ".join(a[i] for i in x)])[0] @ encode([" ".join(b[j] for j in y)])[0]), 4)
    links = [Link((0,), (0,), score((0,), (0,))), Link((1,), (3,), score((1,), (3,)))]
    params = AlignParams(attach_unaligned=True)
    grown = {(l.a, l.b) for l in attach_unaligned(links, a, b, encode, params)}
    assert grown == {((0,), (0, 1)), ((1,), (3,))}, "the fragment joins; the unrelated aside stays unaligned"
    # the same from side a, and the cap on group size holds
    swapped = [Link(l.b, l.a, l.score) for l in links]
    assert {(l.a, l.b) for l in attach_unaligned(swapped, b, a, encode, params)} == {((0, 1), (0,)), ((3,), (1,))}
    assert {(l.a, l.b) for l in attach_unaligned(links, a, b, encode, AlignParams(max_group=1))} == \
        {(l.a, l.b) for l in links}


def test_attach_unaligned_is_off_by_default_and_keeps_the_partition():
    import numpy as np

    assert Settings().attach_unaligned is False and AlignParams().attach_unaligned is False
    rng = np.random.default_rng(3)
    encode = _bag_of_words_encoder(seed=3)
    for _ in range(100):
        n, m = rng.integers(0, 10, size=2)
        a = [" ".join(f"w{rng.integers(0, 12)}" for _ in range(3)) for _ in range(n)]
        b = [" ".join(f"w{rng.integers(0, 12)}" for _ in range(3)) for _ in range(m)]
        plain = align_sentences(a, b, encode, params=AlignParams())
        attached = align_sentences(a, b, encode, params=AlignParams(attach_unaligned=True))
        assert sorted([i for l in attached.links for i in l.a] + list(attached.unaligned_a)) == list(range(n))
        assert sorted([j for l in attached.links for j in l.b] + list(attached.unaligned_b)) == list(range(m))
        assert len(attached.unaligned_a) <= len(plain.unaligned_a)
        assert len(attached.unaligned_b) <= len(plain.unaligned_b)
