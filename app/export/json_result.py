"""The result itself as JSON (schema ``framediff.result/1``, app/schemas/result-1.json)."""

from __future__ import annotations

from ..result import Result
from .registry import register_exporter


def render_json(result: Result, **_options) -> str:
    return result.to_json(indent=2) + "\n"


register_exporter("json", render=render_json, extension="json", media_type="application/json",
                  description="The result object, framediff.result/1 (see app/schemas/result-1.json).")
