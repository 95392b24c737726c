"""Tests for simkit.rules.backoff, restating client-go ``util/flowcontrol/backoff_test.go``.

Each upstream test drives a fake clock; here the clock is a plain float that the test
advances, and every call gets the time explicitly.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.rules.backoff import IMAGE_BACKOFF_PERIOD, MAX_IMAGE_BACKOFF, Backoff

STEP = 1.0


def test_kubelet_constants() -> None:
    assert (IMAGE_BACKOFF_PERIOD, MAX_IMAGE_BACKOFF) == (10.0, 300.0)
    b = Backoff()
    assert [b.next("k", now=float(t)) for t in range(8)] == [10, 20, 40, 80, 160, 300, 300, 300]


def test_slow_backoff() -> None:
    # TestSlowBackoff: step 1s, max 50s; Get before each Next.
    b = Backoff(STEP, 50 * STEP)
    now = 0.0
    expected = [0, 1, 2, 4, 8, 16, 32, 50, 50, 50]
    for ix, want in enumerate(expected):
        now += STEP
        assert b.get("_idSlow") == want * STEP, ix
        b.next("_idSlow", now)
    # Reset cancels the back-off.
    b.next("_idSlow", now)
    b.reset("_idSlow")
    assert b.get("_idSlow") == 0


def test_backoff_reset() -> None:
    # TestBackoffReset: max 5s; after 2*max+step without updates the entry has expired.
    b = Backoff(STEP, 5 * STEP)
    now = 0.0
    for _ in range(6):
        now += STEP
        b.next("_idReset", now)
    assert b.is_in_backoff_since("_idReset", now, now=now)
    last_update = now
    now += 2 * 5 * STEP + STEP
    assert not b.is_in_backoff_since("_idReset", last_update, now=now)


def test_backoff_high_water_mark() -> None:
    # TestBackoffHighWaterMark: an update within 2*max keeps the window at max.
    b = Backoff(STEP, 5 * STEP)
    now = 0.0
    for _ in range(6):
        now += STEP
        b.next("_idHiWaterMark", now)
    now += 5 * STEP + STEP
    b.next("_idHiWaterMark", now)
    assert b.get("_idHiWaterMark") == 5 * STEP


def test_backoff_gc() -> None:
    # TestBackoffGC: kept after max+step, collected after 2*(max+step).
    b = Backoff(STEP, 5 * STEP)
    now = 0.0
    for _ in range(6):
        now += STEP
        b.next("_idGC", now)
    now += 5 * STEP + STEP
    b.gc(now)
    assert "_idGC" in b
    now += 5 * STEP + STEP
    assert b.gc(now) == ["_idGC"]
    assert "_idGC" not in b


@pytest.mark.parametrize(
    ("has_expired", "maximum", "non_expired", "expired"),
    [
        pytest.param(None, 50.0, 5.0, 101.0, id="default GC"),
        pytest.param(
            lambda event, last, _max: event - last >= 200.0,
            50.0,
            101.0,
            501.0,
            id="GC later than 2*maxDuration",
        ),
    ],
)
def test_alternate_backoff_gc(has_expired, maximum, non_expired, expired) -> None:
    # TestAlternateBackoffGC
    b = Backoff(1.0, maximum, has_expired=has_expired)
    now = 0.0
    b.next("id", now)
    now += non_expired
    b.gc(now)
    assert "id" in b
    now += expired
    b.gc(now)
    assert "id" not in b


# TestIsInBackOffSinceUpdate: (tick, in back-off, window) with step 1s, max 10s; Next is
# called at every tick that is not in back-off.
IS_IN_BACKOFF_SINCE_UPDATE = [
    (0, False, 0), (1, False, 1), (2, True, 2), (3, False, 2), (4, True, 4),
    (5, True, 4), (6, True, 4), (7, False, 4), (8, True, 8), (9, True, 8),
    (10, True, 8), (11, True, 8), (12, True, 8), (13, True, 8), (14, True, 8),
    (15, False, 8), (16, True, 10), (17, True, 10), (18, True, 10), (19, True, 10),
    (20, True, 10), (21, True, 10), (22, True, 10), (23, True, 10), (24, True, 10),
    (25, False, 10), (26, True, 10), (27, True, 10), (28, True, 10), (29, True, 10),
    (30, True, 10), (31, True, 10), (32, True, 10), (33, True, 10), (34, True, 10),
    (35, False, 10), (56, False, 0), (57, False, 1),
]  # fmt: skip


def test_is_in_backoff_since_update() -> None:
    b = Backoff(STEP, 10 * STEP)
    start = 1000.0
    for tick, in_backoff, value in IS_IN_BACKOFF_SINCE_UPDATE:
        now = start + tick * STEP
        assert b.is_in_backoff_since_update("id", now) is in_backoff, tick
        if in_backoff:
            assert b.get("id") == value * STEP, tick
        else:
            b.next("id", now)


def test_backoff_with_jitter() -> None:
    # TestBackoffWithJitter: initial 100ms, max 1m, factor 0.1, 10 more attempts; each
    # window is in (factor_n * prev, factor_n * prev + 0.1 * prev] or capped at max.
    initial, maximum, factor = 0.1, 60.0, 0.1
    b = Backoff(initial, maximum, max_jitter_factor=factor, rng=random.Random(7))
    assert b.get("id") == 0
    now = 0.0

    def step() -> float:
        nonlocal now
        now += initial
        b.next("id", now)
        return b.get("id")

    def check(mult: int, prev: float, cur: float) -> None:
        low = prev * mult
        high = low + factor * prev
        assert (low < cur <= high) or cur == maximum, (prev, cur)

    got = step()
    check(1, initial, got)
    prev = got
    for _ in range(10):
        got = step()
        check(2, prev, got)
        prev = got
    assert got == maximum


@pytest.mark.parametrize(
    ("has_expired", "maximum", "non_expired", "expired"),
    [
        pytest.param(None, 50.0, 5.0, 101.0, id="default expiration"),
        pytest.param(
            lambda event, last, _max: event - last >= 8.0,
            50.0,
            5.0,
            9.0,
            id="expires faster than maxDuration",
        ),
    ],
)
def test_alternate_has_expired_func(has_expired, maximum, non_expired, expired) -> None:
    # TestAlternateHasExpiredFunc: within expiry the window doubles; past it, it restarts.
    base = 1.0
    b = Backoff(base, maximum, has_expired=has_expired)
    now = 0.0
    b.next("id", now)
    now += non_expired
    b.next("id", now)
    assert b.get("id") >= base * 2
    now += expired
    b.next("id", now)
    assert b.get("id") == base


def test_expired_entry_is_not_in_backoff_and_restarts() -> None:
    # The "entry expired (now - lastUpdate > 2*max) -> initial again" rule, at the edge.
    b = Backoff(10.0, 300.0)
    for t in range(6):
        b.next("k", float(t))
    assert b.get("k") == 300.0
    last = 5.0
    assert b.is_in_backoff_since_update("k", last + 299.0)
    assert not b.is_in_backoff_since_update("k", last + 300.0)
    assert b.next("k", last + 600.0) == 300.0  # exactly 2*max: not expired
    assert b.next("k", last + 600.0 + 600.5) == 10.0  # past 2*max: initial again


def test_delete_entry_and_unknown_keys() -> None:
    b = Backoff(1.0, 2.0)
    assert not b.is_in_backoff_since_update("nope", 0.0)
    assert not b.is_in_backoff_since("nope", 0.0, 0.0)
    b.next("k", 0.0)
    b.delete_entry("k")
    b.reset("never-there")
    assert len(b) == 0


class _ReadAllBackoff:
    """The back-off as upstream writes it: gc reads every entry (the reference)."""

    def __init__(self, initial: float, maximum: float) -> None:
        self.initial, self.maximum, self.entries = initial, maximum, {}

    def next(self, key: str, now: float) -> float:
        entry = self.entries.get(key)
        if entry is None or now - entry[1] > 2 * self.maximum:
            window = self.initial
        else:
            window = min(entry[0] * 2, self.maximum)
        self.entries[key] = (window, now)
        return window

    def gc(self, now: float) -> list[str]:
        expired = sorted(
            k for k, (_, last) in self.entries.items() if now - last > 2 * self.maximum
        )
        for key in expired:
            del self.entries[key]
        return expired


_keys = st.sampled_from(["a_img", "b_img", "c_img", "d_img"])
_operations = st.lists(
    st.tuples(st.sampled_from(["next", "reset", "gc"]), _keys, st.floats(0, 50, allow_nan=False)),
    max_size=60,
)


@settings(max_examples=300)
@given(_operations, st.booleans())
def test_gc_that_stops_at_the_first_live_entry_removes_what_reading_all_does(ops, monotone):
    """gc reads entries oldest update first and stops at the first live one while updates
    come in time order; out of order, it reads them all. Either way: upstream's result."""
    backoff, reference = Backoff(0.5, 1.0), _ReadAllBackoff(0.5, 1.0)
    now = 0.0
    for op, key, time in ops:
        now = now + time / 20 if monotone else time / 10
        if op == "next":
            assert backoff.next(key, now) == reference.next(key, now)
        elif op == "reset":
            backoff.reset(key)
            reference.entries.pop(key, None)
        else:
            assert backoff.gc(now) == reference.gc(now)
        assert sorted(backoff) == sorted(reference.entries)
        for name, (window, last) in reference.entries.items():
            assert (backoff.get(name), backoff.last_update(name)) == (window, last)
