"""``EventLog.frame``: per-kind frames read chunk by chunk, the same as filtering ``to_frame``.

The property: for any records (any layouts, frozen, spilled or hot, after marks and
truncates), ``log.frame(kinds, columns)`` has exactly the rows of ``to_frame`` whose kind
is one of ``kinds``, indexed by their log positions, with the same values in every
column; each column is typed as ``to_frame`` types the records of those kinds alone
(checked against a log holding only them); and a field of the whole log that the frame
leaves out is missing in every one of its rows.
"""

from __future__ import annotations

import contextlib
import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.eventlog import EventLog
from simkit.events import POD_STATUS, PULL

START = pd.Timestamp("2026-01-01T00:00:00Z")
NAMES = ["a", "b", "c", "d"]
KINDS = ["pull", "push", "gc", "tag"]
VALUES = {
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "int": st.integers(-130, 130),
    "big int": st.integers(-(2**64), 2**64),
    "bool": st.booleans(),
    "word": st.sampled_from(["x", "y", "zz", "", None]),
    "text": st.text(max_size=3),
    "None": st.none(),
    "mixed": st.sampled_from([1.5, 3, "x", None, True, (1, 2)]),
}


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _same(a: object, b: object) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b)
    return bool(a == b) and isinstance(a, bool) == isinstance(b, bool)


def check_frame(log: EventLog, kinds: list[str], columns: list[str] | None) -> None:
    full = log.to_frame(START)
    got = log.frame(kinds, columns, start=START)
    rows = np.flatnonzero(full["kind"].astype(str).isin(kinds).to_numpy())
    assert got.index.tolist() == rows.tolist()
    expected = full.iloc[rows]
    assert got.columns[:3].tolist() == ["time", "seconds", "kind"]
    assert (got["time"] == expected["time"]).all()
    assert got["seconds"].tolist() == expected["seconds"].tolist()
    assert got["kind"].astype(str).tolist() == expected["kind"].astype(str).tolist()
    fields = list(got.columns[3:])
    if columns is not None:
        assert fields == [c for c in dict.fromkeys(columns) if c in fields]
    for name in fields:
        assert all(
            _same(a, b)
            for a, b in zip(got[name].astype(object), expected[name].astype(object), strict=True)
        )
    for name in full.columns[3:]:
        if name not in fields and (columns is None or name in columns):
            assert all(map(_missing, expected[name].astype(object))), name
    # typed from these records alone: as to_frame of a log that holds only them
    alone = EventLog()
    for record in log:
        if record["kind"] in kinds:
            time, kind = record.pop("time"), record.pop("kind")
            alone.record(time, kind, **record)
    reference = alone.to_frame(START)
    reference = reference[[*reference.columns[:3], *fields]]
    reference.index = got.index
    pd.testing.assert_frame_equal(got, reference, check_exact=True)


@given(data=st.data(), chunk_size=st.integers(1, 5), spill_after=st.none() | st.integers(0, 8))
@settings(max_examples=100, deadline=None)
def test_frame_is_to_frame_filtered_by_kind(data, chunk_size, spill_after) -> None:
    flavour = {n: data.draw(st.sampled_from(sorted(VALUES)), label=n) for n in NAMES}
    log = EventLog(chunk_size=chunk_size, spill_after=spill_after)
    marks = []
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        action = data.draw(st.sampled_from(["record"] * 8 + ["mark", "truncate"]))
        if action == "record":
            names = data.draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
            log.record(
                data.draw(st.floats(0, 1e6)),
                data.draw(st.sampled_from(KINDS)),
                **{n: data.draw(VALUES[flavour[n]]) for n in names},
            )
        elif action == "mark":
            marks.append(log.mark())
        elif marks:
            with contextlib.suppress(ValueError):  # a stale mark
                log.truncate(data.draw(st.sampled_from(marks)))
    kinds = data.draw(st.lists(st.sampled_from([*KINDS, "never"]), unique=True, max_size=3))
    columns = data.draw(st.none() | st.lists(st.sampled_from([*NAMES, "nothing"]), max_size=4))
    check_frame(log, kinds, columns)
    check_frame(pickle.loads(pickle.dumps(log)), kinds, columns)


def test_frame_reads_only_the_chunks_of_its_kinds(monkeypatch) -> None:
    log = EventLog(chunk_size=4, spill_after=0)
    for second in range(40):
        log.record(float(second), "tick", n=second, s=str(second))
        if second % 10 == 0:
            log.record(float(second), "tock", m=second)
    read = []
    original = EventLog._column

    def column(self, entry, index):
        code = next(c for c, frozen in enumerate(self._frozen) if any(e is entry for e in frozen))
        read.append((self._layouts[code][0], index))
        return original(self, entry, index)

    monkeypatch.setattr(EventLog, "_column", column)
    frame = log.frame("tick", ["s"], start=START)
    assert frame["s"].tolist() == [str(i) for i in range(40)]
    assert read == [("tick", 1)] * 10  # every spilled chunk of tick, its column s only
    read.clear()
    assert log.frame(["tock"], start=START)["m"].tolist() == [0, 10, 20, 30]
    assert read == [("tock", 0)]


def test_frame_arguments() -> None:
    log = EventLog()
    log.record(1.0, "pull", node="n")
    assert log.frame([], start=START).empty
    assert list(log.frame("pull", "node", start=START).columns) == [
        "time",
        "seconds",
        "kind",
        "node",
    ]
    assert log.frame("pull", [], start=START).columns.tolist() == ["time", "seconds", "kind"]
    with pytest.raises(TypeError, match="kinds must be strings"):
        log.frame([1], start=START)
    with pytest.raises(TypeError):
        log.frame("pull")  # start is required


def test_events_of_a_simulation_matches_events_filtered() -> None:
    sim = sk.Simulation()
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1.0")
    sim.run_pod("default", "quay.io/acme/app:1.0")
    sim.advance("5m")
    every = sim.events
    pulls = sim.events_of(PULL, POD_STATUS, columns=["node", "decision", "status"])
    expected = every[every["kind"].isin([PULL, POD_STATUS])]
    assert len(pulls) > 1 and pulls.index.tolist() == expected.index.tolist()
    assert pulls["decision"].astype(object).where(pulls["decision"].notna(), None).tolist() == (
        expected["decision"].astype(object).where(expected["decision"].notna(), None).tolist()
    )


def test_having_keeps_the_records_with_those_fields_only() -> None:
    """``having`` selects by layout: the records that have every named field (even as
    None), as filtering the whole frame on those fields' layouts would."""
    log = EventLog(chunk_size=2, spill_after=0)
    for i in range(20):
        if i % 3 == 0:
            log.record(float(i), "pull", node=f"n{i % 2}", decision="cached")
        elif i % 3 == 1:
            log.record(float(i), "pull", node=f"n{i % 2}", decision="pulled", credential=None)
        else:
            log.record(float(i), "push", node="x", credential="secret:a/b")
    start = pd.Timestamp("2026-01-01", tz="UTC")
    got = log.frame("pull", ["node", "decision"], start=start, having=["credential"])
    assert got.index.tolist() == [i for i in range(20) if i % 3 == 1]
    assert set(got["decision"]) == {"pulled"}
    everything = log.frame("pull", ["node", "decision"], start=start)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True),
        everything.loc[got.index]
        .reset_index(drop=True)
        .assign(kind=lambda f: f["kind"].cat.remove_unused_categories()),
        check_dtype=False,
    )
    assert log.frame("pull", start=start, having="nothing").empty
