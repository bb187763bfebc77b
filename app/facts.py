"""Fact changes between aligned sentences: numbers, sources (attribution) and named entities.

Numbers are read with their unit into one normal form across languages (``$23 million`` and
``2300万美元`` are both ``23000000 USD``; ``4%`` and ``百分之四`` are ``4 percent``; ``March 2025`` and
``2025年3月`` are ``month 3`` plus ``year 2025``), matched inside each alignment link, and what is
left over becomes a ``number`` span: a changed value when the other side has an unmatched value of
the same unit, a vanished money or percentage value when it has none.

Sources are classed (anonymous insiders, documents, spokesperson, officials, experts, others
such as critics or witnesses, media report) with patterns for English and Chinese; a class on one side of a link and not the other is
an ``attribution`` span (a dropped or an added source).

Entities: English capitalised sequences; across languages they are checked only where the check
is possible offline (a Latin string that the Chinese text must contain, or a row of the small
gazetteer ``corpora/lexicons/entities.tsv``); an entity whose counterpart sentence has no trace
of it is an ``entity`` span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .align import Alignment
from .article import Article
from .classify import group_counterpart
from .result import Counterpart, SpanKind, SpanRecord

GAZETTEER = Path(__file__).resolve().parents[1] / "corpora" / "lexicons" / "entities.tsv"


@dataclass(frozen=True, slots=True)
class Item:
    """Something found in a sentence: a quantity, a source or an entity."""

    sentence: int
    start: int
    end: int
    key: str          # unit for quantities, class for sources, canonical name for entities
    value: float | str | None = None


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
               "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY", "rmb": "CNY", "cny": "CNY"}
_CUR_SUFFIX = {"dollars": "USD", "dollar": "USD", "yuan": "CNY", "renminbi": "CNY", "euros": "EUR", "euro": "EUR",
               "pounds": "GBP", "pound": "GBP", "yen": "JPY", "percent": "percent", "per cent": "percent",
               "%": "percent", "percentage points": "points", "percentage point": "points"}
_MONTHS = {m: i + 1 for i, m in enumerate("january february march april may june july august september "
                                          "october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i + 1 for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _EN_NUMBER_WORDS), key=len, reverse=True))
_EN_AMOUNT = re.compile(
    rf"(?i)(?P<cur>US\$|HK\$|S\$|A\$|C\$|\$|€|£|¥|\bRMB\s?|\bUSD\s?|\bEUR\s?|\bCNY\s?)?"
    rf"(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|bn|tn|m|k|b)\b)?"
    rf"(?:\s?(?P<suf>%|percentage points?|per cent|percent|dollars?|yuan|renminbi|euros?|pounds?|yen)\b|(?P<pct>%))?")
_EN_MONTH = re.compile(r"(?i)\b(?P<m>january|february|march|april|may|june|july|august|september|october|"
                       r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
                       r"(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b)?")
_EN_WEEKDAY = re.compile(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_YEAR = re.compile(r"(?<![\d$.,])(1[89]\d\d|20\d\d)(?![\d,.]\d)")

_ZH_DIGITS = "零〇一二两三四五六七八九"
_ZH_NUM = rf"(?:\d+(?:\.\d+)?|[{_ZH_DIGITS}十百千万亿]+)"
_ZH_AMOUNT = re.compile(
    rf"(?P<pct>百分之(?P<pnum>{_ZH_NUM}))|"
    rf"(?P<num>{_ZH_NUM})(?P<scale>万亿|亿|万|千|百)?(?P<unit>美元|美金|人民币|元|欧元|英镑|日元|港元|港币|新加坡元|新元|%|％|个百分点"
    rf"|年|月|日|号|名|人|个|家|位|起|项|次|座|辆|艘|架|枚|台|种|批|国|部|天|小时|公里|千米|岁|吨)?")
# 数十辆 "dozens of", 数百万美元 "several million dollars", 几十 "a few dozen": no value to compare
# (English "dozens"/"several million" are not read either).
_ZH_VAGUE_BEFORE = "数几"
_ZH_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_UNITS = {"美元": "USD", "美金": "USD", "人民币": "CNY", "元": "CNY", "欧元": "EUR", "英镑": "GBP", "日元": "JPY",
             "港元": "HKD", "港币": "HKD", "新加坡元": "SGD", "新元": "SGD", "%": "percent", "％": "percent",
             "个百分点": "points"}
_ZH_SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
MONEY_OR_SHARE = {"USD", "CNY", "EUR", "GBP", "JPY", "HKD", "SGD", "AUD", "CAD", "percent", "points"}


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
    for m in _YEAR.finditer(text, s.start, s.end):
        if not text[m.end():m.end() + 2].strip().startswith("%"):
            add(m.start(), m.end(), "year", float(m.group(1)))
    for m in _EN_AMOUNT.finditer(text, s.start, s.end):
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
        add(m.start(), _rstrip(text, m.start(), end), unit, value)
    return items


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


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= 0.005 * max(abs(x), abs(y), 1e-9)


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
                if unit == "count" and (len(ua) > 1 or len(ub) > 1):
                    continue  # several loose counts: pairing them would be a guess
                for x, y in zip(ua, ub):
                    detail = {"a_value": x.value, "b_value": y.value, "unit": unit, "change": "changed"}
                    score = 1.0 if unit in MONEY_OR_SHARE else 0.8
                    spans.append(_fact_span(article_a, "a", x, k, SpanKind.NUMBER, score, article_b, y, detail))
                    spans.append(_fact_span(article_b, "b", y, k, SpanKind.NUMBER, score, article_a, x, detail))
            elif unit in MONEY_OR_SHARE:
                for x in ua:
                    detail = {"a_value": x.value, "b_value": None, "unit": unit, "change": "dropped"}
                    spans.append(_group_fact_span(article_a, "a", x, k, SpanKind.NUMBER, 0.6, article_b, link.b, detail))
                for y in ub:
                    detail = {"a_value": None, "b_value": y.value, "unit": unit, "change": "added"}
                    spans.append(_group_fact_span(article_b, "b", y, k, SpanKind.NUMBER, 0.6, article_a, link.a, detail))
    return spans


def _unmatched(qa: list[Item], qb: list[Item]) -> tuple[list[Item], list[Item]]:
    left_b = list(qb)
    left_a = []
    for x in qa:
        match = next((y for y in left_b if y.key == x.key and _same(x.value, y.value)), None)
        if match is None:
            left_a.append(x)
        else:
            left_b.remove(match)
    return left_a, left_b


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _fact_span(article, side, item: Item, link, kind, score, other, other_item: Item, detail, label=None):
    cp = Counterpart(side="b" if side == "a" else "a", start=other_item.start, end=other_item.end,
                     text=other.text[other_item.start:other_item.end], sentences=[other_item.sentence])
    return SpanRecord(side=side, start=item.start, end=item.end, text=article.text[item.start:item.end], kind=kind,
                      score=score, sentence=item.sentence, link=link, counterpart=cp, label=label or item.key,
                      detail=detail)


def _group_fact_span(article, side, item: Item, link, kind, score, other, other_ids, detail, label=None):
    cp = group_counterpart(other, "b" if side == "a" else "a", tuple(other_ids))
    return SpanRecord(side=side, start=item.start, end=item.end, text=article.text[item.start:item.end], kind=kind,
                      score=score, sentence=item.sentence, link=link, counterpart=cp, label=label or item.key,
                      detail=detail)


# ---------------------------------------------------------------------------------------------
# sources

_EN_SOURCES = [
    ("anonymous", r"(?i)\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|\d+)\s+)?"
                  r"(?:people|persons|sources?|officials?|insiders?|individuals?|person|executives?)\s+"
                  r"(?:with\s+(?:direct\s+)?knowledge|familiar\s+with|close\s+to|briefed\s+on|knowledgeable|"
                  r"aware\s+of|who\s+(?:asked|spoke|declined|requested))(?:\s+(?:of|with|the|on|about|matter|"
                  r"deals?|talks|plans?|situation|discussions|not|to|be|named|condition|anonymity|identified)\b)*"),
    ("anonymous", r"(?i)\b(?:the|those|these)\s+(?:people|sources)\s+said\b|\bsources\s+said\b|\ba\s+source\b|"
                  r"\bon\s+condition\s+of\s+anonymity\b|\bspeaking\s+anonymously\b|"
                  r"\b(?:industry|diplomatic|government|security|military|intelligence|market)\s+(?:insiders|sources)\b|"
                  r"\bit\s+is\s+(?:understood|learned|learnt)\b"),
    ("documents", r"(?i)\b(?:documents?|records?|filings?|e-?mails?|memos?|a\s+letter|papers|contracts?|invoices?)"
                  r"\s+(?:reviewed|seen|obtained|viewed|examined)\s+by\s+[A-Z][\w-]*(?:\.[\w-]+)*|"
                  r"\baccording\s+to\s+(?:the\s+)?(?:documents?|records?|filings?|data)\b|\b(?:documents|records)\s+show\b"),
    ("spokesperson", r"(?i)\bspokes(?:person|man|woman|people)\b"),
    ("experts", r"(?i)\b(?:analysts?|experts?|economists?|observers?|scholars?|researchers?)\b"),
    ("officials", r"(?i)\b(?:officials?|ministers?|minister|diplomats?|authorities)\b"),
    ("others", r"(?i)\b(?:critics?|opponents?|supporters?|residents?|witnesses|a\s+witness|activists?|"
               r"campaigners?|lawmakers?|legislators?)\b"),
    # "residents reported" is others', "police reported" officials': only a report or a medium counts here.
    ("media_report", r"(?i)\baccording\s+to\s+(?:a|the)\s+(?:report|newspaper|broadcaster)\b|"
                     r"\b(?:reportedly|the\s+report|media\s+reports?|news\s+reports?)\b|\bnews\s+agency\b|"
                     r"\b(?:newspaper|paper|broadcaster|agency|magazine|daily|television|radio|outlet)\s+reported\b|"
                     r"\bwas\s+(?:first\s+)?reported\s+by\b"),
    # A wire dateline credits the outlet, "ROTTERVIK, Nov 20 (Wirewatch) -": a rewrite's 据Wirewatch报道.
    ("media_report", r"\b[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*,\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?"
                     r"\([A-Z][^()\n]{0,40}\)\s*[-–—]"),
]
_ZH_SOURCES = [
    # 业内人士 "industry insiders", 有关人士 "people concerned", 据悉 "it is understood": unnamed all the same
    ("anonymous", r"知情人士|消息人士|知情者|匿名人士|不愿具名|不愿透露姓名|要求匿名|熟悉情况的人士?|接近[^，。]{1,8}的人士|"
                  r"业内人士|有关人士|相关人士|圈内人士|据悉"),
    ("documents", r"(?:查阅|审阅|看到|获得|取得)的(?:文件|记录|材料)|文件显示|记录显示|内部文件"),
    ("spokesperson", r"发言人"),
    ("experts", r"分析人士|分析师|专家|观察人士|观察家|学者|经济学家|研究人员"),
    ("officials", r"官员|部长|外交官|当局"),
    ("others", r"批评者|批评人士|反对者|支持者|目击者|居民|网民|活动人士|议员"),
    ("media_report", r"报道|媒体|美媒|外媒|通讯社|报纸"),
]


@lru_cache(maxsize=2)
def _source_patterns(language: str):
    table = _ZH_SOURCES if language == "zh" else _EN_SOURCES
    return [(name, re.compile(p)) for name, p in table]


def sources(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    text = article.match_text if article.language == "zh" else article.text
    items, taken = [], set()
    for name, pattern in _source_patterns(article.language):
        for m in pattern.finditer(text, s.start, s.end):
            end = _rstrip(text, m.start(), m.end())
            if taken.isdisjoint(range(m.start(), end)):
                items.append(Item(sentence, m.start(), end, name))
                taken.update(range(m.start(), end))
    return items


def attribution_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    spans = []
    for k, link in enumerate(alignment.links):
        sa = [x for i in link.a for x in sources(article_a, i)]
        sb = [x for i in link.b for x in sources(article_b, i)]
        keys_a, keys_b = {x.key for x in sa}, {x.key for x in sb}
        for x in sa:
            if x.key not in keys_b:
                detail = {"source": x.key, "change": "dropped", "b_sources": sorted(keys_b)}
                spans.append(_group_fact_span(article_a, "a", x, k, SpanKind.ATTRIBUTION, 0.8, article_b, link.b, detail))
        for y in sb:
            if y.key not in keys_a:
                detail = {"source": y.key, "change": "added", "a_sources": sorted(keys_a)}
                spans.append(_group_fact_span(article_b, "b", y, k, SpanKind.ATTRIBUTION, 0.8, article_a, link.a, detail))
    return spans


# ---------------------------------------------------------------------------------------------
# entities

_CAP_SEQ = re.compile(r"\b(?:U\.S\.|U\.K\.|U\.N\.|[A-Z][\w'’&.-]*[\w])(?:\s+(?:of\s+|the\s+|for\s+)?"
                      r"(?:U\.S\.|[A-Z][\w'’&.-]*[\w]))*")
_STARTERS = set("""A An The This That These Those It Its He She They We I You His Her Their Our But And Or So
If When While After Before As At In On Of For From By With Without About Under Over Two Three One Some Many
Most More Less No Not Yet Also Still Then There Here What Who Which Why How Analysts Officials Exclusive
Such Each Every Other Another Both All Any Last Next Earlier Later Since Until Despite Although Though
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split())


