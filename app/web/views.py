"""Views of a stored Result for the web UI: digest, summary, frame chart, alignment table, details,
the filters' legend and filtered copies.

Everything here only reads the Result (never recomputes), and every piece of
article text goes through ``html.escape`` before it touches markup. Counts are differences only;
wording both articles carry (``difference`` false) is counted and listed apart.
"""

from __future__ import annotations

from html import escape

from ..export.html_view import FRAMES_HELP
from ..export.common import (KIND_INFO, SHARED_INFO, all_kinds, frame_shift_items, frames_block, is_quiet, is_shared,
                             kind_counts, kind_label, loaded_terms, possible_total, shared_spans, shared_total)
from ..export.glosses import glossed
from ..export.html_view import FALLBACK_STYLE, KIND_STYLE, PATTERN_NAMES, digest_html
from ..text.language import language_name
from ..result import Result, SentenceStatus, SpanRecord
from .progress import step_label, step_names

KIND_ORDER = all_kinds()
ALIGNMENT_HEADERS = ["sentence a", "sentence b", "score", "class"]


def kinds_present(result: Result) -> list[str]:
    """Span kinds that mark a difference in the result, in the fixed order of SpanKind."""
    present = {span.kind.value for span in result.spans if span.difference}
    return [kind for kind in KIND_ORDER if kind in present]


def kind_choices(result: Result | None = None) -> list[tuple[str, str]]:
    """(label with the count of differences, kind) for the filter checkboxes: every kind, always in the
    same order, so each keeps its pattern swatch (:func:`filter_legend_css`)."""
    counts = kind_counts(result) if result is not None else {}
    return [(f"{kind_label(kind)} ({counts.get(kind, 0)})" if result is not None else kind_label(kind), kind)
            for kind in KIND_ORDER]


def with_kinds(result: Result, kinds: list[str] | None, *, shared: bool = True) -> Result:
    """A shallow copy of the result keeping only the differences of ``kinds`` (for the filter
    checkboxes) and, when ``shared``, the wording both articles carry (drawn muted)."""
    if kinds is None and shared:
        return result
    wanted = set(KIND_ORDER if kinds is None else kinds)
    # the muted switch shows or hides both quiet kinds: wording both carry and possible differences
    keep = [s for s in result.spans if (shared if is_quiet(s) else s.kind.value in wanted)]
    return result.model_copy(update={"spans": keep})


def filter_legend_css(selector: str = "#fd-kinds") -> str:
    """A style block giving each kind's checkbox in the filters the pattern the comparison draws it
    with: the legend and the filters are one control."""
    rules = [f"{selector} label {{ position: relative; }}"]
    for n, kind in enumerate(KIND_ORDER, 1):
        background, line, deco = KIND_STYLE.get(kind, FALLBACK_STYLE)
        if deco.startswith("box:"):
            pattern = f"outline: 1px {deco[4:]} {line}; outline-offset: -1px;"
        else:
            position, style = deco.split()
            pattern = f"text-decoration: {position} {style} {line} 2px; text-underline-offset: 2px;"
        rules.append(f'{selector} label:nth-of-type({n})::after {{ content: "Ab"; order: -1; display: inline-block; '
                     f"margin: 0 .1rem 0 .15rem; padding: 0 .25rem; border-radius: 3px; font-family: Georgia, serif; "
                     f"background: {background}; {pattern} }}")
    rules.append("#fd-shared-toggle label::after { content: \"Ab\"; order: -1; display: inline-block; margin: 0 .1rem 0 .15rem; "
                 "padding: 0 .25rem; border-radius: 3px; font-family: Georgia, serif; background: #f1f1ef; "
                 "text-decoration: underline dotted #a3a3a3 2px; }")
    return "<style>" + "\n".join(rules) + "</style>"


def legend_html() -> str:
    """The patterns in words (for readers who cannot tell the swatches apart), under the filters."""
    items = "".join(f"<li><b>{escape(kind_label(kind))}</b>: {escape(KIND_INFO.get(kind, ('', ''))[1])} "
                    f"<span class=\"fd-lang\">({escape(PATTERN_NAMES.get(KIND_STYLE.get(kind, FALLBACK_STYLE)[2], ''))})</span></li>"
                    for kind in KIND_ORDER)
    items += (f"<li><b>{escape(SHARED_INFO[0])}</b>: {escape(SHARED_INFO[1])} "
              "<span class=\"fd-lang\">(grey, dotted)</span></li>")
    return f'<ul class="fd-legend-list">{items}</ul>'


