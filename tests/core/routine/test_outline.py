"""A routine's outline (what home shows of it) agrees with its timeline, and reads back
only what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.core.routine import compile_timeline, load_file
from coach.core.routine.outline import Outline, outline_of

BUILTINS = sorted((Path(__file__).resolve().parents[3] / "routines").glob("*.yaml"))


def outline_and_timeline(path: Path):  # type: ignore[no-untyped-def]
    routine = load_file(path).routine
    assert routine is not None
    timeline = compile_timeline(routine)
    return outline_of(routine, timeline), timeline


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_an_outline_has_its_routines_name_words_and_segments(path: Path) -> None:
    outline, timeline = outline_and_timeline(path)
    routine = load_file(path).routine
    assert routine is not None
    assert outline.name == routine.name
    assert outline.description == " ".join((routine.description or "").split())
    assert outline.tags == routine.tags
    assert outline.total == timeline.total
    assert outline.ends == tuple(s.end for s in timeline.segments)
    assert outline.intensities == tuple(s.intensity.value for s in timeline.segments)
    assert outline.cadences == tuple(s.cadence for s in timeline.segments)


@given(st.floats(min_value=-10, max_value=4000, allow_nan=False))
def test_the_segment_at_a_moment_is_the_timelines(elapsed: float) -> None:
    outline, timeline = outline_and_timeline(BUILTINS[0])
    assert outline.segment_index_at(elapsed) == timeline.segment_index_at(elapsed)


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_an_outline_reads_back_as_it_was_written(path: Path) -> None:
    outline, _ = outline_and_timeline(path)
    assert Outline.from_json(outline.to_json()) == outline


GOOD = Outline("Walk", "Words", ("a",), (60, 120), ("easy", "brisk"), (90, 110)).to_json()


@pytest.mark.parametrize(
    "damage",
    [
        {"name": None},
        {"description": 3},
        {"tags": "a"},
        {"ends": []},
        {"ends": [60]},  # fewer ends than intensities
        {"ends": [120, 60]},  # not one after another
        {"ends": [0, 60]},  # a segment of no length
        {"ends": [60, 120.5]},
        {"ends": [True, 120]},
        {"intensities": ["easy", "sprint"]},
        {"cadences": [90, 0]},
        {"cadences": [90, "110"]},
        {"name": "Walk\x1b[2J"},  # an escape sequence: never sent to the terminal
        {"tags": ["a\x9b31m"]},
    ],
    ids=repr,
)
def test_a_damaged_outline_reads_as_none(damage: dict[str, object]) -> None:
    assert Outline.from_json(GOOD) is not None
    assert Outline.from_json({**GOOD, **damage}) is None


@pytest.mark.parametrize("data", [None, [], "outline", 3, {}])
def test_what_is_not_an_outline_reads_as_none(data: object) -> None:
    assert Outline.from_json(data) is None
