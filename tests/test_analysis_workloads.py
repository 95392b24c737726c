"""Pods' runs and how long they ran a stale image: restarts, deletions, failed pulls,
ties, references that move several times within one run, and pods that run no image."""

from __future__ import annotations

import pandas as pd
import pytest

import simkit as sk
from simkit.analysis import running_intervals, stale_pod_time, workload_staleness

HOUR = pd.Timedelta("1h")


def _restarts():
    """An Always pod restarted onto a newer image, a pod deleted, a pod whose image
    does not exist, and three pods restarted at the same moment."""
    sim = sk.Simulation(seed=1, nodes=1)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    always = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="Always")
    gone = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    missing = sim.run_pod("default", "quay.io/acme/nothing:1", pull_policy="IfNotPresent")
    cached = [
        sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", name=name)
        for name in ("c", "a", "b")
    ]
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")
    sim.kubelet.restart(always)
    sim.pod_controller.delete(gone)
    sim.advance("1h")
    for pod in cached:
        sim.kubelet.restart(pod)  # the image is on the node: started at once, together
    sim.advance("1h")
    return sim, always, gone, missing, cached


def test_runs_end_at_the_next_start_a_deletion_or_now():
    sim, always, gone, missing, _ = _restarts()
    runs = running_intervals(sim)
    assert missing.name not in set(runs["pod"])  # a failed pull starts nothing
    first, second = runs[runs["pod"] == always.name].itertuples(index=False)
    assert first.digest != second.digest  # Always pulled the rebuilt image
    assert first.end_s == second.start_s and second.end_s == sim.now
    (deleted,) = runs[runs["pod"] == gone.name].itertuples(index=False)
    assert deleted.end_s == 3600.0  # deleted at 1 h
    assert runs["start_s"].is_monotonic_increasing


def test_runs_starting_together_are_in_pod_name_order():
    sim, _, _, _, cached = _restarts()
    runs = running_intervals(sim)
    restarted = runs[runs["pod"].isin([pod.name for pod in cached]) & (runs["start_s"] > 3600)]
    assert restarted["start_s"].nunique() == 1
    assert restarted["pod"].tolist() == ["a", "b", "c"]


def test_workload_staleness_starts_at_the_last_start():
    sim, always, _, _, _ = _restarts()
    frame = workload_staleness(sim).set_index("pod")
    runs = running_intervals(sim)
    last = runs.loc[runs["pod"] == always.name, "start_s"].max()
    started = (frame.loc[always.name, "started"] - sim.start).total_seconds()
    assert started == pytest.approx(last, abs=1e-6) and last > 3600  # the restart's pull
    assert not frame.loc[always.name, "stale"] and not frame.loc[always.name, "stale_at_start"]
    # the cached pods restarted after the Always pod's pull had moved the node's name
    # to the rebuilt image: they run it now
    assert frame.loc["a", "digest"] == frame.loc[always.name, "digest"]
    assert not frame.loc["a", "stale"] and frame.loc["a", "started"] == sim.start + 2 * HOUR


def test_stale_time_counts_only_while_the_reference_points_elsewhere():
    """One run during which its tag moves three times, the last time back to the image
    the pod runs: stale from the first move to the move back."""
    sim = sk.Simulation(seed=1, nodes=1)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    quay.tag("acme/ruby", "3.1", "keep")  # remembers the first image
    pod = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    pinned = sim.run_pod("default", f"quay.io/acme/ruby@{quay.tags('acme/ruby')['keep']}")
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")  # 1 h: stale from here
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")  # 2 h: still stale
    sim.advance("1h")
    quay.tag("acme/ruby", "keep", "3.1")  # 3 h: back to the pod's image
    sim.advance("1h")
    time = stale_pod_time(sim).set_index("pod")
    assert time.loc[pod.name, "stale_time"] == 2 * HOUR
    assert time.loc[pod.name, "run_time"] == sim.clock - time.loc[pod.name, "start"]
    assert time.loc[pinned.name, "reference_kind"] == "pinned"
    assert time.loc[pinned.name, "stale_time"] == pd.Timedelta(0)
    now = workload_staleness(sim).set_index("pod")
    assert not now.loc[pod.name, "stale"] and now.loc[pod.name, "versions_behind"] == 0


def test_no_runs_no_rows():
    sim = sk.Simulation(seed=1, nodes=1)
    sim.run_pod("default", "quay.io/acme/nothing:1", pull_policy="IfNotPresent")
    sim.advance("10m")
    for frame in (running_intervals(sim), stale_pod_time(sim), workload_staleness(sim)):
        assert frame.empty
    assert list(stale_pod_time(sim).columns)[-3:] == ["start", "run_time", "stale_time"]
