"""The JSON export's escaping of DEL and C1 controls, which JSON allows raw."""

from __future__ import annotations

import json

import pytest

from coach.core.checkin import Change, Checkin, Where
from coach.core.export import history_rows, to_json
from coach.core.records import HistoryEntry, WalkSource, WalkStatus


def lone(notes: str) -> HistoryEntry:
    return HistoryEntry(
        walk_id=None,
        checkin_id=1,
        at="2026-03-01T06:00:00+00:00",
        routine_id=None,
        routine_name=None,
        status=None,
        walked_seconds=None,
        planned_seconds=None,
        before=None,
        after=Checkin(pain=3, notes=notes),
        after_id=1,
    )


@pytest.mark.parametrize("notes", ["a\x7fb", "a\x9bb", "é\x7f", "plain"])
def test_del_and_c1_controls_are_escaped_and_read_back_the_same(notes: str) -> None:
    out = to_json([lone(notes)])
    assert "\x7f" not in out and "\x9b" not in out
    assert json.loads(out)[0]["notes"] == notes


def walk(notes: str, places: frozenset[Where]) -> HistoryEntry:
    return HistoryEntry(
        walk_id=7,
        checkin_id=None,
        at="2026-03-01T06:00:00+00:00",
        routine_id="desk-break",
        routine_name='Desk "break" \\ é',
        status=WalkStatus.ENDED_EARLY,
        walked_seconds=61.9,
        planned_seconds=600,
        before=Checkin(pain=6, where=places),
        after=Checkin(pain=3, change=Change(2), effort=4, notes=notes),
        before_id=1,
        after_id=2,
        source=WalkSource.GUIDED,
        moderate_seconds=30.5,
        easy_seconds=31.4,
    )


@pytest.mark.parametrize("notes", ['"quoted", \\back\\', "tab\tnew\nline", "日本 🚶", ""])
def test_each_line_is_the_row_as_json_writes_it(notes: str) -> None:
    entries = [walk(notes, frozenset({Where.NECK, Where.LOWER_BACK})), lone(notes)]
    lines = to_json(entries).splitlines()
    expected = [json.dumps(row, ensure_ascii=False) for row in history_rows(entries)]
    assert lines == ["[", expected[0] + ",", expected[1], "]"]
    assert json.loads(lines[1].rstrip(","))["where"] == ["lower", "neck"]