def without_translations(result: Result) -> Result:
    """A copy with the sentence translations left out (the translation toggle is off)."""
    if not has_translations(result):
        return result
    articles = {side: article.model_copy(update={"sentences": [
        sent.model_copy(update={"translation": None, "translation_model": None}) for sent in article.sentences]})
        for side, article in result.articles.items()}
    return result.model_copy(update={"articles": articles})


def has_translations(result: Result) -> bool:
    return any(sent.translation for article in result.articles.values() for sent in article.sentences)


def sentence_text(result: Result, side: str, index: int) -> str:
    article = result.articles[side]
    sent = article.sentences[index]
    return article.text[sent.start:sent.end]


# -- alignment table ------------------------------------------------------------------------

def alignment_rows(result: Result, *, translations: bool = False) -> list[list]:
    """One row per link, omitted a-sentence and added b-sentence, in reading order of side a.

    An added b-sentence is placed right after the row that holds the b-sentence before it.
    """
    links = result.alignment.links
    keyed: list[tuple[float, int, list]] = []
    b_key: dict[int, float] = {}
    for link in links:
        key = float(min(link.a))
        keyed.append((key, 0, _row(result, link.a, link.b, round(link.score, 3), link.status.value, translations)))
        for j in link.b:
            b_key[j] = key
    for i in result.alignment.unaligned_a:
        keyed.append((float(i), 0, _row(result, [i], [], None, SentenceStatus.OMITTED.value, translations)))
    previous = -1.0
    for j in range(len(result.articles["b"].sentences)):
        if j in b_key:
            previous = b_key[j]
        elif j in result.alignment.unaligned_b:
            keyed.append((previous + 0.5, j, _row(result, [], [j], None, SentenceStatus.ADDED.value, translations)))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in keyed]


def alignment_headers(*, translations: bool = False) -> list[str]:
    if not translations:
        return list(ALIGNMENT_HEADERS)
    return ["sentence a", "translation of a", "sentence b", "translation of b", "score", "class"]


def _row(result: Result, a: list[int], b: list[int], score, status: str, translations: bool) -> list:
    text_a = " ".join(sentence_text(result, "a", i) for i in a)
    text_b = " ".join(sentence_text(result, "b", j) for j in b)
    score_cell = "" if score is None else score
    if not translations:
        return [text_a, text_b, score_cell, status]
    tr_a = " ".join(result.articles["a"].sentences[i].translation or "" for i in a).strip()
    tr_b = " ".join(result.articles["b"].sentences[j].translation or "" for j in b).strip()
    return [text_a, tr_a, text_b, tr_b, score_cell, status]


# -- summary panel --------------------------------------------------------------------------

def summary_html(result: Result) -> str:
    """Counts by kind, sentence statistics, loaded terms with glosses and the frame shift chart."""
    parts = [_counts_table(result), _sentence_table(result), _loaded_terms(result), frame_chart_svg(result)]
    return '<div class="fd-summary">' + "".join(p for p in parts if p) + "</div>"


def _counts_table(result: Result) -> str:
    counts = kind_counts(result)
    rows = "".join(
        f'<tr><td>{_swatch(kind)}<span class="fd-kind">{escape(kind_label(kind))}</span>'
        f'<span class="fd-help">{escape(KIND_INFO.get(kind, ("", ""))[1])}</span></td>'
        f'<td class="fd-count" data-kind="{escape(kind)}">{counts[kind]}</td></tr>'
        for kind in _ordered(dict(result.summary.counts)))
    if not rows:
        rows = '<tr><td colspan="2">No differences found.</td></tr>'
    shared = shared_total(result)
    rows += (f'<tr class="fd-shared-row"><td><span class="fd-swatch fd-swatch-shared"></span>'
             f'<span class="fd-kind">{escape(SHARED_INFO[0])}</span><span class="fd-help">{escape(SHARED_INFO[1])}</span></td>'
             f'<td class="fd-count-shared">{shared}</td></tr>')
    possible = possible_total(result)
    rows += (f'<tr class="fd-shared-row"><td><span class="fd-swatch fd-swatch-shared"></span>'
             f'<span class="fd-kind">Possible differences</span><span class="fd-help">Below the confidence '
             f'threshold: drawn muted, not counted</span></td><td class="fd-count-possible">{possible}</td></tr>')
    return f'<h4>Differences by kind</h4><table class="fd-table fd-counts">{rows}</table>'


