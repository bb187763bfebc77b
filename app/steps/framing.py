"""Loaded terms, scare quotes and framing shifts (span kinds ``loaded`` and ``framing``).

1. Every lexicon hit that carries judgement becomes a ``loaded`` span (label = category).
   Terms missing from the lexicon are caught separately and scored lower: English words with a
   strong valence in VADER's lexicon (``detail.source == "valence"``), and Chinese words of changed
   sentences whose USE-m3 vector lies close to a strong lexicon seed (``detail.source == "neighbour"``).
2. Quotation marks around a short term (1-3 words) on one side, where the aligned counterpart has
   no quotation marks, are a scare quote (``loaded``, label ``scare_quote``).
3. A loaded term whose aligned counterpart carries no term of the same category is a ``framing``
   span that names its counterpart: the neutral reporting verb it replaced when there is one
   (a: "said" -> b: "声称"), else the counterpart sentence(s). Sentences on one side only, and
   concessive clauses ("although ...", "虽然…") inside aligned sentences, that carry loaded terms
   are editorial asides (``framing``, label ``editorial_aside``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .align import Alignment
from ..text.article import Article
from ..text.chinese import HAN_UNIFIED, inner_word_boundaries
from .classify import group_counterpart, quote
from .facts_common import rstrip
from .counterparts import has_counterpart
from .words.word_evidence import GLOSS_STOP, han_words, stem
from ..lexicons.glossary import lookup
from ..lexicons.loaded_terms import Entry, Hit, Lexicon, load_lexicon
from ..result import Counterpart, SentenceStatus, SpanKind, SpanRecord
from ..settings import Settings

SHIFT_CATEGORIES = {"distancing", "stance_verb", "pejorative", "emotive", "dismissive", "booster", "hedge"}
_QUOTES = re.compile(r"“([^“”\n]{1,40})”|\"([^\"\n]{1,40})\"|‘([^‘’\n]{1,30})’|「([^「」\n]{1,30})」|『([^『』\n]{1,30})』"
                     r"|(?<![A-Za-z])'([A-Za-z][^'\n]{0,30}[A-Za-z])'(?![A-Za-z])")
_ANY_QUOTE = re.compile(r"[“”\"「」『』‘’]|(?<![A-Za-z])'|'(?![A-Za-z])")
_CONCESSIVE = re.compile(r"(?i)\b(?:although|though|even though|while|despite|albeit)\b[^,;.:!?]*|"
                         r"(?:虽然|虽|尽管|固然)[^，,；;。！？]*")
_ZH_WORD = re.compile(f"^[{HAN_UNIFIED}]{{2,6}}$")


@dataclass(frozen=True, slots=True)
class Mark:
    """A term that carries judgement (or a neutral reporting verb), located in one article."""

    sentence: int
    start: int
    end: int
    category: str
    weight: float
    gloss: str
    source: str = "lexicon"      # lexicon | valence | neighbour | quotes
    note: dict | None = None

    @property
    def neutral(self) -> bool:
        return self.category == "neutral"


# ---------------------------------------------------------------------------------------------
# finding marks in one article


def sentence_of(article: Article, pos: int) -> int:
    lo, hi = 0, len(article.sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if article.sentences[mid].start <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def word_boundaries(article: Article) -> set[int]:
    """Where a Chinese lexicon term may start or end: token edges, and dictionary words inside compounds."""
    out: set[int] = set()
    for t in article.tokens:
        out.add(t.start)
        out.add(t.end)
        out.update(t.start + k for k in inner_word_boundaries(article.match_text[t.start:t.end]))
    return out


# Some English stance verbs also name literal events ("a bomb blast", "severe asthma attacks"). After
# one of these modifiers the hit is that event. Determiners and possessives decide nothing: "Trump's
# attacks on the press" is the figurative, loaded use (BABE's annotators mark it).
_LITERAL_BEFORE = frozenset("""bomb bombing asthma heart panic terror terrorist suicide air missile rocket drone
military cyber deadly severe car knife gun shark dog chemical nuclear gas""".split())
_WORD_BEFORE = re.compile(r"(\w+)\s+$")


def _literal_use(article: Article, hit: Hit) -> bool:
    if hit.entry.category != "stance_verb":
        return False
    before = _WORD_BEFORE.search(article.match_text, max(0, hit.start - 40), hit.start)
    return bool(before) and before.group(1).lower() in _LITERAL_BEFORE


def lexicon_marks(article: Article, lexicon: Lexicon) -> list[Mark]:
    boundaries = word_boundaries(article) if lexicon.language == "zh" else None
    marks = []
    for hit in lexicon.find(article.match_text, boundaries=boundaries):
        i = sentence_of(article, hit.start)
        if hit.end > article.sentences[i].end or (lexicon.language == "en" and _literal_use(article, hit)):
            continue
        e = hit.entry
        marks.append(Mark(i, hit.start, hit.end, e.category, e.weight, e.gloss, note={"term": e.term}))
    return marks


@lru_cache(maxsize=1)
def _vader_lexicon() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return dict(SentimentIntensityAnalyzer().lexicon)


_EN_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def valence_marks(article: Article, taken: list[Mark], *, min_valence: float, skip: set[str]) -> list[Mark]:
    """English words with a strong valence in VADER's lexicon, not already marked by the lexicon."""
    vader = _vader_lexicon()
    covered = _covered(taken)
    marks = []
    for m in _EN_TOKEN.finditer(article.text):
        word = m.group().lower()
        valence = vader.get(word)
        if valence is None or abs(valence) < min_valence or word in skip or m.start() in covered:
            continue
        i = sentence_of(article, m.start())
        score = round(min(0.45, 0.1 * abs(valence)), 3)
        marks.append(Mark(i, m.start(), m.end(), "negative" if valence < 0 else "positive", score,
                          f"VADER valence {valence:+.1f}", source="valence", note={"valence": valence}))
    return marks


