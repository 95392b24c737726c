"""What runs on a worker: one call of a sweep's target, timed and checked.

A target is a function ``(params: dict, seed: int) -> dict`` of metrics, or a
scenario file, which :class:`ScenarioTarget` turns into one.  Everything here is
defined at module level so that it pickles by reference into worker processes.

Examples
--------
>>> def target(params, seed):
...     return {"twice": 2 * params["x"] + seed}
>>> outcome = execute(target, {"x": 20}, 2)
>>> outcome["metrics"], outcome["elapsed"] >= 0
({'twice': 42}, True)
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simkit.sweeps.metrics import check_metrics

__all__ = ["ByValue", "ScenarioTarget", "Target", "execute", "for_processes", "resolve_target"]

Target = Callable[[dict[str, Any], int], Any]


@dataclass(frozen=True)
class ScenarioTarget:
    """A scenario file as a target: each run calls ``simkit.scenarios.run_metrics``.

    Parameters
    ----------
    path : str
        The scenario file, absolute so that a worker with another working
        directory finds it (a worker on another machine needs it at that path).

    Examples
    --------
    >>> ScenarioTarget("/data/scenarios/default.yaml")
    ScenarioTarget(path='/data/scenarios/default.yaml')
    """

    path: str

    def __call__(self, params: dict[str, Any], seed: int) -> Any:
        """Run the scenario with ``params`` (dotted names) as overrides, and ``seed``."""
        from simkit.scenarios import run_metrics

        return run_metrics(Path(self.path), params, seed)


class ByValue:
    """A function pickled by value with cloudpickle, for one defined in a notebook.

    A process pool unpickles a function by importing its module; a function
    defined in a notebook or at the interactive prompt lives in ``__main__``,
    which a worker process cannot import.  cloudpickle (which Dask brings)
    carries the function's code instead.

    Examples
    --------
    >>> def double(params, seed):
    ...     return {"y": 2 * params["x"]}
    >>> pickle.loads(pickle.dumps(ByValue(double)))({"x": 3}, 0)
    {'y': 6}
    """

    def __init__(self, func: Target) -> None:
        import cloudpickle

        self.name = getattr(func, "__qualname__", repr(func))
        self.blob = cloudpickle.dumps(func)

    def __call__(self, params: dict[str, Any], seed: int) -> Any:
        """Call the function."""
        return pickle.loads(self.blob)(params, seed)

    def __repr__(self) -> str:
        return f"ByValue({self.name})"


def resolve_target(target: Target | str | os.PathLike[str]) -> Target:
    """The callable a sweep runs: ``target`` itself, or a :class:`ScenarioTarget` for a file.

    Parameters
    ----------
    target : callable, str or path-like
        A function ``(params, seed) -> dict`` or a scenario file.

    Returns
    -------
    callable

    Raises
    ------
    FileNotFoundError
        A scenario file that does not exist.
    ImportError
        ``simkit.scenarios.run_metrics`` is not available.
    TypeError
        ``target`` is neither a callable nor a path.

    Examples
    --------
    >>> resolve_target(len) is len
    True
    >>> resolve_target("no/such/scenario.yaml")
    Traceback (most recent call last):
    ...
    FileNotFoundError: scenario file not found: no/such/scenario.yaml
    """
    if isinstance(target, str | os.PathLike):
        path = Path(target).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"scenario file not found: {os.fspath(target)}")
        from simkit.scenarios import run_metrics  # noqa: F401  (fail now, not on each run)

        return ScenarioTarget(str(path.resolve()))
    if not callable(target):
        raise TypeError(
            "target must be a function (params: dict, seed: int) -> dict of metrics, "
            f"or a scenario file path; got {target!r}"
        )
    return target


def _needs_value_pickling(func: Target) -> bool:
    if getattr(func, "__module__", None) == "__main__":
        return True
    try:
        pickle.dumps(func)
    except Exception:
        return True
    return False


def for_processes(func: Target) -> Target:
    """``func`` in a form a process pool can send to its workers.

    A function importable by module and name is returned as is.  One defined
    in ``__main__`` (a notebook), a lambda or a closure is wrapped in
    :class:`ByValue` when cloudpickle is installed.

    Raises
    ------
    TypeError
        ``func`` cannot be pickled and cloudpickle is missing: the message says
        to define it at module level or to use threads.

    Examples
    --------
    >>> import math
    >>> for_processes(math.hypot) is math.hypot
    True
    >>> for_processes(lambda params, seed: {})
    ByValue(<lambda>)
    """
    if not _needs_value_pickling(func):
        return func
    try:
        return ByValue(func)
    except ImportError:
        pass
    try:
        if not hasattr(sys.modules.get("__main__"), "__file__") and (
            getattr(func, "__module__", None) == "__main__"
        ):
            raise pickle.PicklingError("it was defined interactively")
        pickle.dumps(func)
    except Exception as exc:
        raise TypeError(
            f"the sweep target {func!r} cannot be sent to worker processes ({exc}); define it "
            "as a function at module level in an importable file, install cloudpickle, or pass "
            "executor=concurrent.futures.ThreadPoolExecutor()"
        ) from exc
    return func


def execute(target: Target, params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Run ``target`` once and time it: the unit of work a worker runs.

    Parameters
    ----------
    target : callable
        ``(params, seed) -> dict`` of metrics.  It gets its own copy of ``params``.
    params : dict
        The run's parameters.
    seed : int
        The run's seed.

    Returns
    -------
    dict
        ``{"metrics": dict, "elapsed": float}``: the checked metrics and the
        call's wall time in seconds.

    Raises
    ------
    MetricError
        The target returned something other than a dict of JSON scalars.
    Exception
        Whatever the target raised.

    Examples
    --------
    >>> execute(lambda params, seed: {"total": params["n"] + seed}, {"n": 1}, 1)["metrics"]
    {'total': 2}
    """
    start = time.perf_counter()
    metrics = target(dict(params), seed)
    elapsed = time.perf_counter() - start
    return {"metrics": check_metrics(metrics, params), "elapsed": elapsed}
