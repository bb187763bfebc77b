"""The side-by-side comparison, drawn by the exports' HTML renderer: one drawing for export and UI.

The UI shows the renderer's fragment as is, minus its report header (the UI has its own
summary panel and filter checkboxes): the header is hidden by the UI's stylesheet.
"""

from __future__ import annotations

from ..export.html_view import comparison_js, render_comparison_html
from ..result import Result
from .views import without_translations


def comparison_placeholder() -> str:
    return '<p class="fd-muted">Paste two articles (or load the example) and press Compare.</p>'


def comparison_html(result: Result, *, translations: bool = False) -> str:
    """The comparison as an HTML fragment; the renderer escapes every piece of article text."""
    shown = result if translations else without_translations(result)
    return render_comparison_html(shown, id_prefix="fdweb")


def comparison_script() -> str:
    """The renderer's optional script (positioned tooltips, counterpart marking), for the page head."""
    return f"<script>{comparison_js()}</script>"
