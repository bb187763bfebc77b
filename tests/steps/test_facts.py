"""Numbers, sources and entities read into one normal form across English and Chinese."""

from __future__ import annotations

import pytest

from app.steps.attribution import sources
from app.steps.facts import en_quantities, zh_numeral, zh_quantities
from app.text.reader import build_article


@pytest.mark.parametrize("text,value", [("两千三百万", 23_000_000), ("二〇二五", 2025), ("四", 4), ("十二", 12),
                                        ("4.5", 4.5), ("一亿二千万", 120_000_000)])
def test_chinese_numerals(text, value):
    assert zh_numeral(text) == value


def _quantities(text: str, language: str):
    article = build_article(text, language=language)
    read = zh_quantities if language == "zh" else en_quantities
    return sorted((q.key, q.value) for i in range(len(article.sentences)) for q in read(article, i))


def test_the_same_facts_read_the_same_in_both_languages():
    en = _quantities("It paid $23 million between March and June 2025, and shares fell 4% on Monday.", "en")
    zh = _quantities("该公司于2025年3月至6月间支付了2300万美元，股价周一下跌百分之四。", "zh")
    assert en == zh == sorted([("USD", 23e6), ("month", 3), ("month", 6), ("year", 2025), ("percent", 4),
                               ("weekday", 1)])


def test_money_scales_and_currencies():
    assert _quantities("Revenue was US$1.2 billion and 5 million yuan.", "en") == [("CNY", 5e6), ("USD", 1.2e9)]
    assert _quantities("营收为12亿美元和500万元人民币。", "zh") == [("CNY", 5e6), ("USD", 1.2e9)]


@pytest.mark.parametrize("en,zh,code", [
    ("Port fees came to 4.37 billion Singapore dollars.", "港口收费达43.7亿新元。", "SGD"),
    ("Exports reached 31.51 billion U.S. dollars.", "出口额达315.1亿美元。", "USD"),
    ("The plan costs NT$5 billion.", "该计划耗资50亿新台币。", "TWD"),
    ("The plan costs 300 million Australian dollars.", "该计划耗资3亿澳元。", "AUD"),
])
def test_dollars_named_by_their_country_read_as_that_currency(en, zh, code):
    (key_en, value_en), = _quantities(en, "en")
    (key_zh, value_zh), = _quantities(zh, "zh")
    assert key_en == key_zh == code and value_en == pytest.approx(value_zh)


def _number_spans(a: str, lang_a: str, b: str, lang_b: str) -> list[str]:
    from app.steps.align import Alignment, Link
    from app.steps.facts import number_spans
    article_a, article_b = build_article(a, language=lang_a), build_article(b, language=lang_b)
    return [s.text for s in number_spans(article_a, article_b, Alignment((Link((0,), (0,), 0.9),), 1, 1))]


def test_an_amount_whose_currency_one_side_leaves_unread_matches_the_same_value():
    # "Sterling" is not a currency pattern: 4.2 billion is a bare count that 42亿英镑 still matches.
    assert _number_spans("交易额42亿英镑。", "zh", "The deal is worth 4.2 billion sterling.", "en") == []
    assert _number_spans("交易额42亿英镑。", "zh", "The deal is worth 5.2 billion sterling.", "en") != []
    assert _number_spans("交易额42亿英镑。", "zh", "The deal is worth 4.2 billion euros.", "en") != []   # currencies differ


def test_source_classes_in_both_languages():
    en = build_article("According to seven people familiar with the matter and documents reviewed by Wirewatch, "
                       "a spokesperson declined to comment.", language="en")
    zh = build_article("报道援引所谓“知情人士”的话称，发言人拒绝置评。", language="zh")
    assert {x.key for x in sources(en, 0)} == {"anonymous", "documents", "spokesperson"}
    end = build_article("The deals were confirmed by documents reviewed by Wirewatch.", language="en")
    [documents] = sources(end, 0)
    assert end.text[documents.start:documents.end] == "documents reviewed by Wirewatch"   # not the full stop
    assert {x.key for x in sources(zh, 0)} == {"anonymous", "media_report", "spokesperson"}


def test_chinese_name_shared_by_several_gazetteer_rows_maps_to_all_of_them_in_file_order():
    """商务部 names a commerce ministry of any country; the mapping must not depend on hash order."""
    from app.steps.entities import _en_in_text, _gazetteer_patterns

    key = _gazetteer_patterns()[2]["商务部"]
    assert key == "Commerce Department / Ministry of Commerce"
    assert _en_in_text(key, "Officials at the U.S. Commerce Department met the trade delegation on Friday.")
    assert _en_in_text(key, "China's Ministry of Commerce said on Tuesday.")
    assert not _en_in_text(key, "The Treasury said on Tuesday.")


def test_durations_read_the_same_in_both_languages():
    en = _quantities("It was the first strike in eleven years, and it lasted three days.", "en")
    zh = _quantities("这是十一年来的首次罢工，持续了三天。", "zh")
    assert en == zh == [("count", 3), ("count", 11)]
    assert _quantities("罢工始于2019年。", "zh") == [("year", 2019)]      # a year stays a year


