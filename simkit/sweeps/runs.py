"""A sweep's runs: the grid's cartesian product times the seeds, in a stable order, with stable ids.

Examples
--------
>>> runs = expand_grid({"interval": ["15m", "1h"], "policy": ["Always"]}, seeds=[0, 1])
>>> [(r.params["interval"], r.seed) for r in runs]
[('15m', 0), ('15m', 1), ('1h', 0), ('1h', 1)]
>>> runs[0].run_id == run_id({"interval": "15m", "policy": "Always"}, 0)
True
"""

from __future__ import annotations

import hashlib
import itertools
import json
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RESERVED_COLUMNS", "Run", "expand_grid", "run_id", "to_json_value"]

#: Columns of the result table that neither parameters nor metrics may use.
RESERVED_COLUMNS = ("seed", "run_id", "elapsed", "error")


@dataclass(frozen=True, eq=False)
class Run:
    """One run of a sweep: a point of the grid and a seed.

    Attributes
    ----------
    index : int
        Position in grid order (the row of the result table).
    params : dict
        Parameter name to value, JSON-compatible, in grid order.
    seed : int
        The seed.
    run_id : str
        :func:`run_id` of ``params`` and ``seed``.
    """

    index: int
    params: dict[str, Any]
    seed: int
    run_id: str


def run_id(params: Mapping[str, Any], seed: int) -> str:
    """A stable id for a run: 16 hex digits of the SHA-256 of its canonical JSON.

    The JSON is ``{"params": params, "seed": seed}`` with sorted keys and no
    spaces, so the id does not depend on the order of the parameters, the
    process or the machine.  ``1`` and ``1.0`` (and ``True``) are different values.

    Parameters
    ----------
    params : mapping
        Parameter name to a JSON-compatible value.
    seed : int
        The run's seed.

    Returns
    -------
    str
        16 lowercase hex digits.

    Examples
    --------
    >>> run_id({"a": 1, "b": "x"}, 0) == run_id({"b": "x", "a": 1}, 0)
    True
    >>> len(run_id({}, 7)), run_id({}, 7) == run_id({}, 8)
    (16, False)
    """
    text = json.dumps({"params": params, "seed": seed}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def to_json_value(value: Any, where: str) -> Any:
    """``value`` as a plain JSON value (numpy scalars converted), or a TypeError naming ``where``.

    Accepts None, bool, int, float, str, numpy scalars of those, and lists and
    str-keyed dicts of such values.

    Examples
    --------
    >>> to_json_value(np.int64(3), "grid['n']"), to_json_value([1, "a"], "grid['x']")
    (3, [1, 'a'])
    >>> to_json_value((1, 2), "grid['x']")
    Traceback (most recent call last):
    ...
    TypeError: grid['x'] value (1, 2) is a tuple; expected None, bool, number, str, list or dict
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list):
        return [to_json_value(item, where) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {key: to_json_value(item, where) for key, item in value.items()}
    raise TypeError(
        f"{where} value {value!r} is a {type(value).__name__}; "
        "expected None, bool, number, str, list or dict"
    )


def _values(name: str, values: Any) -> list[Any]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TypeError(
            f"grid[{name!r}] must be a list of values, got {type(values).__name__} {values!r}"
        )
    return [to_json_value(value, f"grid[{name!r}]") for value in values]


def _seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of ints such as range(10), got {seeds!r}")
    out = []
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seeds must be ints, got {seed!r}")
        out.append(int(seed))
    return out


def expand_grid(grid: Mapping[str, Iterable[Any]], seeds: Iterable[int] = (0,)) -> list[Run]:
    """Every run of a sweep, in grid order.

    Grid order is that of nested ``for`` loops over the parameters in the
    order of ``grid``'s keys, with the seeds innermost: the first parameter
    varies slowest and the seed fastest, as :func:`itertools.product` gives.

    Parameters
    ----------
    grid : mapping of str to list
        Parameter name to the values to try.  An empty grid is one run per seed.
    seeds : iterable of int
        The seeds, each run once per grid point.

    Returns
    -------
    list of Run
        ``len(seeds) * prod(len(values))`` runs, ``index`` counting from 0.

    Raises
    ------
    TypeError
        A name that is not a string, values that are not a list (a string is
        not one), a value that is not JSON-compatible, a seed that is not an int.
    ValueError
        A parameter named like a reserved column (``seed``, ``run_id``,
        ``elapsed``, ``error``), or two runs that would be the same (a value or
        seed listed twice).

    Examples
    --------
    >>> [(r.index, r.params, r.seed) for r in expand_grid({"a": [1, 2], "b": ["x", "y"]})]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(0, {'a': 1, 'b': 'x'}, 0), (1, {'a': 1, 'b': 'y'}, 0),
     (2, {'a': 2, 'b': 'x'}, 0), (3, {'a': 2, 'b': 'y'}, 0)]
    >>> len(expand_grid({}, seeds=range(3)))
    3
    >>> expand_grid({"a": [1, 1]})
    Traceback (most recent call last):
    ...
    ValueError: the sweep would run {'a': 1} with seed 0 twice: list each value and seed once
    """
    if not isinstance(grid, Mapping):
        raise TypeError(f"grid must be a dict of parameter name to list of values, got {grid!r}")
    for name in grid:
        if not isinstance(name, str):
            raise TypeError(f"grid parameter names must be strings, got {name!r}")
        if name in RESERVED_COLUMNS:
            raise ValueError(
                f"grid parameter {name!r} clashes with a result column; reserved: "
                + ", ".join(RESERVED_COLUMNS)
            )
    names = list(grid)
    values = [_values(name, grid[name]) for name in names]
    runs: list[Run] = []
    seen: set[str] = set()
    for point in itertools.product(*values):
        params = dict(zip(names, point, strict=True))
        for seed in _seeds(seeds):
            rid = run_id(params, seed)
            if rid in seen:
                raise ValueError(
                    f"the sweep would run {params} with seed {seed} twice: "
                    "list each value and seed once"
                )
            seen.add(rid)
            runs.append(Run(len(runs), dict(params), seed, rid))
    return runs
