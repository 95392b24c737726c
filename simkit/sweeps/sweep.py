"""What-if sweeps: run a target over a grid of parameters and seeds, locally or on Dask.

:func:`sweep` is the entry point, also at the top level as ``simkit.sweep``; the rest of
:mod:`simkit.sweeps` is its machinery, one job per module.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> def area(params, seed):
...     return {"area": params["width"] * params["height"] + seed}
>>> with ThreadPoolExecutor(2) as pool:
...     table = sweep(area, {"width": [1, 2], "height": [10, 20]}, seeds=[0, 1],
...                   executor=pool, progress=False, drop_timing=True)
>>> table.drop(columns="run_id")
   width  height  seed  area error
0      1      10     0    10  None
1      1      10     1    11  None
2      1      20     0    20  None
3      1      20     1    21  None
4      2      10     0    20  None
5      2      10     1    21  None
6      2      20     0    40  None
7      2      20     1    41  None
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from simkit.sweeps.errors import SweepWarning, WorkersDying
from simkit.sweeps.on_dask import is_dask_client, run_on_dask
from simkit.sweeps.on_executor import local_pool, run_on_executor
from simkit.sweeps.runs import expand_grid
from simkit.sweeps.store import RunStore
from simkit.sweeps.table import build_table
from simkit.sweeps.task import Target, resolve_target
from simkit.sweeps.tracker import Tracker

__all__ = ["SweepWarning", "WorkersDying", "sweep"]


def sweep(
    target: Target | str | os.PathLike[str],
    grid: Mapping[str, Iterable[Any]],
    seeds: Iterable[int] = (0,),
    executor: Any = None,
    out: str | os.PathLike[str] | None = None,
    *,
    progress: bool = True,
    retries: int = 2,
    drop_timing: bool = False,
) -> pd.DataFrame:
    """Run ``target`` for every combination of ``grid`` and every seed; one row per run.

    Parameters
    ----------
    target : callable, str or path-like
        A function ``(params: dict, seed: int) -> dict`` of metrics, or a
        scenario file, for which each run calls
        ``simkit.scenarios.run_metrics(path, params, seed)`` with ``params``
        as overrides addressed by dotted names (``"cluster.scheduled_import_interval"``).
        Metrics are JSON scalars: numbers, strings, bools or None (numpy
        scalars are converted).  To run in worker processes the function must
        pickle: define it at module level in an importable file (one defined
        in a notebook, a lambda or a closure travels by value when cloudpickle
        is installed, as it is with Dask).
    grid : dict of str to list
        Parameter name to the values to try; the runs are the cartesian
        product.  Values are JSON values (a list, not a tuple).
    seeds : iterable of int, default ``(0,)``
        Every grid point runs once per seed.
    executor : None, concurrent.futures.Executor or dask.distributed.Client
        None runs on a new :class:`~concurrent.futures.ProcessPoolExecutor`
        with one process per CPU, no more than there are runs, shut down at the
        end (see :func:`simkit.sweeps.on_executor.local_pool`: workers fork from
        a ``forkserver`` that imported simkit once; in a script, call
        :func:`sweep` under ``if __name__ == "__main__":``).  Any executor works
        (a :class:`~concurrent.futures.ThreadPoolExecutor` too); it is not shut
        down.  A Dask client runs each run as a task on its cluster, whose
        workers must be able to import simkit.  Either way the results come
        back to this process, which alone writes ``out``.
    out : str or path-like, optional
        A folder: each finished run is written there at once, atomically, as
        ``<run_id>.json`` (params, seed, metrics, elapsed); at the end the
        whole table goes to ``results.csv`` (and ``results.parquet`` when
        pyarrow is installed).  Calling again with the same ``out`` reads the
        finished runs back and computes only the others; a file that does not
        read back is ignored with a :class:`SweepWarning` and its run computed
        again.  Use one folder per target: files are matched by parameters and
        seed only.
    progress : bool, default True
        Show a ``tqdm.auto`` progress bar counting runs done, resumed ones included.
    retries : int, default 2
        How many more times a failed run is tried: when the target raised, or
        its worker process died (the pool is replaced and the runs that were in
        flight are tried again one at a time, so that only a run that kills its
        worker while alone is charged an attempt), or its Dask worker died for good
        (:class:`distributed.KilledWorker`; Dask first retries on its own).  A
        run still failing is not an error of the sweep: its row has the
        ``error`` of the last attempt, and a :class:`SweepWarning` says how many
        failed.  Failed runs are not written to ``out``, so a repeated call tries
        them again.  A target that returns something other than a dict of JSON
        scalars is not retried; its error names the metric.  An interruption
        (Ctrl-C) stops the sweep; the runs finished by then are in ``out``.
    drop_timing : bool, default False
        Leave out the ``elapsed`` column, the only one that differs between two
        sweeps of a deterministic target.

    Returns
    -------
    pandas.DataFrame
        One row per run, in grid order whatever order the runs finished in:
        nested loops over ``grid``'s keys in order, the first slowest, the seed
        fastest.  Columns: each parameter, ``seed``, the metrics, ``run_id``
        (16 hex digits of the SHA-256 of the run's canonical JSON, stable across
        machines), ``elapsed`` (seconds the target took) and ``error`` (None if
        the run finished).  The same sweep on processes, threads or Dask gives
        equal tables once ``elapsed`` is dropped.

    Raises
    ------
    TypeError, ValueError
        A malformed grid, seeds or target (see
        :func:`simkit.sweeps.runs.expand_grid`), or an unsupported executor.
    FileNotFoundError
        A scenario file that does not exist.
    WorkersDying
        Local worker processes died three times before any run finished: in a
        script, call :func:`sweep` under ``if __name__ == "__main__":`` (worker
        processes start with ``forkserver`` or ``spawn`` and import the main
        module, as on macOS, Windows and Python 3.14 everywhere).

    Examples
    --------
    >>> import tempfile
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> def lag(params, seed):
    ...     return {"lag_s": params["interval"] / 2 + seed}
    >>> with tempfile.TemporaryDirectory() as out, ThreadPoolExecutor() as pool:
    ...     first = sweep(lag, {"interval": [900, 3600]}, range(2), pool, out, progress=False)
    ...     again = sweep(lag, {"interval": [900, 3600]}, range(2), pool, out, progress=False)
    >>> first[["interval", "seed", "lag_s"]]
       interval  seed   lag_s
    0       900     0   450.0
    1       900     1   451.0
    2      3600     0  1800.0
    3      3600     1  1801.0
    >>> again.equals(first)   # read back from out, timings included
    True

    On a Dask cluster, pass its client (a function to run in other processes
    must be importable, e.g. ``mypackage.experiments.lag``):

    >>> from distributed import Client  # doctest: +SKIP
    >>> table = sweep("scenario.yaml", {"cluster.scheduled_import_interval": ["15m", "1h"]},
    ...               seeds=range(10), executor=Client("tcp://scheduler:8786"))  # doctest: +SKIP
    """
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an int >= 0, got {retries!r}")
    dask = is_dask_client(executor)
    if not (executor is None or dask or isinstance(executor, Executor)):
        raise TypeError(
            "executor must be None (local processes), a concurrent.futures.Executor or a "
            f"dask.distributed.Client; got {executor!r}"
        )
    runs = expand_grid(grid, seeds)
    func = resolve_target(target)
    store = RunStore(out) if out is not None else None
    tracker = Tracker(retries, store)
    if store is not None:
        for run in runs:
            record = store.load(run)
            if record is not None:
                tracker.resume(run, record)
    todo = [run for run in runs if not tracker.done(run)]

    from tqdm import tqdm as std_tqdm  # tqdm.auto warns without ipywidgets even when disabled

    tqdm: type[std_tqdm[Any]] = std_tqdm
    if progress:
        from tqdm.auto import tqdm

    with tqdm(
        total=len(runs), initial=len(runs) - len(todo), disable=not progress, desc="sweep",
        unit="run",
    ) as bar:  # fmt: skip
        tracker.bar = bar
        if not todo:
            pass
        elif dask:
            run_on_dask(executor, todo, func, tracker)
        elif executor is None:
            run_on_executor(local_pool(len(todo)), todo, func, tracker, owned=True)
        else:
            run_on_executor(executor, todo, func, tracker)

    table = build_table(runs, tracker.records, tracker.errors, names=grid)
    if store is not None:
        store.write_tables(table)
    if tracker.errors:
        first = runs[min(tracker.errors)]
        warnings.warn(
            f"{len(tracker.errors)} of {len(runs)} runs failed (see the 'error' column); the "
            f"first, {first.params} seed {first.seed}: {tracker.errors[first.index]}",
            SweepWarning,
            stacklevel=2,
        )
    return table.drop(columns="elapsed") if drop_timing else table
