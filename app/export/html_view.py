"""The annotated comparison as HTML: one self-contained page, or a fragment to embed.

``render_comparison_html(result)`` returns a fragment (one ``<div class="fd-root">`` with its
own ``<style>``) that the web UI can drop into a ``gr.HTML`` component; ``comparison_css()``
and ``comparison_js()`` return the style and the optional script. ``render_html(result)`` wraps
them in a complete page with nothing fetched from the network.

Design notes (why it looks like this):
- Every piece of article text and metadata goes through :func:`esc`; nothing from the result
  ever becomes markup. URLs become links only for http(s).
- Highlights are ``<mark>`` fragments produced by :func:`~app.export.common.nest_spans`, each
  carrying its own ``data-start``/``data-end``; its text is exactly ``text[start:end]``.
- Everything works without JavaScript: per-kind toggles are hidden checkboxes at the top of the
  root, so ``.fd-toggle-KIND:not(:checked) ~ .fd-body .fd-k-KIND`` switches a kind off, and
  tooltips are CSS ``::after`` boxes fed by ``data-tip``. The script (delegated listeners on
  ``document``, safe to inject more than once) only replaces those with a positioned tooltip and
  marks the counterpart sentence.
- All classes start with ``fd-`` and all rules are scoped under ``.fd-root``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field

from ..result import Result, SpanRecord
from .common import (KIND_INFO, SIDE_NAMES, SHARED_INFO, Fragment, TextRun, all_kinds, frame_shift_items,
                     frames_block, is_quiet, is_shared, kind_counts, kind_label, kind_value, loaded_terms,
                     nest_spans, possible_total,
                     pair_id, shared_spans, shared_total, span_note, spans_by_sentence)
from .digest import DigestItem, digest, overview, sides_line, title as digest_title
from .glosses import gloss_line, glossed, sentence_words
from .registry import register_exporter

# background, line colour, text-decoration (or "box:<style>") per kind; the pattern alone
# tells kinds apart without colour, so the legend works in greyscale and for colour-blind readers
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "added": ("#dcefdc", "#1d6b2f", "underline solid"),
    "omitted": ("#f8dcda", "#a8261b", "underline double"),
    "reworded": ("#fbeec2", "#8a5a00", "underline dotted"),
    "loaded": ("#f6d3e6", "#9c1464", "underline wavy"),
    "framing": ("#e5dcf5", "#52339a", "underline dashed"),
    "attribution": ("#d5e6f7", "#1b5594", "overline solid"),
    "number": ("#d2efed", "#0a6e69", "box:solid"),
    "entity": ("#eee6d6", "#6d5222", "box:dashed"),
}
FALLBACK_STYLE = ("#e8e8e8", "#444444", "underline solid")
UNDERLINE_OFFSET = {"added": 3, "omitted": 3, "reworded": 3}   # sentence-level kinds sit closest
PATTERN_NAMES = {"underline solid": "solid underline", "underline double": "double underline",
                 "underline dotted": "dotted underline", "underline wavy": "wavy underline",
                 "underline dashed": "dashed underline", "overline solid": "line above",
                 "box:solid": "solid box", "box:dashed": "dashed box"}
GLOSS_LABEL = "Word glosses (CC-CEDICT; not a translation)"
GLOSS_HELP = ("Under each Chinese sentence, each word's dictionary sense (CC-CEDICT). Hover a word for its "
              "gloss. A reading aid, not a translation.")
STATUS_TEXT = {"kept": "kept", "reworded": "reworded", "omitted": "omitted — only in A",
               "added": "added — only in B"}


def esc(value) -> str:
    """Escape anything for HTML text or a double-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _safe_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", value) or "fd"


# --- CSS ------------------------------------------------------------------------------------

def _kind_css(kind: str) -> str:
    bg, line, deco = KIND_STYLE.get(kind, FALLBACK_STYLE)
    sel = f".fd-root .fd-k-{kind}"
    if deco.startswith("box:"):
        pattern = f"box-shadow: inset 0 0 0 1px {line}; outline: 1px {deco[4:]} {line}; outline-offset: -1px;"
    else:
        position, style = deco.split()
        offset = UNDERLINE_OFFSET.get(kind, 6)
        pattern = (f"text-decoration: {position} {style} {line} 2px; text-underline-offset: {offset}px; "
                   "text-decoration-skip-ink: none;")
    toggle = f".fd-root .fd-toggle-{kind}"
    return "\n".join([
        f"{sel} {{ background-color: {bg}; {pattern} --fd-line: {line}; }}",
        f".fd-root .fd-sw-{kind} {{ background-color: {bg}; {pattern} }}",
        f"{toggle}:not(:checked) ~ .fd-body .fd-k-{kind} {{ background: none; text-decoration: none; "
        "box-shadow: none; outline: none; }",
        f"{toggle}:not(:checked) ~ .fd-body .fd-k-{kind}::after {{ display: none; }}",
        f"{toggle}:not(:checked) ~ .fd-header .fd-chip-{kind} {{ opacity: .5; background: #fff; }}",
        f"{toggle}:not(:checked) ~ .fd-header .fd-chip-{kind} .fd-chip-state::before {{ content: 'hidden'; }}",
        f"{toggle}:focus-visible ~ .fd-header .fd-chip-{kind} {{ outline: 3px solid #1b5594; outline-offset: 2px; }}",
    ])


