"""import_lag and the scheduled import throttle, checked against the controller's rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simkit as sk
from simkit.analysis import import_lag
from simkit.analysis.throttle import throttle_model
from simkit.upstream import Rebuilds

INTERVAL = 900.0


@pytest.fixture
def sim(make_sim):
    return make_sim(seed=7, projects=("demo",))


def test_columns_and_a_rebuild_imported_at_the_next_visit(sim):
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1.0")
    sim.oc("tag --scheduled quay.io/acme/app:1.0 app:1.0")
    sim.advance("20m")
    rebuilt = quay.push("acme/app", "1.0")
    sim.advance("20m")
    lag = import_lag(sim)
    assert list(lag.columns[:15]) == [
        "namespace",
        "stream",
        "tag",
        "source",
        "registry",
        "repository",
        "source_tag",
        "scheduled",
        "change",
        "digest",
        "pushed",
        "imported",
        "lag",
        "superseded",
        "next_change",
    ]
    (row,) = lag.itertuples()  # the initial push predates the stream tag: left out
    assert (row.namespace, row.stream, row.tag, row.source) == (
        "demo",
        "app",
        "1.0",
        "quay.io/acme/app:1.0",
    )
    assert (row.registry, row.repository, row.source_tag, row.change) == (
        "quay.io",
        "acme/app",
        "1.0",
        "push",
    )
    assert row.digest == rebuilt and row.scheduled and not row.superseded
    assert row.pushed == sim.start + pd.Timedelta(minutes=20)
    assert pd.Timedelta(0) < row.lag <= pd.Timedelta(seconds=1126)
    assert row.imported == row.pushed + row.lag
    assert sim.tag_image("demo/app:1.0") == rebuilt
    assert lag["pushed"].dtype == "datetime64[ns, UTC]" and lag["lag"].dtype == "timedelta64[ns]"


def test_superseded_pending_and_permanent_tags(sim):
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1.0")
    sim.oc("tag --scheduled quay.io/acme/app:1.0 app:1.0")
    sim.oc("tag quay.io/acme/app:1.0 app:pinned")  # imported once, never again
    sim.advance("20m")
    quay.push("acme/app", "1.0")
    sim.advance("1m")
    quay.push("acme/app", "1.0")  # supersedes the previous rebuild before any visit
    sim.advance("30m")
    last = quay.push("acme/app", "1.0")  # still pending at the end
    sim.advance("1m")
    lag = import_lag(sim)
    scheduled = lag[lag["tag"] == "1.0"]
    assert scheduled["superseded"].tolist() == [True, False, False]
    assert scheduled["imported"].isna().tolist() == [True, False, True]
    assert scheduled["next_change"].notna().tolist() == [True, True, False]
    assert scheduled["digest"].iloc[-1] == last
    pinned = lag[lag["tag"] == "pinned"]
    assert len(pinned) == 3 and not pinned["scheduled"].any()
    assert pinned["imported"].isna().all() and pinned["superseded"].tolist() == [True, True, False]


def test_moving_tags_docker_hub_defaults_and_shared_sources(sim):
    hub = sim.registry("docker.io")
    hub.push("library/busybox", "1.36")
    hub.tag("library/busybox", "1.36", "latest")
    sim.oc("tag --scheduled docker.io/busybox bb:latest")
    sim.oc("tag --scheduled busybox:latest --source=docker other:latest")
    sim.advance("20m")
    new = hub.push("library/busybox", "1.37")
    hub.tag("library/busybox", "1.37", "latest")
    sim.advance("20m")
    lag = import_lag(sim)
    assert len(lag) == 2 and set(lag["stream"]) == {"bb", "other"}
    assert (lag["change"] == "tag").all() and (lag["digest"] == new).all()
    assert (lag["repository"] == "library/busybox").all() and lag["imported"].notna().all()


def test_rollback_to_the_image_the_tag_already_has_is_no_lag(sim):
    quay = sim.registry("quay.io")
    good = quay.push("acme/app", "1.0")
    quay.tag("acme/app", "1.0", "good")
    sim.oc("tag --scheduled quay.io/acme/app:1.0 app:1.0")
    sim.advance("20m")
    quay.push("acme/app", "1.0")  # a bad build ...
    sim.advance("1m")
    quay.tag("acme/app", "good", "1.0")  # ... rolled back before the next visit
    sim.advance("1h")
    lag = import_lag(sim)
    assert lag["superseded"].tolist() == [True, False]
    assert lag["digest"].iloc[1] == good and lag["lag"].iloc[1] == pd.Timedelta(0)


def _naive(sim) -> list[tuple]:
    """The same answer by brute force over the event log, for the cross-check."""
    events = list(sim.log.iter())
    sources = {}
    for stream in sim.cluster.list("ImageStream"):
        for tag, ref in stream.spec_tags.items():
            repo, _, source_tag = ref.source.name.partition("quay.io/")[2].partition(":")
            sources[(stream.namespace, stream.name, tag)] = (repo, source_tag)
    out = []
    for key, (repo, source_tag) in sources.items():
        updates = [
            (i, e["image"])
            for i, e in enumerate(events)
            if e["kind"] == "tag_updated" and (e["namespace"], e["stream"], e["tag"]) == key
        ]
        moves = [
            (i, e["digest"])
            for i, e in enumerate(events)
            if e["kind"] in ("registry_push", "registry_tag")
            and (e["repository"], e["tag"]) == (repo, source_tag)
        ]
        first = updates[0][0] if updates else -1
        for n, (i, digest) in enumerate(moves):
            if i < first:
                continue
            end = moves[n + 1][0] if n + 1 < len(moves) else len(events)
            before = [img for j, img in updates if j < i]
            if before and before[-1] == digest:
                out.append((*key, digest, events[i]["time"]))
                continue
            hits = [j for j, img in updates if i < j < end and img == digest]
            out.append((*key, digest, events[hits[0]]["time"] if hits else None))
    return sorted(out, key=lambda r: (r[:3], r[4] is None, r[4] or 0, r[3]))


def test_matches_a_brute_force_count_on_a_busy_log():
    sim = sk.Simulation(seed=3, config=sk.Config(max_scheduled_imports_per_minute=3))
    sim.scheduled_import_controller.visit_order = "random"
    quay = sim.registry("quay.io")
    for i in range(8):
        quay.push(f"acme/app{i}", "1.0")
        quay.tag(f"acme/app{i}", "1.0", "stable")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:1.0 app{i}:1.0 -n default")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:stable app{i}:stable -n default")
        Rebuilds(sim, quay, f"acme/app{i}", "1.0", every="2h", jitter="exponential")
        Rebuilds(sim, quay, f"acme/app{i}", "stable", every="5h")
    sim.advance("36h")
    lag = import_lag(sim)
    imported_s = (lag["imported"] - sim.start).dt.total_seconds()
    got = sorted(
        (
            (r.namespace, r.stream, r.tag, r.digest, None if np.isnan(s) else s)
            for r, s in zip(lag.itertuples(), imported_s, strict=True)
        ),
        key=lambda r: (r[:3], r[4] is None, r[4] or 0, r[3]),
    )
    want = _naive(sim)
    assert len(got) == len(want) > 150
    for g, w in zip(got, want, strict=True):
        assert g[:4] == w[:4] and (g[4] is None) == (w[4] is None), (g, w)
        assert g[4] is None or g[4] == pytest.approx(w[4], abs=1e-6)
    assert lag["superseded"].any() and not lag["superseded"].all()


# -- the throttle study, small ------------------------------------------------------------
def _study(streams: int, per_minute: int, days: str, order: str):
    sim = sk.Simulation(seed=1, config=sk.Config(max_scheduled_imports_per_minute=per_minute))
    sim.scheduled_import_controller.visit_order = order
    quay = sim.registry("quay.io")
    sim.oc("new-project bench")
    for i in range(streams):
        quay.push(f"acme/app{i}", "1.0")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:1.0 app{i}:1.0 -n bench")
        Rebuilds(sim, quay, f"acme/app{i}", "1.0", every="1d")  # daily, at a random time
    sim.advance(days)
    return sim, import_lag(sim)


def test_throttled_go_order_waits_geometrically_as_the_rules_predict():
    sim, lag = _study(200, 6, "36h", "random")
    model = throttle_model(sim.config, 200, changes=len(lag))
    assert model.per_visit == 12 and model.per_interval == 48  # burst-limited: 2 x 6
    done = lag["imported"].notna()
    seconds = lag.loc[done, "lag"].dt.total_seconds()
    assert seconds.max() > INTERVAL  # a rebuild waited more than one interval
    assert seconds.max() <= model.bound_lag  # the rules' bound (exceeded with p < 0.1%)
    assert seconds.mean() == pytest.approx(model.mean_lag, rel=0.2)
    assert seconds.median() == pytest.approx(model.median_lag, rel=0.25)
    assert seconds.quantile(0.95) == pytest.approx(model.p95_lag, rel=0.2)
    # round-robin would have bounded the wait by ceil(N/C) intervals; Go's order does not
    assert seconds.max() > model.round_robin_visits * INTERVAL
    pending = ~done & ~lag["superseded"]
    assert (lag.loc[pending, "pushed"] > sim.clock - pd.Timedelta(hours=6)).all()
    stats = sim.scheduled_import_controller.stats()
    assert stats["throttled"] > stats["imports"]


def test_throttled_insertion_order_starves_the_back_of_each_bucket():
    _, lag = _study(100, 3, "36h", "insertion")
    # the rules' capacity (24 an interval) would import every rebuild within
    # ceil(100/24) = 5 intervals in round-robin order, and within hours in Go's random
    # order; visiting in insertion order gives every token to the same streams
    never = lag["imported"].isna()
    assert never.mean() > 0.5
    assert lag.loc[~never, "lag"].max() < pd.Timedelta(seconds=INTERVAL)


def test_unthrottled_every_rebuild_is_imported_within_one_interval_and_a_bucket():
    sim, lag = _study(40, 0, "25h", "random")
    assert sim.scheduled_import_controller.stats()["throttled"] == 0
    done = lag[lag["imported"].notna()]
    assert len(done) >= 40 and not lag["superseded"].any()
    assert done["lag"].max() < pd.Timedelta(seconds=1126)
    pending = lag[lag["imported"].isna()]
    assert (pending["pushed"] > sim.clock - pd.Timedelta(seconds=1126)).all()


def test_visit_order_is_validated_and_random_order_is_seeded():
    sim = sk.Simulation()
    assert sim.scheduled_import_controller.visit_order == "random"  # Go's map order
    with pytest.raises(ValueError, match="visit_order: expected one of insertion, random"):
        sim.scheduled_import_controller.visit_order = "fifo"
    runs = [_study(30, 2, "6h", "random")[1]["imported"].tolist() for _ in range(2)]
    assert runs[0] == runs[1]
