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


def version_2_database(path: Path) -> None:
    """A database as schema 2 left it: walks, check-ins of every kind, a flag."""
    version_1_database(path)
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[1])
    db.executescript(
        """
        INSERT INTO walks (id, routine_id, routine_name, routine_path, routine_text,
            routine_hash, planned_seconds, started_at, updated_at, ended_at,
            walked_seconds, paused_seconds, segments_done, status, pid, checkin_offered)
        VALUES (2, 'desk-break', 'Desk break', '/r/desk-break.yaml', 'name: y', 'def', 600,
            '2026-11-22T07:00:00+00:00', '2026-11-22T07:04:00+00:00', NULL, 240, 0, 1,
            'interrupted', 12, 1);
        INSERT INTO checkins (walk_id, kind, created_at, pain, places, warning_signs, flagged)
        VALUES (NULL, 'alone', '2026-11-23T09:00:00+00:00', 7, 'lower,leg', 'fever', 1);
        PRAGMA user_version = 2;
        """
    )
    db.close()


def test_version_2_database_migrates_keeping_every_row(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    version_2_database(path)
    with sqlite3.connect(path) as db:
        before = {
            table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("walks", "checkins")
        }
    store = Store.open(path)
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        for table, rows in before.items():
            after = db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            # Every old column of every row as it was; new columns appended.
            assert [row[: len(rows[0])] for row in after] == rows
        assert (
            db.execute(
                "SELECT source, moderate_seconds, easy_seconds, utc_offset FROM walks"
            ).fetchall()
            == [("guided", None, None, None)] * 2
        )
        assert db.execute("SELECT count(*) FROM plans").fetchone() == (0,)


def test_old_walks_read_back_as_guided_without_a_split(tmp_path: Path) -> None:
    path = tmp_path / "coach.db"
    version_2_database(path)
    store = Store.open(path)
    try:
        walks = store.walks()
        assert [(w.id, w.source.value, w.moderate_seconds) for w in walks] == [
            (2, "guided", None),
            (1, "guided", None),
        ]
        assert [e.source.value for e in store.history() if e.is_walk and e.source] == [
            "guided",
            "guided",
        ]
    finally:
        store.close()
