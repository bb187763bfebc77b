"""`python -m bench many`: the story it times is built from corpora/samples, and its report says what it measured."""

from __future__ import annotations

import pytest

from bench.many import many_story, run_many_bench


def test_the_story_is_one_source_and_five_rewrites_of_about_a_thousand_words():
    source, rewrites, names = many_story()
    assert len(rewrites) == len(names) == 5 and len(set(names)) == 5
    assert 900 <= len(source.split()) <= 1100
    for name, text in zip(names, rewrites):
        if name.startswith("en"):
            assert 800 <= len(text.split()) <= 1300, name
        else:
            assert 1200 <= len(text) <= 2500, name    # Chinese: characters, about as long as 1,000 English words
    assert many_story() == (source, rewrites, names)     # deterministic


@pytest.mark.slow
def test_one_repeat_reports_times_and_finds_the_additions_two_rewrites_share():
    report = run_many_bench(repeats=1)
    assert report["bench"] == "many" and report["repeats"] == 1 and len(report["seconds"]) == 1
    assert report["sentences_source"] > 40 and report["texts_embedded_per_run"] > 0
    # rewrites 2 and 3 both add the harbour-strike report (zh and en), 4 and 5 the lakeside trial
    assert report["shared_added_groups"] >= 2
    assert set(report) >= {"mean_ci95", "median_seconds", "target_seconds", "met", "config_hash"}
