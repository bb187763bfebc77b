"""The coverage matrix views (app/export/matrix.py) and the `compare-many` command on the story in tests/data/many."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.errors import FrameDiffError
from app.export.matrix import matrix_csv, matrix_html
from app.many import ManyResult, compare_many

pytestmark = pytest.mark.slow

STORY = Path(__file__).resolve().parents[1] / "data" / "many"
FILES = ["source.en.txt", "ledger.en.txt", "herald.zh-Hans.txt", "times.zh-Hant.txt", "post.en.txt"]


class Cells(HTMLParser):
    """Every <td> of the matrix table with its attributes, its text and its hover text ("tip"); every tag seen."""

    def __init__(self):
        super().__init__()
        self.tags, self.rows, self._cell, self._table, self._in_tip = [], [], None, None, False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id")
        if self._table == "matrix" and tag == "tr":
            self.rows.append({"attrs": attrs, "cells": []})
        if self._table == "matrix" and tag == "td":
            self._cell = {**attrs, "text": "", "tip": ""}
            self.rows[-1]["cells"].append(self._cell)
        if tag == "span" and attrs.get("class") == "tip":
            self._in_tip = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        if tag == "span":
            self._in_tip = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["tip" if self._in_tip else "text"] += data


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    out = tmp_path_factory.mktemp("many")
    # every detected span counted: the matrix is tested on every kind (the gate: tests/steps/test_confidence.py)
    result = CliRunner().invoke(app, ["compare-many", *[str(STORY / f) for f in FILES], "-o", str(out), "--no-cache",
                                      "--min-confidence", "0"])
    assert result.exit_code == 0, result.output
    return out


def test_the_command_writes_json_html_and_csv(story):
    assert sorted(p.name for p in story.iterdir()) == ["digest.txt", "many.json", "matrix.csv", "matrix.html"]
    many = ManyResult.from_json((story / "many.json").read_text(encoding="utf-8"))
    assert many.schema_version == "framediff.many/1" and len(many.outlets) == 4


def test_the_html_cells_carry_status_and_the_outlets_wording_on_hover(story):
    parser = Cells()
    parser.feed((story / "matrix.html").read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "link" not in parser.tags   # self-contained, no code
    source_rows = [r for r in parser.rows if r["attrs"].get("class") == "source"]
    assert len(source_rows) == 10
    shops = source_rows[5]["cells"]
    assert "shop owners" in shops[1]["text"]
    by_outlet = {c["data-outlet"]: c for c in shops[2:]}
    assert "omitted" in by_outlet["ledger"]["class"] and by_outlet["ledger"]["tip"] == ""
    assert by_outlet["ledger"]["text"] == "omitted" and by_outlet["times"]["text"] == "kept"
    mayor = {c["data-outlet"]: c for c in source_rows[3]["cells"][2:]}
    assert "声称" in mayor["herald"]["tip"] and "claimed" in mayor["post"]["tip"]
    assert mayor["herald"]["text"] == "keptframing" and "changed" in mayor["herald"]["class"]
    assert mayor["ledger"]["text"] == "kept" and "changed" not in mayor["ledger"]["class"]
    added = [r for r in parser.rows if "added" in r["attrs"].get("class", "")]
    assert len(added) == 1 and "shared" in added[0]["attrs"]["class"]
    cells = {c["data-outlet"]: c for c in added[0]["cells"][2:]}
    assert "北岸居民" in cells["herald"]["tip"] and "north bank" in cells["ledger"]["tip"]
    assert "none" in cells["times"]["class"] and "none" in cells["post"]["class"]


def test_the_csv_has_a_row_per_source_sentence_then_the_additions(story):
    rows = list(csv.DictReader(io.StringIO((story / "matrix.csv").read_text(encoding="utf-8"))))
    assert [r["row"] for r in rows] == ["source"] * 10 + ["added (shared)"]
    assert rows[8]["times status"] == "omitted" and rows[8]["times text"] == ""
    assert rows[7]["post text"].startswith("The repairs are expected to cost 35 million")
    assert rows[7]["post changes"] == "number" and rows[7]["ledger changes"] == ""
    assert rows[5]["post changes"] == "moved" and rows[5]["post text"].startswith("Local shop owners")
    assert rows[10]["herald status"] == "added" and rows[10]["post status"] == ""


def test_the_digest_says_who_dropped_and_added_what(story):
    digest = (story / "digest.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in digest.splitlines()]
    assert "ledger: 9 kept, 0 reworded, 1 omitted of 10 (#6); 1 sentence(s) added" in lines
    assert "times: 9 kept, 0 reworded, 1 omitted of 10 (#9); 0 sentence(s) added" in lines
    shared = lines[lines.index("Added by several outlets, not in the source (a common second source?):") + 1]
    assert shared.startswith("ledger, herald:") and "北岸居民" in shared
    section = digest.split("Dropped hedges:")[1].split("\n\n")[0]
    assert section.strip() == 'ledger: "probably" (source #3)'
    section = digest.split("Dropped sources:")[1].split("\n\n")[0]
    assert section.strip() == 'times: "according to the regional transport department" (source #5)'
    section = digest.split("Added framing:")[1].split("\n\n")[0]
    assert [line.strip() for line in section.strip().splitlines()] == ['herald: "声称"', 'post: "claimed"',
                                                                       'post: "so-called"']
    assert 'post: "31 million dollars" -> "35 million dollars" (source #8)' in lines
    assert lines[lines.index("Told out of the source's order:") + 1] == "post: #6"


def test_without_output_the_command_prints_the_json(tmp_path):
    result = CliRunner().invoke(app, ["compare-many", str(STORY / FILES[0]), str(STORY / FILES[1]), "--no-cache",
                                      "--name", "wire", "--name", "ledger daily"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_name"] == "wire" and [o["name"] for o in data["outlets"]] == ["ledger daily"]


def test_source_auto_picks_the_article_the_others_share_most_with_and_keeps_the_names():
    files = [STORY / "times.zh-Hant.txt", STORY / "source.en.txt", STORY / "ledger.en.txt"]
    result = CliRunner().invoke(app, ["compare-many", *map(str, files), "--source", "auto", "--no-cache",
                                      "--name", "Times", "--name", "Wire", "--name", "Ledger"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_choice"]["method"] == "coverage" and data["source_choice"]["index"] == 1
    assert data["source_name"] == "Wire" and [o["name"] for o in data["outlets"]] == ["Times", "Ledger"]
    assert "source: Wire (" in result.stderr


def test_bad_requests_exit_1():
    runner = CliRunner()
    assert runner.invoke(app, ["compare-many", str(STORY / FILES[0])]).exit_code == 1
    assert runner.invoke(app, ["compare-many", str(STORY / FILES[0]), str(STORY / FILES[1]),
                               "--source", "latest"]).exit_code == 1
    assert runner.invoke(app, ["compare-many", str(STORY / FILES[0]), str(STORY / FILES[1]),
                               "--name", "one"]).exit_code == 1


def test_no_rewrite_but_the_source_is_a_coded_error(tmp_path):
    runner = CliRunner()
    alone = runner.invoke(app, ["compare-many", str(STORY / FILES[0])])
    twice = runner.invoke(app, ["compare-many", str(STORY / FILES[0]), str(STORY / ".." / "many" / FILES[0])])
    for result in (alone, twice):
        assert result.exit_code == 1
        assert result.stderr.startswith("error: [E018] compare-many needs a source and at least one rewrite")
    assert "no rewrite was given" in alone.stderr and "every rewrite given is the source" in twice.stderr
    copy = tmp_path / "copy.txt"                   # another file with the source's text: read, then refused
    copy.write_text((STORY / FILES[0]).read_text(encoding="utf-8"), encoding="utf-8")
    same = runner.invoke(app, ["compare-many", str(STORY / FILES[0]), str(copy), "--model", "hash"])
    assert same.exit_code == 1 and "[E018]" in same.stderr and "same text as the source" in same.stderr


def test_compare_many_refuses_an_empty_list_of_rewrites():
    with pytest.raises(FrameDiffError) as info:
        compare_many("The mayor said the bridge would close.", [])
    assert info.value.code == "E018"


def test_hostile_text_stays_text_in_html_and_csv(use_m3):
    source = ("The minister opened the new hospital on Monday. <script>alert(1)</script> was written on a wall. "
              "The hospital has 200 beds.")
    rewrite = ('=HYPERLINK("http://evil.example","click") said the sign. The minister opened the new hospital on '
               'Monday. The hospital has 200 beds.')
    many = compare_many(source, [rewrite], embedder=use_m3, cache=None, names=['<img src=x onerror=alert(1)>'])
    page = matrix_html(many)
    parser = Cells()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    table = list(csv.reader(io.StringIO(matrix_csv(many))))
    cells = [c for row in table for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    raw = [c for row in csv.reader(io.StringIO(matrix_csv(many, raw=True))) for c in row]
    assert any(c.startswith("=HYPERLINK") for c in raw)
