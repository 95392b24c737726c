"""A what-if sweep over a cluster-month: the scheduled import interval 15m vs 5m x 10 seeds
of benchmarks/cluster_year.py's cluster scaled to 1,000 scheduled streams, 50 nodes and
1,000 pods, over 30 simulated days, once on local processes (``executor=None``) and once
on a Dask ``LocalCluster`` (2 worker processes of 1 thread, loopback).

Each run builds the cluster with :func:`cluster_year.build` (upstream rebuilt daily,
every tag imported on schedule, one triggered Deployment per stream, daily restarts,
the nightly pruner), advances it 30 days and returns metrics that answer the what-if:
the lag from an upstream rebuild to the stream tag importing it (median and p95 of the
scheduled stream tags, in seconds), the share of pod run time spent on a stale image
(:func:`simkit.analysis.stale_pod_time`), the pulls by outcome and the bytes pulled,
the imports performed and known unchanged, and the rollouts.  Each run also reports its
own wall and CPU seconds and its worker process's peak RSS; those are left out when the
two executors' tables are compared, which must otherwise be identical (same seeds).

Prints, per executor, the wall time, the CPU seconds spent in the runs, the per-run mean
and the workers' peak RSS; whether the tables are identical; and the mean of every
metric per setting.  ``--quick`` runs 3 days and 2 seeds.

Run: ``python benchmarks/sweep_month.py [--quick] [--days 30 --seeds 10 --streams 1000
--nodes 50 --pods 1000]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_year import DAY, build  # noqa: E402  (the benchmark cluster)

import simkit as sk  # noqa: E402
from simkit import analysis  # noqa: E402
from simkit.events import PULL, ROLLOUT  # noqa: E402

#: The what-if knob: OpenShift's scheduled image import interval (seconds), the default
#: 15 minutes against 5 minutes.
SETTINGS = {"scheduled_import_interval": [900, 300]}

#: Per-run columns that differ between two runs of the same seed (timing, memory).
TIMING = ["run_s", "run_cpu_s", "worker_peak_mib", "elapsed"]


def run_month(params: dict, seed: int) -> dict:
    """One run: build the cluster, advance it ``params["days"]`` days, its metrics."""
    wall, cpu = time.perf_counter(), time.process_time()
    sim = build(
        params["streams"],
        params["nodes"],
        params["pods"],
        1.0,
        seed=seed,
        scheduled_import_interval=float(params["scheduled_import_interval"]),
    )
    sim.advance(params["days"] * DAY)
    lag = analysis.import_lag(sim)
    lag = lag[lag["scheduled"].astype(bool)]
    done = lag["lag"].dropna().dt.total_seconds()
    pod_time = analysis.stale_pod_time(sim)
    run_time = pod_time["run_time"].dt.total_seconds().sum()
    stale_time = pod_time["stale_time"].dt.total_seconds().sum()
    pulls = sim.events_of(PULL, columns=["decision", "bytes"])
    decisions = pulls["decision"].value_counts() if len(pulls) else {}
    controller = sim.scheduled_import_controller
    stats = controller.stats()
    out = {
        "events": len(sim.log),
        "moves": len(lag),
        "moves_imported": len(done),
        "lag_median_s": float(done.median()) if len(done) else 0.0,
        "lag_p95_s": float(done.quantile(0.95)) if len(done) else 0.0,
        "lag_max_s": float(done.max()) if len(done) else 0.0,
        "stale_pod_time_share": float(stale_time / run_time) if run_time else 0.0,
        "pulls_pulled": int(decisions.get("pulled", 0)),
        "pulls_cached": int(decisions.get("cached", 0)),
        "pulls_failed": int(decisions.get("failed", 0)),
        "gib_pulled": float(pulls["bytes"].fillna(0).sum()) / 2**30 if len(pulls) else 0.0,
        "imports": stats["imports"],
        "imports_unchanged": controller.unchanged,
        "throttled": stats["throttled"],
        "rollouts": sim.log.kinds().get(ROLLOUT, 0),
    }
    out["run_s"] = time.perf_counter() - wall
    out["run_cpu_s"] = time.process_time() - cpu
    out["worker_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def cpu_seconds() -> float:
    """CPU seconds of this process so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_sweep(grid: dict, seeds: range, executor: object, out: Path | None) -> tuple:
    """The sweep's table, its wall seconds and this (the driving) process's CPU seconds."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    table = sk.sweep(
        run_month, grid, seeds=seeds, executor=executor, out=out, progress=False, retries=0
    )
    return table, time.perf_counter() - wall, cpu_seconds() - cpu


def report(name: str, table, wall: float, driver_cpu: float) -> None:
    runs = len(table)
    print(
        f"{name:<18}: wall {wall:7.1f} s; CPU in runs {table['run_cpu_s'].sum():7.1f} s "
        f"(driver {driver_cpu:.1f} s); per run: mean {table['run_s'].mean():.1f} s wall, "
        f"{table['run_cpu_s'].mean():.1f} s CPU, {wall / runs:.1f} s of sweep wall; "
        f"workers' peak RSS {table['worker_peak_mib'].max():,.0f} MiB; "
        f"failed {int(table['error'].notna().sum())}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 days, 2 seeds")
    parser.add_argument("--days", type=float, default=None, help="default 30 (--quick 3)")
    parser.add_argument("--seeds", type=int, default=None, help="default 10 (--quick 2)")
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--no-dask", action="store_true", help="local processes only")
    parser.add_argument(
        "--out",
        type=Path,
        help="a new folder: each run's JSON is written to OUT/local and OUT/dask as it finishes",
    )
    args = parser.parse_args()
    days = args.days if args.days is not None else (3.0 if args.quick else 30.0)
    seeds = range(args.seeds if args.seeds is not None else (2 if args.quick else 10))
    grid = dict(SETTINGS, days=[days], streams=[args.streams], nodes=[args.nodes], pods=[args.pods])
    runs = len(seeds) * len(SETTINGS["scheduled_import_interval"])
    print(
        f"sweep: {runs} runs (scheduled import interval 15m vs 5m x {len(seeds)} seeds) of "
        f"{args.streams:,} scheduled streams, {args.nodes} nodes, {args.pods:,} pods over "
        f"{days:g} days; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    local, local_s, local_cpu = timed_sweep(
        grid, seeds, None, args.out / "local" if args.out else None
    )
    report("local processes", local, local_s, local_cpu)
    if not args.no_dask:
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
            dask, dask_s, dask_cpu = timed_sweep(
                grid, seeds, client, args.out / "dask" if args.out else None
            )
        report("dask LocalCluster", dask, dask_s, dask_cpu)
        same = local.drop(columns=TIMING).equals(dask.drop(columns=TIMING))
        print(
            f"identical metric tables (local vs dask, timing columns dropped): {same}: "
            f"{'PASS' if same else 'FAIL'}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    metrics = [c for c in local.columns if c not in (*grid, "seed", "run_id", "error", *TIMING)]
    summary = local.groupby("scheduled_import_interval")[metrics].mean().T
    summary.columns = [f"{int(s) // 60}m (mean of {len(seeds)})" for s in summary.columns]
    print(summary.to_string(float_format=lambda x: f"{x:,.0f}" if abs(x) >= 100 else f"{x:.4g}"))


if __name__ == "__main__":
    main()
