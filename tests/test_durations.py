"""Tests for simkit.durations: parse_duration and format_duration."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90.0),
        ("15m", 900.0),
        ("2h", 7200.0),
        ("7d", 604800.0),
        ("2w", 1209600.0),
        ("500ms", 0.5),
        ("1h30m", 5400.0),
        ("1d2h3m4s", 93784.0),
        ("1.5h", 5400.0),
        ("1.1h", 3960.0),  # exact decimal arithmetic, not 3960.0000000000005
        (".5m", 30.0),
        ("30", 30.0),
        ("0", 0.0),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        (" 1h 30m ", 5400.0),
        ("15 min", 900.0),
        ("2 hours", 7200.0),
        ("3days", 259200.0),
        ("2H", 7200.0),
        ("0s", 0.0),
    ],
)
def test_parse_strings(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds
    assert type(parse_duration(text)) is float


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (0, 0.0),
        (90, 90.0),
        (2.5, 2.5),
        (-0.0, 0.0),
        (np.float64(1.25), 1.25),
        (np.int64(7), 7.0),
        (datetime.timedelta(hours=1, seconds=1), 3601.0),
        (pd.Timedelta("1h30m"), 5400.0),
        (pd.Timedelta(1, "ns"), 1e-9),
        (np.timedelta64(1500, "ms"), 1.5),
    ],
)
def test_parse_numbers_and_timedeltas(value: object, seconds: float) -> None:
    result = parse_duration(value)
    assert result == seconds
    assert type(result) is float
    assert math.copysign(1, result) == 1  # never -0.0


@pytest.mark.parametrize(
    "value",
    [
        "5x",
        "",
        "   ",
        "h",
        "1h30",
        "1..5s",
        "1m-5s",
        "nan",
        "inf",
        "1,5h",
        "five minutes",
        "1e3s",
        None,
        [1],
        True,
        object(),
    ],
)
def test_invalid_values_name_value_and_forms(value: object) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(value)
    message = str(info.value)
    assert repr(value) in message
    assert "expected seconds or a string such as '90s', '15m', '2h', '7d'" in message


def test_exact_message() -> None:
    with pytest.raises(ValueError, match=r"^invalid duration '5x': expected seconds or a string"):
        parse_duration("5x")


@pytest.mark.parametrize(
    "value", [-1, -0.5, "-5m", " -1h", datetime.timedelta(seconds=-1), pd.Timedelta("-1s")]
)
def test_negative_durations_are_errors(value: object) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_duration(value)


@pytest.mark.parametrize(
    "value",
    [math.nan, math.inf, -math.inf, "1e400", "9" * 400 + "d", np.timedelta64("NaT"), pd.NaT],
)
def test_non_finite_durations_are_errors(value: object) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (90, "1m30s"),
        (9000, "2h30m"),
        (86400, "1d"),
        (604800, "7d"),
        (93784, "1d2h3m4s"),
        (3601, "1h1s"),
        (0.25, "250ms"),
        (0.0004, "0s"),
        (1.5, "1.5s"),
        (61.25, "1m1.25s"),
        (59.9996, "1m"),  # rounding carries into minutes
        (-90, "-1m30s"),
        (1.1 * 3600, "1h6m"),
        (np.float64(30), "30s"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("value", [math.nan, "5m", None, True])
def test_format_duration_rejects_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        format_duration(value)


@given(st.integers(min_value=0, max_value=10**10))
def test_round_trip_whole_seconds(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip_milliseconds(millis: int) -> None:
    seconds = millis / 1000
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_format_parse_is_within_half_a_millisecond(seconds: float) -> None:
    assert abs(parse_duration(format_duration(seconds)) - seconds) <= 0.0005 + 1e-9 * seconds
