"""What a simulated week of scheduled imports costs, and that it tracks imports, not visits.

``--streams`` image streams (2,000) each get one ``--scheduled`` tag from its own upstream
repository, whose tag is rebuilt once a day at a random time; the simulation runs
``--days`` (7) with the default throttle (60 imports/min, burst 120).  Then the same
with ``--compare`` streams (10,000): five times the scheduler visits and five times the
upstream changes.  Imports that find nothing new are counted, not performed (see
``skip_unchanged``), so the imports performed follow the changes.

A third run has ``--compare`` streams of which only ``--streams`` are rebuilt: the same
changes as the first, five times the visits.  It is the pair that tells whether the cost
follows the imports performed or the visits (in the first pair both grow fivefold).

Each run is a fresh process, so its peak RSS (``ru_maxrss``) is its own.  ``--profile``
also profiles one simulated day of the first size and prints the hot spots.

Usage::

    python benchmarks/imports.py [--streams 2000] [--compare 10000] [--days 7]
        [--order random|insertion] [--seed 0] [--profile]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import io
import math
import multiprocessing
import pstats
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simkit as sk  # noqa: E402
from simkit.upstream import Rebuilds  # noqa: E402


def build(streams: int, seed: int, order: str, rebuilt: int | None = None) -> sk.Simulation:
    """``streams`` scheduled streams, each on its own upstream tag; the first ``rebuilt``
    (default all) of those tags are rebuilt daily, the others never change."""
    sim = sk.Simulation(seed=seed)
    sim.scheduled_import_controller.visit_order = order
    quay = sim.registry("quay.io")
    sim.oc("new-project bench")
    for i in range(streams):
        quay.push(f"acme/app{i}", "1.0")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:1.0 app{i}:1.0 -n bench")
        if rebuilt is None or i < rebuilt:
            Rebuilds(sim, quay, f"acme/app{i}", "1.0", every="1d", jitter=1.0)
    return sim


def run(streams: int, days: float, seed: int, order: str, rebuilt: int | None = None) -> dict:
    """One run, in the calling process; returns its measurements."""
    started = time.perf_counter()
    sim = build(streams, seed, order, rebuilt)
    setup = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    sim.advance(days * 86400)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = sim.scheduled_import_controller.stats()
    kinds = sim.log.kinds()
    return {
        "streams": streams,
        "rebuilt": streams if rebuilt is None else rebuilt,
        "days": days,
        "setup_s": setup,
        "wall_s": wall,
        "cpu_s": cpu,
        "events": len(sim.log),
        "imports": stats["imports"],
        "visits": stats["visits"],
        "throttled": stats["throttled"],
        "rebuilds": kinds.get("registry_push", 0) - streams,
        "all_imports": kinds.get("import", 0),
        "unchanged": sim.scheduled_import_controller.unchanged,
        "performed": stats["imports"] - sim.scheduled_import_controller.unchanged,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_isolated(
    streams: int, days: float, seed: int, order: str, rebuilt: int | None = None
) -> dict:
    """:func:`run` in a fresh process (so that peak memory is this run's alone)."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(run, streams, days, seed, order, rebuilt).result()


def profile(streams: int, seed: int, order: str, top: int = 20) -> str:
    """The hot spots of one simulated day (after a warm-up hour), by own time."""
    sim = build(streams, seed, order)
    sim.advance("1h")
    profiler = cProfile.Profile()
    profiler.enable()
    sim.advance("1d")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def _compare(a: dict, b: dict) -> None:
    """Print how run ``b``'s cost grew over run ``a``'s, against visits and imports."""
    visits, performed = b["visits"] / a["visits"], b["performed"] / a["performed"]
    wall, cpu = b["wall_s"] / a["wall_s"], b["cpu_s"] / a["cpu_s"]
    print(
        f"\n{b['streams']} streams ({b['rebuilt']} rebuilt) vs {a['streams']} "
        f"({a['rebuilt']} rebuilt): {visits:.2f}x the visits, {performed:.2f}x the imports "
        f"performed ({b['imports'] / a['imports']:.2f}x counted); {wall:.2f}x the wall time, "
        f"{cpu:.2f}x the cpu time."
    )
    print(
        f"  cpu time per import performed: {cpu / performed:.2f}x;  per visit: {cpu / visits:.2f}x"
    )
    if abs(visits - performed) / performed > 0.5:
        # On a log scale: which of the two growths the cost is nearer to.
        nearer = abs(math.log(cpu / performed)) < abs(math.log(cpu / visits))
        verdict = "imports performed: PASS" if nearer else "visits: FAIL"
        print(f"  -> the cost tracks {verdict}")
    else:
        print(
            "  (visits and imports performed grew alike here: this pair cannot tell which "
            "the cost follows)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--compare", type=int, default=10000, help="0: no comparison run")
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--order", choices=("random", "insertion"), default="random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    # (streams, rebuilt): the base; the same with more streams, all rebuilt; the same
    # number of streams with only the base's number rebuilt (same changes, more visits).
    sizes = [(args.streams, None)]
    if args.compare:
        sizes += [(args.compare, None), (args.compare, args.streams)]
    results = []
    for n, rebuilt in sizes:
        result = run_isolated(n, args.days, args.seed, args.order, rebuilt)
        results.append(result)
        print(
            f"  ran {n} streams ({result['rebuilt']} rebuilt): {result['wall_s']:.1f} s",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"Scheduled imports: {args.days:g} simulated days, one scheduled tag per stream, "
        f"each upstream tag rebuilt daily; 60 imports/min, burst 120; visit order "
        f"{args.order}; seed {args.seed}\n"
    )
    header = (
        f"{'streams':>8}{'rebuilt':>8}{'wall s':>8}"
        f"{'cpu s':>8}{'setup s':>8}{'events':>9}{'events/s':>10}"
        f"{'imports':>9}{'visits':>9}{'visits/imp':>11}{'throttled':>10}"
        f"{'unchanged':>10}{'performed':>10}{'us/perf.':>9}{'us/visit':>9}"
        f"{'peak RSS':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['streams']:>8}{r['rebuilt']:>8}{r['wall_s']:>8.1f}{r['cpu_s']:>8.1f}{r['setup_s']:>8.1f}"
            f"{r['events']:>9}"
            f"{r['events'] / r['wall_s']:>10.0f}{r['imports']:>9}{r['visits']:>9}"
            f"{r['visits'] / r['imports']:>11.2f}{r['throttled']:>10}{r['unchanged']:>10}"
            f"{r['performed']:>10}{1e6 * r['wall_s'] / r['performed']:>9.0f}"
            f"{1e6 * r['wall_s'] / r['visits']:>9.1f}"
            f"{r['peak_rss_mb']:>7.0f} MB"
        )
    print(
        "\n(imports: scheduled ImageStreamImports; the spec-change imports at setup are not "
        "counted. unchanged: those of them known to change nothing, counted in bulk rather "
        "than performed (skip_unchanged). events/s: events in sim.log / wall time of the "
        "simulated run; performed: "
        "imports less unchanged; us/perf. and us/visit: wall time per import performed and "
        "per visit. cpu s: the run's process time, robust to a busy machine.)"
    )
    for other in results[1:]:
        _compare(results[0], other)
    if args.profile:
        print(f"\nProfile of one simulated day with {args.streams} streams (own time):")
        print(profile(args.streams, args.seed, args.order))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
