"""The side-by-side comparison, drawn by the exports' HTML renderer: one drawing for export and UI.

The UI shows the renderer's fragment as is, minus its report header (the UI has its own
digest, summary panel and filter checkboxes): the header is hidden by the UI's stylesheet.
Sentences get the ids ``fdweb-s-a1`` …, which the digest panel links to.
"""

from __future__ import annotations

from ..export.html_view import comparison_js, render_comparison_html
from ..result import Result
from .views import without_translations

ID_PREFIX = "fdweb"


def comparison_placeholder() -> str:
    return ('<p class="fd-muted">Paste two articles, give their addresses or upload them (or load the example), '
            'then press Compare. A saved comparison opens without comparing again.</p>')


def comparison_html(result: Result, *, translations: bool = False, gloss_lines: bool = False) -> str:
    """The comparison as an HTML fragment; the renderer escapes every piece of article text.

    Chinese words carry their dictionary gloss on hover; ``gloss_lines`` shows a word-by-word
    gloss line under each Chinese sentence that has no translation shown.
    """
    shown = without_web_source(result if translations else without_translations(result))
    return render_comparison_html(shown, id_prefix=ID_PREFIX, gloss_lines=gloss_lines)


def without_web_source(result: Result) -> Result:
    """A copy that does not say "text given in the web UI" where a file name or outlet would stand."""
    from .engine import WEB_SOURCE

    if all(result.articles[side].meta.source != WEB_SOURCE for side in ("a", "b")):
        return result
    articles = {side: article.model_copy(update={"meta": article.meta.model_copy(update={"source": None})})
                if article.meta.source == WEB_SOURCE else article for side, article in result.articles.items()}
    return result.model_copy(update={"articles": articles})


# A browser inserts pasted text into a text area through its editing machinery, which takes tens of
# seconds for 150,000 characters (measured: 20 s in headless Chromium on two cores, page frozen).
# Setting the value takes milliseconds, so a long paste into an article box is done that way.
PASTE_JS = r"""
(function () {
  if (window.__framediffPaste) return;
  window.__framediffPaste = true;
  document.addEventListener('paste', function (e) {
    var box = e.target;
    if (!box || box.tagName !== 'TEXTAREA' || !box.closest('#fd-text-a, #fd-text-b')) return;
    var data = e.clipboardData && e.clipboardData.getData('text/plain');
    if (!data || data.length < %(threshold)d) return;
    e.preventDefault();
    var start = box.selectionStart, end = box.selectionEnd;
    box.value = box.value.slice(0, start) + data + box.value.slice(end);
    box.selectionStart = box.selectionEnd = start + data.length;
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
})();
"""
LONG_PASTE = 5_000


def paste_script(threshold: int = LONG_PASTE) -> str:
    """A paste of ``threshold`` characters or more into an article box sets the text at once."""
    return PASTE_JS % {"threshold": threshold}


def comparison_script() -> str:
    """The page head's scripts: the renderer's (positioned tooltips, word glosses, counterpart marking)
    and the long-paste handler."""
    return f"<script>{comparison_js()}</script><script>{paste_script()}</script>"
