"""Forward migrations keep every walk and check-in of an older database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.core.checkin import Checkin, Where
from coach.core.records import CheckinKind, WalkStatus
from coach.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError


def version_1_database(path: Path) -> None:
    """A database as the walk-recording release (schema 1) left it, with some data."""
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.executescript(
        """
        INSERT INTO walks (id, routine_id, routine_name, routine_path, routine_text,
            routine_hash, planned_seconds, started_at, updated_at, ended_at,
            walked_seconds, paused_seconds, segments_done, status, pid)
        VALUES (1, 'gentle-back', 'Gentle back loosener', '/r/gentle-back.yaml', 'name: x',
            'abc', 1200, '2026-11-20T08:00:00+00:00', '2026-11-20T08:20:00+00:00',
            '2026-11-20T08:20:00+00:00', 1200, 5, 5, 'completed', 99);
        INSERT INTO checkins (walk_id, kind, created_at, pain, stiffness, notes)
        VALUES (1, 'before', '2026-11-20T08:00:00+00:00', 6, 7, ''),
               (1, 'after', '2026-11-20T08:21:00+00:00', 4, 5, 'looser [b]x[/b]'),
               (NULL, 'alone', '2026-11-21T09:00:00+00:00', 3, NULL, 'morning');
        PRAGMA user_version = 1;
        """
    )
    db.close()


def test_version_1_database_migrates_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    version_1_database(path)
    store = Store.open(path)
    try:
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        [walk] = store.walks()
        assert (walk.routine_id, walk.status, walk.walked_seconds) == (
            "gentle-back",
            WalkStatus.COMPLETED,
            1200,
        )
        checkins = store.checkins()
        assert [(c.kind, c.pain, c.stiffness, c.notes) for c in checkins] == [
            (CheckinKind.BEFORE, 6, 7, ""),
            (CheckinKind.AFTER, 4, 5, "looser [b]x[/b]"),
            (CheckinKind.ALONE, 3, None, "morning"),
        ]
        assert all(not c.answers.flagged and not c.answers.where for c in checkins)
        [entry, _lone] = sorted(store.history(), key=lambda e: e.at)
        assert entry.pain_change == -2 and entry.meaningful
        # The new columns work on the migrated file.
        store.add_checkin(CheckinKind.ALONE, Checkin(pain=2, where=frozenset({Where.NECK})))
        assert store.checkins()[-1].answers.where == {Where.NECK}
    finally:
        store.close()


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    version_1_database(path)
    Store.open(path).close()
    before = path.read_bytes()
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM checkins").fetchone() == (3,)
    assert len(path.read_bytes()) == len(before)


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    path.touch()
    store = Store.open(path)
    try:
        assert store.walks() == []
    finally:
        store.close()


def test_a_short_file_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    path.write_bytes(b"x")
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store.open(path)
    assert path.read_bytes() == b"x"
