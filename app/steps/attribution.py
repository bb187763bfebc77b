"""Who says it: sources in aligned sentences, and a source one side names and the other drops.

Sources are classed (anonymous insiders, documents, spokesperson, officials, experts, others such as
critics or witnesses, media report) with patterns for English and Chinese. A mention counts only in a
sentence that attributes something (a reporting cue: "said", "according to", 表示, 据 ...): "police
detained eight officials" names no source. A class on one side of a link with no counterpart on the
other (no source of a compatible class there, and no dictionary translation of the words) is an
``attribution`` span: a dropped or an added source. A source b adds counts only when a cites no such
source anywhere in the article: a rewrite that moves "sources said" to another sentence, or sums it up
as 据悉 in the lede, brings in no new source. A source a cites for a claim stays checked passage by
passage: the claim b repeats without it has lost its attribution. A reporting verb that turns from neutral into a
loaded one (said -> claimed, 表示 -> 声称) is a framing shift: app/steps/framing.py reports it, naming both verbs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .align import Alignment
from ..text.article import Article
from .counterparts import has_counterpart
from .classify import quote
from .facts_common import Item, group_fact_span, rstrip
from ..lexicons.outlets import names_outlet
from ..result import SpanKind, SpanRecord

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
                  r"\baccording\s+to\s+(?:the\s+)?(?:\w+\s+){0,2}(?:documents?|records?|filings?|data|figures|"
                  r"statistics)\b|"
                  r"\b(?:documents|records|data|figures|statistics)\s+(?:show|shows|showed|released)\b|"
                  r"\baccording\s+to\s+(?:the\s+)?(?:[a-z]+\s+){0,3}(?:office|bureau|ministry|department|"
                  r"institute|survey|census)\b"),
    ("spokesperson", r"(?i)\bspokes(?:person|man|woman|people)\b"),
    ("experts", r"(?i)\b(?:analysts?|experts?|economists?|observers?|scholars?|researchers?)\b"),
    ("officials", r"(?i)\b(?:officials?|ministers?|minister|diplomats?|authorities)\b"),
    ("others", r"(?i)\b(?:critics?|opponents?|supporters?|residents?|witnesses|a\s+witness|activists?|"
               r"campaigners?|lawmakers?|legislators?)\b"),
    # "residents reported" is others', "police reported" officials': only a report or a medium counts here.
    # "The report said" is the document being covered, not a medium: not listed.
    ("media_report", r"(?i)\baccording\s+to\s+(?:a|the)\s+(?:report\s+(?:by|in|from)|newspaper|broadcaster)\b|"
                     r"\b(?:reportedly|media\s+reports?|news\s+reports?|press\s+reports?)\b|\bnews\s+agency\b|"
                     r"\b(?:newspaper|paper|broadcaster|agency|magazine|daily|television|radio|outlet)\s+reported\b|"
                     r"\bwas\s+(?:first\s+)?reported\s+by\b|\bstate\s+media\b"),
    # A wire dateline credits the outlet, "ROTTERVIK, Nov 20 (Wirewatch) -": a rewrite's 据Wirewatch报道.
    ("media_report", r"\b[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*,\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?"
                     r"\([A-Z][^()\n]{0,40}\)\s*[-–—]"),
    # "according to Reuters", "Xinhua reported": a named outlet.
    ("media_report", r"\b[Aa]ccording\s+to\s+(?:a\s+|the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}(?:\s+report)?|"
                     r"\b[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}\s+(?:reported|reports)\b"),
]
_ZH_SOURCES = [
    # 业内人士 "industry insiders", 有关人士 "people concerned", 据悉 "it is understood": unnamed all the same
    ("anonymous", r"知情人士|消息人士|知情者|匿名人士|不愿具名|不愿透露姓名|要求匿名|熟悉情况的人士?|接近[^，。]{1,8}的人士|"
                  r"业内人士|有关人士|相关人士|圈内人士|据悉"),
    ("documents", r"(?:查阅|审阅|看到|获得|取得)的(?:文件|记录|材料)|文件显示|记录显示|内部文件|数据显示|"
                  r"(?:据|根据)[^，。；]{0,20}?(?:数据|资料|统计)"),
    ("spokesperson", r"发言人"),
    ("experts", r"分析人士|分析师|专家|观察人士|观察家|学者|经济学家|研究人员"),
    ("officials", r"官员|部长|外交官|当局"),
    ("others", r"批评者|批评人士|反对者|支持者|目击者|居民|网民|活动人士|议员"),
    # A medium that reports: 据…报道, 报道称, 媒体报道, 外媒. Not 报道 alone (未被报道 "unreported") nor
    # 媒体 alone (社交媒体 "social media"), nor 据该报道, 该报道称 "according to the report", "the report
    # said": the document being covered, as with English.
    ("media_report", r"据(?!(?:该|此|上述|这份|这篇)报道)[^，。；]{0,20}?报道|"
                     r"(?<!该)(?<!此)(?<!上述)(?<!这份)(?<!这篇)报道(?:称|说|指出|援引|引述|披露)|"
                     r"(?:媒体|外媒|美媒|官媒|港媒|台媒|日媒|韩媒|英媒|法媒|德媒|俄媒)(?:报道|称|援引|引述|披露|消息)|"
                     r"外媒|美媒|官媒|通讯社|报纸|电视台"),
]
# Words that show a sentence attributes something; a source word elsewhere names no source.
_EN_CUES = re.compile(r"(?i)\b(?:said|says|say|saying|told|tells|according|reported|reports|reportedly|stated|"
                      r"announced|confirmed|revealed|claimed|claims|added|noted|declined|comment|commented|wrote|"
                      r"warned|argued|believes?|estimated?|shows?|showed|cited|quoted|insisted|explained|"
                      r"acknowledged|denied|understood|learned|learnt|familiar|anonymity|anonymously|speaking)\b"
                      r"|[A-Z]{2,}[^()\n]{0,30}\([A-Z]")
_ZH_CUES = re.compile(r"表示|称|说|指出|透露|据|宣布|介绍|认为|显示|援引|引述|强调|回应|证实|否认|置评|警告|批评|报道|"
                      r"获悉|了解到|指|谈到|坦言|直言")
# Classes that stand in for each other across a rewrite: "documents show" ~ "according to the report".
_COMPATIBLE = {"media_report": {"media_report", "documents"}, "documents": {"media_report", "documents"},
               "officials": {"officials", "spokesperson"}, "spokesperson": {"officials", "spokesperson"}}
_NAMES = {"anonymous": "an unnamed source", "documents": "documents or data", "spokesperson": "a spokesperson",
          "experts": "experts or analysts", "officials": "officials", "others": "other voices (critics, witnesses)",
          "media_report": "a media report"}


@lru_cache(maxsize=2)
def _source_patterns(language: str):
    table = _ZH_SOURCES if language == "zh" else _EN_SOURCES
    return [(name, re.compile(p)) for name, p in table]


def sources(article: Article, sentence: int) -> list[Item]:
    """Source mentions of one sentence, when the sentence attributes something at all."""
    s = article.sentences[sentence]
    text = article.match_text if article.language == "zh" else article.text
    cues = _ZH_CUES if article.language == "zh" else _EN_CUES
    if not cues.search(text, s.start, s.end):
        return []
    items, taken = [], set()
    for name, pattern in _source_patterns(article.language):
        for m in pattern.finditer(text, s.start, s.end):
            end = rstrip(text, m.start(), m.end())
            if text[end - 1] == "." and text[end - 2:end - 1].islower():
                end -= 1        # the sentence's full stop ("according to Moody's."), not an initialism (U.S.)
            if taken.isdisjoint(range(m.start(), end)):
                items.append(Item(sentence, m.start(), end, name))
                taken.update(range(m.start(), end))
    return items


def attribution_spans(article_a: Article, article_b: Article, alignment: Alignment) -> list[SpanRecord]:
    spans = []
    sources_of_a = [x for i in range(len(article_a.sentences)) for x in sources(article_a, i)]
    for k, link in enumerate(alignment.links):
        sa = [x for i in link.a for x in sources(article_a, i)]
        sb = [x for i in link.b for x in sources(article_b, i)]
        for side, article, mine, other, theirs, other_ids in (("a", article_a, sa, article_b, sb, link.b),
                                                              ("b", article_b, sb, article_a, sa, link.a)):
            passage = " ".join(other.sent_text(i) for i in other_ids)
            for x in mine:
                if _is_credit(article, x) or _matched(article, x, other, passage, theirs):
                    continue
                if side == "b" and _matched(article, x, other, other.match_text, sources_of_a):
                    continue    # a cites it elsewhere: moved, not a new source
                if side == "a" and _named_elsewhere(article, x, other):
                    continue    # b credits the same named source elsewhere (a story built on one agency's note)
                spans.append(_source_span(side, article, x, k, other, other_ids, passage, theirs))
    return spans


def _is_credit(article: Article, x: Item) -> bool:
    """A media report naming a news outlet ("据路透社报道", "(Reuters) -") credits a publisher."""
    return x.key == "media_report" and names_outlet(article.text[x.start:x.end])


def _matched(article: Article, x: Item, other: Article, passage: str, theirs: list[Item]) -> bool:
    """The other side attributes this too. Across languages any source there counts: which class a
    paraphrase lands in is not reliable enough to call a change (据悉 for "sources said")."""
    if article.language != other.language and theirs:
        return True
    keys = {y.key for y in theirs}
    return bool(keys & _COMPATIBLE.get(x.key, {x.key})) or _named_there(article, x, other, passage)


_NAME_WORD = re.compile(r"\b[A-Z][\w&.'’-]*")
_CUE_WORDS = re.compile(r"(?i)\b(?:according|to|the|a|report|reports|reported)\b|[^\w\s]")


def _named_elsewhere(article: Article, x: Item, other: Article) -> bool:
    """An English source that is a name ("according to Moody's", "Moody's reported") the other article names
    too. Unnamed sources ("seven people familiar with the matter") and what a named party holds
    ("documents reviewed by Wirewatch") stay checked passage by passage: any such source anywhere in b
    would otherwise vouch for every one of a's."""
    if article.language != "en":
        return False
    said = article.text[x.start:x.end]
    names = [w for w in _NAME_WORD.findall(said) if w != "According"]
    rest = _CUE_WORDS.sub(" ", _NAME_WORD.sub(" ", said)).split()
    return bool(names) and not rest and has_counterpart(" ".join(names), "en", other.match_text, other.language,
                                                        min_share=1.0)


def _named_there(article: Article, x: Item, other: Article, passage: str) -> bool:
    words = article.match_text[x.start:x.end]
    return has_counterpart(words, article.language, passage, other.language, min_share=0.5)


def _source_span(side, article, x: Item, k: int, other, other_ids, passage: str, theirs) -> SpanRecord:
    change = "dropped" if side == "a" else "added"
    other_name = "b" if side == "a" else "a"
    said = article.text[x.start:x.end]
    if side == "a":
        reason = f"a's source '{said}' ({_NAMES[x.key]}) has no counterpart in b: '{quote(passage)}'"
    else:
        reason = (f"b attributes to '{said}' ({_NAMES[x.key]}), a source a cites nowhere "
                  f"(a's matching passage: '{quote(passage)}')")
    detail = {"source": x.key, "change": change, f"{other_name}_sources": sorted({y.key for y in theirs})}
    span = group_fact_span(article, side, x, k, SpanKind.ATTRIBUTION, 0.8, other, other_ids, detail)
    return span.model_copy(update={"reason": reason})
