"""Progress that names the step the comparison is really in.

``compare`` runs its named steps in order (``app.pipeline.STEPS``) after reading both articles.
The web handler runs the comparison in a worker thread and, a few times a second, looks at
that thread's stack for the function it is in: reading (``to_article``), loading the model
(``load_embedder``) or one of the pipeline's steps. Nothing in the pipeline changes and nothing
is estimated: the bar moves when the comparison enters the next step, and says which one.
(A hook in ``compare`` that calls back per step would make this simpler; until there is one,
the stack is the honest source.)
"""

from __future__ import annotations

import contextvars
import sys
import threading
from typing import Callable, TypeVar

from .. import pipeline

T = TypeVar("T")

# What the reader sees for each step, in the pipeline's order.
STEP_LABELS = {
    "load": "Loading the model",
    "read": "Reading the articles",
    "translate": "Translating sentences",
    "align": "Aligning sentences",
    "word_scores": "Comparing words",
    "support": "Checking what each side supports",
    "classify": "Classifying sentences",
    "word_spans": "Marking changed words",
    "framing": "Finding framing and loaded words",
    "facts": "Checking sources, numbers and names",
    "findings": "Putting the findings together",
    "frames": "Assigning frames",
}
POLL_SECONDS = 0.15


def step_names() -> list[str]:
    """Every step in the order it runs: reading, then the pipeline's STEPS."""
    return ["read", *(name for name, _ in pipeline.STEPS)]


def step_label(name: str) -> str:
    """What the reader sees while step ``name`` runs (a step added to the pipeline later: its name)."""
    return STEP_LABELS.get(name, name.replace("_", " ").capitalize())


def _step_codes() -> dict:
    codes = {pipeline.to_article.__code__: "read", pipeline.load_embedder.__code__: "load"}
    codes.update({step.__code__: name for name, step in pipeline.STEPS})
    return codes


def current_step(thread: threading.Thread, codes: dict | None = None) -> str | None:
    """The pipeline step ``thread`` is in now, or None (not started, between steps, or done)."""
    codes = codes or _step_codes()
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        name = codes.get(frame.f_code)
        if name is not None:
            return name
        frame = frame.f_back
    return None


def step_fraction(name: str) -> float:
    """Where the bar stands while ``name`` runs: its position among the steps, from 0.05 to 0.9."""
    names = step_names()
    if name not in names:
        return 0.05
    return 0.05 + 0.85 * names.index(name) / len(names)


def run_with_steps(work: Callable[[], T], report: Callable[[str, float], None], *,
                   poll: float = POLL_SECONDS) -> T:
    """Run ``work()`` in a worker thread; call ``report(label, fraction)`` each time it enters a step.

    Returns what ``work`` returns and raises what it raises. The worker runs in a copy of the
    caller's context, so context variables (the request's time budget) reach it.
    """
    box: dict = {}
    context = contextvars.copy_context()

    def target():
        try:
            box["value"] = context.run(work)
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="framediff-compare", daemon=True)
    codes = _step_codes()
    worker.start()
    last = None
    while worker.is_alive():
        step = current_step(worker, codes)
        if step is not None and step != last:
            last = step
            report(step_label(step), step_fraction(step))
        worker.join(poll)
    if "error" in box:
        raise box["error"]
    return box["value"]
