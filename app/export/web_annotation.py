"""W3C Web Annotation (JSON-LD): one annotation per span, in one AnnotationCollection.

Mapping (https://www.w3.org/TR/annotation-model/):
- ``target.source``: the article's ``meta.url`` when it has one, else ``urn:framediff:<pair>:<side>``;
  ``target.selector``: a TextPositionSelector (``start``/``end`` = the span's character offsets into
  ``articles[side].text``) and a TextQuoteSelector (``exact`` = the span text, ``prefix``/``suffix`` =
  up to 32 characters around it), so a tool can re-anchor on the page even when positions differ.
- ``body``: a ``tagging`` TextualBody with the kind (one with the label, if any, and one with
  ``shared`` for wording both articles carry), a ``describing`` body with the gloss, a
  ``commenting`` body with the reason (no score: most are not calibrated), and for spans with a
  counterpart a ``linking`` SpecificResource that points at the counterpart text with the same
  two selectors.
- ``id``: ``urn:framediff:<pair>:span:<n>`` with n the span's index in ``result.spans``.
"""

from __future__ import annotations

import json

from ..result import Result
from .common import is_shared, kind_label, kind_value, pair_id
from .registry import register_exporter

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32


def source_iri(result: Result, side: str, pid: str) -> str:
    url = (result.articles[side].meta.url or "").strip()
    return url or f"urn:framediff:{pid}:{side}"


def selectors(text: str, start: int, end: int) -> list[dict]:
    return [{"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - QUOTE_CONTEXT):start], "suffix": text[end:end + QUOTE_CONTEXT]}]


def annotation(result: Result, index: int, pid: str) -> dict:
    span = result.spans[index]
    kind = kind_value(span.kind)
    article = result.articles[span.side]
    body = [{"type": "TextualBody", "purpose": "tagging", "value": kind, "format": "text/plain"}]
    if span.label:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": span.label, "format": "text/plain"})
    if span.gloss:
        body.append({"type": "TextualBody", "purpose": "describing", "value": span.gloss,
                     "format": "text/plain", "language": "en"})
    if is_shared(span):
        body.append({"type": "TextualBody", "purpose": "tagging", "value": "shared", "format": "text/plain"})
    comment = f"{kind_label(kind)} (FrameDiff)" + (", wording both articles carry" if is_shared(span) else "")
    if span.reason:
        comment += f": {span.reason}"
    body.append({"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "language": "en",
                 "value": comment})
    if span.counterpart:
        cp = span.counterpart
        cp_text = result.articles[cp.side].text
        body.append({"type": "SpecificResource", "purpose": "linking", "source": source_iri(result, cp.side, pid),
                     "selector": selectors(cp_text, cp.start, cp.end)})
    return {"id": f"urn:framediff:{pid}:span:{index}", "type": "Annotation",
            "motivation": "highlighting", "body": body,
            "target": {"type": "SpecificResource", "source": source_iri(result, span.side, pid),
                       "selector": selectors(article.text, span.start, span.end)}}


def annotation_collection(result: Result) -> dict:
    pid = pair_id(result)
    items = [annotation(result, i, pid) for i in range(len(result.spans))]
    return {"@context": CONTEXT, "id": f"urn:framediff:{pid}:annotations", "type": "AnnotationCollection",
            "label": f"FrameDiff differences, pair {pid}", "total": len(items),
            "generator": {"type": "Software", "name": f"FrameDiff {result.framediff_version}"},
            "first": {"id": f"urn:framediff:{pid}:annotations:page:0", "type": "AnnotationPage",
                      "startIndex": 0, "items": items}}


def render_wa(result: Result, **_options) -> str:
    return json.dumps(annotation_collection(result), ensure_ascii=False, indent=2) + "\n"


register_exporter("wa", render=render_wa, extension="jsonld", media_type="application/ld+json",
                  description="W3C Web Annotation JSON-LD: one annotation per span (position + quote selectors).")
