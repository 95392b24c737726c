"""Tests for simkit.engine: ordering, ties, cancellation, run(until), processes, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit.engine
from simkit.engine import Engine, Timer

# In the optional compiled build (setup.py, SIMKIT_COMPILE=1) mypyc checks each argument
# against its declared type before the body runs: a non-number time still raises TypeError,
# but with mypyc's message ("float object expected; got str"), not the engine's own.
compiled_type_checks = pytest.mark.skipif(
    not str(simkit.engine.__file__).endswith(".py"),
    reason="compiled engine: mypyc's TypeError message replaces the engine's",
)


def noop(*args: object) -> None:
    """A callback that does nothing."""


def recorder(engine: Engine):
    """A callback that appends ``(now, label)`` to the returned list."""
    fired: list[tuple[float, object]] = []

    def callback(label: object) -> None:
        fired.append((engine.now, label))

    return fired, callback


# -- ordering -------------------------------------------------------------------------------


def test_fires_in_time_order_regardless_of_scheduling_order() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    engine.at(30, cb, "c")
    engine.after(10, cb, "a")
    engine.at(20.5, cb, "b")
    engine.run()
    assert fired == [(10.0, "a"), (20.5, "b"), (30.0, "c")]
    assert engine.now == 30.0
    assert len(engine) == 0


def test_equal_times_fire_in_insertion_order() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    for label in "abcde":
        engine.at(5, cb, label)
    engine.after(5.0, cb, "f")
    engine.run()
    assert [label for _, label in fired] == list("abcdef")


def test_same_time_events_scheduled_from_callbacks_run_after_queued_ones() -> None:
    engine = Engine()
    order = []

    def first() -> None:
        order.append("first")
        engine.after(0, lambda: order.append("child-of-first"))
        engine.at(engine.now, lambda: order.append("second-child-of-first"))

    engine.at(1, first)
    engine.at(1, lambda: order.append("second"))
    engine.at(1, lambda: order.append("third"))
    engine.run(until=1)
    assert order == ["first", "second", "third", "child-of-first", "second-child-of-first"]
    assert engine.now == 1.0


def test_callback_args_are_passed() -> None:
    engine = Engine()
    got = []
    engine.after(1, lambda *a: got.append(a), 1, "two", None)
    engine.run()
    assert got == [(1, "two", None)]


def test_times_are_floats() -> None:
    engine = Engine()
    timer = engine.at(np.int64(3), noop)
    assert type(timer.time) is float
    engine.run()
    assert type(engine.now) is float


# -- scheduling errors ----------------------------------------------------------------------


def test_at_in_the_past_raises() -> None:
    engine = Engine()
    engine.run(until=10)
    with pytest.raises(ValueError, match="before now"):
        engine.at(9.999, noop)
    engine.at(10, noop)  # now itself is fine


@pytest.mark.parametrize("delay", [-1, -0.001, math.nan, math.inf])
def test_after_rejects_negative_and_non_finite(delay: float) -> None:
    with pytest.raises(ValueError, match="delay"):
        Engine().after(delay, noop)


@pytest.mark.parametrize("time", [math.nan, math.inf])
def test_at_rejects_non_finite(time: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Engine().at(time, noop)


@compiled_type_checks
@pytest.mark.parametrize("value", ["5s", None, True, [1]])
def test_non_numeric_times_raise_type_error(value: object) -> None:
    engine = Engine()
    with pytest.raises(TypeError, match="number of seconds"):
        engine.after(value, noop)
    with pytest.raises(TypeError, match="number of seconds"):
        engine.at(value, noop)


def test_callback_must_be_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        Engine().after(1, "noop")


# -- cancellation ---------------------------------------------------------------------------


def test_cancel_before_run() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    a = engine.after(1, cb, "a")
    b = engine.after(2, cb, "b")
    a.cancel()
    assert a.cancelled and not b.cancelled
    assert len(engine) == 1
    engine.run()
    assert fired == [(2.0, "b")]


def test_engine_cancel_and_double_cancel() -> None:
    engine = Engine()
    timer = engine.after(1, noop)
    engine.cancel(timer)
    engine.cancel(timer)
    timer.cancel()
    assert timer.cancelled
    assert len(engine) == 0
    assert engine.peek() == math.inf


def test_cancel_timer_of_another_engine_raises() -> None:
    timer = Engine().after(1, noop)
    with pytest.raises(ValueError, match="another engine"):
        Engine().cancel(timer)


def test_cancel_from_another_callback_at_the_same_time() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    victim = None
    engine.at(5, lambda: victim.cancel())
    victim = engine.at(5, cb, "victim")
    engine.run()
    assert fired == []
    assert victim.cancelled


def test_cancelling_a_fired_timer_is_a_noop() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    timer = engine.after(1, cb, "x")
    other = engine.after(2, cb, "y")
    engine.run(until=1.5)
    timer.cancel()
    assert not timer.cancelled
    assert len(engine) == 1
    engine.run()
    assert fired == [(1.0, "x"), (2.0, "y")]
    assert not other.cancelled


def test_timer_cancelling_itself_while_firing_is_a_noop() -> None:
    engine = Engine()
    timer = None

    def callback() -> None:
        timer.cancel()

    timer = engine.after(1, callback)
    engine.run()
    assert not timer.cancelled
    assert len(engine) == 0


def test_many_cancellations_compact_the_heap_and_keep_order() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    timers = [engine.at(i % 97, cb, i) for i in range(3000)]
    for i, timer in enumerate(timers):
        if i % 10:
            timer.cancel()
    assert len(engine) == 300
    assert len(engine._heap) < 3000  # compacted, not just marked
    engine.run()
    expected = sorted((float(i % 97), i) for i in range(0, 3000, 10))
    assert fired == expected


def test_len_and_peek_skip_cancelled_entries() -> None:
    engine = Engine()
    a = engine.at(1, noop)
    engine.at(2, noop)
    assert engine.peek() == 1.0
    a.cancel()
    assert engine.peek() == 2.0
    assert len(engine) == 1


# -- periodic timers ------------------------------------------------------------------------


def test_every_defaults_to_first_run_after_one_interval() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    engine.run(until=5)
    timer = engine.every(10, cb, "tick")
    assert timer.time == 15.0
    engine.run(until=45)
    assert [t for t, _ in fired] == [15.0, 25.0, 35.0, 45.0]
    assert timer.time == 55.0
    assert len(engine) == 1


def test_every_with_start_and_no_drift() -> None:
    engine = Engine()
    times = []
    engine.every(0.1, lambda: times.append(engine.now), start=0)
    engine.run(until=1.0)
    assert len(times) == 11
    assert times[-1] == 1.0  # start + 10 * 0.1, not 0.1 added ten times
    assert times == [k * 0.1 for k in range(11)]


def test_cancel_periodic_timer_from_inside_its_own_callback() -> None:
    engine = Engine()
    runs = []
    timer = None

    def tick() -> None:
        runs.append(engine.now)
        if len(runs) == 3:
            timer.cancel()

    timer = engine.every(2, tick)
    engine.run()  # terminates: the timer stopped itself
    assert runs == [2.0, 4.0, 6.0]
    assert timer.cancelled
    assert len(engine) == 0
    assert engine.now == 6.0


def test_cancel_periodic_timer_from_outside() -> None:
    engine = Engine()
    runs = []
    timer = engine.every(1, lambda: runs.append(engine.now))
    engine.at(3.5, timer.cancel)
    engine.run()
    assert runs == [1.0, 2.0, 3.0]
    assert len(engine) == 0


def test_periodic_timer_that_raises_is_not_rescheduled() -> None:
    engine = Engine()

    def boom() -> None:
        raise RuntimeError("boom")

    timer = engine.every(1, boom)
    with pytest.raises(RuntimeError, match="boom"):
        engine.run()
    assert engine.now == 1.0
    assert len(engine) == 0
    assert not timer.cancelled
    timer.cancel()  # done: no-op
    assert not timer.cancelled


@pytest.mark.parametrize("interval", [0, -1, math.inf, math.nan])
def test_every_rejects_bad_intervals(interval: float) -> None:
    with pytest.raises(ValueError, match="interval"):
        Engine().every(interval, noop)


def test_every_rejects_start_in_the_past() -> None:
    engine = Engine()
    engine.run(until=10)
    with pytest.raises(ValueError, match="before now"):
        engine.every(1, noop, start=5)


# -- run(until), step, peek -----------------------------------------------------------------


def test_run_until_includes_events_exactly_at_until_and_sets_now() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    engine.at(10, cb, "at-until")
    engine.at(10.000001, cb, "after-until")
    engine.run(until=10)
    assert fired == [(10.0, "at-until")]
    assert engine.now == 10.0
    assert len(engine) == 1
    engine.run(until=20)
    assert fired[-1] == (10.000001, "after-until")
    assert engine.now == 20.0


def test_run_until_with_nothing_pending_advances_now() -> None:
    engine = Engine()
    engine.run(until=3600)
    assert engine.now == 3600.0
    engine.run(until=3600)  # until == now is allowed
    assert engine.now == 3600.0


def test_run_until_before_now_raises() -> None:
    engine = Engine()
    engine.run(until=10)
    with pytest.raises(ValueError, match="before now"):
        engine.run(until=9)
    assert engine.now == 10.0


@pytest.mark.parametrize("until", [math.inf, math.nan])
def test_run_until_must_be_finite(until: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Engine().run(until=until)


def test_run_without_until_leaves_now_at_last_event() -> None:
    engine = Engine()
    engine.at(7, noop)
    engine.run()
    assert engine.now == 7.0


def test_exception_in_callback_propagates_and_engine_stays_usable() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    engine.at(1, lambda: 1 / 0)
    engine.at(2, cb, "later")
    with pytest.raises(ZeroDivisionError):
        engine.run(until=5)
    assert engine.now == 1.0  # not advanced to until
    engine.run(until=5)
    assert fired == [(2.0, "later")]
    assert engine.now == 5.0


def test_run_is_not_reentrant() -> None:
    engine = Engine()
    errors = []

    def nested() -> None:
        for call in (engine.run, engine.step):
            try:
                call()
            except RuntimeError as exc:
                errors.append(str(exc))

    engine.after(1, nested)
    engine.run()
    assert len(errors) == 2


def test_step_and_peek() -> None:
    engine = Engine()
    fired, cb = recorder(engine)
    assert engine.peek() == math.inf
    assert engine.step() is False
    engine.at(2, cb, "b")
    engine.at(1, cb, "a")
    assert engine.peek() == 1.0
    assert engine.step() is True
    assert fired == [(1.0, "a")] and engine.now == 1.0
    assert engine.step() is True
    assert engine.step() is False
    assert engine.now == 2.0


def test_step_handles_periodic_timers_and_processes() -> None:
    engine = Engine()
    seen = []

    def proc():
        seen.append(("proc", engine.now))
        yield 1.5
        seen.append(("proc", engine.now))

    engine.every(1, lambda: seen.append(("tick", engine.now)))
    engine.process(proc())
    for _ in range(4):
        assert engine.step()
    assert seen == [("proc", 0.0), ("tick", 1.0), ("proc", 1.5), ("tick", 2.0)]


# -- processes ------------------------------------------------------------------------------


def test_process_yields_delays() -> None:
    engine = Engine()
    seen = []

    def proc(name: str):
        for delay in (1, 2.5, np.float64(0.5)):
            seen.append((engine.now, name))
            yield delay
        seen.append((engine.now, name))

    timer = engine.process(proc("p"))
    assert timer.time == 0.0
    engine.run()
    assert seen == [(0.0, "p"), (1.0, "p"), (3.5, "p"), (4.0, "p")]
    assert type(engine.now) is float
    assert len(engine) == 0


def test_process_starts_at_now_after_already_queued_entries() -> None:
    engine = Engine()
    order = []
    engine.run(until=5)
    engine.at(5, lambda: order.append("queued"))

    def proc():
        order.append(("proc", engine.now))
        yield 0
        order.append(("proc-again", engine.now))

    engine.process(proc())
    engine.at(5, lambda: order.append("queued-after-process"))
    engine.run()
    assert order == ["queued", ("proc", 5.0), "queued-after-process", ("proc-again", 5.0)]


def test_process_timer_time_tracks_next_step() -> None:
    engine = Engine()

    def proc():
        yield 10
        yield 5

    timer = engine.process(proc())
    engine.step()
    assert timer.time == 10.0
    engine.step()
    assert timer.time == 15.0
    engine.run()
    assert engine.now == 15.0


def test_interleaved_processes_are_deterministic() -> None:
    def run() -> list[tuple[float, int]]:
        engine = Engine()
        seen = []

        def proc(i: int):
            for _ in range(3):
                seen.append((engine.now, i))
                yield 1.0  # all processes tie at every step

        for i in range(4):
            engine.process(proc(i))
        engine.run()
        return seen

    first = run()
    assert first == run()
    assert first[:4] == [(0.0, 0), (0.0, 1), (0.0, 2), (0.0, 3)]
    assert first[4:8] == [(1.0, 0), (1.0, 1), (1.0, 2), (1.0, 3)]


def test_cancel_process_closes_generator() -> None:
    engine = Engine()
    events = []

    def proc():
        try:
            while True:
                events.append(engine.now)
                yield 1
        finally:
            events.append("closed")

    timer = engine.process(proc())
    engine.at(2.5, timer.cancel)
    engine.run()
    assert events == [0.0, 1.0, 2.0, "closed"]
    assert timer.cancelled
    assert len(engine) == 0


def test_process_cancelling_itself() -> None:
    engine = Engine()
    events = []
    timer = None

    def proc():
        try:
            for i in range(10):
                events.append(engine.now)
                if i == 2:
                    timer.cancel()
                yield 1
        finally:
            events.append("closed")

    timer = engine.process(proc())
    engine.run()
    assert events == [0.0, 1.0, 2.0, "closed"]
    assert engine.now == 2.0
    assert len(engine) == 0


def test_cancel_finished_process_is_noop() -> None:
    engine = Engine()

    def proc():
        yield 1

    timer = engine.process(proc())
    engine.run()
    timer.cancel()
    assert not timer.cancelled


def test_process_needs_a_generator_object() -> None:
    def proc():
        yield 1

    with pytest.raises(TypeError, match="call the generator function first"):
        Engine().process(proc)
    with pytest.raises(TypeError, match="generator"):
        Engine().process(iter([1.0]))


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (-1, ValueError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        ("1s", TypeError),
        (None, TypeError),
    ],
)
@compiled_type_checks
def test_process_yielding_an_invalid_delay_raises(bad: object, error: type) -> None:
    engine = Engine()
    closed = []

    def proc():
        try:
            yield bad
        finally:
            closed.append(True)

    timer = engine.process(proc())
    with pytest.raises(error, match="process .*proc yielded an invalid delay"):
        engine.run()
    assert closed == [True]
    assert len(engine) == 0
    timer.cancel()  # finished: no-op
    assert not timer.cancelled


def test_process_exception_propagates() -> None:
    engine = Engine()

    def proc():
        yield 1
        raise KeyError("bad")

    timer = engine.process(proc())
    engine.after(5, noop)
    with pytest.raises(KeyError):
        engine.run()
    assert engine.now == 1.0
    assert len(engine) == 1
    timer.cancel()
    assert not timer.cancelled


def test_timer_repr() -> None:
    engine = Engine()

    def proc():
        yield 1

    assert "process" in repr(engine.process(proc()))
    assert "every 5s" in repr(engine.every(5, noop))
    timer = engine.after(1, noop)
    timer.cancel()
    assert "cancelled" in repr(timer)
    assert isinstance(timer, Timer)
    assert "pending=2" in repr(engine)


# -- determinism (property-based) -----------------------------------------------------------

# An operation is one of
#   ("at", t, children)      schedule at absolute time now + t
#   ("after", d, children)   schedule after d
#   ("cancel", k)            cancel the k-th timer made so far (mod count)
#   ("run", u)               run(until=now + u)
# Each fired callback schedules its children (delays) and may cancel a timer.
_small_time = st.sampled_from([0, 0, 0.5, 1, 1, 2, 3])
_children = st.lists(st.tuples(_small_time, st.integers(0, 50) | st.none()), max_size=3)
_op = st.one_of(
    st.tuples(st.just("at"), _small_time, _children),
    st.tuples(st.just("after"), _small_time, _children),
    st.tuples(st.just("cancel"), st.integers(0, 1000)),
    st.tuples(st.just("run"), _small_time),
)


def _replay(ops: list[tuple]) -> tuple[list[tuple[float, int]], list[Timer]]:
    engine = Engine()
    timers: list[Timer] = []
    keys: list[tuple[float, int]] = []  # (time, insertion seq) of each timer
    fired: list[tuple[float, int]] = []

    def schedule(delay: float, children: list, how: str = "after") -> None:
        seq = len(timers)
        if how == "at":
            timers.append(engine.at(engine.now + delay, fire, seq, children))
        else:
            timers.append(engine.after(delay, fire, seq, children))
        keys.append((timers[-1].time, seq))

    def fire(seq: int, children: list) -> None:
        assert engine.now == keys[seq][0]
        fired.append(keys[seq])
        for delay, victim in children:
            if victim is not None and timers:
                timers[victim % len(timers)].cancel()
            schedule(delay, [])

    for op in ops:
        if op[0] in ("at", "after"):
            schedule(op[1], op[2], op[0])
        elif op[0] == "cancel":
            if timers:
                timers[op[1] % len(timers)].cancel()
        else:
            until = engine.now + op[1]
            engine.run(until=until)
            assert engine.now == until
        done = {seq for _, seq in fired}
        pending = [t for i, t in enumerate(timers) if not t.cancelled and i not in done]
        assert len(engine) == len(pending)
        assert engine.peek() == min((t.time for t in pending), default=math.inf)
    engine.run()
    assert len(engine) == 0
    return fired, timers


@settings(max_examples=150, deadline=None)
@given(st.lists(_op, max_size=40))
def test_random_schedules_are_deterministic_and_sorted(ops: list[tuple]) -> None:
    fired, timers = _replay(ops)
    again, _ = _replay(ops)
    assert fired == again
    # Within a run the firing order is sorted by (time, insertion order); across
    # run(until) calls it stays sorted because time never goes back.
    assert fired == sorted(fired)
    fired_seqs = {seq for _, seq in fired}
    for seq, timer in enumerate(timers):
        # Everything fires exactly once unless cancelled before it fired.
        assert (seq in fired_seqs) != timer.cancelled
    assert len(fired) == len(fired_seqs)