BASE_CSS = """
.fd-root { container: fd / inline-size; --fd-ink: #1a1a1a; --fd-muted: #5f6368; --fd-rule: #d9d6cf;
  --fd-paper: #ffffff; --fd-wash: #f6f4ef; --fd-accent: #9b1c1c;
  --fd-serif: "Source Serif 4", "Source Serif Pro", Georgia, "Noto Serif", "Liberation Serif", "DejaVu Serif", "Noto Serif CJK SC", "Songti SC", "SimSun", "WenQuanYi Zen Hei", serif;
  --fd-sans: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif;
  position: relative; background: var(--fd-paper); color: var(--fd-ink); font-family: var(--fd-sans);
  font-size: 15px; line-height: 1.5; text-align: left; max-width: 1280px; margin: 0 auto; padding: 0 0 1.5rem; }
.fd-root *, .fd-root *::before, .fd-root *::after { box-sizing: border-box; }
.fd-root .fd-toggle, .fd-root .fd-switch { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; opacity: 0; }
.fd-root .fd-header { border-bottom: 1px solid var(--fd-rule); padding: 1.25rem 1.5rem 1rem; }
.fd-root .fd-masthead { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1rem;
  border-bottom: 3px double var(--fd-ink); padding-bottom: .5rem; margin-bottom: 1rem; }
.fd-root .fd-brand { font-family: var(--fd-serif); font-size: 1.65rem; font-weight: 700; letter-spacing: -.01em; }
.fd-root .fd-brand .fd-em { color: var(--fd-accent); }
.fd-root .fd-kicker { font-size: .75rem; text-transform: uppercase; letter-spacing: .09em; color: var(--fd-muted); }
.fd-root .fd-masthead .fd-kicker:last-child { margin-left: auto; }
.fd-root .fd-metas { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem 2rem; }
.fd-root .fd-meta { margin: 0; border-left: 4px solid var(--fd-ink); padding: .1rem 0 .1rem .8rem; min-width: 0; }
.fd-root .fd-meta-b { border-left-color: var(--fd-accent); }
.fd-root .fd-meta h2 { font-family: var(--fd-serif); font-size: 1.2rem; line-height: 1.3; margin: .15rem 0 .3rem; overflow-wrap: anywhere; }
.fd-root .fd-meta .fd-side { font-size: .7rem; font-weight: 700; text-transform: uppercase; letter-spacing: .1em; color: var(--fd-muted); }
.fd-root .fd-meta dl { display: flex; flex-wrap: wrap; gap: .1rem 1rem; margin: 0; font-size: .8rem; color: var(--fd-muted); }
.fd-root .fd-meta dl div { display: flex; gap: .3rem; min-width: 0; }
.fd-root .fd-meta dt { font-weight: 600; }
.fd-root .fd-meta dd { margin: 0; overflow-wrap: anywhere; }
.fd-root .fd-meta a { color: #1b5594; }
.fd-root .fd-summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .6rem; margin: 1.1rem 0 .9rem; }
.fd-root .fd-stat { background: var(--fd-wash); border-top: 2px solid var(--fd-ink); padding: .45rem .7rem .5rem; }
.fd-root .fd-stat .fd-num { display: block; font-family: var(--fd-serif); font-size: 1.45rem; font-weight: 700; line-height: 1.2; }
.fd-root .fd-stat .fd-cap { display: block; font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: var(--fd-muted); }
.fd-root .fd-stat .fd-sub { display: block; font-size: .78rem; color: var(--fd-muted); }
.fd-root .fd-legend { border: 0; margin: 0; padding: 0; }
.fd-root .fd-legend legend { font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: var(--fd-muted); padding: 0; margin-bottom: .35rem; }
.fd-root .fd-chips { display: flex; flex-wrap: wrap; gap: .4rem; }
.fd-root .fd-chip { display: inline-flex; align-items: center; gap: .45rem; border: 1px solid var(--fd-rule); border-radius: 999px;
  padding: .2rem .65rem .2rem .35rem; font-size: .82rem; cursor: pointer; user-select: none; background: #fff; }
.fd-root .fd-chip:hover { border-color: var(--fd-ink); }
.fd-root .fd-chip .fd-sw { display: inline-block; min-width: 2.1rem; text-align: center; border-radius: 3px; font-family: var(--fd-serif); padding: 0 .25rem; }
.fd-root .fd-chip .fd-sw { text-underline-offset: 2px; }
.fd-root .fd-chip .fd-count { font-weight: 700; font-variant-numeric: tabular-nums; }
.fd-root .fd-chip .fd-chip-state { font-size: .7rem; color: var(--fd-muted); }
.fd-root .fd-chip-zero { color: var(--fd-muted); }
.fd-root .fd-extra { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem 2rem; margin-top: .9rem; font-size: .85rem; }
.fd-root .fd-extra h3 { font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: var(--fd-muted); margin: 0 0 .3rem; font-weight: 600; }
.fd-root .fd-terms { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem .9rem; }
.fd-root .fd-terms .fd-term { font-family: var(--fd-serif); font-weight: 600; }
.fd-root .fd-terms .fd-gloss { color: var(--fd-muted); }
.fd-root .fd-none { color: var(--fd-muted); font-style: italic; margin: 0; }
.fd-root table.fd-frames { border-collapse: collapse; font-size: .82rem; }
.fd-root table.fd-frames th, .fd-root table.fd-frames td { padding: .1rem .6rem .1rem 0; text-align: left; font-variant-numeric: tabular-nums; }
.fd-root table.fd-frames td.fd-up { color: #1d6b2f; } .fd-root table.fd-frames td.fd-down { color: #a8261b; }
.fd-root .fd-body { padding: 0 1.5rem; }
.fd-root .fd-colheads { position: sticky; top: 0; z-index: 2; display: grid; grid-template-columns: 1fr 1fr; gap: 0 2rem;
  background: var(--fd-paper); border-bottom: 1px solid var(--fd-ink); padding: .55rem 0 .35rem; font-size: .72rem;
  font-weight: 700; text-transform: uppercase; letter-spacing: .08em; }
.fd-root .fd-colheads span { color: var(--fd-muted); font-weight: 400; text-transform: none; letter-spacing: 0; }
.fd-root .fd-row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2rem; border-bottom: 1px solid var(--fd-rule); padding: .55rem 0 .8rem; break-inside: avoid; }
.fd-root .fd-rowhead { grid-column: 1 / -1; display: flex; gap: .6rem; align-items: center; font-size: .7rem; color: var(--fd-muted);
  text-transform: uppercase; letter-spacing: .06em; margin-bottom: .25rem; }
.fd-root .fd-badge { border-radius: 3px; padding: 0 .35rem; font-weight: 700; border: 1px solid currentColor; }
.fd-root .fd-badge-kept { color: var(--fd-muted); } .fd-root .fd-badge-reworded { color: #8a5a00; }
.fd-root .fd-badge-omitted { color: #a8261b; } .fd-root .fd-badge-added { color: #1d6b2f; }
.fd-root .fd-cell { min-width: 0; font-family: var(--fd-serif); font-size: 1.02rem; line-height: 1.7; }
.fd-root .fd-cell-empty { font-family: var(--fd-sans); font-size: .8rem; color: var(--fd-muted); font-style: italic;
  border: 1px dashed var(--fd-rule); border-radius: 4px; display: flex; align-items: center; justify-content: center; padding: .5rem; }
.fd-root .fd-sent { margin: 0 0 .35rem; overflow-wrap: anywhere; }
.fd-root .fd-sent:last-child { margin-bottom: 0; }
.fd-root .fd-sid { font-family: var(--fd-sans); font-size: .66rem; color: var(--fd-muted); margin-right: .35rem; vertical-align: .12em;
  font-variant-numeric: tabular-nums; }
.fd-root .fd-st-omitted, .fd-root .fd-st-added { border-left: 3px solid; padding-left: .55rem; }
.fd-root .fd-st-omitted { border-left-color: #a8261b; } .fd-root .fd-st-added { border-left-color: #1d6b2f; }
.fd-root .fd-tr { margin: .1rem 0 .45rem; font-family: var(--fd-sans); font-size: .84rem; line-height: 1.45; color: #3c4043;
  border-left: 2px solid var(--fd-rule); padding-left: .55rem; }
.fd-root .fd-tr-label { font-size: .65rem; text-transform: uppercase; letter-spacing: .06em; color: var(--fd-muted); margin-right: .3rem; }
.fd-root mark.fd-span { color: inherit; border-radius: 2px; position: relative; cursor: help; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.fd-root mark.fd-span:focus-visible { outline: 3px solid #1b5594; outline-offset: 1px; }
.fd-root .fd-peer { background: #fff7d6; box-shadow: 0 0 0 2px #f0c419; border-radius: 2px; }
.fd-root mark.fd-span::after { content: attr(data-tip); display: none; position: absolute; left: 0; top: calc(100% + 6px); z-index: 5;
  width: max-content; max-width: min(26rem, 80vw); white-space: pre-line; background: #1f1f1f; color: #fff; font: 400 .78rem/1.45 var(--fd-sans);
  padding: .45rem .6rem; border-radius: 4px; box-shadow: 0 4px 14px rgba(0,0,0,.25); text-decoration: none; pointer-events: none; }
.fd-root mark.fd-span:hover:not(:has(mark.fd-span:hover))::after, .fd-root mark.fd-span:focus::after { display: block; }
html.fd-js .fd-root mark.fd-span::after { display: none !important; }
.fd-root .fd-tooltip { position: absolute; z-index: 10; max-width: min(28rem, calc(100% - 1rem)); background: #1f1f1f; color: #fff;
  font: 400 .8rem/1.45 var(--fd-sans); padding: .5rem .7rem; border-radius: 4px; box-shadow: 0 6px 18px rgba(0,0,0,.28); pointer-events: none; }
.fd-root .fd-tooltip[hidden] { display: none; }
.fd-root .fd-tooltip .fd-tip-line { display: block; }
.fd-root .fd-tooltip b { font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: #f3c6c6; }
.fd-root .fd-tooltip .fd-tip-cp { display: block; margin-top: .3rem; padding-top: .3rem; border-top: 1px solid #444; color: #ddd; }
.fd-root .fd-footer { padding: 1rem 1.5rem 0; font-size: .72rem; color: var(--fd-muted); overflow-wrap: anywhere; }
.fd-root .fd-footer code { font-size: .7rem; }
.fd-root .fd-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.fd-root .fd-cell::before { display: none; content: attr(data-side-label); font: 700 .66rem/1.2 var(--fd-sans);
  text-transform: uppercase; letter-spacing: .08em; color: var(--fd-muted); margin: .35rem 0 .15rem; }
.fd-root .fd-cell-empty::before { display: none !important; }
.fd-root mark.fd-span.fd-shared { background-color: #f1f1ef; text-decoration-color: #a3a3a3; outline-color: #b5b5b5;
  box-shadow: none; color: inherit; }
.fd-root .fd-toggle-shared:not(:checked) ~ .fd-body mark.fd-shared { background: none; text-decoration: none; outline: none; }
.fd-root .fd-toggle-shared:not(:checked) ~ .fd-body mark.fd-shared::after { display: none; }
.fd-root .fd-toggle-shared:not(:checked) ~ .fd-header .fd-chip-shared { opacity: .5; background: #fff; }
.fd-root .fd-toggle-shared:not(:checked) ~ .fd-header .fd-chip-shared .fd-chip-state::before { content: 'hidden'; }
.fd-root .fd-toggle-shared:focus-visible ~ .fd-header .fd-chip-shared,
.fd-root .fd-toggle-gl:focus-visible ~ .fd-header .fd-chip-gl { outline: 3px solid #1b5594; outline-offset: 2px; }
.fd-root .fd-sw-shared { background-color: #f1f1ef; text-decoration: underline dotted #a3a3a3 2px; }
.fd-root .fd-chip-shared, .fd-root .fd-chip-gl { border-style: dashed; }
.fd-root .fd-toggle-gl:checked ~ .fd-header .fd-chip-gl { background: var(--fd-wash); border-color: var(--fd-ink); }
.fd-root .fd-toggle-gl:not(:checked) ~ .fd-header .fd-chip-gl .fd-chip-state::before { content: 'off'; }
.fd-root .fd-toggle-gl:checked ~ .fd-header .fd-chip-gl .fd-chip-state::before { content: 'on'; }
.fd-root .fd-gl { display: none; margin: .1rem 0 .45rem; font-family: var(--fd-sans); font-size: .84rem; line-height: 1.45;
  color: #3c4043; border-left: 2px dotted var(--fd-rule); padding-left: .55rem; }
.fd-root .fd-toggle-gl:checked ~ .fd-body .fd-gl { display: block; }
.fd-root .fd-w[data-gl] { cursor: help; }
.fd-root .fd-w[data-gl]:hover { background: #fff7d6; border-radius: 2px; }
.fd-root .fd-digest { margin: 1rem 0 .4rem; border: 1px solid var(--fd-rule); border-top: 3px solid var(--fd-accent);
  background: #fffdf8; padding: .7rem 1rem .8rem; }
.fd-root .fd-digest h2 { font-family: var(--fd-serif); font-size: 1.25rem; margin: 0 0 .2rem; }
.fd-root .fd-digest .fd-overview { margin: 0 0 .5rem; color: #3c4043; }
.fd-root .fd-digest .fd-dg-sides { margin: 0 0 .15rem; font-size: .8rem; color: var(--fd-muted); }
.fd-root .fd-digest ol { margin: 0; padding-left: 1.6rem; }
.fd-root .fd-digest li { margin: 0 0 .55rem; }
.fd-root .fd-digest .fd-dg-head { font-weight: 700; }
.fd-root .fd-digest .fd-dg-line { overflow-wrap: anywhere; }
.fd-root .fd-digest .fd-dg-quote { display: block; font-family: var(--fd-serif); color: #3c4043; font-size: .92rem;
  overflow-wrap: anywhere; }
.fd-root .fd-digest .fd-dg-quote a { font-family: var(--fd-sans); font-size: .72rem; color: #1b5594; text-decoration: none;
  border: 1px solid #c9d7ea; border-radius: 3px; padding: 0 .25rem; margin-right: .3rem; }
.fd-root .fd-digest .fd-dg-quote a:hover { background: #eef4fb; }
.fd-root .fd-digest .fd-dg-side { font-family: var(--fd-sans); font-size: .72rem; font-weight: 700; color: var(--fd-muted);
  margin-right: .3rem; text-transform: uppercase; }
.fd-root .fd-digest details summary { cursor: pointer; color: #1b5594; margin: .2rem 0 .4rem; }
.fd-root .fd-digest .fd-dg-none { color: var(--fd-muted); font-style: italic; }
.fd-root .fd-sent { scroll-margin-top: 3.2rem; }
.fd-root .fd-sent:target { background: #fff7d6; box-shadow: 0 0 0 3px #f0c419; border-radius: 2px; }
.fd-root .fd-shared-list li { display: block; }
.fd-root .fd-shared-list .fd-reason { color: var(--fd-muted); }
@container fd (max-width: 46rem) {
  .fd-root .fd-metas, .fd-root .fd-extra { grid-template-columns: 1fr; }
  .fd-root .fd-header, .fd-root .fd-body { padding-left: .9rem; padding-right: .9rem; }
  .fd-root .fd-colheads { display: none; }
  .fd-root .fd-row { grid-template-columns: 1fr; }
  .fd-root .fd-cell::before { display: block; }
  .fd-root .fd-brand { font-size: 1.35rem; }
  .fd-root .fd-stat .fd-num { font-size: 1.2rem; }
  .fd-root .fd-stat { padding: .35rem .55rem .4rem; }
  .fd-root .fd-meta h2 { font-size: 1.05rem; }
}
@media (max-width: 40rem) {
  .fd-root .fd-metas, .fd-root .fd-extra, .fd-root .fd-row { grid-template-columns: 1fr; }
  .fd-root .fd-colheads { display: none; }
  .fd-root .fd-cell::before { display: block; }
}
@media print {
  .fd-root { max-width: none; font-size: 9.5pt; padding: 0; }
  .fd-root, .fd-root * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .fd-root .fd-header, .fd-root .fd-body, .fd-root .fd-footer { padding-left: 0; padding-right: 0; }
  .fd-root .fd-colheads { position: static; }
  .fd-root .fd-row { break-inside: avoid; page-break-inside: avoid; }
  .fd-root .fd-chip { cursor: default; }
  .fd-root .fd-chip .fd-chip-state, .fd-root .fd-tooltip, .fd-root mark.fd-span::after, .fd-root .fd-hint { display: none !important; }
  .fd-root .fd-meta a[href]::after { content: " (" attr(href) ")"; }
  .fd-root .fd-cell { font-size: 10pt; line-height: 1.5; }
}
"""


