"""Event log: an append-only record of what happened in a simulation, as a DataFrame on demand.

Each record is a time (seconds since the start), a kind (``"pull"``,
``"import"`` ...) and any keyword fields.  Records are stored column-wise per
*layout* (a kind with a given tuple of field names): times in a float array,
layout codes in a byte array (wider once there are more than 256 layouts) and,
per layout, one column per field.

A layout's newest records are *hot*: one Python list per field, so recording
is a few list appends.  Every :data:`CHUNK_SIZE` records of a layout, the hot
lists are *frozen* into compact columns:

* all ``float``, all ``int`` (within int64) or all ``bool`` values: a numpy
  array (ints in the narrowest integer type that holds them);
* ``str`` values, some possibly ``None``, that repeat within the chunk (a
  namespace, a node, a decision): dictionary-encoded with
  :func:`pandas.factorize`, int8/int16 codes (``-1`` for ``None``) and the
  chunk's distinct strings once each;
* all ``None``: just the count;
* anything else, including strings new in nearly every record (pod names,
  digests) for which codes and a table would take more room than references:
  the list, unchanged.

In a simulated cluster's log a frozen record takes about 30 bytes besides the
distinct strings it refers to, against about 70 as lists (an 8-byte reference
per value, boxed floats and ints).  Reading gives back what was recorded:
values of the same type and value (frozen ``float``, ``int`` and ``bool``
values come back as Python objects, never numpy scalars), and the same
DataFrame as when every field was a list.

Beyond :data:`SPILL_AFTER` frozen records (over all layouts) the oldest frozen
chunks are *spilled*: pickled to a temporary file of the log's own, and read
back only to read the log (:meth:`EventLog.iter`, :meth:`EventLog.to_frame`,
or a truncate into a spilled chunk; :meth:`EventLog.kinds` and ``len`` do not
need them).  Records' times are kept apart, in blocks of
:data:`TIME_BLOCK_CHUNKS` chunks' worth of records (262,144), and the
blocks beyond ``spill_after`` records are spilled too.  So a spilled record
keeps about a byte in memory, its layout code, and nothing of the strings it
alone refers to: in a simulated cluster's log (benchmarks/eventlog_memory.py,
2 million records) about 11 bytes a record in all before times were spilled,
against 64 with every frozen chunk in memory (34 plus 30 of distinct strings)
and 100 as lists; a cluster-year's 22 million records keep 176 MB of times
fewer in memory.  On disk a spilled record takes about 115 bytes: a
string is written once per chunk column that refers to it, not shared as in
memory.  Recording is about 15% slower with every chunk spilled, and
:meth:`EventLog.to_frame` about 10%; the frames are the same.

:meth:`EventLog.frame` reads the records of some kinds only, and of them only the fields
asked for: only those kinds' layouts are read, chunk by chunk (a spilled chunk gives back
just the columns asked for), so its cost follows those records, not the log.  Its rows
and values are those of :meth:`EventLog.to_frame` filtered by kind.

A failed command is rolled back with :meth:`EventLog.mark` and
:meth:`EventLog.truncate`; truncating into a frozen chunk thaws it back to lists
(reading it back from the spill file if it was spilled).

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
import itertools
import numbers
import pickle
import sys
import tempfile
import weakref
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from operator import countOf
from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["CHUNK_SIZE", "NO_SPILL", "SPILL_AFTER", "EventLog"]

#: Column names of :meth:`EventLog.to_frame` that fields cannot use.
RESERVED = frozenset({"time", "seconds", "kind"})

#: Records of one layout per frozen chunk (see the module notes); an
#: :class:`EventLog` can be given another size.
CHUNK_SIZE = 16_384

#: Records of frozen chunks an :class:`EventLog` keeps in memory, over all its
#: layouts, before it spills the oldest to a temporary file (about 16 MB in a
#: simulated cluster's log: the records of the last few hours of a 5,000-stream
#: cluster); a log can be given another number.
SPILL_AFTER = 1 << 18

#: ``spill_after`` for a log that never spills: every frozen chunk stays in memory.
NO_SPILL = sys.maxsize

# Records counted at a time by EventLog.kinds.
_COUNT_BLOCK = 1 << 20

#: Records' times are sealed in blocks of this many chunks' worth of records (262,144
#: by default), and spilled with the frozen chunks beyond ``spill_after``.
TIME_BLOCK_CHUNKS = 16

# Since pandas 3 Copy-on-Write is always on: a shallow copy of the cached frame
# is then as safe to hand out as a deep one.
_SHALLOW_COPY_IS_SAFE = int(pd.__version__.split(".")[0]) >= 3

_NONE = type(None)
_STR = frozenset({str})
_STRINGS = frozenset({str, _NONE})
_NUMBERS = frozenset({float, int, bool})
# Integer types for frozen ints and dictionary codes, narrowest first.
_INT_TYPES: list[np.dtype[np.signedinteger[Any]]] = [
    np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)
]


class _Mark(int):
    """A row count from :meth:`EventLog.mark` that remembers when it was taken."""

    _owner: int
    _epoch: int

    def __new__(cls, rows: int, owner: int, epoch: int) -> _Mark:
        mark = super().__new__(cls, rows)
        mark._owner = owner
        mark._epoch = epoch
        return mark


# -- frozen columns -----------------------------------------------------------------------
#
# A frozen column holds the values of one field for one chunk of a layout: a _Typed,
# _Strings or _Missing column, or a plain list.  The column classes answer ``types``
# (the exact types of their values), ``values()`` (a new list of the recorded values,
# as Python objects) and ``objects()`` (the same as an object array); _values and
# _objects below also take lists.


class _Typed:
    """Values all of one exact type, ``float``, ``int`` or ``bool``, in a numpy array."""

    __slots__ = ("array", "types")

    def __init__(self, values: np.ndarray, kind: type) -> None:
        self.array = values
        self.types = frozenset({kind})

    def values(self) -> list[Any]:
        return self.array.tolist()

    def objects(self) -> np.ndarray:
        return self.array.astype(object)


class _Strings:
    """Strings and ``None``, dictionary-encoded: codes into the chunk's distinct
    strings, ``-1`` for ``None``."""

    __slots__ = ("codes", "table", "types")

    def __init__(self, codes: np.ndarray, table: np.ndarray, types: frozenset[type]) -> None:
        self.codes = codes
        self.table = table  # the distinct strings, then None (code -1)
        self.types = types

    def values(self) -> list[Any]:
        return self.table[self.codes].tolist()

    def objects(self) -> np.ndarray:
        return self.table[self.codes]


class _Missing:
    """Values all ``None``."""

    __slots__ = ("rows",)
    types = frozenset({_NONE})

    def __init__(self, rows: int) -> None:
        self.rows = rows

    def values(self) -> list[Any]:
        return [None] * self.rows

    def objects(self) -> np.ndarray:
        return np.full(self.rows, None, dtype=object)


_Column = _Typed | _Strings | _Missing | list[Any]
_Chunk = tuple[_Column, ...]  # one frozen column per field of the layout


class _Spilled:
    """A frozen chunk spilled to its log's spill file: each column pickled on its own,
    one after the other from ``offset``, ``sizes`` bytes each."""

    __slots__ = ("offset", "sizes")

    def __init__(self, offset: int, sizes: tuple[int, ...]) -> None:
        self.offset = offset
        self.sizes = sizes

    @property
    def end(self) -> int:
        """The offset just after the chunk."""
        return self.offset + sum(self.sizes)

    def column_at(self, index: int) -> int:
        """The offset of column ``index``."""
        return self.offset + sum(self.sizes[:index])


# Strings are dictionary-encoded when, in a sample of _RUNS runs of _RUN consecutive
# values spread over the chunk, fewer than _DISTINCT of the values are distinct: a field
# such as a namespace, node or stream name, or one repeated in consecutive records; not
# one new in (nearly) every record such as a pod name or a digest, where codes and a
# table would take more room than the list and time to build.
_RUNS = 32
_RUN = 32
_DISTINCT = 7 / 8


def _compact(values: list[Any]) -> _Column:
    """The compact column for one hot list (not empty); ``values`` is not changed."""
    rows = len(values)
    step = max(_RUN, rows // _RUNS)
    sample = list(
        itertools.chain.from_iterable(
            values[start : start + _RUN] for start in range(0, rows, step)
        )
    )
    kinds = set(map(type, sample))
    if kinds <= _STRINGS:
        if len(set(sample)) >= _DISTINCT * len(sample) > 1:
            return values
        strings = countOf(map(type, values), str)  # faster than a set of the types
        types = _STR if strings == rows else frozenset(map(type, values))
        if not types <= _STRINGS:
            return values
        if not strings:
            return _Missing(rows)
        codes, uniques = pd.factorize(np.fromiter(values, dtype=object, count=rows))
        table = np.empty(len(uniques) + 1, dtype=object)
        table[:-1] = uniques
        return _Strings(codes.astype(_narrowest(-1, len(uniques))), table, types)
    if len(kinds) != 1:
        return values
    (kind,) = kinds
    if kind not in _NUMBERS or countOf(map(type, values), kind) != rows:
        return values
    if kind is float:
        return _Typed(np.fromiter(values, dtype=np.float64, count=rows), float)
    if kind is bool:
        return _Typed(np.fromiter(values, dtype=np.bool_, count=rows), bool)
    try:
        ints = np.fromiter(values, dtype=np.int64, count=rows)
    except OverflowError:
        return values
    return _Typed(ints.astype(_narrowest(ints.min(), ints.max()), copy=False), int)


def _values(column: _Column) -> list[Any]:
    """The values of a frozen column, as recorded (a list not to be changed)."""
    return column if isinstance(column, list) else column.values()


def _objects(column: _Column) -> np.ndarray:
    """The values of a frozen column or a hot list, as an object array."""
    if isinstance(column, list):
        return np.fromiter(column, dtype=object, count=len(column))
    return column.objects()


def _narrowest(low: int, high: int) -> np.dtype:
    """The narrowest signed integer type that holds ``low`` and ``high``."""
    for dtype in _INT_TYPES:
        bounds = np.iinfo(dtype)
        if bounds.min <= low and high <= bounds.max:
            return dtype
    return _INT_TYPES[-1]


class EventLog:
    """An append-only log of simulation events.

    Records keep recording order.  The only way to remove records is to
    :meth:`truncate` back to a :meth:`mark` taken earlier, to undo what a
    failed command logged.

    Parameters
    ----------
    chunk_size : int, optional
        Records of one layout per frozen chunk; :data:`CHUNK_SIZE` by default.
    spill_after : int, optional
        Records of frozen chunks, over all layouts, kept in memory: beyond
        them the oldest frozen chunks are spilled to a temporary file and read
        back only when the log is read.  :data:`SPILL_AFTER` by default;
        ``0`` spills every chunk as soon as it is frozen; :data:`NO_SPILL`
        never spills.

    Raises
    ------
    ValueError
        If ``chunk_size`` is less than 1 or ``spill_after`` is negative.
    TypeError
        If ``spill_after`` is not a whole number (``True`` and ``False``
        included) or ``None``.

    Notes
    -----
    The spill file is created at the first spill (a small log never touches
    the disk), is private to the log and is deleted when the log is garbage
    collected.  It is in :func:`tempfile.gettempdir` (``TMPDIR``): if that is
    a RAM-backed file system (tmpfs), spilling saves no memory.  A chunk that
    cannot be spilled (a value :mod:`pickle` refuses, a full disk) stays in
    memory.  Values read back from a spilled chunk are equal copies of the
    recorded ones, of the same type.  A pickled or copied log takes its
    spilled chunks along (and spills them to a file of its own).

    Examples
    --------
    >>> log = EventLog()
    >>> log.record(5.0, "import", stream="app", ok=True)
    >>> log.record(7.5, "import", stream="db", ok=False)
    >>> len(log), log.kinds()
    (2, {'import': 2})
    >>> [event["stream"] for event in log.iter("import")]
    ['app', 'db']

    A log that spills its frozen chunks at once, and one that never spills:

    >>> log = EventLog(chunk_size=4, spill_after=0)
    >>> for second in range(10):
    ...     log.record(float(second), "tick", n=second)
    >>> log
    <EventLog 10 records, 8 spilled to disk>
    >>> [event["n"] for event in log][-3:]
    [7, 8, 9]
    >>> EventLog(spill_after=NO_SPILL)
    <EventLog 0 records>
    """

    def __init__(self, chunk_size: int | None = None, spill_after: int | None = None) -> None:
        chunk_size = CHUNK_SIZE if chunk_size is None else int(chunk_size)
        if chunk_size < 1:
            raise ValueError(f"event log chunk size must be positive, got {chunk_size}")
        self._chunk_size = chunk_size
        self._spill_after = _spill_after(spill_after)
        self._times = array("d")  # times of the records after the sealed blocks
        # sealed blocks of _time_block records' times, oldest first: in memory (array) or
        # spilled (the oldest ones, beyond spill_after records)
        self._time_blocks: list[array[float] | _Spilled] = []
        self._time_block = TIME_BLOCK_CHUNKS * chunk_size
        self._codes = array("B")  # layout code of each record; widened as layouts grow
        self._layout_codes: dict[tuple[str, ...], int] = {}  # (kind, *fields) -> code
        self._layouts: list[tuple[str, tuple[str, ...]]] = []  # code -> (kind, fields)
        self._columns: list[tuple[list[Any], ...]] = []  # code -> one hot list per field
        # code -> full chunks, oldest first: in memory, or spilled (the oldest ones)
        self._frozen: list[list[_Chunk | _Spilled]] = []
        self._resident: deque[tuple[int, int]] = deque()  # (code, number) in memory, oldest first
        self._spill_file: IO[bytes] | None = None  # created at the first spill
        self._spill_end = 0  # where the next spilled chunk goes
        self._truncations: list[int] = []  # row count after each truncate
        self._cache: tuple[tuple[int, int], pd.Timestamp, pd.DataFrame] | None = None

    def __len__(self) -> int:
        return len(self._times) + len(self._time_blocks) * self._time_block

    def __repr__(self) -> str:
        spilled = self._chunk_size * sum(
            isinstance(entry, _Spilled) for frozen in self._frozen for entry in frozen
        )
        if not spilled:
            return f"<EventLog {len(self)} records>"
        return f"<EventLog {len(self)} records, {spilled} spilled to disk>"

    def __getstate__(self) -> dict[str, Any]:
        """For pickle and copy: the spill file's bytes instead of the file, no cached frame."""
        state = self.__dict__.copy()
        state["_spill_file"] = None
        state["_cache"] = None
        state["_spilled_bytes"] = self._read(0, self._spill_end) if self._spill_end else b""
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        spilled = state.pop("_spilled_bytes")
        self.__dict__.update(state)
        if spilled:  # same bytes at the same offsets in a spill file of its own
            self._open_spill_file().write(spilled)

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
        self.record_fields(time, kind, fields)

    def record_fields(self, time: float, kind: str, fields: Mapping[str, Any]) -> None:
        """Append one event whose fields come as a mapping: :meth:`record` without ``**``.

        For a caller that already holds the fields in a dict (such as
        :meth:`simkit.simulation.Simulation.record`, which gets them as ``**fields``):
        passing the dict itself saves unpacking it into keywords and packing them into
        a new dict again, on every record.  The log keeps the values, not the mapping.

        Parameters
        ----------
        time : float
            Seconds since the start of the simulation.
        kind : str
            What happened, e.g. ``"pull"``.
        fields : mapping of str to any
            The fields, in order, as :meth:`record` takes them as keywords.

        Raises
        ------
        TypeError
            If ``kind`` or a field name is not a string.

        Examples
        --------
        >>> log = EventLog()
        >>> log.record_fields(1.5, "pull", {"image": "app:1.0", "bytes": 1024})
        >>> list(log)
        [{'time': 1.5, 'kind': 'pull', 'image': 'app:1.0', 'bytes': 1024}]
        """
        key = (kind, *fields)
        code = self._layout_codes.get(key)
        if code is None:
            code = self._add_layout(key)
        self._times.append(time)
        self._codes.append(code)
        columns = self._columns[code]
        if columns:
            # One append per field; list.append returns None, so any() runs them all.
            any(map(list.append, columns, fields.values()))
            if len(columns[0]) >= self._chunk_size:
                self._freeze(code)

    def _add_layout(self, key: tuple[str, ...]) -> int:
        kind, names = key[0], key[1:]
        if not isinstance(kind, str):
            raise TypeError(f"event kind must be a string, got {kind!r}")
        for name in names:  # always so for **fields; record_fields takes any mapping
            if not isinstance(name, str):
                raise TypeError(f"event field names must be strings, got {name!r}")
        clash = RESERVED.intersection(names)
        if clash:
            raise ValueError(
                f"event field name(s) {sorted(clash)} are reserved for EventLog.to_frame columns"
            )
        code = len(self._layouts)
        if code >= 1 << (8 * self._codes.itemsize):
            self._codes = array("H" if code < 1 << 16 else "i", self._codes)
        self._layouts.append((kind, names))
        self._columns.append(tuple([] for _ in names))
        self._frozen.append([])
        self._layout_codes[key] = code
        return code

    def _freeze(self, code: int) -> None:
        """Turn the hot lists of layout ``code`` into a frozen chunk.

        The lists are replaced, not emptied, so that an iterator reading them
        is not disturbed.
        """
        columns = self._columns[code]
        frozen = self._frozen[code]
        self._resident.append((code, len(frozen)))
        frozen.append(tuple(map(_compact, columns)))
        self._columns[code] = tuple([] for _ in columns)
        if len(self._resident) * self._chunk_size > self._spill_after:
            self._spill()
        if len(self._times) >= self._time_block:  # checked here, not on every record
            self._seal_times()

    def _seal_times(self) -> None:
        """Move the oldest full blocks of times out of the hot array into sealed blocks,
        spilling the oldest sealed blocks beyond ``spill_after`` records."""
        size, times, blocks = self._time_block, self._times, self._time_blocks
        while len(times) >= size:
            blocks.append(times[:size])
            del times[:size]
        resident = [i for i, block in enumerate(blocks) if not isinstance(block, _Spilled)]
        for i in resident[: max(0, len(resident) - self._spill_after // size)]:
            blocks[i] = self._write_times(blocks[i])  # type: ignore[arg-type]

    # -- spilling -------------------------------------------------------------------------
    #
    # Spilled chunks go to one temporary file per log, each column pickled on its own (so
    # that to_frame reads one field at a time), one chunk after the other in the order they
    # were spilled: the order they were frozen.  A truncate drops the newest chunks, so the
    # spilled ones it drops are at the end of the file, which it cuts off.

    def _spill(self) -> None:
        """Spill the oldest frozen chunks in memory until at most ``spill_after``
        frozen records are left in memory."""
        while len(self._resident) * self._chunk_size > self._spill_after:
            code, number = self._resident.popleft()
            frozen = self._frozen[code]
            chunk = frozen[number]
            assert not isinstance(chunk, _Spilled)  # _resident lists chunks in memory only
            frozen[number] = self._write(chunk)

    def _write(self, chunk: _Chunk) -> _Chunk | _Spilled:
        """Append ``chunk`` to the spill file; where it is, or the chunk itself if it
        cannot be written (it then stays in memory)."""
        try:
            return self._append([pickle.dumps(column, protocol=5) for column in chunk])
        except Exception:  # a value pickle refuses (any error its __reduce__ raises), a full disk
            return chunk

    def _write_times(self, block: array[float]) -> array[float] | _Spilled:
        """Append a sealed block of times to the spill file; where it is, or the block
        itself if it cannot be written."""
        try:
            return self._append([block.tobytes()])
        except OSError:  # a full disk: the block stays in memory
            return block

    def _append(self, blobs: list[bytes]) -> _Spilled:
        """Write ``blobs`` one after the other at the end of the spill file; where they
        are.  Raises what the file raises, leaving the end where it was."""
        file = self._spill_file or self._open_spill_file()
        file.seek(self._spill_end)
        file.writelines(blobs)
        spilled = _Spilled(self._spill_end, tuple(map(len, blobs)))
        self._spill_end = spilled.end
        return spilled

    def _times_of(self, block: array[float] | _Spilled) -> np.ndarray:
        """The times of a sealed block, read back if it was spilled."""
        if isinstance(block, _Spilled):
            return np.frombuffer(self._read(block.offset, block.sizes[0]), dtype=np.float64)
        return np.frombuffer(block, dtype=np.float64)

    def _all_times(self) -> np.ndarray:
        """The time of every record, in recording order, as a new array."""
        parts = [self._times_of(block) for block in self._time_blocks]
        return np.concatenate([*parts, np.array(self._times, dtype=np.float64)])

    def _times_at(self, rows: np.ndarray) -> np.ndarray:
        """The times of records ``rows`` (ascending), reading one sealed block at a time."""
        size, blocks = self._time_block, self._time_blocks
        seconds = np.empty(len(rows), dtype=np.float64)
        bounds = np.searchsorted(rows, np.arange(len(blocks) + 1) * size)
        for number, block in enumerate(blocks):
            low, high = bounds[number], bounds[number + 1]
            if low < high:
                seconds[low:high] = self._times_of(block)[rows[low:high] - number * size]
        hot = np.frombuffer(self._times, dtype=np.float64)
        seconds[bounds[-1] :] = hot[rows[bounds[-1] :] - len(blocks) * size]
        return seconds

    def _iter_times(self) -> Iterator[float]:
        """The time of each record as it is now, oldest first (records added later and
        blocks sealed meanwhile do not disturb it)."""
        blocks, hot = list(self._time_blocks), self._times[:]
        for block in blocks:
            yield from self._times_of(block).tolist()
        yield from hot

    def _open_spill_file(self) -> IO[bytes]:
        # Our own private file: unnamed (or unlinked at once), written and read only by
        # this log, closed and gone with it.  So pickle.loads only ever reads back what
        # pickle.dumps wrote here, never data from elsewhere.
        file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the log lives)
        weakref.finalize(self, file.close)
        self._spill_file = file
        return file

    def _read(self, offset: int, size: int) -> bytes:
        file = self._spill_file
        if file is None:
            raise RuntimeError("event log has no spill file to read from")
        file.seek(offset)
        return file.read(size)

    def _chunk(self, entry: _Chunk | _Spilled) -> _Chunk:
        """A frozen chunk, read back if it was spilled."""
        if not isinstance(entry, _Spilled):
            return entry
        data = memoryview(self._read(entry.offset, sum(entry.sizes)))
        bounds = itertools.pairwise(itertools.accumulate(entry.sizes, initial=0))
        return tuple(pickle.loads(data[start:end]) for start, end in bounds)

    def _column(self, entry: _Chunk | _Spilled, index: int) -> _Column:
        """Column ``index`` of a frozen chunk, read back if it was spilled."""
        if not isinstance(entry, _Spilled):
            return entry[index]
        return pickle.loads(self._read(entry.column_at(index), entry.sizes[index]))

    def _cut_spill_file(self) -> None:
        """Cut the spill file after its last chunk still in the log."""
        entries = itertools.chain(itertools.chain.from_iterable(self._frozen), self._time_blocks)
        end = max((entry.end for entry in entries if isinstance(entry, _Spilled)), default=0)
        if self._spill_file is not None and end < self._spill_end:
            self._spill_file.truncate(end)
        self._spill_end = end

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
        dropped = [self._drop(code, count) for code, count in Counter(self._codes[rows:]).items()]
        if self._drop_times(rows) or any(dropped):
            self._cut_spill_file()
        del self._codes[rows:]
        self._truncations.append(rows)

    def _drop_times(self, rows: int) -> bool:
        """Keep the times of the first ``rows`` records only, unsealing the block they
        end in (from the spill file if need be); whether a spilled block was dropped."""
        size, blocks = self._time_block, self._time_blocks
        whole, rest = divmod(rows, size)
        if whole >= len(blocks):
            del self._times[rows - len(blocks) * size :]
            return False
        self._times = array("d", self._times_of(blocks[whole])[:rest].tobytes())
        spilled = any(isinstance(block, _Spilled) for block in blocks[whole:])
        del blocks[whole:]
        return spilled

    def _drop(self, code: int, count: int) -> bool:
        """Drop the last ``count`` records of layout ``code``, thawing a chunk (from
        the spill file if need be); whether a spilled chunk was dropped."""
        columns = self._columns[code]
        if not columns:
            return False
        hot = len(columns[0])
        if count <= hot:
            for column in columns:
                del column[hot - count :]
            return False
        frozen = self._frozen[code]
        whole, rest = divmod(len(frozen) * self._chunk_size + hot - count, self._chunk_size)
        if rest:
            chunk = self._chunk(frozen[whole])
            self._columns[code] = tuple(_values(column)[:rest] for column in chunk)
        else:
            self._columns[code] = tuple([] for _ in columns)
        spilled = any(isinstance(entry, _Spilled) for entry in frozen[whole:])
        del frozen[whole:]
        self._resident = deque(
            (other, number) for other, number in self._resident if other != code or number < whole
        )
        return spilled

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
        codes = np.frombuffer(self._codes, dtype=np.dtype(self._codes.typecode))
        per_layout = np.zeros(len(self._layouts), dtype=np.int64)
        first_row = np.full(len(self._layouts), -1, dtype=np.int64)
        # a block at a time: bincount wants machine-size ints, 8 bytes a record at once
        for start in range(0, len(codes), _COUNT_BLOCK):
            block = codes[start : start + _COUNT_BLOCK].astype(np.intp)
            block_counts = np.bincount(block, minlength=len(self._layouts))
            for code in np.flatnonzero((block_counts > 0) & (first_row < 0)):
                first_row[code] = start + int(np.argmax(block == code))
            per_layout += block_counts
        for code in np.flatnonzero(per_layout):
            kind = self._layouts[code][0]
            counts[kind] = counts.get(kind, 0) + int(per_layout[code])
            at = int(first_row[code])
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
        codes, layouts = self._codes, self._layouts
        wanted = [kind is None or row_kind == kind for row_kind, _ in layouts]
        rows: list[Iterator[tuple[Any, ...]] | None] = [None] * len(layouts)
        for row, time in zip(range(len(self)), self._iter_times(), strict=False):
            code = codes[row]
            if not wanted[code]:
                continue
            values = rows[code]
            if values is None:
                values = rows[code] = self._rows(code)
            row_kind, names = layouts[code]
            event = {"time": time, "kind": row_kind}
            event.update(zip(names, next(values), strict=True))
            yield event

    def _rows(self, code: int) -> Iterator[tuple[Any, ...]]:
        """The field values of each record of layout ``code``, oldest first.

        Frozen chunks are read back (if spilled) and turned back into lists one at a
        time, as they are reached.
        """
        hot = self._columns[code]
        if not hot:
            return itertools.repeat(())
        chunks = list(self._frozen[code])
        thawed = (zip(*map(_values, self._chunk(entry)), strict=True) for entry in chunks)
        # Not strict: records added while iterating lengthen the lists, one at a time.
        return itertools.chain(itertools.chain.from_iterable(thawed), zip(*hot, strict=False))

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
        without new records is cheap.  Spilled chunks are read back one field
        at a time, each column once.

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
        seconds = self._all_times()
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
            # any list-like of categories (pandas docs); pandas-stubs want an Index
            "kind": pd.Categorical.from_codes(  # type: ignore[call-overload]
                kind_of_layout[codes], categories=list(kinds)
            ),
        }
        for name, layouts in fields.items():
            data[name] = _field_column(n, self._parts(name, layouts, rows_of))
        return pd.DataFrame(data)

    def _parts(
        self, name: str, layouts: list[int], rows_of: dict[int, np.ndarray]
    ) -> list[tuple[np.ndarray, _Column]]:
        """``(output rows, column)`` of field ``name`` for each chunk of ``layouts``, hot
        lists last; ``rows_of[code]`` are the output rows of layout ``code``'s records, in
        order.  A spilled chunk's column is read back on its own, once."""
        size = self._chunk_size
        parts: list[tuple[np.ndarray, _Column]] = []
        for code in layouts:
            index = self._layouts[code][1].index(name)
            rows, frozen = rows_of[code], self._frozen[code]
            for number, entry in enumerate(frozen):
                column = self._column(entry, index)
                parts.append((rows[number * size : (number + 1) * size], column))
            parts.append((rows[len(frozen) * size :], self._columns[code][index]))
        return parts

    def frame(
        self,
        kinds: str | Iterable[str],
        columns: Iterable[str] | None = None,
        *,
        start: pd.Timestamp | str | datetime.datetime,
        having: Iterable[str] = (),
    ) -> pd.DataFrame:
        """The records of ``kinds`` only, with only ``columns``, as a DataFrame.

        Only the layouts of those kinds are read, chunk by chunk, and of them only the
        requested fields (a spilled chunk gives back just those columns); the log's
        other records are never turned into values.

        Parameters
        ----------
        kinds : str or iterable of str
            The kinds wanted.  A kind with no records gives no rows.
        columns : iterable of str, optional
            The fields wanted, in this order; by default every field of the records
            of ``kinds``, in order of first appearance.  A field no record of
            ``kinds`` has is left out.
        start : pandas.Timestamp
            Wall-clock time of second 0.  A naive timestamp is taken as UTC.

        Returns
        -------
        pandas.DataFrame
            ``time``, ``seconds`` and ``kind`` (categorical, its categories the kinds
            present in order of first appearance), then the fields, indexed by the
            records' positions in the log: the same rows and values as filtering
            :meth:`to_frame` by ``kind``.  A field column is typed from the values of
            these records alone, by the rules of :meth:`to_frame` (so a field that
            is never missing here is ``int64`` where the whole log's column is
            ``Int64``).
        having : iterable of str, optional
            Only records that have every one of these fields (recorded, even as
            ``None``): a record's fields are known from its layout, so the records
            left out are never read (a successful pull's ``credential``, say, leaves
            out the far more numerous pulls of images already present).

        Examples
        --------
        >>> log = EventLog()
        >>> log.record(0.0, "push", image="app:1", size=120)
        >>> log.record(60.0, "pull", image="app:1", node="n1", bytes=120)
        >>> log.record(90.0, "pull", image="app:2", node="n2")
        >>> log.frame("pull", ["node", "bytes"], start="2026-01-01")
                               time  seconds  kind node  bytes
        1 2026-01-01 00:01:00+00:00     60.0  pull   n1    120
        2 2026-01-01 00:01:30+00:00     90.0  pull   n2   <NA>
        >>> log.frame("pull", ["node"], start="2026-01-01", having=["bytes"])
                               time  seconds  kind node
        1 2026-01-01 00:01:00+00:00     60.0  pull   n1
        """
        start = _utc(start)
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        unknown = [k for k in wanted if not isinstance(k, str)]
        if unknown:
            raise TypeError(f"event kinds must be strings, got {unknown[0]!r}")
        required = frozenset([having] if isinstance(having, str) else having)
        layouts = self._layouts
        selected = np.zeros(len(layouts) + 1, dtype=np.bool_)
        for code, (kind, names) in enumerate(layouts):
            selected[code] = kind in wanted and required.issubset(names)
        all_codes = np.frombuffer(self._codes, dtype=np.dtype(self._codes.typecode))
        rows = np.flatnonzero(selected[all_codes]) if len(all_codes) else np.zeros(0, np.intp)
        codes = all_codes[rows]
        rows_of = {
            int(code): np.flatnonzero(codes == code)
            for code in np.flatnonzero(selected)
            if code < len(layouts)
        }
        live = sorted(
            (code for code in rows_of if len(rows_of[code])), key=lambda code: rows_of[code][0]
        )
        kind_codes: dict[str, int] = {}
        kind_of_layout = np.zeros(len(layouts) + 1, dtype=np.intp)
        fields: dict[str, list[int]] = {}
        for code in live:
            kind, names = layouts[code]
            kind_of_layout[code] = kind_codes.setdefault(kind, len(kind_codes))
            for name in names:
                fields.setdefault(name, []).append(code)
        if columns is not None:
            columns = [columns] if isinstance(columns, str) else list(columns)
            fields = {name: fields[name] for name in dict.fromkeys(columns) if name in fields}
        seconds = self._times_at(rows)
        n = len(rows)
        data: dict[str, Any] = {
            "time": start.as_unit("ns") + pd.to_timedelta(seconds, unit="s").as_unit("ns"),
            "seconds": seconds,
            "kind": pd.Categorical.from_codes(
                kind_of_layout[codes], categories=pd.Index(list(kind_codes))
            ),
        }
        for name, codes_with in fields.items():
            data[name] = _field_column(n, self._parts(name, codes_with, rows_of))
        frame = pd.DataFrame(data)  # (a string field's column is a Series on 0..n-1)
        frame.index = pd.Index(rows, dtype=np.int64)
        return frame


