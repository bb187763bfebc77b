"""The lexicons load, are well formed, and match inflected English and both Chinese scripts."""

from __future__ import annotations

import pytest

from app.text.chinese import fold_to_simplified, word_spans
from app.lexicons.loaded_terms import CATEGORIES, load_lexicon, parse_lexicon


def _zh_hits(text: str):
    folded = fold_to_simplified(text)
    bounds = {x for span in word_spans(folded) for x in span}
    return [(text[h.start:h.end], h.entry.category) for h in load_lexicon("zh").find(folded, boundaries=bounds)]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_lexicon_is_large_and_well_formed(language):
    lexicon = load_lexicon(language)
    assert len(lexicon.entries) >= 250
    assert {e.category for e in lexicon.entries} == set(CATEGORIES)
    assert all(0 <= e.weight <= 1 and e.gloss for e in lexicon.entries)
    assert all(e.weight == 0 for e in lexicon.entries if e.neutral)


def test_english_inflections_and_multiword_terms():
    text = "Critics hyped up the so-called threat; she claimed it was crying wolf, and he said so."
    hits = {text[h.start:h.end]: h.entry.category for h in load_lexicon("en").find(text)}
    assert hits["hyped up"] == "stance_verb"
    assert hits["so-called"] == "distancing"
    assert hits["claimed"] == "stance_verb"
    assert hits["crying wolf"] == "dismissive"
    assert hits["said"] == "neutral"


def test_chinese_matches_whole_words_in_both_scripts():
    simplified = _zh_hits("美媒炒作称，所谓知情人士声称此事不过是闹剧。")
    traditional = _zh_hits("美媒炒作稱，所謂知情人士聲稱此事不過是鬧劇。")
    assert [c for _, c in simplified] == [c for _, c in traditional]
    assert ("炒作稱", "stance_verb") in traditional and ("所謂", "distancing") in traditional
    assert ("聲稱", "stance_verb") in traditional and ("鬧劇", "dismissive") in traditional
    # 称 is a neutral reporting verb, but not inside the word 名称
    assert all(term != "称" for term, _ in _zh_hits("这家公司的名称很长。"))


def test_bad_lexicon_line_is_refused():
    with pytest.raises(ValueError, match="line 1"):
        parse_lexicon("claimed\tnot_a_category\t0.5\tgloss", language="en")


def test_scare_quotes_are_short_quoted_terms_not_apostrophes():
    from app.steps.framing import scare_quotes
    from app.text.reader import build_article

    article = build_article('Norvale\'s and Harbourline\'s shares rose. The ministry is "studying" it. '
                            '"We comply with all laws in every market," she said.', language="en")
    assert [article.text[s:e] for _, s, e in scare_quotes(article)] == ['"studying"']
    zh = build_article("报道援引所谓「知情人士」的话称，公司表示：“我们遵守所有法律，并将继续配合调查。”", language="zh")
    assert [zh.text[s:e] for _, s, e in scare_quotes(zh)] == ["「知情人士」"]


def test_chinese_terms_are_found_inside_compounds_but_not_inside_two_character_words():
    """jieba keeps 彻底改变 as one word; 彻底 (booster) inside it still counts. 称 inside 名稱 does not."""
    from app.text.chinese import inner_word_boundaries
    from app.steps.framing import lexicon_marks
    from app.text.reader import build_article

    assert inner_word_boundaries("彻底改变") == [2] and inner_word_boundaries("名称") == []
    article = build_article("这款新药有望彻底改变治疗格局。這家公司的名稱很長。", language="zh")
    terms = [(article.text[m.start:m.end], m.category) for m in lexicon_marks(article, load_lexicon("zh"))]
    assert ("彻底", "booster") in terms
    assert all(term != "稱" for term, _ in terms)


def test_stance_verbs_naming_literal_events_are_not_loaded():
    from app.steps.framing import lexicon_marks
    from app.text.reader import build_article

    def stance(text):
        article = build_article(text, language="en")
        return [article.text[m.start:m.end] for m in lexicon_marks(article, load_lexicon("en"))
                if m.category == "stance_verb"]

    assert stance("The inhaler cut severe asthma attacks by 31%. A bomb blast killed two.") == []
    assert stance("Trump's attacks on the press continued. Critics blasted the plan.") == ["attacks", "blasted"]


def test_appear_is_a_hedge_only_when_it_frames_a_claim():
    """"appeared to show", "it appears that" weaken a claim; "the rash first appeared on" is an event."""
    hedges = lambda text: [h.entry.term for h in load_lexicon("en").find(text) if h.entry.category == "hedge"]
    assert hedges("The video appeared to show workers adding dye. It appears that talks failed.") == [
        "appear to", "appear that"]
    assert hedges("The rash first appeared on his wrist and then spread.") == []
