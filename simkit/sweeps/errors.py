"""The warning and the error a sweep can give besides those of its arguments.

Examples
--------
>>> issubclass(SweepWarning, UserWarning), issubclass(WorkersDying, RuntimeError)
(True, True)
"""

from __future__ import annotations

__all__ = ["SweepWarning", "WorkersDying"]


class SweepWarning(UserWarning):
    """Something in a sweep went wrong without stopping it (a run failed, a file was ignored)."""


class WorkersDying(RuntimeError):
    """Worker processes keep dying before any run finishes: the sweep stops.

    Runs finished before are kept (in ``out``, when given).
    """
