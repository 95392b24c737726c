"""Count every container a running Simulation keeps, week by week (issue 20 item 1).

A walker follows the simulation's object graph (attributes, ``__slots__``, dicts, lists,
sets, tuples, deques and arrays) from the :class:`~simkit.Simulation` down, and sums the
length of every container it meets under a *path pattern*: the attribute names on the way,
with every dict key, list index and set member written ``[*]``.  So
``kubelet.nodes[*].node.images`` is the total number of images over all nodes, and
``cluster._stores[*][*].status.tags[*].items`` the tag history events over all streams.
Each container is counted once (the first path that reaches it).  The engine's heap and
cancelled entries, the RNG's state and every ``functools.lru_cache`` in ``simkit`` are
counted too.

A container that grows week after week in a cluster whose work is the same every week is
what makes later weeks slower; :func:`growing` names them.

Run: ``python benchmarks/container_sizes.py [--streams 1000 --nodes 50 --pods 1000
--weeks 10 --min 1000]`` (prints a table: one row per pattern that reached ``--min``
entries, one column per week, and the CPU seconds of each week).
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
from array import array
from collections import deque
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

_LEAVES = (str, bytes, int, float, bool, complex, type(None), type, np.ndarray, np.generic, Path)
_MISSING = object()
_SKIP_TYPES = (
    "function",
    "method",
    "builtin_function_or_method",
    "module",
    "code",
    "frame",
    "cell",
    "getset_descriptor",
    "weakref",
    "property",
)


def _attributes(obj: object) -> Iterator[tuple[str, object]]:
    """``(name, value)`` of an object's instance attributes (``__dict__``, slots, and the
    attributes of a class compiled by mypyc, which it lists in ``__mypyc_attrs__``)."""
    seen: set[str] = set()
    values = getattr(obj, "__dict__", None)
    if isinstance(values, dict):
        for name, value in values.items():
            seen.add(name)
            yield name, value
    for cls in type(obj).__mro__:
        names = (*cls.__dict__.get("__slots__", ()), *cls.__dict__.get("__mypyc_attrs__", ()))
        for name in names:
            if name in seen or name in ("__dict__", "__weakref__"):
                continue
            seen.add(name)
            value = getattr(obj, name, _MISSING)
            if value is not _MISSING:
                yield name, value


def container_sizes(root: object, prefix: str = "sim") -> dict[str, int]:
    """``{path pattern: total entries}`` of every container reachable from ``root``.

    Examples
    --------
    >>> class A:
    ...     def __init__(self):
    ...         self.items = {"a": [1, 2], "b": [3]}
    >>> sizes = container_sizes(A(), "a")
    >>> sizes["a.items"], sizes["a.items[*]"]
    (2, 3)
    """
    sizes: dict[str, int] = {}
    seen: set[int] = set()
    stack: list[tuple[str, object]] = [(prefix, root)]
    while stack:
        path, obj = stack.pop()
        if isinstance(obj, _LEAVES) or type(obj).__name__ in _SKIP_TYPES:
            continue
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, functools.partial):
            continue
        if isinstance(obj, dict) or type(obj).__name__ == "mappingproxy":
            sizes[path] = sizes.get(path, 0) + len(obj)
            inner = f"{path}[*]"
            for key, value in obj.items():
                if isinstance(key, tuple):
                    stack.append((f"{path}{{key}}", key))
                stack.append((inner, value))
        elif isinstance(obj, list | tuple | set | frozenset | deque):
            sizes[path] = sizes.get(path, 0) + len(obj)
            inner = f"{path}[*]"
            stack.extend((inner, value) for value in obj)
        elif isinstance(obj, array):
            sizes[path] = sizes.get(path, 0) + len(obj)
        else:
            for name, value in _attributes(obj):
                stack.append((f"{path}.{name}", value))
    return sizes


def simulation_sizes(sim) -> dict[str, int]:
    """:func:`container_sizes` of ``sim`` plus the engine's heap and cancelled entries,
    the RNG state's size and every ``lru_cache`` in ``simkit`` (current size)."""
    sizes = container_sizes(sim)
    engine = sim.engine
    sizes["engine heap entries"] = len(engine._heap)
    sizes["engine cancelled entries"] = engine._ncancelled
    sizes["rng state entries"] = len(str(sim.rng.bit_generator.state))
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and getattr(
            obj, "__module__", ""
        ).startswith("simkit"):
            sizes[f"lru_cache {obj.__module__}.{obj.__qualname__}"] = obj.cache_info().currsize
    return sizes


def growing(
    weeks: list[dict[str, int]], skip: int = 1, factor: float = 1.25, least: int = 100
) -> dict[str, tuple[int, int]]:
    """Patterns whose size after the last week is more than ``factor`` times (and
    ``least`` entries above) their size after week ``skip`` (the warm-up): ``{pattern:
    (then, last)}``."""
    then, last = weeks[skip - 1], weeks[-1]
    return {
        path: (then.get(path, 0), size)
        for path, size in last.items()
        if size > factor * then.get(path, 0) and size - then.get(path, 0) >= least
    }


def main() -> None:
    from cluster_year import build

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument(
        "--min",
        type=int,
        default=1000,
        help="show patterns with at least this many entries in some week",
    )
    parser.add_argument("--all", action="store_true", help="every pattern, growing or not")
    args = parser.parse_args()
    sim = build(args.streams, args.nodes, args.pods, 1.0)
    weeks: list[dict[str, int]] = []
    cpu: list[float] = []
    for week in range(args.weeks):
        start = time.process_time()
        sim.advance(7 * 86400.0)
        cpu.append(time.process_time() - start)
        weeks.append(simulation_sizes(sim))
        print(f"week {week + 1}: {cpu[-1]:.1f} s CPU, {len(sim.log):,} events", flush=True)
    names = sorted({p for w in weeks for p, n in w.items() if n >= args.min})
    grown = growing(weeks)
    if not args.all:
        names = [n for n in names if n in grown] or names
    width = max(len(n) for n in names)
    print(
        f"{'container':<{width}} " + " ".join(f"{'w' + str(i + 1):>9}" for i in range(len(weeks)))
    )
    for name in names:
        mark = " *" if name in grown else ""
        print(f"{name:<{width}} " + " ".join(f"{w.get(name, 0):>9,}" for w in weeks) + mark)
    print(f"{'CPU s':<{width}} " + " ".join(f"{c:>9.1f}" for c in cpu))


if __name__ == "__main__":
    main()