@pytest.mark.parametrize("text", ["数十辆卡车排起长队。", "价值数百万美元的货物可能变质。", "几十名工人参加了罢工。"])
def test_vague_chinese_amounts_have_no_value(text):
    """数十 "dozens", 数百万 "several million": English does not read these as numbers either."""
    assert _quantities(text, "zh") == []


def test_digits_after_a_word_ending_in_shu_keep_their_value():
    assert _quantities("死亡人数300人。", "zh") == [("count", 300)]


def test_about_a_number_after_a_direction_is_not_nato():
    from app.steps.entities import zh_entities

    article = build_article("船只将改道至以北约300公里的港口。北约秘书长对此表示关注。北约一名官员说。", language="zh")
    found = [(x.key, article.text[x.start:x.end], i) for i in range(len(article.sentences))
             for x in zh_entities(article, i)]
    assert found == [("NATO", "北约", 1), ("NATO", "北约", 2)]


@pytest.mark.parametrize("text,names", [
    ("德国之声报道了这次地震。", []),                       # Deutsche Welle, a broadcaster
    ("美国国家航空航天局的工程师周三测试了新发动机。", []),     # NASA
    ("德國之聲報道了這次地震。", []),                       # the same in Traditional script
    ("美国人和德国队都来了。", ["United States", "Germany"]),  # one more character: still the country
    ("德国总理访问了法国。", ["Germany", "France"]),
])
def test_a_country_inside_a_longer_proper_name_is_not_that_country(text, names):
    from app.steps.entities import zh_entities

    article = build_article(text, language="zh")
    assert [x.key for x in zh_entities(article, 0)] == names


def test_dateline_credit_is_a_media_source_and_reported_alone_is_not():
    article = build_article("ROTTERVIK, Nov 20 (Wirewatch) - Dock workers walked off the job. "
                            "Residents reported a leak near the dam. The newspaper reported a second leak.",
                            language="en")
    assert [{x.key for x in sources(article, i)} for i in range(3)] == [{"media_report"}, {"others"},
                                                                        {"media_report"}]
    zh = build_article("据Wirewatch报道，码头工人周四罢工。", language="zh")
    assert {x.key for x in sources(zh, 0)} == {"media_report"}


@pytest.mark.parametrize("text,language", [("The report said donors receive a subsidy.", "en"),
                                           ("According to the report, donors receive a subsidy.", "en"),
                                           ("据该报道，捐赠者可获得补贴。", "zh"), ("據該報道，捐贈者可獲得補貼。", "zh"),
                                           ("据该报道称，捐赠者可获得补贴。", "zh"), ("该报道指出，捐赠者可获得补贴。", "zh")])
def test_the_report_being_covered_is_not_a_media_source(text, language):
    assert sources(build_article(text, language=language), 0) == []


def test_a_named_source_ends_at_its_name_not_at_the_full_stop():
    said = lambda text: [text[x.start:x.end] for x in sources(build_article(text, language="en"), 0)]
    assert said("Its debt will rise, according to Moody's.") == ["according to Moody's"]
    assert said("Exports will rise, according to the U.S.") == ["according to the U.S."]    # an initialism keeps it


def test_reports_that_name_no_covered_document_stay_media_sources():
    for text in ("报道称，捐赠者可获得补贴。", "据新华社报道，捐赠者可获得补贴。", "媒体报道，捐赠者可获得补贴。"):
        assert {x.key for x in sources(build_article(text, language="zh"), 0)} == {"media_report"}, text


@pytest.mark.parametrize("text,language", [("Industry insiders said the drug could transform treatment.", "en"),
                                           ("It is understood that the talks have stalled.", "en"),
                                           ("业内人士指出，这款新药有望彻底改变治疗格局。", "zh"),
                                           ("據悉，談判已經停滯。", "zh")])
def test_vague_unnamed_sources_are_anonymous(text, language):
    article = build_article(text, language=language)
    assert {x.key for x in sources(article, 0)} == {"anonymous"}


# -- issue 22: a number inside a name or a model is not a count ---------------------------------------

@pytest.mark.parametrize("a, b", [
    ("The carrier will build two 5G networks this year.", "该运营商今年将建设两个5G网络。"),
    ("The air force ordered F-16 jets and A320 planes for its two bases.", "空军为其两个基地订购了F-16战机和A320飞机。"),
    ("Airlines grounded the Boeing 737 MAX after two crashes.", "两次坠机后，各航空公司停飞了波音737 MAX。"),
    ("Leaders of the G7 met COVID-19 experts twice.", "七国集团领导人两次会见了COVID-19专家。"),
])
def test_a_number_inside_a_name_or_model_is_not_a_count(use_m3, a, b):
    from app import compare

    result = compare(a, b, embedder=use_m3, cache=None, lang_a="en", lang_b="zh")
    numbers = [(s.side, s.text) for s in result.spans if s.kind.value == "number"]
    assert numbers == [], numbers


def test_a_real_count_next_to_a_name_is_still_read():
    from app.steps.facts import _part_of_a_name

    text = "The G7 sent 40 experts. Boeing delivered 35 jets in 2024 at 5 USD each."
    for number, inside in (("7", True), ("40", False), ("35", False), ("5", False)):
        start = text.index(number, text.index("G7") if number != "7" else 0)
        if number == "5":
            start = text.index(" 5 ") + 1
        assert _part_of_a_name(text, start, start + len(number)) is inside, number
