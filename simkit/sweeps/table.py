"""A sweep's result table: one row per run, in grid order, whatever order the runs finished in.

Columns: the parameters (in grid order), ``seed``, the metrics (in the order
they first appear), ``run_id``, ``elapsed`` (seconds) and ``error`` (None for a
run that finished; ``"Type: message"`` of the last attempt for one given up,
whose metrics and ``elapsed`` are then missing).

Examples
--------
>>> from simkit.sweeps.runs import expand_grid
>>> runs = expand_grid({"x": [1, 2]})
>>> records = {1: {"metrics": {"y": 4}, "elapsed": 0.5}, 0: {"metrics": {"y": 1}, "elapsed": 0.25}}
>>> build_table(runs, records, {}).drop(columns="run_id")
   x  seed  y  elapsed error
0  1     0  1     0.25  None
1  2     0  4     0.50  None
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from simkit.sweeps.runs import Run

__all__ = ["build_table"]


def build_table(
    runs: list[Run],
    records: Mapping[int, Mapping[str, Any]],
    errors: Mapping[int, str],
    names: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The result DataFrame of a sweep.

    Parameters
    ----------
    runs : list of Run
        Every run, in grid order.
    records : mapping
        Run index to ``{"metrics": dict, "elapsed": float, ...}`` for finished runs.
    errors : mapping
        Run index to the error text, for runs given up.
    names : iterable of str, optional
        The parameter names, in grid order (by default those of the first run;
        give them for a sweep with no runs).

    Returns
    -------
    pandas.DataFrame
        One row per run, indexed 0..n-1 in grid order.

    Examples
    --------
    >>> from simkit.sweeps.runs import expand_grid
    >>> runs = expand_grid({"x": [1, 2]})
    >>> table = build_table(runs, {0: {"metrics": {"y": 1}, "elapsed": 0.1}}, {1: "ValueError: no"})
    >>> table[["x", "y", "error"]]
       x    y           error
    0  1  1.0             NaN
    1  2  NaN  ValueError: no
    """
    names = list(names if names is not None else runs[0].params if runs else [])
    metric_names: dict[str, None] = {}
    rows = []
    for run in runs:
        record = records.get(run.index)
        row: dict[str, Any] = {**run.params, "seed": run.seed}
        if record is not None:
            row.update(record["metrics"])
            metric_names.update(dict.fromkeys(record["metrics"]))
        row["run_id"] = run.run_id
        row["elapsed"] = record["elapsed"] if record is not None else float("nan")
        row["error"] = errors.get(run.index)
        rows.append(row)
    columns = [*names, "seed", *metric_names, "run_id", "elapsed", "error"]
    return pd.DataFrame(rows, columns=columns)
