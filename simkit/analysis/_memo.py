"""Reusing intermediate results while a finished simulation is analysed many times.

A report asks a dozen questions of one finished simulation, and several analyses start
from the same intermediate tables (every tag change, every upstream move, the resolved
sources of every tag).  Inside :func:`frozen`, the helpers marked :func:`reused` compute
each of those once for that simulation and hand out copies; outside it (the default)
they compute afresh on every call, as before.  The simulation must not change while the
block runs: nothing checks it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pandas as pd

__all__ = ["frozen", "reused"]

F = TypeVar("F", bound=Callable[..., Any])

_CACHES: dict[int, dict[tuple, Any]] = {}


@contextlib.contextmanager
def frozen(sim: object) -> Iterator[None]:
    """While the block runs, :func:`reused` helpers compute once per ``sim``.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import stale_tag_risk
    >>> sim = sk.Simulation()
    >>> with frozen(sim):
    ...     a, b = stale_tag_risk(sim), stale_tag_risk(sim)
    >>> a.equals(b)
    True
    """
    key = id(sim)
    outer = key in _CACHES
    _CACHES.setdefault(key, {})
    try:
        yield
    finally:
        if not outer:
            _CACHES.pop(key, None)


def _copy(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


def reused(func: F) -> F:
    """Mark a helper of ``(sim, *hashable args)`` whose result :func:`frozen` may keep."""

    @functools.wraps(func)
    def wrapper(sim, *args):
        cache = _CACHES.get(id(sim))
        if cache is None:
            return func(sim, *args)
        key = (func.__module__, func.__qualname__, args)
        if key not in cache:
            cache[key] = func(sim, *args)
        return _copy(cache[key])

    return wrapper  # type: ignore[return-value]
