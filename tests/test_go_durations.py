"""simkit._go.durations against Go's own time.Duration tables.

Restated from golang/go ``src/time/time_test.go``: ``durationTests`` (``String``, and
its negation), ``parseDurationTests``, ``parseDurationErrorTests`` and
``TestParseDurationRoundTrip``.  Go's invalid bytes (``\\x85``, ``\\xff``) are carried as
lone surrogates.  simkit's own human durations (``simkit.durations``) are tested in
tests/test_durations.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.durations import MAX_DURATION, MIN_DURATION, duration_string, parse_duration

NS, US, MS, S = 1, 1_000, 1_000_000, 1_000_000_000
MIN, H = 60 * S, 3600 * S

DURATION_TESTS = [
    ("0s", 0),
    ("1ns", 1 * NS),
    ("1.1\u00b5s", 1100 * NS),
    ("2.2ms", 2200 * US),
    ("3.3s", 3300 * MS),
    ("4m5s", 4 * MIN + 5 * S),
    ("4m5.001s", 4 * MIN + 5001 * MS),
    ("5h6m7.001s", 5 * H + 6 * MIN + 7001 * MS),
    ("8m0.000000001s", 8 * MIN + 1 * NS),
    ("2562047h47m16.854775807s", MAX_DURATION),
    ("-2562047h47m16.854775808s", MIN_DURATION),
]


@pytest.mark.parametrize(("text", "duration"), DURATION_TESTS)
def test_go_duration_string(text, duration):
    assert duration_string(duration) == text
    if duration > 0:
        assert duration_string(-duration) == "-" + text


PARSE_DURATION_TESTS = [
    ("0", 0),
    ("5s", 5 * S),
    ("30s", 30 * S),
    ("1478s", 1478 * S),
    ("-5s", -5 * S),
    ("+5s", 5 * S),
    ("-0", 0),
    ("+0", 0),
    ("5.0s", 5 * S),
    ("5.6s", 5 * S + 600 * MS),
    ("5.s", 5 * S),
    (".5s", 500 * MS),
    ("1.0s", 1 * S),
    ("1.00s", 1 * S),
    ("1.004s", 1 * S + 4 * MS),
    ("1.0040s", 1 * S + 4 * MS),
    ("100.00100s", 100 * S + 1 * MS),
    ("10ns", 10 * NS),
    ("11us", 11 * US),
    ("12\u00b5s", 12 * US),
    ("12\u03bcs", 12 * US),
    ("13ms", 13 * MS),
    ("14s", 14 * S),
    ("15m", 15 * MIN),
    ("16h", 16 * H),
    ("3h30m", 3 * H + 30 * MIN),
    ("10.5s4m", 4 * MIN + 10 * S + 500 * MS),
    ("-2m3.4s", -(2 * MIN + 3 * S + 400 * MS)),
    ("1h2m3s4ms5us6ns", 1 * H + 2 * MIN + 3 * S + 4 * MS + 5 * US + 6 * NS),
    ("39h9m14.425s", 39 * H + 9 * MIN + 14 * S + 425 * MS),
    ("52763797000ns", 52763797000 * NS),
    ("0.3333333333333333333h", 20 * MIN),
    ("9007199254740993ns", (1 << 53) + 1),
    ("9223372036854775807ns", MAX_DURATION),
    ("9223372036854775.807us", MAX_DURATION),
    ("9223372036s854ms775us807ns", MAX_DURATION),
    ("-9223372036854775808ns", MIN_DURATION),
    ("-9223372036854775.808us", MIN_DURATION),
    ("-9223372036s854ms775us808ns", MIN_DURATION),
    ("-2562047h47m16.854775808s", MIN_DURATION),
    ("0.100000000000000000000h", 6 * MIN),
    ("0.830103483285477580700h", 49 * MIN + 48 * S + 372539827 * NS),
]


@pytest.mark.parametrize(("text", "want"), PARSE_DURATION_TESTS)
def test_go_parse_duration(text, want):
    assert parse_duration(text) == want


PARSE_DURATION_ERROR_TESTS = [
    ("", '""'),
    ("3", '"3"'),
    ("-", '"-"'),
    ("s", '"s"'),
    (".", '"."'),
    ("-.", '"-."'),
    (".s", '".s"'),
    ("+.s", '"+.s"'),
    ("1d", '"1d"'),
    ("\udc85\udc85", '"\\x85\\x85"'),
    ("\udcffff", '"\\xffff"'),
    ("hello \udcffff world", '"hello \\xffff world"'),
    ("\ufffd", '"\\xef\\xbf\\xbd"'),
    ("\ufffd hello \ufffd world", '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'),
    ("9223372036854775810ns", '"9223372036854775810ns"'),
    ("9223372036854775808ns", '"9223372036854775808ns"'),
    ("-9223372036854775809ns", '"-9223372036854775809ns"'),
    ("9223372036854776us", '"9223372036854776us"'),
    ("3000000h", '"3000000h"'),
    ("9223372036854775.808us", '"9223372036854775.808us"'),
    ("9223372036854ms775us808ns", '"9223372036854ms775us808ns"'),
]


@pytest.mark.parametrize(("text", "expect"), PARSE_DURATION_ERROR_TESTS)
def test_go_parse_duration_errors(text, expect):
    with pytest.raises(ValueError, match="^time: ") as raised:
        parse_duration(text)
    assert expect in str(raised.value)


def test_go_error_kinds():
    for text, message in [
        ("3", 'time: missing unit in duration "3"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("1h 2m", 'time: unknown unit "h " in duration "1h 2m"'),
        ("x", 'time: invalid duration "x"'),
    ]:
        with pytest.raises(ValueError) as raised:
            parse_duration(text)
        assert str(raised.value) == message


@given(st.integers(MIN_DURATION, MAX_DURATION))
def test_go_parse_duration_round_trip(duration):
    """``TestParseDurationRoundTrip``: ParseDuration(d.String()) == d."""
    assert parse_duration(duration_string(duration)) == duration
