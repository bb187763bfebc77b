"""Coded, user-facing errors.

Every failure a user can cause (bad file, empty text, unsupported language,
missing model) raises :class:`FrameDiffError` with a stable code, so the CLI,
the web UI and batch mode can all show one clear line and never a traceback.
Only the CLI prints; core code raises.
"""

from __future__ import annotations


class FrameDiffError(Exception):
    """An error caused by input or environment, with a stable code and one-line message."""

    def __init__(self, code: str, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message

    def to_dict(self) -> dict:
        return {"ok": False, "code": self.code, "error": self.message}

    def __reduce__(self):
        # Pickles whole, so an error raised in a Dask worker arrives intact in the driver.
        return (self.__class__, (self.code, self.message))


def error(code: str, **kwargs) -> FrameDiffError:
    """Build a FrameDiffError from a code in :data:`MESSAGES`."""
    return FrameDiffError(code, MESSAGES[code].format(**kwargs))


MESSAGES: dict[str, str] = {
    "E001": "{what} is empty (nothing but whitespace); there is nothing to compare.",
    "E002": "{what} looks like a binary file ({detail}), not an article. Supported inputs: plain text (.txt, .md), "
            "HTML (.html, .htm), PDF (.pdf), DOCX (.docx) or an http(s):// URL.",
    "E003": "{what} could not be decoded as text (tried UTF-8 and detection: {detail}).",
    "E004": "{what} is in {language}, which the embedding model '{model}' does not cover "
            "(it covers: {covered}). Choose another model with --model, or override the "
            "language with --lang-{side} if detection was wrong.",
    "E005": "{what} has {size:,} characters, over the limit of {limit:,} "
            "(raise it with --max-chars if you really mean it).",
    "E019": "{what} has {count:,} sentences (or lines), over the limit of {limit:,}: the alignment compares every "
            "sentence with every sentence of the other article, so its cost grows with the square of the count. "
            "Compare a shorter part, or join short lines into paragraphs.",
    "E006": "{what}: file not found: {path}",
    "E007": "Embedding model '{name}' is not available here: {detail}",
    "E008": "Optional dependency missing for {feature}: run `pip install {package}`.",
    "E009": "Unknown {what} '{name}'. Choose one of: {choices}.",
    "E010": "{what}: {detail}",
    "E011": "Could not detect the language of {what} (language unknown: its words are in no language FrameDiff "
            "knows, or there are too few of them); pass it explicitly with --lang-{side}.",
    "E012": "Bad pre-split input for {what}: {detail}",
    "E013": "Benchmark data not found at {path}: {detail}",
    "E014": "Result file {path} is not a valid FrameDiff result: {detail}",
    # E020-E029: inputs (app/text/sources.py, app/text/fetch.py, app/text/documents.py)
    "E020": "{what}: could not fetch {url}: {reason}.",
    "E021": "{what}: could not fetch {url}: the server answered HTTP {status} ({reason}).",
    "E022": "{what}: could not fetch {url}: it is too large ({size}; the download limit is {limit:,} bytes).",
    "E023": "{what}: {url} is not an article: {detail}.",
    "E024": "{what}: {kind} is not a supported input. Supported: {supported}.",
    "E025": "{what}: the {kind} file could not be read: {detail}.",
    "E026": "{what}: no such file: {path}. It looks like a web address: give it in full, starting with https://",
    # translation (E030-E039)
    "E030": "Translation model '{name}' is not available here: {detail}. See `python -m app models list`.",
    "E031": "No translation model for {src} → {tgt} is present on this machine (known: {known}). "
            "Get one with `python -m app models download {first}`, or pass --translate-model PATH.",
    "E032": "The translation of b has {lines} lines but b has {sentences} sentences; give one line per "
            "sentence of b, in order (`python -m app sentences B` prints them).",
    "E033": "Translation model '{name}' does not translate {src} → {tgt}.",
    "E034": "Translate-then-compare embeds b's translation next to a, so it must be in a's language "
            "({language}), not '{target}': set --translate-to {language}.",
    "E035": "Cannot download '{name}': {detail}",
    "E016": "Settings file {path}: {detail}",
    "E017": "Setting '{name}' ({option}) {rule}, got {value!r}.",
    "E015": "Several export formats ({formats}) need a directory: pass -o DIR (got {output}).",
    "E018": "compare-many needs a source and at least one rewrite that is not the source itself ({detail}).",
    # E040-E049: the web UI
    "E040": "{what} is {size:,} bytes, over the upload limit of {limit:,} bytes.",
    "E041": "The comparison took longer than this server allows ({seconds:g} s) and was stopped. Compare "
            "shorter articles, or run it without a time limit: `python -m app compare A B`.",
    # E050-E059: batch mode (app/batch)
    "E050": "Bad row {where}: {detail}.",
    "E051": "Pairs source {path}: {detail}.",
    "E052": "Duplicate pair id '{id}' at {where} (first seen at {first}); only the first row is compared.",
    "E053": "Pair '{id}' failed unexpectedly ({kind}): {detail}",
    "E054": "Could not start or reach the Dask cluster ({where}): {detail}",
}
