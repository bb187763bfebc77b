"""Translation backends, cache and registry: the real loading code on tiny random models built here.

No model is ever downloaded: each test builds a randomly initialised Marian,
NLLB or M2M100 model with a SentencePiece vocabulary trained on a few
sentences, saves it to a temporary directory and loads it through the same code
that loads real models. The translations are garbage; the plumbing is not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.base import ModelUnavailable
from models.cache import TranslationCache
from models.registry import find_translator, get_translator, list_models
from models.translate import CachedTranslator
from models.translate_seq2seq import Seq2SeqTranslator

CORPUS = ["the ship left port on monday", "police said the crew was safe", "a report from the company",
          "船周一离港", "警方说船员安全", "公司发布报告", "分析人士说此案可能促使更严格的审查"]
TEXTS = ["船周一离港", "警方说船员安全，公司发布报告。", "公司", "分析人士说此案可能促使更严格的审查", "报告"]


def train_spm(folder: Path) -> Path:
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(CORPUS * 4), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(folder / "sp"), vocab_size=70,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
                                   pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2)
    return folder / "sp.model"


def _tiny_dims() -> dict:
    return dict(d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=64)


def build_tiny_marian(folder: Path, *, extra_tokens: tuple[str, ...] = ()) -> Path:
    """A 1-layer, d_model=16 MarianMT model and tokenizer, saved like a real opus-mt model."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work = folder.parent / f"{folder.name}-build"
    sp_model = train_spm(work)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    for token in extra_tokens:
        vocab[token] = len(vocab)
    for name in ("source.spm", "target.spm"):
        shutil.copy(sp_model, work / name)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(source_spm=str(work / "source.spm"), target_spm=str(work / "target.spm"),
                                vocab=str(work / "vocab.json"), eos_token="</s>", unk_token="<unk>",
                                pad_token="<pad>")
    config = MarianConfig(vocab_size=len(vocab), pad_token_id=tokenizer.pad_token_id,
                          eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id,
                          forced_eos_token_id=tokenizer.eos_token_id, **_tiny_dims())
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_tiny_nllb(folder: Path) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    tokenizer = NllbTokenizer(vocab_file=str(train_spm(folder.parent / f"{folder.name}-build")))
    config = M2M100Config(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id,
                          eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.bos_token_id,
                          decoder_start_token_id=tokenizer.eos_token_id, **_tiny_dims())
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_tiny_m2m100(folder: Path) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    work = folder.parent / f"{folder.name}-build"
    sp_model = train_spm(work)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(vocab_file=str(work / "vocab.json"), spm_file=str(sp_model))
    config = M2M100Config(vocab_size=max(tokenizer.lang_token_to_id.values()) + 1,
                          pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                          bos_token_id=tokenizer.bos_token_id, decoder_start_token_id=tokenizer.eos_token_id,
                          **_tiny_dims())
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    # The name ends like a real opus-mt model, so the pair (zh → en) is read from it.
    return build_tiny_marian(tmp_path_factory.mktemp("mt") / "tiny-opus-mt-zh-en")


class GenerateRecorder:
    """Wraps a loaded model's ``generate`` to record what each batch looked like."""

    def __init__(self, translator: Seq2SeqTranslator):
        self.calls: list[dict] = []
        self._generate = translator._model.generate
        translator._model.generate = self

    def __call__(self, **kwargs):
        self.calls.append({"input_ids": kwargs["input_ids"].tolist(),
                           **{k: v for k, v in kwargs.items() if k not in ("input_ids", "attention_mask")}})
        return self._generate(**kwargs)


def test_marian_from_a_local_directory_translates_in_input_order(tiny_marian):
    translator = get_translator(str(tiny_marian))
    assert translator is get_translator(str(tiny_marian)), "a model must load once per process"
    assert translator.family == "marian" and translator.device in ("cpu", "cuda")
    assert translator.supports("zh", "en") and not translator.supports("en", "zh")
    out = translator.translate(TEXTS, src_lang="zh", tgt_lang="en")
    assert len(out) == len(TEXTS) and all(isinstance(t, str) for t in out)
    # Batches are formed after sorting by length, so a reversed input gives the very same batches:
    # the outputs must come back reversed, one for one.
    assert translator.translate(TEXTS[::-1], src_lang="zh", tgt_lang="en") == out[::-1]
    assert translator.translate([], src_lang="zh", tgt_lang="en") == []
    assert str(tiny_marian) in translator.signature()


def test_batches_are_sorted_by_length_and_bounded(tiny_marian):
    translator = Seq2SeqTranslator(tiny_marian, batch_size=2, num_beams=1, max_new_tokens=4)
    recorder = GenerateRecorder(translator)
    translator.translate(TEXTS + ["", "  "], src_lang="zh", tgt_lang="en")
    assert len(recorder.calls) == 3, "5 non-empty texts in batches of 2; blank texts never reach the model"
    widths = [len(call["input_ids"][0]) for call in recorder.calls]
    assert widths == sorted(widths, reverse=True)
    assert all(len(call["input_ids"]) <= 2 for call in recorder.calls)
    assert all(call["num_beams"] == 1 and call["max_new_tokens"] == 4 for call in recorder.calls)


