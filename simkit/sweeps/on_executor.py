"""Run a sweep on a :class:`concurrent.futures.Executor`: local processes, threads, or any other.

On a :class:`~concurrent.futures.ProcessPoolExecutor` at most ``max_workers``
runs are in flight, so that when a worker process dies
(:class:`~concurrent.futures.process.BrokenProcessPool`, which fails every run in
flight) the runs to blame are few.  The pool is then replaced by a fresh one
and those runs are tried again one at a time: a run that kills its worker while
alone is charged a failed attempt, the others are not.  Other executors get
every run at once.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> from simkit.sweeps.runs import expand_grid
>>> from simkit.sweeps.tracker import Tracker
>>> runs, tracker = expand_grid({"x": [1, 2, 3]}), Tracker(retries=0)
>>> with ThreadPoolExecutor(2) as pool:
...     run_on_executor(pool, runs, lambda params, seed: {"y": params["x"] ** 2}, tracker)
>>> [tracker.records[run.index]["metrics"]["y"] for run in runs]
[1, 4, 9]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from simkit.sweeps.errors import SweepWarning, WorkersDying
from simkit.sweeps.runs import Run
from simkit.sweeps.task import Target, execute, for_processes
from simkit.sweeps.tracker import Tracker

__all__ = ["MAX_BREAKS_WITHOUT_RESULT", "local_pool", "run_on_executor"]

#: Pools that may die before the sweep stops with :class:`WorkersDying`, if no run has finished.
MAX_BREAKS_WITHOUT_RESULT = 3

_DYING = (
    "the sweep's worker processes died {n} times and no run finished, so the sweep stops "
    "(runs finished earlier are kept). In a script, call sweep() under "
    "'if __name__ == \"__main__\":', since worker processes import the main module; "
    "otherwise the target kills its process (os._exit, a crash, out of memory)"
)


def local_pool(runs: int) -> ProcessPoolExecutor:
    """The default executor: one process per CPU (no more than ``runs``).

    Workers start with the ``forkserver`` method where the platform has it:
    forking a process that runs threads (a Jupyter kernel, a Dask client,
    tqdm's monitor) can deadlock the child, and Python 3.14 makes the same
    choice.  When the fork server is not running yet, it is asked to import
    simkit first (:func:`multiprocessing.set_forkserver_preload`), so that each
    worker, forked from it, starts without importing simkit and pandas again.
    A main module that is not a file (a script piped to ``python -``) cannot be
    imported by such workers: then the platform's default method is used.

    Examples
    --------
    >>> pool = local_pool(runs=1)
    >>> pool.submit(sum, [1, 2]).result()
    3
    >>> pool.shutdown()
    """
    workers = max(1, min(os.cpu_count() or 1, runs))
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if "forkserver" not in multiprocessing.get_all_start_methods() or (
        main_file is not None and not os.path.isfile(main_file)
    ):
        return ProcessPoolExecutor(max_workers=workers)
    context = multiprocessing.get_context("forkserver")
    if not _forkserver_running():
        context.set_forkserver_preload(["__main__", "simkit.sweeps.task"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _forkserver_running() -> bool:
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    return getattr(server, "_forkserver_pid", None) is not None


def _fresh_like(pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
    """A new pool configured like ``pool`` (whose workers died)."""
    return ProcessPoolExecutor(
        max_workers=getattr(pool, "_max_workers", None),
        mp_context=getattr(pool, "_mp_context", None),
        initializer=getattr(pool, "_initializer", None),
        initargs=getattr(pool, "_initargs", ()),
    )


class _Flight:
    """The runs in flight on the current executor, which is replaced when its processes die."""

    def __init__(self, executor: Executor, target: Target, owned: bool) -> None:
        self.executor = executor
        self.target = target
        self.owned = owned
        self.futures: dict[Future, Run] = {}

    def submit(self, run: Run) -> None:
        future = self.executor.submit(execute, self.target, run.params, run.seed)
        self.futures[future] = run

    def replace_pool(self) -> None:
        assert isinstance(self.executor, ProcessPoolExecutor)
        old = self.executor
        if self.owned:
            old.shutdown(wait=True, cancel_futures=True)
        else:
            warnings.warn(
                "a worker process of the sweep's executor died; the sweep goes on on a new "
                f"ProcessPoolExecutor(max_workers={getattr(old, '_max_workers', None)}) and shuts "
                "it down at the end",
                SweepWarning,
                stacklevel=5,
            )
        self.executor = _fresh_like(old)
        self.owned = True

    def close(self, finished: bool) -> None:
        for future in self.futures:
            future.cancel()
        if self.owned:
            self.executor.shutdown(wait=finished, cancel_futures=True)


def run_on_executor(
    executor: Executor, runs: list[Run], target: Target, tracker: Tracker, *, owned: bool = False
) -> None:
    """Run every run on ``executor``, reporting each attempt to ``tracker``.

    Parameters
    ----------
    executor : concurrent.futures.Executor
        Where to run.  A :class:`~concurrent.futures.ProcessPoolExecutor` whose
        worker dies is replaced by a new one (with a :class:`SweepWarning` if
        the caller owns it), up to :data:`MAX_BREAKS_WITHOUT_RESULT` times while
        no run has finished; then :class:`WorkersDying` is raised.
    runs : list of Run
        The runs still to compute.
    target : callable
        ``(params, seed) -> dict`` of metrics; made picklable for processes
        with :func:`~simkit.sweeps.task.for_processes`.
    tracker : Tracker
        Told of every finished or failed attempt; decides on retries.
    owned : bool
        Whether this function should shut ``executor`` down when done.
    """
    flight = _Flight(executor, target, owned)
    queue: deque[Run] = deque(runs)
    suspects: deque[Run] = deque()  # in flight when a worker died: retried one at a time
    finished = False
    results_before, breaks = len(tracker.records), 0

    def replace_pool() -> None:
        nonlocal breaks
        breaks += 1
        if breaks >= MAX_BREAKS_WITHOUT_RESULT and len(tracker.records) == results_before:
            raise WorkersDying(_DYING.format(n=breaks))
        flight.replace_pool()

    try:
        if isinstance(executor, ProcessPoolExecutor):
            flight.target = for_processes(target)
            window = max(1, getattr(executor, "_max_workers", None) or os.cpu_count() or 1)
        else:
            window = max(1, len(runs))
        while queue or suspects or flight.futures:
            if suspects:
                batch, source = ([suspects.popleft()] if not flight.futures else []), suspects
            else:
                batch, source = [], queue
                while queue and len(flight.futures) + len(batch) < window:
                    batch.append(queue.popleft())
            for i, run in enumerate(batch):
                try:
                    flight.submit(run)
                except BrokenProcessPool:  # died between runs: nobody to blame
                    source.extendleft(reversed(batch[i:]))
                    if not flight.futures:
                        replace_pool()
                    break
            if not flight.futures:
                continue
            done, _ = wait(flight.futures, return_when=FIRST_COMPLETED)
            lost = _settle(done, flight, queue, tracker)
            if lost:  # the pool is broken: every run still in flight fails at once
                lost += _settle(wait(flight.futures).done, flight, queue, tracker)
                replace_pool()
                lost.sort(key=lambda run: run.index)
                if len(lost) == 1:  # it was alone: it killed its worker
                    if tracker.failed(lost[0], BrokenProcessPool("its worker process died")):
                        suspects.append(lost[0])
                else:
                    suspects.extend(lost)
        finished = True
    finally:
        flight.close(finished)


def _settle(done: set[Future], flight: _Flight, queue: deque[Run], tracker: Tracker) -> list[Run]:
    """Report finished futures to the tracker; return the runs lost to a dead worker."""
    lost, stop = [], None
    for future in sorted(done, key=lambda f: flight.futures[f].index):
        run = flight.futures.pop(future)
        error = future.exception()
        if error is None:
            tracker.succeeded(run, future.result())
        elif not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit in a thread
            stop = error
        elif isinstance(error, BrokenProcessPool):
            lost.append(run)
        elif tracker.failed(run, error):
            queue.appendleft(run)
    if stop is not None:
        raise stop  # after saving the runs that finished with it
    return lost
