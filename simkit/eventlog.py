"""Event log: an append-only record of what happened in a simulation, as a DataFrame on demand.

Each record is a time (seconds since the start), a kind (``"pull"``,
``"import"`` ...) and any keyword fields.  Records are stored column-wise per
*layout* (a kind with a given tuple of field names): times in a float array,
layout codes in an int array and, per layout, one list per field.  That costs
roughly 12 bytes per record plus 8 per field value (plus the value objects
themselves), so millions of records are fine, and recording does not allocate
a container per record.

A failed command is rolled back with :meth:`EventLog.mark` and
:meth:`EventLog.truncate`.

Examples
--------
>>> import pandas as pd
>>> log = EventLog()
>>> log.record(0.0, "push", image="app:1.0", size=120)
>>> log.record(90.0, "pull", image="app:1.0", node="worker-0")
>>> log.to_frame(pd.Timestamp("2026-01-01", tz="UTC"))
                       time  seconds  kind    image  size      node
0 2026-01-01 00:00:00+00:00      0.0  push  app:1.0   120       NaN
1 2026-01-01 00:01:30+00:00     90.0  pull  app:1.0  <NA>  worker-0
"""

from __future__ import annotations

import datetime
import numbers
from array import array
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EventLog"]

#: Column names of :meth:`EventLog.to_frame` that fields cannot use.
RESERVED = frozenset({"time", "seconds", "kind"})

# Since pandas 3 Copy-on-Write is always on: a shallow copy of the cached frame
# is then as safe to hand out as a deep one.
_SHALLOW_COPY_IS_SAFE = int(pd.__version__.split(".")[0]) >= 3


class _Mark(int):
    """A row count from :meth:`EventLog.mark` that remembers when it was taken."""

    def __new__(cls, rows: int, owner: int, epoch: int) -> _Mark:
        mark = super().__new__(cls, rows)
        mark._owner = owner
        mark._epoch = epoch
        return mark


