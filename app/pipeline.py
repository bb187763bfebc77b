"""The one core function: ``compare(a, b) -> Result``.

text → Article (sentences, tokens, offsets) → embeddings → Alignment →
sentence classes and spans → Result. The CLI, web UI, batch mode and the
benchmarks all call :func:`compare` and add no logic of their own.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.base import Embedder, ModelUnavailable, TokenEncoder
from models.cache import CachedEmbedder, EmbeddingCache
from models.registry import get_embedder, get_token_encoder
from models.translate import Translator

from . import __version__
from .steps.align import AlignParams, Alignment, align_sentences
from .text.article import Article, ArticleMeta
from .steps.classify import kept_threshold, link_statuses, sentence_spans, sentence_statuses
from .errors import error
from .text.language import language_name
from .text.reader import read_article
from .result import (AlignmentRecord, ArticleRecord, FramesRecord, LinkRecord, Meta, Result, SentenceRecord,
                     SentenceStatus, SpanRecord, Summary)
from .settings import Settings
from .signature import build_signature
from .steps.support import reclaim_copies, refine, relink_moved, supported, unlink_scores
from .steps.facts import fact_spans
from .steps.confidence import confidence_table, with_confidence
from .steps.findings import merge
from .steps.verdict import pair_verdict
from .steps.framing import FramingSpans, framing_spans
from .steps.frame_shares import assign_frames_linked, frames_record
from .lexicons.loaded_terms import lexicons_hash
from .steps.words import token_scores, word_spans
from .steps.words.spans import embed_cached, sentence_words
from .steps.words.word_model import word_model_signature
from .steps.translate_sides import (SideTranslation, TranslationRequest, UserTranslation, embed_language, translate_sides,
                          translator_signature)

ArticleInput = Article | Path | str
CJK_JOIN = {"zh": "", "ja": ""}

_default_cache: EmbeddingCache | None = None
_default_cache_lock = threading.Lock()


def default_cache() -> EmbeddingCache | None:
    """The shared on-disk cache, unless FRAMEDIFF_NO_CACHE=1 (one per process, also under threads)."""
    global _default_cache
    if os.environ.get("FRAMEDIFF_NO_CACHE") == "1":
        return None
    with _default_cache_lock:
        if _default_cache is None:
            _default_cache = EmbeddingCache()
        return _default_cache


def load_embedder(name_or_embedder: str | Embedder | CachedEmbedder,
                  cache: EmbeddingCache | None = None) -> CachedEmbedder:
    """An embedder wrapped in the persistent cache; names are loaded once per process."""
    if isinstance(name_or_embedder, CachedEmbedder):
        return name_or_embedder
    if isinstance(name_or_embedder, Embedder):
        return CachedEmbedder(name_or_embedder, cache)
    try:
        return CachedEmbedder(get_embedder(name_or_embedder), cache)
    except ModelUnavailable as exc:
        raise error("E007", name=name_or_embedder, detail=str(exc)) from exc


@dataclass
class Work:
    """What flows through the steps of one comparison."""

    article_a: Article
    article_b: Article
    settings: Settings
    embedder: CachedEmbedder
    alignment: Alignment | None = None
    link_statuses: list[SentenceStatus] = field(default_factory=list)
    # Each step's spans under its own name; step_findings assembles them once into ``spans``.
    sentence_spans: list[SpanRecord] = field(default_factory=list)      # step_classify
    word_spans: list[SpanRecord] = field(default_factory=list)          # step_word_spans (app/steps/words)
    framing_spans: FramingSpans = field(default_factory=lambda: FramingSpans([], []))    # step_framing
    fact_spans: list[SpanRecord] = field(default_factory=list)          # step_facts
    spans: list[SpanRecord] = field(default_factory=list)               # step_findings: the result's spans
    # side -> one difference score per token (0..1); None when the embedder has no token vectors. The
    # hand-fitted combination: the support step and the framing gate were tuned on its scale.
    token_scores: dict[str, np.ndarray] | None = None
    # side -> the fitted word model's probability per token that it has no counterpart (across languages
    # with a token encoder; app/steps/words/word_model.py); the word spans and their confidence read it
    word_probabilities: dict[str, np.ndarray] | None = None
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)  # per side, from step_align
    # side -> whether each sentence's content has a counterpart on the other side (app/steps/support.py);
    # None when there are no word scores
    supported: dict[str, list[bool]] | None = None
    frames: FramesRecord | None = None
    timings: dict[str, float] = field(default_factory=dict)
    translation_request: TranslationRequest = field(default_factory=TranslationRequest)
    translations: dict[str, SideTranslation] = field(default_factory=dict)
    # contextual piece vectors for the word level (Settings.word_model); None within one language or "none"
    token_encoder: TokenEncoder | None = None


def to_article(source: ArticleInput, *, side: str, language: str | None, meta: ArticleMeta | None,
               settings: Settings) -> Article:
    if isinstance(source, Article):
        return source
    return read_article(source, is_path=isinstance(source, Path), language=language, meta=meta,
                        max_chars=settings.max_chars, what=f"article {side}", side=side)


def check_languages(work: Work) -> None:
    for side, article in (("a", work.article_a), ("b", work.article_b)):
        language = embed_language(work.article_a, work.article_b, side, work.settings)
        if not work.embedder.covers(language):
            covered = sorted(work.embedder.languages or [])
            raise error("E004", what=f"article {side}", language=language_name(language),
                        model=work.embedder.name, covered=", ".join(covered), side=side)


def align_params(settings: Settings, lang_a: str, lang_b: str) -> AlignParams:
    """The aligner's parameters for these settings and languages (used by compare, align and bench)."""
    return AlignParams(max_group=settings.max_group, min_score=settings.min_link_score,
                       attach_unaligned=settings.attach_unaligned,
                       join_a=CJK_JOIN.get(lang_a, " "), join_b=CJK_JOIN.get(lang_b, " "))