def test_cache_answers_the_second_call_without_the_model(tiny_marian, tmp_path):
    translator = Seq2SeqTranslator(tiny_marian, num_beams=1, max_new_tokens=6)
    recorder = GenerateRecorder(translator)
    cache = TranslationCache(tmp_path / "tr.sqlite")
    cached = CachedTranslator(translator, cache)
    first = cached.translate(TEXTS + [TEXTS[0]], src_lang="zh", tgt_lang="en")
    calls = len(recorder.calls)
    assert calls >= 1 and cached.misses == len(TEXTS) and cached.hits == 0
    assert first[-1] == first[0]
    # A new wrapper on the same file stands for a new process.
    again = CachedTranslator(translator, TranslationCache(tmp_path / "tr.sqlite"))
    assert again.translate(TEXTS, src_lang="zh", tgt_lang="en") == first[:-1]
    assert len(recorder.calls) == calls and again.hits == len(TEXTS) and again.misses == 0
    assert len(cache) == len(TEXTS)
    # The language pair is part of the key: another target is a miss, not a wrong hit.
    again.translate(TEXTS[:1], src_lang="zh-Hant", tgt_lang="en")
    assert again.misses == 1


def test_missing_directory_or_unknown_name_is_unavailable(tmp_path):
    with pytest.raises(ModelUnavailable, match="could not load"):
        Seq2SeqTranslator(tmp_path / "no-such-model")
    with pytest.raises(ModelUnavailable, match="neither a known translation model"):
        get_translator("no-such-translator")


def test_multi_target_marian_gets_its_target_token(tmp_path):
    folder = build_tiny_marian(tmp_path / "tiny-multi", extra_tokens=(">>cmn_Hans<<", ">>cmn_Hant<<"))
    translator = Seq2SeqTranslator(folder, num_beams=1, max_new_tokens=4)
    recorder = GenerateRecorder(translator)
    assert translator._codes("en", "zh") == (None, ">>cmn_Hans<<")
    assert translator._codes("en", "zh-Hant") == (None, ">>cmn_Hant<<")
    translator.translate(["the ship left port"], src_lang="en", tgt_lang="zh-Hant")
    first_id = recorder.calls[0]["input_ids"][0][0]
    assert translator._tokenizer.convert_ids_to_tokens(first_id) == ">>cmn_Hant<<"


def test_nllb_uses_flores_codes_and_forces_the_target(tmp_path):
    translator = Seq2SeqTranslator(build_tiny_nllb(tmp_path / "tiny-nllb"), num_beams=1, max_new_tokens=4)
    recorder = GenerateRecorder(translator)
    assert translator.family == "nllb"
    assert translator.supports("zh-Hant", "en") and not translator.supports("zh", "xx")
    out = translator.translate(["船周一离港"], src_lang="zh-Hant", tgt_lang="en")
    assert len(out) == 1 and isinstance(out[0], str)
    tokenizer = translator._tokenizer
    assert recorder.calls[0]["forced_bos_token_id"] == tokenizer.convert_tokens_to_ids("eng_Latn")
    assert tokenizer.convert_tokens_to_ids("zho_Hant") in recorder.calls[0]["input_ids"][0]


def test_m2m100_sets_src_lang_and_forced_bos(tmp_path):
    translator = Seq2SeqTranslator(build_tiny_m2m100(tmp_path / "tiny-m2m"), num_beams=1, max_new_tokens=4)
    recorder = GenerateRecorder(translator)
    assert translator.family == "m2m100"
    out = translator.translate(["船周一离港", "公司"], src_lang="zh", tgt_lang="en")
    assert len(out) == 2 and all(isinstance(t, str) for t in out)
    tokenizer = translator._tokenizer
    assert recorder.calls[0]["forced_bos_token_id"] == tokenizer.get_lang_id("en")
    assert all(row[0] == tokenizer.get_lang_id("zh") for row in recorder.calls[0]["input_ids"])


def test_registry_lists_translation_models_with_pinned_ids():
    specs = {s.name: s for s in list_models()}
    translation = [s for s in specs.values() if s.kind == "translation"]
    assert {"opus-mt-zh-en", "nllb-200-distilled-600m", "m2m100-418m"} <= {s.name for s in translation}
    assert all(s.model_id and s.revision and s.licence and s.size and s.how_to_get for s in translation)
    assert specs["opus-mt-zh-en"].covers_pair("zh", "en") and not specs["opus-mt-zh-en"].covers_pair("en", "zh")
    assert specs["nllb-200-distilled-600m"].covers_pair("en", "zh")
    assert find_translator("xx", "yy") is None
