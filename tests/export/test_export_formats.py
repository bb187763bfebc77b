"""Every exporter on a real result (USE-m3 on the Norvale sample), enriched with every span kind.

Checks that each span's offsets match its text in every format, that the JSON validates against
the committed schema, and that the structure each format promises is there.
"""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest

from app.export import exporter_names, render
from app.export.common import all_kinds, kind_label
from app.export.html_view import render_comparison_html, row_plan
from app.result import Result
from tests.conftest import ROOT
from tests.export.test_export_support import assert_span_texts, parse_html, with_every_kind

pytestmark = pytest.mark.slow
SCHEMA = json.loads((ROOT / "app" / "schemas" / "result-1.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rich(norvale_result) -> Result:
    result = with_every_kind(norvale_result)
    assert_span_texts(result)
    return result


@pytest.fixture(scope="module")
def rich_plain(norvale_result) -> Result:
    """The enriched result without a frames block (as results saved before frames existed)."""
    return with_every_kind(norvale_result, frames=False)


# --- JSON ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["real", "every_kind"])
def test_json_export_validates_and_round_trips(norvale_result, rich_plain, which):
    result = norvale_result if which == "real" else rich_plain
    text = render(result, "json")
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert Result.from_json(text) == result


# --- HTML ------------------------------------------------------------------------------------------

def _fragments_by_span(root):
    marks = root.find_all("mark", "fd-span")
    by_span: dict[int, list] = {}
    for mark in marks:
        by_span.setdefault(int(mark.attrs["data-span"]), []).append(mark)
    return marks, by_span


def test_html_every_fragment_text_matches_its_offsets(rich):
    root, _ = parse_html(render(rich, "html"))
    marks, by_span = _fragments_by_span(root)
    assert marks
    for mark in marks:
        span = rich.spans[int(mark.attrs["data-span"])]
        text = rich.articles[span.side].text
        start, end = int(mark.attrs["data-start"]), int(mark.attrs["data-end"])
        assert mark.text() == text[start:end]
        assert mark.attrs["data-side"] == span.side and mark.attrs["data-kind"] == span.kind.value
        assert (int(mark.attrs["data-span-start"]), int(mark.attrs["data-span-end"])) == (span.start, span.end)
    # the fragments of each span cover it exactly (minus the gaps between sentences it crosses)
    for index, span in enumerate(rich.spans):
        frags = sorted((int(m.attrs["data-start"]), int(m.attrs["data-end"])) for m in by_span[index])
        assert frags[0][0] == span.start and frags[-1][1] == span.end
        text = rich.articles[span.side].text
        for (_, prev_end), (next_start, _) in zip(frags, frags[1:]):
            assert prev_end <= next_start and not text[prev_end:next_start].strip()


def test_html_overlapping_spans_nest_inside_the_reworded_sentence(rich):
    root, _ = parse_html(render(rich, "html"))
    nested = [m for m in root.find_all("mark", "fd-k-reworded") if m.find_all("mark", "fd-k-framing")]
    assert nested, "the framing spans inside the reworded b sentence should render nested in it"
    crossing = [i for i, s in enumerate(rich.spans) if "\n" in s.text]
    assert crossing
    _, by_span = _fragments_by_span(root)
    assert len(by_span[crossing[0]]) >= 2, "a span crossing sentences is split per sentence"


def test_html_sentences_rows_and_header(rich):
    root, _ = parse_html(render(rich, "html"))
    for node in root.find_all("span", "fd-text"):
        article = rich.articles[node.attrs["data-side"]]
        sent = article.sentences[int(node.attrs["data-index"])]
        assert node.text() == article.text[sent.start:sent.end]
    shown = {(n.attrs["data-side"], int(n.attrs["data-index"])) for n in root.find_all("span", "fd-text")}
    assert shown == {(side, s.index) for side in "ab" for s in rich.articles[side].sentences}
    rows = root.find_all("section", "fd-row")
    assert len(rows) == len(row_plan(rich))
    linked = [int(r.attrs["data-link"]) for r in rows if "data-link" in r.attrs]
    assert linked == list(range(len(rich.alignment.links)))          # alignment.links order
    unaligned = [r for r in rows if "fd-row-unaligned" in r.classes()]
    assert len(unaligned) == len(rich.alignment.unaligned_a) + len(rich.alignment.unaligned_b)
    # legend: a toggle and a chip for all 8 kinds, with counts
    toggles = root.find_all("input", "fd-toggle")
    assert [t.attrs["data-kind"] for t in toggles] == all_kinds() and len(all_kinds()) == 8
    for kind in all_kinds():      # differences only; wording both sides carry has its own chip
        chip = root.find_all("label", f"fd-chip-{kind}")[0]
        assert chip.find_all(cls="fd-count")[0].text() == str(sum(s.kind.value == kind and s.difference
                                                                  for s in rich.spans))
    shared = [s for s in rich.spans if not s.difference]
    assert shared and root.find_all(cls="fd-count-shared")[0].text() == str(len(shared))
    # translations, loaded terms with glosses, frame shift table
    translations = [n.text() for n in root.find_all("p", "fd-tr")]
    assert len(translations) == 3 and "Machine translation here." in translations[0]
    terms = root.find_all("ul", "fd-terms")[0].text()
    assert "炒作" in terms and "to hype up (pejorative)" in terms and "闹剧" in terms
    frames = root.find_all("table", "fd-frames")[0].text()
    assert "conflict" in frames and "+35%" in frames and "-35%" in frames


def test_html_tooltip_data_and_descriptions(rich):
    root, _ = parse_html(render(rich, "html"))
    descriptions = {n.attrs["id"]: n.text() for n in root.find_all(cls="fd-descriptions")[0].iter() if "id" in n.attrs}
    for mark in root.find_all("mark", "fd-span"):
        span = rich.spans[int(mark.attrs["data-span"])]
        tip = mark.attrs["data-tip"]
        assert "score" not in tip and "data-score" not in mark.attrs        # scores are not calibrated
        assert span.reason and span.reason in tip and mark.attrs["data-reason"] == span.reason
        assert mark.attrs["data-difference"] == ("true" if span.difference else "false")
        assert ("fd-shared" in mark.classes()) == (not span.difference)
        assert ("Wording both carry: not a difference" in tip) == (not span.difference and span.confidence is None)
        assert ("Possible difference (confidence" in tip) == (not span.difference and span.confidence is not None)
        if span.counterpart:
            assert span.counterpart.text in tip and mark.attrs["data-cp-text"] == span.counterpart.text
        if span.gloss:
            assert mark.attrs["data-gloss"] == span.gloss and span.gloss in tip
        assert descriptions[mark.attrs["aria-describedby"]] == tip
        assert mark.attrs["tabindex"] in {"0", "-1"}
    focusable = {int(m.attrs["data-span"]) for m in root.find_all("mark", "fd-span") if m.attrs["tabindex"] == "0"}
    assert focusable == set(range(len(rich.spans)))                  # one tab stop per span


def test_fragment_is_scoped_and_embeddable(rich):
    fragment = render_comparison_html(rich, id_prefix="left pane")
    root, tags = parse_html(fragment)
    assert root.children[0].tag == "div" and "fd-root" in root.children[0].classes()
    assert not [t for t, _ in tags if t in {"html", "head", "body", "script"}]
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids)) and all(i.startswith("left-pane") for i in ids)
    style = root.find_all("style")[0].text()
    selectors = [s.strip() for block in re.findall(r"([^{}@]+)\{[^{}]*\}", style) for s in block.split(",")]
    assert all(s.startswith((".fd-root", "html.fd-js .fd-root", "from", "to")) or s == "" for s in selectors), \
        [s for s in selectors if not s.startswith(".fd-root")][:5]