def _covered(marks: list[Mark]) -> set[int]:
    out: set[int] = set()
    for m in marks:
        out.update(range(m.start, m.end))
    return out


@lru_cache(maxsize=4)
def _seed_terms(language: str) -> tuple[Entry, ...]:
    """Strong loaded entries, plus the neutral ones: a word nearest a neutral seed is not flagged."""
    lexicon = load_lexicon(language)
    return tuple(e for e in lexicon.entries if e.neutral or e.weight >= 0.8) if lexicon else ()


def neighbour_marks(article: Article, taken: list[Mark], sentences: set[int], embedder, *,
                    threshold: float, max_words: int) -> list[Mark]:
    """Chinese words (of the given sentences) whose USE-m3 vector is close to a strong lexicon seed.

    One batch per article (capped at ``max_words`` new words); seed vectors come from the
    embedding cache after the first run.
    """
    seeds = _seed_terms(article.language)
    lexicon = load_lexicon(article.language)
    if not seeds or embedder is None:
        return []
    covered = _covered(taken)
    candidates: dict[str, list[tuple[int, int, int]]] = {}
    for t in article.tokens:
        if t.sent not in sentences or t.start in covered:
            continue
        word = article.match_text[t.start:t.end]
        if _ZH_WORD.match(word) and word not in lexicon:
            if word in candidates or len(candidates) < max_words:
                candidates.setdefault(word, []).append((t.sent, t.start, t.end))
    if not candidates:
        return []
    words = list(candidates)
    seed_vectors = embedder.fixed_vectors(f"lexicon seeds {article.language}", [e.term for e in seeds])
    sims = embedder.encode(words) @ seed_vectors.T
    marks = []
    for w, row in zip(words, sims):
        k = int(np.argmax(row))
        seed = seeds[k]
        # USE-m3 word vectors are noisy for single words; a near seed must also share a character.
        if row[k] < threshold or seed.neutral or not set(w) & set(seed.term) or w in _NEIGHBOUR_SKIP:
            continue
        for sent, start, end in candidates[w]:
            marks.append(Mark(sent, start, end, seed.category, round(0.4 * float(row[k]), 3),
                              f"near '{seed.term}' ({seed.gloss})", source="neighbour",
                              note={"seed": seed.term, "similarity": round(float(row[k]), 3)}))
    return marks


