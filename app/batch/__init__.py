"""Batch mode: compare a corpus of article pairs, resumably, on Dask, with a corpus report.

``run_batch(PAIRS, OUT_DIR, options=BatchOptions(...))`` maps
:func:`app.pipeline.compare` over the pairs (see :mod:`app.batch.run` for how state
and resumption work) and adds no comparison logic of its own.
"""

from .pairs import PairSpec, RowProblem, read_pairs
from .run import BatchOptions, run_batch

__all__ = ["BatchOptions", "PairSpec", "RowProblem", "read_pairs", "run_batch"]
