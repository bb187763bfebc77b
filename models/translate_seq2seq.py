"""Transformers sequence-to-sequence translation: Marian opus-mt-*, NLLB-200, M2M100.

Loaded from a local directory or from the local Hugging Face cache only
(``local_files_only=True``, ``HF_HUB_OFFLINE=1``): nothing is ever downloaded
here; ``python -m app models download NAME`` is the one explicit way to fetch.
Texts are sorted by length so each batch pads little, then put back in order.
CPU by default, the GPU when torch sees one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .base import ModelUnavailable
from .translate import Translator
from .translate_codes import m2m_code, marian_target_tokens, nllb_code, split_code

FAMILIES = ("marian", "nllb", "m2m100", "generic")
OPUS_PAIR = re.compile(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})$", re.IGNORECASE)


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class Seq2SeqTranslator(Translator):
    name = "seq2seq"
    config_keys = ("model_name_or_path", "revision", "family", "num_beams", "max_new_tokens")

    def __init__(self, model_name_or_path: str | Path, *, revision: str | None = None,
                 pairs: frozenset[tuple[str, str]] | None = None, device: str | None = None,
                 batch_size: int = 16, num_beams: int = 4, max_new_tokens: int = 256):
        try:
            import torch  # noqa: F401
            import transformers
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as exc:
            raise ModelUnavailable("run `pip install transformers sentencepiece sacremoses` "
                                   "(and the pinned torch from requirements.txt)") from exc
        _offline()
        transformers.utils.logging.disable_progress_bar()
        self.model_name_or_path = str(model_name_or_path)
        self.revision = revision
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self.device = device or default_device()
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(self.model_name_or_path, revision=revision,
                                                            local_files_only=True)
            self._model = AutoModelForSeq2SeqLM.from_pretrained(self.model_name_or_path, revision=revision,
                                                                local_files_only=True)
        except Exception as exc:  # transformers raises OSError, ValueError, … for "not there"
            where = "directory" if Path(self.model_name_or_path).exists() else "Hugging Face cache"
            raise ModelUnavailable(f"could not load translation model '{self.model_name_or_path}' from the "
                                   f"{where} ({type(exc).__name__}: {str(exc)[:200]})") from exc
        self._model.to(self.device).eval()
        self.family = self._detect_family()
        self.pairs = pairs if pairs is not None else self._pairs_from_name()

    # -- languages -------------------------------------------------------------
    def _detect_family(self) -> str:
        tokenizer_class = type(self._tokenizer).__name__.lower()
        model_type = getattr(self._model.config, "model_type", "")
        if "nllb" in tokenizer_class:
            return "nllb"
        if model_type == "m2m_100":
            return "m2m100"
        if model_type == "marian":
            return "marian"
        return "generic"

    def _pairs_from_name(self) -> frozenset[tuple[str, str]] | None:
        match = OPUS_PAIR.search(self.model_name_or_path.rstrip("/"))
        if self.family == "marian" and match:
            return frozenset({(match.group(1).lower(), match.group(2).lower())})
        return None

    def supports(self, src_lang: str, tgt_lang: str) -> bool:
        src, tgt = split_code(src_lang)[0], split_code(tgt_lang)[0]
        if self.pairs is not None:
            return (src, tgt) in self.pairs
        try:
            self._codes(src_lang, tgt_lang)
        except KeyError:
            return False
        return True

    def _codes(self, src_lang: str, tgt_lang: str) -> tuple[str | None, str | None]:
        """The model's own source code and target code (or target token, for Marian)."""
        if self.family == "nllb":
            src, tgt = nllb_code(src_lang), nllb_code(tgt_lang)
            vocab = self._tokenizer.get_vocab()
            for code in (src, tgt):
                if code not in vocab:
                    raise KeyError(f"'{code}' is not a language of this NLLB tokenizer")
            return src, tgt
        if self.family == "m2m100":
            src, tgt = m2m_code(src_lang), m2m_code(tgt_lang)
            for code in (src, tgt):
                if code not in self._tokenizer.lang_code_to_id:
                    raise KeyError(f"'{code}' is not a language of this M2M100 tokenizer")
            return src, tgt
        vocab = self._tokenizer.get_vocab()
        target = next((t for t in marian_target_tokens(tgt_lang) if t in vocab), None)
        return None, target

    # -- translation -----------------------------------------------------------
    def _generate_kwargs(self, tgt_code: str | None) -> dict:
        # Never ask for more tokens than the decoder has positions (512 for real models).
        positions = getattr(self._model.config, "max_position_embeddings", None) or self.max_new_tokens + 2
        kwargs = {"num_beams": self.num_beams, "max_new_tokens": min(self.max_new_tokens, positions - 2)}
        if self.family == "nllb":
            kwargs["forced_bos_token_id"] = self._tokenizer.convert_tokens_to_ids(tgt_code)
        elif self.family == "m2m100":
            kwargs["forced_bos_token_id"] = self._tokenizer.get_lang_id(tgt_code)
        return kwargs

    def _translate(self, texts: list[str], *, src_lang: str, tgt_lang: str) -> list[str]:
        import torch

        src_code, tgt_code = self._codes(src_lang, tgt_lang)
        if self.family in ("nllb", "m2m100"):
            self._tokenizer.src_lang = src_code
        inputs = [f"{tgt_code} {t}" if self.family == "marian" and tgt_code else t for t in texts]
        kwargs = self._generate_kwargs(tgt_code)
        order = sorted(range(len(texts)), key=lambda i: len(inputs[i]), reverse=True)
        out: list[str] = [""] * len(texts)
        for start in range(0, len(order), self.batch_size):
            batch = [i for i in order[start:start + self.batch_size] if inputs[i].strip()]
            if not batch:
                continue
            encoded = self._tokenizer([inputs[i] for i in batch], return_tensors="pt", padding=True,
                                      truncation=True).to(self.device)
            with torch.inference_mode():
                generated = self._model.generate(**encoded, **kwargs)
            for i, text in zip(batch, self._tokenizer.batch_decode(generated, skip_special_tokens=True)):
                out[i] = text.strip()
        return out
