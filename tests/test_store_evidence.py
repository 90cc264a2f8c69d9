"""The store's answers to the monthly recurrence question and to the warning signs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.core.checkin import Checkin, WarningSign
from coach.core.records import CheckinKind
from coach.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "coach.db")
    yield opened
    opened.close()


def set_time(store: Store, table: str, column: str, row_id: int, at: str) -> None:
    with sqlite3.connect(store.path) as db:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (at, row_id))
    db.close()


def test_episode_answers_come_back_oldest_first_with_when_asked(store: Store) -> None:
    later = store.add_episode_answer(True, asked_at="2026-03-01T08:00:00+00:00")
    earlier = store.add_episode_answer(False)
    set_time(store, "episodes", "answered_at", later, "2026-03-01T08:05:00+00:00")
    set_time(store, "episodes", "answered_at", earlier, "2026-02-01T08:05:00+00:00")
    answers = store.episode_answers()
    assert [(a.answered_at, a.episode) for a in answers] == [
        ("2026-02-01T08:05:00+00:00", False),
        ("2026-03-01T08:05:00+00:00", True),
    ]
    assert answers[1].asked_at == "2026-03-01T08:00:00+00:00"


def test_a_damaged_episode_answer_is_left_out(store: Store) -> None:
    good = store.add_episode_answer(True)
    bad = store.add_episode_answer(False)
    set_time(store, "episodes", "answered_at", bad, "not a date")
    assert [a.id for a in store.episode_answers()] == [good]


def test_first_use_is_the_earliest_walk_or_checkin(store: Store) -> None:
    assert store.first_use() is None
    walk_id = store.start_walk("desk-break", "Desk break", "", "x", 600)
    checkin_id = store.add_checkin(CheckinKind.ALONE, Checkin(pain=2))
    set_time(store, "walks", "started_at", walk_id, "2026-02-10T09:00:00+00:00")
    set_time(store, "checkins", "created_at", checkin_id, "2026-01-05T07:00:00+00:00")
    assert store.first_use() == "2026-01-05T07:00:00+00:00"


def test_warning_answers_are_read_for_a_time_range(store: Store) -> None:
    times = ["2026-03-03T23:00:00+00:00", "2026-03-04T08:00:00+00:00", "2026-03-04T18:00:00+00:00"]
    signs = [frozenset(), frozenset({WarningSign.FEVER}), frozenset()]
    for at, ticked in zip(times, signs, strict=True):
        row = store.add_warning_answer(ticked, walked=True)
        set_time(store, "warning_sign_answers", "answered_at", row, at)
    day = store.warning_answers("2026-03-04T00:00:00+00:00", "2026-03-05T00:00:00+00:00")
    assert day == [frozenset({WarningSign.FEVER}), frozenset()]


def test_all_six_warning_signs_are_kept(store: Store) -> None:
    store.add_warning_answer(frozenset(WarningSign), walked=False)
    assert store.warning_answers("2000-01-01T00:00:00+00:00") == [frozenset(WarningSign)]
