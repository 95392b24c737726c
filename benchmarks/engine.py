"""Benchmark simkit's Engine against SimPy 4 and a bare ``heapq`` loop.

The workload: ``--processes`` independent processes, each waiting through
``--timeouts`` random delays (exponential, mean 1 s) one after the other.  The
delays come from one seeded :class:`numpy.random.Generator` and are generated
up front as Python floats, so random-number cost is excluded equally from all
three implementations:

* simkit: ``engine.process(gen)`` where ``gen`` yields its next delay,
* SimPy: ``env.process(gen)`` where ``gen`` yields ``env.timeout(delay)``,
* bare heapq: a heap of ``(time, seq, process_index)`` tuples; pop one, push
  that process's next timeout.

Each is run three times (interleaved) and the best wall and CPU times are
kept.  All three must process exactly ``processes * timeouts`` timeouts and
end at the same final time; the script then checks the targets (simkit >=
1.5x SimPy and >= 0.75x the bare loop in events/s) and exits non-zero if a
check fails.  The targets are checked on CPU time, which other load on a
shared machine distorts far less than wall time; both are printed.

Usage::

    python benchmarks/engine.py [--processes 1000 --timeouts 1000 --seed 0 --repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import math
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simkit.engine import Engine  # noqa: E402

TARGET_VS_SIMPY = 1.5
TARGET_VS_HEAPQ = 0.75

Result = tuple[int, float]  # (timeouts processed, final time)


def run_simkit(delays: list[list[float]]) -> Result:
    """Each process is a generator that yields its next delay to the Engine."""
    engine = Engine()
    counts: list[int] = []

    def proc(ds: list[float]):
        n = 0
        for d in ds:
            yield d
            n += 1
        counts.append(n)

    for ds in delays:
        engine.process(proc(ds))
    engine.run()
    return sum(counts), engine.now


def run_simpy(delays: list[list[float]]) -> Result:
    """The same processes written for SimPy: ``yield env.timeout(delay)``."""
    import simpy

    env = simpy.Environment()
    timeout = env.timeout
    counts: list[int] = []

    def proc(ds: list[float]):
        n = 0
        for d in ds:
            yield timeout(d)
            n += 1
        counts.append(n)

    for ds in delays:
        env.process(proc(ds))
    env.run()
    return sum(counts), env.now


def run_heapq(delays: list[list[float]]) -> Result:
    """A bare event loop: pop ``(time, seq, process)``, push that process's next timeout."""
    heappop, heappush = heapq.heappop, heapq.heappush
    iters = [iter(ds) for ds in delays]
    heap = []
    seq = 0
    for i, it in enumerate(iters):
        d = next(it, None)
        if d is not None:
            heap.append((d, seq, i))
            seq += 1
    heapq.heapify(heap)
    n = 0
    now = 0.0
    while heap:
        now, _, i = heappop(heap)
        n += 1
        d = next(iters[i], None)
        if d is not None:
            heappush(heap, (now + d, seq, i))
            seq += 1
    return n, now


IMPLEMENTATIONS: dict[str, Callable[[list[list[float]]], Result]] = {
    "simkit": run_simkit,
    "simpy": run_simpy,
    "heapq": run_heapq,
}


@dataclass
class Timing:
    """Best times of one implementation over the repeats, and what it computed."""

    wall: float = math.inf  # best wall-clock seconds
    cpu: float = math.inf  # best CPU seconds of this process
    results: set[Result] = field(default_factory=set)


def best_of(
    implementations: dict[str, Callable[[list[list[float]]], Result]],
    delays: list[list[float]],
    repeats: int,
) -> dict[str, Timing]:
    """Best wall and CPU time of each implementation over ``repeats`` rounds.

    The rounds interleave the implementations (A B C, A B C, ...) so that a
    burst of load on the machine does not hit just one of them.
    """
    timings = {name: Timing() for name in implementations}
    for _ in range(repeats):
        for name, fn in implementations.items():
            gc.collect()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            result = fn(delays)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            timing = timings[name]
            timing.wall = min(timing.wall, wall)
            timing.cpu = min(timing.cpu, cpu)
            timing.results.add(result)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--timeouts", type=int, default=1000, help="timeouts per process")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    delays = rng.exponential(1.0, size=(args.processes, args.timeouts)).tolist()
    expected = args.processes * args.timeouts

    print(
        f"workload: {args.processes} processes x {args.timeouts} timeouts = {expected:,} "
        f"events, seed {args.seed}, best of {args.repeats}"
    )
    print(
        f"python {sys.version.split()[0]}, simpy {_simpy_version()}, load average "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    timings = best_of(IMPLEMENTATIONS, delays, args.repeats)
    load = os.getloadavg()[0]
    if load > 1.5:
        print(
            f"warning: load average {load:.2f} during the run: other processes competed "
            "for the CPUs (and its caches), so the figures are noisy; rerun on a quieter "
            "machine or with more --repeats"
        )

    print()
    print(
        f"{'implementation':<16}{'events':>12}{'wall s':>9}{'events/s':>12}"
        f"{'cpu s':>9}{'events/s':>12}{'final time':>14}"
    )
    for name, t in timings.items():
        events, final = next(iter(t.results))
        print(
            f"{name:<16}{events:>12,}{t.wall:>9.3f}{events / t.wall:>12,.0f}"
            f"{t.cpu:>9.3f}{events / t.cpu:>12,.0f}{final:>14.6f}"
        )

    print()
    ok = True
    reference = next(iter(timings["heapq"].results))[1]
    for name, t in timings.items():
        same = len(t.results) == 1 and next(iter(t.results)) == (expected, reference)
        ok &= same
        summary = ", ".join(
            f"{events:,} events, final time {final!r}" for events, final in sorted(t.results)
        )
        print(f"check {name}: {summary}: {_verdict(same)}")

    # Rates are compared by CPU time: it excludes time this process spent
    # waiting for a CPU, so other load on the machine distorts it far less.
    simkit, simpy_, heapq_ = timings["simkit"], timings["simpy"], timings["heapq"]
    vs_simpy, vs_heapq = simpy_.cpu / simkit.cpu, heapq_.cpu / simkit.cpu
    pass_simpy, pass_heapq = vs_simpy >= TARGET_VS_SIMPY, vs_heapq >= TARGET_VS_HEAPQ
    print()
    print(
        f"simkit / simpy  (events/s, by cpu) : {vs_simpy:5.2f}x  "
        f"(target >= {TARGET_VS_SIMPY}x)  {_verdict(pass_simpy)}"
    )
    print(
        f"simkit / heapq  (events/s, by cpu) : {vs_heapq:5.2f}x  "
        f"(target >= {TARGET_VS_HEAPQ}x)  {_verdict(pass_heapq)}"
    )
    print(f"simkit / simpy  (events/s, by wall): {simpy_.wall / simkit.wall:5.2f}x")
    print(f"simkit / heapq  (events/s, by wall): {heapq_.wall / simkit.wall:5.2f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS of the three, one process: {peak:,.0f} MiB "
        f"({expected:,} delays held as Python floats)"
    )
    return 0 if ok and pass_simpy and pass_heapq else 1


def _simpy_version() -> str:
    from importlib.metadata import version

    return version("simpy")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


if __name__ == "__main__":
    sys.exit(main())
