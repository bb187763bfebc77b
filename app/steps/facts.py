"""Fact changes between aligned sentences: numbers here; sources in app/steps/attribution.py, names in app/steps/entities.py.

Numbers are read with their unit into one normal form across languages (``$23 million`` and
``2300万美元`` are both ``23000000 USD``; ``4%`` and ``百分之四`` are ``4 percent``; ``March 2025`` and
``2025年3月`` are ``month 3`` plus ``year 2025``; ``200 miles`` and ``322 公里`` are one distance),
matched inside each alignment link, and what is left over becomes a ``number`` span: a changed
value when the other side has an unmatched value of the same unit, a vanished money or percentage
value when it has none.
"""

from __future__ import annotations

import re

from .align import Alignment
from ..text.article import Article
from .attribution import attribution_spans
from .entities import entity_spans
from .classify import quote
from .facts_common import Item, fact_span, group_fact_span, rstrip
from ..result import SpanKind, SpanRecord



# ---------------------------------------------------------------------------------------------
# numbers

_EN_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                         "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12})
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "b": 1e9, "trillion": 1e12, "tn": 1e12}
_CUR_PREFIX = {"us$": "USD", "$": "USD", "usd": "USD", "hk$": "HKD", "s$": "SGD", "a$": "AUD", "c$": "CAD",
               "nt$": "TWD", "nz$": "NZD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
               "rmb": "CNY", "cny": "CNY"}
_CUR_SUFFIX = {"dollars": "USD", "dollar": "USD", "yuan": "CNY", "renminbi": "CNY", "euros": "EUR", "euro": "EUR",
               "pounds": "GBP", "pound": "GBP", "yen": "JPY", "rmb": "CNY", "cny": "CNY", "usd": "USD", "percent": "percent", "per cent": "percent",
               "%": "percent", "percentage points": "points", "percentage point": "points"}
# A dollar named by its country ("8.96 billion Singapore dollars" is 89.6亿新元, not US dollars).
_CUR_SUFFIX.update({f"{country} {word}": code for countries, code in (
    (("u.s.", "us", "american"), "USD"), (("singapore",), "SGD"), (("hong kong", "hk"), "HKD"),
    (("australian",), "AUD"), (("canadian",), "CAD"), (("new zealand",), "NZD"),
    (("new taiwan", "taiwan", "nt"), "TWD")) for country in countries for word in ("dollars", "dollar")})
_CUR_SUFFIX.update({"chinese yuan": "CNY", "japanese yen": "JPY", "british pounds": "GBP", "pounds sterling": "GBP",
                    "swiss francs": "CHF", "rupees": "INR", "indian rupees": "INR", "rubles": "RUB", "roubles": "RUB",
                    "south korean won": "KRW", "korean won": "KRW", "baht": "THB", "ringgit": "MYR"})
_SUFFIX_PATTERN = "|".join(re.escape(w).replace(r"\ ", r"\s+")
                           for w in sorted(_CUR_SUFFIX, key=len, reverse=True) if w != "%")
_MONTHS = {m: i + 1 for i, m in enumerate("january february march april may june july august september "
                                          "october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i + 1 for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _EN_NUMBER_WORDS), key=len, reverse=True))
_EN_AMOUNT = re.compile(
    rf"(?i)(?P<cur>US\$|HK\$|S\$|A\$|C\$|NT\$|NZ\$|\$|€|£|¥|\bRMB\s?|\bUSD\s?|\bEUR\s?|\bCNY\s?)?"
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|bn|tn|m|k|b)\b)?"
    rf"(?:\s?(?P<suf>%|{_SUFFIX_PATTERN})\b|(?P<pct>%))?")
_EN_MONTH = re.compile(r"(?i)\b(?P<m>january|february|march|april|may|june|july|august|september|october|"
                       r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
                       r"(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b)?")
