"""Tests for simkit.eventlog: recording, frames and their dtypes, rollback."""

from __future__ import annotations

import copy
import gc
import math
import numbers
import pickle
import threading
import tracemalloc
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit.eventlog
from simkit.eventlog import NO_SPILL, SPILL_AFTER, EventLog

START = pd.Timestamp("2026-01-01T00:00:00Z")


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
        "time",
        "seconds",
        "kind",
        "image",
        "size",
        "node",
        "ok",
        "freed",
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


def test_record_fields_is_record_with_a_mapping() -> None:
    # Simulation.record hands its **fields dict to record_fields; both must give the
    # same log, frozen chunks and a rollback into one included.
    by_keywords, by_mapping = EventLog(chunk_size=4), EventLog(chunk_size=4)
    for second in range(11):
        fields = {"image": f"app:{second % 3}", "size": second, "ok": second % 2 == 0}
        by_keywords.record(float(second), "push", **fields)
        by_mapping.record_fields(float(second), "push", fields)
        if second == 5:
            marks = by_keywords.mark(), by_mapping.mark()
    by_keywords.truncate(marks[0])
    by_mapping.truncate(marks[1])
    by_mapping.record_fields(6.0, "gc", {})
    by_keywords.record(6.0, "gc")
    assert list(by_mapping) == list(by_keywords)
    pd.testing.assert_frame_equal(by_mapping.to_frame(START), by_keywords.to_frame(START))
    with pytest.raises(TypeError, match="field names must be strings"):
        by_mapping.record_fields(7.0, "push", {1: "x"})
    assert len(by_mapping) == len(by_keywords)


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


# -- compact storage: frozen chunks --------------------------------------------------------


class LabelStr(str):
    """A str subclass: must come back as itself, never merged with equal plain strs."""


def frozen_columns(log: EventLog, kind: str) -> list[tuple[object, ...]]:
    """The frozen chunks of the (first) layout of ``kind``, white-box."""
    code = next(code for code, (k, _) in enumerate(log._layouts) if k == kind)
    return log._frozen[code]


def test_chunks_freeze_into_compact_columns() -> None:
    log = EventLog(chunk_size=4)
    for i in range(10):
        log.record(
            float(i),
            "pull",
            node=f"n{i % 2}",
            pod=f"pod-{i}",
            bytes=i * 1000,
            latency=i / 4,
            ok=i % 3 == 0,
            error=None,
            digest=None if i % 2 else "d",
        )
    chunks = frozen_columns(log, "pull")
    assert len(chunks) == 2  # 8 frozen records, 2 hot
    node, pod, size, latency, ok, error, digest = chunks[0]
    assert isinstance(node, simkit.eventlog._Strings) and len(node.table) == 3  # n0, n1, None
    assert node.codes.dtype == np.int8
    assert isinstance(pod, list)  # a new string in every record: kept as references
    assert size.array.dtype == np.int16 and size.types == {int}
    assert latency.array.dtype == np.float64 and latency.types == {float}
    assert ok.array.dtype == np.bool_ and ok.types == {bool}
    assert isinstance(error, simkit.eventlog._Missing)
    assert digest.types == {str, type(None)}
    events = list(log.iter("pull"))
    assert [e["node"] for e in events] == [f"n{i % 2}" for i in range(10)]
    assert [e["digest"] for e in events] == [None if i % 2 else "d" for i in range(10)]
    for event in events:
        # Python objects, as recorded: never numpy scalars.
        assert type(event["bytes"]) is int and type(event["latency"]) is float
        assert type(event["ok"]) is bool and event["error"] is None


@pytest.mark.parametrize("spill_after", [None, 0])
def test_frozen_values_keep_their_exact_types(spill_after: int | None) -> None:
    log = EventLog(chunk_size=3, spill_after=spill_after)
    rows = [
        {"n": 2**70, "x": np.float64(1.5), "s": LabelStr("a"), "b": np.bool_(True)},
        {"n": 1, "x": 2.5, "s": "a", "b": True},
        {"n": -(2**63), "x": 3.5, "s": "a", "b": False},
        {"n": 2**63 - 1, "x": 4.5, "s": LabelStr("a"), "b": np.bool_(False)},
    ]
    for i, fields in enumerate(rows):
        log.record(i, "k", **fields)
    assert spilled_chunks(log) == (spill_after == 0)
    for event, fields in zip(log.iter(), rows, strict=True):
        for name, value in fields.items():
            assert type(event[name]) is type(value) and event[name] == value
    frame = log.to_frame(START)
    assert frame["n"].tolist() == [2**70, 1, -(2**63), 2**63 - 1]
    assert frame["n"].dtype == object
    assert frame["x"].dtype == np.float64
    assert frame["b"].dtype == "boolean"