@lru_cache(maxsize=1)
def gazetteer() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    rows = []
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("en\t"):
            continue
        en, zh = line.split("\t")
        rows.append((tuple(en.split("|")), tuple(zh.split("|"))))
    return rows


def _possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def en_entities(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    items = []
    for m in _CAP_SEQ.finditer(article.text, s.start, s.end):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
        while words and words[0][1] in _STARTERS:
            words = words[1:]
        if not words or (len(words) == 1 and words[0][1].isupper() and len(words[0][1]) > 6):
            continue  # nothing left, or a shouted dateline word (SINGAPORE)
        start = m.start() + words[0][0]
        name = _possessive(m.group()[words[0][0]:])
        items.append(Item(sentence, start, start + len(name), name))
    return items


@lru_cache(maxsize=1)
def _gazetteer_patterns():
    """Per row: one regex over its English names, and one over all rows' Chinese names (2+ chars).

    A Chinese name listed by several rows (商务部: a ministry of any country) maps to all of their
    English names, joined with " / ", in file order: deterministic, and each is accepted as a match.
    """
    rows = gazetteer()
    en = [re.compile("|".join(rf"(?<![\w.]){re.escape(n)}(?!\w)" for n in row[0])) for row in rows]
    canonical: dict[str, list[str]] = {}
    for row in rows:
        for n in row[1]:
            if len(n) >= 2 and row[0][0] not in canonical.setdefault(n, []):
                canonical[n].append(row[0][0])
    zh = re.compile("|".join(re.escape(n) for n in sorted(canonical, key=lambda n: (-len(n), n))))
    return en, zh, {n: " / ".join(names) for n, names in canonical.items()}


def _gazetteer_row_en(name: str):
    for row, pattern in zip(gazetteer(), _gazetteer_patterns()[0]):
        if pattern.search(name):
            return row
    return None


def _en_in_text(key: str, text: str) -> bool:
    """Whether any English name of the gazetteer row(s) behind ``key`` occurs in ``text``."""
    keys = set(key.split(" / "))
    return any(row[0][0] in keys and pattern.search(text)
               for row, pattern in zip(gazetteer(), _gazetteer_patterns()[0]))


_ZH_NUMERAL_START = re.compile(rf"[\d{_ZH_DIGITS}十百千万]")


def zh_entities(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    text = article.match_text
    items, taken = [], set()
    _, pattern, canonical = _gazetteer_patterns()
    for m in pattern.finditer(text, s.start, s.end):
        if (m.group().endswith("约") and m.start() > 0 and text[m.start() - 1] in "以向往"
                and _ZH_NUMERAL_START.match(text, m.end())):
            continue    # 以北约300公里 "about 300 km to the north" is not NATO; 北约一名官员 is
        items.append(Item(sentence, m.start(), m.end(), canonical[m.group()], "gazetteer"))
        taken.update(range(m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z][A-Za-z&.-]*[A-Za-z]", text[s.start:s.end]):
        a, b = s.start + m.start(), s.start + m.end()
        if taken.isdisjoint(range(a, b)):
            items.append(Item(sentence, a, b, m.group(), "latin"))
    return items


def _entity_present_cross(item: Item, language: str, other_text: str) -> bool | None:
    """Whether an entity of one language has a trace in the other language's text; None = cannot tell."""
    if language == "en":
        latin = [w for w in re.findall(r"[A-Za-z][A-Za-z&.-]*[A-Za-z]", item.key) if len(w) > 2]
        if any(w.lower() in other_text.lower() for w in latin):
            return True
        row = _gazetteer_row_en(item.key)
        if row is None:
            return None
        return any(z in other_text for z in row[1])
    if item.value == "latin":
        return item.key.lower() in other_text.lower()
    return _en_in_text(item.key, other_text)


def _entity_present_mono(item: Item, other_text: str) -> bool:
    words = [_possessive(w) for w in item.key.split() if len(w) > 2 and w not in ("the", "of", "and", "for")]
    low = other_text.lower()
    return any(w.lower() in low for w in words) or item.key.lower() in low


def entities(article: Article, sentence: int) -> list[Item]:
    return zh_entities(article, sentence) if article.language == "zh" else en_entities(article, sentence)


def entity_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    spans = []
    same = article_a.language == article_b.language
    for k, link in enumerate(alignment.links):
        for side, article, ids, other, other_ids in (("a", article_a, link.a, article_b, link.b),
                                                     ("b", article_b, link.b, article_a, link.a)):
            other_text = " ".join(other.match_text[other.sentences[i].start:other.sentences[i].end] for i in other_ids)
            for item in (x for i in ids for x in entities(article, i)):
                present = (_entity_present_mono(item, other_text) if same
                           else _entity_present_cross(item, article.language, other_text))
                if present is False:
                    detail = {"entity": item.key, "change": "missing_in_" + ("b" if side == "a" else "a")}
                    spans.append(_group_fact_span(article, side, item, k, SpanKind.ENTITY, 0.7, other, other_ids,
                                                  detail, label="entity"))
    return spans


SUPPORTED = {"en", "zh"}


def fact_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    """Number, attribution and entity spans; only for English and Chinese, whose patterns exist here."""
    if not {article_a.language, article_b.language} <= SUPPORTED:
        return []
    return (number_spans(article_a, article_b, alignment) + attribution_spans(article_a, article_b, alignment)
            + entity_spans(article_a, article_b, alignment))
