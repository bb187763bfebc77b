"""Hostile inputs for compare, as hypothesis strategies, and the one rule every case must keep.

Shared by the suite (tests/test_fuzz.py: a few hundred cases) and ``python -m bench.robustness``
(10,000 and more). A case is two articles (text, or bytes read from a file), languages and
settings; its outcome must be a Result whose every span slices its article exactly
(``text[start:end] == span.text``) and that writes as UTF-8 JSON, or a coded FrameDiffError.
Anything else (another exception, a span that does not slice its text) is a failure.

Articles mix the project's own sample sentences (corpora/samples) with pieces chosen to hurt:
formula-like lines, lone surrogates, NUL and control characters, bidi and zero-width marks,
combining sequences, emoji joins, HTML and Markdown, unbalanced quotes, long lines without
punctuation, and arbitrary code points.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from app.errors import FrameDiffError
from app.pipeline import compare
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
HOSTILE_PIECES = (
    "=1+1", "@SUM(1,1)", "-2+3", "+4+4", '=HYPERLINK("http://evil.invalid","x")', "\t=cmd", "\r=cmd",
    "\ud800", "\udfff", "\ud83d", "\x00", "\x07", "\x1b[31m", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
    "\ufffe", "\uffff", "\U0010ffff", "e\u0301", "\u0301", "👩\u200d👩\u200d👧", "🇨🇳", "\ufe0f",
    "<html><body><p>Breaking news.</p></body></html>", "<script>alert(1)</script>", "<!-- x -->", "&amp;&#0;",
    "# Heading", "- item", "1. one", "> quote", "```", "---", "***", "|a|b|", "\r\n", "\r", "\t", "\u3000",
    "\u2028", "\u2029", "\x85", "。。。", "！？", "“", "”", "「", "」", "（", "…", "U.S.", "Mr.", "3.5%",
    "2026年3月5日", "１２３", "ﾃｽﾄ", "١٢٣", "שלום", "مرحبا", "Привет", "ǅ", "ß", "İ", "ﬁ", "\u0000\u0000",
    "https://example.invalid/x", "C:\\x.txt", "../../etc/passwd", "{}", "[]", '"', "'", "\\",
)
LANGUAGES = (None, None, None, "en", "zh", "fr", "de", "ja", "ru", "EN", "zh-Hant", "xx", "")
SETTING_VALUES = {
    "max_group": st.integers(-1, 7),
    "min_link_score": st.one_of(st.floats(-2, 2), st.just(math.nan)),
    "kept_threshold_cross": st.one_of(st.floats(-1.5, 1.5), st.just(math.inf)),
    "word_diff_max_gap": st.integers(-1, 4),
    "max_chars": st.integers(0, 5000),
    "attach_unaligned": st.booleans(),
}


def sample_sentences() -> list[str]:
    """The project's own sample sentences (invented articles), split roughly at sentence ends."""
    sentences = []
    for path in sorted(SAMPLES.glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in re.split(r"(?<=[.!?。！？])\s*", line) if s.strip()]
    return sentences


_SENTENCES = sample_sentences()
_sentence = st.integers(0, len(_SENTENCES) - 1).map(_SENTENCES.__getitem__)   # a short repr, unlike sampled_from
_piece = st.one_of(
    _sentence, _sentence, st.sampled_from(HOSTILE_PIECES),
    st.text(st.characters(categories=None, exclude_categories=()), max_size=30),
    st.text(st.sampled_from("的了是在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"),
            min_size=300, max_size=1500),                      # Chinese without punctuation: the cap at work
    st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(["word", "the", "=x", "-"]), st.integers(1, 400)),
)
article_text = st.builds(lambda parts, sep: sep.join(parts), st.lists(_piece, max_size=10),
                         st.sampled_from(["", " ", "\n", "\n\n", "\r\n", "\t"]))


def _encode_lossy(text: str, encoding: str, damage: int) -> bytes:
    data = text.encode(encoding, errors="replace")
    return data[:damage] + b"\xff\xfe\x80" + data[damage:] if damage >= 0 else data


article_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(_encode_lossy, article_text,
              st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252", "latin-1", "koi8-r",
                               "shift_jis"]),
              st.integers(-1, 200)),
)


@dataclass(frozen=True)
class Case:
    a: str | bytes
    b: str | bytes
    lang_a: str | None
    lang_b: str | None
    settings: dict = field(default_factory=dict)


cases = st.builds(Case, st.one_of(article_text, article_text, article_bytes),
                  st.one_of(article_text, article_text, article_bytes),
                  st.sampled_from(LANGUAGES), st.sampled_from(LANGUAGES),
                  st.one_of(st.just({}), st.just({}), st.fixed_dictionaries({}, optional=SETTING_VALUES)))


def run_case(case: Case, *, embedder, model: str) -> str:
    """The outcome of one case: ``"result"`` or the error code. Raises AssertionError on a broken
    result, and lets any uncoded exception through (the caller counts or reports it)."""
    with tempfile.TemporaryDirectory() as folder:
        a, b = (_as_input(x, Path(folder) / f"{side}.txt") for x, side in ((case.a, "a"), (case.b, "b")))
        try:
            settings = Settings(model=model, **case.settings)
            result = compare(a, b, settings=settings, embedder=embedder, cache=None,
                             lang_a=case.lang_a or None, lang_b=case.lang_b or None)
        except FrameDiffError as exc:
            return exc.code
    check_result(result)
    return "result"


def check_result(result) -> None:
    """Every span and sentence slices its article's text exactly; the result writes as UTF-8 JSON."""
    for span in result.spans:
        text = result.articles[span.side].text
        assert 0 <= span.start <= span.end <= len(text), span
        assert text[span.start:span.end] == span.text, span
        if span.counterpart is not None:
            other = result.articles[span.counterpart.side].text
            assert other[span.counterpart.start:span.counterpart.end] == span.counterpart.text, span
    for side, article in result.articles.items():
        for sent in article.sentences:
            assert 0 <= sent.start < sent.end <= len(article.text), (side, sent)
    result.to_json().encode("utf-8")


def _as_input(value: str | bytes, path: Path) -> str | Path:
    if isinstance(value, bytes):
        path.write_bytes(value)
        return path
    return value