def comparison_css() -> str:
    """The stylesheet of the comparison, scoped under ``.fd-root`` (safe inside another page)."""
    return BASE_CSS + "\n".join(_kind_css(kind) for kind in all_kinds()) + "\n"


# --- JS (optional enhancement) ------------------------------------------------------------------

COMPARISON_JS = r"""
(function () {
  if (window.__framediffTips) return;          // safe to inject more than once
  window.__framediffTips = true;
  var doc = document;
  doc.documentElement.classList.add('fd-js');
  var current = null;

  function tipOf(root) {
    var tip = root.querySelector(':scope > .fd-tooltip');
    if (!tip) {
      tip = doc.createElement('div');
      tip.className = 'fd-tooltip';
      tip.setAttribute('role', 'tooltip');
      tip.hidden = true;
      root.appendChild(tip);
    }
    return tip;
  }
  function kindShown(root, kind) {
    var boxes = root.querySelectorAll('.fd-toggle');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].getAttribute('data-kind') === kind) return boxes[i].checked;
    }
    return true;
  }
  function wordOf(target) {
    return target && target.closest ? target.closest('.fd-root .fd-w[data-gl]') : null;
  }
  function line(tip, text, cls) {
    var el = doc.createElement(cls === 'head' ? 'b' : 'span');
    el.className = cls === 'head' ? 'fd-tip-line' : 'fd-tip-line ' + (cls || '');
    el.textContent = text;
    tip.appendChild(el);
  }
  function clearPeers(root) {
    var peers = root.querySelectorAll('.fd-peer');
    for (var i = 0; i < peers.length; i++) peers[i].classList.remove('fd-peer');
  }
  function hide() {
    if (!current) return;
    var root = current.closest('.fd-root');
    if (root) { tipOf(root).hidden = true; clearPeers(root); }
    current = null;
  }
  function showWord(word) {
    var root = word.closest('.fd-root');
    if (!root || word === current) return;
    hide();
    current = word;
    var tip = tipOf(root);
    tip.textContent = '';
    line(tip, word.textContent, 'head');
    line(tip, word.dataset.gl);
    place(root, tip, word);
  }
  function place(root, tip, el) {
    tip.hidden = false;
    var r = el.getClientRects()[0] || el.getBoundingClientRect();
    var base = root.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left - base.left, base.width - tip.offsetWidth - 8));
    tip.style.left = left + 'px';
    tip.style.top = (r.bottom - base.top + 6) + 'px';
  }
  function show(mark, word) {
    var root = mark.closest('.fd-root');
    var key = word || mark;
    if (!root || key === current) return;
    hide();
    if (!kindShown(root, mark.getAttribute('data-kind'))) { if (word) showWord(word); return; }
    current = key;
    var d = mark.dataset, tip = tipOf(root);
    tip.textContent = '';
    line(tip, d.kindLabel + (d.label ? ' · ' + d.label.replace(/_/g, ' ') : ''), 'head');
    if (d.shared) line(tip, 'Wording both carry: not a difference', 'fd-tip-shared');
    if (d.reason) line(tip, d.reason);
    if (d.gloss && (!d.reason || d.reason.indexOf(d.gloss) < 0)) line(tip, 'gloss: ' + d.gloss);
    if (word && word.dataset.gl) line(tip, word.textContent + ': ' + word.dataset.gl, 'fd-tip-word');
    line(tip, d.cpText ? 'Counterpart in ' + d.cpSide.toUpperCase() + ': ' + d.cpText : 'No counterpart', 'fd-tip-cp');
    place(root, tip, mark);
    if (d.cpSide) {
      var start = +d.cpStart, end = +d.cpEnd;
      var texts = root.querySelectorAll('.fd-text[data-side="' + d.cpSide + '"]');
      for (var i = 0; i < texts.length; i++) {
        if (+texts[i].dataset.start < end && +texts[i].dataset.end > start) texts[i].classList.add('fd-peer');
      }
    }
  }
  function markOf(target) {
    return target && target.closest ? target.closest('.fd-root mark.fd-span') : null;
  }
  doc.addEventListener('mouseover', function (e) {
    var m = markOf(e.target), w = wordOf(e.target);
    if (m) { var inner = e.target.closest('mark.fd-span'); show(inner || m, w); }
    else if (w) showWord(w);
    else if (current && current !== doc.activeElement) hide();
  });
  doc.addEventListener('focusin', function (e) { var m = markOf(e.target); if (m) show(m); });
  doc.addEventListener('focusout', function (e) { if (markOf(e.target) === current) hide(); });
  doc.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
  doc.addEventListener('change', function (e) {
    if (e.target && e.target.classList && e.target.classList.contains('fd-toggle')) hide();
  });
})();
"""