def test_frame_of_frozen_log_equals_frame_of_hot_log() -> None:
    rng = np.random.default_rng(1)
    small, big = EventLog(chunk_size=5), EventLog(chunk_size=10_000)
    for i in range(500):
        kind = ["pull", "push", "gc"][int(rng.integers(3))]
        fields = {
            "node": f"n{int(rng.integers(4))}",
            "pod": f"p{i}",
            "size": int(rng.integers(1e9)),
            "latency": float(rng.random()),
        }
        if kind == "gc":
            fields = {"freed": float(rng.random()) if i % 7 else int(rng.integers(10))}
        elif kind == "push":
            fields["ok"] = bool(rng.integers(2)) if i % 11 else None
        small.record(float(i), kind, **fields)
        big.record(float(i), kind, **fields)
    assert frozen_columns(small, "pull") and not frozen_columns(big, "pull")
    pd.testing.assert_frame_equal(small.to_frame(START), big.to_frame(START), check_exact=True)
    assert list(small) == list(big)
    assert small.kinds() == big.kinds()


def test_truncate_into_a_frozen_chunk_thaws_it() -> None:
    log = EventLog(chunk_size=4)
    for i in range(6):
        log.record(float(i), "a", x=float(i), s="same")
    mark = log.mark()
    for i in range(6, 13):  # freezes a second and third chunk of "a"
        log.record(float(i), "a", x=float(i), s="same")
    assert len(frozen_columns(log, "a")) == 3
    log.truncate(mark)
    assert len(frozen_columns(log, "a")) == 1
    assert [e["x"] for e in log] == [float(i) for i in range(6)]
    for i in range(6, 10):
        log.record(float(i), "a", x=-float(i), s="other")
    assert len(frozen_columns(log, "a")) == 2
    assert [e["x"] for e in log] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, -6.0, -7.0, -8.0, -9.0]
    assert log.to_frame(START)["s"].tolist() == ["same"] * 6 + ["other"] * 4
    log.truncate(0)
    assert len(log) == 0 and frozen_columns(log, "a") == []
    assert log.to_frame(START).columns.tolist() == ["time", "seconds", "kind"]


def test_iterating_while_recording_across_a_freeze() -> None:
    log = EventLog(chunk_size=4)
    for i in range(3):
        log.record(float(i), "a", x=i)
    seen = []
    for event in log.iter():
        seen.append(event["x"])
        log.record(10.0, "a", x=100 + len(seen))  # the 4th record freezes the chunk
    assert seen == [0, 1, 2]
    assert [e["x"] for e in log] == [0, 1, 2, 101, 102, 103]


def test_more_than_256_layouts() -> None:
    log = EventLog(chunk_size=2)
    for i in range(600):
        log.record(float(i), f"k{i % 300}", **{f"f{i % 300}": i})
    assert len(log.kinds()) == 300
    assert [e[f"f{i % 300}"] for i, e in enumerate(log)] == list(range(600))
    frame = log.to_frame(START)
    assert frame.shape == (600, 303)
    assert frame["f299"].dropna().tolist() == [299, 599]