# --- CSV -------------------------------------------------------------------------------------------

def test_csv_one_row_per_span_with_matching_offsets(rich):
    text = render(rich, "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(rich.spans)
    assert list(rows[0]) == ["pair_id", "side", "kind", "start", "end", "text", "score", "counterpart_side",
                             "counterpart_start", "counterpart_end", "counterpart_text", "sentence", "link",
                             "label", "gloss", "difference", "confidence", "reason"]
    for row, span in zip(rows, rich.spans):
        assert row["difference"] == ("true" if span.difference else "false") and row["reason"] == (span.reason or "")
        assert row["confidence"] == ("" if span.confidence is None else f"{span.confidence:.4f}")
    assert {r["difference"] for r in rows} == {"true", "false"}
    assert len({r["pair_id"] for r in rows}) == 1
    for row, span in zip(rows, rich.spans):
        article_text = rich.articles[row["side"]].text
        assert article_text[int(row["start"]):int(row["end"])] == row["text"] == span.text
        assert row["kind"] == span.kind.value and int(row["sentence"]) == span.sentence
        assert float(row["score"]) == pytest.approx(span.score, abs=1e-4)
        if row["counterpart_side"]:
            cp_text = rich.articles[row["counterpart_side"]].text
            assert cp_text[int(row["counterpart_start"]):int(row["counterpart_end"])] == row["counterpart_text"]
    assert any("\n" in r["text"] for r in rows)                      # multi-line text survives quoting
    assert not text.startswith("\ufeff")


def test_csv_excel_mode_adds_bom_and_defuses_formulas(rich):
    hostile = rich.model_copy(update={"spans": [rich.spans[0].model_copy(update={"gloss": "=HYPERLINK(\"x\")"})]})
    text = render(hostile, "csv", excel=True)
    assert text.startswith("\ufeff")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert row["gloss"] == "'=HYPERLINK(\"x\")"


# --- Web Annotation --------------------------------------------------------------------------------

WA_SCHEMA = {
    "type": "object",
    "required": ["@context", "id", "type", "total", "first"],
    "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
        "type": {"const": "AnnotationCollection"},
        "first": {"type": "object", "required": ["type", "items"], "properties": {
            "type": {"const": "AnnotationPage"},
            "items": {"type": "array", "items": {"$ref": "#/$defs/annotation"}}}},
    },
    "$defs": {
        "selectors": {"type": "array", "minItems": 2, "prefixItems": [
            {"type": "object", "required": ["type", "start", "end"],
             "properties": {"type": {"const": "TextPositionSelector"}, "start": {"type": "integer", "minimum": 0},
                            "end": {"type": "integer", "minimum": 0}}},
            {"type": "object", "required": ["type", "exact", "prefix", "suffix"],
             "properties": {"type": {"const": "TextQuoteSelector"}, "exact": {"type": "string", "minLength": 1}}}]},
        "annotation": {"type": "object", "required": ["id", "type", "motivation", "body", "target"], "properties": {
            "id": {"type": "string", "pattern": "^urn:framediff:"},
            "type": {"const": "Annotation"},
            "body": {"type": "array", "minItems": 1},
            "target": {"type": "object", "required": ["source", "selector"],
                       "properties": {"selector": {"$ref": "#/$defs/selectors"}}}}},
    },
}


