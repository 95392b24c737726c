"""A steady-state week costs what the first one costs (issue 20, item 1).

A cluster whose work is the same every day (daily upstream rebuilds, scheduled imports,
triggered rollouts, daily container restarts, the image pruner every midnight) must not
get slower week after week.  Wall time is not stable in CI, so these tests measure
deterministic proxies of a week's cost:

- the records logged and the engine entries scheduled each week;
- the size of every container the simulation keeps (walked from the Simulation by
  ``benchmarks/container_sizes.py``): after a warm-up (node image stores filling up to
  the kubelet's garbage-collection threshold, tag history reaching
  ``--keep-tag-revisions``), none may keep growing, but for what grows by design: the
  event log, and each registry's manifests (a registry keeps every image pushed to it,
  reachable by digest, as a real one without garbage collection does).

The cluster is small (40 streams, 4 nodes with a 6 GiB image store each, so that image
garbage collection starts within days) and runs five weeks in a few seconds.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from pathlib import Path

import pytest

import simkit as sk
from simkit.config import Config
from simkit.upstream import start_release_model

DAY = 86400.0
WEEKS = 5
MARGIN = 1.10

_SPEC = importlib.util.spec_from_file_location(
    "container_sizes", Path(__file__).resolve().parents[1] / "benchmarks" / "container_sizes.py"
)
container_sizes = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(container_sizes)

GROWS_BY_DESIGN = (
    re.compile(r"sim\.log\."),  # the event log: every record, by design
    # every manifest pushed, by digest (column-wise), and its distinct labels mappings;
    # the newest 65,536 also as objects (_recent, bounded)
    re.compile(r"sim\.registries\[\*\]\.images\."),
    # one shared labels mapping per distinct label set; cleared at 65,536 sets
    re.compile(r"sim\.registries\[\*\]\._label_sets"),
)


def _cluster(streams: int = 40, nodes: int = 4) -> sk.Simulation:
    """``benchmarks/cluster_year.py``'s cluster, small: one triggered Deployment per
    daily-rebuilt, scheduled stream, containers restarted daily, the pruner at midnight."""
    config = Config(image_pruner_schedule="0 0 * * *", node_disk_capacity=6 * 1024**3)
    sim = sk.Simulation(seed=7, nodes=nodes, config=config)
    quay = sim.registry("quay.io")
    sim.oc("new-project p0 --skip-config-write")
    for i in range(streams):
        quay.push(f"fleet/app{i}", "latest")
        start_release_model(
            sim, quay, f"fleet/app{i}", "rebuilds", {"tags": ["latest"], "every": "1d"}
        )
        sim.oc(f"tag --scheduled quay.io/fleet/app{i}:latest app{i}:latest -n p0")
    sim.advance("2m")
    for i in range(streams):
        sim.deploy("p0", f"web{i}", trigger=f"app{i}:latest", pull_policy="IfNotPresent")

    def restart_all() -> None:
        for pod in sim.pods():
            if pod.status == "Running":
                sim.kubelet.restart(pod)

    sim.engine.every(DAY, restart_all)
    return sim


def _entries(sim: sk.Simulation) -> int:
    """Entries the engine has scheduled so far (its sequence counter)."""
    return int(re.fullmatch(r"count\((\d+)\)", repr(sim.engine._seq)).group(1))


@pytest.fixture(scope="module")
def weeks() -> list[tuple[int, int, dict[str, int]]]:
    """Per week: records logged, engine entries scheduled, container sizes at its end."""
    sim = _cluster()
    result = []
    for _ in range(WEEKS):
        records, entries = len(sim.log), _entries(sim)
        sim.advance(7 * DAY)
        result.append(
            (len(sim.log) - records, _entries(sim) - entries, container_sizes.simulation_sizes(sim))
        )
    gc_events = sim.log.kinds().get("image_gc", 0)
    assert gc_events > 0, "the node image stores never reached garbage collection"
    return result


def test_a_steady_week_logs_and_schedules_no_more_than_the_first(weeks):
    first_records, first_entries, _ = weeks[0]
    for number, (records, entries, _) in enumerate(weeks[1:], start=2):
        assert records <= MARGIN * first_records, (
            f"week {number} logged {records:,} records, week 1 {first_records:,}"
        )
        assert entries <= MARGIN * first_entries, (
            f"week {number} scheduled {entries:,} engine entries, week 1 {first_entries:,}"
        )


def test_no_container_keeps_growing_after_the_warm_up(weeks):
    """From the end of week 2 (node stores full, history at its limit) to the end of the
    last week, only the containers that grow by design may grow by more than the margin."""
    warm, last = weeks[1][2], weeks[-1][2]
    grown = {
        path: (warm.get(path, 0), size)
        for path, size in last.items()
        if size > MARGIN * warm.get(path, 0) + 8
        and not any(pattern.match(path) for pattern in GROWS_BY_DESIGN)
        and not path.startswith("lru_cache ")
    }
    assert not grown, (
        f"containers growing week after week (end of week 2, week {WEEKS}): "
        + ", ".join(f"{path} {then:,} -> {now:,}" for path, (then, now) in sorted(grown.items()))
    )


def test_lru_caches_stay_within_their_bounds(weeks):
    """Every ``lru_cache`` in simkit is bounded: full ones evict, never grow."""
    for path, size in weeks[-1][2].items():
        if path.startswith("lru_cache "):
            assert size <= 1 << 16, f"{path} holds {size:,} entries"


def test_the_walker_finds_what_grows_by_design(weeks):
    """The check above can fail: the registry's manifests and the log do grow, and the
    walker sees them grow."""
    warm, last = weeks[1][2], weeks[-1][2]
    for path in ("sim.registries[*].images._index", "sim.log._times"):
        assert last[path] > MARGIN * warm[path], path
    assert container_sizes.growing([warm, last])  # the benchmark's own check agrees
    assert list(itertools.islice(sorted(last), 1))
