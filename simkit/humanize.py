"""Numbers as people read them: ``11.3 GiB``, ``82 %``, ``7m42s``, ``12,120``.

Reports and printed summaries show these; CSV files and ``summary.json`` keep the raw
numbers.  Durations are :func:`simkit.durations.format_duration` rounded to what a
reader needs (seconds under an hour, minutes under a day, hours beyond).
"""

from __future__ import annotations

import math

from simkit.durations import format_duration

__all__ = ["format_bytes", "format_count", "format_percent", "human_duration"]

_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def format_bytes(size: float) -> str:
    """A byte count in binary units with three significant digits.

    Examples
    --------
    >>> format_bytes(12120760759)
    '11.3 GiB'
    >>> format_bytes(0), format_bytes(1023), format_bytes(1536), format_bytes(10 * 2**20)
    ('0 B', '1023 B', '1.5 KiB', '10 MiB')
    """
    if size is None or (isinstance(size, float) and math.isnan(size)):
        return ""
    value = float(size)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for unit in _BYTE_UNITS:
        if value < 1024 or unit == _BYTE_UNITS[-1]:
            if unit == "B":
                return f"{sign}{value:.0f} B"
            text = f"{value:.3g}" if value < 1000 else f"{value:.0f}"
            return f"{sign}{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def format_percent(share: float, digits: int = 0) -> str:
    """A share (0..1) as a percentage; a share that rounds to 0 or 100 but is not says
    ``<1 %`` or ``>99 %``.

    Examples
    --------
    >>> format_percent(0.82), format_percent(0.005), format_percent(1.0), format_percent(0.9991)
    ('82 %', '<1 %', '100 %', '>99 %')
    >>> format_percent(0.0), format_percent(0.1234, digits=1)
    ('0 %', '12.3 %')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    percent = float(share) * 100
    shown = round(percent, digits)
    floor = 10.0**-digits
    if percent > 0 and shown < floor:
        return f"<{floor:g} %"
    if percent < 100 and shown >= 100:
        return f">{100 - floor:g} %"
    return f"{shown:.{digits}f} %"


def format_count(count: float) -> str:
    """An integer with thousands separators.

    Examples
    --------
    >>> format_count(12120), format_count(7)
    ('12,120', '7')
    """
    return f"{int(count):,}"


def human_duration(seconds: float) -> str:
    """A duration rounded for reading: to the second under an hour, the minute under a
    day, the hour beyond; sub-second durations as milliseconds.

    Examples
    --------
    >>> human_duration(462), human_duration(53.8), human_duration(0.25)
    ('7m42s', '54s', '250ms')
    >>> human_duration(6 * 86400 + 9 * 3600 + 31 * 60 + 53.85)
    '6d10h'
    >>> human_duration(2 * 3600 + 29 * 60 + 31), human_duration(float("nan"))
    ('2h30m', '')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    value = float(seconds)
    if math.isinf(value):
        return format_duration(value)
    size = abs(value)
    if size < 1:
        return format_duration(round(value, 3))
    step = 1 if size < 3600 else 60 if size < 86400 else 3600
    return format_duration(round(value / step) * step)
