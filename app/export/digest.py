""""What changed": a short digest of a Result in plain language, most important first.

It reads the Result only (spans, their ``difference`` flag and ``reason``, counterparts and
sentences); nothing is recomputed. One finding is one item, even when several spans mark it:
an added passage takes in the loaded words inside it, a number changed is one item for both
sides, a dropped source and the words around it are one item. Shared wording (``difference``
false) is never an item.

Order (the questions a journalist asks first): passages and quotes b added, framing b added,
hedges, sources, numbers and passages b dropped, attribution shifts (said -> claimed), names,
then smaller wording changes. Each item has one plain-English line, a one-line quote from each
side and the sentence it sits in, so it can be pasted into a story as it is.

``digest(result)`` gives the items as data; ``digest_text`` renders them for a terminal (also
the ``digest`` export format), and the HTML, Markdown and web views draw the same items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..result import Result, SpanRecord
from ..text.chinese import CJK_WIDE
from .common import kind_value
from .registry import register_exporter

QUOTE_CHARS = 200
QUOTE_MARKS = ('"', "“", "”", "「", "」", "『", "』")
TERMINAL_ITEMS = 10
_WHITESPACE = re.compile(r"\s+")
_WIDE = re.compile(f"[{CJK_WIDE}]")

# rank: the digest's order (lower first)
ADDED, FRAMING, HEDGE, SOURCE, NUMBER, OMITTED, SHIFT, ENTITY, WORDING, REWORDED = range(10)
RANK_NAMES = {ADDED: "added", FRAMING: "framing", HEDGE: "hedge", SOURCE: "source", NUMBER: "number",
              OMITTED: "omitted", SHIFT: "attribution", ENTITY: "entity", WORDING: "wording",
              REWORDED: "reworded"}


@dataclass(frozen=True, slots=True)
class Quote:
    """One side's words for an item: its sentences (0-based) and one line of their text."""
    side: str
    sentences: tuple[int, ...]
    text: str

    @property
    def place(self) -> str:
        """``A3`` or ``B2–B3``: the sentence numbers the views show (1-based)."""
        first, last = self.sentences[0] + 1, self.sentences[-1] + 1
        side = self.side.upper()
        return f"{side}{first}" if first == last else f"{side}{first}–{side}{last}"


@dataclass(frozen=True, slots=True)
class DigestItem:
    rank: int
    heading: str                 # "Source dropped"
    line: str                    # one plain-English line: what changed
    side: str                    # the side the finding sits on
    sentence: int                # where it sits (the anchor the views link to)
    quotes: tuple[Quote | None, Quote | None]   # a's words, b's words (None: that side has none)
    spans: tuple[int, ...]       # indices into result.spans

    @property
    def category(self) -> str:
        return RANK_NAMES[self.rank]

    def as_text(self) -> str:
        """The item as a pasteable paragraph: heading and line, then each side's quote."""
        lines = [f"{self.heading}: {self.line}."]
        for side, quote in zip("ab", self.quotes):
            lines.append(f"{side} ({quote.place}): “{quote.text}”" if quote else f"{side}: (no counterpart)")
        return "\n".join(lines)


# --- reading the result -------------------------------------------------------------------------