def scare_quotes(article: Article) -> list[tuple[int, int, int]]:
    """``(sentence, start, end)`` of short quoted terms, quotation marks included."""
    out = []
    for m in _QUOTES.finditer(article.text):
        inner = next(g for g in m.groups() if g is not None)
        if _is_short_term(inner, article.language):
            out.append((sentence_of(article, m.start()), m.start(), m.end()))
    return out


def _is_short_term(inner: str, language: str) -> bool:
    inner = inner.strip()
    if not inner or re.search(r"[.,;:!?。，；：！？]", inner):
        return False
    if language in ("zh", "ja"):
        return len(inner) <= 8
    return 1 <= len(inner.split()) <= 3


def _has_quotes(article: Article, sentence_ids) -> bool:
    return any(_ANY_QUOTE.search(article.sent_text(i)) for i in sentence_ids)


# ---------------------------------------------------------------------------------------------
# spans over the pair


@dataclass(frozen=True)
class Side:
    name: str
    article: Article
    mapping: list[int | None]
    marks: list[Mark]
    token_scores: np.ndarray | None = None   # cross-lingual word-level difference scores, per token

    def mark_score(self, m: Mark) -> float | None:
        """The word level's strongest difference score over the mark's tokens; None when not scored."""
        if self.token_scores is None:
            return None
        sent = self.article.sentences[m.sentence]
        ids = [k for k in range(sent.token_start, sent.token_end)
               if self.article.tokens[k].start < m.end and m.start < self.article.tokens[k].end]
        if not ids or self.article.tokens[ids[0]].start < m.start or m.end < self.article.tokens[ids[-1]].end:
            return None     # 断然 inside the token 断然拒绝: that token's score is about "flatly refuse" as a whole
        return float(max(self.token_scores[k] for k in ids))

    def marks_in(self, sentence_ids) -> list[Mark]:
        ids = set(sentence_ids)
        return [m for m in self.marks if m.sentence in ids]


def _span(side: Side, m: Mark, kind: SpanKind, *, score: float, label: str, gloss: str | None = None,
          counterpart: Counterpart | None = None, detail: dict | None = None) -> SpanRecord:
    return SpanRecord(side=side.name, start=m.start, end=m.end, text=side.article.text[m.start:m.end], kind=kind,
                      score=round(score, 4), sentence=m.sentence, link=side.mapping[m.sentence],
                      counterpart=counterpart, label=label, gloss=gloss, detail=detail)


@dataclass(frozen=True, slots=True)
class FramingSpans:
    """What the framing step finds, side a's before side b's."""

    terms: list[SpanRecord]     # loaded terms, framing shifts and scare quotes
    asides: list[SpanRecord]    # editorial asides: evaluative passages with no counterpart (kind framing)


def framing_spans(article_a: Article, article_b: Article, alignment: Alignment,
                  statuses: list[SentenceStatus], settings: Settings, embedder=None,
                  word_spans: Sequence[SpanRecord] = (), token_scores: dict | None = None) -> FramingSpans:
    """Loaded, scare-quote, shift and aside spans; ``word_spans`` are the word level's added/omitted runs.

    ``token_scores`` (the word level's difference score per token and side) is the evidence for
    wording the dictionary cannot match across languages: 遏制 rendered as "curb" scores low there.
    """
    sides = {}
    for name, article, mapping in (("a", article_a, alignment.a_to_b), ("b", article_b, alignment.b_to_a)):
        scores = token_scores.get(name) if token_scores and article_a.language != article_b.language else None
        sides[name] = Side(name, article, list(mapping), find_marks(article, mapping, statuses, settings, embedder),
                           scores)
    terms: list[SpanRecord] = []
    asides: list[SpanRecord] = []
    for name, side in sides.items():
        other = sides["b" if name == "a" else "a"]
        terms += term_spans(side, other, alignment, settings)
        terms += scare_quote_spans(side, other, alignment)
        asides += aside_spans(side, other, alignment, settings, [r for r in word_spans if r.side == name])
    return FramingSpans(terms, asides)


