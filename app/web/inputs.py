"""What the input panel needs: uploaded files as text, detected languages, model choices, the example.

Plain functions, no Gradio: the UI wires them up and the tests call them directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from models.registry import list_models

from ..text.decode import ReadFile, read_file
from ..errors import FrameDiffError, error
from ..text.sources import SUPPORTED_INPUTS
from ..text.language import detect_language, language_name
from ..model_info import present_models
from .model_access import HIDDEN_MODELS, model_dir_names

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "corpora" / "samples" / "norvale"
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx")
AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Example:
    a_text: str
    b_text: str
    outlet_a: str
    outlet_b: str
    title_a: str
    title_b: str


def load_example(folder: Path = EXAMPLE_DIR) -> Example:
    """The bundled sample pair (an invented wire report and its Chinese rewrite)."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return Example(a_text=(folder / "a.en.txt").read_text(encoding="utf-8"),
                   b_text=(folder / "b.zh.txt").read_text(encoding="utf-8"),
                   outlet_a=meta.get("outlet_a", ""), outlet_b=meta.get("outlet_b", ""),
                   title_a=meta.get("title_a", ""), title_b=meta.get("title_b", ""))


def read_upload(path: str | Path, *, side: str, max_bytes: int) -> str:
    """An uploaded .txt/.md/.html/.pdf/.docx file as article text (HTML, PDF, DOCX reduced to their text)."""
    return read_upload_file(path, side=side, max_bytes=max_bytes).text


def read_upload_file(path: str | Path, *, side: str, max_bytes: int) -> ReadFile:
    """An uploaded file as article text, with the warnings of its decoding (a guessed encoding, …)."""
    what = f"article {side} ({Path(path).name})"
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise error("E040", what=what, size=size, limit=max_bytes)
    if Path(path).suffix.lower() not in UPLOAD_SUFFIXES + (".htm",):
        raise error("E024", what=what, kind=f"a {Path(path).suffix or 'suffix-less'} file", supported=SUPPORTED_INPUTS)
    return read_file(path, what=what)      # the CLI's input path (app/text/sources.py): PDF, DOCX, HTML, text


def detected_language_note(text: str, *, side: str) -> str:
    """One Markdown line saying which language the text is in, for display under the text area."""
    if not text or not text.strip():
        return "Language: —"
    try:
        code = detect_language(text, what=f"article {side}", side=side)
    except FrameDiffError:
        return "Language: could not detect — choose one"
    return f"Language detected: **{language_name(code)}** (`{code}`) · {len(text):,} characters"


def model_choices() -> list[tuple[str, str]]:
    """(label, name) of the embedding models present on this machine, the offline default first."""
    rows = [spec for spec in present_models("embedding") if spec.name not in HIDDEN_MODELS]
    rows.sort(key=lambda spec: spec.name != "use-m3")
    return [(f"{spec.name} ({spec.size})" if spec.size else spec.name, spec.name) for spec in rows] + [
        (f"{name} (this server's)", name) for name in model_dir_names()]


NO_TRANSLATION = "none"


def translation_choices() -> list[tuple[str, str]]:
    """No translation, then the translation models present on this machine; [] when none is."""
    specs = present_models("translation")
    if not specs:
        return []
    return [("No translation", NO_TRANSLATION)] + [
        (f"{spec.name} ({spec.size})" if spec.size else spec.name, spec.name) for spec in specs]


def language_choices(model: str) -> list[tuple[str, str]]:
    """Auto-detect, then the languages the model covers, by name."""
    spec = next((s for s in list_models() if s.name == model), None)
    codes = sorted(spec.languages) if spec is not None and spec.languages else []
    named = sorted((language_name(code), code) for code in codes)
    return [("Auto-detect", AUTO)] + named


def language_or_none(value: str | None) -> str | None:
    return None if not value or value == AUTO else value


def blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None
