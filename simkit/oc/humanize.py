"""Relative times as ``oc`` prints them: docker ``go-units.HumanDuration``.

oc's describers (``FormatRelativeTime``) and the openshift-apiserver table printers
(``UPDATED``) both print ``units.HumanDuration(now - t)`` followed by ``" ago"``.
API times are stored with whole-second precision (``metav1.Time`` serialises to
RFC 3339 seconds), so the age is measured from the stored second.
"""

from __future__ import annotations

import math

__all__ = ["ago", "api_seconds", "human_duration", "short_duration"]


def human_duration(seconds: float) -> str:
    """``units.HumanDuration``: a rough, human-readable length of time.

    Parameters
    ----------
    seconds : float
        The duration; anything under one second (negative included) is
        ``"Less than a second"``.

    Returns
    -------
    str
        ``"5 seconds"``, ``"About a minute"``, ``"3 hours"``, ``"2 weeks"`` ...

    Examples
    --------
    >>> human_duration(0.4), human_duration(1), human_duration(59)
    ('Less than a second', '1 second', '59 seconds')
    >>> human_duration(60), human_duration(119), human_duration(120)
    ('About a minute', 'About a minute', '2 minutes')
    >>> human_duration(89 * 60), human_duration(91 * 60), human_duration(3 * 86400)
    ('About an hour', '2 hours', '3 days')
    >>> human_duration(20 * 86400), human_duration(90 * 86400), human_duration(800 * 86400)
    ('2 weeks', '3 months', '2 years')
    """
    whole = int(seconds)  # Go truncates toward zero
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def api_seconds(seconds: float) -> float:
    """The simulation time as the API stores it: truncated to the whole second.

    Examples
    --------
    >>> api_seconds(61.9)
    61.0
    """
    return float(math.floor(seconds))


def ago(now: float, then: float) -> str:
    """``"<HumanDuration(now - then)> ago"`` with ``then`` as stored by the API.

    Examples
    --------
    >>> ago(now=90.5, then=30.7)
    'About a minute ago'
    """
    return f"{human_duration(now - api_seconds(then))} ago"


def short_duration(seconds: float) -> str:
    """``duration.HumanDuration`` of apimachinery: kubectl's ``AGE`` column (``25s``, ``7m``,
    ``3h12m``, ``5d``).

    Examples
    --------
    >>> [short_duration(s) for s in (-5, -0.7, 25, 150, 1200, 3 * 3600 + 720, 3 * 86400 + 3600)]
    ['<invalid>', '0s', '25s', '2m30s', '20m', '3h12m', '3d1h']
    >>> short_duration(86400 * 30), short_duration(86400 * 800)
    ('30d', '2y70d')
    """
    seconds = int(math.copysign(math.floor(abs(seconds) + 0.5), seconds))  # Go's Round
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        rest = seconds % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = hours // 24
        rest = days % 365
        return f"{days // 365}y" if rest == 0 else f"{days // 365}y{rest}d"
    return f"{hours // 24 // 365}y"
