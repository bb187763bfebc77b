"""Planted framing, scare quotes, so-called, changed numbers and dropped sources are found with the
right kind, en->en and en->zh (Simplified and Traditional); faithful rewrites yield none of them.
Pairs: corpora/samples/harbour (written by the project) and corpora/samples/norvale."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import compare
from tests.conftest import SAMPLES

HARBOUR = SAMPLES / "harbour"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(use_m3):
    names = ["b_framed.en.txt", "b_framed.zh.txt", "b_framed.zh-Hant.txt",
             "b_faithful.en.txt", "b_faithful.zh.txt", "b_faithful.zh-Hant.txt"]
    return {n: compare(HARBOUR / "a.en.txt", HARBOUR / n, embedder=use_m3, cache=None) for n in names}


def _golden_rows():
    path = Path(__file__).resolve().parents[1] / "golden" / "harbour_spans.tsv"
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    return [tuple(l.split("\t")) for l in lines[1:]]


@pytest.mark.parametrize("name,side,kind,label,text", _golden_rows())
def test_golden_spans_are_found(results, name, side, kind, label, text):
    found = [(s.label, s.text) for s in results[name].spans_of(kind, side)]
    assert (label, text) in found


def _find(result, kind, side, text):
    return [s for s in result.spans_of(kind, side) if s.text == text]


@pytest.mark.parametrize("name,verbs", [("b_framed.en.txt", ["claimed", "hyping up"]),
                                        ("b_framed.zh.txt", ["炒作称", "声称"]),
                                        ("b_framed.zh-Hant.txt", ["炒作稱", "聲稱"])])
def test_said_turned_into_a_loaded_verb_is_framing_against_said(results, name, verbs):
    result = results[name]
    for verb in verbs:
        [span] = _find(result, "framing", "b", verb)
        assert span.label == "stance_verb" and span.counterpart.text == "said"
        assert span.difference and "said" in span.reason and verb in span.reason
        assert not _find(result, "loaded", "b", verb)   # one finding, one span


@pytest.mark.parametrize("name,quoted,so_called", [("b_framed.en.txt", '"studying"', "so-called"),
                                                   ("b_framed.zh.txt", "“研究”", "所谓的"),
                                                   ("b_framed.zh-Hant.txt", "“研究”", "所謂的")])
def test_scare_quotes_and_so_called(results, name, quoted, so_called):
    result = results[name]
    [quote] = _find(result, "loaded", "b", quoted)
    assert quote.label == "scare_quote" and quote.counterpart is not None
    [label] = _find(result, "loaded", "b", so_called)
    assert label.label == "distancing"
    asides = [s for s in result.spans_of("framing", "b") if s.label == "editorial_aside"]
    assert len(asides) == 1 and so_called in asides[0].text


@pytest.mark.parametrize("name,b_text", [("b_framed.en.txt", "$32 million"), ("b_framed.zh.txt", "3200万美元"),
                                         ("b_framed.zh-Hant.txt", "3200萬美元")])
def test_changed_number_and_dropped_source(results, name, b_text):
    result = results[name]
    [number] = result.spans_of("number", "b")
    assert number.text == b_text and number.counterpart.text == "$23 million"
    assert number.detail == {"a_value": 23e6, "b_value": 32e6, "unit": "USD", "change": "changed"}
    [dropped] = _find(result, "attribution", "a", "seven people familiar with the matter")
    assert dropped.detail["change"] == "dropped" and dropped.detail["source"] == "anonymous"


@pytest.mark.parametrize("name", ["b_faithful.en.txt", "b_faithful.zh.txt", "b_faithful.zh-Hant.txt"])
def test_faithful_rewrite_has_no_framing_loaded_number_or_attribution_spans(results, name):
    result = results[name]
    found = [(s.kind.value, s.text) for s in result.spans
             if s.kind.value in ("framing", "loaded", "number", "attribution")]
    assert found == []  # 2300万美元 == $23 million, 2025年3月 == March 2025, 4% == 4%


def test_texts_are_offsets_into_the_articles(results):
    for result in results.values():
        for span in result.spans:
            assert result.articles[span.side].text[span.start:span.end] == span.text
            if span.counterpart is not None and span.kind.value in ("number", "framing"):
                cp = span.counterpart
                assert result.articles[cp.side].text[cp.start:cp.end] == cp.text


def test_norvale_state_media_rewrite(norvale_result):
    loaded = {s.text: s.label for s in norvale_result.spans_of("loaded", "b") + norvale_result.spans_of("framing", "b")}
    for term, label in [("炒作称", "stance_verb"), ("所谓", "distancing"), ("声称", "stance_verb"),
                        ("滥用", "pejorative"), ("打压", "pejorative"), ("“知情人士”", "scare_quote")]:
        assert loaded.get(term) == label, term
    assert any("闹剧" in s.text for s in norvale_result.spans_of("loaded", "b"))
    shifts = {s.text: s.counterpart.text for s in norvale_result.spans_of("framing", "b") if s.label == "stance_verb"}
    assert shifts["声称"] == "said"
    # 2300万美元 == $23 million and 2025年3月至9月 == March to September 2025: not flagged
    assert not [s for s in norvale_result.spans_of("number") if s.detail["unit"] in ("USD", "year", "month")]
    dropped = [s.text for s in norvale_result.spans_of("attribution", "a")]
    assert "seven people with direct knowledge of the deals" in dropped


def test_concessive_aside_vanished_hedge_and_changed_name_en_en(use_m3):
    a = "The report said the company paid the fee in Brevania. Officials in Ottawa reportedly approved the deal."
    b = ("Although the report began by hyping up the story, it then added that the company paid the fee in "
         "Corvania. Officials in Ottawa approved the deal.")
    result = compare(a, b, embedder=use_m3, cache=None, lang_a="en", lang_b="en")
    [aside] = [s for s in result.spans_of("framing", "b") if s.label == "editorial_aside"]
    assert aside.text == "Although the report began by hyping up the story"
    [hype] = [s for s in result.spans_of("framing", "b") if s.label == "stance_verb"]
    assert hype.text == "hyping up" and hype.counterpart.text == "said"
    [hedge] = result.spans_of("framing", "a")
    assert hedge.text == "reportedly" and hedge.label == "hedge"
    assert [(s.side, s.text) for s in result.spans_of("entity")] == [("a", "Brevania"), ("b", "Corvania")]


def test_entity_checked_through_the_gazetteer_en_zh(use_m3):
    result = compare("Malaysia's trade ministry said it would study the case. The company paid the fee.",
                     "新加坡贸易部表示将研究此案。该公司支付了这笔费用。", embedder=use_m3, cache=None,
                     lang_a="en", lang_b="zh")
    assert sorted((s.side, s.text) for s in result.spans_of("entity")) == [("a", "Malaysia"), ("b", "新加坡")]
    assert not result.spans_of("framing") and not result.spans_of("number")


def test_faithful_translation_of_a_loaded_report_shows_no_shift(use_m3):
    """Both sides carry the same judgement (so-called, quotes, claimed, reportedly): loaded spans on both
    sides, but no framing, number or attribution spans."""
    fleet = SAMPLES / "fleet"
    result = compare(fleet / "a.en.txt", fleet / "b.zh.txt", embedder=use_m3, cache=None)
    assert {s.text for s in result.spans_of("loaded", "a")} >= {"so-called", "reportedly", "claimed"}
    assert {s.text for s in result.spans_of("loaded", "b")} >= {"所谓", "据报道", "声称"}
    for kind in ("framing", "number", "attribution"):
        assert result.spans_of(kind) == [], kind
    assert not [s for s in result.spans_of("loaded") if s.label == "scare_quote"]


@pytest.mark.parametrize("pair,kinds", [("rottervik", ("number", "attribution", "entity", "framing")),
                                        ("harbour-strike", ("number", "attribution", "entity"))])
def test_facts_kept_in_other_words_are_not_changes(use_m3, pair, kinds):
    """rottervik is a close translation; harbour-strike a rewrite that drops and adds sentences but keeps
    the facts of the sentences it keeps. Read right: 十一年来 is "in eleven years", 数十辆 "dozens of",
    数百万美元 "several million dollars", 以北约300公里 "about 300 km to the north" (not NATO), and
    据Wirewatch报道 the dateline's "(Wirewatch)"."""
    folder = SAMPLES / pair
    result = compare(folder / "a.en.txt", folder / "b.zh.txt", embedder=use_m3, cache=None)
    assert [(s.kind, s.side, s.text) for s in result.spans if s.kind in kinds] == []


