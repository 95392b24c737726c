"""A sweep's output folder: one JSON file per finished run, written atomically, and the table.

Each finished run is ``DIR/<run_id>.json``::

    {"run_id": "...", "params": {...}, "seed": 0, "metrics": {...}, "elapsed": 1.23}

written to a temporary file in ``DIR`` and renamed over the final name
(:func:`os.replace`), so a reader sees either no file or a whole one, even if
the writer is killed.  A file that does not read back as the run it is named
after is ignored with a :class:`SweepWarning`, and the run computed again.

Examples
--------
>>> import tempfile
>>> from simkit.sweeps.runs import expand_grid
>>> run = expand_grid({"x": [1]})[0]
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = RunStore(tmp)
...     record = store.save(run, {"metrics": {"y": 2}, "elapsed": 0.5})
...     store.load(run)["metrics"]
{'y': 2}
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import numbers
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from simkit.sweeps.errors import SweepWarning
from simkit.sweeps.metrics import check_metrics
from simkit.sweeps.runs import Run

__all__ = ["RunStore", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = Path(tmp) / "a.txt"
    ...     write_atomic(target, b"hello")
    ...     target.read_bytes(), sorted(p.name for p in Path(tmp).iterdir())
    (b'hello', ['a.txt'])
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class RunStore:
    """The output folder of a sweep (made if missing).

    Parameters
    ----------
    folder : str or path-like
        Where run files and the result tables go.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder).expanduser()
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, run: Run) -> Path:
        """The file of ``run``: ``<folder>/<run_id>.json``."""
        return self.folder / f"{run.run_id}.json"

    def save(self, run: Run, outcome: dict[str, Any]) -> dict[str, Any]:
        """Persist a finished run and return its record.

        ``outcome`` is what :func:`simkit.sweeps.task.execute` returned: ``metrics``
        and ``elapsed``.
        """
        record = {
            "run_id": run.run_id,
            "params": run.params,
            "seed": run.seed,
            "metrics": outcome["metrics"],
            "elapsed": outcome["elapsed"],
        }
        write_atomic(self.path(run), (json.dumps(record, indent=2) + "\n").encode("utf-8"))
        return record

    def load(self, run: Run) -> dict[str, Any] | None:
        """The record of ``run`` if it finished before, else None.

        A file that is not valid JSON, is cut short, or describes another run is
        ignored with a :class:`SweepWarning` (the run will be computed again and
        the file replaced).
        """
        path = self.path(run)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            record = json.loads(raw.decode("utf-8"))
            _check(record, run)
        except (ValueError, TypeError) as exc:
            warnings.warn(
                f"ignoring {path}: {exc}; "
                f"the run {run.params} seed {run.seed} will be computed again",
                SweepWarning,
                stacklevel=3,
            )
            return None
        return record

    def write_tables(self, table: pd.DataFrame) -> list[Path]:
        """Write ``results.csv`` (and ``results.parquet`` when pyarrow is installed)."""
        written = [self.folder / "results.csv"]
        write_atomic(written[0], table.to_csv(index=False).encode("utf-8"))
        if _has_pyarrow():
            parquet = self.folder / "results.parquet"
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".results.", suffix=".tmp")
            os.close(fd)
            try:
                table.to_parquet(tmp, index=False)
                os.replace(tmp, parquet)
                written.append(parquet)
            except Exception as exc:  # a column of mixed types, say: the CSV is still there
                warnings.warn(f"results.parquet not written: {exc}", SweepWarning, stacklevel=3)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        return written


def _has_pyarrow() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def _check(record: Any, run: Run) -> None:
    if not isinstance(record, dict):
        raise TypeError(f"expected a JSON object, found {type(record).__name__}")
    for key in ("run_id", "params", "seed", "metrics", "elapsed"):
        if key not in record:
            raise ValueError(f"no {key!r}")
    if record["run_id"] != run.run_id or record["params"] != run.params:
        raise ValueError(f"it records another run ({record['run_id']}, {record['params']})")
    if record["seed"] != run.seed or isinstance(record["seed"], bool):
        raise ValueError(f"it records seed {record['seed']!r}")
    elapsed = record["elapsed"]
    if isinstance(elapsed, bool) or not isinstance(elapsed, numbers.Real):
        raise TypeError(f"elapsed is {elapsed!r}")
    check_metrics(record["metrics"], run.params)