def comparison_js() -> str:
    """Optional script: positioned tooltips (span reasons, word glosses) and counterpart marking.
    Idempotent when injected twice."""
    return COMPARISON_JS


# --- header -------------------------------------------------------------------------------------

def _meta_card(result: Result, side: str) -> str:
    article = result.articles[side]
    meta = article.meta
    source_name = re.split(r"[\\/]", meta.source)[-1] if meta.source else None
    title = meta.title or meta.outlet or source_name or f"Article {side.upper()}"
    facts = [("Outlet", meta.outlet), ("Date", meta.date), ("Language", article.language + (
        f"-{article.script}" if article.script else "")), ("Format", article.format)]
    if meta.url:
        url = meta.url.strip()
        link = (f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'
                if re.match(r"(?i)^https?://", url) else esc(url))
        facts.append(("URL", link))
    facts.append(("File", meta.source))
    items = "".join(f"<div><dt>{esc(k)}</dt><dd>{v if k == 'URL' else esc(v)}</dd></div>"
                    for k, v in facts if v)
    return (f'<section class="fd-meta fd-meta-{side}" aria-label="Article {side.upper()}">'
            f'<span class="fd-side">{esc(SIDE_NAMES[side])}</span>'
            f'<h2 lang="{esc(article.language)}">{esc(title)}</h2><dl>{items}</dl></section>')


