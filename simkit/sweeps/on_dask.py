"""Run a sweep on a Dask cluster through a :class:`dask.distributed.Client`.

Every run is one task, submitted with ``pure=False`` under a key naming the
run and the attempt, and gathered with :func:`distributed.as_completed` as
it finishes.  When a worker dies, the Dask scheduler itself runs its tasks
again elsewhere; a task that keeps killing workers ends with
:class:`distributed.KilledWorker`, which (like an exception from the target) is
a failed attempt that the tracker may retry.  ``distributed`` is imported only
when a client is passed.
"""

from __future__ import annotations

import secrets
import sys
from collections import Counter
from typing import Any

from simkit.sweeps.runs import Run
from simkit.sweeps.task import Target, execute
from simkit.sweeps.tracker import Tracker

__all__ = ["is_dask_client", "run_on_dask"]


def is_dask_client(obj: object) -> bool:
    """Whether ``obj`` is a :class:`dask.distributed.Client` (without importing Dask).

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> is_dask_client(ThreadPoolExecutor()), is_dask_client(None)
    (False, False)
    """
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(obj, distributed.Client)


def run_on_dask(client: Any, runs: list[Run], target: Target, tracker: Tracker) -> None:
    """Run every run on the cluster behind ``client``, reporting each attempt to ``tracker``.

    Parameters
    ----------
    client : dask.distributed.Client
        A connected client.  Its workers must be able to import simkit (and
        the target's module; functions defined in a notebook travel by value).
    runs : list of Run
        The runs still to compute.
    target : callable
        ``(params, seed) -> dict`` of metrics.
    tracker : Tracker
        Told of every finished or failed attempt; decides on retries.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> from simkit.sweeps.runs import expand_grid
    >>> runs, tracker = expand_grid({"x": [1, 2]}, seeds=[0, 1]), Tracker(retries=0)
    >>> no_dashboard = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
    >>> with (
    ...     LocalCluster(n_workers=1, processes=False, scheduler_kwargs=no_dashboard) as cluster,
    ...     Client(cluster) as client,
    ... ):
    ...     run_on_dask(client, runs, lambda params, seed: {"y": params["x"] + seed}, tracker)
    >>> [tracker.records[run.index]["metrics"]["y"] for run in runs]
    [1, 2, 2, 3]
    """
    from distributed import as_completed

    token = secrets.token_hex(4)  # two sweeps on one cluster never share a key
    attempt: Counter[int] = Counter()

    def submit(run: Run) -> Any:
        key = f"simkit-sweep-{run.run_id}-{token}-{attempt[run.index]}"
        return client.submit(execute, target, run.params, run.seed, key=key, pure=False)

    pending: dict[str, tuple[Any, Run]] = {}
    for run in runs:
        future = submit(run)
        pending[future.key] = (future, run)
    completed = as_completed([future for future, _ in pending.values()])
    try:
        for future in completed:
            _, run = pending.pop(future.key)
            try:
                outcome = future.result()
            except Exception as error:  # the target's, KilledWorker, a cancellation ...
                if tracker.failed(run, error):
                    attempt[run.index] += 1
                    retry = submit(run)
                    pending[retry.key] = (retry, run)
                    completed.add(retry)
            else:
                tracker.succeeded(run, outcome)
            finally:
                future.release()
    finally:
        if pending:
            client.cancel([future for future, _ in pending.values()])