def _swatch(kind: str) -> str:
    """The renderer's colours for the kind, so the summary reads like the comparison's marks."""
    background, line, _ = KIND_STYLE.get(kind, FALLBACK_STYLE)
    return f'<span class="fd-swatch" style="background:{background};border-color:{line}"></span>'


def _ordered(counts: dict[str, int]) -> list[str]:
    known = [kind for kind in KIND_ORDER if kind in counts]
    return known + sorted(set(counts) - set(known))


def _sentence_table(result: Result) -> str:
    s = result.summary
    items = []
    for side, counts, gap, share in (("a", s.sentences_a, "omitted", s.share_a_omitted),
                                     ("b", s.sentences_b, "added", s.share_b_added)):
        article = result.articles[side]
        outlet = article.meta.outlet or ("the source" if side == "a" else "the rewrite")
        parts = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("kept", "reworded", gap))
        items.append(f'<li><span class="fd-side">{side}</span> <b>{len(article.sentences)}</b> sentences '
                     f'<span class="fd-lang">{escape(article.language)} · {escape(outlet)}</span><br>'
                     f'{parts} <span class="fd-lang">({share:.0%} of the text {gap})</span></li>')
    return f'<h4>Sentences</h4><ul class="fd-sentences">{"".join(items)}</ul>'


def _loaded_terms(result: Result) -> str:
    lexicon, extension = loaded_terms(result, extension=False), loaded_terms(result, extension=True)
    html = f'<h4>Loaded terms</h4><ul class="fd-terms">{"".join(map(_term_item, lexicon))}</ul>' if lexicon else ""
    if extension:
        html += ('<h4>Possibly loaded <span class="fd-lang">(not in the lexicon; scored lower)</span></h4>'
                 f'<ul class="fd-terms fd-extension">{"".join(map(_term_item, extension))}</ul>')
    shared = shared_spans(result)
    if shared:
        items = "".join(f'<li data-side="{s.side}"><span class="fd-side">{s.side}</span> '
                        f'<span class="fd-term fd-term-shared">{escape(_short(s.text))}</span> '
                        f'<span class="fd-label">{escape(s.reason or "")}</span></li>' for s in shared)
        html += (f'<h4>{escape(SHARED_INFO[0])} <span class="fd-lang">(not differences)</span></h4>'
                 f'<ul class="fd-terms fd-shared-list">{items}</ul>')
    return html


