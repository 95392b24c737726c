"""The scheduled image import controller, as openshift-controller-manager builds it.

Streams with scheduled tags sit in ``buckets + 1`` buckets (4 by default; 8 when the
interval is over an hour, 2 when under ten minutes).  One worker visits the current
bucket's streams one at a time, moving each to the bucket behind the current one; when
the bucket is empty it advances and waits for the bucket limiter (``buckets`` tokens per
interval, burst 1), so each stream comes round once per interval.  A visit imports
all the stream's scheduled tags in one ImageStreamImport, if the cluster-wide limiter
(``max/60`` tokens a second, burst ``2*max``) has a token; otherwise the stream waits
for its next visit.  Imports are serial and take ``config.import_latency`` each.

Sources: ``pkg/image/controller/scheduler.go``, ``scheduled_image_controller.go`` and
``factory.go`` (``Buckets``, ``BucketsToQPS``, ``GetRateLimiter``), openshift-controller-manager
26d20feae889; client-go ``util/flowcontrol/throttle.go`` and golang.org/x/time/rate (a token
bucket starts full).

The first visit.  "Every 15 minutes" is the period between visits, not the wait for the
first one.  The worker starts with the controller and never stops: on an empty bucket it
advances and waits for the bucket limiter, whose first token is there at once, so the
position moves at the controller's start and then once per bucket period ``T = interval /
buckets`` (225 s by default), scheduled streams or not.  Every write to a stream with a
scheduled tag (``oc tag --scheduled`` and the import it triggers at once) calls ``Add``,
which puts the stream in the emptiest bucket, trying the furthest from the current one
first; alone in the scheduler it lands in the bucket behind the current one, ``buckets``
advances away.  The current bucket comes at the next token, ``w`` seconds after the write
(``0 < w <= T``, set by the phase of the controller's start), so the first scheduled import
comes ``interval + w`` after the stream's last write: 15 min to 18 min 45 s by default.  A
rebuild a minute after ``oc tag --scheduled`` is therefore picked up 14 to 17 min 45 s
later.  With other streams scheduled, ``Add`` may pick a nearer, emptier bucket, so the
bound is ``interval + T`` after the last write, while the cluster-wide limiter has a token
(it too starts full).  simkit's controller starts at the simulation's start (time 0) and
keeps Go's clock: while no stream is scheduled its worker sleeps, and an ``Add`` first
replays the advances Go's worker made meanwhile (``_catch_up``).
:func:`simkit.analysis.throttle.first_visit` computes the instant.

Visit order.  ``scheduler.next`` takes "the first" key of a Go map, and Go starts every
map iteration at a random position, so the worker visits a bucket in random order.
simkit's default, ``visit_order = "random"``, visits each bucket in a random
permutation drawn from ``sim.rng`` (deterministic for a seed), as Go does.  The
alternative ``visit_order = "insertion"`` agrees while the limiter has tokens for every
stream, but not once it throttles: the same streams come first in every pass and get
every token, and the others wait until churn moves them up, or forever::

    sim.scheduled_import_controller.visit_order = "insertion"

The cost of a simulated interval is proportional to the imports performed: streams
refused by the limiter are moved in bulk, not visited one event at a time.

Unchanged imports.  Most scheduled imports find what the stream already holds: the
server then writes nothing (``rest.go`` updates the stream only when something
changed), so they leave no trace but their cost.  After an import in which every tag
succeeded, the controller knows the stream's next import changes nothing until one of
its inputs changes: the stream (its watch), a source repository's tags (a push, a tag
move or deletion), a source registry (an outage, its users, TLS, delegated auth or a
rate limit; a registry with a rate limit is never skipped, as each request counts),
a Secret or ServiceAccount (credentials), or a deleted Image (the import would create
it again).  A run of such "unchanged" streams at the front of the bucket is visited
in one step: the limiter's tokens and the serial latency are accounted exactly, and
the run is logged as one ``scheduled_import_unchanged`` event with its count instead
of one ``import`` event per stream.  A change during the run ends it at that instant:
streams whose import had finished stay counted, the one in flight is imported for
real when it finishes (it sees the change, as it would in Go), the rest go back to
the front of the bucket.  ``skip_unchanged = False`` imports every stream for real;
the tests check that both give the same cluster::

    sim.scheduled_import_controller.skip_unchanged = False
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from simkit.controllers.ratelimit import TokenBucket
from simkit.engine import Timer
from simkit.refs import InvalidReference
from simkit.rules.import_buckets import bucket_count
from simkit.rules.import_selection import reset_scheduled_tags, scheduled_tags, tags_to_import
from simkit.state.cluster import shallow_copy
from simkit.state.registries import registry_address

if TYPE_CHECKING:
    from simkit.simulation import Simulation
    from simkit.state.images import ImageStream

Key = tuple[str, str]
Id = int  # a stream's number in the controller's key table (``_keys``)

VISIT_ORDERS = ("insertion", "random")
"""How a bucket's streams are visited: insertion order, or Go's random map order (default)."""


@dataclass(slots=True)
class _UnchangedRun:
    """Streams being visited in one step: ``ids[j]`` is visited at ``start + j * latency``
    and its (unchanged) import finishes one latency later."""

    start: float
    ids: list[Id]
    tokens: float  # the limiter's tokens at ``start``, before the first visit
    timer: Timer
    names: list[Key]  # the controller's key table: ``names[i]`` is stream ``i``
    # id -> its place in ``ids``, built when first asked (most runs end unasked)
    index: dict[Id, int] | None = None

    @property
    def keys(self) -> list[Key]:
        """The run's streams as ``(namespace, name)`` keys, in visit order."""
        return [self.names[i] for i in self.ids]

    def position(self, stream: Id) -> int | None:
        """Where ``stream`` is in the run, or None."""
        if self.index is None:
            self.index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self.index.get(stream)


