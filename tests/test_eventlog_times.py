"""The event log's times sealed in blocks (and spilled) read back as recorded.

Times are kept in blocks of ``TIME_BLOCK_CHUNKS`` chunks' worth of records, sealed as
the log grows and spilled beyond ``spill_after`` records; the log must read the same
as a plain list of what was recorded, through reads, truncates and more records.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit.eventlog
from simkit.eventlog import NO_SPILL, EventLog

START = pd.Timestamp("2026-01-01", tz="UTC")

_steps = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.integers(1, 40)),
        st.tuples(st.just("truncate"), st.integers(0, 200)),
        st.tuples(st.just("read"), st.sampled_from(["iter", "frame", "to_frame"])),
    ),
    max_size=12,
)


def _record(log: EventLog, expected: list[tuple[float, str, int]], count: int) -> None:
    for _ in range(count):
        i = len(expected)
        time, kind = i * 0.5 + (i % 3) / 7, ("pull", "push", "gc")[i % 3 if i % 5 else 0]
        log.record(time, kind, n=i)
        expected.append((time, kind, i))


def _check(log: EventLog, expected: list[tuple[float, str, int]], how: str) -> None:
    assert len(log) == len(expected)
    if how == "iter":
        assert [(e["time"], e["kind"], e["n"]) for e in log] == expected
    elif how == "to_frame":
        frame = log.to_frame(START)
        assert frame["seconds"].tolist() == [t for t, _, _ in expected]
        assert frame.get("n", pd.Series()).tolist() == [n for _, _, n in expected]
    else:
        frame = log.frame(["push", "gc"], ["n"], start=START)
        wanted = [(i, t, n) for i, (t, kind, n) in enumerate(expected) if kind != "pull"]
        numbers = frame["n"] if wanted else []  # no records, no field column
        assert list(zip(frame.index, frame["seconds"], numbers, strict=True)) == wanted


@settings(max_examples=60, deadline=None)
@given(
    steps=_steps,
    chunk=st.integers(1, 4),
    spill_after=st.sampled_from([0, 4, 9, NO_SPILL]),
)
def test_sealed_and_spilled_times_read_as_recorded(steps, chunk, spill_after) -> None:
    original = simkit.eventlog.TIME_BLOCK_CHUNKS
    simkit.eventlog.TIME_BLOCK_CHUNKS = 2
    try:
        log = EventLog(chunk_size=chunk, spill_after=spill_after)
    finally:
        simkit.eventlog.TIME_BLOCK_CHUNKS = original
    expected: list[tuple[float, str, int]] = []
    for step, value in steps:
        if step == "record":
            _record(log, expected, value)
        elif step == "truncate":
            rows = min(value, len(expected))
            log.truncate(rows)
            del expected[rows:]
        _check(log, expected, value if step == "read" else "iter")
    _record(log, expected, 30)  # recording goes on after reads and truncates
    for how in ("iter", "frame", "to_frame"):
        _check(log, expected, how)


def test_a_long_log_keeps_its_times_on_disk() -> None:
    """Beyond ``spill_after`` records, the times are spilled too: a record keeps about a
    byte in memory (its layout code), not nine."""
    block = 16 * simkit.eventlog.TIME_BLOCK_CHUNKS
    log = EventLog(chunk_size=16, spill_after=64)
    for i in range(block * 5 + 100):
        log.record(float(i), "tick" if i % 2 else "tock", n=i % 7)
    blocks = log._time_blocks
    assert len(blocks) == 5 and all(isinstance(b, simkit.eventlog._Spilled) for b in blocks)
    assert len(log._times) < block
    assert log.to_frame(START)["seconds"].tolist() == [float(i) for i in range(len(log))]
    cut = block * 2 + 7
    log.truncate(cut)  # into a spilled block
    assert [e["time"] for e in log] == [float(i) for i in range(cut)]
    log.record(float(cut), "tick", n=0)
    assert len(log) == cut + 1 and list(log)[-1]["time"] == float(cut)


@pytest.mark.parametrize("spill_after", [0, NO_SPILL])
def test_a_copied_log_keeps_its_sealed_times(spill_after: int) -> None:
    import copy

    log = EventLog(chunk_size=2, spill_after=spill_after)
    count = 2 * simkit.eventlog.TIME_BLOCK_CHUNKS * 3 + 5
    for i in range(count):
        log.record(float(i), "tick", n=i)
    twin = copy.deepcopy(log)
    assert [e["time"] for e in twin] == [e["time"] for e in log] == [float(i) for i in range(count)]


@settings(max_examples=40, deadline=None)
@given(kinds=st.lists(st.sampled_from(["pull", "push", "gc", "oc"]), max_size=60))
def test_kinds_counted_a_block_at_a_time(kinds) -> None:
    """``kinds`` counts in blocks of records; the counts and the order of first
    appearance are those of the whole log."""
    original = simkit.eventlog._COUNT_BLOCK
    simkit.eventlog._COUNT_BLOCK = 5
    try:
        log = EventLog(chunk_size=3)
        for i, kind in enumerate(kinds):
            if i % 2:
                log.record(float(i), kind, n=i)
            else:
                log.record(float(i), kind)
        expected = {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}
        assert log.kinds() == expected and list(log.kinds()) == list(expected)
    finally:
        simkit.eventlog._COUNT_BLOCK = original
