"""A cluster over simulated weeks: streams, nodes, pods with daily restarts and trigger
rollouts, daily upstream rebuilds.  Prints wall time, events, events/s and peak memory.

Issue 20's target is a cluster-year (5,000 streams, 200 nodes, 5,000 pods, 52 weeks)
in under 300 s and 1 GB (CPU seconds: the machine may be shared; each week prints both).
``--weeks`` defaults to 1 so that the whole suite stays quick;
``--weeks 52`` runs the year and prints a line per week.

The image pruner runs every midnight, as OpenShift 4's image registry operator does by
default (``--no-prune`` turns it off): without it a year keeps 1.8 million Image objects
and tag events that no real cluster keeps.

The floor, in the same run: the first simulated week's records replayed through a bare
:class:`~simkit.engine.Engine` and :class:`~simkit.eventlog.EventLog`, one engine entry per
entry the simulation scheduled that week and one ``log.record`` per record it logged, no
model code at all.  It is what any simulation that keeps this log must at least spend with
this engine and log; times 52 it is the floor for the year.

The peer, in the same run after the main one (``--peer-days``, default 1): the same
cluster with ``skip_unchanged = False``, i.e. every scheduled import performed and logged
one by one as simkit did before; the ratio of their first days' times is printed.

Run: ``python benchmarks/cluster_year.py [--streams 5000 --nodes 200 --pods 5000
--weeks 1 --scheduled 1.0 --no-prune --peer-days 1]``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import re
import resource
import time
from collections.abc import Callable

import simkit as sk
from simkit.config import Config
from simkit.engine import Engine
from simkit.eventlog import EventLog
from simkit.upstream import start_release_model

DAY = 86400.0
TARGET_SECONDS = 300.0
"""CPU seconds for the 52-week year (issue 20, item 2)."""
TARGET_MIB = 1024.0
"""Peak resident memory of the year, MiB (issue 20, items 2 and 5)."""


def build(
    streams: int,
    nodes: int,
    pods: int,
    scheduled: float,
    seed: int = 0,
    prune: bool = True,
    pull_policy: str = "IfNotPresent",
    **settings: object,
) -> sk.Simulation:
    """The cluster at time 0: projects of 50 streams, one upstream repo per stream rebuilt
    daily, a share ``scheduled`` of the tags re-imported on schedule, one triggered
    Deployment per stream (``pods`` replicas spread over them, ``pull_policy``),
    containers restarted daily, and (``prune``) the image pruner every midnight.
    ``settings`` are further :class:`~simkit.config.Config` fields (e.g.
    ``scheduled_import_interval=300.0``), for what-if sweeps.
    """
    config = Config(image_pruner_schedule="0 0 * * *" if prune else None, **settings)
    sim = sk.Simulation(seed=seed, nodes=nodes, config=config)
    quay = sim.registry("quay.io")
    projects = max(1, streams // 50)
    for p in range(projects):
        sim.oc(f"new-project p{p} --skip-config-write")
    cut = int(streams * scheduled)
    for i in range(streams):
        repository = f"fleet/app{i}"
        quay.push(repository, "latest")
        start_release_model(sim, quay, repository, "rebuilds", {"tags": ["latest"], "every": "1d"})
        flag = "--scheduled " if i < cut else ""
        sim.oc(f"tag {flag}quay.io/{repository}:latest app{i}:latest -n p{i % projects}")
    sim.advance("2m")
    per = max(1, pods // max(streams, 1))
    deployed = 0
    for i in range(streams):
        if deployed >= pods:
            break
        sim.deploy(
            f"p{i % projects}",
            f"web{i}",
            trigger=f"app{i}:latest",
            replicas=per,
            pull_policy=pull_policy,
        )
        deployed += per
    sim.engine.every(DAY, _restart_all, sim)
    return sim


def _restart_all(sim: sk.Simulation) -> None:
    for pod in sim.pods():
        if pod.status == "Running":
            sim.kubelet.restart(pod)


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_days(sim: sk.Simulation, days: float) -> float:
    """Wall seconds to simulate ``days`` more days of ``sim``."""
    start = time.perf_counter()
    sim.advance(days * DAY)
    return time.perf_counter() - start


def scheduled_so_far(engine: Engine) -> int:
    """Entries ``engine`` has scheduled so far (its sequence counter; benchmark only)."""
    return int(re.fullmatch(r"count\((\d+)\)", repr(engine._seq)).group(1))


def floor_seconds(
    log: EventLog,
    rows: range,
    entries: int,
    pending: int,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Seconds (of ``clock``: wall by default, ``time.process_time`` for CPU) to
    schedule and run ``entries`` engine entries, of which one per
    record in ``rows`` of ``log`` records that record again (same time, kind, fields)
    in a fresh log, and the rest do nothing; nothing else.

    Entries are scheduled an hour ahead by an hourly feeder, on top of ``pending`` idle
    entries, so that the heap is about as deep as the simulation's (it had ``pending``
    entries waiting at the end).
    """
    records = [
        (event.pop("time"), event.pop("kind"), event)
        for event in itertools.islice(log.iter(), rows.start, rows.stop)
    ]
    start_time, end_time = records[0][0], records[-1][0]
    spare = max(0, entries - len(records))
    gap = (end_time - start_time) / max(spare, 1)
    work = sorted(
        [(when, 0, kind, fields) for when, kind, fields in records]
        + [(start_time + number * gap, 1, "", {}) for number in range(spare)],
        key=lambda item: (item[0], item[1]),
    )
    engine, replay = Engine(), EventLog()
    hour = 3600.0

    def again(time: float, kind: str, fields: dict) -> None:
        replay.record(time, kind, **fields)

    def nothing() -> None:
        pass

    def feed(position: list[int]) -> None:
        until, at = engine.now + hour, position[0]
        while at < len(work) and work[at][0] < until:
            when, idle, kind, fields = work[at]
            if idle:
                engine.at(when, nothing)
            else:
                engine.at(when, again, when, kind, fields)
            at += 1
        position[0] = at

    previous = gc.get_threshold()  # as Simulation.advance does
    gc.set_threshold(max(previous[0], 1_000_000), max(previous[1], 100), *previous[2:])
    try:
        began = clock()
        for _ in range(pending):
            engine.at(end_time + DAY, nothing)
        engine.run(until=start_time)
        engine.every(hour, feed, [0], start=start_time)
        engine.run(until=end_time)
        seconds = clock() - began
    finally:
        gc.set_threshold(*previous)
    if len(replay) != len(records):
        raise RuntimeError(f"floor replay recorded {len(replay)} of {len(records)} records")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--weeks", type=float, default=1.0)
    parser.add_argument(
        "--scheduled",
        type=float,
        default=1.0,
        help="share of tags imported on schedule (default all)",
    )
    parser.add_argument(
        "--no-prune",
        action="store_true",
        help="no image pruner (OpenShift 4 runs one every midnight)",
    )
    parser.add_argument(
        "--peer-days",
        type=float,
        default=1.0,
        help="days of the every-import-performed peer to time (0: none)",
    )
    args = parser.parse_args()
    prune = not args.no_prune

    def fresh() -> sk.Simulation:
        return build(args.streams, args.nodes, args.pods, args.scheduled, prune=prune)

    start = time.perf_counter()
    sim = fresh()
    setup = time.perf_counter() - start
    print(
        f"cluster: {args.streams} streams ({args.scheduled:.0%} scheduled), {args.nodes} "
        f"nodes, {len(sim.pods())} pods, pruner {'every midnight' if prune else 'off'}; "
        f"setup {setup:.1f} s",
        flush=True,
    )
    wall = 0.0
    cpu_start = time.process_time()
    week_cpu = cpu_start
    week_wall = 0.0
    first_days = None
    weeks_done = 0.0
    begin = (len(sim.log), scheduled_so_far(sim.engine))
    end = None  # the same after the first week
    while weeks_done < args.weeks:
        step = min(1.0, args.weeks - weeks_done)
        if first_days is None and args.peer_days > 0:
            first_days = timed_days(sim, args.peer_days)
            wall += first_days + timed_days(sim, step * 7 - args.peer_days)
        else:
            wall += timed_days(sim, step * 7)
        weeks_done += step
        if end is None:
            end = (len(sim.log), scheduled_so_far(sim.engine))
            first_wall = wall
        if args.weeks > 1:
            now_cpu = time.process_time()
            print(
                f"  week {weeks_done:4g}: {wall - week_wall:5.1f} s wall, "
                f"{now_cpu - week_cpu:5.1f} s CPU (so far {wall:7.1f} s wall, "
                f"{now_cpu - cpu_start:7.1f} s CPU), {len(sim.log):>11,} events, "
                f"{len(sim.cluster.list('Image')):>8,} Image objects, peak RSS "
                f"{peak_mib():,.0f} MiB",
                flush=True,
            )
            week_cpu, week_wall = now_cpu, wall
    cpu = time.process_time() - cpu_start
    peak = peak_mib()  # before the peer runs
    events = len(sim.log)
    stats = sim.scheduled_import_controller.stats()
    unchanged = sim.scheduled_import_controller.unchanged
    print(
        f"run {wall:.1f} s wall, {cpu:.1f} s CPU for {args.weeks:g} weeks; {events:,} events, "
        f"{events / wall:,.0f} events/s; peak RSS {peak:,.0f} MiB"
    )
    print(
        f"scheduled imports: {stats['imports']:,} ({unchanged:,} known unchanged, counted "
        f"not performed), {stats['throttled']:,} visits throttled; image pruner runs: "
        f"{sim.image_pruner.runs if sim.image_pruner else 0}"
    )
    first = min(1.0, args.weeks)
    floor = floor_seconds(sim.log, range(begin[0], end[0]), end[1] - begin[1], len(sim.engine))
    print(
        f"floor (first week's {end[0] - begin[0]:,} records and {end[1] - begin[1]:,} "
        f"engine entries, bare engine and log): {floor:.1f} s vs {first_wall:.1f}"
        f" s simulated for {first:g} weeks; a year of it: {floor * 52 / first:,.0f} s"
    )
    del sim
    if first_days:
        slow = fresh()
        slow.scheduled_import_controller.skip_unchanged = False
        peer = timed_days(slow, args.peer_days)
        print(
            f"peer (every import performed) {args.peer_days:g} days: {peer:.1f} s vs "
            f"{first_days:.1f} s; ratio {peer / first_days:.1f}x"
        )
    year = cpu * 52 / args.weeks
    what = "a year" if args.weeks == 52 else "a year at this rate"
    fast, small = year <= TARGET_SECONDS, peak <= TARGET_MIB
    print(
        f"{what}: {year:,.0f} s CPU (target {TARGET_SECONDS:g} s; the floor above: "
        f"{floor * 52 / first:,.0f} s): {'PASS' if fast else 'FAIL'}"
    )
    print(
        f"peak RSS {peak:,.0f} MiB after {args.weeks:g} weeks (target {TARGET_MIB:g} MiB "
        f"for 52): {'PASS' if small else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