def find_marks(article: Article, mapping, statuses, settings: Settings, embedder) -> list[Mark]:
    lexicon = load_lexicon(article.language)
    if lexicon is None:
        return []
    marks = lexicon_marks(article, lexicon)
    if not settings.lexicon_extension:
        return marks
    if article.language == "en":
        marks += valence_marks(article, marks, min_valence=settings.valence_min, skip=_VALENCE_SKIP)
    elif article.language == "zh":
        changed = {i for i, k in enumerate(mapping) if k is None or statuses[k] is not SentenceStatus.KEPT}
        marks += neighbour_marks(article, marks, changed, embedder, threshold=settings.neighbour_min,
                                 max_words=64)
    return sorted(marks, key=lambda m: m.start)


# Role nouns that sit close to reporting and rumour seeds in USE-m3 space.
_NEIGHBOUR_SKIP = {"发言人", "的话", "人士", "记者", "官员", "言论", "声明", "报告", "谣言", "说法"}

# Words VADER scores strongly that are plain news vocabulary.
_VALENCE_SKIP = {"killed", "died", "dead", "death", "war", "crash", "fire", "kill", "no", "victim",
                 "victims", "cancer", "arrested", "prison", "sanctioned", "sanctions", "disaster"}


def is_loaded(m: Mark, settings: Settings) -> bool:
    """Whether a mark becomes a ``loaded`` span: judgement-carrying, and heavy enough if from the lexicon."""
    return not m.neutral and m.weight >= (settings.min_loaded_weight if m.source == "lexicon" else 0)


def term_spans(side: Side, other: Side, alignment: Alignment, settings: Settings) -> list[SpanRecord]:
    """One span per loaded term: a difference only when the other side has no counterpart for it.

    - in a sentence with no counterpart at all: ``loaded``, a difference (it is part of added/dropped text);
    - the linked sentences carry a term of the same category, or the term itself or its dictionary
      translation (app/steps/counterparts.py): ``loaded``, shared wording (``difference`` false);
    - otherwise, when strong enough: one ``framing`` span (a framing shift), naming the neutral
      reporting verb it replaced when there is one; weaker terms stay shared-looking (not counted).
    """
    out = []
    for m in side.marks:
        if not is_loaded(m, settings):
            continue
        k = side.mapping[m.sentence]
        if k is None:
            out.append(_loaded(side, m, difference=True,
                               reason=f"'{_text(side, m)}' ({m.gloss}) is in a passage {_only_here(side.name)}"))
            continue
        ids = _other_ids(alignment, k, side.name)
        match = _counterpart_term(m, side, other, ids)
        if match is not None:
            out.append(_loaded(side, m, difference=False,
                               reason=f"both articles carry this wording ({other.name}: '{match}')"))
        elif not _shifts(m, settings):
            out.append(_loaded(side, m, difference=False,
                               reason=f"mild wording ({m.gloss}); not counted as a difference"))
        elif _replaces_neutral(m, other, ids) or _unmatched_by_words(side, m, settings):
            out.append(_shift_span(side, other, m, ids))
        else:
            passage = quote(" ".join(other.article.sent_text(i) for i in ids))
            out.append(_loaded(side, m, difference=False,
                               reason=f"{other.name} renders this passage in its own words: '{passage}'"))
    return out


def _text(side: Side, m: Mark) -> str:
    return side.article.text[m.start:m.end]


def _only_here(name: str) -> str:
    return "b adds" if name == "b" else "b drops"


def _loaded(side: Side, m: Mark, *, difference: bool, reason: str) -> SpanRecord:
    detail = {"source": m.source, **(m.note or {})}
    span = _span(side, m, SpanKind.LOADED, score=m.weight, label=m.category, gloss=m.gloss, detail=detail)
    return span.model_copy(update={"difference": difference, "reason": reason})


def _counterpart_term(m: Mark, side: Side, other: Side, ids) -> str | None:
    """The other side's wording that matches ``m`` (same lexicon category, or a translation), else None."""
    for t in other.marks_in(ids):
        if not t.neutral and t.category == m.category:
            return other.article.text[t.start:t.end]
    passage = " ".join(other.article.sent_text(i) for i in ids)
    term = side.article.match_text[m.start:m.end]
    gloss = m.gloss if m.source == "lexicon" else None
    if has_counterpart(term, side.article.language, passage, other.article.language, gloss=gloss):
        return quote(passage)
    return None


