"""The cluster's objects, stored by kind, changed only through transactions.

A :class:`Transaction` stages copies of the objects it edits and the events it records;
:meth:`Transaction.commit` swaps them in at once, then tells the watchers (the
controllers, like informers do).  A transaction that is abandoned, for instance because
a command failed half-way, leaves the cluster and the event log exactly as they were.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

Key = tuple[str, str]
"""``(namespace, name)``; cluster-scoped objects use ``""`` as namespace."""

Watcher = Callable[[str, Key, Any, Any], None]
"""``watcher(kind, key, old, new)``; ``old`` is None on create, ``new`` None on delete."""

_Applied = list[tuple[str, Key, Any, Any]]
"""Committed changes, ``(kind, key, old, new)`` each (``Cluster.list`` hides ``list``)."""

_DELETED = object()


def _copier(cls: type) -> Callable[[Any], Any]:
    """The fastest faithful shallow copy for instances of ``cls``.

    A slotted, not frozen dataclass whose slots are exactly its fields, all set by
    ``__init__``, with no ``__post_init__``, ``__copy__`` or ``__new__`` of its own, is
    copied field by field: a bare instance given each field in order, which is what
    :func:`copy.copy` does too (it calls no ``__init__``) and what the dataclass's own
    ``__init__`` does when passed every field (so no default factory runs).  Anything
    else goes to :func:`copy.copy` (a frozen slotted dataclass has its own
    ``__setstate__``, so it would anyway).
    """
    hooks = ("__post_init__", "__copy__", "__reduce__", "__reduce_ex__", "__setstate__", "__new__")
    custom = any(getattr(cls, n, None) is not getattr(object, n, None) for n in hooks)
    if not dataclasses.is_dataclass(cls) or "__dict__" in dir(cls) or custom:
        return copy.copy
    if cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return copy.copy
    fields = dataclasses.fields(cls)
    slots: set[str] = set()
    for klass in cls.__mro__:
        declared = klass.__dict__.get("__slots__", ())
        slots.update((declared,) if isinstance(declared, str) else declared)
    names = tuple(f.name for f in fields)
    if not (all(f.init for f in fields) and slots == set(names) and names):
        return copy.copy
    return _field_copier(cls, names)


def _field_copier(cls: type, names: tuple[str, ...]) -> Callable[[Any], Any]:
    """A function copying the fields ``names`` of a ``cls`` into a bare instance.

    Generated source, as :mod:`dataclasses` writes ``__init__``: one plain attribute
    read and write per field.  Calling ``__init__`` with :func:`operator.attrgetter`'s
    tuple costs about twice as much, and a copy is made for every staged edit of the
    state.  Field names are identifiers (:mod:`dataclasses` checks them), so the source
    is always valid.
    """
    sets = "".join(f"    new.{name} = obj.{name}\n" for name in names)
    source = f"def copy(obj):\n    new = new_instance(cls)\n{sets}    return new\n"
    namespace: dict[str, Any] = {"cls": cls, "new_instance": object.__new__}
    exec(source, namespace)  # noqa: S102 (our own source, from dataclass field names)
    copier: Callable[[Any], Any] = namespace["copy"]
    return copier


class _Copiers(dict[type, Callable[[Any], Any]]):
    """The copier of each type, made the first time a type is copied."""

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        copier = self[cls] = _copier(cls)
        return copier


_COPIERS = _Copiers()


def shallow_copy(obj: Any) -> Any:
    """``copy.copy(obj)``, several times faster for the slotted dataclasses of the state.

    Examples
    --------
    >>> from simkit.state.images import TagReference
    >>> ref = TagReference("1", generation=2)
    >>> other = shallow_copy(ref)
    >>> other == ref and other is not ref and other.annotations is ref.annotations
    True
    """
    return _COPIERS[type(obj)](obj)


class Cluster:
    """Objects by kind and key, with watchers notified after each commit.

    Examples
    --------
    >>> cluster = Cluster()
    >>> with cluster.transaction(lambda kind, **fields: None) as tx:
    ...     tx.put("Namespace", ("", "demo"), {"name": "demo"})
    >>> cluster.get("Namespace", ("", "demo"))
    {'name': 'demo'}
    """

    def __init__(self) -> None:
        self._stores: dict[str, dict[Key, Any]] = {}
        self._namespaces: dict[str, dict[str, dict[Key, None]]] = {}
        self._watchers: dict[str, list[Watcher]] = {}
        self._versions: dict[str, int] = {}

    def store(self, kind: str) -> dict[Key, Any]:
        """The live dict of ``kind``; read it, change it only through a transaction."""
        return self._stores.setdefault(kind, {})

    def get(self, kind: str, key: Key) -> Any | None:
        """The committed object, or None."""
        return self._stores.get(kind, {}).get(key)

    def list(self, kind: str, namespace: str | None = None) -> list[Any]:
        """Committed objects of ``kind``, in creation order, optionally of one namespace."""
        # the objects :meth:`items` pairs with their keys, without the pairs (a tuple made
        # and dropped per object): the nightly pruner lists every image, pod, workload
        # and stream, and a transaction that staged nothing of a kind lists through here
        objects = self._stores.get(kind, {})
        if namespace is None:
            return list(objects.values())
        return [objects[key] for key in self._namespaces.get(kind, {}).get(namespace, {})]

    def items(self, kind: str, namespace: str | None = None) -> builtins.list[tuple[Key, Any]]:
        """``(key, object)`` pairs of ``kind`` in creation order (one namespace: indexed)."""
        objects = self._stores.get(kind, {})
        if namespace is None:
            return list(objects.items())
        keys = self._namespaces.get(kind, {}).get(namespace, {})
        return [(key, objects[key]) for key in keys]

    def version(self, kind: str) -> int:
        """A counter that moves whenever a committed change touches ``kind``.

        Equal versions mean the objects of ``kind`` are the same ones (objects change only
        by commits, which replace them): a cache of something computed from them is still
        valid.

        Examples
        --------
        >>> cluster = Cluster()
        >>> before = cluster.version("Secret")
        >>> with cluster.transaction(lambda kind, **fields: None) as tx:
        ...     tx.put("Secret", ("demo", "pull"), {"name": "pull"})
        >>> cluster.version("Secret") != before, cluster.version("Pod")
        (True, 0)
        """
        return self._versions.get(kind, 0)

    def watch(self, kind: str, watcher: Watcher) -> None:
        """Call ``watcher(kind, key, old, new)`` after every committed change of ``kind``."""
        self._watchers.setdefault(kind, []).append(watcher)

    def transaction(
        self,
        record: Callable[..., None],
        record_fields: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> Transaction:
        """A new transaction whose events go to ``record(kind, **fields)`` on commit.

        ``record_fields(kind, fields)``, when given, takes them instead, the same events
        with their fields as the dict :meth:`Transaction.record` packed (it is the
        transaction's own, so it can be kept): unpacking it into keywords for ``record``,
        which packs them into a new dict again, cost about 0.5 us per event.
        """
        return Transaction(self, record, record_fields)

    def _apply(self, changes: dict[tuple[str, Key], Any]) -> _Applied:
        applied = []
        versions, stores, namespaces = self._versions, self._stores, self._namespaces
        for (kind, key), new in changes.items():
            versions[kind] = versions.get(kind, 0) + 1
            # get before setdefault: a commit nearly always finds its kinds' dicts, and
            # setdefault would build a throwaway empty dict for each change
            store = stores.get(kind)
            if store is None:
                store = stores.setdefault(kind, {})
            index = namespaces.get(kind)
            if index is None:
                index = namespaces.setdefault(kind, {})
            old = store.get(key)
            if new is _DELETED:
                if key in store:
                    del store[key]
                    del index[key[0]][key]
                    applied.append((kind, key, old, None))
            else:
                if key not in store:
                    index.setdefault(key[0], {})[key] = None
                store[key] = new
                applied.append((kind, key, old, new))
        return applied

    def _notify(self, applied: _Applied) -> None:
        for kind, key, old, new in applied:
            for watcher in self._watchers.get(kind, ()):
                watcher(kind, key, old, new)


class Transaction:
    """Staged changes to a :class:`Cluster` and the events that describe them.

    Use it as a context manager: it commits when the block ends normally and discards
    everything when the block raises.
    """

    def __init__(
        self,
        cluster: Cluster,
        record: Callable[..., None],
        record_fields: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.cluster = cluster
        self._record = record
        self._record_fields = record_fields
        self._changes: dict[tuple[str, Key], Any] = {}
        self._kinds: dict[str, dict[Key, Any]] = {}
        self._events: list[tuple[str, dict[str, Any]]] = []
        self._after: list[Callable[[], object]] = []
        self.committed = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()

    def get(self, kind: str, key: Key) -> Any | None:
        """The object as this transaction sees it (staged, else committed)."""
        staged = self._changes.get((kind, key))
        if staged is None:
            # Cluster.get written out: transactions read before they write, every time
            store = self.cluster._stores.get(kind)
            return None if store is None else store.get(key)
        return None if staged is _DELETED else staged

    def list(self, kind: str, namespace: str | None = None) -> list[Any]:
        """Objects of ``kind`` as this transaction sees them."""
        staged = self._kinds.get(kind)
        if not staged:
            return self.cluster.list(kind, namespace)
        merged = dict(self.cluster.items(kind, namespace))
        for key, obj in staged.items():
            if namespace is not None and key[0] != namespace:
                continue
            if obj is _DELETED:
                merged.pop(key, None)
            else:
                merged[key] = obj
        return list(merged.values())

    def _stage(self, kind: str, key: Key, obj: Any) -> None:
        self._changes[(kind, key)] = obj
        staged = self._kinds.get(kind)  # not setdefault: that builds a dict every time
        if staged is None:
            staged = self._kinds[kind] = {}
        staged[key] = obj

    def edit(self, kind: str, key: Key) -> Any | None:
        """A private copy of the object to change in place; None if it does not exist."""
        staged = self._changes.get((kind, key))
        if staged is _DELETED:
            return None
        if staged is not None:
            return staged
        current = self.cluster.get(kind, key)
        if current is None:
            return None
        mine = current.copy() if hasattr(current, "copy") else copy.deepcopy(current)
        self._stage(kind, key, mine)
        return mine

    def put(self, kind: str, key: Key, obj: Any) -> None:
        """Create or replace the object."""
        self._stage(kind, key, obj)

    def delete(self, kind: str, key: Key) -> None:
        """Delete the object (a no-op if it does not exist at commit)."""
        self._stage(kind, key, _DELETED)

    def record(self, kind: str, **fields: Any) -> None:
        """Stage an event; it reaches the event log only if the transaction commits."""
        self._events.append((kind, fields))

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run ``callback()`` once the transaction has committed."""
        self._after.append(callback)

    def staged(self) -> Iterator[tuple[str, Key]]:
        """The ``(kind, key)`` pairs this transaction changes."""
        return iter(self._changes)

    def commit(self) -> None:
        """Apply the staged changes, write the events, then notify watchers."""
        if self.committed:
            return
        self.committed = True
        applied = self.cluster._apply(self._changes)
        record_fields = self._record_fields
        if record_fields is not None:
            for kind, fields in self._events:
                record_fields(kind, fields)
        else:
            for kind, fields in self._events:
                self._record(kind, **fields)
        self.cluster._notify(applied)
        for callback in self._after:
            callback()
