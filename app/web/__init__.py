"""The web UI (Gradio): ``build_demo(settings)`` builds it, ``serve`` launches it.

Importing this package never launches anything. Gradio's analytics are switched
off before Gradio is imported.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from .server import check, serve  # noqa: E402
from .ui import build_demo  # noqa: E402

__all__ = ["build_demo", "serve", "check"]
