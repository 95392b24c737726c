"""The speed work of issue 20 changes no result: the same seed gives the same event log.

``benchmarks/cluster_year.py``'s cluster, small (120 daily-rebuilt scheduled streams, 5
nodes, 240 pods in triggered Deployments, daily restarts, the image pruner every midnight,
which deletes from the third night on) over 9 days, seed 11.  The golden digest was taken
from main at 338ce6d, before the speed work of issue 20's second round (the scheduled-import
buckets as arrays, the scheduler's pod-count groups, memoised validation, the parser's
fast path, cheaper copies and records, the pruner's shortcuts), and every one of those
changes left it as it was.  A change that means to change the log must say so here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "cluster_year", Path(__file__).resolve().parents[1] / "benchmarks" / "cluster_year.py"
)
cluster_year = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(cluster_year)

GOLDEN = (25124, "699d00f634572d35")


def test_the_benchmark_cluster_logs_what_it_logged_before_the_speed_work():
    sim = cluster_year.build(120, 5, 240, 1.0, seed=11)
    sim.advance(9 * cluster_year.DAY)
    digest = hashlib.sha256()
    for record in sim.log:
        digest.update(json.dumps(record, sort_keys=True, default=str).encode())
    assert (len(sim.log), digest.hexdigest()[:16]) == GOLDEN
