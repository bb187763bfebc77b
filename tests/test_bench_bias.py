"""bench bias runs on the real data when ../shared/benchmarks is present, and fails clearly when not."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import app


def test_bias_bench_missing_data_is_a_coded_error(tmp_path):
    out = CliRunner().invoke(app, ["bench", "bias", "--data", str(tmp_path)])
    assert out.exit_code == 1 and "E013" in out.output


@pytest.mark.bench
def test_bias_bench_dev_prints_json_last(benchmarks):
    out = CliRunner().invoke(app, ["bench", "bias", "--data", str(benchmarks / "bias"), "--split", "dev"])
    assert out.exit_code == 0
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["babe_words"]["rows"] > 1000 and 0 < report["babe_words"]["f1"] < 1
    assert report["basil_lexical"]["years"] == [2010, 2011, 2012, 2013, 2014]
