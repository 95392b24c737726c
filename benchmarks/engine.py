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

Each is run three times (interleaved) and the best wall time is kept.  All three must
process exactly ``processes * timeouts`` timeouts and end at the same final
time; the script then checks the targets (simkit >= 1.5x SimPy and >= 0.75x
the bare loop in events/s) and exits non-zero if a check fails.

Usage::

    python benchmarks/engine.py [--processes 1000 --timeouts 1000 --seed 0 --repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import sys
import time
from collections.abc import Callable
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


def best_of(
    implementations: dict[str, Callable[[list[list[float]]], Result]],
    delays: list[list[float]],
    repeats: int,
) -> dict[str, tuple[float, Result]]:
    """Best wall time and result of each implementation over ``repeats`` rounds.

    The rounds interleave the implementations (A B C, A B C, ...) so that a
    burst of load on the machine does not hit just one of them.
    """
    best: dict[str, tuple[float, Result]] = {}
    for _ in range(repeats):
        for name, fn in implementations.items():
            gc.collect()
            start = time.perf_counter()
            result = fn(delays)
            wall = time.perf_counter() - start
            if name not in best or wall < best[name][0]:
                best[name] = (wall, result)
    return best


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
    print(f"python {sys.version.split()[0]}")
    rows = best_of(IMPLEMENTATIONS, delays, args.repeats)

    print()
    print(f"{'implementation':<16}{'events':>12}{'wall s':>10}{'events/s':>14}{'final time':>20}")
    for name, (wall, (events, final)) in rows.items():
        print(f"{name:<16}{events:>12,}{wall:>10.3f}{events / wall:>14,.0f}{final:>20.6f}")

    ok = True
    print()
    for name, (_, (events, final)) in rows.items():
        same = events == expected and final == rows["heapq"][1][1]
        ok &= same
        print(f"check {name}: {events:,} events, final time {final!r}: {_verdict(same)}")

    rate = {name: events / wall for name, (wall, (events, _)) in rows.items()}
    vs_simpy = rate["simkit"] / rate["simpy"]
    vs_heapq = rate["simkit"] / rate["heapq"]
    pass_simpy = vs_simpy >= TARGET_VS_SIMPY
    pass_heapq = vs_heapq >= TARGET_VS_HEAPQ
    print(f"simkit / simpy : {vs_simpy:5.2f}x  (target >= {TARGET_VS_SIMPY}x)  "
          f"{_verdict(pass_simpy)}")
    print(f"simkit / heapq : {vs_heapq:5.2f}x  (target >= {TARGET_VS_HEAPQ}x)  "
          f"{_verdict(pass_heapq)}")
    return 0 if ok and pass_simpy and pass_heapq else 1


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


if __name__ == "__main__":
    sys.exit(main())
