"""Stale-tag risk, per strategy, against what the tags and their sources did over time;
and stale workloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simkit as sk
from simkit.analysis import (
    exposure_windows,
    group_risk,
    import_lag,
    stale_episodes,
    stale_pod_time,
    stale_tag_risk,
    staleness_over_time,
    tag_history,
    workload_staleness,
)

HOUR = pd.Timedelta("1h")


@pytest.fixture(scope="module")
def sim():
    """Every strategy on one upstream tag, rebuilt every 6 hours for two days."""
    sim = sk.Simulation(seed=11, nodes=2)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "2.7")
    sim.oc("new-project demo")
    sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7 -n demo")
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:once -n demo")
    sim.oc("tag --reference quay.io/acme/ruby:2.7 ruby:ref -n demo")
    sim.oc("tag --reference-policy=local quay.io/acme/ruby:2.7 ruby:local -n demo")
    sim.advance("1h")
    sim.oc("tag --alias ruby:2.7 ruby:latest -n demo")
    sim.oc("tag ruby:2.7 ruby:pinned -n demo")
    for _ in range(8):
        sim.advance("6h")
        quay.push("acme/ruby", "2.7")
    sim.advance("3h")
    return sim


@pytest.fixture(scope="module")
def risk(sim):
    return stale_tag_risk(sim).set_index("tag")


def test_one_row_per_tag_with_strategy_and_source(risk):
    assert list(risk["strategy"]) == [
        "scheduled",
        "imported-once",
        "reference",
        "local",
        "alias",
        "permanent",
    ]
    assert risk.loc["demo/ruby:latest", "source"] == "demo/ruby:2.7"
    assert risk.loc["demo/ruby:pinned", "source"] == "demo/ruby:2.7"
    assert risk.loc["demo/ruby:once", "source"] == "quay.io/acme/ruby:2.7"
    assert risk.loc["demo/ruby:2.7", "convention"] == "revision"
    assert risk.loc["demo/ruby:latest", "convention"] == "latest"
    assert risk["stale_fraction"].between(0, 1).all()
    assert risk["max_lag"].dtype.kind == "m" and risk["mean_lag"].dtype.kind == "m"


def test_scheduled_lag_is_bounded_by_the_import_interval(sim, risk):
    interval = pd.Timedelta(seconds=sim.config.scheduled_import_interval)
    row = risk.loc["demo/ruby:2.7"]
    assert pd.Timedelta(0) < row["max_lag"] <= interval + pd.Timedelta("5s")
    assert row["stale_episodes"] == 8 and not row["stale_now"]
    # the episodes are exactly import_lag's lags (nothing superseded here)
    lag = import_lag(sim)
    lag = lag[(lag["tag"] == "2.7") & lag["imported"].notna()]
    episodes = stale_episodes(sim)
    episodes = episodes[episodes["tag"] == "demo/ruby:2.7"]
    assert sorted(episodes["duration"]) == sorted(lag["lag"])


def test_imported_once_local_and_permanent_tags_fall_ever_further_behind(sim, risk):
    for tag in ("demo/ruby:once", "demo/ruby:local"):
        row = risk.loc[tag]
        # stale since the first rebuild (7 h after the start), until now (52 h)
        assert row["max_lag"] == pd.Timedelta("45h")
        assert row["versions_behind_now"] == 8 and row["stale_now"]
        assert row["stale_episodes"] == 1
    pinned = risk.loc["demo/ruby:pinned"]
    # pinned at 1 h to the image 2.7 had; 2.7 moved on at 7 h + import delay
    assert HOUR * 44 < pinned["max_lag"] < HOUR * 45 and pinned["versions_behind_now"] == 8


def test_permanent_lag_grows_with_time(sim):
    before = stale_tag_risk(sim).set_index("tag").loc["demo/ruby:pinned", "max_lag"]
    later = sk.Simulation(seed=11, nodes=2)
    # the same history, run a day longer
    quay = later.registry("quay.io")
    quay.push("acme/ruby", "2.7")
    later.oc("new-project demo")
    later.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7 -n demo")
    later.advance("1h")
    later.oc("tag ruby:2.7 ruby:pinned -n demo")
    for _ in range(8):
        later.advance("6h")
        quay.push("acme/ruby", "2.7")
    later.advance("27h")
    after = stale_tag_risk(later).set_index("tag").loc["demo/ruby:pinned", "max_lag"]
    assert after - before == pd.Timedelta("24h")


def test_reference_and_alias_tags_are_never_stale(risk):
    for tag in ("demo/ruby:ref", "demo/ruby:latest"):
        assert risk.loc[tag, "max_lag"] == pd.Timedelta(0)
        assert risk.loc[tag, "stale_fraction"] == 0
        assert risk.loc[tag, "versions_behind_now"] == 0


def test_stale_fraction_is_the_time_weighted_heatmap(sim, risk):
    heat = staleness_over_time(sim, "1h")
    assert heat.shape[1] == 52
    assert set(heat.index) == set(risk.index)
    for tag in heat.index:
        row = heat.loc[tag]
        created = risk.loc[tag, "created"]
        window = (sim.clock - created).total_seconds()
        # bins are fully alive except the first one
        weights = np.clip((heat.columns + HOUR - created).total_seconds(), 0, 3600)
        share = np.nansum(row.to_numpy() * weights) / window
        assert share == pytest.approx(risk.loc[tag, "stale_fraction"], abs=1e-9)


def test_deleted_and_recreated_tags_start_a_new_life():
    sim = sk.Simulation(seed=2)
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1")
    sim.oc("tag quay.io/acme/app:1 app:1")
    sim.advance("1h")
    quay.push("acme/app", "1")
    sim.advance("5h")
    sim.oc("delete istag/app:1")
    sim.advance("1h")
    sim.oc("tag quay.io/acme/app:1 app:1")
    sim.advance("1h")
    row = stale_tag_risk(sim).iloc[0]
    assert row["created"] == sim.start + pd.Timedelta("7h") + pd.Timedelta("1s")
    assert row["max_lag"] == pd.Timedelta(0) and row["stale_episodes"] == 0


def test_tag_history_and_group_risk(sim, risk):
    history = tag_history(sim, "demo/ruby:once")
    assert history.attrs["source"] == "quay.io/acme/ruby:2.7"
    assert set(history["series"]) == {"tag", "source"}
    assert history.loc[history["series"] == "source", "version"].tolist() == list(range(1, 10))
    assert history.loc[history["series"] == "tag", "version"].tolist() == [1]
    summary = group_risk(stale_tag_risk(sim), by="strategy")
    assert summary.loc["scheduled", "max_lag"] < summary.loc["imported-once", "max_lag"]
    assert summary.loc["permanent", "stale_now"] == 1
    by_convention = group_risk(stale_tag_risk(sim), by="convention")
    assert by_convention["tags"].sum() == len(risk)
    with pytest.raises(ValueError, match="group by"):
        group_risk(stale_tag_risk(sim), by="nothing")


def _many_scheduled(rate: int, order: str = "insertion") -> pd.DataFrame:
    sim = sk.Simulation(seed=5, config=sk.Config(max_scheduled_imports_per_minute=rate))
    sim.scheduled_import_controller.visit_order = order
    quay = sim.registry("quay.io")
    for i in range(60):
        quay.push(f"acme/app{i}", "1")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:1 app{i}:1")
    sim.advance("1h")
    for i in range(60):
        quay.push(f"acme/app{i}", "1")
    sim.advance("2h")
    return stale_tag_risk(sim)


def test_scheduled_lag_under_the_throttle():
    free = _many_scheduled(60)
    assert free["max_lag"].max() <= pd.Timedelta("15min")
    assert not free["stale_now"].any()
    # 2 imports a minute for 60 streams: 30 (+ a burst of 4) per 15-min round
    throttled = _many_scheduled(2, "random")
    assert throttled["max_lag"].median() > free["max_lag"].median()
    assert throttled["max_lag"].max() > pd.Timedelta("15min")
    # in insertion order the first streams take every token and the rest starve
    starved = _many_scheduled(2)
    assert starved["stale_now"].sum() > throttled["stale_now"].sum()
    assert starved["max_lag"].max() == pd.Timedelta("2h")


@pytest.fixture(scope="module")
def pods():
    sim = sk.Simulation(seed=3, nodes=2)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.oc("new-project demo")
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1 -n demo")
    sim.advance("1m")
    for node in ("worker-0", "worker-1"):
        sim.run_pod("demo", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", node=node)
    sim.deploy("demo", "web", trigger="ruby:3.1", replicas=2)
    sim.advance("1h")
    quay.push("acme/ruby", "3.1", labels={"fixes": "CVE-2026-0001"})
    sim.advance("10m")
    late = [
        sim.run_pod("demo", "quay.io/acme/ruby:3.1", pull_policy=policy, node="worker-0")
        for policy in ("IfNotPresent", "Always")
    ]
    sim.advance("2h")
    return sim, late


def test_workload_staleness_per_pod_and_policy(pods):
    sim, (cached, always) = pods
    frame = workload_staleness(sim).set_index("pod")
    assert frame.loc[cached.name, "stale"] and frame.loc[cached.name, "stale_at_start"]
    assert not frame.loc[always.name, "stale"]
    upstream = frame[frame["reference_kind"] == "upstream"]
    assert upstream["stale"].sum() == 3 and len(upstream) == 4
    assert (upstream.loc[upstream["stale"], "versions_behind"] == 1).all()
    # trigger-deployed pods follow the stream tag and were rolled out
    web = frame[frame["owner"].str.startswith("Deployment/web")]
    assert len(web) == 2 and (web["reference"] == "demo/ruby:3.1").all()
    assert not web["stale"].any()
    by_policy = group_risk(workload_staleness(sim), by="policy")
    assert by_policy.loc["Always", "stale_share"] == 0
    assert by_policy.loc["IfNotPresent", "stale_share"] > 0.5
    by_node = group_risk(workload_staleness(sim), by="node")
    assert by_node["pods"].sum() == len(frame)


def test_stale_pod_time_and_exposure_windows(pods):
    sim, (cached, always) = pods
    time = stale_pod_time(sim)
    share = group_risk(time, by="policy")["stale_share"]
    assert share["IfNotPresent"] > share["Always"] == 0
    row = time[time["pod"] == cached.name].iloc[0]
    assert row["stale_time"] == row["run_time"]
    windows = exposure_windows(sim)
    assert set(windows["fix"]) == {"CVE-2026-0001"}
    assert cached.name in set(windows["pod"]) and always.name not in set(windows["pod"])
    published = windows["published"].iloc[0]
    assert (windows["exposed_from"] >= published).all()
    assert exposure_windows(sim, label="no-such-label").empty