def _spill_after(records: int | None) -> int:
    """The ``spill_after`` argument of :class:`EventLog`, checked; ``None`` is the default."""
    if records is None:
        return SPILL_AFTER
    if isinstance(records, bool) or not isinstance(records, numbers.Integral):
        raise TypeError(
            f"event log spill_after must be a whole number of records or None, got {records!r}"
            " (NO_SPILL keeps every frozen chunk in memory)"
        )
    if records < 0:
        raise ValueError(f"event log spill_after must be 0 or more records, got {records}")
    return int(records)


def _field_column(n: int, parts: list[tuple[np.ndarray, _Column]]) -> Any:
    """One typed column of ``n`` rows from ``(row indices, values)`` parts; the rest is NA.

    The column is what :func:`_infer` makes of all the values in one object
    array.  Columns of bools, ints, or ints and floats are built directly from
    the frozen numpy arrays instead, to the same result; if that fails (say an
    int beyond int64), the general path decides.
    """
    types: set[type] = set()
    for _, part in parts:
        types.update(map(type, part) if isinstance(part, list) else part.types)
    covered = sum(len(rows) for rows, _ in parts)
    missing = covered < n or _NONE in types
    types.discard(_NONE)
    try:
        if types == {bool}:
            return _booleans(n, parts)
        if types == {int}:
            return _integers(n, parts, missing)
        if types == {float} or types == {int, float}:
            return _floats(n, parts)
    except (OverflowError, TypeError, ValueError):
        pass
    values = np.full(n, None, dtype=object)
    for rows, part in parts:
        values[rows] = _objects(part)
    return _infer(values, types, missing)


