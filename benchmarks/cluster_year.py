"""A cluster over simulated weeks: streams, nodes, pods with daily restarts and trigger
rollouts, daily upstream rebuilds.  Prints wall time, events, events/s and peak memory.

The issue's target is a cluster-year (5,000 streams, 200 nodes, 5,000 pods, 52 weeks)
in under 60 s and 2 GB.  ``--weeks`` defaults to 1 so that the whole suite stays quick;
``--weeks 52`` runs the year.

Run: ``python benchmarks/cluster_year.py [--streams 5000 --nodes 200 --pods 5000
--weeks 1 --scheduled 1.0]``.
"""

from __future__ import annotations

import argparse
import resource
import time

import simkit as sk
from simkit.upstream import start_release_model


def build(streams: int, nodes: int, pods: int, scheduled: float, seed: int = 0) -> sk.Simulation:
    """The cluster at time 0: projects of 50 streams, one upstream repo per stream rebuilt
    daily, a share ``scheduled`` of the tags re-imported on schedule, one triggered
    Deployment per stream (``pods`` replicas spread over them), containers restarted daily.
    """
    sim = sk.Simulation(seed=seed, nodes=nodes)
    quay = sim.registry("quay.io")
    projects = max(1, streams // 50)
    for p in range(projects):
        sim.oc(f"new-project p{p} --skip-config-write")
    cut = int(streams * scheduled)
    for i in range(streams):
        repository = f"fleet/app{i}"
        quay.push(repository, "latest")
        start_release_model(sim, quay, repository, "rebuilds",
                            {"tags": ["latest"], "every": "1d"})
        flag = "--scheduled " if i < cut else ""
        sim.oc(f"tag {flag}quay.io/{repository}:latest app{i}:latest -n p{i % projects}")
    sim.advance("2m")
    per = max(1, pods // max(streams, 1))
    deployed = 0
    for i in range(streams):
        if deployed >= pods:
            break
        sim.deploy(f"p{i % projects}", f"web{i}", trigger=f"app{i}:latest", replicas=per,
                   pull_policy="IfNotPresent")
        deployed += per
    sim.engine.every(86400.0, _restart_all, sim)
    return sim


def _restart_all(sim: sk.Simulation) -> None:
    for pod in sim.pods():
        if pod.status == "Running":
            sim.kubelet.restart(pod)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--weeks", type=float, default=1.0)
    parser.add_argument("--scheduled", type=float, default=1.0,
                        help="share of tags imported on schedule (default all)")
    args = parser.parse_args()
    start = time.perf_counter()
    sim = build(args.streams, args.nodes, args.pods, args.scheduled)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    sim.advance(args.weeks * 7 * 86400)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = len(sim.log)
    stats = sim.scheduled_import_controller.stats()
    print(f"cluster: {args.streams} streams ({args.scheduled:.0%} scheduled), {args.nodes} "
          f"nodes, {len(sim.pods())} pods, {args.weeks:g} weeks")
    print(f"setup {setup:.1f} s; run {wall:.1f} s; {events:,} events, "
          f"{events / wall:,.0f} events/s; peak RSS {rss:,.0f} MiB")
    print(f"scheduled imports: {stats['imports']:,} performed, {stats['throttled']:,} "
          f"visits throttled")
    year = wall * 52 / args.weeks
    print(f"a year at this rate: {year:,.0f} s (target 60 s): "
          f"{'PASS' if year <= 60 else 'FAIL'}")


if __name__ == "__main__":
    main()