def bytes_to_record_pulls(log: EventLog, records: int) -> int:
    """Bytes ``log`` takes (tracemalloc) to record ``records`` pull-like records whose
    strings are built per record (equal strings as distinct objects)."""
    nodes = [f"worker-{i}" for i in range(50)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(records):
            log.record(
                i * 0.5,
                "pull",
                namespace=f"ns{i % 20}",
                node=nodes[i % 50],
                pod=f"web{i // 4}",
                decision="pulled",
                bytes=i * 1000,
                latency=i / 7,
                pull_through=False,
            )
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_memory_per_frozen_record_is_small() -> None:
    """Records of a pull-like layout, mostly frozen, whose strings are built per record
    (equal strings as distinct objects); a list per field took about 230 bytes each."""
    log = EventLog()
    used = bytes_to_record_pulls(log, 100_000)
    # time 8 + layout 1; codes of namespace, node, decision 1 each; pod: code 2, table 8 / 4
    # and one string of ~52 per 4 records; bytes 4, latency 8, pull_through 1; the records
    # not frozen yet (1,696 of them, hot) about 3 per record.
    assert used / 100_000 < 60


# -- spilling: frozen chunks beyond spill_after go to a temporary file ----------------------


def spilled_chunks(log: EventLog) -> int:
    """How many frozen chunks of ``log`` are spilled, white-box."""
    return sum(
        isinstance(entry, simkit.eventlog._Spilled) for frozen in log._frozen for entry in frozen
    )


def resident_records(log: EventLog) -> int:
    """Records of the frozen chunks of ``log`` kept in memory, white-box."""
    return log._chunk_size * sum(
        not isinstance(entry, simkit.eventlog._Spilled)
        for frozen in log._frozen
        for entry in frozen
    )


def record_mixed(logs: list[EventLog], start: int, stop: int) -> None:
    """The same records of a few layouts and every kind of frozen column into ``logs``."""
    for i in range(start, stop):
        for log in logs:
            if i % 5 == 4:
                log.record(float(i), "gc", freed=i / 3 if i % 3 else i, error=None)
            elif i % 2:
                log.record(
                    float(i),
                    "pull",
                    node=f"n{i % 3}",
                    pod=f"pod-{i}",
                    bytes=i * 1000,
                    ok=i % 7 != 0,
                    digest=None if i % 4 == 1 else "sha256:d",
                )
            else:
                log.record(float(i), "push", image=f"app:{i % 2}", size=2**70 if i == 10 else i)


@pytest.mark.parametrize("spill_after", [0, 8])
def test_spilled_log_reads_like_one_in_memory(spill_after: int) -> None:
    log = EventLog(chunk_size=4, spill_after=spill_after)
    kept = EventLog(chunk_size=4, spill_after=NO_SPILL)
    record_mixed([log, kept], 0, 103)
    assert spilled_chunks(log) > 0 and spilled_chunks(kept) == 0
    assert resident_records(log) <= spill_after
    assert len(log) == len(kept) == 103
    assert log.kinds() == kept.kinds()
    assert same_events(list(log), list(kept))
    for kind in ["pull", "push", "gc", "none"]:
        assert same_events(list(log.iter(kind)), list(kept.iter(kind)))
    frame = log.to_frame(START)
    pd.testing.assert_frame_equal(frame, kept.to_frame(START), check_exact=True)
    assert frame.dtypes.to_dict() == kept.to_frame(START).dtypes.to_dict()
    record_mixed([log, kept], 103, 140)  # recording goes on after reading
    pd.testing.assert_frame_equal(log.to_frame(START), kept.to_frame(START), check_exact=True)


def test_spill_after_counts_frozen_records_over_all_layouts() -> None:
    log = EventLog(chunk_size=4, spill_after=8)
    for i in range(8):
        log.record(float(i), "a", x=i)
        log.record(float(i), "b", x=i)
    # 4 chunks frozen, the 2 newest (8 records) kept; the oldest of each layout spilled.
    assert [type(entry).__name__ for frozen in log._frozen for entry in frozen] == [
        "_Spilled",
        "tuple",
        "_Spilled",
        "tuple",
    ]
    assert repr(log) == "<EventLog 16 records, 8 spilled to disk>"
    log = EventLog(chunk_size=4, spill_after=9)  # not a whole number of chunks: rounded down
    for i in range(12):
        log.record(float(i), "a", x=i)
    assert spilled_chunks(log) == 1 and resident_records(log) == 8


def test_no_spill_file_until_a_chunk_is_spilled(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    real = simkit.eventlog.tempfile.TemporaryFile
    monkeypatch.setattr(
        simkit.eventlog.tempfile, "TemporaryFile", lambda: opened.append(1) or real()
    )
    default = EventLog()
    for i in range(1000):
        default.record(float(i), "a", x=i)
    never = EventLog(chunk_size=4, spill_after=NO_SPILL)
    under = EventLog(chunk_size=4, spill_after=8)
    for log in (never, under):
        for i in range(11):  # 2 frozen chunks, 8 records
            log.record(float(i), "a", x=i)
        list(log)
        log.to_frame(START)
        log.truncate(2)
        pickle.loads(pickle.dumps(log))
    assert opened == [] and all(log._spill_file is None for log in (default, never, under))
    for i in range(20):
        under.record(float(i), "a", x=i)
    assert spilled_chunks(under) == 3 and opened == [1]  # one file per log, at the first spill


def test_truncate_into_spilled_chunks_thaws_them_and_cuts_the_file() -> None:
    log = EventLog(chunk_size=4, spill_after=0)
    kept = EventLog(chunk_size=4, spill_after=NO_SPILL)
    record_mixed([log, kept], 0, 30)
    marks = [(log.mark(), kept.mark())]
    record_mixed([log, kept], 30, 61)
    size = log._spill_file.seek(0, 2)
    assert size == log._spill_end
    marks.append((log.mark(), kept.mark()))
    record_mixed([log, kept], 61, 90)
    # Drop everything after record 61, then after record 30: both land inside spilled chunks.
    for mark, kept_mark in reversed(marks):
        log.truncate(mark)
        kept.truncate(kept_mark)
        assert same_events(list(log), list(kept))
        assert log._spill_file.seek(0, 2) == log._spill_end  # no dead bytes left behind
    assert log._spill_end < size
    assert any(log._columns[code][0] for code in range(len(log._layouts)))  # thawed to lists
    record_mixed([log, kept], 30, 75)  # records after truncating: spilled again
    assert spilled_chunks(log) > 0
    assert same_events(list(log), list(kept))
    assert log.kinds() == kept.kinds()
    pd.testing.assert_frame_equal(log.to_frame(START), kept.to_frame(START), check_exact=True)
    stale = marks[1][0]
    with pytest.raises(ValueError, match="stale"):
        log.truncate(stale)
    log.truncate(0)
    assert len(log) == 0 and spilled_chunks(log) == 0 and log._spill_end == 0
    assert log._spill_file.seek(0, 2) == 0


def test_truncate_within_hot_records_keeps_spilled_chunks() -> None:
    log = EventLog(chunk_size=4, spill_after=0)
    for i in range(10):
        log.record(float(i), "a", x=i)
    mark = log.mark()
    log.record(10.0, "a", x=10)
    end = log._spill_end
    log.truncate(mark)
    assert spilled_chunks(log) == 2 and log._spill_end == end
    assert [e["x"] for e in log] == list(range(10))


def test_to_frame_reads_each_spilled_column_once() -> None:
    log = EventLog(chunk_size=4, spill_after=0)
    record_mixed([log], 0, 100)
    reads = []
    read = log._read
    log._read = lambda offset, size: reads.append((offset, size)) or read(offset, size)
    log.to_frame(START)
    columns = sum(
        len(entry.sizes)
        for frozen in log._frozen
        for entry in frozen
        if isinstance(entry, simkit.eventlog._Spilled)
    )
    # and each spilled block of times (simkit.eventlog.TIME_BLOCK_CHUNKS chunks' worth) once
    times = sum(isinstance(block, simkit.eventlog._Spilled) for block in log._time_blocks)
    assert len(reads) == len(set(reads)) == columns + times
    reads.clear()
    list(log)  # iter reads each spilled chunk once, all of its columns at a time
    assert len(reads) == spilled_chunks(log) + times


def test_iterating_while_recording_across_a_spill() -> None:
    log = EventLog(chunk_size=4, spill_after=0)
    for i in range(7):
        log.record(float(i), "a", x=i)
    seen = []
    for event in log.iter():
        seen.append(event["x"])
        log.record(10.0, "a", x=100 + len(seen))  # freezes and spills chunks under the iterator
    assert seen == list(range(7))
    assert [e["x"] for e in log] == [*range(7), *range(101, 108)]


@pytest.mark.parametrize("clone", [lambda log: pickle.loads(pickle.dumps(log)), copy.deepcopy])
def test_pickled_and_copied_logs_take_spilled_chunks_along(clone) -> None:
    log = EventLog(chunk_size=4, spill_after=4)
    kept = EventLog(chunk_size=4, spill_after=NO_SPILL)
    record_mixed([log, kept], 0, 50)
    log.to_frame(START)  # the cached frame is not pickled
    twin = clone(log)
    assert twin._cache is None and twin._spill_file is not log._spill_file
    assert spilled_chunks(twin) == spilled_chunks(log) > 0
    assert same_events(list(twin), list(kept))
    pd.testing.assert_frame_equal(twin.to_frame(START), kept.to_frame(START), check_exact=True)
    # The two go their own ways: a truncate of one cuts only its own file.
    twin.truncate(5)
    record_mixed([twin], 5, 30)
    del twin
    gc.collect()
    assert same_events(list(log), list(kept))
    record_mixed([log, kept], 50, 70)
    pd.testing.assert_frame_equal(log.to_frame(START), kept.to_frame(START), check_exact=True)


def test_spill_file_is_closed_with_the_log() -> None:
    log = EventLog(chunk_size=2, spill_after=0)
    for i in range(4):
        log.record(float(i), "a", x=i)
    file = log._spill_file
    assert file is not None and not file.closed
    del log
    gc.collect()
    assert file.closed


def test_chunks_that_cannot_be_pickled_stay_in_memory() -> None:
    lock = threading.Lock()
    log = EventLog(chunk_size=2, spill_after=0)
    log.record(0.0, "a", x=1, thing=lock)
    log.record(1.0, "a", x=2, thing=None)
    log.record(2.0, "a", x=3, thing="fine")
    log.record(3.0, "a", x=4, thing="too")
    assert [type(entry).__name__ for entry in log._frozen[0]] == ["tuple", "_Spilled"]
    assert [e["thing"] for e in log] == [lock, None, "fine", "too"]
    assert next(iter(log))["thing"] is lock


def test_spill_after_argument() -> None:
    assert EventLog()._spill_after == SPILL_AFTER == EventLog(spill_after=None)._spill_after
    assert EventLog(spill_after=np.int64(5))._spill_after == 5
    with pytest.raises(ValueError, match="spill_after must be 0 or more records, got -1"):
        EventLog(spill_after=-1)
    for wrong in [1.5, math.inf, "100", True, False]:
        with pytest.raises(TypeError, match=f"spill_after .* got {wrong!r}.*NO_SPILL"):
            EventLog(spill_after=wrong)


def test_memory_per_spilled_record_is_small() -> None:
    """As test_memory_per_frozen_record_is_small, every frozen chunk spilled: the time,
    the layout code and the hot records are left in memory."""
    log = EventLog(spill_after=0)
    used = bytes_to_record_pulls(log, 100_000)
    assert spilled_chunks(log) == 6
    # time 8 + layout 1, the 1,696 hot records about 3 per record (as in memory)
    assert used / 100_000 < 15


# -- property: any records, marks and truncates, against a list of dicts ----------------------
#
# ReferenceLog keeps records as a list of (time, kind, fields) and builds its frame the way
# EventLog did when it kept one Python list per field (before chunks were frozen): every
# field as one object array, typed from the exact types of its values.


class ReferenceLog:
    def __init__(self) -> None:
        self.records: list[tuple[float, str, dict]] = []
        self.truncations: list[int] = []

    def record(self, time: float, kind: str, **fields: object) -> None:
        self.records.append((float(time), kind, fields))

    def mark(self) -> tuple[int, int]:
        return len(self.records), len(self.truncations)

    def truncate(self, mark: tuple[int, int]) -> None:
        rows, epoch = mark
        if rows > len(self.records) or any(t < rows for t in self.truncations[epoch:]):
            raise ValueError("mark")
        if rows < len(self.records):
            del self.records[rows:]
            self.truncations.append(rows)

    def iter(self, kind: str | None = None) -> list[dict]:
        return [
            {"time": t, "kind": k, **fields}
            for t, k, fields in self.records
            if kind is None or k == kind
        ]

    def kinds(self) -> dict[str, int]:
        return dict(Counter(k for _, k, _ in self.records))

    def to_frame(self, start: pd.Timestamp) -> pd.DataFrame:
        n = len(self.records)
        seconds = np.array([t for t, _, _ in self.records], dtype=np.float64)
        kinds: dict[str, int] = {}
        names: dict[str, None] = {}
        for _, kind, fields in self.records:
            kinds.setdefault(kind, len(kinds))
            names.update(dict.fromkeys(fields))
        codes = np.array([kinds[k] for _, k, _ in self.records], dtype=np.intp)
        data: dict[str, object] = {
            "time": start.as_unit("ns") + pd.to_timedelta(seconds, unit="s").as_unit("ns"),
            "seconds": seconds,
            "kind": pd.Categorical.from_codes(codes, categories=list(kinds)),
        }
        for name in names:
            values = np.full(n, None, dtype=object)
            types: set[type] = set()
            covered = 0
            for row, (_, _, fields) in enumerate(self.records):
                if name in fields:
                    values[row] = fields[name]
                    types.add(type(fields[name]))
                    covered += 1
            data[name] = reference_column(values, types, covered < n)
        return pd.DataFrame(data)


def reference_column(values: np.ndarray, types: set[type], missing: bool) -> object:
    """A field's column as EventLog typed it with a list per field."""
    missing = missing or type(None) in types
    types.discard(type(None))
    if not types:
        return values
    if all(issubclass(t, bool | np.bool_) for t in types):
        return pd.array(values, dtype="boolean")
    if all(issubclass(t, numbers.Integral) and not issubclass(t, bool) for t in types):
        try:
            if missing:
                return pd.array(values, dtype="Int64")
            return values.astype(np.int64)
        except (OverflowError, TypeError, ValueError):
            return values
    if all(issubclass(t, numbers.Real) and not issubclass(t, bool) for t in types):
        values[np.equal(values, None)] = np.nan
        return values.astype(np.float64)
    return pd.Series(values).infer_objects()


def same_value(a: object, b: object) -> bool:
    """Same type and value; NaN is NaN and -0.0 is not 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b) or a != a and b != b
    return bool(a == b)


def same_events(got: list[dict], expected: list[dict]) -> bool:
    return len(got) == len(expected) and all(
        list(g) == list(e) and all(same_value(g[k], e[k]) for k in g)
        for g, e in zip(got, expected, strict=True)
    )


NAMES = ["a", "b", "c", "d"]
KINDS = ["pull", "push", "gc"]
WORDS = ["x", "y", "zz", "", "é", "x\x00"]

# A field's values keep to one flavour per example, so that chunks are often homogeneous
# (and frozen to arrays or codes), with now and then a value of another flavour.
FLAVOURS = {
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "small int": st.integers(-130, 130),
    "int": st.integers(-(2**63), 2**63 - 1),
    "big int": st.integers(-(2**70), 2**70),
    "bool": st.booleans(),
    "word": st.sampled_from(WORDS),
    "word or None": st.sampled_from([*WORDS, None]),
    "text": st.text(max_size=4),
    "None": st.none(),
    "odd": st.sampled_from(
        [
            np.float64(0.5),
            np.int64(7),
            np.bool_(True),
            LabelStr("x"),
            (1, 2),
            b"x",
            1.5,
            3,
            "x",
            None,
            True,
        ]
    ),
}


@st.composite
def values_of(draw: st.DrawFn, flavour: str) -> object:
    if draw(st.integers(0, 19)) == 0:
        flavour = draw(st.sampled_from(sorted(FLAVOURS)))
    return draw(FLAVOURS[flavour])


@given(data=st.data(), chunk_size=st.integers(1, 6), spill_after=st.none() | st.integers(0, 12))
@settings(max_examples=300, deadline=None)
def test_matches_reference_for_any_records_marks_and_truncates(
    data: st.DataObject, chunk_size: int, spill_after: int | None
) -> None:
    flavours = {name: data.draw(st.sampled_from(sorted(FLAVOURS)), label=name) for name in NAMES}
    log, ref = EventLog(chunk_size=chunk_size, spill_after=spill_after), ReferenceLog()
    marks: list[tuple[int, tuple[int, int]]] = []
    steps = data.draw(st.integers(0, 60), label="steps")
    for _ in range(steps):
        action = data.draw(st.sampled_from(["record"] * 6 + ["mark", "truncate", "check"]))
        if action == "record":
            time = data.draw(st.floats(0, 1e6) | st.integers(0, 10**6))
            kind = data.draw(st.sampled_from(KINDS))
            names = data.draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
            fields = {name: data.draw(values_of(flavours[name])) for name in names}
            log.record(time, kind, **fields)
            ref.record(time, kind, **fields)
        elif action == "mark":
            marks.append((log.mark(), ref.mark()))
        elif action == "truncate" and marks:
            mark, ref_mark = data.draw(st.sampled_from(marks))
            try:
                ref.truncate(ref_mark)
            except ValueError:
                with pytest.raises(ValueError):
                    log.truncate(mark)
            else:
                log.truncate(mark)
        elif action == "check":
            check_same(log, ref)
    check_same(log, ref)
    check_same(pickle.loads(pickle.dumps(log)), ref)


def check_same(log: EventLog, ref: ReferenceLog) -> None:
    assert len(log) == len(ref.records)
    assert log.kinds() == ref.kinds()
    assert list(log.kinds()) == list(ref.kinds())
    assert same_events(list(log), ref.iter())
    for kind in KINDS:
        assert same_events(list(log.iter(kind)), ref.iter(kind))
    frame, expected = log.to_frame(START), ref.to_frame(START)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=True, check_exact=True)
    assert frame.dtypes.to_dict() == expected.dtypes.to_dict()
    for name in frame.columns[3:]:  # object columns hold the same Python objects
        if frame[name].dtype == object:
            assert same_events([dict(enumerate(frame[name]))], [dict(enumerate(expected[name]))])