@pytest.mark.parametrize("zh,en,flagged", [
    ("美国把六家企业列入“实体名单”。", "The US added six companies to its Entity List.", []),
    ("数据由“平方公里阵列”于2019年收集。", "The data were gathered in 2019 by the Square Kilometre Array.", []),
    ("他们所谓的“民主”只是幌子。", "Their democracy is only a facade, Smith said.", ["“民主”"]),
    ("他批评所谓“台独”势力。", "He criticised Taiwan independence forces.", ["“台独”"]),
])
def test_chinese_quotes_around_a_name_english_capitalises_are_not_scare_quotes(use_m3, zh, en, flagged):
    """Chinese marks names and titles with quotation marks where English capitalises them; a term English
    writes in lower case (democracy) keeps its scare quotes, and a proper noun in the gloss (Taiwan) does
    not count as the term being capitalised."""
    result = compare(zh, en, embedder=use_m3, cache=None, lang_a="zh", lang_b="en")
    assert [s.text for s in result.spans_of("loaded", "a") if s.label == "scare_quote"] == flagged


@pytest.mark.parametrize("en,flagged", [("US officials rejected the ceasefire proposal on Monday.", ["断然"]),
                                        ("US officials flatly rejected the ceasefire proposal on Monday.", [])])
def test_a_loaded_term_inside_a_longer_chinese_word_is_judged_by_itself(use_m3, en, flagged):
    """jieba keeps 断然拒绝 ("flatly refuse") as one word, whose score says "rejected" is there; whether
    "flatly" is there is for the term itself (the dictionary) to say."""
    result = compare(en, "美国当局周一断然拒绝了停火提议。", embedder=use_m3, cache=None, lang_a="en", lang_b="zh")
    assert [s.text for s in result.spans_of("framing", "b")] == flagged