def test_web_annotation_selectors_match_the_text(rich):
    data = json.loads(render(rich, "wa"))
    jsonschema.validate(data, WA_SCHEMA)
    items = data["first"]["items"]
    assert data["total"] == len(items) == len(rich.spans)
    assert len({a["id"] for a in items}) == len(items)
    sources = {}
    for annotation, span in zip(items, rich.spans):
        text = rich.articles[span.side].text
        position, quote = annotation["target"]["selector"]
        assert (position["start"], position["end"]) == (span.start, span.end)
        assert quote["exact"] == text[position["start"]:position["end"]] == span.text
        assert text[:span.start].endswith(quote["prefix"]) and text[span.end:].startswith(quote["suffix"])
        assert quote["prefix"] or span.start == 0
        sources.setdefault(span.side, set()).add(annotation["target"]["source"])
        tags = [b["value"] for b in annotation["body"] if b.get("purpose") == "tagging"]
        assert tags[0] == span.kind.value
        links = [b for b in annotation["body"] if b.get("purpose") == "linking"]
        if span.counterpart:
            cp_pos, cp_quote = links[0]["selector"]
            cp_text = rich.articles[span.counterpart.side].text
            assert cp_quote["exact"] == cp_text[cp_pos["start"]:cp_pos["end"]] == span.counterpart.text
        else:
            assert not links
        if span.gloss:
            assert [b["value"] for b in annotation["body"] if b["purpose"] == "describing"] == [span.gloss]
    assert all(len(v) == 1 for v in sources.values()) and sources["a"] != sources["b"]