def _stat(number: str, caption: str, sub: str = "") -> str:
    sub_html = f'<span class="fd-sub">{esc(sub)}</span>' if sub else ""
    return (f'<div class="fd-stat"><span class="fd-num">{esc(number)}</span>'
            f'<span class="fd-cap">{esc(caption)}</span>{sub_html}</div>')


def _sentence_breakdown(counts: dict[str, int]) -> str:
    return " · ".join(f"{n} {status}" for status, n in counts.items() if n)


def _summary(result: Result) -> str:
    summary = result.summary
    n_a, n_b = len(result.articles["a"].sentences), len(result.articles["b"].sentences)
    return "".join([
        '<div class="fd-summary" role="group" aria-label="Summary">',
        _stat(str(n_a), "Sentences in A", _sentence_breakdown(summary.sentences_a)),
        _stat(str(n_b), "Sentences in B", _sentence_breakdown(summary.sentences_b)),
        _stat(f"{summary.share_a_omitted:.0%}", "of A left out of B", "share of characters"),
        _stat(f"{summary.share_b_added:.0%}", "of B not in A", "share of characters"),
        _stat(str(len(result.alignment.links)), "Aligned groups",
              f"{len(result.alignment.unaligned_a)} A-only · {len(result.alignment.unaligned_b)} B-only sentences"),
        "</div>",
    ])


def _legend(result: Result, pid: str, *, glosses: bool = False) -> str:
    counts = kind_counts(result)
    chips = []
    for kind in all_kinds():
        _, _, deco = KIND_STYLE.get(kind, FALLBACK_STYLE)
        n = counts.get(kind, 0)
        desc = KIND_INFO.get(kind, ("", ""))[1]
        chips.append(
            f'<label for="{pid}-t-{kind}" class="fd-chip fd-chip-{kind}{" fd-chip-zero" if not n else ""}" '
            f'title="{esc(desc)} ({esc(PATTERN_NAMES.get(deco, deco))})">'
            f'<span class="fd-sw fd-sw-{kind}" aria-hidden="true">Ab</span>'
            f'<span>{esc(kind_label(kind))}</span> <span class="fd-count">{n}</span>'
            f'<span class="fd-sr">{esc(PATTERN_NAMES.get(deco, deco))}</span>'
            f'<span class="fd-chip-state" aria-hidden="true"></span></label>')
    shared = shared_total(result)
    chips.append(
        f'<label for="{pid}-t-shared" class="fd-chip fd-chip-shared{" fd-chip-zero" if not shared else ""}" '
        f'title="{esc(SHARED_INFO[1])}"><span class="fd-sw fd-sw-shared" aria-hidden="true">Ab</span>'
        f'<span>{esc(SHARED_INFO[0])}</span> <span class="fd-count fd-count-shared">{shared}</span>'
        f'<span class="fd-sr">muted, not counted</span><span class="fd-chip-state" aria-hidden="true"></span></label>')
    if glosses:
        chips.append(f'<label for="{pid}-t-gl" class="fd-chip fd-chip-gl" title="{esc(GLOSS_HELP)}">'
                     f'<span>Word glosses under Chinese sentences</span>'
                     f'<span class="fd-chip-state" aria-hidden="true"></span></label>')
    return ('<fieldset class="fd-legend"><legend>Differences by kind '
            '<span class="fd-hint">· select a kind to show or hide it</span></legend>'
            f'<div class="fd-chips">{"".join(chips)}</div></fieldset>')


