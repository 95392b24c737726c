"""Durations: parse ``"15m"``-style strings and numbers into seconds, and format them back.

Simulation time is a ``float`` of seconds.  :func:`parse_duration` turns what a
user or a config file writes (``90``, ``"90s"``, ``"1h30m"``, ``"1.5h"``, a
:class:`datetime.timedelta` or :class:`pandas.Timedelta`) into seconds;
:func:`format_duration` writes seconds back compactly for reports.

Examples
--------
>>> parse_duration("1h30m")
5400.0
>>> format_duration(5400)
'1h30m'
"""

from __future__ import annotations

import datetime
import math
import re
from fractions import Fraction
from numbers import Real
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    import numpy as np

__all__ = ["UNITS", "format_duration", "parse_duration"]

#: Seconds per unit suffix accepted by :func:`parse_duration` (case-insensitive).
UNITS: dict[str, Fraction] = {
    "ms": Fraction(1, 1000),
    "s": Fraction(1),
    "m": Fraction(60),
    "h": Fraction(3600),
    "d": Fraction(86400),
    "w": Fraction(7 * 86400),
}

_ALIASES = {
    "msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
    "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "day": "d", "days": "d",
    "wk": "w", "wks": "w", "week": "w", "weeks": "w",
}  # fmt: skip

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PLAIN = re.compile(rf"{_NUMBER}(?:e[+-]?\d+)?", re.IGNORECASE)
_PART = re.compile(rf"\s*({_NUMBER})\s*([a-z]+)", re.IGNORECASE)

_EXPECTED = (
    "expected seconds or a string such as '90s', '15m', '2h', '7d', '2w', '500ms', "
    "'1h30m' or '1.5h'"
)


def parse_duration(value: object) -> float:
    """Convert a duration to seconds.

    Parameters
    ----------
    value : int, float, str, datetime.timedelta or pandas.Timedelta
        A number of seconds (finite, ``>= 0``); a timedelta; or a string: a
        plain number of seconds (``"30"``, ``"1.5"``), or one or more
        ``<number><unit>`` parts (``"90s"``, ``"1h30m"``, ``"1.5h"``,
        ``"1h 30m"``) with units ``ms``, ``s``, ``m``, ``h``, ``d``, ``w`` (or
        spelled out: ``sec``, ``min``, ``hours``, ``days`` ...; case is ignored,
        so ``"2H"`` is two hours and ``"1M"`` one minute).  Decimal strings
        are converted exactly and rounded once.

    Returns
    -------
    float
        The duration in seconds.

    Raises
    ------
    ValueError
        If ``value`` is not one of the forms above, is negative, NaN or
        infinite.  The message names the value and the accepted forms.

    Examples
    --------
    >>> parse_duration(90)
    90.0
    >>> parse_duration("15m"), parse_duration("2h"), parse_duration("7d"), parse_duration("2w")
    (900.0, 7200.0, 604800.0, 1209600.0)
    >>> parse_duration("500ms"), parse_duration("1.5h"), parse_duration("30")
    (0.5, 5400.0, 30.0)
    >>> import datetime
    >>> parse_duration(datetime.timedelta(minutes=2))
    120.0
    >>> parse_duration("5x")
    Traceback (most recent call last):
    ...
    ValueError: invalid duration '5x': expected seconds or a string such as '90s', '15m', \
'2h', '7d', '2w', '500ms', '1h30m' or '1.5h'
    """
    if isinstance(value, str):
        seconds = _parse_string(value)
    elif isinstance(value, datetime.timedelta):  # pandas.Timedelta is a subclass
        seconds = value.total_seconds()
    elif _is_timedelta64(value):  # before Real: numpy counts timedelta64 as an integer
        seconds = _timedelta64_seconds(value)
    elif isinstance(value, Real) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise ValueError(f"invalid duration {value!r}: {_EXPECTED}")
    if not math.isfinite(seconds):
        raise ValueError(f"invalid duration {value!r}: must be finite; {_EXPECTED}")
    if seconds < 0:
        raise ValueError(f"invalid duration {value!r}: durations cannot be negative")
    return seconds + 0.0  # normalise -0.0


def _parse_string(text: str) -> float:
    stripped = text.strip()
    if stripped.startswith("-"):
        raise ValueError(f"invalid duration {text!r}: durations cannot be negative")
    if _PLAIN.fullmatch(stripped):
        return float(stripped)
    total = Fraction(0)
    pos = 0
    for match in _PART.finditer(stripped):
        if match.start() != pos:
            break
        unit = match.group(2).lower()
        unit = _ALIASES.get(unit, unit)
        if unit not in UNITS:
            break
        total += Fraction(match.group(1)) * UNITS[unit]
        pos = match.end()
    else:
        if pos and pos == len(stripped):
            try:
                return float(total)
            except OverflowError:
                return math.inf
    raise ValueError(f"invalid duration {text!r}: {_EXPECTED}")


def _is_timedelta64(value: object) -> TypeGuard[np.timedelta64]:
    return type(value).__name__ == "timedelta64" and type(value).__module__ == "numpy"


def _timedelta64_seconds(value: np.timedelta64) -> float:
    import pandas as pd

    converted = pd.Timedelta(value)
    if converted is pd.NaT:
        raise ValueError(f"invalid duration {value!r}: {_EXPECTED}")
    return converted.total_seconds()


_FORMAT_UNITS = (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000))


def format_duration(seconds: float) -> str:
    """Format seconds compactly, largest unit first: ``2h30m``, ``45s``, ``7d``.

    Units are days, hours, minutes and seconds; zero parts are left out.  The
    value is rounded to the millisecond: a fraction of a second shows as
    ``1.5s``, and a duration under a second as ``250ms``.  The result parses
    back with :func:`parse_duration` to the rounded value.

    Parameters
    ----------
    seconds : float
        The duration; may be negative (prefixed with ``-``) or infinite
        (``inf``).

    Returns
    -------
    str
        For example ``"1d2h"``, ``"15m"``, ``"0s"``.

    Raises
    ------
    ValueError
        If ``seconds`` is NaN or not a number.

    Examples
    --------
    >>> format_duration(9000)
    '2h30m'
    >>> format_duration(45), format_duration(604800), format_duration(0)
    ('45s', '7d', '0s')
    >>> format_duration(90.5), format_duration(0.25), format_duration(-60)
    ('1m30.5s', '250ms', '-1m')
    """
    if not isinstance(seconds, Real) or isinstance(seconds, bool) or math.isnan(seconds):
        raise ValueError(f"cannot format {seconds!r} as a duration: expected a number of seconds")
    if math.isinf(seconds):
        return "inf" if seconds > 0 else "-inf"
    sign = "-" if seconds < 0 else ""
    millis = round(abs(Fraction(seconds)) * 1000)
    if millis == 0:
        return "0s"
    if millis < 1000:
        return f"{sign}{millis}ms"
    parts = []
    for unit, size in _FORMAT_UNITS:
        count, millis = divmod(millis, size)
        if count:
            parts.append(f"{count}{unit}")
    if millis:
        whole, frac = divmod(millis, 1000)
        text = f"{whole}.{frac:03d}".rstrip("0").rstrip(".") if frac else str(whole)
        parts.append(f"{text}s")
    return sign + "".join(parts)
