"""The side-by-side comparison, drawn by the exports' HTML renderer (one drawing for export and UI)."""

from __future__ import annotations

from html import escape

from ..result import Result


def comparison_placeholder() -> str:
    return '<p class="fd-muted">Paste two articles (or load the example) and press Compare.</p>'


def comparison_html(result: Result, *, translations: bool = False) -> str:
    """The comparison as an HTML fragment; article text is escaped by the renderer."""
    # TEMPORARY until the exports branch lands its renderer: plain escaped text, no highlights.
    cols = "".join(f'<div class="fd-col"><pre>{escape(result.articles[s].text)}</pre></div>' for s in "ab")
    return f'<div class="fd-cols">{cols}</div>'