def _loaded_terms_html(result: Result) -> str:
    lexicon, extension = loaded_terms(result, extension=False), loaded_terms(result, extension=True)
    if not lexicon and not extension:
        return '<p class="fd-none">No loaded-term spans in this result.</p>'
    html = f'<ul class="fd-terms">{"".join(_term_item(result, s) for s in lexicon)}</ul>' if lexicon else ""
    if extension:
        html += ('<p class="fd-gloss">Possibly loaded (not in the lexicon; scored lower):</p>'
                 f'<ul class="fd-terms fd-extension">{"".join(_term_item(result, s) for s in extension)}</ul>')
    return html


def _term_item(result: Result, span: SpanRecord) -> str:
    gloss = f' <span class="fd-gloss">“{esc(span.gloss)}”</span>' if span.gloss else ""
    label = f' <span class="fd-gloss">({esc(span.label)})</span>' if span.label else ""
    return (f'<li><span class="fd-term" lang="{esc(result.articles[span.side].language)}">'
            f'{esc(span.text)}</span> <span class="fd-gloss">[{esc(span.side.upper())}]</span>{gloss}{label}</li>')


def _fmt_share(value: float) -> str:
    return f"{value:.0%}"


FRAMES_HELP = 'Each sentence gets the news frame (economic, legality, security, health …; the Media Frames Corpus list) whose description its meaning is closest to, or "other" when none is close; the table gives the share of each article\'s sentences per frame. Overall shift: 0 = the same mix of frames, 1 = no frame in common. Faithful translations already differ by about 0.03, and only 9 % of sentence pairs get the same frame on both sides: read it as a rough hint, not a finding.'


