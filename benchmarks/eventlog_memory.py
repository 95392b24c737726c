"""Memory and speed of the event log: chunked, compact columns against a list per field.

The workload is a cluster's days as the cluster-year simulation logs them (5,000 streams,
200 nodes, one pod per stream, daily rebuilds): per stream and day a registry_push,
tag_updated, trigger_fired, rollout, pod_created, pull, pod_status, pod_deleted,
container_restart and the restart's pull, about two imports and one or two
scheduled_import_unchanged; the field names, types and values are the simulation's.  The
strings are made the way the simulation makes them: one object per namespace, stream,
node; a new digest and image reference per push; a new pod name per pod and owner per
rollout, each shared by that pod's or image's records.  So most distinct strings
(digests, references, pod names) appear in a handful of records, not thousands.

The peer, in the same run: ``EventLog`` as it was before chunks were frozen (one Python
list per field), read from git at commit ``PEER_COMMIT``.  ``new`` is today's ``EventLog``
with every frozen chunk in memory (``spill_after=NO_SPILL``); ``spilled`` is the same log
spilling frozen chunks to its temporary file beyond ``--spill-after`` records (0 by default:
every frozen chunk is spilled, so its bytes per record are what each record of a long log
costs beyond the ``SPILL_AFTER`` records kept in memory).

* bytes per record: ``tracemalloc``, from before the first record to after the last,
  events generated while recording so that the log's values are counted (strings, boxed
  numbers) and nothing else is kept; printed with the share of the distinct strings
  (the same string objects for both, ``str`` sizes; not counted for ``spilled``, whose
  strings are mostly on disk), and for ``spilled`` the spill file's bytes per record;
* records/s: recording a list of events generated beforehand, by CPU time (other load
  on a shared machine distorts it far less than wall time; both printed), best of
  ``--repeats`` interleaved runs;
* ``to_frame``: CPU seconds for the whole log, best of the same runs; the two frames
  are checked equal (``pandas.testing.assert_frame_equal``, dtypes included).

Targets against ``old``: at least 3x fewer bytes per record for a long log (``spilled``:
what a record costs beyond the ``SPILL_AFTER`` records a log keeps in memory; chunks in
memory alone, ``new``, reach about 1.5x and are printed with their ratio, no target);
recording by ``new`` at most 15% slower (rate ratio at least 0.85) and ``spilled`` at most
25% slower; ``to_frame`` of ``new`` no slower; the three frames equal.  The script prints
PASS or FAIL for each check and exits non-zero if one fails.

Usage::

    python benchmarks/eventlog_memory.py [--events 2000000 --repeats 3 --seed 0 --spill-after 0]
"""

from __future__ import annotations

import argparse
import functools
import gc
import random
import subprocess
import sys
import time
import tracemalloc
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simkit.eventlog import NO_SPILL, EventLog  # noqa: E402

#: The last commit with the list-per-field EventLog.
PEER_COMMIT = "28cece8010e477b289fe50cde40885cdd7132c42"

DAY = 86400.0
START = pd.Timestamp("2026-01-01", tz="UTC")
TARGET_BYTES = 3.0  # old bytes per record / new
TARGET_RECORDING = 0.85  # new records/s / old
TARGET_RECORDING_SPILLED = 0.75  # spilled records/s / old
TARGET_FRAME = 1.0  # old to_frame time / new

Event = tuple[float, str, dict[str, Any]]