class EventLog:
    """An append-only log of simulation events.

    Records keep recording order.  The only way to remove records is to
    :meth:`truncate` back to a :meth:`mark` taken earlier, to undo what a
    failed command logged.

    Examples
    --------
    >>> log = EventLog()
    >>> log.record(5.0, "import", stream="app", ok=True)
    >>> log.record(7.5, "import", stream="db", ok=False)
    >>> len(log), log.kinds()
    (2, {'import': 2})
    >>> [event["stream"] for event in log.iter("import")]
    ['app', 'db']
    """

    def __init__(self) -> None:
        self._times = array("d")
        self._codes = array("i")  # layout code of each record
        self._layout_codes: dict[tuple[str, ...], int] = {}  # (kind, *fields) -> code
        self._layouts: list[tuple[str, tuple[str, ...]]] = []  # code -> (kind, fields)
        self._columns: list[tuple[list[Any], ...]] = []  # code -> one list per field
        self._truncations: list[int] = []  # row count after each truncate
        self._cache: tuple[tuple[int, int], pd.Timestamp, pd.DataFrame] | None = None

    def __len__(self) -> int:
        return len(self._times)

    def __repr__(self) -> str:
        return f"<EventLog {len(self)} records>"

    def record(self, time: float, kind: str, **fields: Any) -> None:
        """Append one event.

        Parameters
        ----------
        time : float
            Seconds since the start of the simulation.
        kind : str
            What happened, e.g. ``"pull"``.
        **fields
            Any values; ``None`` means missing.  The name ``seconds`` is
            reserved (it is a column of :meth:`to_frame`).

        Examples
        --------
        >>> log = EventLog()
        >>> log.record(1.5, "pull", image="app:1.0", bytes=1024)
        >>> len(log)
        1
        """
        key = (kind, *fields)
        code = self._layout_codes.get(key)
        if code is None:
            code = self._add_layout(key)
        self._times.append(time)
        self._codes.append(code)
        for column, value in zip(self._columns[code], fields.values(), strict=True):
            column.append(value)

    def _add_layout(self, key: tuple[str, ...]) -> int:
        kind, names = key[0], key[1:]
        if not isinstance(kind, str):
            raise TypeError(f"event kind must be a string, got {kind!r}")
        clash = RESERVED.intersection(names)
        if clash:
            raise ValueError(
                f"event field name(s) {sorted(clash)} are reserved for EventLog.to_frame columns"
            )
        code = len(self._layouts)
        self._layouts.append((kind, names))
        self._columns.append(tuple([] for _ in names))
        self._layout_codes[key] = code
        return code

    # -- rollback -------------------------------------------------------------------------

    def mark(self) -> int:
        """The current number of records, to :meth:`truncate` back to later.

        Examples
        --------
        >>> log = EventLog()
        >>> log.record(0.0, "create", name="a")
        >>> mark = log.mark()
        >>> log.record(1.0, "create", name="b")
        >>> log.truncate(mark)  # the command failed: forget what it logged
        >>> len(log)
        1
        """
        return _Mark(len(self), id(self), len(self._truncations))

    def truncate(self, mark: int) -> None:
        """Drop every record made after ``mark`` was taken.

        Parameters
        ----------
        mark : int
            A value returned by :meth:`mark` on this log.  Marks nest: after
            truncating to an inner mark, an outer (smaller) one still works.

        Raises
        ------
        ValueError
            If ``mark`` is beyond the end of the log, negative, from another
            log, or stale: the log was truncated below it after it was taken
            (so the rows it would keep are not the ones it counted).

        Examples
        --------
        >>> log = EventLog()
        >>> outer = log.mark()
        >>> log.record(0.0, "a")
        >>> inner = log.mark()
        >>> log.record(0.0, "b")
        >>> log.truncate(inner)
        >>> log.truncate(outer)
        >>> len(log)
        0
        >>> log.truncate(inner)
        Traceback (most recent call last):
        ...
        ValueError: cannot truncate the event log to 1 records: it has only 0
        """
        rows = int(mark)
        if rows != mark or rows < 0:
            raise ValueError(f"invalid event log mark {mark!r}")
        if rows > len(self):
            raise ValueError(
                f"cannot truncate the event log to {rows} records: it has only {len(self)}"
            )
        owner = getattr(mark, "_owner", None)
        if owner is not None and owner != id(self):
            raise ValueError("this mark was taken on another event log")
        epoch = getattr(mark, "_epoch", None)
        if epoch is not None and any(t < rows for t in self._truncations[epoch:]):
            raise ValueError(
                f"stale event log mark {rows}: the log was truncated below it after it was taken"
            )
        if rows == len(self):
            return
        for code, count in Counter(self._codes[rows:]).items():
            for column in self._columns[code]:
                del column[-count:]
        del self._times[rows:]
        del self._codes[rows:]
        self._truncations.append(rows)

    # -- reading --------------------------------------------------------------------------

    def kinds(self) -> dict[str, int]:
        """Number of records of each kind, in order of first appearance.

        Examples
        --------
        >>> log = EventLog()
        >>> for t, kind in enumerate(["pull", "push", "pull"]):
        ...     log.record(t, kind)
        >>> log.kinds()
        {'pull': 2, 'push': 1}
        """
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        codes = np.array(self._codes, dtype=np.intp)
        per_layout = np.bincount(codes, minlength=len(self._layouts))
        for code in np.flatnonzero(per_layout):
            kind = self._layouts[code][0]
            counts[kind] = counts.get(kind, 0) + int(per_layout[code])
            at = int(np.argmax(codes == code))
            first[kind] = min(first.get(kind, at), at)
        return {kind: counts[kind] for kind in sorted(counts, key=first.__getitem__)}

    def iter(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield records as dicts (``time``, ``kind`` and the fields), in recording order.

        Parameters
        ----------
        kind : str, optional
            Only records of this kind.

        Notes
        -----
        Records added while iterating are not included; do not truncate the
        log while iterating over it.

        Examples
        --------
        >>> log = EventLog()
        >>> log.record(0.0, "push", image="a")
        >>> log.record(2.0, "pull", image="a", node="n1")
        >>> list(log.iter())
        [{'time': 0.0, 'kind': 'push', 'image': 'a'}, \
{'time': 2.0, 'kind': 'pull', 'image': 'a', 'node': 'n1'}]
        >>> list(log.iter(kind="pull"))
        [{'time': 2.0, 'kind': 'pull', 'image': 'a', 'node': 'n1'}]
        """
        times, codes, layouts, columns = self._times, self._codes, self._layouts, self._columns
        position = [0] * len(layouts)
        for row in range(len(times)):
            code = codes[row]
            index = position[code]
            position[code] = index + 1
            row_kind, names = layouts[code]
            if kind is not None and row_kind != kind:
                continue
            event = {"time": times[row], "kind": row_kind}
            for name, column in zip(names, columns[code], strict=True):
                event[name] = column[index]
            yield event

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.iter()

    def to_frame(self, start: pd.Timestamp | str | datetime.datetime) -> pd.DataFrame:
        """All records as a DataFrame, one row per record in recording order.

        Parameters
        ----------
        start : pandas.Timestamp
            Wall-clock time of second 0.  A naive timestamp is taken as UTC.

        Returns
        -------
        pandas.DataFrame
            Columns ``time`` (UTC timestamps, ``start + seconds``),
            ``seconds`` (float), ``kind`` (categorical, categories in order of
            first appearance), then every field in order of first appearance.
            A field missing from a record (or recorded as ``None``) is NA.
            Field columns are typed from their values: all bools give
            ``boolean``; all ints give ``int64``, or nullable ``Int64`` when
            some are missing; ints and floats give ``float64`` (NaN when
            missing); strings give pandas' string dtype; anything else is
            inferred by pandas (``object`` if mixed).

        Notes
        -----
        The frame is cached until the log changes, so calling this again
        without new records is cheap.

        Examples
        --------
        >>> log = EventLog()
        >>> log.record(0.0, "pull", node="n1", bytes=10)
        >>> log.record(60.0, "gc", freed=2.5)
        >>> frame = log.to_frame(pd.Timestamp("2026-01-01"))
        >>> frame.dtypes.astype(str).to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'time': 'datetime64[ns, UTC]', 'seconds': 'float64', 'kind': 'category',
         'node': 'str', 'bytes': 'Int64', 'freed': 'float64'}
        >>> frame["time"].iloc[1]
        Timestamp('2026-01-01 00:01:00+0000', tz='UTC')
        """
        start = _utc(start)
        key = (len(self), len(self._truncations))
        cache = self._cache
        if cache is None or cache[0] != key or cache[1] != start:
            cache = self._cache = (key, start, self._build_frame(start))
        frame = cache[2]
        return frame.copy(deep=not _SHALLOW_COPY_IS_SAFE)

    def _build_frame(self, start: pd.Timestamp) -> pd.DataFrame:
        n = len(self)
        seconds = np.array(self._times, dtype=np.float64)
        codes = np.array(self._codes, dtype=np.intp)
        per_layout = np.bincount(codes, minlength=len(self._layouts))
        order = np.argsort(codes, kind="stable")
        ends = np.cumsum(per_layout)
        rows_of = {
            int(code): order[ends[code] - per_layout[code] : ends[code]]
            for code in np.flatnonzero(per_layout)
        }
        # Live layouts in order of their first record.
        live = sorted(rows_of, key=lambda code: rows_of[code][0])

        kinds: dict[str, int] = {}
        kind_of_layout = np.zeros(len(self._layouts), dtype=np.intp)
        fields: dict[str, list[int]] = {}  # field -> layouts that have it
        for code in live:
            kind, names = self._layouts[code]
            kind_of_layout[code] = kinds.setdefault(kind, len(kinds))
            for name in names:
                fields.setdefault(name, []).append(code)

        data: dict[str, Any] = {
            "time": start.as_unit("ns") + pd.to_timedelta(seconds, unit="s").as_unit("ns"),
            "seconds": seconds,
            "kind": pd.Categorical.from_codes(kind_of_layout[codes], categories=list(kinds)),
        }
        for name, layouts in fields.items():
            parts = []
            for code in layouts:
                index = self._layouts[code][1].index(name)
                parts.append((rows_of[code], self._columns[code][index]))
            data[name] = _field_column(n, parts)
        return pd.DataFrame(data)


def _field_column(n: int, parts: list[tuple[np.ndarray, list[Any]]]) -> Any:
    """One typed column of ``n`` rows from ``(row indices, values)`` parts; the rest is NA."""
    values = np.full(n, None, dtype=object)
    types: set[type] = set()
    for rows, part in parts:
        values[rows] = np.fromiter(part, dtype=object, count=len(part))
        types.update(map(type, part))
    covered = sum(len(rows) for rows, _ in parts)
    missing = covered < n or type(None) in types
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


def _utc(start: pd.Timestamp | str | datetime.datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(start)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")
