"""Named entities between aligned sentences: a name one side has and the other article never names.

English names are capitalised sequences (a capitalised word that only starts a sentence, "According",
"However", is not a name unless the article capitalises it elsewhere too). Every name is first put in
its normal form through the gazetteer ``corpora/lexicons/entities.tsv`` (US, U.S., United States,
America, Washington, 美国, 美方, 华盛顿 are one row), so aliases never count as a change. Across
languages a name has a counterpart when the other side holds its gazetteer names, its Latin spelling,
or its CC-CEDICT translation (西班牙 "Spain", 国务卿 "Secretary of State"); when none of these can say,
nothing is flagged. A name the other article carries in another sentence is not flagged either:
the story names the same actors, and the sentence-level alignment reports where content moved.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .align import Alignment
from ..text.article import Article
from .counterparts import has_counterpart
from .classify import quote
from .facts_common import Item, group_fact_span
from ..lexicons.glossary import lookup
from ..lexicons.outlets import is_outlet
from ..result import SpanKind, SpanRecord

GAZETTEER = Path(__file__).resolve().parents[2] / "corpora" / "lexicons" / "entities.tsv"
_ZH_NUMERAL_START = re.compile(r"[\d零〇一二两三四五六七八九十百千万]")

# A possessive ends a name: "Hamas's October 7 attack" names Hamas.
_CAP_SEQ = re.compile(r"\b(?:U\.S\.|U\.K\.|U\.N\.|[A-Z][\w'’&.-]*[\w])(?:(?<!['’]s)\s+(?:of\s+|the\s+|for\s+)?"
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
        if (len(words) == 1 and _opens_sentence(article, s.start, start) and _gazetteer_row_en(words[0][1]) is None
                and not _capitalised_elsewhere(article, words[0][1])):
            continue  # "According", "However", "Photo": capitalised only because a sentence starts there
        name = _possessive(m.group()[words[0][0]:])
        items.append(Item(sentence, start, start + len(name), name))
    return items


def _opens_sentence(article: Article, sentence_start: int, pos: int) -> bool:
    """Nothing but quotes, brackets, dashes or a dateline stands between the sentence start and ``pos``."""
    before = article.text[sentence_start:pos]
    return not re.search(r"[A-Za-z0-9]", before) or bool(re.search(r"[-–—:]\s*[\"“(]?$", before))


def _capitalised_elsewhere(article: Article, word: str) -> bool:
    """The word appears capitalised in mid-sentence somewhere in the article: a name, not a sentence opener."""
    bare = _possessive(word)
    return bool(re.search(rf"[a-z,;]\s+{re.escape(bare)}\b", article.text))


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




def zh_entities(article: Article, sentence: int) -> list[Item]:
    s = article.sentences[sentence]
    text = article.match_text
    items, taken = [], set()
    _, pattern, canonical = _gazetteer_patterns()
    for m in pattern.finditer(text, s.start, s.end):
        if (m.group().endswith("约") and m.start() > 0 and text[m.start() - 1] in "以向往"
                and _ZH_NUMERAL_START.match(text, m.end())):
            continue    # 以北约300公里 "about 300 km to the north" is not NATO; 北约一名官员 is
        if _inside_longer_name(text, m.start(), m.end()):
            continue    # 德国之声 is Deutsche Welle and 美国国家航空航天局 NASA, neither "Germany" nor "US"
        items.append(Item(sentence, m.start(), m.end(), canonical[m.group()], m.group()))
        taken.update(range(m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z][A-Za-z&.-]*[A-Za-z]", text[s.start:s.end]):
        a, b = s.start + m.start(), s.start + m.end()
        if taken.isdisjoint(range(a, b)):
            items.append(Item(sentence, a, b, m.group(), "latin"))
    return items


def _inside_longer_name(text: str, start: int, end: int, longest: int = 12) -> bool:
    """The gazetteer name opens a longer CC-CEDICT proper name, two or more characters longer (a broadcaster,
    an agency). One more character makes a derived word that still names the country: 美国人, 中国队."""
    for stop in range(min(len(text), start + longest), end + 1, -1):
        if any(_is_proper_name(entry) for entry in lookup(text[start:stop])):
            return True
    return False


def _is_proper_name(entry) -> bool:
    """CC-CEDICT writes the pinyin of proper names capitalised (De2 guo2 zhi1 Sheng1)."""
    return entry.pinyin[:1].isupper()


def _entity_present_cross(item: Item, language: str, other_text: str, other_language: str) -> bool | None:
    """Whether an entity of one language has a trace in the other language's text; None = cannot tell."""
    if language == "en":
        latin = [w for w in re.findall(r"[A-Za-z][A-Za-z&.-]*[A-Za-z]", item.key) if len(w) > 2]
        if any(w.lower() in other_text.lower() for w in latin):
            return True
        row = _gazetteer_row_en(item.key)
        if row is not None and any(z in other_text for z in row[1]):
            return True
        if has_counterpart(item.key, "en", other_text, other_language):
            return True
        return False if row is not None else None
    if item.value == "latin":
        return item.key.lower() in other_text.lower()
    term = item.value if item.value not in (None, "gazetteer", "latin") else None
    if _en_in_text(item.key, other_text) or (term and has_counterpart(term, "zh", other_text, other_language)):
        return True
    return False


