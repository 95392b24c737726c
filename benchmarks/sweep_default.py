"""The default scenario swept over two import intervals x two pull policies x 10 seeds,
on local processes and on a Dask LocalCluster (processes, loopback): the tables must be
identical, and a repeated call with the same ``out`` computes nothing.

Run: ``python benchmarks/sweep_default.py [--seeds 10] [--duration 7d]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import simkit as sk
from simkit.cli import bundled_scenario

GRID = {
    "cluster.config.scheduled_import_interval": ["15m", "1h"],
    "defaults.pull_policy": ["Always", "IfNotPresent"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--duration", default="7d")
    args = parser.parse_args()
    grid = dict(GRID, duration=[args.duration])
    scenario = str(bundled_scenario("default"))
    seeds = range(args.seeds)
    runs = len(seeds) * 4
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        local = sk.sweep(scenario, grid, seeds=seeds, out=Path(tmp) / "local", progress=False)
        local_s = time.perf_counter() - start

        from dask.distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            dask = sk.sweep(
                scenario, grid, seeds=seeds, executor=client, out=Path(tmp) / "dask", progress=False
            )
            dask_s = time.perf_counter() - start

        start = time.perf_counter()
        again = sk.sweep(scenario, grid, seeds=seeds, out=Path(tmp) / "local", progress=False)
        resume_s = time.perf_counter() - start

    same = local.drop(columns="elapsed").equals(dask.drop(columns="elapsed"))
    resumed = local.drop(columns="elapsed").equals(again.drop(columns="elapsed"))
    print(f"runs: {runs} (2 intervals x 2 policies x {args.seeds} seeds, {args.duration} each)")
    print(f"local processes : {local_s:7.1f} s")
    print(f"dask LocalCluster: {dask_s:7.1f} s")
    print(f"resumed (local)  : {resume_s:7.2f} s, recomputed runs: {0 if resumed else 'some'}")
    print(f"identical tables (local vs dask): {same}")
    print(f"failed runs: {int(local['error'].notna().sum())}")
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak RSS: this process {parent:,.0f} MiB, largest finished worker process "
        f"{worker:,.0f} MiB"
    )
    summary = local.groupby(list(GRID))[
        ["pods_stale", "stale_share", "pulls_failed", "import_lag_max_s", "bytes_pulled"]
    ].mean()
    print(summary.round(3).to_string())


if __name__ == "__main__":
    main()
