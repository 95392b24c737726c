"""What the scheduled import controller's rules predict for N scheduled streams.

The controller (see :mod:`simkit.controllers.scheduled_imports`) visits each stream
once per interval, a bucket of about ``N / buckets`` streams every
``interval / buckets`` seconds, and lets a visit import only if the cluster-wide token
bucket (``max/60`` a second, burst ``2*max``) has a token.  Imports are serial and take
``import_latency`` each, refilling ``rate * latency`` tokens while they run.  So one
bucket visit imports at most

    c = min(rate * bucket_period, 1 + (burst - 1) / (1 - rate * latency),
            bucket_period / latency)

streams (the refill over a bucket period, the burst plus what refills while it is spent,
and what serial imports fit), and an interval at most ``C = buckets * c``.  With the
defaults (60/min, burst 120, 15 min, 4 buckets, 0.5 s) that is 225 a visit, 900 an
interval.  Each visit of a stream is accepted with probability ``p = min(1, C / N)``.

* Round-robin (every throttled stream first in line next time) would bound the wait
  by ``ceil(N / C)`` visits, i.e. intervals.
* Go's random map order makes the visits until acceptance ``G`` geometric: mean
  ``1 / p``, ``P(G > k) = (1 - p)**k``.  A change waits ``U`` (uniform, 0 to 1) of an
  interval for the stream's next visit, so its lag is ``(U + G - 1)`` intervals: mean
  ``1/p - 1/2``, and quantiles from ``P(lag <= k + f) = 1 - (1-p)**k + f p (1-p)**k``.
  Over ``M`` changes the worst is about the ``1 - 1/M`` quantile, and exceeds the
  ``1 - 0.001/M`` quantile plus one bucket period with probability under 0.1%.  (The
  bucket period: a stream re-added after a change can land up to one bucket further
  from its next visit.)

The first visit of a newly scheduled stream (:func:`first_visit`) is not "within one
interval": the bucket clock ticks from the controller's start, and ``Add`` puts a stream
alone in the scheduler ``buckets`` advances away, so it is visited ``interval + w`` after
its last write, ``w`` the time to the next tick (up to a bucket period).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from simkit.config import Config
from simkit.rules.import_buckets import bucket_count


def lag_quantile(accepted: float, q: float) -> float:
    """The ``q`` quantile of the lag, in intervals, when visits succeed with ``accepted``.

    Examples
    --------
    >>> lag_quantile(1.0, 0.5), lag_quantile(0.5, 0.5), lag_quantile(0.5, 0.625)
    (0.5, 1.0, 1.5)
    """
    if not 0 < accepted <= 1 or not 0 <= q < 1:
        raise ValueError(f"need 0 < accepted <= 1 and 0 <= q < 1, got {accepted}, {q}")
    if accepted == 1:
        return q
    stay = 1.0 - accepted
    k = math.floor(math.log1p(-q) / math.log(stay) + 1e-12)
    f = (q - (1.0 - stay**k)) / (accepted * stay**k)
    return k + min(max(f, 0.0), 1.0)


@dataclass(frozen=True, slots=True)
class ThrottleModel:
    """The rules' numbers for ``streams`` scheduled streams; times in seconds.

    Examples
    --------
    >>> from simkit.config import Config
    >>> model = throttle_model(Config(), 2000)
    >>> model.per_interval, round(model.accepted, 2), model.round_robin_visits
    (900.0, 0.45, 3)
    """

    streams: int
    interval: float
    buckets: int
    bucket_period: float
    per_visit: float
    per_interval: float
    accepted: float
    round_robin_visits: int
    mean_lag: float
    median_lag: float
    p95_lag: float
    worst_lag: float
    bound_lag: float

    def as_dict(self) -> dict[str, float]:
        """The fields as a plain dict."""
        return asdict(self)


def throttle_model(config: Config, streams: int, changes: int = 1) -> ThrottleModel:
    """The scheduled import throttle's predictions for ``streams`` streams.

    Parameters
    ----------
    config : Config
        Interval, buckets, imports per minute (0 or less: unlimited), import latency.
    streams : int
        Streams with scheduled tags (one import each per visit).
    changes : int
        Upstream changes to import, for the worst-case estimates.

    Returns
    -------
    ThrottleModel
        ``per_visit`` / ``per_interval``: import capacity; ``accepted``: share of visits
        that import; ``round_robin_visits``: ``ceil(N/C)``; under Go's random order, the
        lag's ``mean_lag``, ``median_lag``, ``p95_lag``, ``worst_lag`` (typical worst of
        ``changes``) and ``bound_lag`` (exceeded with probability < 0.1%).

    Examples
    --------
    >>> m = throttle_model(Config(), 2000)
    >>> m.per_visit, m.per_interval, m.accepted, m.round_robin_visits
    (225.0, 900.0, 0.45, 3)
    >>> round(m.mean_lag / 60, 1), round(m.median_lag / 60, 1)
    (25.8, 18.0)
    >>> throttle_model(Config(max_scheduled_imports_per_minute=6), 200).per_visit
    12.0
    """
    if streams < 1:
        raise ValueError(f"streams: expected at least 1, got {streams}")
    interval = float(config.scheduled_import_interval)
    buckets = bucket_count(interval, config.scheduled_import_buckets)
    period = interval / buckets
    latency = float(config.import_latency)
    serial = period / latency if latency > 0 else math.inf
    per_minute = config.max_scheduled_imports_per_minute
    if per_minute > 0:
        rate, burst = per_minute / 60.0, 2 * per_minute
        refill = rate * latency
        burst_limited = 1 + math.floor((burst - 1) / (1 - refill)) if refill < 1 else math.inf
        per_visit = min(rate * period, burst_limited, serial)
    else:
        per_visit = serial
    per_interval = buckets * per_visit
    accepted = min(1.0, per_interval / streams)
    changes = max(int(changes), 1)
    quantile = lambda q: lag_quantile(accepted, q) * interval  # noqa: E731
    return ThrottleModel(
        streams=streams,
        interval=interval,
        buckets=buckets,
        bucket_period=period,
        per_visit=float(per_visit),
        per_interval=float(per_interval),
        accepted=accepted,
        round_robin_visits=math.ceil(streams / per_interval),
        mean_lag=(1.0 / accepted - 0.5) * interval,
        median_lag=quantile(0.5),
        p95_lag=quantile(0.95),
        worst_lag=quantile(1 - 1 / (changes + 1)),
        bound_lag=quantile(1 - 0.001 / changes) + period,
    )


def first_visit_window(config: Config) -> tuple[float, float]:
    """How long after its last write a stream alone in the scheduler is first visited.

    ``Add`` (``scheduler.go``) puts the stream in the emptiest bucket, the furthest from
    the current one first: with every other bucket empty, the one behind the current
    bucket, visited ``buckets`` bucket periods after the current one.  The current bucket
    is taken at the bucket limiter's next token, which comes within one period ``T``.

    Returns
    -------
    tuple of float
        ``(interval, interval + T)`` in seconds: the visit comes after the first and no
        later than the second.

    Examples
    --------
    >>> first_visit_window(Config())
    (900.0, 1125.0)
    >>> first_visit_window(Config(scheduled_import_interval=300))
    (300.0, 450.0)
    """
    interval = float(config.scheduled_import_interval)
    return interval, interval + interval / bucket_count(interval, config.scheduled_import_buckets)


def first_visit(config: Config, written: float, started: float = 0.0) -> float:
    """When Go's scheduler first visits a stream alone in it, last written at ``written``.

    The worker starts with the controller at ``started``: its first two ``RunOnce`` find
    empty buckets and advance, the first taking the limiter's initial token at once, the
    second waiting one period ``T = interval / buckets``; from then on a bucket is taken
    at ``started + k T``.  A write at ``written`` (``Add``) puts the stream ``buckets``
    periods behind the bucket taken at the next tick (a write at a tick's instant comes
    after it).  The import itself then takes ``config.import_latency``.

    Examples
    --------
    >>> first_visit(Config(), 1.0), first_visit(Config(), 226.0), first_visit(Config(), 450.0)
    (1125.0, 1350.0, 1575.0)
    """
    interval = float(config.scheduled_import_interval)
    period = interval / bucket_count(interval, config.scheduled_import_buckets)
    if written < started:
        raise ValueError(f"written ({written}) is before the controller started ({started})")
    tick = started + (math.floor((written - started) / period) + 1) * period
    return tick + interval
