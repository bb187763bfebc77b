"""Fuzzed compare: a Result whose spans slice their text exactly, or a coded error; nothing else.

Bounded and seeded (``derandomize``: the same cases on every run, no example database). Most
cases use the hash.v1 embedder, which exercises reading, decoding, segmentation, alignment and
the result for a fraction of USE-m3's time; a smaller set runs the real default USE-m3 with the
word level on. ``python -m bench.robustness`` runs 10,000 and more (docs/robustness.md).
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings

from bench.fuzz_cases import cases, run_case

SEEDED = dict(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
OUTCOME = re.compile(r"^(result|E\d{3})$")   # run_case raises on anything else, or on a span that does not slice


@pytest.fixture(scope="module")
def hash_embedder():
    from models.registry import get_embedder

    return get_embedder("hash")


def test_fuzzed_inputs_give_a_result_or_a_coded_error_hash(hash_embedder):
    @settings(max_examples=300, **SEEDED)
    @given(cases)
    def check(case):
        assert OUTCOME.match(run_case(case, embedder=hash_embedder, model="hash"))

    check()


@pytest.mark.slow
def test_fuzzed_inputs_give_a_result_or_a_coded_error_use_m3(use_m3):
    @settings(max_examples=25, **SEEDED)
    @given(cases)
    def check(case):
        assert OUTCOME.match(run_case(case, embedder=use_m3, model="use-m3"))

    check()
