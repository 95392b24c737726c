"""What a sweep target may return: a dict of metric name to JSON scalar.

Examples
--------
>>> import numpy as np
>>> check_metrics({"stale": np.float64(0.25), "pulls": np.int64(3), "ok": True}, params={})
{'stale': 0.25, 'pulls': 3, 'ok': True}
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from simkit.sweeps.runs import RESERVED_COLUMNS

__all__ = ["MetricError", "Scalar", "check_metrics"]

Scalar = None | bool | int | float | str

_EXPECTED = "metrics must be JSON scalars: numbers, strings, bools or None"

_HINTS = {
    "Timedelta": "; convert it, e.g. with .total_seconds()",
    "timedelta": "; convert it, e.g. with .total_seconds()",
    "Timestamp": "; convert it, e.g. with .isoformat()",
    "datetime": "; convert it, e.g. with .isoformat()",
    "ndarray": "; reduce it to one number, or return one metric per element",
    "Series": "; reduce it to one number, or return one metric per element",
    "DataFrame": "; reduce it to numbers, one metric each",
    "list": "; return one metric per element",
    "dict": "; flatten it into one metric per key",
}


class MetricError(TypeError):
    """A target returned something that is not a dict of JSON scalars.

    A sweep does not retry a run that failed this way: the target would return the
    same thing again.
    """


def _scalar(name: str, value: Any) -> Scalar:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    kind = type(value).__name__
    raise MetricError(f"metric {name!r} is a {kind} ({value!r}); {_EXPECTED}{_HINTS.get(kind, '')}")


def check_metrics(metrics: Any, params: Iterable[str]) -> dict[str, Scalar]:
    """Check a target's return value and convert numpy scalars to Python ones.

    Parameters
    ----------
    metrics : object
        What the target returned: should be a dict of metric name to a number,
        string, bool or None (numpy scalars are accepted and converted).
    params : iterable of str
        The run's parameter names: a metric may not reuse one.

    Returns
    -------
    dict
        The metrics, in the order the target gave them, as plain Python scalars.

    Raises
    ------
    MetricError
        Not a dict, a name that is not a string or clashes with a parameter or a
        reserved column, or a value that is not a JSON scalar.  The message names
        the metric.

    Examples
    --------
    >>> import pandas as pd
    >>> check_metrics({"max_lag": pd.Timedelta("1h")}, params={})
    Traceback (most recent call last):
    ...
    simkit.sweeps.metrics.MetricError: metric 'max_lag' is a Timedelta (Timedelta('0 days 01:00:00')); metrics must be JSON scalars: numbers, strings, bools or None; convert it, e.g. with .total_seconds()
    >>> check_metrics({"seed": 1}, params={})
    Traceback (most recent call last):
    ...
    simkit.sweeps.metrics.MetricError: metric 'seed' clashes with a result column (seed, run_id, elapsed, error)
    """  # noqa: E501
    if not isinstance(metrics, Mapping):
        raise MetricError(
            f"the target returned a {type(metrics).__name__} ({metrics!r}); "
            f"expected a dict of metric name to value; {_EXPECTED}"
        )
    taken = set(params)
    out: dict[str, Scalar] = {}
    for name, value in metrics.items():
        if not isinstance(name, str):
            raise MetricError(f"metric names must be strings, got {name!r}")
        if name in RESERVED_COLUMNS:
            raise MetricError(
                f"metric {name!r} clashes with a result column ({', '.join(RESERVED_COLUMNS)})"
            )
        if name in taken:
            raise MetricError(f"metric {name!r} clashes with the parameter of the same name")
        out[name] = _scalar(name, value)
    return out
