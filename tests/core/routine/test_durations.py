"""Durations as routines write them, and back: parse, format, clock, and the schema pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.core.routine.durations import (
    DURATION_PATTERN,
    format_clock,
    format_duration,
    parse_duration,
)

SIX_HOURS = 6 * 3600


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("5m", 300),
        ("1m30s", 90),
        ("1h", 3600),
        ("1h5m", 3900),
        ("1h30s", 3630),
        ("1h5m7s", 3907),
        ("90s", 90),
        ("2:30", 150),
        ("0:45", 45),
        ("1:02:30", 3750),
        ("90", 90),
        ("0", 0),
    ],
)
def test_parse_duration_reads_every_form(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "s",
        "hms",
        "5x",
        "5 m",
        " 5m",
        "5m ",
        "1.5m",
        "-5",
        "-5m",
        "5m1h",
        "1s30m",
        "2:60",
        "2:5",
        ":30",
        "1:",
        "1:2:3:4",
        "5M",
        "٣m",  # a non-ASCII digit
        "5m\n",
        "9" * 13,
    ],
)
def test_parse_duration_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_parse_duration_error_lists_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match=r"`5x` is not a duration; use `45s`, `5m`"):
        parse_duration("5x")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (90, "1m30s"),
        (3600, "1h"),
        (3630, "1h30s"),
        (3900, "1h5m"),
        (SIX_HOURS, "6h"),
    ],
)
def test_format_duration_is_compact_routine_notation(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (5, "0:05"), (245, "4:05"), (3599, "59:59"), (3750, "1:02:30"), (-3, "0:00")],
)
def test_format_clock_shows_hours_only_from_an_hour_up(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=SIX_HOURS))
def test_formatted_duration_parses_back_to_the_same_seconds(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=SIX_HOURS))
def test_clock_parses_back_to_the_same_seconds(seconds: int) -> None:
    assert parse_duration(format_clock(seconds)) == seconds


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789hms:", max_size=12))
def test_schema_pattern_accepts_exactly_the_nonzero_durations_the_parser_accepts(
    text: str,
) -> None:
    try:
        accepted = parse_duration(text) > 0
    except ValueError:
        accepted = False
    assert bool(re.search(DURATION_PATTERN, text)) == accepted


@pytest.mark.parametrize("text", ["0", "0s", "0m0s", "0:00", "00:00:00", "٣m", "9" * 13])
def test_schema_pattern_refuses_zero_and_what_the_parser_refuses(text: str) -> None:
    assert not re.search(DURATION_PATTERN, text)
