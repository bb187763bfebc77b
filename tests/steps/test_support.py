"""Links that hold up (app/steps/support.py): near-copies out of the reading order get their own link."""

from __future__ import annotations

import numpy as np

from app.steps.align import Alignment, Link
from app.steps.support import RECLAIM_MARGIN, reclaim_copies, relink_moved


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# Sentence vectors on five topics (columns). a tells topics 0-3; b has a sentence of its own (topic 4)
# where a's lede was, and tells the lede third (a moved paragraph); a's last sentence is not in b.
A = _unit([[1, 0, 0, 0, .1], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0]])
B = _unit([[0, 0, 0, 0, 1], [0, 1, .1, 0, 0], [.9, 0, 0, .1, 0], [0, .1, 1, 0, 0]])
LEDE_COPY = float(A[0] @ B[2])


def _cosine(ids_a, ids_b):
    """A shrunk link's new similarity: the cosine of its groups' mean vectors."""
    a, b = A[list(ids_a)].mean(axis=0), B[list(ids_b)].mean(axis=0)
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def _pairs(alignment):
    return {(link.a, link.b) for link in alignment.links}


def test_a_moved_copy_leaves_the_weak_link_the_reading_order_gave_it():
    order = Alignment((Link((0,), (0,), float(A[0] @ B[0])), Link((1,), (1,), .99), Link((2,), (3,), .99)), 4, 4)
    reclaimed, changed = reclaim_copies(order, A, B, min_cosine=0.5, rescore=_cosine)
    assert _pairs(reclaimed) == {((0,), (2,)), ((1,), (1,)), ((2,), (3,))}
    assert reclaimed.unaligned_b == (0,) and reclaimed.unaligned_a == (3,)   # b's own sentence is added
    assert [reclaimed.links[k].a for k in changed] == [(0,)]
    assert relink_moved(reclaimed, A, B, min_cosine=0.5) is reclaimed        # nothing else is alike


def test_a_copy_must_clearly_beat_the_link_it_breaks():
    nearly_as_good = Alignment((Link((0,), (0,), LEDE_COPY - RECLAIM_MARGIN / 2),), 4, 4)
    kept = reclaim_copies(nearly_as_good, A, B, min_cosine=0.5, rescore=_cosine)[0]
    assert ((0,), (0,)) in _pairs(kept) and ((0,), (2,)) not in _pairs(kept)
    assert ((1,), (1,)) in _pairs(kept)        # sentences no link holds pair up with their best match
    right = Alignment((Link((0,), (2,), LEDE_COPY), Link((1,), (1,), .99), Link((2,), (3,), .99)), 4, 4)
    assert reclaim_copies(right, A, B, min_cosine=0.5, rescore=_cosine) == (right, set())


def test_a_group_that_loses_a_member_keeps_the_rest():
    group = Alignment((Link((0, 1), (1,), 0.6), Link((2,), (3,), .99)), 4, 4)
    reclaimed, changed = reclaim_copies(group, A, B, min_cosine=0.5, rescore=_cosine)
    assert _pairs(reclaimed) == {((1,), (1,)), ((2,), (3,)), ((0,), (2,))}
    assert {(reclaimed.links[k].a, reclaimed.links[k].b) for k in changed} == {((1,), (1,)), ((0,), (2,))}
    shrunk = next(link for link in reclaimed.links if link.a == (1,))
    assert shrunk.score == round(_cosine((1,), (1,)), 4)          # rescored, not the group's old 0.6


def test_below_the_kept_threshold_nothing_is_reclaimed():
    order = Alignment((Link((0,), (0,), 0.0),), 4, 4)
    assert reclaim_copies(order, A, B, min_cosine=LEDE_COPY + 0.01, rescore=_cosine) == (order, set())
