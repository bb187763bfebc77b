"""Checks on one setting's value: its type, a finite number, and the range declared next to the field.

``Settings.__post_init__`` runs :func:`check_setting` on every field, so a value that would
make a comparison meaningless (``min_link_score = nan`` drops every link, ``max_group = 0``
allows none) is refused at construction, by the CLI, the settings file, the web server and
the Python API alike, with one coded error (E017) naming the setting.

A field declares its range in its metadata: ``_setting(0.5, "help", low=0, high=1)``; either
end may be left open (None). Fields without a range get only the type and finiteness checks.
"""

from __future__ import annotations

import math

from .errors import error

_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def check_setting(name: str, value, *, expected: type, low=None, high=None) -> None:
    """Raise E017 unless ``value`` has the field's type, is finite, and lies in ``[low, high]``."""
    if not _has_type(value, expected):
        _fail(name, f"must be {_TYPE_WORDS.get(expected, expected.__name__)}", value)
    if expected is float and not _finite(value):
        _fail(name, "must be a finite number", value)
    if expected is str and not value.strip():
        _fail(name, "must not be empty", value)
    if (low is not None and value < low) or (high is not None and value > high):
        _fail(name, f"must be {range_text(low, high)}", value)


def range_text(low, high) -> str:
    """``from 0 to 1``, ``at least 1``, ``at most 5``: the words the error and the docs use."""
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _finite(value) -> bool:
    """A number that is finite as a float: 10**309 is a valid int but no float (OverflowError)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _has_type(value, expected: type) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected) and not isinstance(value, bool)


def _fail(name: str, rule: str, value) -> None:
    option = "--" + name.replace("_", "-")
    if len(str(value)) > 40:                  # a 400-digit number or a pasted paragraph: its start says enough
        value = str(value)[:37] + "..."
    raise error("E017", name=name, option=option, rule=rule, value=value)
