"""USE-m3 sentencepiece pieces carry character offsets, and map onto our word tokens exactly."""

import pytest

from app.text.reader import read_article
from models.use_m3_tokens import encode_pieces, piece_offsets

pytestmark = pytest.mark.slow

TEXTS = [
    "The ministry said on Tuesday it would not comment.",
    "Ｆｕｌｌ-width letters, “curly quotes” and  double  spaces…",
    "美国商务部周二表示，正在审查该报道。",
    "美國商務部週二表示，正在審查該報道。",
    "Shares fell 4% to $1.2 billion (about 85亿元人民币) on Monday.",
    "  leading and trailing space  ",
    "ä ö ü ß é — naïve café",
]


@pytest.fixture(scope="module")
def backend(use_m3):
    return use_m3.backend


@pytest.mark.parametrize("text", TEXTS)
def test_pieces_are_the_tokenizers_own_pieces(backend, text):
    ids, _ = piece_offsets(backend.sp, text)
    assert ids == backend.sp.encode(text, add_bos=False, add_eos=False)


@pytest.mark.parametrize("text", TEXTS)
def test_piece_offsets_point_at_the_piece_text(backend, text):
    ids, spans = piece_offsets(backend.sp, text)
    pieces = [backend.sp._pieces[i] for i in ids]
    covered = []
    for piece, (start, end) in zip(pieces, spans):
        if start < 0:
            assert piece.strip("\u2581") == ""
            continue
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        covered.append((start, end))
        if piece.isascii() and text[start:end].isascii():
            assert text[start:end] == piece.lstrip("\u2581")
    # pieces come in text order and every non-space character is inside one
    assert covered == sorted(covered)
    inside = {k for s, e in covered for k in range(s, e)}
    assert all(k in inside for k, ch in enumerate(text) if not ch.isspace())


def test_sentence_vectors_equal_the_embedders(use_m3):
    import numpy as np

    pieces = encode_pieces(use_m3.backend, TEXTS)
    reference = use_m3.encode(TEXTS)
    assert np.allclose(np.stack([p.sentence for p in pieces]), reference, atol=1e-4)
    for p in pieces:
        assert p.vectors.shape == (len(p.ids), p.rows.shape[1])


@pytest.mark.parametrize("text,language", [(TEXTS[0], "en"), (TEXTS[3], "zh"), (TEXTS[4], "en"), (TEXTS[2], "zh")])
def test_every_word_token_gets_pieces(use_m3, text, language):
    from app.steps.words.scoring import _overlap
    from app.steps.words.spans import sentence_words

    article = read_article(text, is_path=False, language=language, meta=None, max_chars=10_000, what="a", side="a")
    for t in article.tokens:
        assert article.text[t.start:t.end] == article.token_text(article.tokens.index(t))
    for i in range(len(article.sentences)):
        sent = sentence_words(article, i)
        for k, token in enumerate(article.sent_tokens(i)):
            assert sent.word(k) == article.match_text[token.start:token.end]
        piece = encode_pieces(use_m3.backend, [sent.text])[0]
        assert (_overlap(piece, sent.words).sum(axis=1) > 0).all()
