"""Exporters: turn a saved :class:`~app.result.Result` into files people use elsewhere.

Every exporter only READS the result; none recomputes anything. They are found
through one small registry (:mod:`app.export.registry`); the built-in ones
register through the same call a plug-in would use.
"""

from __future__ import annotations

from .registry import Exporter, exporter_names, get_exporter, register_exporter, render

__all__ = ["Exporter", "exporter_names", "get_exporter", "register_exporter", "render"]
