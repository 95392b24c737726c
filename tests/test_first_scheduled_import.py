"""The first scheduled import of a newly scheduled stream, as Go's scheduler times it.

Upstream, openshift-controller-manager 26d20feae889 ``pkg/image/controller/``:

- ``factory.go`` ``NewScheduledImageStreamController``: ``newScheduler(opts.Buckets(),
  flowcontrol.NewTokenBucketRateLimiter(opts.BucketsToQPS(), 1), syncTimed)``; ``Buckets()``
  is 4 for a 15-minute resync, ``BucketsToQPS()`` is ``buckets / resync`` (one bucket every
  225 s).
- ``scheduler.go``: ``newScheduler`` adds one bucket (the current one); ``RunOnce`` takes a key
  from the current bucket or, when it is empty, advances the position and blocks in
  ``limiter.Accept()``; ``RunUntil`` loops ``RunOnce`` from the controller's start, streams or
  not; ``Add`` picks the bucket with the least entries trying ``at(-1)`` down to ``at(1)``, the
  first empty one winning; ``Delay`` moves a key to ``at(-1)``.
- ``scheduled_image_controller.go``: every add or update of a stream with a scheduled tag
  (a new resourceVersion: ``oc tag`` and the import it triggers) calls ``Add``.
- client-go ``util/flowcontrol/throttle.go`` ``NewTokenBucketRateLimiter`` ->
  ``rate.NewLimiter``, which starts with ``tokens: float64(b)``: the first ``Accept`` returns
  at once (golang.org/x/time/rate ``NewLimiter``).

So with the controller started at 0 and ``T = 225`` s, buckets are taken at ``k T`` (k >= 1);
a stream alone in the scheduler, last written at ``a``, sits ``buckets`` periods behind the
bucket taken at the next tick ``g = (floor(a / T) + 1) T`` and is visited at ``g + 900``:
between 15 min and 18 min 45 s after ``a``.  Before this change simkit restarted the bucket
clock at the ``Add``, so every first visit came at the latest, 18 min 45 s.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.analysis.throttle import first_visit, first_visit_window

T = 225.0
INTERVAL = 900.0
LATENCY = 0.5  # Config().import_latency


def scheduled_sim(tag_at: float, **config) -> sk.Simulation:
    """quay.io/acme/ruby:3.2 tagged ``--scheduled`` into demo/ruby:3.2 at ``tag_at``."""
    sim = sk.Simulation(seed=0, config=sk.Config(**config))
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.2")
    sim.oc("new-project demo")
    sim.advance(tag_at)
    sim.oc("tag --scheduled quay.io/acme/ruby:3.2 ruby:3.2")
    return sim


def imports(sim: sk.Simulation, cause: str | None = None) -> list[float]:
    return [
        record["time"]
        for record in sim.log.iter("import")
        if cause is None or record["cause"] == cause
    ]


def first_scheduled(sim: sk.Simulation) -> tuple[float, float]:
    """(the stream's last write before its first scheduled visit, that visit's import)."""
    sim.advance(INTERVAL + T + 60)
    written = imports(sim, "spec")[-1]  # the import `oc tag` triggers writes the stream
    return written, imports(sim, "scheduled")[0]


def test_the_defaults_give_one_bucket_every_225_seconds():
    config = sk.Config()
    assert first_visit_window(config) == (INTERVAL, INTERVAL + T)
    ctl = sk.Simulation().scheduled_import_controller
    assert len(ctl.buckets) == 5  # 4 + the current one
    assert ctl.bucket_limiter.rate == pytest.approx(1 / T)
    assert ctl.bucket_limiter.burst == 1
    assert ctl.bucket_limiter.tokens == 1  # rate.NewLimiter: the bucket starts full


@pytest.mark.parametrize("tag_at", [0.0, 37.0, 100.0, 223.5, 224.5, 300.0, 3600 + 17.0])
def test_first_visit_is_interval_after_the_next_tick(tag_at):
    sim = scheduled_sim(tag_at)
    written, visited = first_scheduled(sim)
    assert written == pytest.approx(tag_at + sim.config.import_reaction_delay)
    tick = (math.floor(written / T) + 1) * T
    assert visited == pytest.approx(tick + INTERVAL + LATENCY)
    assert visited == pytest.approx(first_visit(sim.config, written) + LATENCY)
    earliest, latest = first_visit_window(sim.config)
    assert written + earliest < visited - LATENCY <= written + latest + 1e-6


def test_the_learners_rebuild_a_minute_after_tagging():
    """The rebuild is picked up 14 to 17 min 45 s later, by the phase of the bucket clock;
    never the "within 15 minutes" of the docs' interval when the tag came just after a tick."""
    lags = {}
    for tag_at in (T + 1.0, 2 * T - 5.0):
        sim = scheduled_sim(tag_at)
        sim.advance(60)
        sim.registry("quay.io").push("acme/ruby", "3.2")
        rebuilt = sim.engine.now
        sim.advance(INTERVAL + T)
        lags[tag_at] = imports(sim, "scheduled")[0] - rebuilt
    # written 1 s after the tag; the next tick is 2T in both cases: 224 s, resp. 4 s, later
    assert lags[T + 1.0] == pytest.approx(2 * T + INTERVAL - (T + 1.0) - 60 + LATENCY)
    assert lags[T + 1.0] == pytest.approx(17 * 60 + 44.5)
    assert lags[2 * T - 5.0] == pytest.approx(2 * T + INTERVAL - (2 * T - 5.0) - 60 + LATENCY)
    assert lags[2 * T - 5.0] == pytest.approx(14 * 60 + 5.5)