def _replaces_neutral(m: Mark, other: Side, ids) -> bool:
    """A loaded reporting verb or hedge where the other side says it plainly (said -> 声称)."""
    return m.category in ("stance_verb", "hedge") and any(t.neutral and t.source == "lexicon"
                                                          for t in other.marks_in(ids))


def _unmatched_by_words(side: Side, m: Mark, settings: Settings) -> bool:
    """Across languages, the word level must agree that the term has no counterpart (a dictionary misses
    synonyms: 遏制 "to contain" rendered as "curb"). Within one language the string check decides."""
    if m.category == "hedge":
        return True     # hedges are a closed class in both languages: the lexicon and dictionary decide
    score = side.mark_score(m)
    return score is None or score >= settings.word_diff_threshold_cross


def _shifts(m: Mark, settings: Settings) -> bool:
    # A hedge that vanishes matters even when it is a mild one ("reportedly").
    floor = settings.min_loaded_weight if m.category == "hedge" else settings.framing_min_weight
    return m.source == "lexicon" and m.category in SHIFT_CATEGORIES and m.weight >= floor


def _shift_span(side: Side, other: Side, m: Mark, ids) -> SpanRecord:
    """A loaded term whose aligned counterpart carries no such wording (a framing shift)."""
    neutral = [t for t in other.marks_in(ids) if t.neutral and t.source == "lexicon"]
    term = _text(side, m)
    if _replaces_neutral(m, other, ids):
        t = _nearest(m, side, neutral, other)
        said = other.article.text[t.start:t.end]
        counterpart = Counterpart(side=other.name, start=t.start, end=t.end, text=said, sentences=list(ids))
        shift, reason = "neutral", f"{side.name} says '{term}' where {other.name} says '{said}'"
    else:
        counterpart, shift = group_counterpart(other.article, other.name, ids), None
        verb = "adds" if side.name == "b" else "has"
        reason = (f"{side.name} {verb} '{term}' ({m.gloss}); {other.name} has no such wording: "
                  f"'{quote(counterpart.text)}'")
    detail = {"category": m.category, "counterpart_category": shift, **(m.note or {})}
    span = _span(side, m, SpanKind.FRAMING, score=m.weight, label=m.category, gloss=m.gloss,
                 counterpart=counterpart, detail=detail)
    return span.model_copy(update={"reason": reason})


def scare_quote_spans(side: Side, other: Side, alignment: Alignment) -> list[SpanRecord]:
    out = []
    for sent, start, end in scare_quotes(side.article):
        k = side.mapping[sent]
        if k is None:
            counterpart, score = None, 0.5
        else:
            ids = _other_ids(alignment, k, side.name)
            if _has_quotes(other.article, ids) or _capitalised_there(side.article.text[start + 1:end - 1],
                                                                     side.article, other.article, ids):
                continue
            counterpart, score = group_counterpart(other.article, other.name, ids), 0.8
        m = Mark(sent, start, end, "scare_quote", score, "quotation marks distancing the writer from a term")
        where = (f"{other.name} has the passage without them" if counterpart else
                 f"in a passage {_only_here(side.name)}")
        out.append(_span(side, m, SpanKind.LOADED, score=score, label="scare_quote", gloss=m.gloss,
                         counterpart=counterpart, detail={"source": "quotes"}).model_copy(
            update={"reason": f"{side.name} puts {_text(side, m)} in quotation marks; {where}"}))
    return out


_CAPITALISED_INSIDE = re.compile(r"(?<![.!?:\s])\s+([A-Z][a-z]+)")