def _short(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _term_item(span: SpanRecord) -> str:
    label = f' <span class="fd-label">{escape(span.label)}</span>' if span.label else ""
    gloss = f' <span class="fd-gloss">“{escape(span.gloss)}”</span>' if span.gloss else ""
    return (f'<li data-side="{span.side}"><span class="fd-side">{span.side}</span> '
            f'<mark class="fd-term">{escape(span.text)}</mark>{gloss}{label}</li>')


# -- frame shift chart ----------------------------------------------------------------------

def frame_shares(result: Result) -> list[tuple[str, float, float]]:
    """(frame, share in a, share in b), largest first, from the optional frames block; [] without one.

    Frames absent from both sides are left out.
    """
    frames = frames_block(result)
    if frames is None:
        return []
    rows = [(name, a or 0.0, b or 0.0) for name, a, b, _ in frame_shift_items(frames)]
    return sorted((row for row in rows if row[1] or row[2]), key=lambda row: -max(row[1], row[2]))


def frame_chart_svg(result: Result, *, width: int = 300, bar: int = 8) -> str:
    """Per frame, its name above two bars (a grey, b blue) with the shares; inline SVG, no script.

    Empty when the result has no frames block.
    """
    shares = frame_shares(result)
    if not shares:
        return ""
    plot_w, row_h = width - 90, 14 + 2 * bar + 10
    top = max(max(a, b) for _, a, b in shares) or 1.0
    rows = []
    for i, (name, a, b) in enumerate(shares):
        y = 22 + i * row_h
        rows.append(
            f'<text x="0" y="{y + 10}" class="fd-svg-label">{escape(name.replace("_", " "))}</text>'
            f'<rect class="fd-bar-a" x="0" y="{y + 14}" width="{max(plot_w * a / top, 1):.1f}" height="{bar}"/>'
            f'<text x="{plot_w * a / top + 4:.1f}" y="{y + 14 + bar - 1}" class="fd-svg-value">a {a:.0%}</text>'
            f'<rect class="fd-bar-b" x="0" y="{y + 15 + bar}" width="{max(plot_w * b / top, 1):.1f}" height="{bar}"/>'
            f'<text x="{plot_w * b / top + 4:.1f}" y="{y + 15 + 2 * bar - 1}" class="fd-svg-value">b {b:.0%}</text>')
    height = 26 + len(shares) * row_h
    legend = ('<rect class="fd-bar-a" x="0" y="4" width="10" height="8"/>'
              '<text x="14" y="12" class="fd-svg-value">a (source)</text>'
              '<rect class="fd-bar-b" x="84" y="4" width="10" height="8"/>'
              '<text x="98" y="12" class="fd-svg-value">b (rewrite)</text>')
    return (f'<h4>Frame shift</h4><p class="fd-help">{escape(FRAMES_HELP)}</p><svg class="fd-frames" role="img" aria-label="Share of sentences per frame, a and b" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{legend}{"".join(rows)}</svg>')


# -- digest, reading aid, details -------------------------------------------------------------

def digest_panel(result: Result) -> str:
    """"What changed", linking into the comparison drawn with the ``fdweb`` prefix (app/web/render.py)."""
    return f'<div class="fd-root fd-digest-root">{digest_html(result, id_prefix="fdweb")}</div>'


def glossed_sides(result: Result) -> list[str]:
    return [side for side in ("a", "b") if glossed(result.articles[side].language)]


def reading_note(result: Result, *, translations: bool, gloss_lines: bool) -> str:
    """One line saying how the reader sees the other language: machine translations or word glosses."""
    sides = glossed_sides(result)
    translated = [side for side in ("a", "b")
                  if any(s.translation for s in result.articles[side].sentences)]
    if translations and translated:
        models = sorted({s.translation_model or "a model" for side in translated
                         for s in result.articles[side].sentences if s.translation})
        return (f"You see **machine translations** of side {' and '.join(translated)} "
                f"(by {', '.join(models)}) under each sentence.")
    if not sides:
        return ""
    names = " and ".join(f"{side} ({language_name(result.articles[side].language)})" for side in sides)
    line = "shown under each sentence" if gloss_lines else "switch on *Word glosses* to see them under each sentence"
    note = (f"You see **dictionary glosses, not a translation**, for side {names}: hover a word for its "
            f"CC-CEDICT gloss; {line}.")
    if not translated:
        note += " No translation model is installed on this server."
    return note


def details_html(result: Result) -> str:
    """The technical details a reader rarely needs: model, settings hash, signature, step times."""
    timings = result.timings or {}
    steps = [f"{step_label(name)} {timings[name]:.2f} s" for name in step_names() if name in timings]
    rows = [("Embedding model", f"<code>{escape(str(result.settings.get('model')))}</code>"),
            ("FrameDiff", f"{escape(result.framediff_version)} · schema <code>{escape(result.schema_version)}</code>"),
            ("Config hash", f"<code>{escape(result.config_hash)}</code> (compare numbers only between equal hashes)"),
            ("Signature", f"<code>{escape(result.signature)}</code>")]
    if "total" in timings:
        rows.append(("Time", escape(f"{timings['total']:.2f} s in all · " + " · ".join(steps))))
    for side in ("a", "b"):
        meta = result.articles[side].meta
        source = meta.url or meta.source
        if source:
            rows.append((f"Source of {side}", f"<code>{escape(source)}</code>"))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="fd-table fd-details">{body}</table>'
