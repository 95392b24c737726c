"""Every name API.md promises is importable from the top level."""

from __future__ import annotations

import simkit as sk

API = [
    "parse_image",
    "ImageRef",
    "InvalidReference",
    "default_pull_policy",
    "Keyring",
    "Credential",
    "Simulation",
    "load_manifests",
    "ManifestError",
    "sweep",
    "OcError",
]
ANALYSIS = ["who_can_pull", "pull_matrix", "stale_tag_risk", "classify_tag"]
SIMULATION = [
    "now",
    "clock",
    "advance",
    "registry",
    "oc",
    "tag_image",
    "pull_spec",
    "can_pull",
    "run_pod",
    "events",
]


def test_top_level_names():
    missing = [name for name in API if not hasattr(sk, name)]
    assert missing == []
    assert [n for n in ANALYSIS if not hasattr(sk.analysis, n)] == []
    assert [n for n in SIMULATION if not hasattr(sk.Simulation, n)] == []


def test_simulation_defaults():
    sim = sk.Simulation()
    assert sim.node_names == ["worker-0", "worker-1", "worker-2"]
    assert {"openshift", "openshift-config", "default"} <= {
        p.name for p in sim.cluster.list("Project")
    }
    assert sim.now == 0.0 and str(sim.clock) == "2026-01-01 00:00:00+00:00"
    sim.advance("90s")
    assert sim.now == 90.0
    assert list(sim.events.columns[:2]) == ["time", "seconds"] and "kind" in sim.events


def test_same_seed_same_event_log():
    def run(seed):
        sim = sk.Simulation(seed=seed)
        quay = sim.registry("quay.io")
        quay.push("a/b", "1")
        sim.oc("new-project p")
        sim.oc("tag --scheduled quay.io/a/b:1 b:1 -n p")
        sim.advance("10m")
        sim.run_pod("p", "quay.io/a/b:1")
        quay.push("a/b", "1")
        sim.advance("1h")
        return sim.events.drop(columns=["time"]).astype(str).to_dict("records")

    assert run(4) == run(4)
    assert run(4) != run(5)