def one_line(text: str, focus: tuple[int, int] | None = None, *, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, at most about ``limit`` characters; when cut, the window keeps ``focus``
    (offsets into ``text``) in view and cuts between words."""
    flat = _WHITESPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    if focus is None:
        focus = (0, 0)
    lead = len(_WHITESPACE.sub(" ", text[:focus[0]]).lstrip())
    core = len(_WHITESPACE.sub(" ", text[focus[0]:focus[1]]))
    core = min(core, limit)
    begin = max(0, lead - (limit - core) // 2)
    stop = min(len(flat), begin + limit)
    begin = max(0, stop - limit)
    if begin > 0:                       # start at a word
        space = flat.find(" ", begin, lead) if not _cjk(flat[begin]) else -1
        begin = space + 1 if space != -1 else begin
    if stop < len(flat):                # end at a word
        space = flat.rfind(" ", lead + core, stop) if not _cjk(flat[stop - 1]) else -1
        stop = space if space != -1 else stop
    shown = flat[begin:stop].strip()
    return ("…" if begin > 0 else "") + shown + ("…" if stop < len(flat) else "")


def _cjk(ch: str) -> bool:
    """A wide character: no space stands between two of them, so a quote may be cut anywhere."""
    return bool(_WIDE.match(ch))


def sentence_quote(result: Result, side: str, indices, focus: tuple[int, int] | None = None) -> Quote | None:
    """The text of sentences ``indices`` on ``side`` as one line; ``focus`` (offsets) stays in view."""
    indices = tuple(sorted(set(indices)))
    if not indices:
        return None
    article = result.articles[side]
    sents = [article.sentences[i] for i in indices]
    start, end = sents[0].start, sents[-1].end
    text = article.text[start:end]
    window = None
    if focus is not None and start <= focus[0] and focus[1] <= end:
        window = (focus[0] - start, focus[1] - start)
    return Quote(side, indices, one_line(text, window))


def covers_sentence(result: Result, span: SpanRecord) -> bool:
    sent = result.articles[span.side].sentences[span.sentence]
    return span.start <= sent.start and span.end >= sent.end


def strip_quoted_tail(reason: str, shown_elsewhere: str) -> str:
    """The reason without its closing ``: '…'`` quote when that quote is text the item shows anyway."""
    flat = " ".join(shown_elsewhere.split())
    at = reason.rfind(": '")
    while at != -1:
        tail = reason[at + 3:]
        if tail.endswith("'"):
            quoted = " ".join(tail[:-1].rstrip("…").split())
            if quoted and flat.startswith(quoted):
                return reason[:at]
        at = reason.rfind(": '", 0, at)
    return reason


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


def _counterpart_quote(result: Result, span: SpanRecord) -> Quote | None:
    cp = span.counterpart
    if cp is None:
        return None
    if cp.sentences:
        return sentence_quote(result, cp.side, cp.sentences, focus=(cp.start, cp.end) if cp.end > cp.start else None)
    if cp.text:
        article = result.articles[cp.side]
        holding = [s.index for s in article.sentences if s.start < cp.end and s.end > cp.start]
        return Quote(cp.side, tuple(holding) or (0,), one_line(cp.text))
    return None


def _quotes(result: Result, span: SpanRecord) -> tuple[Quote | None, Quote | None]:
    own = sentence_quote(result, span.side, [span.sentence], focus=(span.start, span.end))
    other = _counterpart_quote(result, span)
    return (own, other) if span.side == "a" else (other, own)


def _line(span: SpanRecord) -> str:
    reason = span.reason or f"{span.side} has '{one_line(span.text, limit=60)}'"
    cp = span.counterpart
    return strip_quoted_tail(reason, cp.text if cp else "")


def _detail(span: SpanRecord) -> dict:
    return span.detail if isinstance(span.detail, dict) else {}


def _overlaps(x: SpanRecord, y: SpanRecord) -> bool:
    return x.side == y.side and x.start < y.end and y.start < x.end


# --- building the items ------------------------------------------------------------------------

def digest(result: Result) -> list[DigestItem]:
    """Every finding of ``result`` as one item, most important first."""
    spans = list(enumerate(result.spans))
    differences = [(i, s) for i, s in spans if s.difference]
    used: set[int] = set()
    items: list[DigestItem] = []

    items += _passages(result, differences, used)
    items += _numbers(result, differences, used)
    items += _sources(result, differences, used)
    for i, span in differences:
        if i in used:
            continue
        kind = kind_value(span.kind)
        item = None
        if kind == "framing":
            item = _framing_item(result, i, span, differences, used)
        elif kind == "loaded":
            item = _item(result, FRAMING, _loaded_heading(span), i, span)
        elif kind == "entity":
            item = _item(result, ENTITY, f"Name only in {span.side}", i, span)
        elif kind == "attribution":
            item = _item(result, SHIFT, "Attribution changed", i, span)
        elif kind == "number":
            item = _item(result, NUMBER, "Number changed", i, span, line=_number_line(span))
        if item is not None:
            used.update(item.spans)
            items.append(item)
    # word-level added/omitted wording: only what no finding above already explains
    for i, span in differences:
        if i in used or kind_value(span.kind) not in ("added", "omitted", "reworded"):
            continue
        if any(_overlaps(span, result.spans[j]) for j in used if kind_value(result.spans[j].kind) not in
               ("reworded",)):
            used.add(i)
            continue
        if kind_value(span.kind) == "reworded":
            items.append(_item(result, REWORDED, "Reworded", i, span))
        else:
            heading = "Wording added" if span.side == "b" else "Wording left out"
            items.append(_item(result, WORDING, heading, i, span))
        used.add(i)
    return sorted(items, key=lambda item: (item.rank, item.side != "b", item.sentence))


def _item(result: Result, rank: int, heading: str, index: int, span: SpanRecord, *,
          line: str | None = None, extra: tuple[int, ...] = ()) -> DigestItem:
    return DigestItem(rank=rank, heading=heading, line=line or _line(span), side=span.side,
                      sentence=span.sentence, quotes=_quotes(result, span), spans=(index, *extra))


def _loaded_heading(span: SpanRecord) -> str:
    if span.label == "scare_quote":
        return "Scare quotes added" if span.side == "b" else "Scare quotes dropped"
    return "Framing added" if span.side == "b" else "Framing dropped"


def _passages(result: Result, differences, used: set[int]) -> list[DigestItem]:
    """Runs of whole sentences one side has and the other has not: one item per run."""
    runs: list[list[tuple[int, SpanRecord]]] = []
    for i, span in differences:
        if kind_value(span.kind) not in ("added", "omitted") or not covers_sentence(result, span):
            continue
        last = runs[-1][-1][1] if runs else None
        if last is not None and last.side == span.side and last.kind == span.kind and span.sentence == last.sentence + 1:
            runs[-1].append((i, span))
        else:
            runs.append([(i, span)])
    items = []
    for run in runs:
        side = run[0][1].side
        first, last = run[0][1], run[-1][1]
        sentences = [s.sentence for _, s in run]
        start, end = first.start, last.end
        inside = [(j, s) for j, s in differences
                  if s.side == side and s.start >= start and s.end <= end and j not in {i for i, _ in run}]
        evaluative = [s for _, s in inside if kind_value(s.kind) == "loaded"]
        quoted = any(mark in result.articles[side].text[start:end] for mark in QUOTE_MARKS)
        n = len(run)
        size = "a passage" if n == 1 else f"a passage of {n} sentences"
        if side == "b":
            if evaluative:
                heading = "Comment added"
                terms = ", ".join(dict.fromkeys(f"'{s.text}'" + (f" ({s.gloss})" if s.gloss else "") for s in evaluative))
                line = f"b adds {size} with evaluative wording: {terms}; a has no counterpart"
            elif quoted:
                heading, line = "Quote added", f"b adds {size} with a quotation; a has no counterpart"
            else:
                heading, line = "Passage added", f"b adds {size}; a has no counterpart"
            rank = ADDED
        else:
            heading, rank = "Passage left out", OMITTED
            line = f"b leaves out {size} of a" + (" with a quotation" if quoted else "")
        own = sentence_quote(result, side, sentences)
        quotes = (own, None) if side == "a" else (None, own)
        indices = tuple(i for i, _ in run) + tuple(j for j, _ in inside)
        used.update(indices)
        items.append(DigestItem(rank=rank, heading=heading, line=line, side=side, sentence=sentences[0],
                                quotes=quotes, spans=indices))
    return items


def _numbers(result: Result, differences, used: set[int]) -> list[DigestItem]:
    """A changed number is one item for both sides; a dropped or added one, its own item."""
    items = []
    numbers = [(i, s) for i, s in differences if kind_value(s.kind) == "number" and i not in used]
    for i, span in numbers:
        if i in used:
            continue
        change = _detail(span).get("change")
        pair = [j for j, other in numbers if j != i and j not in used and other.side != span.side and
                other.counterpart is not None and other.counterpart.start == span.start and
                other.counterpart.end == span.end]
        if change == "dropped":
            heading = "Number dropped"
        elif change == "added":
            heading = "Number added"
        else:
            heading = "Number changed"
        anchor = span
        if pair and span.side == "b":         # anchor a changed number on a's side
            anchor, i, pair = result.spans[pair[0]], pair[0], [i]
        item = _item(result, NUMBER, heading, i, anchor, line=_number_line(anchor), extra=tuple(pair))
        used.update(item.spans)
        items.append(item)
    return items


def _number_line(span: SpanRecord) -> str:
    line = _line(span)
    return line[len("the number changed: "):] if line.startswith("the number changed: ") else line


def _sources(result: Result, differences, used: set[int]) -> list[DigestItem]:
    """Sources b drops (with the words around them); a dropped and an added source of one link: changed."""
    items = []
    sources = [(i, s) for i, s in differences if kind_value(s.kind) == "attribution" and i not in used]
    added_by_link: dict[int, list[tuple[int, SpanRecord]]] = {}
    for i, s in sources:
        if s.side == "b" and _detail(s).get("change") == "added" and s.link is not None:
            added_by_link.setdefault(s.link, []).append((i, s))
    dropped: dict[int, list[tuple[int, SpanRecord, tuple[int, ...]]]] = {}
    for i, span in sources:
        if span.side != "a" or i in used:
            continue
        words = tuple(j for j, s in differences if j not in used and kind_value(s.kind) == "omitted"
                      and not covers_sentence(result, s) and _overlaps(s, span))
        replaced = added_by_link.get(span.link, []) if span.link is not None else []
        replaced = [(j, s) for j, s in replaced if j not in used]
        if replaced:
            j, new = replaced[0]
            line = f"a's source '{span.text}' becomes '{new.text}' in b"
            item = _item(result, SOURCE, "Source changed", i, span, line=line, extra=(*words, j))
            used.update(item.spans)
            items.append(item)
        else:
            used.update((i, *words))
            dropped.setdefault(span.sentence, []).append((i, span, words))
    for group in dropped.values():
        named = [_DROPPED.match(span.reason or "") for _, span, _ in group]
        if len(group) == 1 or not all(named):
            items += [_item(result, SOURCE, "Source dropped", i, span, extra=words) for i, span, words in group]
            continue
        listed = " and ".join(f"'{m.group(1)}' ({m.group(2)})" for m in named)
        extra = tuple(k for _, _, words in group for k in words) + tuple(i for i, _, _ in group[1:])
        first_index, first, _ = group[0]
        items.append(_item(result, SOURCE, "Sources dropped", first_index, first, extra=extra,
                           line=f"a's sources {listed} have no counterpart in b"))
    return items


_DROPPED = re.compile(r"^a's source '(.+?)' \((.+?)\) has no counterpart in b")


def _framing_item(result: Result, index: int, span: SpanRecord, differences, used: set[int]) -> DigestItem:
    detail = _detail(span)
    if span.label == "stance_verb" or detail.get("counterpart_category") == "neutral":
        # several loaded verbs in one sentence against the same plain one: one shift
        cp = span.counterpart
        same = [(j, s) for j, s in differences if j != index and j not in used and kind_value(s.kind) == "framing"
                and s.side == span.side and s.sentence == span.sentence and s.counterpart is not None and cp is not None
                and (s.counterpart.start, s.counterpart.end) == (cp.start, cp.end)
                and _detail(s).get("counterpart_category") == detail.get("counterpart_category")]
        if same and cp is not None:
            terms = " / ".join(f"'{s.text}'" for s in [span, *[s for _, s in same]])
            line = f"{span.side} says {terms} where {_other(span.side)} says '{cp.text}'"
            return _item(result, SHIFT, "Attribution shift", index, span, line=line, extra=tuple(j for j, _ in same))
        if detail.get("counterpart_category") == "neutral":
            return _item(result, SHIFT, "Attribution shift", index, span)
    if span.label == "hedge":
        heading = "Hedge dropped" if span.side == "a" else "Hedge added"
        return _item(result, HEDGE, heading, index, span)
    if span.label == "editorial_aside":
        # a whole sentence of comment that the other side lacks is an added (or dropped) passage
        rank = (ADDED if span.side == "b" else OMITTED) if covers_sentence(result, span) else FRAMING
        inside = tuple(j for j, s in differences if j != index and j not in used and s.side == span.side
                       and s.start >= span.start and s.end <= span.end)
        return _item(result, rank, "Comment added" if span.side == "b" else "Comment dropped", index, span,
                     extra=inside)
    return _item(result, FRAMING, "Framing added" if span.side == "b" else "Framing dropped", index, span)


# --- overview and text ---------------------------------------------------------------------------

def overview(result: Result) -> str:
    """One plain sentence: how much of a b leaves out and how much b adds."""
    s = result.summary
    n_a = len(result.articles["a"].sentences)
    omitted, added = s.sentences_a.get("omitted", 0), s.sentences_b.get("added", 0)
    left = (f"b leaves out {omitted} of a's {n_a} sentences ({s.share_a_omitted:.0%} of a's text)" if omitted
            else f"b leaves out none of a's {n_a} sentences")
    more = (f"adds {added} of its own ({s.share_b_added:.0%} of b's text)" if added else "adds none of its own")
    return f"{left} and {more}."


def shared_count(result: Result) -> int:
    return sum(1 for span in result.spans if not span.difference and span.confidence is None)


def title(result: Result) -> str:
    return "What changed from a to b"


def sides_line(result: Result) -> str:
    """``a: Wirewatch · b: Global Times`` (outlet or title), or "" when neither article names one."""
    names = {side: result.articles[side].meta.outlet or result.articles[side].meta.title for side in ("a", "b")}
    if not any(names.values()):
        return ""
    return " · ".join(f"{side}: {name or '(unnamed)'}" for side, name in names.items())


def verdict_line(result: Result) -> str:
    """``Verdict: a light edit (b keeps most of a and adds little).``; "" for results without one."""
    verdict = result.verdict
    if verdict is None:
        return ""
    article = "an" if verdict.label[0] in "aeiou" else "a"
    plural = verdict.label.endswith("stories")
    return f"Verdict: {'' if plural else article + ' '}{verdict.label} ({verdict.reason})."


def digest_text(result: Result, *, limit: int | None = TERMINAL_ITEMS) -> str:
    """The digest as plain text for a terminal: the verdict and an overview, then numbered items."""
    items = digest(result)
    head = title(result)
    lines = [head, "=" * len(head)] + ([sides_line(result)] if sides_line(result) else [])
    lines += ([verdict_line(result)] if verdict_line(result) else []) + [overview(result)]
    if not items and result.verdict is not None and result.verdict.label == "close translation":
        lines.append("A close translation: no confident difference found.")
    elif not items:
        lines.append("No differences found.")
    shown = items if limit is None else items[:limit]
    for n, item in enumerate(shown, 1):
        lines += ["", f"{n:>2}. {item.heading}: {item.line}."]
        for side, quote in zip("ab", item.quotes):
            lines.append(f"    {side} {quote.place}: “{quote.text}”" if quote else f"    {side}: (no counterpart)")
    if len(shown) < len(items):
        lines += ["", f"… and {len(items) - len(shown)} more: see the HTML or Markdown report (-f html, -f md)."]
    shared = shared_count(result)
    if shared:
        lines += ["", f"Not counted: {shared} span{'s' if shared != 1 else ''} of wording both articles carry."]
    possible = sum(result.summary.possible.values())
    if possible:
        lines += [f"Not counted: {possible} possible difference{'s' if possible != 1 else ''} below the confidence "
                  "threshold (see the HTML report)."]
    return "\n".join(lines) + "\n"


def render_digest(result: Result, **_options) -> str:
    return digest_text(result, limit=None)


register_exporter("digest", render=render_digest, extension="txt", media_type="text/plain; charset=utf-8",
                  description="What changed: a plain-text digest, most important first, with quotes from both sides.")