def _capitalised_there(inner: str, article: Article, other: Article, ids) -> bool:
    """Chinese quotes a name or title (“甚大望远镜”, “实体名单”) where English capitalises it (Very Large
    Telescope, Entity List): a word of the term's CC-CEDICT gloss, lower case there, is capitalised
    inside the other side's passage. A proper noun in the gloss (台独 "Taiwan independence") says nothing."""
    if article.language != "zh" or other.language != "en":
        return False
    glossed = {stem(word) for piece in han_words(inner) for entry in lookup(piece) for sense in entry.senses
               for word in re.findall(r"\b[a-z]+\b", sense)} - GLOSS_STOP
    capitalised = {stem(m.group(1)) for i in ids for m in _CAPITALISED_INSIDE.finditer(other.sent_text(i))}
    return bool(glossed & capitalised)


def _other_ids(alignment: Alignment, k: int, side_name: str) -> tuple[int, ...]:
    link = alignment.links[k]
    return tuple(link.b if side_name == "a" else link.a)


def _nearest(m: Mark, side: Side, candidates: list[Mark], other: Side) -> Mark:
    """The candidate at the most similar relative position in its sentence group."""
    def rel(mark: Mark, article: Article) -> float:
        s = article.sentences[mark.sentence]
        return (mark.start - s.start) / max(1, s.end - s.start) + mark.sentence
    target = rel(m, side.article)
    return min(candidates, key=lambda t: abs(rel(t, other.article) - target))


# A run the word level found on one side only is an aside when it evaluates. Reporting verbs and
# distancing there (某些媒体炒作称 for "the people said") re-present a source: shift spans show those.
_EVALUATIVE = frozenset({"booster", "pejorative", "dismissive", "emotive"})


def aside_spans(side: Side, other: Side, alignment: Alignment, settings: Settings,
                word_runs: Sequence[SpanRecord] = ()) -> list[SpanRecord]:
    """Evaluative sentences on one side only; in aligned sentences, loaded concessive clauses and
    loaded word runs that the word level found on this side only (an aside written into a sentence)."""
    out = []
    article = side.article
    for i, sent in enumerate(article.sentences):
        mine = [m for m in side.marks_in([i]) if not m.neutral and m.source == "lexicon"]
        if side.mapping[i] is None:
            if mine and sum(m.weight for m in mine) >= settings.aside_min_weight:   # 0 is a valid setting
                whole = Mark(i, sent.start, sent.end, "editorial_aside", 0.0, "")
                out.append(_aside(side, whole, mine, None))
            continue
        ids = _other_ids(alignment, side.mapping[i], side.name)
        if any(not t.neutral and t.source == "lexicon" for t in other.marks_in(ids)):
            continue
        clauses = [(c.start(), rstrip(article.text, c.start(), c.end()), None)
                   for c in _CONCESSIVE.finditer(article.match_text, sent.start, sent.end)]
        clauses += [(r.start, r.end, _EVALUATIVE) for r in word_runs if r.sentence == i
                    and not any(start < r.end and r.start < end for start, end, _ in clauses)]
        for start, end, categories in clauses:
            inside = [m for m in mine if start <= m.start and m.end <= end
                      and (categories is None or m.category in categories)]
            if inside and sum(m.weight for m in inside) >= settings.framing_min_weight:
                clause = Mark(i, start, end, "editorial_aside", 0.0, "")
                out.append(_aside(side, clause, inside, group_counterpart(other.article, other.name, ids)))
    return out


def _aside(side: Side, whole: Mark, inside: list[Mark], counterpart) -> SpanRecord:
    terms = [side.article.text[m.start:m.end] for m in inside]
    other = "b" if side.name == "a" else "a"
    listed = ", ".join(f"'{t}'" for t in dict.fromkeys(terms))
    reason = (f"{side.name} {'adds' if side.name == 'b' else 'has'} an evaluative passage ({listed}) "
              f"with no counterpart in {other}")
    span = _span(side, whole, SpanKind.FRAMING, score=min(1.0, max(m.weight for m in inside)),
                 label="editorial_aside", gloss="evaluative passage with no counterpart on the other side",
                 counterpart=counterpart, detail={"terms": terms, "categories": sorted({m.category for m in inside})})
    return span.model_copy(update={"reason": reason})


__all__ = ["FramingSpans", "framing_spans", "find_marks", "lexicon_marks", "scare_quotes", "Mark", "Hit"]
