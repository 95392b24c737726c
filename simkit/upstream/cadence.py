"""When upstream things happen: a mean period with jitter, drawn from the simulation's RNG.

A :class:`Cadence` is "about every ``every`` seconds".  With a numeric ``jitter`` it is
slotted: time is cut into periods of ``every`` seconds from an origin, and each period
holds exactly one event, at a random point of the middle ``jitter`` fraction of the
period (``jitter=0``: the middle of each period, strictly periodic; ``jitter=1``:
anywhere in the period, "once a day at a random time").  Slotted events never drift and
never come out of order, and the mean interval is exactly ``every``.  With
``jitter="exponential"`` the events are a Poisson process: exponential intervals of
mean ``every``.

:class:`Recurring` runs a callback at the successive times of a cadence on a
:class:`~simkit.engine.Engine`, drawing each next time only when it schedules it.

Examples
--------
>>> import numpy as np
>>> from simkit.engine import Engine
>>> engine, rng, seen = Engine(), np.random.default_rng(0), []
>>> daily = Cadence.parse("every", "1d", "jitter", 0)
>>> timer = Recurring(engine, rng, daily, lambda: seen.append(engine.now))
>>> engine.run(until=3 * 86400)
>>> [t / 3600 for t in seen]
[12.0, 36.0, 60.0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real
from typing import Literal, overload

import numpy as np

from simkit.durations import parse_duration
from simkit.engine import Engine, Timer

EXPONENTIAL = "exponential"
"""The ``jitter`` value that makes a cadence a Poisson process."""


@overload
def duration_parameter(name: str, value: object, *, allow_none: Literal[False] = ...) -> float: ...
@overload
def duration_parameter(name: str, value: object, *, allow_none: bool) -> float | None: ...
def duration_parameter(name: str, value: object, *, allow_none: bool = False) -> float | None:
    """``value`` in seconds, or a ``ValueError`` naming the parameter ``name``.

    Parameters
    ----------
    name : str
        The parameter's name, for the error message.
    value : str, float or None
        A duration as :func:`~simkit.durations.parse_duration` accepts it.
    allow_none : bool
        Whether None (off) is allowed.

    Returns
    -------
    float or None
        Seconds, or None.

    Examples
    --------
    >>> duration_parameter("every", "2h")
    7200.0
    >>> duration_parameter("every", "often")
    Traceback (most recent call last):
    ...
    ValueError: every: invalid duration 'often': expected seconds or a string such as \
'90s', '15m', '2h', '7d', '2w', '500ms', '1h30m' or '1.5h'
    """
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{name}: a duration is required, got None")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Cadence:
    """About every ``every`` seconds, ``jitter`` a fraction in [0, 1] or ``"exponential"``.

    Examples
    --------
    >>> import numpy as np
    >>> c = Cadence(86400.0, 1.0)
    >>> rng = np.random.default_rng(1)
    >>> all(k * 86400 <= c.slot_time(k, 0.0, rng) < (k + 1) * 86400 for k in range(100))
    True
    """

    every: float
    jitter: float | str = 0.0

    @classmethod
    def parse(cls, every_name: str, every: object, jitter_name: str, jitter: object) -> Cadence:
        """Validate user input; errors name the offending parameter.

        Examples
        --------
        >>> Cadence.parse("patch_every", "14d", "jitter", 0.3)
        Cadence(every=1209600.0, jitter=0.3)
        >>> Cadence.parse("patch_every", "14d", "jitter", 2)
        Traceback (most recent call last):
        ...
        ValueError: jitter: expected a number from 0 to 1 or 'exponential', got 2
        """
        seconds = duration_parameter(every_name, every)
        if seconds <= 0:
            raise ValueError(f"{every_name}: must be longer than 0 seconds, got {every!r}")
        return cls(seconds, jitter_parameter(jitter_name, jitter))

    @property
    def poisson(self) -> bool:
        """Whether intervals are exponential."""
        return self.jitter == EXPONENTIAL

    def slot_time(self, k: int, origin: float, rng: np.random.Generator) -> float:
        """The time of the event in period ``k`` (slotted cadences only)."""
        jitter = self.jitter
        if isinstance(jitter, str):
            raise TypeError(f"a cadence with jitter={jitter!r} has no slots (use next_after)")
        offset = 0.5
        if jitter:
            offset += jitter * (rng.random() - 0.5)
        return origin + (k + offset) * self.every

    def next_after(self, previous: float, rng: np.random.Generator) -> float:
        """The next event of a Poisson cadence after one at ``previous``."""
        return previous + float(rng.exponential(self.every))


def jitter_parameter(name: str, value: object) -> float | str:
    """A jitter fraction in [0, 1], or ``"exponential"``; ``ValueError`` naming ``name``.

    Examples
    --------
    >>> jitter_parameter("jitter", "exponential"), jitter_parameter("jitter", 0.5)
    ('exponential', 0.5)
    """
    if value == EXPONENTIAL:
        return EXPONENTIAL
    if isinstance(value, Real) and not isinstance(value, bool) and 0 <= float(value) <= 1:
        return float(value)
    raise ValueError(f"{name}: expected a number from 0 to 1 or 'exponential', got {value!r}")


class Recurring:
    """Call ``callback()`` at each event of ``cadence``, from ``origin`` (default now) on.

    The first event is in the first period after ``origin`` (slotted), or one
    exponential interval after it (Poisson).  :meth:`cancel` stops it.

    Examples
    --------
    >>> import numpy as np
    >>> from simkit.engine import Engine
    >>> engine = Engine()
    >>> r = Recurring(engine, np.random.default_rng(0), Cadence(10.0), lambda: None)
    >>> engine.run(until=100)
    >>> r.count
    10
    """

    __slots__ = ("_engine", "_rng", "cadence", "_callback", "origin", "count", "_timer")

    def __init__(
        self,
        engine: Engine,
        rng: np.random.Generator,
        cadence: Cadence,
        callback: Callable[[], object],  # its result is ignored
        origin: float | None = None,
    ) -> None:
        self._engine = engine
        self._rng = rng
        self.cadence = cadence
        self._callback = callback
        self.origin = engine.now if origin is None else float(origin)
        self.count = 0
        self._timer: Timer | None = None
        self._schedule(self.origin)

    def _schedule(self, previous: float) -> None:
        if self.cadence.poisson:
            when = self.cadence.next_after(previous, self._rng)
        else:
            when = self.cadence.slot_time(self.count, self.origin, self._rng)
        self._timer = self._engine.at(max(when, self._engine.now), self._fire)

    def _fire(self) -> None:
        self.count += 1
        self._callback()
        if self._timer is not None:
            self._schedule(self._engine.now)

    @property
    def next_time(self) -> float | None:
        """When the next event is due, or None once cancelled."""
        return None if self._timer is None else self._timer.time

    def cancel(self) -> None:
        """Stop: no further events."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
