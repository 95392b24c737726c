"""Pull outcomes over time and cross-node drift."""

from __future__ import annotations

import pandas as pd

import simkit as sk
from simkit.analysis import drift, drift_over_time, pull_outcomes


def _sim():
    sim = sk.Simulation(seed=4, nodes=3)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", node="worker-0")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="Always", node="worker-1")
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", node="worker-0")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", node="worker-2")
    sim.run_pod("default", "quay.io/acme/nothing:1", pull_policy="Never", node="worker-2")
    sim.advance("1h")
    return sim


def test_pull_outcomes_per_policy_and_decision():
    sim = _sim()
    outcomes = pull_outcomes(sim, "1h")
    totals = outcomes.groupby(["policy", "decision"])["pulls"].sum().to_dict()
    assert totals[("IfNotPresent", "pulled")] == 2
    assert totals[("IfNotPresent", "cached")] == 1
    assert totals[("Always", "pulled")] == 1
    assert totals[("Never", "never")] >= 1
    events = sim.events
    assert outcomes["pulls"].sum() == (events["kind"] == "pull").sum()
    assert set(outcomes["time"]) <= {sim.start, sim.start + pd.Timedelta("1h")}
    assert outcomes["bytes"].sum() > 0


def test_drift_now_and_over_time():
    sim = _sim()
    now = drift(sim)
    ruby = now[now["image"] == "quay.io/acme/ruby:3.1"].set_index("node")
    assert list(ruby.index) == ["worker-0", "worker-1", "worker-2"]
    assert ruby["drifted"].all() and (ruby["digests"] == 2).all()
    assert ruby.loc["worker-0", "version"] == ruby.loc["worker-1", "version"] == 1
    assert ruby.loc["worker-2", "version"] == 2
    over = drift_over_time(sim, "1h")
    ruby = over[over["image"] == "quay.io/acme/ruby:3.1"]
    assert ruby["digests"].tolist() == [1, 2]
    assert ruby["nodes"].tolist() == [2, 3]


def test_drift_over_time_forgets_a_lost_node_and_skips_digests():
    sim = sk.Simulation(seed=4, nodes=3)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-0")
    sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-1")
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")
    sim.kubelet.lose_node("worker-1")  # at 01:00, the first bin's end: counted in it
    sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-2")
    sim.run_pod("default", "quay.io/acme/ruby@sha256:" + "1" * 64, node="worker-2")
    sim.advance("1h")
    over = drift_over_time(sim, "1h")
    assert over["image"].tolist() == ["quay.io/acme/ruby:3.1"] * 2  # a digest stores no name
    assert over["nodes"].tolist() == [1, 2]  # worker-1 gone; worker-2 pulled the new one
    assert over["digests"].tolist() == [1, 2]  # worker-0 still holds the first digest
    assert over["time"].tolist() == [sim.start + pd.Timedelta(hours=h) for h in (1, 2)]
    quiet = drift_over_time(sk.Simulation(), "1h")
    assert quiet.empty and list(quiet.columns) == ["time", "image", "nodes", "digests"]
