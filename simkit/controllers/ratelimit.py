"""A token bucket with golang.org/x/time/rate semantics, on simulated time.

``flowcontrol.NewTokenBucketRateLimiter(qps, burst)`` wraps ``rate.NewLimiter``: the
bucket starts full, refills continuously at ``rate`` tokens a second up to ``burst``,
``TryAccept`` takes a token only if one is there, and ``Accept`` reserves one and waits.
"""

from __future__ import annotations

import math


class TokenBucket:
    """Tokens refilled at ``rate`` per second, at most ``burst`` held.

    Examples
    --------
    >>> bucket = TokenBucket(rate=1.0, burst=2)
    >>> [bucket.try_accept(0.0) for _ in range(3)]
    [True, True, False]
    >>> bucket.try_accept(1.0)
    True
    >>> bucket.reserve(1.0)
    1.0
    """

    __slots__ = ("rate", "burst", "tokens", "last")

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"token bucket needs rate > 0 and burst >= 1, got {rate}, {burst}")
        self.rate = float(rate)
        self.burst = int(burst)
        self.tokens = float(burst)
        self.last = 0.0

    def _advance(self, now: float) -> None:
        if now > self.last:
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now

    def available(self, now: float) -> int:
        """Whole tokens available at ``now``."""
        self._advance(now)
        return max(0, math.floor(self.tokens + 1e-9))

    def try_accept(self, now: float) -> bool:
        """``TryAccept``: take a token if one is available now."""
        self._advance(now)
        if self.tokens >= 1.0 - 1e-9:
            self.tokens -= 1.0
            return True
        return False

    def reserve(self, now: float) -> float:
        """``Accept``: take a token, possibly in advance; returns how long to wait for it."""
        self._advance(now)
        self.tokens -= 1.0
        if self.tokens >= -1e-9:
            return 0.0
        return -self.tokens / self.rate
