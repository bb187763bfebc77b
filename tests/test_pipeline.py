"""End to end on the project's own sample pair (an English wire report and a Chinese rewrite)."""

import json
from pathlib import Path

import pytest

from app.result import Result, SentenceStatus, SpanKind

pytestmark = pytest.mark.slow
META = json.loads((Path(__file__).resolve().parents[1] / "corpora/samples/norvale/meta.json").read_text())


def test_dropped_sentences_come_out_omitted(norvale_result):
    omitted = [s.index for s in norvale_result.articles["a"].sentences if s.status is SentenceStatus.OMITTED]
    assert omitted == META["expected"]["omitted_a"]


def test_new_sentences_come_out_added(norvale_result):
    added = [s.index for s in norvale_result.articles["b"].sentences if s.status is SentenceStatus.ADDED]
    assert added == META["expected"]["added_b"]


def test_reordered_sentences_are_linked_to_their_counterparts(norvale_result):
    links = {(tuple(l.a), tuple(l.b)) for l in norvale_result.alignment.links}
    for a, b in META["expected"]["links"]:
        assert ((a,), (b,)) in links, f"a{a} should align with b{b}"


def test_sentence_spans_point_into_the_original_text(norvale_result):
    for span in norvale_result.spans:
        assert norvale_result.articles[span.side].text[span.start:span.end] == span.text
    kinds = {s.kind for s in norvale_result.spans}
    assert {SpanKind.OMITTED, SpanKind.ADDED} <= kinds
    assert all(s.side == "a" for s in norvale_result.spans_of("omitted"))
    assert all(s.side == "b" for s in norvale_result.spans_of("added"))


def test_result_round_trips_through_json(norvale_result):
    again = Result.from_json(norvale_result.to_json())
    assert again == norvale_result
    assert again.schema_version == "framediff.result/1"


def test_faithful_same_language_copy_is_all_kept(use_m3):
    from app import compare

    text = (Path(__file__).resolve().parents[1] / "corpora/samples/norvale/a.en.txt").read_text()
    result = compare(text, text, embedder=use_m3, cache=None)
    assert {s.status for s in result.articles["a"].sentences} == {SentenceStatus.KEPT}
    assert result.spans == []


def test_unsupported_language_is_a_clear_error(use_m3):
    from app import compare
    from app.errors import FrameDiffError

    hindi = "मंत्रालय ने मंगलवार को कहा कि वह रिपोर्ट पर कोई टिप्पणी नहीं करेगा। जांच जारी है।"
    with pytest.raises(FrameDiffError) as exc:
        compare("The ministry said on Tuesday it would not comment on the report.", hindi,
                embedder=use_m3, cache=None)
    assert exc.value.code == "E004" and "Hindi" in exc.value.message


def test_attach_unaligned_keeps_the_rewrites_asides_added_with_use_m3(use_m3, norvale_result):
    """The parallel-text option glues on fragments, not these asides (README: the margin is thin)."""
    from app import compare
    from app.settings import Settings
    from tests.conftest import SAMPLES

    result = compare(SAMPLES / "norvale" / "a.en.txt", SAMPLES / "norvale" / "b.zh.txt", embedder=use_m3,
                     cache=None, settings=Settings(attach_unaligned=True))
    added = [s.index for s in result.articles["b"].sentences if s.status is SentenceStatus.ADDED]
    assert added == META["expected"]["added_b"]
    assert result.settings["attach_unaligned"] is True and result.config_hash != norvale_result.config_hash


def test_one_forward_pass_gives_sentence_and_word_vectors(use_m3, tmp_path):
    """With the word level on, single sentences are not embedded a second time for the aligner, the
    alignment is the one the aligner gets embedding them itself, and the vectors reach the cache."""
    from app import compare
    from app.settings import Settings
    from app.steps.words.spans import clear_word_vector_cache
    from models.cache import CachedEmbedder, EmbeddingCache

    class Counting(CachedEmbedder):
        def encode(self, texts, **kwargs):
            self.asked = getattr(self, "asked", []) + list(texts)
            return super().encode(texts, **kwargs)

    folder = Path(__file__).resolve().parents[1] / "corpora/samples/norvale"
    runs = {}
    for word_diff in (True, False):
        clear_word_vector_cache()
        embedder = Counting(use_m3, EmbeddingCache(tmp_path / f"cache-{word_diff}"))
        result = compare(folder / "a.en.txt", folder / "b.zh.txt", embedder=embedder,
                         settings=Settings(word_diff=word_diff))
        singles = {result.articles[side].text[s.start:s.end] for side in "ab" for s in result.articles[side].sentences}
        runs[word_diff] = (result, singles & set(embedder.asked), len(embedder.cache))
    (with_words, asked_with, cached_with), (without, asked_without, cached_without) = runs[True], runs[False]
    assert asked_with == set() and asked_without           # the aligner embedded singles only without the word pass
    assert [(l.a, l.b) for l in with_words.alignment.links] == [(l.a, l.b) for l in without.alignment.links]
    assert cached_with >= len(with_words.articles["a"].sentences) + len(with_words.articles["b"].sentences)
