"""Tests for simkit.eventlog: recording, frames and their dtypes, rollback."""

from __future__ import annotations

import doctest
import tracemalloc

import numpy as np
import pandas as pd
import pytest

import simkit.eventlog
from simkit.eventlog import EventLog

START = pd.Timestamp("2026-01-01T00:00:00Z")


def test_doctests() -> None:
    result = doctest.testmod(simkit.eventlog)
    assert result.attempted > 0
    assert result.failed == 0


def sample_log() -> EventLog:
    log = EventLog()
    log.record(0.0, "push", image="app:1", size=100)
    log.record(1.5, "pull", image="app:1", node="n1", ok=True)
    log.record(2.0, "push", image="db:2", size=250)
    log.record(3.0, "pull", image="db:2", node="n2", ok=False)
    log.record(4.25, "gc", freed=12.5)
    return log


def test_record_len_kinds_iter() -> None:
    log = sample_log()
    assert len(log) == 5
    assert log.kinds() == {"push": 2, "pull": 2, "gc": 1}
    events = list(log.iter())
    assert events[0] == {"time": 0.0, "kind": "push", "image": "app:1", "size": 100}
    assert events[-1] == {"time": 4.25, "kind": "gc", "freed": 12.5}
    assert [e["node"] for e in log.iter("pull")] == ["n1", "n2"]
    assert list(log.iter("nothing")) == []
    assert list(log) == events


def test_frame_columns_order_and_values() -> None:
    frame = sample_log().to_frame(START)
    assert list(frame.columns) == [
        "time", "seconds", "kind", "image", "size", "node", "ok", "freed"
    ]
    assert list(frame["kind"]) == ["push", "pull", "push", "pull", "gc"]
    assert list(frame["seconds"]) == [0.0, 1.5, 2.0, 3.0, 4.25]
    assert frame["time"].iloc[1] == START + pd.Timedelta(seconds=1.5)
    assert list(frame.index) == [0, 1, 2, 3, 4]


def test_frame_dtypes() -> None:
    frame = sample_log().to_frame(START)
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert frame["seconds"].dtype == np.float64
    assert isinstance(frame["kind"].dtype, pd.CategoricalDtype)
    assert list(frame["kind"].cat.categories) == ["push", "pull", "gc"]  # first appearance
    assert pd.api.types.is_string_dtype(frame["image"].dtype)
    assert frame["size"].dtype == "Int64"  # ints with NAs stay integers
    assert frame["size"].tolist()[:3] == [100, pd.NA, 250]
    assert frame["ok"].dtype == "boolean"
    assert frame["freed"].dtype == np.float64
    assert frame["freed"].isna().tolist() == [True, True, True, True, False]
    assert frame["node"].isna().tolist() == [True, False, True, False, True]


def test_field_type_inference() -> None:
    log = EventLog()
    day = pd.Timestamp("2026-01-02", tz="UTC")
    log.record(0, "a", n=1, x=1, mixed=1, none=None, when=day)
    log.record(1, "a", n=2, x=2.5, mixed="one", none=None, when=day + pd.Timedelta(days=1))
    log.record(2, "a", n=np.int64(3), x=None, mixed=None, none=None, when=None)
    frame = log.to_frame(START)
    assert frame["n"].dtype == np.int64  # no NAs: plain int64
    assert frame["n"].tolist() == [1, 2, 3]
    assert frame["x"].dtype == np.float64  # ints and floats mix to float
    assert frame["x"].isna().tolist() == [False, False, True]
    assert frame["mixed"].dtype == object
    assert frame["none"].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(frame["when"])


def test_huge_ints_fall_back_to_object() -> None:
    log = EventLog()
    log.record(0, "a", n=2**70)
    log.record(1, "a", n=1)
    frame = log.to_frame(START)
    assert frame["n"].tolist() == [2**70, 1]


def test_none_values_are_missing() -> None:
    log = EventLog()
    log.record(0, "registry_created", registry="quay.io", auth_server=None)
    log.record(1, "registry_created", registry="auth.io", auth_server="sso.io")
    frame = log.to_frame(START)
    assert frame["auth_server"].isna().tolist() == [True, False]


def test_start_timezones() -> None:
    log = sample_log()
    naive = log.to_frame(pd.Timestamp("2026-01-01"))
    assert naive["time"].iloc[0] == START
    eastern = log.to_frame(pd.Timestamp("2025-12-31T19:00:00", tz="America/New_York"))
    assert eastern["time"].iloc[0] == START
    assert str(eastern["time"].dtype) == "datetime64[ns, UTC]"
    as_string = log.to_frame("2026-01-01T00:00:00Z")
    pd.testing.assert_frame_equal(as_string, naive)


