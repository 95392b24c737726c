"""Per-key exponential back-off: client-go ``util/flowcontrol/backoff.go``.

The kubelet keeps one :class:`Backoff` for image pulls (``imageBackOffPeriod`` 10 s,
``MaxImageBackOff`` 300 s, keyed ``"<podUID>_<image>"``) and asks it, before every
pull, whether the key is still inside its window (:meth:`Backoff.is_in_backoff_since_update`).
A failed pull moves the key to the next window (:meth:`Backoff.next`); a successful
pull only garbage-collects old entries (:meth:`Backoff.gc`).

Rules, as upstream:

* ``next``: no entry, or an entry that has *expired* (``now - lastUpdate > 2*max``),
  starts again at ``initial``; otherwise the window doubles, capped at ``max``.
  So the kubelet's sequence is 10, 20, 40, 80, 160, 300, 300, ... seconds.
* ``is_in_backoff_since_update``: ``now - lastUpdate < backoff`` (an expired entry is
  never in back-off).
* ``gc``: drops every expired entry.
* ``reset`` / ``delete_entry``: drop one key.

Nothing here reads a clock: every time is a float number of seconds passed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = [
    "IMAGE_BACKOFF_PERIOD",
    "MAX_IMAGE_BACKOFF",
    "Backoff",
    "default_has_expired",
]

#: ``kubelet.go imageBackOffPeriod``: the first image-pull back-off window (seconds).
IMAGE_BACKOFF_PERIOD = 10.0
#: ``kubelet.go MaxImageBackOff``: the largest image-pull back-off window (seconds).
MAX_IMAGE_BACKOFF = 300.0

HasExpired = Callable[[float, float, float], bool]


def default_has_expired(event_time: float, last_update: float, maximum: float) -> bool:
    """Whether an entry is stale enough to start over (``Backoff.hasExpired``).

    Parameters
    ----------
    event_time : float
        The time being asked about (seconds).
    last_update : float
        When the entry was last moved by :meth:`Backoff.next` (seconds).
    maximum : float
        The back-off's maximum window (seconds).

    Returns
    -------
    bool
        ``event_time - last_update > 2 * maximum`` (strictly greater).

    Examples
    --------
    >>> default_has_expired(20.0, 0.0, 10.0), default_has_expired(20.5, 0.0, 10.0)
    (False, True)
    """
    return event_time - last_update > maximum * 2


@dataclass(slots=True)
class _Entry:
    backoff: float
    last_update: float


class Backoff:
    """Exponential back-off per key (client-go ``flowcontrol.Backoff``).

    Parameters
    ----------
    initial : float, default 10.0
        First window, in seconds (``defaultDuration``).
    maximum : float, default 300.0
        Cap on the window, in seconds (``maxDuration``).
    max_jitter_factor : float, default 0.0
        ``NewBackOffWithJitter``: each window grows by ``rand() * factor * previous``
        extra. Zero (the kubelet's setting) adds nothing.
    rng : random.Random, optional
        Source of the jitter when ``max_jitter_factor > 0``; defaults to
        ``random.Random(0)`` so runs are reproducible.
    has_expired : callable, optional
        ``HasExpiredFunc``: ``(event_time, last_update, maximum) -> bool``. Defaults to
        :func:`default_has_expired`.

    Examples
    --------
    >>> b = Backoff(initial=10.0, maximum=300.0)
    >>> [b.next("pod_img", now=t) for t in (0, 1, 2, 3, 4, 5, 6)]
    [10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0]
    >>> b.is_in_backoff_since_update("pod_img", now=305.0), b.get("pod_img")
    (True, 300.0)
    >>> b.next("pod_img", now=6 + 601.0)  # idle for more than 2*max: start over
    10.0
    """

    __slots__ = ("_entries", "_has_expired", "_jitter", "_ordered", "_rng", "initial", "maximum")

    def __init__(
        self,
        initial: float = IMAGE_BACKOFF_PERIOD,
        maximum: float = MAX_IMAGE_BACKOFF,
        *,
        max_jitter_factor: float = 0.0,
        rng: random.Random | None = None,
        has_expired: HasExpired | None = None,
    ) -> None:
        self.initial = float(initial)
        self.maximum = float(maximum)
        self._jitter = float(max_jitter_factor)
        self._rng = (rng or random.Random(0)) if self._jitter > 0 else None
        self._has_expired = has_expired or default_has_expired
        # Entries in order of last update while every update has come at or after the one
        # before (``_ordered``); then, under the default rule, the expired entries are the
        # first ones and gc stops at the first live entry instead of reading them all.
        self._entries: dict[str, _Entry] = {}
        self._ordered = True

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __repr__(self) -> str:
        return f"Backoff(initial={self.initial}, maximum={self.maximum}, keys={len(self)})"

    def has_expired(self, event_time: float, last_update: float) -> bool:
        """Whether an entry last updated at ``last_update`` is stale at ``event_time``.

        Parameters
        ----------
        event_time : float
            The time asked about (seconds).
        last_update : float
            The entry's last update (seconds).

        Returns
        -------
        bool
            The ``has_expired`` rule given at construction; by default
            ``event_time - last_update > 2 * maximum``.

        Examples
        --------
        >>> Backoff(1.0, 5.0).has_expired(11.0, 0.0), Backoff(1.0, 5.0).has_expired(10.0, 0.0)
        (True, False)
        """
        return self._has_expired(event_time, last_update, self.maximum)

    def get(self, key: str) -> float:
        """The current window for ``key`` (``Backoff.Get``).

        Parameters
        ----------
        key : str
            The back-off key, e.g. ``"<podUID>_<image>"``.

        Returns
        -------
        float
            Seconds; ``0.0`` when the key has no entry.

        Examples
        --------
        >>> b = Backoff(1.0, 60.0)
        >>> b.get("k"), b.next("k", now=0.0), b.get("k")
        (0.0, 1.0, 1.0)
        """
        entry = self._entries.get(key)
        return entry.backoff if entry is not None else 0.0

    def last_update(self, key: str) -> float | None:
        """When ``key`` was last moved by :meth:`next` (``None`` if it has no entry).

        Parameters
        ----------
        key : str
            The back-off key.

        Returns
        -------
        float or None
            Seconds.

        Examples
        --------
        >>> b = Backoff(1.0, 60.0)
        >>> b.next("k", now=7.0)
        1.0
        >>> b.last_update("k"), b.last_update("other")
        (7.0, None)
        """
        entry = self._entries.get(key)
        return entry.last_update if entry is not None else None

    def next(self, key: str, now: float) -> float:
        """Move ``key`` to its next window (``Backoff.Next``) and return that window.

        Upstream passes ``Clock.Now()`` both as the event time and as the new
        ``lastUpdate``; both are ``now`` here.

        Parameters
        ----------
        key : str
            The back-off key.
        now : float
            Current time (seconds).

        Returns
        -------
        float
            The new window: ``initial`` for a new or expired entry, else
            ``min(2 * previous, maximum)`` (plus jitter, if configured).

        Examples
        --------
        >>> b = Backoff(1.0, 5.0)
        >>> [b.next("k", now=float(t)) for t in range(5)]
        [1.0, 2.0, 4.0, 5.0, 5.0]
        >>> b.next("k", now=4.0 + 10.0), b.next("k", now=14.0 + 10.5)
        (5.0, 1.0)
        """
        entries = self._entries
        entry = entries.pop(key, None)  # back in last, the latest update
        if entry is None or self.has_expired(now, entry.last_update):
            entry = _Entry(self.initial, now)
            entry.backoff += self._jittered(entry.backoff)
        else:
            delay = entry.backoff * 2 + self._jittered(entry.backoff)
            entry.backoff = min(delay, self.maximum)
        entry.last_update = now
        if entries and now < next(reversed(entries.values())).last_update:
            self._ordered = False
        entries[key] = entry
        return entry.backoff

    def _jittered(self, delay: float) -> float:
        if self._rng is None:
            return 0.0
        return self._rng.random() * self._jitter * delay

    def reset(self, key: str) -> None:
        """Forget ``key`` entirely (``Backoff.Reset``).

        Parameters
        ----------
        key : str
            The back-off key; unknown keys are ignored.

        Examples
        --------
        >>> b = Backoff(1.0, 5.0)
        >>> _ = b.next("k", now=0.0)
        >>> b.reset("k")
        >>> b.get("k"), "k" in b
        (0.0, False)
        """
        self._entries.pop(key, None)

    delete_entry = reset

    def is_in_backoff_since(self, key: str, event_time: float, now: float) -> bool:
        """Whether less than the window has passed since ``event_time`` (``IsInBackOffSince``).

        Parameters
        ----------
        key : str
            The back-off key.
        event_time : float
            The reference time (seconds).
        now : float
            The clock's current time (seconds).

        Returns
        -------
        bool
            ``False`` with no entry or when the entry has expired at ``event_time``;
            else ``now - event_time < window``.

        Examples
        --------
        >>> b = Backoff(1.0, 5.0)
        >>> _ = b.next("k", now=0.0)
        >>> b.is_in_backoff_since("k", 0.0, now=0.5), b.is_in_backoff_since("k", 0.0, now=1.0)
        (True, False)
        """
        entry = self._entries.get(key)
        if entry is None or self.has_expired(event_time, entry.last_update):
            return False
        return now - event_time < entry.backoff

    def is_in_backoff_since_update(self, key: str, now: float) -> bool:
        """Whether ``key`` is still inside its window (``IsInBackOffSinceUpdate``).

        Parameters
        ----------
        key : str
            The back-off key.
        now : float
            Current time (seconds).

        Returns
        -------
        bool
            ``False`` with no entry or an expired entry; else
            ``now - lastUpdate < window``.

        Examples
        --------
        >>> b = Backoff(10.0, 300.0)
        >>> _ = b.next("k", now=100.0)
        >>> [b.is_in_backoff_since_update("k", now=t) for t in (100.0, 109.9, 110.0)]
        [True, True, False]
        """
        entry = self._entries.get(key)
        if entry is None or self.has_expired(now, entry.last_update):
            return False
        return now - entry.last_update < entry.backoff

    def gc(self, now: float) -> list[str]:
        """Drop every expired entry (``Backoff.GC``).

        Parameters
        ----------
        now : float
            Current time (seconds).

        Returns
        -------
        list of str
            The keys removed, sorted (upstream returns nothing; this is for callers
            that log).

        Examples
        --------
        >>> b = Backoff(1.0, 5.0)
        >>> _ = b.next("old", now=0.0), b.next("new", now=9.0)
        >>> b.gc(now=10.5), sorted(b)
        (['old'], ['new'])
        """
        entries = self._entries
        if not entries:  # the kubelet asks after every successful pull, usually with none
            self._ordered = True
            return []
        if self._ordered and self._has_expired is default_has_expired:
            expired = []
            for key, entry in entries.items():  # oldest update first
                if not self.has_expired(now, entry.last_update):
                    break
                expired.append(key)
            expired.sort()
        else:
            expired = sorted(k for k, e in entries.items() if self.has_expired(now, e.last_update))
        for key in expired:
            del entries[key]
        if not entries:
            self._ordered = True
        return expired