def test_the_bucket_clock_runs_while_nothing_is_scheduled():
    """TestScheduler (scheduler_test.go): with no key, every RunOnce advances the position.

    Here one per token of the bucket limiter: two at the start, then one every T.  A stream
    scheduled after a long idle stretch, and again after its stream was deleted, is visited
    on that same clock."""
    sim = scheduled_sim(3 * 86400 + 1000.0)
    ctl = sim.scheduled_import_controller
    assert ctl.advances == 2 + math.floor((3 * 86400 + 1000.0) / T)
    assert ctl.position == ctl.advances % len(ctl.buckets)
    key = ("demo", "ruby")
    assert key in ctl.buckets[(ctl.position - 1) % len(ctl.buckets)]  # at(-1)
    written, visited = first_scheduled(sim)
    assert visited == pytest.approx(first_visit(sim.config, written) + LATENCY)

    sim.oc("delete is ruby")
    sim.advance("2d")
    sim.advance(77.25)
    assert len(ctl) == 0
    sim.oc("tag --scheduled quay.io/acme/ruby:3.2 ruby:3.2")
    before = len(imports(sim, "scheduled"))
    sim.advance(INTERVAL + T + 60)
    written = imports(sim, "spec")[-1]
    visited = imports(sim, "scheduled")[before]
    assert visited == pytest.approx(first_visit(sim.config, written) + LATENCY)


def test_add_fills_the_emptiest_bucket_furthest_first():
    """TestSchedulerAddAndDelay (scheduler_test.go), 3 buckets + the current one: Add fills
    at(-1), at(-2), at(-3), then again at(-1), at(-2); after a Remove the emptied bucket;
    Delay moves a key to at(-1) and leaves an absent key absent."""
    sim = sk.Simulation(config=sk.Config(scheduled_import_buckets=3))
    ctl = sim.scheduled_import_controller
    assert len(ctl.buckets) == 4

    def offset(name):
        [where] = [i for i, bucket in enumerate(ctl.buckets) if ("p", name) in bucket]
        return (where - ctl.position) % len(ctl.buckets) - len(ctl.buckets)

    for name in ("first", "second", "third", "fourth", "fifth"):
        ctl.add(("p", name))
    assert [offset(n) for n in ("first", "second", "third", "fourth", "fifth")] == [
        -1,
        -2,
        -3,
        -1,
        -2,
    ]
    ctl.remove(("p", "third"))
    ctl.add(("p", "sixth"))
    assert offset("sixth") == -3
    ctl.importing(("p", "second"))
    assert offset("second") == -1
    ctl.importing(("p", "third"))
    assert all(("p", "third") not in bucket for bucket in ctl.buckets)
    assert all(("p", n) not in ctl.buckets[ctl.position] for n in ("first", "fourth"))


def test_the_import_limiter_has_its_first_tokens():
    """GetRateLimiter's bucket starts full too: at 1 import a minute (burst 2) the first
    scheduled visit still imports."""
    sim = scheduled_sim(500.0, max_scheduled_imports_per_minute=1)
    written, visited = first_scheduled(sim)
    assert visited == pytest.approx(first_visit(sim.config, written) + LATENCY)
    assert sim.scheduled_import_controller.throttled == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tag_at=st.floats(min_value=0, max_value=2 * 86400, allow_nan=False).map(lambda t: round(t, 3))
)
def test_first_visit_matches_the_upstream_computation(tag_at):
    sim = scheduled_sim(tag_at)
    written, visited = first_scheduled(sim)
    if abs(written / T - round(written / T)) < 1e-6:
        return  # a write at a tick's very instant: the order of equal times decides
    assert visited == pytest.approx(first_visit(sim.config, written) + LATENCY, abs=1e-6)
    earliest, latest = first_visit_window(sim.config)
    assert written + earliest < visited - LATENCY <= written + latest + 1e-6
