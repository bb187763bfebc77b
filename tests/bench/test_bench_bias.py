"""bench bias runs on the real data when ../shared/benchmarks is present, and fails clearly when not."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bench.cli import app


def test_bias_bench_missing_data_is_a_coded_error(tmp_path):
    out = CliRunner().invoke(app, ["bias", "--data", str(tmp_path)])
    assert out.exit_code == 1 and "E013" in out.output


@pytest.mark.bench
def test_bias_bench_dev_prints_json_last(benchmarks):
    out = CliRunner().invoke(app, ["bias", "--data", str(benchmarks / "bias"), "--split", "dev"])
    assert out.exit_code == 0
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["babe_words"]["rows"] > 1000 and 0 < report["babe_words"]["f1"] < 1
    assert report["basil_lexical"]["years"] == [2010, 2011, 2012, 2013, 2014]


def test_bench_flags_exactly_what_the_pipeline_marks_loaded(use_m3):
    """The bench measures the pipeline's own loaded spans on side b, not a copy of their logic."""
    from app import compare
    from bench.bias import flagged_spans
    from app.settings import Settings
    from tests.conftest import SAMPLES

    folder = SAMPLES / "harbour"
    result = compare(folder / "a.en.txt", folder / "b_framed.en.txt", embedder=use_m3, cache=None)
    # One finding, one span: a term is a `loaded` span, or a `framing` span when it is also a shift.
    terms = [s for s in result.spans_of("loaded", "b") + result.spans_of("framing", "b")
             if s.label not in ("scare_quote", "editorial_aside")]
    loaded = sorted((s.start, s.end) for s in terms)
    assert loaded and sorted(flagged_spans(result.articles["b"].text, Settings())) == loaded
