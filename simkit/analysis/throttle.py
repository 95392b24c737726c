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
* Go's random map order makes the visits until acceptance geometric: mean ``1 / p``,
  ``P(more than k) = (1 - p)**k``; over ``M`` upstream changes the worst is about
  ``ln(M) / -ln(1 - p)`` visits, and exceeds ``ln(1000 M) / -ln(1 - p)`` with
  probability under 0.1%.

A change waits on average half an interval for the stream's next visit, so the mean
lag is about ``(1/p - 1/2)`` intervals.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from simkit.config import Config
from simkit.controllers.scheduled_imports import bucket_count


@dataclass(frozen=True, slots=True)
class ThrottleModel:
    """The rules' numbers for ``streams`` scheduled streams; times in seconds."""

    streams: int
    interval: float
    buckets: int
    bucket_period: float
    per_visit: float
    per_interval: float
    accepted: float
    round_robin_visits: int
    mean_visits: float
    mean_lag: float
    p95_visits: int
    worst_visits: float
    bound_visits: int

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
        that import; ``round_robin_visits``: ``ceil(N/C)``; ``mean_visits``,
        ``p95_visits``, ``worst_visits`` (expected worst of ``changes``) and
        ``bound_visits`` (exceeded with probability < 0.1%) under random order;
        ``mean_lag``: about ``(mean_visits - 1/2) * interval``.

    Examples
    --------
    >>> m = throttle_model(Config(), 2000)
    >>> m.per_visit, m.per_interval, m.accepted, m.round_robin_visits
    (225.0, 900.0, 0.45, 3)
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
    if accepted >= 1.0:
        mean_visits, p95, worst, bound = 1.0, 1, 1.0, 1
    else:
        fail = -math.log1p(-accepted)
        mean_visits = 1.0 / accepted
        p95 = math.ceil(math.log(20) / fail)
        worst = max(1.0, math.log(max(changes, 1)) / fail)
        bound = math.ceil(math.log(1000 * max(changes, 1)) / fail)
    return ThrottleModel(
        streams=streams, interval=interval, buckets=buckets, bucket_period=period,
        per_visit=float(per_visit), per_interval=float(per_interval), accepted=accepted,
        round_robin_visits=math.ceil(streams / per_interval), mean_visits=mean_visits,
        mean_lag=(mean_visits - 0.5) * interval, p95_visits=p95, worst_visits=worst,
        bound_visits=bound,
    )