def step_translate(work: Work) -> None:
    work.translations = translate_sides(work.article_a, work.article_b, work.settings, work.translation_request)


def step_align(work: Work) -> None:
    s = work.settings
    lang_b = embed_language(work.article_a, work.article_b, "b", s)
    params = align_params(s, work.article_a.language, lang_b)
    texts_a, texts_b = _match_texts(work.article_a), _match_texts(work.article_b)
    translated_b = s.translate_then_compare and "b" in work.translations
    if translated_b:
        texts_b = list(work.translations["b"].texts)   # b's translation is embedded; offsets stay b's
    seen: dict[str, np.ndarray] = sentence_vectors_from_word_pass(work, b_too=not translated_b)

    def encode(texts):
        todo = [t for t in dict.fromkeys(texts) if t not in seen]
        if todo:
            seen.update(zip(todo, work.embedder.encode(todo, batch_size=s.batch_size)))
        return np.stack([seen[t] for t in texts]) if texts else np.zeros((0, work.embedder.dim), np.float32)

    work.alignment = align_sentences(texts_a, texts_b, encode, params=params)
    # The word pass or the aligner embedded (nearly) every single sentence already: keep them for later steps.
    for side, texts in (("a", texts_a), ("b", texts_b)):
        missing = [t for t in texts if t not in seen]
        if missing:
            encode(missing)
        work.sentence_vectors[side] = np.stack([seen[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


def sentence_vectors_from_word_pass(work: Work, *, b_too: bool = True) -> dict[str, np.ndarray]:
    """With word vectors (USE-m3) and the word level on, one forward pass gives the word vectors and the sentence vectors.

    ``word_diff`` needs that pass anyway; running it before alignment spares the aligner embedding
    every single sentence a second time (docs/benchmarks.md, "Speed"). The sentence vectors equal the embedder's
    (to 2e-7) and go into the embedding cache like its own. Otherwise: nothing, the aligner embeds.
    """
    if not word_level_on(work):
        return {}
    words = [sentence_words(work.article_a, i) for i in range(len(work.article_a.sentences))]
    if b_too:
        words += [sentence_words(work.article_b, j) for j in range(len(work.article_b.sentences))]
    vectors = {w.text: v.sentence for w, v in zip(words, embed_cached(work.embedder, words))}
    work.embedder.store(list(vectors), list(vectors.values()))
    return vectors


def step_word_scores(work: Work) -> None:
    """Per-token difference scores for every link (app/steps/words): the evidence the next steps weigh."""
    if not word_level_on(work):
        return
    work.token_scores = token_scores(work.article_a, work.article_b, work.alignment, work.embedder,
                                     literal_run=work.settings.word_diff_literal_run,
                                     token_encoder=work.token_encoder)


def load_token_encoder(settings: Settings, lang_a: str, lang_b: str) -> TokenEncoder | None:
    """The word level's token encoder across languages (the word model is fitted on zh-en news); None within one."""
    if not settings.word_diff or lang_a == lang_b:
        return None
    try:
        return get_token_encoder(settings.word_model)
    except ModelUnavailable as exc:
        raise error("E007", name=settings.word_model, detail=str(exc)) from exc


def word_level_on(work: Work) -> bool:
    """The word level runs when the settings ask for it and the embedder has word vectors (models/base.py)."""
    return work.settings.word_diff and work.embedder.supports_word_vectors


def step_support(work: Work) -> None:
    """Group members the other side does not support leave their link; moved sentences find theirs
    (app/steps/support.py)."""
    if work.token_scores is None:
        return
    threshold = word_threshold(work)
    refined = refine(work.alignment, work.article_a, work.article_b, work.token_scores, threshold,
                     lambda ids_a, ids_b: group_cosine(work, ids_a, ids_b))
    if refined is not work.alignment:
        unlink_scores(work.token_scores, work.alignment, refined, {"a": work.article_a, "b": work.article_b})
    kept = kept_threshold(work.article_a, work.article_b, work.settings)
    refined = reclaim(work, refined, kept)
    moved = relink_moved(refined, work.sentence_vectors["a"], work.sentence_vectors["b"], kept)
    if moved is not refined:
        score_links(work, moved.links[len(refined.links):])
    work.alignment = moved
    work.supported = {side: [supported(article, i, work.token_scores[side], threshold)
                             for i in range(len(article.sentences))]
                      for side, article in (("a", work.article_a), ("b", work.article_b))}


def reclaim(work: Work, alignment: Alignment, kept: float) -> Alignment:
    """Near-copies out of the reading order get their own link; the links they leave are rescored."""
    reclaimed, changed = reclaim_copies(alignment, work.sentence_vectors["a"], work.sentence_vectors["b"], kept,
                                        lambda ids_a, ids_b: group_cosine(work, ids_a, ids_b))
    if not changed:
        return alignment
    unlink_scores(work.token_scores, alignment, reclaimed, {"a": work.article_a, "b": work.article_b})
    score_links(work, [reclaimed.links[k] for k in sorted(changed)])
    return reclaimed


def group_cosine(work: Work, ids_a, ids_b) -> float:
    """Cosine of two groups of sentences, embedded as the aligner embeds groups (joined text)."""
    texts = [CJK_JOIN.get(work.article_a.language, " ").join(work.article_a.sent_match_text(i) for i in ids_a),
             CJK_JOIN.get(work.article_b.language, " ").join(work.article_b.sent_match_text(j) for j in ids_b)]
    va, vb = work.embedder.encode(texts, batch_size=work.settings.batch_size)
    return float(va @ vb)


def score_links(work: Work, links) -> None:
    """Word scores for links made after the word pass (their sentences scored as unaligned until now)."""
    extra = token_scores(work.article_a, work.article_b, Alignment(tuple(links), len(work.article_a.sentences),
                                                                   len(work.article_b.sentences)),
                         work.embedder, literal_run=work.settings.word_diff_literal_run,
                         token_encoder=work.token_encoder)
    for side, article, ids in (("a", work.article_a, [i for l in links for i in l.a]),
                               ("b", work.article_b, [j for l in links for j in l.b])):
        for i in ids:
            sent = article.sentences[i]
            work.token_scores[side][sent.token_start:sent.token_end] = extra[side][sent.token_start:sent.token_end]


def word_threshold(work: Work) -> float:
    same = work.article_a.language == work.article_b.language
    return work.settings.word_diff_threshold_mono if same else work.settings.word_diff_threshold_cross


def step_classify(work: Work) -> None:
    threshold = kept_threshold(work.article_a, work.article_b, work.settings)
    if work.settings.translate_then_compare and "b" in work.translations:
        threshold = work.settings.kept_threshold_mono   # the scores compared two texts in one language
    work.link_statuses = link_statuses(work.alignment, threshold, work.supported)
    work.sentence_spans = sentence_spans(work.article_a, work.article_b, work.alignment, work.link_statuses,
                                         work.supported)


def step_word_spans(work: Work) -> None:
    """Added/omitted word spans inside linked sentences (app/steps/words), from the fitted word model's
    probabilities when it applies (the word vectors are cached: only the evidence is computed again)."""
    if work.token_scores is None:
        return
    scores, scored_by = work.token_scores, "weights"
    if work.token_encoder is not None:
        work.word_probabilities = token_scores(work.article_a, work.article_b, work.alignment, work.embedder,
                                               token_encoder=work.token_encoder, fitted=True)
        scores, scored_by = work.word_probabilities, "word_model"
    work.word_spans = word_spans(work.article_a, work.article_b, work.alignment, scores, work.settings,
                                 scored_by=scored_by)


def step_framing(work: Work) -> None:
    work.framing_spans = framing_spans(work.article_a, work.article_b, work.alignment, work.link_statuses,
                                       work.settings, work.embedder, word_spans=work.word_spans,
                                       token_scores=work.token_scores)


def step_facts(work: Work) -> None:
    work.fact_spans = fact_spans(work.article_a, work.article_b, work.alignment)


def step_frames(work: Work) -> None:
    kept = [(link.a, link.b) for link, status in zip(work.alignment.links, work.link_statuses)
            if status is SentenceStatus.KEPT]
    labels = assign_frames_linked(work.sentence_vectors["a"], work.sentence_vectors["b"], kept, work.embedder,
                                  min_similarity=work.settings.frame_min_similarity)
    work.frames = frames_record(labels["a"], labels["b"])


def step_findings(work: Work) -> None:
    """The result's spans: each change reported once, by the most specific step that caught it
    (app/steps/findings.py), in reading order."""
    merged = merge(sentences=work.sentence_spans, words=work.word_spans, framing=work.framing_spans,
                   facts=work.fact_spans)
    work.spans = sorted(merged, key=lambda s: (s.side, s.start, s.end, s.kind.value))


def step_confidence(work: Work) -> None:
    """Each difference span's confidence; below ``min_confidence`` it is a possible difference, not counted
    (app/steps/confidence.py)."""
    work.spans = with_confidence(work.spans, work.settings.min_confidence)


STEPS = [("translate", step_translate), ("align", step_align), ("word_scores", step_word_scores),
         ("support", step_support), ("classify", step_classify), ("word_spans", step_word_spans),
         ("framing", step_framing), ("facts", step_facts), ("findings", step_findings), ("confidence", step_confidence),
         ("frames", step_frames)]


def compare(a: ArticleInput, b: ArticleInput, *, settings: Settings | None = None,
            embedder: str | Embedder | CachedEmbedder | None = None,
            cache: EmbeddingCache | None | bool = True,
            lang_a: str | None = None, lang_b: str | None = None,
            meta_a: ArticleMeta | None = None, meta_b: ArticleMeta | None = None,
            translator: str | Translator | None = None, translation_b: UserTranslation | None = None) -> Result:
    """Compare article ``a`` (the source) with ``b`` (the rewrite).

    ``a`` and ``b`` are Articles, file paths (``Path``), http(s) URLs or article text (``str``; a string
    that is one URL and nothing else is fetched, app/text/fetch.py).
    ``embedder`` defaults to ``settings.model``; ``cache=True`` uses the shared
    on-disk embedding cache, ``None``/``False`` disables it (and the translation cache).
    ``translator`` overrides ``settings.translate_model``; ``translation_b`` is the
    user's own translation of b (a ``Path`` to a file, the text, or a list of lines),
    one line per sentence of b.
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    cache_obj = default_cache() if cache is True else (cache or None)
    embedder_obj = load_embedder(embedder if embedder is not None else settings.model, cache_obj)
    article_a = to_article(a, side="a", language=lang_a, meta=meta_a, settings=settings)
    article_b = to_article(b, side="b", language=lang_b, meta=meta_b, settings=settings)
    work = Work(article_a, article_b, settings, embedder_obj,
                translation_request=TranslationRequest(translator, translation_b, cache=bool(cache)))
    work.timings["read"] = time.perf_counter() - t0
    check_languages(work)
    if word_level_on(work):
        work.token_encoder = load_token_encoder(settings, article_a.language,
                                                embed_language(article_a, article_b, "b", settings))
    for name, step in STEPS:
        t = time.perf_counter()
        step(work)
        work.timings[name] = time.perf_counter() - t
    work.timings["total"] = time.perf_counter() - t0
    return build_result(work)


def _match_texts(article: Article) -> list[str]:
    return [article.sent_match_text(i) for i in range(len(article.sentences))]


def _article_record(article: Article, statuses: list[SentenceStatus], mapping,
                    translation: SideTranslation | None = None) -> ArticleRecord:
    sentences = [SentenceRecord(index=i, start=s.start, end=s.end, status=statuses[i], link=mapping[i],
                                translation=translation.texts[i] if translation else None,
                                translation_model=translation.model if translation else None)
                 for i, s in enumerate(article.sentences)]
    return ArticleRecord(language=article.language, script=article.script, format=article.format,
                         text=article.text, meta=Meta(**article.meta.to_dict()), sentences=sentences)


def _share(article: Article, statuses: list[SentenceStatus], status: SentenceStatus) -> float:
    total = sum(s.end - s.start for s in article.sentences) or 1
    part = sum(s.end - s.start for s, st in zip(article.sentences, statuses) if st is status)
    return round(part / total, 4)


def build_result(work: Work) -> Result:
    alignment = work.alignment
    statuses_a = sentence_statuses(alignment, work.link_statuses, "a")
    statuses_b = sentence_statuses(alignment, work.link_statuses, "b")
    spans = work.spans
    counts: dict[str, int] = {}
    shared: dict[str, int] = {}
    possible: dict[str, int] = {}
    for span in spans:
        tally = counts if span.difference else (shared if span.confidence is None else possible)
        tally[span.kind.value] = tally.get(span.kind.value, 0) + 1
    settings = work.settings.to_dict()
    signature, config_hash = build_signature(embedder_signature=work.embedder.signature(), settings=settings,
                                             translator_signature=translator_signature(work.translations),
                                             lexicon_hash=lexicons_hash(),
                                             confidence_table=confidence_table().sha256,
                                             word_model=word_model_signature(work.token_encoder))
    summary = Summary(
        counts=counts, shared=shared, possible=possible,
        sentences_a={st.value: statuses_a.count(st) for st in SentenceStatus if st.value != "added"},
        sentences_b={st.value: statuses_b.count(st) for st in SentenceStatus if st.value != "omitted"},
        share_a_omitted=_share(work.article_a, statuses_a, SentenceStatus.OMITTED),
        share_b_added=_share(work.article_b, statuses_b, SentenceStatus.ADDED))
    articles = {"a": _article_record(work.article_a, statuses_a, alignment.a_to_b, work.translations.get("a")),
                "b": _article_record(work.article_b, statuses_b, alignment.b_to_a, work.translations.get("b"))}
    return Result(
        framediff_version=__version__, signature=signature, config_hash=config_hash, settings=settings,
        articles=articles, verdict=pair_verdict(articles["a"].sentences, articles["b"].sentences, spans),
        alignment=AlignmentRecord(
            links=[LinkRecord(a=list(l.a), b=list(l.b), score=l.score, status=st)
                   for l, st in zip(alignment.links, work.link_statuses)],
            unaligned_a=list(alignment.unaligned_a), unaligned_b=list(alignment.unaligned_b)),
        spans=spans, summary=summary,
        timings={k: round(v, 4) for k, v in work.timings.items()}, frames=work.frames)
