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
``factory.go`` (``Buckets``, ``BucketsToQPS``, ``GetRateLimiter``).

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.controllers.ratelimit import TokenBucket
from simkit.rules.imports import reset_scheduled_tags, scheduled_tags, tags_to_import
from simkit.state.cluster import shallow_copy

if TYPE_CHECKING:
    from simkit.simulation import Simulation

Key = tuple[str, str]

VISIT_ORDERS = ("insertion", "random")
"""How a bucket's streams are visited: insertion order, or Go's random map order (default)."""


def bucket_count(interval: float, default: int = 4) -> int:
    """``Buckets()``: the default, doubled above an hour, halved under ten minutes.

    Examples
    --------
    >>> bucket_count(900), bucket_count(7200), bucket_count(300)
    (4, 8, 2)
    """
    if interval > 3600:
        return default * 2
    if interval < 600:
        return default // 2
    return default


class ScheduledImportController:
    """Re-imports scheduled tags about once per ``config.scheduled_import_interval``."""

    def __init__(self, sim: Simulation) -> None:
        config = sim.config
        self.sim = sim
        self.enabled = not config.disable_scheduled_import
        self.interval = float(config.scheduled_import_interval)
        buckets = bucket_count(self.interval, config.scheduled_import_buckets)
        self.buckets: list[dict[Key, None]] = [{} for _ in range(buckets + 1)]
        self.position = 0
        self.bucket_limiter = TokenBucket(buckets / self.interval, 1)
        per_minute = config.max_scheduled_imports_per_minute
        self.limiter = TokenBucket(per_minute / 60.0, 2 * per_minute) if per_minute > 0 else None
        self.latency = float(config.import_latency)
        self.visits = 0
        self.imports = 0
        self.throttled = 0
        self.advances = 0
        self._running = False
        self._visit_order = "random"
        self._fresh = True  # the current bucket has not been visited yet in this pass
        sim.cluster.watch("ImageStream", self._on_change)

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

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self.buckets)

    def _at(self, offset: int) -> int:
        return (self.position + offset) % len(self.buckets)

    # -- informer handlers --------------------------------------------------------------
    def _on_change(self, kind, key, old, new) -> None:
        if not self.enabled:
            return
        if new is None:
            self.remove(key)
        elif scheduled_tags(new):
            self.add(key)

    def add(self, key: Key) -> None:
        """``Add``: into the emptiest bucket, never the current one."""
        for bucket in self.buckets:
            bucket.pop(key, None)
        n = len(self.buckets)
        target, least = 0, 0
        for i in range(n - 1, 0, -1):
            position = (self.position + n + i) % n
            size = len(self.buckets[position])
            if size == 0:
                target = position
                break
            if size < least or least == 0:
                target, least = position, size
        self.buckets[target][key] = None
        self._wake()

    def remove(self, key: Key) -> None:
        """``Remove``: forget the stream."""
        for bucket in self.buckets:
            bucket.pop(key, None)

    def importing(self, key: Key) -> None:
        """``Delay``: the stream was just imported for another reason; visit it last."""
        last = self._at(-1)
        for i, bucket in enumerate(self.buckets):
            if i != last and key in bucket:
                del bucket[key]
                self.buckets[last][key] = None

    # -- the worker ---------------------------------------------------------------------
    def _wake(self) -> None:
        if not self._running:
            self._running = True
            self.sim.engine.after(0.0, self._run)

    def _run(self) -> None:
        """``RunOnce`` in a loop, until an import or the bucket limiter makes it wait."""
        now = self.sim.engine.now
        while True:
            if not len(self):
                self._running = False
                return
            current = self.buckets[self.position]
            if not current:
                self.position = self._at(1)
                self.advances += 1
                self._fresh = True
                wait = self.bucket_limiter.reserve(now)
                if wait > 0:
                    self.sim.engine.after(wait, self._run)
                    return
                continue
            if self._fresh:
                self._fresh = False
                if self._visit_order == "random" and len(current) > 1:
                    current = self._shuffle()
            if self.limiter is not None and self.limiter.available(now) < 1:
                self._throttle_bucket(current)
                continue
            key = next(iter(current))
            del current[key]
            self.buckets[self._at(-1)][key] = None
            self.visits += 1
            if self.limiter is not None:
                self.limiter.try_accept(now)
            tags = self._tags_for(key)
            if tags is None:
                self.remove(key)
                continue
            if not tags:
                continue
            self.sim.engine.after(self.latency, self._finish, key, tags)
            return

    def _shuffle(self) -> dict[Key, None]:
        """Put the current bucket in a random order (Go's map iteration), from ``sim.rng``."""
        keys = list(self.buckets[self.position])
        order = self.sim.rng.permutation(len(keys)).tolist()
        shuffled = self.buckets[self.position] = dict.fromkeys(map(keys.__getitem__, order))
        return shuffled

    def _throttle_bucket(self, current: dict[Key, None]) -> None:
        """Every stream left in the bucket is refused by the limiter at this instant."""
        count = len(current)
        self.visits += count
        self.throttled += count
        self.buckets[self._at(-1)].update(current)
        current.clear()
        self.sim.record("scheduled_import_throttled", streams=count)

    def _tags_for(self, key: Key) -> list[str] | None:
        """The tags a visit imports; None when the stream is gone or has no scheduled tag."""
        stream = self.sim.cluster.get("ImageStream", key)
        if stream is None or not scheduled_tags(stream):
            return None
        # resetScheduledTags on a DeepCopy: only the spec tags' generations change, so
        # copying the spec tags is enough (a deep copy of the history costs O(revisions))
        reset = shallow_copy(stream)
        reset.spec_tags = {tag: shallow_copy(ref) for tag, ref in stream.spec_tags.items()}
        reset_scheduled_tags(reset)
        return tags_to_import(reset)

    def _finish(self, key: Key, tags: list[str]) -> None:
        stream = self.sim.cluster.get("ImageStream", key)
        if stream is not None:
            present = [tag for tag in tags if tag in stream.spec_tags]
            if present:
                self.imports += 1
                self.sim.import_now(key[0], key[1], present, cause="scheduled")
        self._run()

    def stats(self) -> dict[str, int]:
        """Counters: streams scheduled, visits, imports, throttled visits, bucket advances."""
        return {
            "streams": len(self),
            "visits": self.visits,
            "imports": self.imports,
            "throttled": self.throttled,
            "advances": self.advances,
        }
