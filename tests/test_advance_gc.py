"""``Simulation.advance`` tunes CPython's cyclic collector only while it runs."""

from __future__ import annotations

import gc

import pytest

import simkit as sk


def test_thresholds_are_raised_during_a_run_and_restored_after():
    sim = sk.Simulation()
    before = gc.get_threshold()
    seen = []
    sim.engine.after(1.0, lambda: seen.append(gc.get_threshold()))
    sim.advance("1m")
    assert seen == [(max(before[0], 1_000_000), max(before[1], 100), *before[2:])]
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_a_callback_raises():
    sim = sk.Simulation()
    before = gc.get_threshold()

    def boom():
        raise RuntimeError("boom")

    sim.engine.after(1.0, boom)
    with pytest.raises(RuntimeError, match="boom"):
        sim.run_until(60.0)
    assert gc.get_threshold() == before