def _infer(values: np.ndarray, types: set[type], missing: bool) -> Any:
    """The column for ``values`` (an object array; ``None`` is missing) of ``types``."""
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
        # numpy compares an object array with None elementwise; its stubs refuse None
        values[np.equal(values, None)] = np.nan  # type: ignore[call-overload]
        return values.astype(np.float64)
    return pd.Series(values).infer_objects()


def _typed_parts(
    parts: list[tuple[np.ndarray, _Column]],
) -> Iterable[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """``(rows, values, is_none)`` per part with values: a numeric array (``is_none``
    None), or an object array with its ``None`` positions; parts of only ``None`` are
    left out."""
    for rows, part in parts:
        if isinstance(part, _Typed):
            yield rows, part.array, None
        elif not isinstance(part, _Missing):
            values = _objects(part)
            yield rows, values, np.equal(values, None)  # type: ignore[call-overload]  # as above


def _booleans(n: int, parts: list[tuple[np.ndarray, _Column]]) -> Any:
    """As ``pd.array(values, dtype="boolean")`` for bools and ``None``."""
    data = np.zeros(n, dtype=np.bool_)
    mask = np.ones(n, dtype=np.bool_)
    for rows, values, is_none in _typed_parts(parts):
        if is_none is not None:
            values[is_none] = False
            mask[rows] = is_none
        else:
            mask[rows] = False
        data[rows] = values.astype(np.bool_)
    return pd.arrays.BooleanArray(data, mask)


def _integers(n: int, parts: list[tuple[np.ndarray, _Column]], missing: bool) -> Any:
    """As ``values.astype(np.int64)``, or ``pd.array(values, dtype="Int64")`` if
    ``missing``, for ints and ``None``; OverflowError if an int is beyond int64."""
    data = np.ones(n, dtype=np.int64)  # pandas fills missing ints with 1 too
    mask = np.ones(n, dtype=np.bool_)
    for rows, values, is_none in _typed_parts(parts):
        if is_none is not None:
            values[is_none] = 1
            mask[rows] = is_none
        else:
            mask[rows] = False
        data[rows] = values.astype(np.int64)
    if not missing:
        return data
    return pd.arrays.IntegerArray(data, mask)


def _floats(n: int, parts: list[tuple[np.ndarray, _Column]]) -> np.ndarray:
    """As ``values.astype(np.float64)`` with ``None`` as NaN, for ints, floats and ``None``."""
    data = np.full(n, np.nan)
    for rows, values, is_none in _typed_parts(parts):
        if is_none is not None:
            values[is_none] = np.nan
        data[rows] = values.astype(np.float64)
    return data


def _utc(start: pd.Timestamp | str | datetime.datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(start)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")