def _entity_present_mono(item: Item, written: str, other_text: str) -> bool:
    if written in other_text:
        return True
    row = _gazetteer_row_en(item.key)
    if row is not None and (any(re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", other_text) for n in row[0])
                            or any(z in other_text for z in row[1])):
        return True   # US, U.S., United States, Washington: one name
    words = [_possessive(w) for w in item.key.split() if len(w) > 2 and w not in ("the", "of", "and", "for")]
    low = other_text.lower()
    if any(w.lower() in low for w in words) or item.key.lower() in low:
        return True
    return any(_same_root(w.lower(), o) for w in words for o in re.findall(r"\w+", low))


def _same_root(x: str, y: str) -> bool:
    """Israel ~ Israeli, China ~ Chinese, Palestine ~ Palestinian: a name and its demonym."""
    short = min(len(x), len(y))
    common = len(_common_prefix(x, y))
    return short >= 4 and common >= max(4, short - 1)


def _common_prefix(x: str, y: str) -> str:
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return x[:n]


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
                if is_outlet(article.text[item.start:item.end]) or is_outlet(item.key):
                    continue    # a publisher credited, not an actor of the story (app/lexicons/outlets.py)
                if _present(item, article, other_text, other, same) is False and \
                        _present(item, article, other.match_text, other, same) is False:
                    spans.append(_entity_span(side, article, item, k, other, other_ids, other_text))
    return spans


def _present(item: Item, article: Article, other_text: str, other: Article, same: bool) -> bool | None:
    """Whether ``other_text`` names the item or a counterpart of it; None = cannot tell.

    Asked of the matching passage first, then of the whole other article: a name the other
    article carries in another sentence ("China" in b's lede, "Chinese" in a's third paragraph)
    is the same cast of actors, not a change in who the story names.
    """
    if same:
        return _entity_present_mono(item, article.match_text[item.start:item.end], other_text)
    return _entity_present_cross(item, article.language, other_text, other.language)


def _entity_span(side: str, article: Article, item: Item, k: int, other: Article, other_ids, other_text: str):
    other_name = "b" if side == "a" else "a"
    name = article.text[item.start:item.end]
    shown = name if item.key == name else f"{name}, {item.key}"
    reason = (f"{side} names '{shown}'; {other_name} names it nowhere (its matching passage: "
              f"'{quote(other_text)}')")
    detail = {"entity": item.key, "change": "missing_in_" + other_name}
    span = group_fact_span(article, side, item, k, SpanKind.ENTITY, 0.7, other, other_ids, detail, label="entity")
    return span.model_copy(update={"reason": reason})
