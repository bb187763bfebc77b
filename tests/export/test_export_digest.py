""""What changed": the digest of a Result, on the project's sample pairs (real USE-m3 results).

The harbour pair has planted changes (corpora/samples/harbour/meta.json): $23 million -> $32
million, a dropped source ('seven people familiar with the matter'), said -> claimed, scare
quotes, 'so-called' and an added editorial sentence. The digest must find each of them once,
most important first, each with a quote from both sides; it reads the Result only.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.export import render
from app.export.digest import ADDED, Quote, digest, digest_text, one_line, overview, strip_quoted_tail
from app.export.html_view import render_comparison_html, render_html, sentence_anchor
from app.export.markdown_report import anchor
from app.result import Result
from tests.conftest import SAMPLES
from tests.export.test_export_support import parse_html

# What the detectors find, every span counted: the confidence gate (min_confidence) is tested on its own
# in tests/steps/test_confidence.py.
from app.settings import Settings as _Settings
EVERY_SPAN = _Settings(min_confidence=0.0)

HARBOUR = SAMPLES / "harbour"
runner = CliRunner()


@pytest.fixture(scope="module")
def framed(use_m3) -> Result:
    from app import compare

    return compare(HARBOUR / "a.en.txt", HARBOUR / "b_framed.en.txt", embedder=use_m3, cache=None, settings=EVERY_SPAN)


@pytest.fixture(scope="module")
def framed_zh(use_m3) -> Result:
    from app import compare

    return compare(HARBOUR / "a.en.txt", HARBOUR / "b_framed.zh.txt", embedder=use_m3, cache=None, settings=EVERY_SPAN)


def _by_heading(items):
    out: dict[str, list] = {}
    for item in items:
        out.setdefault(item.heading, []).append(item)
    return out


# --- pure helpers (no model) -------------------------------------------------------------------

def test_one_line_keeps_the_focus_and_cuts_between_words():
    text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho"
    start = text.index("kappa")
    shown = one_line(text, (start, start + 5), limit=30)
    assert "kappa" in shown and shown.startswith("…") and shown.endswith("…")
    assert all(word in text.split() for word in shown.strip("…").split())       # whole words only
    assert one_line("short\n\ntext") == "short text"
    assert one_line(text, None, limit=20).startswith("Alpha")


def test_strip_quoted_tail_only_removes_text_shown_anyway():
    reason = "b adds 'so-called' (distancing); a has no such wording: 'The inquiry continues…'"
    assert strip_quoted_tail(reason, "The inquiry continues into the payments.") == \
        "b adds 'so-called' (distancing); a has no such wording"
    assert strip_quoted_tail(reason, "Something else entirely.") == reason
    assert strip_quoted_tail("b says 'claimed' where a says 'said'", "said") == "b says 'claimed' where a says 'said'"


def test_quote_place_is_one_based():
    assert Quote("b", (5,), "x").place == "B6" and Quote("a", (1, 2), "x").place == "A2–A3"


# --- real results ------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_planted_change_is_one_item_with_quotes_from_both_sides(framed):
    items = digest(framed)
    by = _by_heading(items)
    assert items[0].rank == ADDED and items[0].heading == "Comment added"        # the added editorial first
    assert "'so-called'" in items[0].line and "'farce'" in items[0].line
    assert items[0].quotes[0] is None and items[0].quotes[1].text == "The so-called inquiry is nothing but a farce."

    [number] = by["Number changed"]
    assert "'$23 million'" in number.line and "'$32 million'" in number.line
    assert "$23 million" in number.quotes[0].text and "$32 million" in number.quotes[1].text

    [dropped] = by["Source dropped"]
    assert "'seven people familiar with the matter'" in dropped.line
    assert "according to seven people" in dropped.quotes[0].text and dropped.quotes[1].place == "B1"

    [shift] = by["Attribution shift"]
    assert "'claimed'" in shift.line and "'said'" in shift.line
    assert "the people said" in shift.quotes[0].text and "critics claimed" in shift.quotes[1].text

    assert any('"studying"' in item.line for item in by["Scare quotes added"])
    # the order a journalist reads: added, framing, dropped sources and numbers, then attribution shifts
    order = [item.heading for item in items]
    assert order.index("Comment added") < order.index("Scare quotes added") < order.index("Source dropped") \
        < order.index("Number changed") < order.index("Attribution shift")


@pytest.mark.slow
def test_one_finding_one_item_and_shared_wording_is_never_an_item(framed):
    items = digest(framed)
    covered = [i for item in items for i in item.spans]
    assert len(covered) == len(set(covered)), "a span belongs to one item at most"
    for i in covered:
        assert framed.spans[i].difference
    # the number change is one item for both sides, the said -> claimed/hyping up shift one item
    assert sum("$32 million" in item.line for item in items) == 1
    assert sum(item.heading == "Attribution shift" for item in items) == 1
    # every difference span is in an item or inside a span that is
    for index, span in enumerate(framed.spans):
        if span.difference and index not in covered:
            assert any(framed.spans[j].side == span.side and framed.spans[j].start < span.end
                       and span.start < framed.spans[j].end for j in covered), span


@pytest.mark.slow
def test_digest_reads_the_result_only(framed, monkeypatch):
    import app.pipeline as pipeline

    monkeypatch.setattr(pipeline, "compare", lambda *a, **k: pytest.fail("the digest recomputed"))
    saved = Result.from_json(framed.to_json())
    assert [(i.heading, i.line, i.quotes) for i in digest(saved)] == \
        [(i.heading, i.line, i.quotes) for i in digest(framed)]


@pytest.mark.slow
def test_chinese_rewrite_digest_quotes_chinese(framed_zh):
    by = _by_heading(digest(framed_zh))
    assert "'3200万美元'" in by["Number changed"][0].line
    assert any("声称" in item.line for item in by["Attribution shift"])
    assert "政治闹剧" in by["Comment added"][0].quotes[1].text
    assert any("seven people familiar" in item.line for item in by["Source dropped"])


@pytest.mark.slow
def test_identity_has_no_items(use_m3):
    from app import compare

    same = compare(HARBOUR / "a.en.txt", HARBOUR / "a.en.txt", embedder=use_m3, cache=None)
    assert digest(same) == []
    text = digest_text(same)
    assert "A close translation: no confident difference found." in text
    assert "Verdict: a close translation" in text and "b leaves out none of a's 6 sentences" in text


@pytest.mark.slow
def test_terminal_text_is_pasteable(framed):
    text = digest_text(framed, limit=3)
    lines = text.splitlines()
    assert lines[0] == "What changed from a to b" and overview(framed) in lines
    assert " 1. Comment added: " in text and "    b B7: “The so-called inquiry is nothing but a farce.”" in text
    assert "    a: (no counterpart)" in text
    assert f"… and {len(digest(framed)) - 3} more" in text
    assert digest(framed)[2].as_text().startswith(f"{digest(framed)[2].heading}: ")


@pytest.mark.slow
def test_html_and_markdown_open_with_the_digest_and_link_to_each_place(framed):
    page = render_html(framed)
    assert page.index("What changed from a to b") < page.index("Sentences in A") < page.index("<main class=\"fd-body\"")
    root, tags = parse_html(render_comparison_html(framed, id_prefix="x"))
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    links = [attrs["href"] for tag, attrs in tags if tag == "a" and attrs.get("href", "").startswith("#")]
    assert links and all(link[1:] in ids for link in links)
    assert f"#{sentence_anchor('x', 'b', 6)}" in links               # the added editorial, B7
    items = root.find_all("li", "fd-dg-item")
    assert len(items) == len(digest(framed))
    assert items[0].find_all(cls="fd-dg-head")[0].text() == "Comment added:"

    md = render(framed, "md")
    assert md.index("## What changed from a to b") < md.index("## Summary")
    for target in set(re.findall(r"\]\(#(s-[ab]\d+)\)", md)):
        assert f'<a id="{target}"></a>' in md
    assert f"(#{anchor('b', 6)})" in md


@pytest.mark.slow
def test_compare_prints_the_digest_on_stderr_and_keeps_json_on_stdout(tmp_path):
    a, b = str(HARBOUR / "a.en.txt"), str(HARBOUR / "b_framed.en.txt")
    res = runner.invoke(app, ["compare", a, b, "--no-cache", "--min-confidence", "0"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["schema_version"] == "framediff.result/1"
    assert "What changed from a to b" in res.stderr and "Attribution shift" in res.stderr
    res = runner.invoke(app, ["compare", a, b, "--no-cache", "-q", "--min-confidence", "0", "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 0 and "What changed" not in res.stderr
    res = runner.invoke(app, ["export", str(tmp_path / "r.json"), "-f", "digest"])
    assert res.exit_code == 0 and res.stdout.startswith("What changed from a to b")
    assert "Number changed: a says '$23 million', b says '$32 million'." in res.stdout


@pytest.mark.slow
def test_sources_dropped_from_one_sentence_are_one_item(norvale_result):
    items = [item for item in digest(norvale_result) if item.heading.startswith("Source")]
    merged = [item for item in items if item.heading == "Sources dropped"]
    assert len(merged) == 1
    line = merged[0].line
    assert "'seven people with direct knowledge of the deals' (an unnamed source)" in line
    assert "'documents reviewed by Wirewatch' (documents or data)" in line and line.endswith("have no counterpart in b")
    assert merged[0].quotes[0].place == "A1" and len(merged[0].spans) >= 2