def load_peer() -> type:
    """``EventLog`` from ``PEER_COMMIT``, as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{PEER_COMMIT}:simkit/eventlog.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("eventlog_peer")
    sys.modules[module.__name__] = module
    exec(compile(source, f"{PEER_COMMIT[:7]}:simkit/eventlog.py", "exec"), module.__dict__)
    return module.EventLog


def cluster_events(
    count: int, seed: int = 0, streams: int = 5000, nodes: int = 200
) -> Iterator[Event]:
    """``count`` events of a cluster's days, in time order (see the module notes)."""
    rng = random.Random(seed)
    node_names = [f"worker-{i}" for i in range(nodes)]
    projects = max(1, streams // 50)
    state = []
    for i in range(streams):
        repository = f"fleet/app{i}"
        digest = _digest(rng)
        state.append(
            {
                "namespace": f"p{i % projects}",
                "stream": f"app{i}",
                "repository": repository,
                "workload": f"web{i}",
                "digest": digest,
                "reference": f"quay.io/{repository}@{digest}",
                "revision": 1,
                "generation": 1,
                "pod": f"web{i}-{rng.getrandbits(20):05x}",
                "node": rng.choice(node_names),
                "owner": f"Deployment/web{i}#1",
                "restarts": 0,
            }
        )
    emitted = 0
    day = 0
    while emitted < count:
        events: list[Event] = []
        for s in state:
            restart = day * DAY + rng.random() * 600  # the daily restart, at midnight
            events.append(_restart(rng, s, restart))
            events.append(_restart_pull(rng, s, restart + rng.random()))
            rebuild = day * DAY + 600 + rng.random() * (DAY - 1200)
            events.extend(_rebuild_and_rollout(rng, s, rebuild, node_names))
            if rng.random() < 0.9:  # a scheduled import besides the rebuild's
                events.append(
                    (
                        day * DAY + rng.random() * DAY,
                        "import",
                        {
                            "namespace": s["namespace"],
                            "stream": s["stream"],
                            "cause": "scheduled",
                            "tags": 1,
                            "succeeded": 1,
                            "failed": 0,
                        },
                    )
                )
        for _ in range(int(len(state) * 1.4)):
            events.append(
                (
                    day * DAY + rng.random() * DAY,
                    "scheduled_import_unchanged",
                    {"streams": rng.randint(1, 60)},
                )
            )
        for _ in range(len(state) // 5):
            events.append(
                (
                    day * DAY + rng.random() * DAY,
                    "scheduled_import_throttled",
                    {"streams": rng.randint(1, 400)},
                )
            )
        events.sort(key=lambda event: event[0])
        yield from events[: count - emitted]
        emitted += min(len(events), count - emitted)
        day += 1


def _digest(rng: random.Random) -> str:
    return f"sha256:{rng.getrandbits(256):064x}"


def _rebuild_and_rollout(
    rng: random.Random, s: dict[str, Any], at: float, node_names: list[str]
) -> list[Event]:
    """A daily rebuild pushed upstream, imported, rolled out to a new pod."""
    previous_digest, previous_reference = s["digest"], s["reference"]
    digest = s["digest"] = _digest(rng)
    reference = s["reference"] = f"quay.io/{s['repository']}@{digest}"
    s["generation"] += 1
    s["revision"] += 1
    old_pod, old_node, old_owner = s["pod"], s["node"], s["owner"]
    pod = s["pod"] = f"{s['workload']}-{rng.getrandbits(20):05x}"
    node = s["node"] = rng.choice(node_names)
    owner = s["owner"] = f"Deployment/{s['workload']}#{s['revision']}"
    size = rng.randint(50_000_000, 150_000_000)
    namespace, workload = s["namespace"], s["workload"]
    steps = iter(sorted(at + rng.random() * 60 for _ in range(9)))
    return [
        (
            next(steps),
            "registry_push",
            {
                "registry": "quay.io",
                "repository": s["repository"],
                "tag": "latest",
                "digest": digest,
                "previous_digest": previous_digest,
                "size": size,
                "rebuild": True,
            },
        ),
        (
            next(steps),
            "tag_updated",
            {
                "namespace": namespace,
                "stream": s["stream"],
                "tag": "latest",
                "image": digest,
                "reference": reference,
                "previous_image": previous_digest,
                "generation": s["generation"],
                "revisions": min(s["generation"], 4),
            },
        ),
        (
            next(steps),
            "import",
            {
                "namespace": namespace,
                "stream": s["stream"],
                "cause": "scheduled",
                "tags": 1,
                "succeeded": 1,
                "failed": 0,
            },
        ),
        (
            next(steps),
            "trigger_fired",
            {
                "workload_kind": "Deployment",
                "namespace": namespace,
                "workload": workload,
                "image": reference,
                "previous_image": previous_reference,
            },
        ),
        (
            next(steps),
            "rollout",
            {
                "workload_kind": "Deployment",
                "namespace": namespace,
                "workload": workload,
                "revision": s["revision"],
                "image": reference,
                "cause": "image change",
            },
        ),
        (
            next(steps),
            "pod_created",
            {
                "namespace": namespace,
                "pod": pod,
                "node": node,
                "image": reference,
                "policy": "IfNotPresent",
                "owner": owner,
                "pull_secrets": 1,
                "service_account": "default",
            },
        ),
        (
            next(steps),
            "pull",
            {
                "namespace": namespace,
                "pod": pod,
                "node": node,
                "image": reference,
                "policy": "IfNotPresent",
                "decision": "pulled",
                "digest": digest,
                "credential": "anonymous",
                "bytes": size,
                "latency": rng.uniform(0.5, 4.0),
                "pull_through": False,
            },
        ),
        (
            next(steps),
            "pod_status",
            {
                "namespace": namespace,
                "pod": pod,
                "node": node,
                "status": "Running",
                "image": reference,
                "digest": digest,
            },
        ),
        (
            next(steps),
            "pod_deleted",
            {
                "namespace": namespace,
                "pod": old_pod,
                "node": old_node,
                "reason": "rollout",
                "owner": old_owner,
            },
        ),
    ]


def _restart(rng: random.Random, s: dict[str, Any], at: float) -> Event:
    s["restarts"] = 1 if rng.random() < 0.99 else 2
    return (
        at,
        "container_restart",
        {
            "namespace": s["namespace"],
            "pod": s["pod"],
            "node": s["node"],
            "restarts": s["restarts"],
        },
    )


def _restart_pull(rng: random.Random, s: dict[str, Any], at: float) -> Event:
    return (
        at,
        "pull",
        {
            "namespace": s["namespace"],
            "pod": s["pod"],
            "node": s["node"],
            "image": s["reference"],
            "policy": "IfNotPresent",
            "decision": "cached",
            "digest": s["digest"],
            "latency": 0.0,
            "bytes": 0,
        },
    )


# -- measurements ---------------------------------------------------------------------------


class Memory(NamedTuple):
    """Bytes per record: in memory, the distinct strings' share (None if not counted),
    in the spill file."""

    used: float
    strings: float | None
    disk: float


def memory(log_class: Any, count: int, seed: int, *, strings: bool = True) -> Memory:
    """Bytes per record the log keeps (see :class:`Memory`); the distinct strings are
    counted if ``strings``."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        log = log_class()
        record = log.record
        for at, kind, fields in cluster_events(count, seed):
            record(at, kind, **fields)
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    disk = getattr(log, "_spill_end", 0) / count
    if not strings:
        return Memory(used / count, None, disk)
    distinct = {id(v): sys.getsizeof(v) for e in log for v in e.values() if type(v) is str}
    return Memory(used / count, sum(distinct.values()) / count, disk)


def timings(
    classes: dict[str, Any], events: list[Event], repeats: int
) -> tuple[dict[str, dict[str, float]], bool]:
    """Best CPU and wall seconds to record ``events`` and to build the frame, per class;
    and whether all classes gave the same frame."""
    best: dict[str, dict[str, float]] = {
        name: {
            "record cpu": float("inf"),
            "record wall": float("inf"),
            "frame cpu": float("inf"),
            "frame wall": float("inf"),
        }
        for name in classes
    }
    frames: dict[str, pd.DataFrame] = {}
    for _ in range(repeats):
        for name, log_class in classes.items():
            log = log_class()
            record = log.record
            gc.collect()
            gc.disable()
            try:
                spent = _Clock()
                for at, kind, fields in events:
                    record(at, kind, **fields)
                spent.keep_best(best[name], "record")
                spent = _Clock()
                frame = log.to_frame(START)
                spent.keep_best(best[name], "frame")
            finally:
                gc.enable()
            frames.setdefault(name, frame)
            del log, frame
    first, *others = frames.values()
    same = True
    for other in others:
        try:
            pd.testing.assert_frame_equal(first, other, check_dtype=True, check_exact=True)
        except AssertionError as error:
            print(f"frames differ: {error}")
            same = False
    return best, same


class _Clock:
    """CPU and wall time since it was made."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def keep_best(self, best: dict[str, float], what: str) -> None:
        cpu, wall = time.process_time() - self.cpu, time.perf_counter() - self.wall
        best[f"{what} cpu"] = min(best[f"{what} cpu"], cpu)
        best[f"{what} wall"] = min(best[f"{what} wall"], wall)


def print_table(best: dict[str, dict[str, float]], used: dict[str, Memory], n: int) -> None:
    """The figures of ``old``, ``new`` and ``spilled`` side by side, each of the last two
    with its ratio to ``old`` (how many times better: fewer bytes, more records/s, fewer
    seconds)."""
    names = ("old", "new", "spilled")
    print()
    print(f"{'':<34}{'old':>12}{'new':>12}{'old/new':>10}{'spilled':>12}{'old/spilled':>13}")
    print(
        f"{'bytes per record (tracemalloc)':<34}" + _row([used[name].used for name in names], ".1f")
    )
    rest = {name: used[name].used - used[name].strings for name in ("old", "new")}
    print(
        f"{'  of which distinct strings':<34}{used['old'].strings:>12.1f}"
        f"{used['new'].strings:>12.1f}{'':>10}{'n/a':>12}"
    )
    print(
        f"{'  the rest':<34}{rest['old']:>12.1f}{rest['new']:>12.1f}"
        f"{rest['old'] / rest['new']:>9.2f}x"
    )
    print(f"{'bytes per record in spill file':<34}{'':>34}{used['spilled'].disk:>12.1f}")
    for what in ("cpu", "wall"):
        seconds = [best[name]["record " + what] for name in names]
        print(
            f"{'records/s recording, ' + what:<34}"
            + _row([n / s for s in seconds], ",.0f", seconds)
        )
    for what in ("cpu", "wall"):
        print(
            f"{'to_frame seconds, ' + what:<34}"
            + _row([best[name]["frame " + what] for name in names], ".2f")
        )


def _row(figures: list[float], spec: str, costs: list[float] | None = None) -> str:
    """``old``, ``new`` and ``spilled`` figures, each of the last two followed by
    ``old / it`` of ``costs`` (the figures themselves by default)."""
    old, new, spilled = figures
    first, *others = figures if costs is None else costs
    ratios = [first / other for other in others]
    return f"{old:>12{spec}}{new:>12{spec}}{ratios[0]:>9.2f}x{spilled:>12{spec}}{ratios[1]:>12.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--spill-after",
        type=int,
        default=0,
        help="spill_after of the spilled log (default 0: spill every chunk)",
    )
    args = parser.parse_args()
    classes = {
        "old": load_peer(),
        "new": functools.partial(EventLog, spill_after=NO_SPILL),
        "spilled": functools.partial(EventLog, spill_after=args.spill_after),
    }

    events = list(cluster_events(args.events, args.seed))
    kinds = Counter(kind for _, kind, _ in events)
    print(
        f"{len(events):,} events of a 5,000-stream, 200-node cluster over "
        f"{events[-1][0] / DAY:.1f} days; peer: EventLog at {PEER_COMMIT[:7]} "
        f"(a list per field); new: chunks of {EventLog()._chunk_size:,} records; "
        f"spilled: the same, spill_after={args.spill_after:,}"
    )
    print("kinds: " + ", ".join(f"{kind} {n / len(events):.1%}" for kind, n in kinds.most_common()))
    best, same = timings(classes, events, args.repeats)
    del events
    gc.collect()
    used = {
        name: memory(log_class, args.events, args.seed, strings=name != "spilled")
        for name, log_class in classes.items()
    }
    print_table(best, used, args.events)

    old, new, spilled = best["old"], best["new"], best["spilled"]
    memory_ratio = used["old"].used / used["spilled"].used
    recording_ratio = old["record cpu"] / new["record cpu"]
    spilled_recording = old["record cpu"] / spilled["record cpu"]
    frame_ratio = old["frame cpu"] / new["frame cpu"]
    print(
        f"\nbytes per record in memory, old/new (no spilling): "
        f"{used['old'].used / used['new'].used:.2f}x"
    )
    checks = [
        (
            f"bytes per record ratio (old/spilled) {memory_ratio:.2f}x (target >= {TARGET_BYTES}x)",
            memory_ratio >= TARGET_BYTES,
        ),
        (
            f"recording rate ratio (new/old, cpu) {recording_ratio:.2f} "
            f"(target >= {TARGET_RECORDING})",
            recording_ratio >= TARGET_RECORDING,
        ),
        (
            f"recording rate ratio (spilled/old, cpu) {spilled_recording:.2f} "
            f"(target >= {TARGET_RECORDING_SPILLED})",
            spilled_recording >= TARGET_RECORDING_SPILLED,
        ),
        (
            f"to_frame speed ratio (old/new, cpu) {frame_ratio:.2f} (target >= {TARGET_FRAME})",
            frame_ratio >= TARGET_FRAME,
        ),
        ("same frame from all three logs", same),
    ]
    print()
    for text, ok in checks:
        print(f"{text}: {'PASS' if ok else 'FAIL'}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
