"""Bookkeeping for one sweep: finished runs, failed attempts, retries, persistence, progress.

The executors report each attempt here; the tracker decides whether a failed
attempt is tried again, saves each finished run at once, and never records a
run twice.

Examples
--------
>>> from simkit.sweeps.runs import expand_grid
>>> run = expand_grid({"x": [1]})[0]
>>> tracker = Tracker(retries=1)
>>> tracker.failed(run, RuntimeError("flaky"))   # first failure: try again
True
>>> tracker.failed(run, RuntimeError("flaky"))   # second: give up, record the error
False
>>> tracker.errors
{0: 'RuntimeError: flaky'}
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from simkit.sweeps.metrics import MetricError
from simkit.sweeps.runs import Run
from simkit.sweeps.store import RunStore

__all__ = ["Tracker", "describe"]


class _Bar(Protocol):
    def update(self, n: int = 1) -> object: ...


def describe(error: BaseException) -> str:
    """``"Type: message"`` for an exception, as the ``error`` column shows it.

    Examples
    --------
    >>> describe(ValueError("bad value"))
    'ValueError: bad value'
    """
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class Tracker:
    """Finished runs, failed attempts and retries of one sweep.

    Parameters
    ----------
    retries : int
        How many times a failed run is tried again (so ``retries + 1`` attempts
        at most).  A :class:`~simkit.sweeps.metrics.MetricError` is never retried.
    store : RunStore, optional
        Where each finished run is saved the moment it is reported.
    bar : progress bar, optional
        Anything with ``update(n)``: advanced once per run finished or given up.

    Attributes
    ----------
    records : dict
        Run index to its record (``metrics``, ``elapsed`` ...), finished runs only.
    errors : dict
        Run index to the error of its last attempt, for runs given up.
    attempts_failed : collections.Counter
        Run index to its number of failed attempts.
    """

    def __init__(self, retries: int, store: RunStore | None = None, bar: _Bar | None = None):
        self.retries = retries
        self.store = store
        self.bar = bar
        self.records: dict[int, dict[str, Any]] = {}
        self.errors: dict[int, str] = {}
        self.attempts_failed: Counter[int] = Counter()

    def done(self, run: Run) -> bool:
        """Whether ``run`` is settled: finished, or given up."""
        return run.index in self.records or run.index in self.errors

    def resume(self, run: Run, record: dict[str, Any]) -> None:
        """Count ``run`` as finished from a record read back from the store."""
        self.records[run.index] = record

    def succeeded(self, run: Run, outcome: dict[str, Any]) -> None:
        """An attempt of ``run`` finished: save it (once) and advance the progress bar."""
        if self.done(run):
            return
        if self.store is not None:
            record = self.store.save(run, outcome)
        else:
            record = {"metrics": outcome["metrics"], "elapsed": outcome["elapsed"]}
        self.records[run.index] = record
        self._advance()

    def failed(self, run: Run, error: BaseException | str) -> bool:
        """An attempt of ``run`` failed: return True to try it again, else record the error."""
        if self.done(run):
            return False
        self.attempts_failed[run.index] += 1
        retry = not isinstance(error, MetricError)
        if retry and self.attempts_failed[run.index] <= self.retries:
            return True
        self.errors[run.index] = error if isinstance(error, str) else describe(error)
        self._advance()
        return False

    def _advance(self) -> None:
        if self.bar is not None:
            self.bar.update(1)
