"""A time budget for one comparison, checked where the work is: every embedding call and batch.

The web server gives each request a budget (``serve --time-budget``) so that one huge
request cannot hold a comparison slot for minutes while other users queue. Python cannot
stop a thread from outside, so the work checks the budget itself, between batches of the
forward pass and at every embedding call (the bulk of a comparison's time). The budget lives
in a context variable: it belongs to the request's thread and nothing else.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("framediff_deadline", default=None)


class TimeBudgetExceeded(Exception):
    """The running comparison used up its time budget (the web layer turns this into E041)."""

    def __init__(self, seconds: float):
        super().__init__(f"time budget of {seconds:g} s used up")
        self.seconds = seconds


@contextmanager
def time_budget(seconds: float | None):
    """Within the block, :func:`check_time_budget` raises once ``seconds`` have passed (None: no budget)."""
    if not seconds:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time_budget() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise TimeBudgetExceeded(deadline[1])
