"""What-if sweeps: :func:`~simkit.sweeps.sweep.sweep` (``simkit.sweep``) and its machinery, one job
per module.

- :mod:`~simkit.sweeps.sweep`: the entry point, a grid x seeds run on local processes or Dask.

- :mod:`~simkit.sweeps.runs`: the grid expanded into runs, in a stable order, with stable ids.
- :mod:`~simkit.sweeps.metrics`: what a target may return (JSON scalars), checked.
- :mod:`~simkit.sweeps.task`: the code that runs on a worker (a target call, timed).
- :mod:`~simkit.sweeps.store`: one JSON file per finished run, written atomically, read back.
- :mod:`~simkit.sweeps.tracker`: retry accounting, persistence and progress for one sweep.
- :mod:`~simkit.sweeps.on_executor`: runs on a :class:`concurrent.futures.Executor`.
- :mod:`~simkit.sweeps.on_dask`: runs on a :class:`dask.distributed.Client`.
- :mod:`~simkit.sweeps.table`: the result DataFrame, in grid order.
- :mod:`~simkit.sweeps.errors`: :class:`SweepWarning` and :class:`WorkersDying`.
"""