def _same_import_inputs(old: ImageStream | None, new: ImageStream | None) -> bool:
    """Whether an import reads the same from ``new`` as from ``old``: spec tags,
    annotations, and each status tag's newest event and conditions.  Older history
    (what the pruner removes) is not read, so a change to it alone leaves an unchanged
    import unchanged."""
    if old is None or new is None:
        return False
    if old.spec_tags != new.spec_tags or old.annotations != new.annotations:
        return False
    if old.status_tags.keys() != new.status_tags.keys():
        return False
    for tag, history in new.status_tags.items():
        before = old.status_tags[tag]
        if history.conditions != before.conditions:
            return False
        if (history.items[:1] or None) != (before.items[:1] or None):
            return False
    return True


class ScheduledImportController:
    """Re-imports scheduled tags about once per ``config.scheduled_import_interval``."""

    def __init__(self, sim: Simulation) -> None:
        config = sim.config
        self.sim = sim
        self.enabled = not config.disable_scheduled_import
        self.interval = float(config.scheduled_import_interval)
        buckets = bucket_count(self.interval, config.scheduled_import_buckets)
        # Streams are numbered when first scheduled (numbers are never reused: a stream
        # deleted and created again keeps its number), and the buckets are arrays indexed
        # by number: a pass moves every stream of a bucket, most of them refused by the
        # limiter, and numpy moves them in a few vector operations where a dict per bucket
        # hashed each cold ``(namespace, name)`` key twice.  A bucket's order is Go-free
        # (only its shuffle by ``sim.rng`` matters, and that draws as a dict did): a stream
        # is in bucket ``_where[i]`` (-1: none), which orders its streams by ``_stamp``,
        # the instant of insertion, as a dict orders its keys; the bucket being visited is
        # in the order of ``_queue[_cursor:]`` once shuffled (None: not yet this pass).
        # The pass is a list, not an array: a visit reads a stream or two, and a run of
        # unchanged streams a dozen on average, where numpy's per-call cost (tens of
        # microseconds amid the rest of the model, whose work evicts its code from the
        # caches) was most of the step; the bulk moves still write the arrays at once.
        self._ids: dict[Key, Id] = {}
        self._keys: list[Key] = []
        self._where = np.full(64, -1, dtype=np.int8)
        self._stamp = np.zeros(64, dtype=np.int64)
        # ``i in _clean`` as one byte a stream: a run's scan reads these contiguous flags
        # (the dict's scattered keys cost a cache miss or more each)
        self._known = bytearray(64)
        self._sizes = [0] * (buckets + 1)
        self._next_stamp = 0
        self._queue: list[Id] | None = None
        self._cursor = 0
        self.position = 0
        self.bucket_limiter = TokenBucket(buckets / self.interval, 1)
        per_minute = config.max_scheduled_imports_per_minute
        self.limiter = TokenBucket(per_minute / 60.0, 2 * per_minute) if per_minute > 0 else None
        self.latency = float(config.import_latency)
        self._visits = 0
        self._imports = 0
        self.throttled = 0
        self.advances = 0
        self._running = False
        # Go's worker starts with the controller and never stops: over empty buckets it
        # advances once per limiter token.  simkit's worker sleeps while no stream is
        # scheduled and replays those advances when one is added (``_catch_up``); this is
        # the instant from which it has been idle, about to take the next bucket.
        self._idle_since: float | None = sim.engine.now
        self._visit_order = "random"
        self.skip_unchanged = True
        self._unchanged = 0  # imports known to change nothing, counted not performed
        # stream -> the tags its import asks for, their (host, repository) sources and
        # the images it found
        self._clean: dict[Id, tuple[list[str], tuple[tuple[str, str], ...], tuple[str, ...]]]
        self._clean = {}
        self._by_source: dict[tuple[str, str], set[Id]] = {}
        self._by_image: dict[str, set[Id]] = {}
        self._run_in_flight: _UnchangedRun | None = None
        sim.cluster.watch("ImageStream", self._on_change)
        for kind in ("Secret", "ServiceAccount"):
            sim.cluster.watch(kind, self._on_credentials_change)
        sim.cluster.watch("Image", self._on_image_change)

    @property
    def visit_order(self) -> str:
        """``"random"`` (the default: Go's map iteration order) or ``"insertion"``."""
        return self._visit_order

    @visit_order.setter
    def visit_order(self, order: str) -> None:
        if order not in VISIT_ORDERS:
            raise ValueError(
                f"visit_order: expected one of {', '.join(VISIT_ORDERS)}, got {order!r}"
            )
        self._visit_order = order

    @property
    def buckets(self) -> list[dict[Key, None]]:
        """The buckets' streams as ``(namespace, name)`` keys, each bucket in its order
        (a copy: the controller keeps them by number).

        Examples
        --------
        >>> import simkit as sk
        >>> sim = sk.Simulation()
        >>> len(sim.scheduled_import_controller.buckets)  # 4 + the current one
        5
        """
        keys = self._keys
        return [{keys[i]: None for i in self._order(slot).tolist()} for slot in range(self._n)]

    def unchanged_streams(self) -> list[Key]:
        """The streams whose next import is known to change nothing.

        Examples
        --------
        >>> import simkit as sk
        >>> sk.Simulation().scheduled_import_controller.unchanged_streams()
        []
        """
        return [self._keys[i] for i in self._clean]

    def __len__(self) -> int:
        return sum(self._sizes)

    @property
    def _n(self) -> int:
        return len(self._sizes)

    def _at(self, offset: int) -> int:
        return (self.position + offset) % len(self._sizes)

    def _id(self, key: Key) -> Id:
        """``key``'s number, given it on first use."""
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self._keys)
            self._keys.append(key)
            if number == len(self._where):
                self._where = np.concatenate([self._where, np.full(number, -1, np.int8)])
                self._stamp = np.concatenate([self._stamp, np.zeros(number, np.int64)])
                self._known.extend(bytes(number))
        return number

    # -- the buckets -------------------------------------------------------------------
    def _order(self, slot: int) -> np.ndarray:
        """Bucket ``slot``'s streams in order: insertion order, or the pass's order."""
        if slot == self.position and self._queue is not None:
            return np.array(self._queue[self._cursor :], dtype=np.intp)
        streams = np.flatnonzero(self._where[: len(self._keys)] == slot)
        return streams[np.argsort(self._stamp[streams])]

    def _insert(self, stream: Id, slot: int) -> None:
        """Append ``stream`` (in no bucket) to bucket ``slot``."""
        self._where[stream] = slot
        self._stamp[stream] = self._next_stamp
        self._next_stamp += 1
        self._sizes[slot] += 1

    def _take(self, stream: Id) -> None:
        """Take ``stream`` out of its bucket, if any."""
        slot = int(self._where[stream])
        if slot < 0:
            return
        self._where[stream] = -1
        self._sizes[slot] -= 1
        if slot == self.position and self._queue is not None:
            # a stream is in its bucket once, so the pass holds it once (if not yet
            # visited); the visited prefix before the cursor is never read again
            with contextlib.suppress(ValueError):
                del self._queue[self._queue.index(stream, self._cursor)]

    def _move_front(self, count: int, slot: int) -> list[Id]:
        """Append the next ``count`` streams of the pass to bucket ``slot``, in order."""
        assert self._queue is not None
        streams = self._queue[self._cursor : self._cursor + count]
        self._cursor += count
        stamp = self._next_stamp
        if count <= _SCALAR_MOVES:  # a few scalar writes cost less than the array calls
            where, stamps = self._where, self._stamp
            for stream in streams:
                where[stream] = slot
                stamps[stream] = stamp
                stamp += 1
        else:
            index = np.array(streams, dtype=np.intp)
            self._where[index] = slot
            self._stamp[index] = np.arange(stamp, stamp + count)
        self._next_stamp += count
        self._sizes[self.position] -= count
        self._sizes[slot] += count
        return streams

    # -- informer handlers --------------------------------------------------------------
    def _on_change(self, kind, key, old, new) -> None:
        # _forget(key) if the import's inputs changed.  Forgetting a stream not known
        # unchanged does nothing, so only such a stream is compared: most writes are the
        # stream's own import, just performed after a change, so not known unchanged.
        stream = self._ids.get(key)
        if stream is not None and stream in self._clean and not _same_import_inputs(old, new):
            self._forget_id(stream)
        if not self.enabled:
            return
        if new is None:
            self.remove(key)
        elif scheduled_tags(new):
            self.add(key)

    def _on_credentials_change(self, kind, key, old, new) -> None:
        self._forget_all()

    def _on_image_change(self, kind, key, old, new) -> None:
        if new is None:  # an import that finds this image would create it again
            for stream in list(self._by_image.get(key[1], ())):
                self._forget_id(stream)

    def source_changed(self, host: str, repository: str | None) -> None:
        """A registry changed: ``repository``'s tags moved, or (None) the whole registry."""
        if repository is None:
            # the registry, and those that delegate their authentication to it
            hosts = {host} | {
                name
                for name, registry in self.sim.registries.items()
                if registry.auth_server == host
            }
            ids = [i for (h, _), streams in self._by_source.items() if h in hosts for i in streams]
        else:
            ids = list(self._by_source.get((host, repository), ()))
        for stream in ids:
            self._forget_id(stream)

    def add(self, key: Key) -> None:
        """``Add``: into the emptiest bucket, never the current one.

        The emptiest of the ``buckets`` others, the furthest from the current one first:
        a stream added to an empty scheduler lands in the bucket behind the current one,
        visited ``buckets`` advances later (see :func:`first_visit_window`).
        """
        self._catch_up(self.sim.engine.now)
        self._settle_all()
        stream = self._id(key)
        self._take(stream)
        sizes = self._sizes
        n = len(sizes)
        target, least = 0, 0
        for i in range(n - 1, 0, -1):
            position = (self.position + n + i) % n
            size = sizes[position]
            if size == 0:
                target = position
                break
            if size < least or least == 0:
                target, least = position, size
        self._insert(stream, target)
        self._wake()

    def remove(self, key: Key) -> None:
        """``Remove``: forget the stream."""
        stream = self._ids.get(key)
        if stream is not None:
            self._remove(stream)

    def _remove(self, stream: Id) -> None:
        self._settle(stream)
        self._take(stream)

    def importing(self, key: Key) -> None:
        """``Delay``: the stream was just imported for another reason; visit it last."""
        self._settle_all()
        stream = self._ids.get(key)
        if stream is None:  # never scheduled, so in no bucket
            return
        last = self._at(-1)
        if self._where[stream] not in (-1, last):
            self._take(stream)
            self._insert(stream, last)

    # -- the worker ---------------------------------------------------------------------
    def _catch_up(self, now: float) -> None:
        """Replay what Go's worker did over empty buckets since simkit's went idle.

        Each ``RunOnce`` on an empty bucket advances the position and blocks on the
        bucket limiter (``Accept``): one advance at every token, the first one at once
        (the bucket starts full).  Afterwards the worker is waiting for the next token,
        and ``_run`` is due when it comes.  Idle stretches of whole bucket periods are
        skipped in one step.
        """
        since = self._idle_since
        if since is None:
            return
        self._idle_since = None
        limiter = self.bucket_limiter
        period = 1.0 / limiter.rate
        n = self._n
        at = since
        while at <= now:
            if limiter.tokens <= -1.0 + 1e-9 and abs(limiter.last + period - at) < 1e-6:
                # steady: each advance takes the token that came one period after the last,
                # leaving the bucket as empty as before; skip all but the last such advance
                skip = math.floor((now - at) / period)
                if skip > 0:
                    self.position = (self.position + skip) % n
                    self.advances += skip
                    at += skip * period
                    limiter.last = at - period
            self.position = self._at(1)
            self.advances += 1
            self._queue = None
            at += limiter.reserve(at)
        self._running = True
        self.sim.engine.at(at, self._run)

    def _wake(self) -> None:
        if not self._running:
            self._running = True
            self.sim.engine.after(0.0, self._run)

    def _run(self) -> None:
        """``RunOnce`` in a loop, until an import or the bucket limiter makes it wait."""
        now = self.sim.engine.now
        sizes = self._sizes
        while True:
            if not any(sizes):  # no stream scheduled
                self._running = False
                self._idle_since = now
                return
            if not sizes[self.position]:
                self.position = self._at(1)
                self.advances += 1
                self._queue = None
                wait = self.bucket_limiter.reserve(now)
                if wait > 0:
                    self.sim.engine.after(wait, self._run)
                    return
                continue
            if self._queue is None:
                self._shuffle()
            if self.limiter is not None and self.limiter.available(now) < 1:
                self._throttle_bucket()
                continue
            assert self._queue is not None
            stream = self._queue[self._cursor]
            if self.skip_unchanged and self._known[stream]:
                self._visit_unchanged(now)
                return
            # one stream: scalar writes (``_move_front`` would pay for five array calls)
            self._cursor += 1
            sizes[self.position] -= 1
            self._insert(stream, self._at(-1))
            self._visits += 1
            if self.limiter is not None:
                self.limiter.try_accept(now)
            tags = self._tags_for(self._keys[stream])
            if tags is None:
                self._remove(stream)
                continue
            if not tags:
                continue
            self.sim.engine.after(self.latency, self._finish, stream, tags)
            return

    def _shuffle(self) -> None:
        """Start the pass: the current bucket in a random order (Go's map iteration), from
        ``sim.rng``, or in insertion order."""
        streams = self._order(self.position)
        if self._visit_order == "random" and len(streams) > 1:
            streams = streams[self.sim.rng.permutation(len(streams))]
        self._queue, self._cursor = streams.tolist(), 0

    def _throttle_bucket(self) -> None:
        """Every stream left in the bucket is refused by the limiter at this instant."""
        count = self._sizes[self.position]
        self._visits += count
        self.throttled += count
        self._move_front(count, self._at(-1))
        self.sim.record("scheduled_import_throttled", streams=count)

    def _tags_for(self, key: Key) -> list[str] | None:
        """The tags a visit imports; None when the stream is gone or has no scheduled tag."""
        stream = self.sim.cluster.get("ImageStream", key)
        if stream is None:
            return None
        scheduled = scheduled_tags(stream)
        if not scheduled:
            return None
        # resetScheduledTags on a DeepCopy: only the scheduled spec tags' generations
        # change, so copying those is enough (a deep copy of the history costs
        # O(revisions)); the copy has the same scheduled tags as ``stream``
        reset = shallow_copy(stream)
        reset.spec_tags = spec_tags = dict(stream.spec_tags)
        for tag in scheduled:
            spec_tags[tag] = shallow_copy(spec_tags[tag])
        reset_scheduled_tags(reset, scheduled)
        return tags_to_import(reset)

    def _finish(self, number: Id, tags: list[str]) -> None:
        key = self._keys[number]
        stream = self.sim.cluster.get("ImageStream", key)
        if stream is not None:
            spec_tags = stream.spec_tags
            present = [tag for tag in tags if tag in spec_tags]
            if present:
                self._imports += 1
                statuses = self.sim.import_now(key[0], key[1], present, cause="scheduled")
                for status in statuses:  # all(...) without a generator's frame
                    if not status.ok:
                        break
                else:
                    if statuses:
                        self._remember(
                            number,
                            present,
                            [status.source for status in statuses],
                            [status.imported()[0] for status in statuses],
                        )
        self._run()

    # -- imports known to change nothing --------------------------------------------------
    def _remember(self, stream: Id, tags: list[str], sources: list[str], images: list[str]) -> None:
        """``stream`` was just imported in full: until an input changes, importing it again
        finds the same images and writes nothing."""
        addresses = []
        for source in sources:
            try:
                host, repository, _ = registry_address(source)
            except InvalidReference:
                return
            registry = self.sim.registries.get(host)
            if registry is None or registry.rate_limit is not None:
                return
            addresses.append((host, repository))
        self._forget_id(stream)
        self._clean[stream] = (tags, tuple(addresses), tuple(images))
        self._known[stream] = True
        # get first: setdefault would build a throwaway set for every known entry
        for address in addresses:
            streams = self._by_source.get(address)
            if streams is None:
                streams = self._by_source[address] = set()
            streams.add(stream)
        for image in images:
            streams = self._by_image.get(image)
            if streams is None:
                streams = self._by_image[image] = set()
            streams.add(stream)

    def _forget(self, key: Key) -> None:
        """An input of ``key``'s import changed: its next import must be performed."""
        stream = self._ids.get(key)
        if stream is not None:
            self._forget_id(stream)

    def _forget_id(self, stream: Id) -> None:
        if stream not in self._clean:
            return
        self._settle(stream)  # first: the import in flight asks for the tags known until now
        _, addresses, images = self._clean.pop(stream)
        self._known[stream] = False
        for address in addresses:
            _unindex(self._by_source, address, stream)
        for image in images:
            _unindex(self._by_image, image, stream)

    def _forget_all(self) -> None:
        self._settle_all()
        self._clean.clear()
        self._known[:] = bytes(len(self._known))
        self._by_source.clear()
        self._by_image.clear()

    def _accepted_visits(self, now: float, limit: int) -> int:
        """How many of ``limit`` visits, one per import latency from ``now``, the limiter
        accepts in a row (each takes a token; tokens refill meanwhile)."""
        if self.limiter is None:
            return limit
        tokens = self.limiter.tokens
        net = 1.0 - self.limiter.rate * self.latency  # tokens lost per visit
        if tokens < 1.0 - 1e-9:
            return 0
        if net <= 0:
            return limit
        return min(limit, math.floor((tokens - 1.0 + 1e-9) / net) + 1)

    def _visit_unchanged(self, now: float) -> None:
        """Visit the run of unchanged streams at the front of the bucket in one step."""
        if self.limiter is not None:
            self.limiter.available(now)  # bring the tokens up to ``now``
        tokens = self.limiter.tokens if self.limiter is not None else math.inf
        # the run ends before the first stream not known unchanged: read only that far
        # (reading the whole bucket at every run made a pass quadratic in its dirty streams)
        queue = self._queue
        assert queue is not None
        start = self._cursor
        end = min(len(queue), start + self._accepted_visits(now, self._sizes[self.position]))
        count = _known_prefix(queue, start, end, self._known)
        ids = self._move_front(count, self._at(-1))
        self._consume(now, tokens, count)
        timer = self.sim.engine.after(count * self.latency, self._end_unchanged)
        self._run_in_flight = _UnchangedRun(now, ids, tokens, timer, self._keys)

    def _consume(self, start: float, tokens: float, visits: int) -> None:
        """Leave the limiter as ``visits`` accepted visits from ``start`` leave it."""
        if self.limiter is not None and visits:
            last = start + (visits - 1) * self.latency
            self.limiter.tokens = (
                min(
                    float(self.limiter.burst),
                    tokens - (visits - 1) * (1.0 - self.limiter.rate * self.latency),
                )
                - 1.0
            )
            self.limiter.last = last

    def _end_unchanged(self) -> None:
        run = self._run_in_flight
        assert run is not None  # this is the run's timer, and _cut cancels it with the run
        self._run_in_flight = None
        self._visits += len(run.ids)
        self._imports += len(run.ids)
        self._count_unchanged(len(run.ids))
        self._run()

    def _count_unchanged(self, count: int) -> None:
        if count:
            self._unchanged += count
            self.sim.record("scheduled_import_unchanged", streams=count)

    def _settle(self, stream: Id) -> None:
        """Before ``stream`` changes: if it is in the run in flight and its import has not
        finished, end the run here (its import would see the change)."""
        run = self._run_in_flight
        if run is not None:
            position = run.position(stream)
            if position is not None and position >= self._finished(run):
                self._cut(run)

    def _settle_all(self) -> None:
        """Before buckets change: end the run in flight, so that the buckets hold what
        the one-by-one worker would have moved by now (sizes decide where ``add`` puts
        a stream, and order decides the next pass)."""
        if self._run_in_flight is not None:
            self._cut(self._run_in_flight)

    def _finished(self, run: _UnchangedRun, *, inclusive: bool = False) -> int:
        """How many of the run's imports finished before now (``inclusive``: by now).

        Import ``j`` finishes at ``start + (j + 1) * latency``; a latency of 0 counts
        none as finished (they all finish when the run's step ends)."""
        now = self.sim.engine.now
        if self.latency <= 0:
            return 0

        def ended(j: int) -> bool:
            end = run.start + (j + 1) * self.latency
            return end <= now if inclusive else end < now

        done = min(len(run.ids), max(0, int((now - run.start) / self.latency)))
        while done > 0 and not ended(done - 1):
            done -= 1
        while done < len(run.ids) and ended(done):
            done += 1
        return done

    def _cut(self, run: _UnchangedRun) -> None:
        """End ``run`` now: finished imports stay counted, the one in flight is performed
        for real when it finishes, the streams not yet visited go back to the front."""
        self._run_in_flight = None
        run.timer.cancel()
        done = self._finished(run)
        in_flight = run.ids[done]
        back_ids = run.ids[done + 1 :]
        back = np.array(back_ids, dtype=np.intp)
        # back to the front of the pass (their stamps are read only once the pass is over)
        self._where[back] = self.position
        self._sizes[self._at(-1)] -= len(back)
        self._sizes[self.position] += len(back)
        assert self._queue is not None
        self._queue, self._cursor = back_ids + self._queue[self._cursor :], 0
        self._consume(run.start, run.tokens, done + 1)
        self._visits += done + 1
        self._imports += done  # _finish counts the one in flight
        self._count_unchanged(done)
        tags = self._clean[in_flight][0] if in_flight in self._clean else None
        if tags is None:
            tags = self._tags_for(self._keys[in_flight]) or []
        self.sim.engine.at(
            run.start + (done + 1) * self.latency, self._finish, in_flight, list(tags)
        )

    def _in_flight(self) -> tuple[int, int]:
        """Visits begun and imports finished so far (up to and including now) by the run
        of unchanged streams in flight: what the one-by-one worker would have counted."""
        run = self._run_in_flight
        if run is None:
            return 0, 0
        if self.latency <= 0:
            return len(run.ids), 0
        finished = self._finished(run, inclusive=True)
        return min(len(run.ids), finished + 1), finished  # visit j+1 begins as j ends

    @property
    def visits(self) -> int:
        """Scheduler visits so far (throttled ones included)."""
        return self._visits + self._in_flight()[0]

    @property
    def imports(self) -> int:
        """Scheduled ImageStreamImports so far, performed or known unchanged."""
        return self._imports + self._in_flight()[1]

    @property
    def unchanged(self) -> int:
        """Scheduled imports known to change nothing: counted, not performed."""
        return self._unchanged + self._in_flight()[1]

    def stats(self) -> dict[str, int]:
        """Counters: streams scheduled, visits, imports, throttled visits, bucket advances."""
        return {
            "streams": len(self),
            "visits": self.visits,
            "imports": self.imports,
            "throttled": self.throttled,
            "advances": self.advances,
        }


