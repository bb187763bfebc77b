"""Web requests a careful attacker would send: paths as models, lone surrogates, huge work (issue 15)."""

from __future__ import annotations

import uuid

import gradio as gr
import pytest

from app.settings import Settings
from app.web import engine, model_access
from app.web.ui import Handlers
from models.loaded import MODELS
from tests.conftest import SAMPLES

A_TEXT = (SAMPLES / "norvale" / "a.en.txt").read_text(encoding="utf-8")
B_TEXT = (SAMPLES / "norvale" / "b.zh.txt").read_text(encoding="utf-8")


def _message(handlers: Handlers, *args, **kwargs) -> str:
    with pytest.raises(gr.Error) as info:
        handlers.compare_api(*args, **kwargs)
    return info.value.message


@pytest.mark.parametrize("name", ["/etc/passwd", "/etc", "/no/such/path", "../models", "sentence-transformers/LaBSE"])
def test_a_path_as_model_gets_the_same_answer_as_any_unknown_name(name):
    message = _message(Handlers(Settings()), "a", "b", model=name)
    assert message.startswith("[E009] Unknown embedding model")
    assert message.replace(name, "NAME") == _message(Handlers(Settings()), "a", "b", model="nonsense").replace(
        "nonsense", "NAME")
    assert "file" not in message and "directory" not in message


def test_model_dir_models_are_chosen_by_folder_name_only(tmp_path):
    (tmp_path / "mini").mkdir()
    (tmp_path / "mini" / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "not-a-model").mkdir()
    model_access.set_model_dir(tmp_path)
    try:
        assert model_access.model_dir_names() == ["mini"]
        assert model_access.resolve_embedding("mini", server_model="use-m3") == str(tmp_path / "mini")
        with pytest.raises(Exception) as info:
            model_access.resolve_embedding(str(tmp_path / "mini"), server_model="use-m3")
        assert "[E009]" in str(info.value)
        message = _message(Handlers(Settings()), "a", "b", model="mini")    # present, but no real model
        assert message.startswith("[E007]") and str(tmp_path) not in message.split("from the")[0]
    finally:
        model_access.set_model_dir(None)


def test_a_translation_model_path_is_refused():
    with pytest.raises(Exception) as info:
        engine.compare_texts("a", "b", settings=Settings(), translate_model="/etc/passwd")
    assert "[E009] Unknown translation model" in str(info.value)


@pytest.mark.slow
def test_a_request_over_its_time_budget_stops_with_e041(use_m3):
    fresh = f"Filed under case {uuid.uuid4().hex}.\n"          # nothing cached: the work really runs
    message = _message(Handlers(Settings(), time_budget=1e-9), fresh + A_TEXT, B_TEXT)
    assert message.startswith("[E041]") and "python -m app compare" in message


@pytest.mark.slow
def test_lone_surrogates_are_replaced_not_an_internal_error(use_m3):
    data = Handlers(Settings()).compare_api(A_TEXT + "\ud800", B_TEXT.replace("。", "\udfff。", 1))
    assert "\ufffd" in data["articles"]["a"]["text"]
    assert data["articles"]["b"]["meta"]["warnings"]


@pytest.mark.slow
def test_wrappers_of_dropped_models_are_forgotten(use_m3):
    engine.embedder_for("use-m3")
    assert "use-m3" in engine.loaded_models()
    saved = MODELS.entries()
    MODELS.clear()          # as if the bound had dropped it
    try:
        engine.embedder_for("hash")
        assert engine.loaded_models() == ["hash"]
    finally:
        for entry in saved:
            MODELS.get(*entry.key, lambda entry=entry: entry.model)
        engine._embedders.pop("hash", None)      # leave the process as other tests expect it
