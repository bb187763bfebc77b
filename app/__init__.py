"""FrameDiff: see how one outlet's report differs from another's, across languages."""

__version__ = "0.1.0"


def compare(*args, **kwargs):
    """Compare two articles; see :func:`app.pipeline.compare`."""
    from .pipeline import compare as _compare

    return _compare(*args, **kwargs)


__all__ = ["compare", "__version__"]
