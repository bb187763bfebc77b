"""Every CSV FrameDiff writes opens in a spreadsheet with no formula evaluated (issue 15).

Each path (compare/export CSV, the web UI's download, batch spans.csv and pairs.csv) gets
articles and outlet names whose lines start like formulas; LibreOffice (Debian's
libreoffice-calc, installed by .ci/run) imports every CSV with formula evaluation on and
writes back what the cells show. A live formula would show its value ("=1+1" as 2, a
HYPERLINK as its label); a defused one shows the text. A control run with ``--csv-raw``
proves the check would see a live formula.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.batch import BatchOptions, run_batch
from app.cli import app
from app.export.csv_rows import render_csv
from app.export.spreadsheet import FORMULA_START, safe_cell
from app.pipeline import compare
from app.settings import Settings
from app.web import downloads

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   "apt-get install libreoffice-calc (.ci/run does)")
# Comma-separated, '"'-quoted, UTF-8 (76), from line 1, "evaluate formulas" on (token 13): the worst case.
IMPORT = "CSV:44,34,76,1,,1033,false,false,false,false,false,-1,true"
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1"
HOSTILE_OUTLET = '=HYPERLINK("http://evil.invalid","click")'
A_TEXT = "The council met on Monday to approve the budget.\n=1+1\n"
B_TEXT = ("The council met on Monday to approve the budget.\n=2+2\n@SUM(3,3)\n-4+4 people left.\n"
          "+5+5 more came.\n=HYPERLINK(\"http://evil.invalid\",\"click\")\n")


def shown_by_libreoffice(paths: list[Path], out_dir: Path) -> dict[str, list[list[str]]]:
    """What LibreOffice's cells show for each CSV (file name → rows), after import and re-export."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "profile"      # a private profile: no clash with another soffice running
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", f"--infilter={IMPORT}",
                    "--convert-to", EXPORT, "--outdir", str(out_dir), *map(str, paths)],
                   check=True, capture_output=True, timeout=240)
    shown = {}
    for path in paths:
        with open(out_dir / path.name, encoding="utf-8", newline="") as handle:
            shown[path.name] = list(csv.reader(handle))
    return shown


def formula_like_cells(shown: list[list[str]], written: Path) -> list[tuple[str, str]]:
    """(written, shown) for every cell written as a formula, defused ('=…) or not: they must agree."""
    with open(written, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == len(shown)
    return [(cell, shown_row[k]) for row, shown_row in zip(rows, shown) for k, cell in enumerate(row)
            if cell.lstrip("'").startswith(FORMULA_START)]


@pytest.fixture(scope="module")
def hostile_result():
    return compare(A_TEXT, B_TEXT, settings=Settings(model="hash", word_diff=False), cache=None,
                   lang_a="en", lang_b="en")


def test_safe_cell_follows_the_owasp_rule():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1") == "'" + start + "1"
        assert safe_cell(start + "1", raw=True) == start + "1"
    assert safe_cell("plain") == "plain" and safe_cell(-3) == -3 and safe_cell(None) is None


def test_the_compare_csv_defuses_by_default_and_is_raw_on_request(hostile_result):
    rows = list(csv.DictReader(render_csv(hostile_result).splitlines()))
    texts = [row["text"] for row in rows]
    assert "'=2+2" in texts and not any(t.startswith(FORMULA_START) for t in texts)
    raw = list(csv.DictReader(render_csv(hostile_result, csv_raw=True).splitlines()))
    assert "=2+2" in [row["text"] for row in raw]


@needs_soffice
@pytest.mark.slow
def test_no_csv_from_any_path_runs_a_formula_in_libreoffice(tmp_path, hostile_result):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(A_TEXT, encoding="utf-8")
    b.write_text(B_TEXT, encoding="utf-8")
    runner = CliRunner()
    files = {}
    for name, extra in (("compare.csv", []), ("compare-excel.csv", ["--excel"]), ("raw.csv", ["--csv-raw"])):
        res = runner.invoke(app, ["compare", str(a), str(b), "--model", "hash", "--no-word-diff", "--lang-a", "en",
                                  "--lang-b", "en", "--no-cache", "-f", "csv", "-o", str(tmp_path / name), *extra])
        assert res.exit_code == 0, res.output
        files[name] = tmp_path / name
    web = Path(downloads.write_exports(hostile_result)["csv"])
    files["web.csv"] = shutil.copy(web, tmp_path / "web.csv")
    assert files["web.csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "hostile", "a": A_TEXT, "b": B_TEXT, "outlet_a": HOSTILE_OUTLET,
                                 "outlet_b": "@evil", "lang_a": "en", "lang_b": "en"}) + "\n", encoding="utf-8")
    out = tmp_path / "batch"
    run_batch(pairs, out, options=BatchOptions(workers=0, settings=Settings(model="hash", word_diff=False)))
    files["spans.csv"] = shutil.copy(out / "spans.csv", tmp_path / "batch-spans.csv")
    files["pairs.csv"] = shutil.copy(out / "pairs.csv", tmp_path / "batch-pairs.csv")

    shown = shown_by_libreoffice(list(map(Path, files.values())), tmp_path / "shown")
    control = formula_like_cells(shown["raw.csv"], files["raw.csv"])
    assert ("=1+1", "2") in control, "control: LibreOffice should run a raw =1+1"
    for name, path in files.items():
        if name == "raw.csv":
            continue
        cells = formula_like_cells(shown[Path(path).name], Path(path))
        assert cells and all(written.startswith("'") and seen == written for written, seen in cells), (name, cells)
    pair_row = shown["batch-pairs.csv"][1]
    assert "'" + HOSTILE_OUTLET in pair_row and "'@evil" in pair_row
