"""The JSON export's escaping of DEL and C1 controls, which JSON allows raw."""

from __future__ import annotations

import json

import pytest

from coach.core.checkin import Checkin
from coach.core.export import to_json
from coach.core.records import HistoryEntry


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