def _frames_html(result: Result) -> str:
    frames = frames_block(result)
    if frames is None:
        return ""
    body = []
    for frame, a_val, b_val, delta in frame_shift_items(frames):
        cls = "fd-up" if delta > 0 else "fd-down" if delta < 0 else ""
        body.append(f"<tr><th scope=\"row\">{esc(frame)}</th><td>{_fmt_share(a_val)}</td>"
                    f"<td>{_fmt_share(b_val)}</td><td class=\"{cls}\">{esc(f'{delta:+.0%}')}</td></tr>")
    return ('<div class="fd-frames-block"><h3>Frame shift (A → B)</h3>'
            f'<p class="fd-frames-help">{esc(FRAMES_HELP)}</p>'
            f"<p>Overall shift: <strong>{esc(f'{frames.total_variation:.3f}')}</strong></p>"
            '<table class="fd-frames"><thead><tr><th scope="col">Frame</th><th scope="col">A</th>'
            f'<th scope="col">B</th><th scope="col">Shift</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _shared_html(result: Result) -> str:
    spans = shared_spans(result)
    if not spans:
        return '<p class="fd-none">None in this result.</p>'
    items = "".join(
        f'<li><span class="fd-term" lang="{esc(result.articles[s.side].language)}">{esc(_short(s.text))}</span> '
        f'<span class="fd-gloss">[{esc(s.side.upper())}{s.sentence + 1} · {esc(kind_label(s.kind))}]</span> '
        f'<span class="fd-reason">{esc(s.reason or "")}</span></li>' for s in spans)
    return f'<ul class="fd-terms fd-shared-list">{items}</ul>'


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _header(result: Result, pid: str, *, glosses: bool = False) -> str:
    frames = _frames_html(result)
    extra = (f'<div class="fd-extra"><div><h3>Loaded terms (differences)</h3>{_loaded_terms_html(result)}</div>'
             f'{frames or "<div></div>"}'
             f'<div><h3>{esc(SHARED_INFO[0])} (not differences)</h3>{_shared_html(result)}</div></div>')
    return ('<header class="fd-header">'
            '<div class="fd-masthead"><span class="fd-brand">Frame<span class="fd-em">Diff</span></span>'
            '<span class="fd-kicker">Comparison report</span>'
            f'<span class="fd-kicker">pair {esc(pair_id(result))}</span></div>'
            f'<div class="fd-metas">{_meta_card(result, "a")}{_meta_card(result, "b")}</div>'
            f'{digest_html(result, id_prefix=pid)}'
            f'{_summary(result)}{_legend(result, pid, glosses=glosses)}{extra}</header>')


# --- digest -------------------------------------------------------------------------------------

DIGEST_SHOWN = 8


def digest_html(result: Result, *, id_prefix: str = "fd", shown: int = DIGEST_SHOWN) -> str:
    """"What changed": the digest (app/export/digest.py) as HTML, each quote linking to its sentence
    in the comparison drawn with the same ``id_prefix``. Items after ``shown`` fold into a
    <details>. Every piece of text is escaped."""
    pid = _safe_id(id_prefix)
    items = digest(result)
    sides = sides_line(result)
    parts = [f'<section class="fd-digest" aria-label="What changed"><h2>{esc(digest_title(result))}</h2>'
             + (f'<p class="fd-dg-sides">{esc(sides)}</p>' if sides else "")
             + f'<p class="fd-overview">{esc(overview(result))}</p>']
    if not items:
        parts.append('<p class="fd-dg-none">No differences found.</p>')
    else:
        parts.append(f'<ol class="fd-dg-list">{"".join(_digest_item(result, it, pid) for it in items[:shown])}</ol>')
        if len(items) > shown:
            parts.append(f'<details><summary>{len(items) - shown} more</summary>'
                         f'<ol class="fd-dg-list" start="{shown + 1}">'
                         f'{"".join(_digest_item(result, it, pid) for it in items[shown:])}</ol></details>')
    shared = shared_total(result)
    if shared:
        parts.append(f'<p class="fd-dg-none">Not counted: {shared} span{"s" if shared != 1 else ""} of wording '
                     'both articles carry (drawn muted).</p>')
    possible = possible_total(result)
    if possible:
        parts.append(f'<p class="fd-dg-none">Not counted: {possible} possible difference{"s" if possible != 1 else ""} '
                     'below the confidence threshold (drawn muted; hover for the confidence).</p>')
    parts.append("</section>")
    return "".join(parts)


def _digest_item(result: Result, item: DigestItem, pid: str) -> str:
    quotes = []
    for side, quote in zip("ab", item.quotes):
        if quote is None:
            quotes.append(f'<span class="fd-dg-quote"><span class="fd-dg-side">{side}</span>'
                          f'<em>no counterpart</em></span>')
            continue
        lang = result.articles[side].language
        href = f"#{sentence_anchor(pid, side, quote.sentences[0])}"
        quotes.append(f'<span class="fd-dg-quote"><span class="fd-dg-side">{side}</span>'
                      f'<a href="{esc(href)}" title="Show it in the comparison">{esc(quote.place)}</a>'
                      f'<span lang="{esc(lang)}">“{esc(quote.text)}”</span></span>')
    return (f'<li class="fd-dg-item fd-dg-{esc(item.category)}" data-category="{esc(item.category)}">'
            f'<span class="fd-dg-head">{esc(item.heading)}:</span> <span class="fd-dg-line">{esc(item.line)}.</span>'
            f'{"".join(quotes)}</li>')


# --- body -----------------------------------------------------------------------------------------

def _tip_text(span: SpanRecord) -> str:
    """The tooltip: kind, shared or not, the reason, the gloss, the counterpart (never a score)."""
    lines = span_note(span)
    if span.counterpart:
        lines.append(f"Counterpart in {span.counterpart.side.upper()}: {span.counterpart.text}")
    else:
        lines.append("No counterpart")
    return "\n".join(lines)


def _fragment_html(frag: Fragment, text: str, spans: list[SpanRecord], ctx: "_Context") -> str:
    span = spans[frag.span_index]
    kind = kind_value(span.kind)
    inner = "".join(_piece_html(p, text, spans, ctx) for p in frag.children)
    tab = "-1" if frag.span_index in ctx.first_seen else "0"
    ctx.first_seen.add(frag.span_index)
    cp = span.counterpart
    cp_attrs = (f' data-cp-side="{cp.side}" data-cp-start="{cp.start}" data-cp-end="{cp.end}"'
                f' data-cp-text="{esc(cp.text)}"') if cp else ""
    extra = "".join(f' data-{name}="{esc(value)}"' for name, value in
                    (("gloss", span.gloss), ("label", span.label), ("reason", span.reason)) if value)
    shared = is_quiet(span)          # shared wording and possible differences: both drawn muted, not counted
    classes = f"fd-span fd-k-{esc(kind)}" + (" fd-shared" if shared else "")
    shared_attr = ' data-shared="1"' if shared else ""
    return (f'<mark class="{classes}" tabindex="{tab}" data-span="{frag.span_index}" '
            f'data-kind="{esc(kind)}" data-kind-label="{esc(kind_label(kind))}" data-side="{span.side}" '
            f'data-start="{frag.start}" data-end="{frag.end}" data-span-start="{span.start}" '
            f'data-span-end="{span.end}" data-difference="{"false" if shared else "true"}"'
            f'{shared_attr}{cp_attrs}{extra} '
            f'data-tip="{esc(_tip_text(span))}" aria-describedby="{ctx.pid}-d-{frag.span_index}">{inner}</mark>')


def _piece_html(piece, text: str, spans: list[SpanRecord], ctx: "_Context") -> str:
    if isinstance(piece, TextRun):
        return _run_html(text, piece.start, piece.end, ctx)
    return _fragment_html(piece, text, spans, ctx)


def _run_html(text: str, start: int, end: int, ctx: "_Context") -> str:
    """Plain text of a run; in a glossed sentence, each dictionary word carries its gloss (``data-gl``)."""
    words = ctx.words
    if not words:
        return esc(text[start:end])
    out, pos = [], start
    for w_start, w_end, gloss in words:
        if w_end <= start or not gloss:
            continue
        if w_start >= end:
            break
        a, b = max(w_start, start), min(w_end, end)
        if a > pos:
            out.append(esc(text[pos:a]))
        out.append(f'<span class="fd-w" data-gl="{esc(gloss)}">{esc(text[a:b])}</span>')
        pos = b
    out.append(esc(text[pos:end]))
    return "".join(out)


@dataclass(slots=True)
class _Context:
    """What rendering one fragment carries along: the id prefix, spans seen, the glossed words
    of the sentence being drawn (absolute offsets), and whether word glosses are on."""
    pid: str
    glosses: bool = True
    first_seen: set[int] = field(default_factory=set)
    words: list[tuple[int, int, str | None]] = field(default_factory=list)


def sentence_anchor(pid: str, side: str, index: int) -> str:
    """The id of a sentence in the comparison (``fd-s-b6``): digest items link here."""
    return f"{pid}-s-{side}{index + 1}"


def _sentence_html(result: Result, side: str, index: int, by_side: dict, ctx: _Context) -> str:
    article = result.articles[side]
    sent = article.sentences[index]
    status = sent.status.value if hasattr(sent.status, "value") else str(sent.status)
    sentence_text = article.text[sent.start:sent.end]
    gloss_here = ctx.glosses and glossed(article.language)
    ctx.words = ([(sent.start + w.start, sent.start + w.end, w.gloss) for w in sentence_words(sentence_text)]
                 if gloss_here else [])
    pieces = nest_spans(by_side.get((side, index), []), sent.start, sent.end)
    body = "".join(_piece_html(p, article.text, result.spans, ctx) for p in pieces)
    ctx.words = []
    out = (f'<p class="fd-sent fd-st-{esc(status)}" id="{sentence_anchor(ctx.pid, side, index)}" '
           f'lang="{esc(article.language)}">'
           f'<span class="fd-sid" aria-hidden="true">{side.upper()}{index + 1}</span>'
           f'<span class="fd-sr">Sentence {side.upper()}{index + 1}, {esc(status)}: </span>'
           f'<span class="fd-text" data-side="{side}" data-index="{index}" data-start="{sent.start}" '
           f'data-end="{sent.end}">{body}</span></p>')
    if sent.translation:
        model = f" ({sent.translation_model})" if sent.translation_model else ""
        out += (f'<p class="fd-tr" lang="en"><span class="fd-tr-label">Translation{esc(model)}</span>'
                f'{esc(sent.translation)}</p>')
    elif gloss_here:
        out += (f'<p class="fd-gl" lang="en"><span class="fd-tr-label">{esc(GLOSS_LABEL)}</span>'
                f'{esc(gloss_line(sentence_text))}</p>')
    return out


def _cell(result: Result, side: str, indices: list[int], by_side, ctx: _Context) -> str:
    label = esc(SIDE_NAMES[side])
    if not indices:
        other = "B" if side == "b" else "A"
        return (f'<div class="fd-cell fd-cell-empty fd-side-{side}" data-side-label="{label}">'
                f'No counterpart in {other}</div>')
    sents = "".join(_sentence_html(result, side, i, by_side, ctx) for i in indices)
    return f'<div class="fd-cell fd-side-{side}" data-side-label="{label}">{sents}</div>'


def row_plan(result: Result) -> list[tuple[int | None, list[int], list[int]]]:
    """Rows in alignment.links order as (link index or None, a sentences, b sentences).

    An unaligned sentence gets its own row just before the first link that comes after it on
    its side, so it stays near its neighbours.
    """
    pending_a = sorted(result.alignment.unaligned_a)
    pending_b = sorted(result.alignment.unaligned_b)
    rows: list[tuple[int | None, list[int], list[int]]] = []
    for link_index, link in enumerate(result.alignment.links):
        first_a = min(link.a) if link.a else None
        first_b = min(link.b) if link.b else None
        while pending_a and first_a is not None and pending_a[0] < first_a:
            rows.append((None, [pending_a.pop(0)], []))
        while pending_b and first_b is not None and pending_b[0] < first_b:
            rows.append((None, [], [pending_b.pop(0)]))
        rows.append((link_index, list(link.a), list(link.b)))
    rows += [(None, [i], []) for i in pending_a] + [(None, [], [i]) for i in pending_b]
    return rows


def _row_html(result, link_index, a_ids, b_ids, by_side, ctx: _Context) -> str:
    if link_index is not None:
        link = result.alignment.links[link_index]
        status = link.status.value if hasattr(link.status, "value") else str(link.status)
        head = (f'<span class="fd-badge fd-badge-{esc(status)}">{esc(status)}</span>'
                f'<span>group {link_index + 1}</span><span>similarity {link.score:.2f}</span>')
        aria = f"Aligned group {link_index + 1}: {status}, similarity {link.score:.2f}"
    else:
        status = "omitted" if a_ids else "added"
        head = f'<span class="fd-badge fd-badge-{status}">{esc(STATUS_TEXT[status])}</span><span>unaligned</span>'
        aria = f"Unaligned sentence, {STATUS_TEXT[status]}"
    cells = _cell(result, "a", a_ids, by_side, ctx) + _cell(result, "b", b_ids, by_side, ctx)
    link_attr = "" if link_index is None else f' data-link="{link_index}"'
    return (f'<section class="fd-row fd-row-{esc(status)}{" fd-row-unaligned" if link_index is None else ""}"'
            f'{link_attr} aria-label="{esc(aria)}"><div class="fd-rowhead">{head}</div>{cells}</section>')


def _descriptions(result: Result, pid: str) -> str:
    items = "".join(f'<span id="{pid}-d-{i}">{esc(_tip_text(span))}</span>' for i, span in enumerate(result.spans))
    return f'<div class="fd-descriptions" hidden>{items}</div>'


def _column_heads(result: Result) -> str:
    heads = []
    for side in ("a", "b"):
        meta = result.articles[side].meta
        who = meta.outlet or meta.title or meta.source or ""
        heads.append(f'<div>{esc(SIDE_NAMES[side])} <span>{esc(who)}</span></div>')
    return f'<div class="fd-colheads" aria-hidden="true">{"".join(heads)}</div>'


def render_comparison_html(result: Result, *, id_prefix: str = "fd", include_style: bool = True,
                           glosses: bool = True, gloss_lines: bool = False) -> str:
    """The comparison as one embeddable fragment: ``<div class="fd-root">…</div>``.

    Works without any script (CSS-only toggles and tooltips); add :func:`comparison_js` for
    positioned tooltips and word glosses on hover. Use a distinct ``id_prefix`` per fragment when
    several share a page. ``glosses``: each word of a Chinese sentence carries its dictionary gloss,
    and a word-by-word gloss line follows each Chinese sentence that has no translation, shown when
    ``gloss_lines`` (or the reader's toggle) says so.
    """
    pid = _safe_id(id_prefix)
    by_side = spans_by_sentence(result)
    has_glosses = glosses and any(glossed(result.articles[side].language) for side in ("a", "b"))
    ctx = _Context(pid=pid, glosses=glosses)
    toggles = "".join(
        f'<input type="checkbox" class="fd-toggle fd-toggle-{kind}" id="{pid}-t-{kind}" data-kind="{kind}" '
        f'checked aria-controls="{pid}-body">' for kind in all_kinds())
    toggles += (f'<input type="checkbox" class="fd-switch fd-toggle-shared" id="{pid}-t-shared" checked '
                f'aria-controls="{pid}-body">')
    if has_glosses:
        toggles += (f'<input type="checkbox" class="fd-switch fd-toggle-gl" id="{pid}-t-gl"'
                    f'{" checked" if gloss_lines else ""} aria-controls="{pid}-body">')
    rows = "".join(_row_html(result, link_index, a_ids, b_ids, by_side, ctx)
                   for link_index, a_ids, b_ids in row_plan(result))
    style = f"<style>{comparison_css()}</style>" if include_style else ""
    footer = (f'<footer class="fd-footer">FrameDiff {esc(result.framediff_version)} · config '
              f'<code>{esc(result.config_hash)}</code> · <code>{esc(result.signature)}</code></footer>')
    return (f'<div class="fd-root" id="{pid}" data-framediff="{esc(result.schema_version)}">{style}{toggles}'
            f'{_header(result, pid, glosses=has_glosses)}<main class="fd-body" id="{pid}-body">'
            f'{_column_heads(result)}{rows}</main>{_descriptions(result, pid)}{footer}</div>')


def render_html(result: Result, **_options) -> str:
    """A complete, self-contained HTML page (inline CSS and JS; nothing is fetched)."""
    meta_a, meta_b = result.articles["a"].meta, result.articles["b"].meta
    title = f"FrameDiff: {meta_a.title or meta_a.source or 'A'} vs {meta_b.title or meta_b.source or 'B'}"
    script = comparison_js()
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    # defence in depth: only our own script (by hash) may run, never an inline handler
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<title>{esc(title)}</title><style>body{{margin:0;background:#ebe8e1}}"
            "@media print{body{background:#fff}}@page{margin:14mm 12mm}</style></head><body>"
            f"{render_comparison_html(result)}<script>{script}</script></body></html>\n")


register_exporter("html", render=render_html, extension="html", media_type="text/html; charset=utf-8",
                  description="Self-contained annotated side-by-side page (inline CSS/JS, nothing fetched).")
