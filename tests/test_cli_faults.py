"""The ``simkit`` command killed half-way: ``simkit run`` and ``simkit sweep --out DIR``.

``tests/test_sweep.py`` already covers faults inside :func:`simkit.sweeps.sweep.sweep`: an
interrupt (Ctrl-C) of the sweeping process, a local worker process that dies (once, or
every time), a Dask worker killed mid-sweep and one killed from outside, each resumed
with no run lost or run twice.  This file adds the command line, killed from outside
with SIGKILL (no handler runs, no ``finally``):

- ``simkit run``: the report folder is written only once the simulation has finished
  (``write_report`` at the end; ``index.html`` last), so a run killed while simulating
  leaves no report folder at all, and a report already in ``--out`` from an earlier run
  is left exactly as it was.  Running again writes the whole report.
- ``simkit sweep --out DIR``: each finished run is in ``DIR`` as one whole JSON file
  (written to a temporary file and renamed); killed mid-sweep, then started again with
  the same arguments, the sweep computes only the missing runs and ends with every run
  exactly once: the files written before the kill are untouched (same inode, same
  bytes), ``results.csv`` has one row per run, none failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
# a few hundred scheduled streams: about a second of simulation per run
SCENARIO = {
    "name": "killable",
    "seed": 0,
    "duration": "2d",
    "cluster": {"nodes": 1, "config": {"scheduled_import_interval": "15m"}},
    "fleet": {
        "streams": 150,
        "namespace": "imports",
        "registry": "quay.io",
        "repository": "fleet/app-{i:05d}",
        "tag": "latest",
        "rebuild_every": "1d",
    },
}
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def simkit(*args: str, **kwargs) -> subprocess.Popen:
    """``python -m simkit.cli ARGS`` in its own process group (its workers too)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "simkit.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kwargs,
    )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the command and every process it started (its process group)."""
    with contextlib.suppress(ProcessLookupError):  # it ended already
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def wait_for(condition, timeout: float, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(
                f"the command ended (status {process.returncode}) before {what}:\n"
                f"{err.decode()[-2000:]}"
            )
        if time.monotonic() > deadline:
            kill(process)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "killable.yaml"
    path.write_text(json.dumps(SCENARIO))
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.iterdir())
    }


def test_a_killed_simkit_run_writes_no_report_and_keeps_the_last_one(tmp_path, scenario):
    out = tmp_path / "report"
    # a first, short run leaves a complete report
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simkit.cli",
            "run",
            str(scenario),
            "--out",
            str(out),
            "-q",
            "--set",
            "duration=1h",
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    before = snapshot(out)
    assert "index.html" in before

    # a long run into the same folder, killed while it simulates (its progress bar moves)
    process = simkit(
        "run",
        str(scenario),
        "--out",
        str(out),
        "--set",
        "duration=30d",
        "--set",
        "fleet.streams=400",
    )
    progress = bytearray()

    def read() -> None:
        for chunk in iter(lambda: process.stderr.read1(1024), b""):
            progress.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    wait_for(
        lambda: b"step/s" in progress or b"s/step" in progress,
        120,
        process,
        "the simulation's progress bar",
    )
    kill(process)
    reader.join(10)
    assert process.returncode == -signal.SIGKILL
    assert snapshot(out) == before, "a killed run changed the report folder"

    # killed into a fresh folder: no folder at all
    fresh = tmp_path / "fresh"
    process = simkit(
        "run",
        str(scenario),
        "--out",
        str(fresh),
        "--set",
        "duration=30d",
        "--set",
        "fleet.streams=400",
    )
    progress.clear()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    wait_for(
        lambda: b"step/s" in progress or b"s/step" in progress,
        120,
        process,
        "the simulation's progress bar",
    )
    kill(process)
    reader.join(10)
    assert not fresh.exists()

    # run again: the whole report
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simkit.cli",
            "run",
            str(scenario),
            "--out",
            str(fresh),
            "-q",
            "--set",
            "duration=2h",
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert {p.name for p in fresh.iterdir()} >= {"index.html", "summary.json", "stale_tag_risk.csv"}


def test_a_killed_simkit_sweep_resumes_with_every_run_exactly_once(tmp_path, scenario):
    out = tmp_path / "sweep"
    args = [
        "sweep",
        str(scenario),
        "--grid",
        "fleet.streams=100,150,200",
        "--grid",
        "cluster.config.scheduled_import_interval=10m,15m",
        "--seeds",
        "2",
        "--out",
        str(out),
    ]
    runs = 3 * 2 * 2

    def finished() -> list[Path]:
        return sorted(out.glob("[!.]*.json")) if out.exists() else []

    process = simkit(*args)
    wait_for(lambda: len(finished()) >= 2, 300, process, "two finished runs")
    kill(process)
    assert process.returncode == -signal.SIGKILL
    saved = snapshot(out)
    kept = {name for name in saved if name.endswith(".json") and not name.startswith(".")}
    assert 2 <= len(kept) < runs, "the kill came mid-sweep"
    assert "results.csv" not in saved  # written at the end only
    for name in kept:  # every file there is whole
        record = json.loads(saved[name][2])
        assert record["run_id"] == name.removesuffix(".json") and record["metrics"]

    again = subprocess.run(
        [sys.executable, "-m", "simkit.cli", *args],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr.decode()[-3000:]
    after = snapshot(out)
    for name in kept:  # finished runs were not computed again: the very same files
        assert after[name] == saved[name], name
    table = pd.read_csv(out / "results.csv")
    assert len(table) == runs and table["run_id"].is_unique
    assert table["error"].isna().all()
    assert {f"{rid}.json" for rid in table["run_id"]} == {
        name for name in after if name.endswith(".json") and not name.startswith(".")
    }
    # the runs are the grid times the seeds, each once
    combos = table[["fleet.streams", "cluster.config.scheduled_import_interval", "seed"]]
    assert len(combos.drop_duplicates()) == runs
    print(
        f"\nsweep killed after {len(kept)} of {runs} runs; resumed, computed "
        f"{runs - len(kept)} more"
    )
