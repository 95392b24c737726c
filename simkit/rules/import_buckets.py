"""How many buckets the scheduled image import controller spreads its streams over.

openshift-controller-manager's scheduled import controller
(``pkg/image/controller/factory.go``, ``ScheduledImageStreamControllerOptions.Buckets``)
keeps a ring of buckets and visits one every ``interval / buckets``: the configured
number (4 by default), doubled when the interval is over an hour and halved when it is
under ten minutes.  The controller (:mod:`simkit.controllers.scheduled_imports`) and
the throttle model (:mod:`simkit.analysis.throttle`) both take the count from here.
"""

from __future__ import annotations

__all__ = ["bucket_count"]


def bucket_count(interval: float, default: int = 4) -> int:
    """``Buckets()``: the default, doubled above an hour, halved under ten minutes.

    Parameters
    ----------
    interval : float
        The scheduled import interval, in seconds.
    default : int
        The configured number of buckets.

    Returns
    -------
    int

    Examples
    --------
    >>> bucket_count(900), bucket_count(7200), bucket_count(300)
    (4, 8, 2)
    >>> bucket_count(3600), bucket_count(600)
    (4, 4)
    """
    if interval > 3600:
        return default * 2
    if interval < 600:
        return default // 2
    return default
