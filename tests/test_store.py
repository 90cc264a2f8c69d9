"""The SQLite store: private files, safe opening, walks and check-ins."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.checkin import Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.core.routine import compile_timeline, load_text
from coach.core.routine.timeline import Timeline
from coach.paths import database_path
from coach.store import SCHEMA_VERSION, STALE_AFTER, Store, StoreError, routine_hash

# A pid far above any default pid_max (2**22), so no process has it.
DEAD_PID = 2**22 + 12345

ROUTINE_TEXT = """\
name: Short loop
cadence: 100
segments:
  - name: Walk
    duration: 2m
  - name: Slow
    duration: 1m
    cadence: 90
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A COACH_HOME that does not exist yet, so opening the store must create it."""
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    store = Store.open()
    yield store
    store.close()


@pytest.fixture
def timeline() -> Timeline:
    result = load_text(ROUTINE_TEXT, "short-loop", "short-loop.yaml")
    assert result.routine is not None
    return compile_timeline(result.routine)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(store: Store, planned: int = 180) -> int:
    return store.start_walk("short-loop", "Short loop", "/r/short-loop.yaml", ROUTINE_TEXT, planned)


def set_pid(path: Path, walk_id: int, pid: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE walks SET pid = ? WHERE id = ?", (pid, walk_id))
    db.close()


# -- opening ----------------------------------------------------------------------------


def test_open_creates_a_private_folder_and_database(home: Path) -> None:
    store = Store.open()
    try:
        assert store.path == database_path() == home / "coach.db"
        assert mode(home) == 0o700
        assert mode(store.path) == 0o600
    finally:
        store.close()


def test_sidecar_files_are_private_too(store: Store) -> None:
    start(store)
    sidecars = [p for p in store.path.parent.iterdir() if p.name != store.path.name]
    assert sidecars, "WAL mode keeps -wal and -shm files beside the database"
    for path in sidecars:
        assert mode(path) == 0o600, path.name


def test_open_sets_wal_foreign_keys_and_schema_version(store: Store) -> None:
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StoreError):
        store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id=999)


def test_reopening_keeps_the_data(home: Path) -> None:
    store = Store.open()
    walk_id = start(store)
    store.close()
    again = Store.open()
    try:
        assert [w.id for w in again.walks()] == [walk_id]
    finally:
        again.close()


def test_a_newer_schema_is_refused_and_left_untouched(home: Path) -> None:
    Store.open().close()
    path = home / "coach.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer coach"):
        Store.open()
    assert path.read_bytes() == before


def test_a_corrupt_file_is_refused_and_left_untouched(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / "coach.db"
    garbage = random.Random(7).randbytes(8192)
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a readable coach database") as caught:
        Store.open()
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in home.iterdir()) == ["coach.db"]


def test_another_programs_sqlite_database_is_refused_and_left_untouched(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / "coach.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
        db.execute("INSERT INTO recipes VALUES ('soup')")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not coach's"):
        Store.open()
    assert path.read_bytes() == before


def test_a_folder_at_the_database_path_is_refused(home: Path) -> None:
    (home / "coach.db").mkdir(parents=True)
    with pytest.raises(StoreError, match="not a database file"):
        Store.open()


def test_an_empty_file_left_by_a_crash_becomes_a_database(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "coach.db").touch(mode=0o600)
    store = Store.open()
    try:
        assert store.walks() == []
    finally:
        store.close()


# -- walks ------------------------------------------------------------------------------


def test_start_update_finish_round_trip(store: Store) -> None:
    walk_id = start(store)
    (walk,) = store.walks()
    assert walk.id == walk_id
    assert (walk.routine_id, walk.routine_name, walk.planned_seconds) == (
        "short-loop",
        "Short loop",
        180,
    )
    assert walk.status is WalkStatus.IN_PROGRESS
    assert walk.walked_seconds == 0 and walk.ended_at is None
    store.update_walk(walk_id, walked_seconds=42.04, paused_seconds=3.0, segments_done=1)
    walk = store.walk(walk_id)
    assert walk is not None
    assert (walk.walked_seconds, walk.paused_seconds, walk.segments_done) == (42.0, 3.0, 1)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 180.0, 3.0, 2)
    walk = store.walk(walk_id)
    assert walk is not None
    assert walk.status is WalkStatus.COMPLETED
    assert (walk.walked_seconds, walk.segments_done) == (180.0, 2)
    assert walk.ended_at is not None


def test_the_routine_text_and_hash_are_kept_with_the_walk(store: Store) -> None:
    walk_id = start(store)
    with sqlite3.connect(store.path) as db:
        row = db.execute(
            "SELECT routine_path, routine_text, routine_hash, pid FROM walks WHERE id = ?",
            (walk_id,),
        ).fetchone()
    db.close()
    assert row == ("/r/short-loop.yaml", ROUTINE_TEXT, routine_hash(ROUTINE_TEXT), os.getpid())


def test_finish_and_update_only_touch_walks_in_progress(store: Store) -> None:
    walk_id = start(store)
    store.finish_walk(walk_id, WalkStatus.ENDED_EARLY, 60.0, 0.0, 0)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 180.0, 0.0, 2)
    store.update_walk(walk_id, 99.0, 0.0, 1)
    walk = store.walk(walk_id)
    assert walk is not None
    assert (walk.status, walk.walked_seconds, walk.segments_done) == (
        WalkStatus.ENDED_EARLY,
        60.0,
        0,
    )


def test_walks_are_listed_newest_first(store: Store) -> None:
    first, second = start(store), start(store)
    assert [w.id for w in store.walks()] == [second, first]
    assert store.walk(12345) is None


def test_a_walk_whose_process_is_gone_is_marked_interrupted(store: Store) -> None:
    dead = start(store)
    store.update_walk(dead, 25.0, 0.0, 0)
    live = start(store)
    set_pid(store.path, dead, DEAD_PID)
    assert store.mark_interrupted_walks() == [dead]
    walk = store.walk(dead)
    assert walk is not None
    assert walk.status is WalkStatus.INTERRUPTED
    assert walk.walked_seconds == 25.0  # the last progress written is kept
    assert walk.ended_at is not None
    other = store.walk(live)
    assert other is not None and other.status is WalkStatus.IN_PROGRESS
    assert store.mark_interrupted_walks() == []


def set_updated_ago(path: Path, walk_id: int, ago: timedelta) -> None:
    updated = (datetime.now(UTC) - ago).isoformat(timespec="seconds")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE walks SET updated_at = ? WHERE id = ?", (updated, walk_id))
    db.close()


def test_a_live_walk_paused_for_a_while_is_not_marked_interrupted(store: Store) -> None:
    """A paused walk writes no progress; another coach command must not end it."""
    walk_id = start(store)
    set_updated_ago(store.path, walk_id, timedelta(minutes=20))
    assert store.mark_interrupted_walks() == []
    walk = store.walk(walk_id)
    assert walk is not None and walk.status is WalkStatus.IN_PROGRESS


def test_a_walk_silent_for_longer_than_any_pause_is_marked_interrupted(store: Store) -> None:
    """Its pid may be alive only because another program reused it."""
    walk_id = start(store)
    set_updated_ago(store.path, walk_id, STALE_AFTER + timedelta(minutes=1))
    assert store.mark_interrupted_walks() == [walk_id]


def test_an_interrupted_walk_can_still_get_its_check_in(store: Store) -> None:
    walk_id = start(store)
    set_pid(store.path, walk_id, DEAD_PID)
    store.mark_interrupted_walks()
    store.add_checkin(CheckinKind.AFTER, Checkin(pain=2, stiffness=3), walk_id=walk_id)
    assert [c.walk_id for c in store.checkins(walk_id)] == [walk_id]


# -- check-ins ------------------------------------------------------------------------------


def test_checkin_round_trip(store: Store) -> None:
    walk_id = start(store)
    before = store.add_checkin(CheckinKind.BEFORE, Checkin(pain=6, stiffness=7), walk_id=walk_id)
    after = store.add_checkin(
        CheckinKind.AFTER, Checkin(pain=4, stiffness=5, notes="[bold]easier[/]"), walk_id=walk_id
    )
    alone = store.add_checkin(CheckinKind.ALONE, Checkin(pain=3))
    checkins = store.checkins(walk_id)
    assert [(c.id, c.kind, c.pain, c.stiffness, c.notes) for c in checkins] == [
        (before, CheckinKind.BEFORE, 6, 7, ""),
        (after, CheckinKind.AFTER, 4, 5, "[bold]easier[/]"),
    ]
    assert [c.id for c in store.checkins()] == [before, after, alone]
    lone = store.checkins()[-1]
    assert (lone.walk_id, lone.kind, lone.pain, lone.stiffness) == (
        None,
        CheckinKind.ALONE,
        3,
        None,
    )


@pytest.mark.parametrize("pain", [-1, 11])
def test_out_of_range_scores_are_refused(store: Store, pain: int) -> None:
    with pytest.raises(StoreError):
        store.add_checkin(CheckinKind.ALONE, Checkin(pain=pain))
    assert store.checkins() == []


def test_segments_done_counts_segments_wholly_walked(timeline: Timeline) -> None:
    from coach.recording import segments_done

    assert [segments_done(timeline, p) for p in (0, 119.9, 120, 179.9, 180)] == [0, 0, 1, 1, 2]


def test_walk_days_are_the_walks_local_days_even_across_dst(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store asks SQLite for local days; the trends work them out in Python.
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        for started in (
            "2026-03-28T23:30:00+00:00",  # 29 March, 00:30 CET
            "2026-03-29T21:59:00+00:00",  # 29 March, 23:59 CEST (after the change)
            "2026-03-29T22:01:00+00:00",  # 30 March, 00:01 CEST
            "2026-10-24T22:30:00+00:00",  # 25 October, 00:30 CEST
            "2026-10-25T23:30:00+00:00",  # 26 October, 00:30 CET (after the change back)
        ):
            walk_id = start(store)
            store._write("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
        expected = sorted({o.local_day for o in store.walk_outcomes()}, reverse=True)
        assert store.walk_days() == expected
        assert len(expected) == 4
    finally:
        monkeypatch.undo()
        time.tzset()


def test_one_checkin_is_read_by_its_id(store: Store) -> None:
    first = store.add_checkin(CheckinKind.ALONE, Checkin(pain=2, notes="one"))
    second = store.add_checkin(CheckinKind.ALONE, Checkin(pain=5, notes="two"))
    found = store.checkin(second)
    assert found is not None and found.id == second and found.answers.notes == "two"
    assert store.checkin(first).answers.pain == 2  # type: ignore[union-attr]
    assert store.checkin(second + 100) is None


def test_history_at_one_instant_lists_walks_then_check_ins_the_newest_id_first(
    store: Store,
) -> None:
    at = "2026-03-01T06:00:00+00:00"
    first_walk, second_walk = start(store), start(store)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE walks SET started_at = ?", (at,))
    db.close()
    first = store.add_checkin(CheckinKind.ALONE, Checkin(pain=2), created_at=at)
    second = store.add_checkin(CheckinKind.ALONE, Checkin(pain=3), created_at=at)
    order = [(entry.walk_id, entry.checkin_id) for entry in store.history()]
    assert order == [(second_walk, None), (first_walk, None), (None, second), (None, first)]
