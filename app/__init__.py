"""FrameDiff: see how one outlet's report differs from another's, across languages."""

import os

# Offline before anything can import huggingface_hub, which reads these once, at its import (gradio and
# sentence-transformers import it): comparing never touches the network. Only `models download`
# switches the hub online, for its own call, and only when FrameDiff (not the user) set it offline.
HUB_OFFLINE_BY_FRAMEDIFF = "HF_HUB_OFFLINE" not in os.environ
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"


def compare(*args, **kwargs):
    """Compare two articles; see :func:`app.pipeline.compare`."""
    from .pipeline import compare as _compare

    return _compare(*args, **kwargs)


__all__ = ["compare", "__version__"]