def test_sub_second_times_are_exact_to_the_nanosecond() -> None:
    log = EventLog()
    log.record(0.1, "a")
    log.record(86400 * 30 + 0.001, "a")
    frame = log.to_frame(START)
    assert frame["time"].iloc[0] == START + pd.Timedelta(milliseconds=100)
    assert frame["time"].iloc[1] == START + pd.Timedelta(days=30, milliseconds=1)


def test_empty_log_frame() -> None:
    frame = EventLog().to_frame(START)
    assert list(frame.columns) == ["time", "seconds", "kind"]
    assert len(frame) == 0
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert EventLog().kinds() == {}


def test_rows_in_recording_order_with_many_layouts() -> None:
    log = EventLog()
    rng = np.random.default_rng(0)
    expected = []
    for i in range(2000):
        layout = int(rng.integers(0, 5))
        fields = {f"f{layout}": i, "common": i * 2} if layout % 2 else {f"f{layout}": i}
        log.record(float(i), f"k{layout % 3}", **fields)
        expected.append((f"k{layout % 3}", layout))
    frame = log.to_frame(START)
    assert frame["seconds"].tolist() == [float(i) for i in range(2000)]
    assert frame["kind"].tolist() == [kind for kind, _ in expected]
    for i, (_, layout) in enumerate(expected):
        assert frame[f"f{layout}"].iloc[i] == i
    assert frame["common"].isna().sum() == sum(1 for _, layout in expected if layout % 2 == 0)


def test_frame_is_cached_and_invalidated() -> None:
    log = sample_log()
    first = log.to_frame(START)
    first.loc[0, "seconds"] = -1.0  # mutating a returned frame must not leak into the cache
    second = log.to_frame(START)
    assert second["seconds"].iloc[0] == 0.0
    log.record(5.0, "gc", freed=1.0)
    assert len(log.to_frame(START)) == 6
    mark = log.mark()
    log.record(6.0, "gc", freed=2.0)
    assert len(log.to_frame(START)) == 7
    log.truncate(mark)
    assert len(log.to_frame(START)) == 6
    log.record(6.0, "gc", freed=3.0)  # same length as before the truncate, new content
    assert log.to_frame(START)["freed"].iloc[-1] == 3.0
    shifted = log.to_frame(START + pd.Timedelta(hours=1))
    assert shifted["time"].iloc[0] == START + pd.Timedelta(hours=1)


# -- rollback -------------------------------------------------------------------------------


def test_truncate_rolls_back_records_and_fields() -> None:
    log = sample_log()
    mark = log.mark()
    assert mark == 5
    log.record(5.0, "prune", image="app:1", reason="old")
    log.record(6.0, "push", image="x:1", size=1)
    log.truncate(mark)
    assert len(log) == 5
    assert log.kinds() == {"push": 2, "pull": 2, "gc": 1}
    frame = log.to_frame(START)
    assert "reason" not in frame.columns
    assert list(frame["kind"].cat.categories) == ["push", "pull", "gc"]
    pd.testing.assert_frame_equal(frame, sample_log().to_frame(START))
    # Recording after a rollback reuses the layouts correctly.
    log.record(7.0, "push", image="y:1", size=7)
    assert list(log.iter())[-1] == {"time": 7.0, "kind": "push", "image": "y:1", "size": 7}


def test_nested_marks() -> None:
    log = EventLog()
    outer = log.mark()
    log.record(0, "a")
    inner = log.mark()
    log.record(1, "b")
    log.truncate(inner)
    assert [e["kind"] for e in log] == ["a"]
    log.record(2, "c")
    log.truncate(outer)
    assert len(log) == 0
    log.truncate(outer)  # to the current length: no-op
    assert len(log) == 0


def test_truncate_to_a_later_or_stale_mark_is_refused() -> None:
    log = EventLog()
    log.record(0, "a")
    with pytest.raises(ValueError, match="only 1"):
        log.truncate(2)
    with pytest.raises(ValueError, match="invalid"):
        log.truncate(-1)
    early = log.mark()
    log.record(1, "b")
    late = log.mark()
    log.truncate(early)
    log.record(2, "c")
    log.record(3, "d")
    # `late` (2) is within bounds again, but the rows it counted are gone.
    with pytest.raises(ValueError, match="stale"):
        log.truncate(late)
    with pytest.raises(ValueError, match="another event log"):
        EventLog().truncate(EventLog().mark())
    assert [e["kind"] for e in log] == ["a", "c", "d"]


def test_reserved_field_names_and_kind_type() -> None:
    log = EventLog()
    with pytest.raises(ValueError, match="reserved"):
        log.record(0, "a", seconds=1)
    with pytest.raises(TypeError, match="kind"):
        log.record(0, 42)
    assert len(log) == 0


def test_memory_per_record_is_small() -> None:
    images = [f"image-{i}" for i in range(50)]
    log = EventLog()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(40_000):
            log.record(i * 0.5, "pull", image=images[i % 50], node=i % 7, ok=True)
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # times (8) + layout code (4) + 3 field references (24), plus list growth slack
    assert used / 40_000 < 60