_Entry = TypeVar("_Entry")

_SCALAR_MOVES = 32
"""Up to this many streams, a pass's move (``_move_front``) and the scan for the end of a
run of unchanged streams (``_known_prefix``) go element by element in Python."""


def _known_prefix(queue: list[Id], start: int, end: int, known: bytearray) -> int:
    """How many streams of ``queue[start:end]`` in a row, from ``start``, are known
    unchanged (``known[i]`` is 1 for those).

    The first ones are read in Python (runs are a dozen streams long on average); a
    longer run is read on in numpy, from the first stream not yet read.

    Examples
    --------
    >>> known = bytearray([1, 0, 1, 1])
    >>> _known_prefix([2, 3, 1, 0], 0, 4, known), _known_prefix([2, 3], 0, 2, known)
    (2, 2)
    >>> many = bytearray(i != 40 for i in range(50))  # all but stream 40: past the Python part
    >>> streams = list(range(50))
    >>> _known_prefix(streams, 1, 50, many), _known_prefix(streams, 0, 40, many)
    (39, 40)
    """
    at = start
    stop = min(end, start + _SCALAR_MOVES)
    while at < stop:
        if not known[queue[at]]:
            return at - start
        at += 1
    if at < end:
        flags = np.frombuffer(known, dtype=bool)[np.array(queue[at:end], dtype=np.intp)]
        first = int(flags.argmin())  # the first False, or 0 when all are True
        return at - start + (end - at if flags[first] else first)
    return at - start


def _unindex(index: dict[_Entry, set[Id]], entry: _Entry, stream: Id) -> None:
    """Take ``stream`` out of ``index[entry]``, dropping the entry once it names no stream."""
    streams = index.get(entry)
    if streams is not None:
        streams.discard(stream)
        if not streams:
            del index[entry]