# --- Markdown --------------------------------------------------------------------------------------

def test_markdown_bolds_added_strikes_omitted_and_lists_loaded_terms(rich):
    text = render(rich, "md")
    for span in rich.spans:
        if span.kind.value == "added":
            assert f"**{span.text.strip()}**" in text
        if span.kind.value == "omitted":
            assert f"~~{span.text.strip()}~~" in text
    loaded = text.split("## Loaded terms", 1)[1].split("## Wording both carry", 1)[0]
    shared = text.split("## Wording both carry (not differences)", 1)[1].split("## Aligned groups", 1)[0]
    for span in rich.spans:
        if span.kind.value == "loaded" and span.difference:
            assert f"**{span.text}**" in loaded and span.gloss in loaded
        if not span.difference:
            assert span.text in shared and span.reason in shared
            if not any(s.difference and s.text == span.text for s in rich.spans):
                assert f"**{span.text}**" not in loaded
    counted = re.search(r"Differences by kind: (.*)", text).group(1)
    for kind in all_kinds():
        n = sum(s.kind.value == kind and s.difference for s in rich.spans)
        assert f"{kind_label(kind)} {n}" in counted
    assert f"Wording both carry {sum(not s.difference for s in rich.spans)} (not counted)" in counted
    assert "## Summary" in text and "Frame shift" in text
    groups = text.split("## Aligned groups", 1)[1]
    assert groups.count("### Group ") == len(rich.alignment.links)
    assert groups.count("### Only in A") == len(rich.alignment.unaligned_a)
    assert "*Translation:*" in groups and "*Framing*" in groups


# --- registry --------------------------------------------------------------------------------------

def test_every_registered_exporter_renders_the_result(rich):
    for name in exporter_names():
        assert render(rich, name).strip()


def test_terms_the_lexicon_extension_caught_are_listed_apart(norvale_result):
    """VADER-valence and neighbour terms (scored lower) get their own list in Markdown, HTML and the web UI."""
    from app.export.common import loaded_terms
    from app.result import SpanKind, SpanRecord
    from app.web.views import summary_html

    extra = SpanRecord(side="a", start=0, end=9, text=norvale_result.articles["a"].text[0:9], kind=SpanKind.LOADED,
                       score=0.2, sentence=0, label="positive", gloss="VADER valence +2.2",
                       detail={"source": "valence", "valence": 2.2})
    result = norvale_result.model_copy(update={"spans": [*norvale_result.spans, extra]})
    assert loaded_terms(result, extension=True) == [extra]
    assert extra not in loaded_terms(result, extension=False) and loaded_terms(result, extension=False)
    md = render(result, "md").split("## Loaded terms", 1)[1].split("## Wording both carry", 1)[0]
    lexicon_part, extension_part = md.split("Possibly loaded", 1)
    assert "VADER valence" in extension_part and "VADER valence" not in lexicon_part
    assert all(f"**{s.text}**" in lexicon_part for s in loaded_terms(result, extension=False))
    html_page = render(result, "html")
    assert html_page.index("Possibly loaded") < html_page.index("VADER valence")
    web = summary_html(result)
    assert web.index("Loaded terms") < web.index("Possibly loaded") < web.index("VADER valence")


def test_the_frame_shift_says_what_it_measures(rich):
    """Issue 24: no bare "total variation"; the panel explains itself in plain words."""
    from app.export.html_view import FRAMES_HELP

    for fmt in ("html", "md"):
        text = render(rich, fmt)
        assert "total variation" not in text and "Overall shift" in text
        import html

        assert FRAMES_HELP.split(".")[0] in html.unescape(text)