_EN_WEEKDAY = re.compile(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_YEAR = re.compile(r"(?<![\d$.,])(1[89]\d\d|20\d\d)(?![\d,.]\d)")

_ZH_CURRENCIES = {"美元": "USD", "美金": "USD", "人民币": "CNY", "元": "CNY", "欧元": "EUR", "英镑": "GBP",
                  "日元": "JPY", "港元": "HKD", "港币": "HKD", "新加坡元": "SGD", "新元": "SGD", "新台币": "TWD",
                  "台币": "TWD", "澳元": "AUD", "澳币": "AUD", "澳门元": "MOP", "澳门币": "MOP", "加元": "CAD",
                  "加币": "CAD", "新西兰元": "NZD", "纽元": "NZD", "瑞士法郎": "CHF", "瑞郎": "CHF", "卢比": "INR",
                  "卢布": "RUB", "韩元": "KRW", "泰铢": "THB", "林吉特": "MYR"}
_ZH_MONEY = "|".join(sorted(_ZH_CURRENCIES, key=len, reverse=True))
_ZH_DIGITS = "零〇一二两三四五六七八九"
_ZH_NUM = rf"(?:\d+(?:\.\d+)?|[{_ZH_DIGITS}十百千万亿]+)"
_ZH_AMOUNT = re.compile(
    rf"(?P<pct>百分之(?P<pnum>{_ZH_NUM}))|"
    rf"(?P<num>{_ZH_NUM})(?P<scale>万亿|亿|万|千|百)?(?:多|余)?(?P<unit>{_ZH_MONEY}|%|％|个百分点"
    rf"|公里|千米|英里|公斤|千克|吨|米|年|月|日|号|名|人|个|家|位|起|项|次|座|辆|艘|架|枚|台|种|批|国|部|天|小时|岁)?")
# 数十辆 "dozens of", 数百万美元 "several million dollars", 几十 "a few dozen": no value to compare
# (English "dozens"/"several million" are not read either).
_ZH_VAGUE_BEFORE = "数几"
_ZH_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_UNITS = {**_ZH_CURRENCIES, "%": "percent", "％": "percent", "个百分点": "points"}
_ZH_SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
# Physical measures in one base unit each (km, m, kg): a rewrite converts miles to 公里 and rounds.
_EN_MEASURE = re.compile(rf"(?i)(?P<num>{_NUM})[\s-]?(?P<unit>miles?|kilomet(?:re|er)s?|km|metres?|meters?|feet|foot|"
                         r"tonnes?|tons?|kilograms?|kg)\b")
_EN_MEASURES = {"mile": ("km", 1.609), "kilometre": ("km", 1.0), "kilometer": ("km", 1.0), "km": ("km", 1.0),
                "metre": ("m", 1.0), "meter": ("m", 1.0), "feet": ("m", 0.3048), "foot": ("m", 0.3048),
                "tonne": ("kg", 1000.0), "ton": ("kg", 1000.0), "kilogram": ("kg", 1.0), "kg": ("kg", 1.0)}
_ZH_MEASURES = {"公里": ("km", 1.0), "千米": ("km", 1.0), "英里": ("km", 1.609), "米": ("m", 1.0),
                "公斤": ("kg", 1.0), "千克": ("kg", 1.0), "吨": ("kg", 1000.0)}
MEASURES = {"km", "m", "kg"}
MEASURE_TOLERANCE = 0.15   # converted and rounded: 200 miles is 322 km, written "300多公里"
COUNT_RATIO = 3.0          # one count against one count this many times larger: not the same thing
CURRENCIES = {*_CUR_PREFIX.values(), *_CUR_SUFFIX.values(), *_ZH_CURRENCIES.values()} - {"percent", "points"}
MONEY_OR_SHARE = CURRENCIES | {"percent", "points"}


def month_number(word: str) -> int | None:
    """1..12 for an English month name or abbreviation ("March", "Sept."), else None."""
    return _MONTHS.get(word.lower().rstrip("."))


def zh_numeral(text: str) -> float | None:
    """Arabic or Chinese numerals (两千三百万, 二〇二五, 4.5) as a number; None if unreadable."""
    try:
        return float(text)
    except ValueError:
        pass
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if all(c in digits for c in text):          # digit by digit: 二〇二五
        return float("".join(str(digits[c]) for c in text))
    units = {"十": 10, "百": 100, "千": 1000}
    total = wan = section = number = 0.0   # 亿 part, 万 part, part below 万, current digit
    for c in text:
        if c in digits:
            number = digits[c]
        elif c in units:
            section += (number or 1) * units[c]
            number = 0
        elif c == "万":
            wan = (section + number or 1) * 1e4
            section = number = 0
        elif c == "亿":
            total = (total + wan + section + number or 1) * 1e8
            wan = section = number = 0
        else:
            return None
    return total + wan + section + number


def _en_value(num: str) -> float:
    key = num.lower()
    if key in _EN_NUMBER_WORDS:
        return float(_EN_NUMBER_WORDS[key])
    return float(num.replace(",", ""))


def en_quantities(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    text = article.text
    items, taken = [], set()

    def add(start, end, unit, value):
        if taken.isdisjoint(range(start, end)):
            items.append(Item(sentence, start, end, unit, value))
            taken.update(range(start, end))

    for m in _EN_MONTH.finditer(text, s.start, s.end):
        if m.group("m").lower() == "may" and not m.group("d") and not text[m.start()].isupper():
            continue  # the modal verb
        if text[m.start()].islower():
            continue
        add(m.start(), m.start() + len(m.group("m")), "month", float(_MONTHS[m.group("m").lower().rstrip(".")]))
        if m.group("d"):
            add(m.start("d"), m.end("d"), "day", float(m.group("d")))
    for m in _EN_WEEKDAY.finditer(text, s.start, s.end):
        add(m.start(), m.end(), "weekday", float(_WEEKDAYS[m.group(1).lower()]))
    for m in _EN_MEASURE.finditer(text, s.start, s.end):
        unit = m.group("unit").lower()
        key, factor = _EN_MEASURES.get(unit.rstrip("s"), None) or _EN_MEASURES[unit]
        add(m.start(), m.end(), key, _en_value(m.group("num")) * factor)
    for m in _YEAR.finditer(text, s.start, s.end):
        if not text[m.end():m.end() + 2].strip().startswith("%"):
            add(m.start(), m.end(), "year", float(m.group(1)))
    for m in _EN_AMOUNT.finditer(text, s.start, s.end):
        if _part_of_a_name(text, m.start("num"), m.end("num")):
            continue   # COVID-19, G-20, F-16, Boeing 737
        num = m.group("num")
        value = _en_value(num)
        scale = (m.group("scale") or "").lower()
        cur = (m.group("cur") or "").strip().lower()
        suf = (m.group("suf") or m.group("pct") or "").lower()
        if scale in ("m", "k", "b") and not cur:
            scale = ""  # "5 m" is five metres as often as five million
        value *= _SCALES.get(scale, 1.0)
        unit = _CUR_PREFIX.get(cur) or _CUR_SUFFIX.get(suf) or "count"
        if unit == "count" and (value < 2 or num.isdigit() and not scale and len(num) == 4):
            continue  # "a/one" and bare 4-digit numbers (years handled above) are not compared
        end = m.end() if (suf or scale) else m.end("num")
        add(m.start(), rstrip(text, m.start(), end), unit, value)
    return items


# A number written into a name or a model is not a count: 5G, F-16, COVID-19, A320, G7, Boeing 737,
# 737 MAX, Airbus A350-1000 (issue 22: "a says 'two', b says '5'" was the 5 of 5G). In Chinese text
# the same names are written in Latin letters (5G网络, F-16战机, 波音737 MAX).
_NAME_WORD_AFTER = re.compile(r" (?!(?:USD|EUR|GBP|CNY|RMB|HKD|JPY|SGD|TWD|AUD|CAD|CHF|KRW|INR|RUB)\b)[A-Z]{3,}\b")
_MAKERS_BEFORE = re.compile(r"(?:Boeing|Airbus|Embraer|Bombardier|Comac|COMAC|Tupolev|Sukhoi|Mig|MiG|iPhone|"
                            r"Galaxy|Pixel|Model|Windows|波音|空客|空中客车) ?$")


def _part_of_a_name(text: str, start: int, end: int) -> bool:
    """Latin letters (or a hyphen and letters) touch the number, a capitalised model word follows it
    ("737 MAX"), or a maker's name comes before it ("Boeing 737", "波音737")."""
    before = text[max(0, start - 12):start]
    if re.search(r"[A-Za-z]-?$", before) or re.match(r"-?[A-Za-z]", text[end:end + 2]):
        return True
    if re.match(r"-\d", text[end:end + 2]) and re.search(r"[A-Za-z]-?\d*$", before):
        return True
    return bool(_NAME_WORD_AFTER.match(text, end)) or bool(_MAKERS_BEFORE.search(before))


def zh_quantities(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    text = article.match_text
    items = []
    for m in _ZH_WEEKDAY.finditer(text, s.start, s.end):
        items.append(Item(sentence, m.start(), m.end(), "weekday", float("一二三四五六日天".index(m.group(1)) % 7 + 1
                                                                         if m.group(1) != "天" else 7)))
    for m in _ZH_AMOUNT.finditer(text, s.start, s.end):
        if m.group("pct"):
            value = zh_numeral(m.group("pnum"))
            if value is not None:
                items.append(Item(sentence, m.start(), m.end(), "percent", value))
            continue
        num, scale, unit = m.group("num"), m.group("scale"), m.group("unit") or ""
        if num[0].isdigit() and _part_of_a_name(text, m.start("num"), m.end("num")):
            continue   # 5G网络, F-16战机, 波音737 MAX
        value = zh_numeral(num)
        if value is None or (not num[0].isdigit() and m.start() > 0 and text[m.start() - 1] in _ZH_VAGUE_BEFORE):
            continue
        value *= _ZH_SCALES.get(scale or "", 1.0)
        if unit == "年" and value >= 1000 and not scale:
            key = "year"
        elif unit == "年" and not num[0].isdigit() and not scale:
            key = "count"       # 十一年来 "in eleven years": a duration, read like English "eleven years"
        elif unit == "月" and value <= 12 and not scale:
            key = "month"
        elif unit in ("日", "号") and value <= 31 and not scale:
            key = "day"
        elif unit in _ZH_UNITS:
            key = _ZH_UNITS[unit]
        elif unit in _ZH_MEASURES:
            key, factor = _ZH_MEASURES[unit]
            value *= factor
        elif unit in ("年", "月", "日", "号"):
            continue
        else:
            key = "count"
            if value < 2 or (not unit and not scale and not num[0].isdigit()):
                continue  # 一家, 一场 and bare Chinese numerals inside words
        items.append(Item(sentence, m.start(), m.end(), key, value))
    return items


def quantities(article: Article, sentence: int) -> list[Item]:
    return zh_quantities(article, sentence) if article.language == "zh" else en_quantities(article, sentence)


def _same(x: float, y: float, unit: str = "") -> bool:
    tolerance = MEASURE_TOLERANCE if unit in MEASURES else 0.005
    return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)


def number_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    spans = []
    for k, link in enumerate(alignment.links):
        qa = [q for i in link.a for q in quantities(article_a, i)]
        qb = [q for i in link.b for q in quantities(article_b, i)]
        left_a, left_b = _unmatched(qa, qb)
        for unit in sorted({q.key for q in left_a} | {q.key for q in left_b}):
            ua = [q for q in left_a if q.key == unit]
            ub = [q for q in left_b if q.key == unit]
            if ua and ub:
                if unit == "count" and (len(ua) > 1 or len(ub) > 1 or _far_apart(ua[0].value, ub[0].value)):
                    continue  # several loose counts, or 1,160 against three: pairing them would be a guess
                for x, y in zip(ua, ub):
                    detail = {"a_value": x.value, "b_value": y.value, "unit": unit, "change": "changed"}
                    score = 1.0 if unit in MONEY_OR_SHARE else 0.8
                    said_a, said_b = _said(article_a, x), _said(article_b, y)
                    reason = f"the number changed: a says '{said_a}', b says '{said_b}'"
                    for side, article, mine, other, theirs in (("a", article_a, x, article_b, y),
                                                               ("b", article_b, y, article_a, x)):
                        span = fact_span(article, side, mine, k, SpanKind.NUMBER, score, other, theirs, detail)
                        spans.append(span.model_copy(update={"reason": reason}))
            elif unit in MONEY_OR_SHARE:
                for side, article, items, other, other_ids in (("a", article_a, ua, article_b, link.b),
                                                               ("b", article_b, ub, article_a, link.a)):
                    for x in items:
                        spans.append(_lone_number(side, article, x, k, other, other_ids, unit))
    return spans


def _far_apart(x: float, y: float) -> bool:
    """Counts so different they likely count different things (deaths against attacks)."""
    low, high = sorted((abs(x), abs(y)))
    return high > COUNT_RATIO * max(low, 1e-9)


def _said(article: Article, item: Item) -> str:
    return article.text[item.start:item.end]


def _lone_number(side, article, x: Item, k: int, other, other_ids, unit: str) -> SpanRecord:
    change = "dropped" if side == "a" else "added"
    detail = {"a_value": x.value if side == "a" else None, "b_value": x.value if side == "b" else None,
              "unit": unit, "change": change}
    passage = " ".join(other.sent_text(i) for i in other_ids)
    reason = (f"a's figure '{_said(article, x)}' is missing from b: '{quote(passage)}'" if side == "a" else
              f"b adds the figure '{_said(article, x)}'; a has none: '{quote(passage)}'")
    span = group_fact_span(article, side, x, k, SpanKind.NUMBER, 0.6, other, other_ids, detail)
    return span.model_copy(update={"reason": reason})


def _same_unit(x: Item, y: Item) -> bool:
    """The same unit, or money against a bare count: one side's currency went unread ("31.51 billion
    U.S. dollars", a currency without a pattern), so the value alone decides."""
    keys = {x.key, y.key}
    return len(keys) == 1 or "count" in keys and len(keys & CURRENCIES) == 1


def _unmatched(qa: list[Item], qb: list[Item]) -> tuple[list[Item], list[Item]]:
    left_b = list(qb)
    left_a = []
    for x in qa:
        match = next((y for y in left_b if _same_unit(x, y) and _same(x.value, y.value, x.key)), None)
        if match is None:
            left_a.append(x)
        else:
            left_b.remove(match)
    return left_a, left_b


SUPPORTED = {"en", "zh"}


def fact_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    """Number, attribution and entity spans; only for English and Chinese, whose patterns exist here."""
    if not {article_a.language, article_b.language} <= SUPPORTED:
        return []
    return (number_spans(article_a, article_b, alignment) + attribution_spans(article_a, article_b, alignment)
            + entity_spans(article_a, article_b, alignment))
