"""A readable Markdown report: what changed (the digest), summary, loaded terms, wording both
articles carry, then every aligned group.

Added text (side b) is **bold**, omitted text (side a) is ~~struck through~~; other kinds are
listed under their group with their reason. Wording both articles carry (``difference`` false) is
listed apart and never counted. Each sentence has an anchor (``#s-b6``) the digest links to.
Article text is escaped so it never becomes Markdown or HTML (``<script>`` shows as text in any
renderer).
"""

from __future__ import annotations

import re

from ..result import FramesRecord, Result, SpanRecord
from .common import (SHARED_INFO, SIDE_NAMES, all_kinds, frame_shift_items, frames_block, is_possible, is_shared,
                     kind_counts,
                     kind_label, kind_value, loaded_terms, pair_id, shared_spans, shared_total, spans_by_sentence)
from .digest import digest, overview, sides_line, title as digest_title
from .html_view import row_plan
from .registry import register_exporter

INLINE_MARKERS = {"added": "**", "omitted": "~~"}
_SPECIAL = re.compile(r"([\\`*_~\[\]|#])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax and HTML; newlines become spaces (a sentence stays on one line)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def _wrap(text: str, marker: str) -> str:
    core = text.strip()
    if not core:
        return md_escape(text)
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{md_escape(lead)}{marker}{md_escape(core)}{marker}{md_escape(trail)}"


def marked_sentence(result: Result, side: str, index: int, spans: list[tuple[int, SpanRecord]]) -> str:
    """The sentence with added/omitted spans (from ``spans``, those overlapping it) wrapped in markers."""
    article = result.articles[side]
    sent = article.sentences[index]
    ranges = sorted((max(s.start, sent.start), min(s.end, sent.end), INLINE_MARKERS[kind_value(s.kind)])
                    for _, s in spans if kind_value(s.kind) in INLINE_MARKERS and s.difference)
    out, pos = [], sent.start
    for start, end, marker in ranges:
        if start < pos:            # overlaps the previous marked range: extend it instead
            start = pos
        if end <= start:
            continue
        out.append(md_escape(article.text[pos:start]))
        out.append(_wrap(article.text[start:end], marker))
        pos = end
    out.append(md_escape(article.text[pos:sent.end]))
    return "".join(out)


def _meta_line(result: Result, side: str) -> str:
    article = result.articles[side]
    meta = article.meta
    facts = [meta.outlet, meta.date, article.language + (f"-{article.script}" if article.script else ""),
             meta.url, meta.source]
    title = md_escape(meta.title) if meta.title else "(untitled)"
    return f"- **{SIDE_NAMES[side]}**: {title} — " + " · ".join(md_escape(f) for f in facts if f)


def _summary(result: Result) -> list[str]:
    s = result.summary
    counts = kind_counts(result)
    lines = ["## Summary", "",
             "| | A | B |", "|---|---|---|",
             f"| sentences | {len(result.articles['a'].sentences)} | {len(result.articles['b'].sentences)} |"]
    for status in ("kept", "reworded", "omitted", "added"):
        lines.append(f"| {status} | {s.sentences_a.get(status, 0)} | {s.sentences_b.get(status, 0)} |")
    lines += [f"| share of characters left out / added | {s.share_a_omitted:.1%} omitted | {s.share_b_added:.1%} added |",
              "", "Differences by kind: " + " · ".join(f"{kind_label(k)} {counts[k]}" for k in all_kinds())
              + f" · {SHARED_INFO[0]} {shared_total(result)} (not counted)", ""]
    frames = frames_block(result)
    if frames:
        lines += _frames(frames)
    return lines


def _frames(frames: FramesRecord) -> list[str]:
    fmt = lambda v: f"{v:+.2f}" if v < 0 else f"{v:.2f}"  # noqa: E731
    from .html_view import FRAMES_HELP

    lines = ["### Frame shift (A → B)", "", FRAMES_HELP, "", f"Overall shift: {frames.total_variation:.3f}", "",
             "| frame | A | B | shift |", "|---|---|---|---|"]
    lines += [f"| {md_escape(f)} | {fmt(a)} | {fmt(b)} | {d:+.2f} |" for f, a, b, d in frame_shift_items(frames)]
    return lines + [""]


def _loaded(result: Result) -> list[str]:
    lexicon, extension = loaded_terms(result, extension=False), loaded_terms(result, extension=True)
    lines = ["## Loaded terms", ""]
    if not lexicon and not extension:
        return lines + ["No loaded-term spans in this result.", ""]
    lines += [_term_line(span) for span in lexicon] or ["No lexicon terms in this result."]
    if extension:
        lines += ["", "Possibly loaded (not in the lexicon; caught by word valence or by closeness to "
                      "lexicon terms, scored lower):", ""]
        lines += [_term_line(span) for span in extension]
    return lines + [""]


def _term_line(span) -> str:
    gloss = f" — “{md_escape(span.gloss)}”" if span.gloss else " — (no gloss)"
    label = f" ({md_escape(span.label)})" if span.label else ""
    return f"- **{md_escape(span.text)}** [{span.side.upper()}{span.sentence + 1}]{gloss}{label}"


def _notes(a_ids: list[int], b_ids: list[int], buckets) -> list[str]:
    """Spans held by the group's sentences, other than added/omitted (already marked inline), each
    with its reason; wording both sides carry is marked as such."""
    notes = []
    held = sorted({index: span for side, ids in (("a", a_ids), ("b", b_ids)) for i in ids
                   for index, span in buckets.get((side, i), []) if span.sentence == i}.items())
    for _, span in held:
        if kind_value(span.kind) in INLINE_MARKERS and span.difference:
            continue
        extra = "".join([f" — “{md_escape(span.gloss)}”" if span.gloss and span.gloss not in (span.reason or "") else "",
                         f" ({md_escape(span.label)})" if span.label else ""])
        quote = md_escape(span.text if len(span.text) <= 80 else span.text[:77] + "…")
        shared = (f" · {SHARED_INFO[0].lower()}, not a difference" if is_shared(span) else
                  f" · possible difference (confidence {span.confidence:.0%}), not counted" if is_possible(span) else "")
        reason = f": {md_escape(span.reason)}" if span.reason else ""
        notes.append(f"- *{kind_label(span.kind)}*{shared} [{span.side.upper()}{span.sentence + 1}] "
                     f"“{quote}”{extra}{reason}")
    return notes


def _sentence_lines(result: Result, side: str, ids: list[int], buckets) -> list[str]:
    lines = []
    for i in ids:
        lines.append(f'<a id="{anchor(side, i)}"></a>**{side.upper()}{i + 1}** '
                     f"{marked_sentence(result, side, i, buckets.get((side, i), []))}  ")
        sent = result.articles[side].sentences[i]
        if sent.translation:
            lines.append(f"*Translation:* {md_escape(sent.translation)}  ")
    return lines


def _groups(result: Result) -> list[str]:
    lines = ["## Aligned groups", "", "Added text is **bold**, omitted text is ~~struck through~~.", ""]
    buckets = spans_by_sentence(result)
    for link_index, a_ids, b_ids in row_plan(result):
        if link_index is None:
            heading = "Only in A (omitted)" if a_ids else "Only in B (added)"
        else:
            link = result.alignment.links[link_index]
            heading = f"Group {link_index + 1} · {kind_value(link.status)} · similarity {link.score:.2f}"
        lines += [f"### {heading}", ""]
        lines += _sentence_lines(result, "a", a_ids, buckets) + _sentence_lines(result, "b", b_ids, buckets)
        notes = _notes(a_ids, b_ids, buckets)
        lines += [""] + (notes + [""] if notes else [])
    return lines


def anchor(side: str, index: int) -> str:
    """The anchor of a sentence in the report (``s-b6``): the digest links to it."""
    return f"s-{side}{index + 1}"


def _digest(result: Result) -> list[str]:
    sides = sides_line(result)
    lines = [f"## {digest_title(result)}", ""] + ([md_escape(sides), ""] if sides else []) + [
        md_escape(overview(result)), ""]
    items = digest(result)
    if not items:
        return lines + ["No differences found.", ""]
    for n, item in enumerate(items, 1):
        lines.append(f"{n}. **{md_escape(item.heading)}:** {md_escape(item.line)}.")
        for side, quote in zip("ab", item.quotes):
            if quote is None:
                lines.append(f"   - {side}: *no counterpart*")
            else:
                lines.append(f"   - {side} [{quote.place}](#{anchor(side, quote.sentences[0])}): “{md_escape(quote.text)}”")
    return lines + [""]


def _shared(result: Result) -> list[str]:
    lines = [f"## {SHARED_INFO[0]} (not differences)", ""]
    spans = shared_spans(result)
    if not spans:
        return lines + ["None in this result.", ""]
    for span in spans:
        quote = md_escape(span.text if len(span.text) <= 80 else span.text[:77] + "…")
        reason = f": {md_escape(span.reason)}" if span.reason else ""
        lines.append(f"- *{kind_label(span.kind)}* [{span.side.upper()}{span.sentence + 1}] “{quote}”{reason}")
    return lines + [""]


def render_markdown(result: Result, **_options) -> str:
    lines = [f"# FrameDiff report · pair {pair_id(result)}", "",
             _meta_line(result, "a"), _meta_line(result, "b"), ""]
    lines += _digest(result) + _summary(result) + _loaded(result) + _shared(result) + _groups(result)
    lines += ["---", f"FrameDiff {md_escape(result.framediff_version)} · config `{result.config_hash}`", ""]
    return "\n".join(lines)


register_exporter("md", render=render_markdown, extension="md", media_type="text/markdown; charset=utf-8",
                  description="Readable Markdown report: what changed, summary, loaded terms, aligned groups.")
