"""Go's ``time.Duration``: ``String`` and ``time.ParseDuration``, on integer nanoseconds.

simkit's own duration strings (``"7d"``, ``"1h 30m"``, seconds as floats) are
:mod:`simkit.durations`; this module is what a Go program prints and accepts:

* :func:`duration_string` - ``Duration.String``: ``"1h2m3.5s"``, ``"1.5ms"``, ``"0s"``;
  units ``h``, ``m``, ``s`` above a second, ``ms``, ``µs``, ``ns`` below;
* :func:`parse_duration` - ``time.ParseDuration``: a sign, then one or more decimal
  numbers each with a unit (``ns``, ``us``, ``µs``, ``μs``, ``ms``, ``s``, ``m``, ``h``);
  ``"0"`` alone needs no unit; the result must fit an ``int64`` of nanoseconds.  Errors
  carry Go's texts (``time: invalid duration "x"``, ``time: missing unit in duration``,
  ``time: unknown unit "d" in duration "7d"``), quoted by ``time.quote``.

Upstream: golang/go ``src/time/time.go`` (``Duration.String``, ``fmtFrac``, ``fmtInt``)
and ``src/time/format.go`` (``ParseDuration``, ``leadingInt``, ``leadingFraction``,
``unitMap``); tested on ``time_test.go`` (``durationTests``, ``parseDurationTests``,
``parseDurationErrorTests``) in tests/test_go_durations.py.
"""

from __future__ import annotations

from simkit._go.strings import go_bytes

__all__ = ["MAX_DURATION", "MIN_DURATION", "duration_string", "parse_duration"]

#: The range of Go's ``time.Duration`` (an ``int64`` of nanoseconds).
MAX_DURATION = (1 << 63) - 1
MIN_DURATION = -(1 << 63)

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # MICRO SIGN
    "\u03bcs": 1_000,  # GREEK SMALL LETTER MU
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DIGITS = "0123456789"
_LIMIT = 1 << 63


def _quote(text: str) -> str:
    """``time.quote`` (not ``strconv.Quote``): every byte outside printable ASCII as ``\\xNN``."""
    out = ['"']
    for byte in go_bytes(text):
        if byte >= 0x80 or byte < 0x20:
            out.append(f"\\x{byte:02x}")
        else:
            out.append(("\\" if byte in b'"\\' else "") + chr(byte))
    out.append('"')
    return "".join(out)


def _fraction(value: int, precision: int) -> str:
    """``fmtFrac`` + ``fmtInt``: ``value / 10**precision`` without trailing zeros."""
    if not precision:
        return str(value)
    whole, frac = divmod(value, 10**precision)
    digits = f"{frac:0{precision}d}".rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def duration_string(nanoseconds: int) -> str:
    """Go's ``Duration.String`` of ``nanoseconds``.

    Parameters
    ----------
    nanoseconds : int
        A ``time.Duration`` (``MIN_DURATION`` to ``MAX_DURATION``).

    Returns
    -------
    str

    Examples
    --------
    >>> duration_string(0), duration_string(1_100), duration_string(2_200_000)
    ('0s', '1.1µs', '2.2ms')
    >>> duration_string(5 * 3600 * 10**9 + 6 * 60 * 10**9 + 7_001_000_000)
    '5h6m7.001s'
    """
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    value = abs(nanoseconds)
    if value < 1_000_000_000:
        if value < 1_000:
            return f"{sign}{value}ns"
        if value < 1_000_000:
            return f"{sign}{_fraction(value, 3)}\u00b5s"
        return f"{sign}{_fraction(value, 6)}ms"
    text = _fraction(value, 9)
    seconds, _, frac = text.partition(".")
    whole = int(seconds)
    out = f"{whole % 60}{'.' + frac if frac else ''}s"
    minutes = whole // 60
    if minutes:
        out = f"{minutes % 60}m{out}"
        if minutes // 60:
            out = f"{minutes // 60}h{out}"
    return sign + out


def _leading_int(text: str) -> tuple[int, str]:
    """``leadingInt``: the leading digits as an integer (ValueError on overflow)."""
    i = 0
    value = 0
    while i < len(text) and text[i] in _DIGITS:
        value = value * 10 + ord(text[i]) - 48
        if value > _LIMIT:
            raise ValueError("overflow")
        i += 1
    return value, text[i:]


def _leading_fraction(text: str) -> tuple[int, float, str]:
    """``leadingFraction``: digits after the point, its scale; extra digits are dropped."""
    i = 0
    value, scale, overflow = 0, 1.0, False
    while i < len(text) and text[i] in _DIGITS:
        if not overflow:
            if value > (_LIMIT - 1) // 10:
                overflow = True
            else:
                grown = value * 10 + ord(text[i]) - 48
                if grown > _LIMIT:
                    overflow = True
                else:
                    value, scale = grown, scale * 10
        i += 1
    return value, scale, text[i:]


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``: nanoseconds.

    Parameters
    ----------
    text : str
        A Go duration such as ``"300ms"``, ``"-1.5h"`` or ``"2h45m"``.

    Returns
    -------
    int
        Nanoseconds.

    Raises
    ------
    ValueError
        With Go's error text.

    Examples
    --------
    >>> parse_duration("1h30m"), parse_duration("-1.5s"), parse_duration("0")
    (5400000000000, -1500000000, 0)
    >>> parse_duration("7d")
    Traceback (most recent call last):
    ...
    ValueError: time: unknown unit "d" in duration "7d"
    """
    invalid = ValueError(f"time: invalid duration {_quote(text)}")
    rest = text
    negative = False
    if rest[:1] in ("-", "+"):
        negative = rest[0] == "-"
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        if rest[0] != "." and rest[0] not in _DIGITS:
            raise invalid
        before = len(rest)
        try:
            whole, rest = _leading_int(rest)
        except ValueError:
            raise invalid from None
        has_int = len(rest) != before
        frac, scale, has_frac = 0, 1.0, False
        if rest[:1] == ".":
            rest = rest[1:]
            before = len(rest)
            frac, scale, rest = _leading_fraction(rest)
            has_frac = len(rest) != before
        if not has_int and not has_frac:
            raise invalid
        end = 0
        while end < len(rest) and rest[end] != "." and rest[end] not in _DIGITS:
            end += 1
        if end == 0:
            raise ValueError(f"time: missing unit in duration {_quote(text)}")
        unit_name, rest = rest[:end], rest[end:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise ValueError(f"time: unknown unit {_quote(unit_name)} in duration {_quote(text)}")
        if whole > _LIMIT // unit:
            raise invalid
        whole *= unit
        if frac > 0:
            whole += int(float(frac) * (float(unit) / scale))
            if whole > _LIMIT:
                raise invalid
        total += whole
        if total > _LIMIT:
            raise invalid
    if negative:
        return -total
    if total > MAX_DURATION:
        raise invalid
    return total
