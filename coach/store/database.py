"""The store: walks and check-ins in SQLite.

WAL mode and a busy timeout so a walk and another coach command can share the file;
foreign keys on; timestamps stored in UTC (ISO 8601) and shown in local time by whoever
reads them. Rows are read through the codec, so one damaged row is named and skipped,
never fatal (`History.damaged`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from coach.core.checkin import Checkin, WarningSign
from coach.core.records import (
    CheckinKind,
    CheckinRecord,
    EpisodeRecord,
    HistoryEntry,
    KeptCheckin,
    KeptWalk,
    StoredPlan,
    WalkRecord,
    WalkStatus,
)
from coach.paths import database_path
from coach.store import codec
from coach.store.codec import ANSWERS, WALK_COLUMNS, WALK_EXTRAS, DamagedRow
from coach.store.connection import StoreError, explain, open_connection
from coach.store.queries import LATEST_CHECKINS, EntryFilter

if TYPE_CHECKING:
    from coach.core.progression import Decision
    from coach.core.trends import WalkOutcome

# A walk's row is refreshed at least this often while walking. A row whose process is
# gone was left by a killed process. A paused walk writes nothing, so a live process is
# trusted until its row has been silent for STALE_AFTER: longer than any pause, short
# enough that a pid reused by another program does not keep a dead walk open for ever.
HEARTBEAT_SECONDS = 10
STALE_AFTER = timedelta(hours=12)

_SELECT_CHECKINS = f"SELECT id, walk_id, kind, created_at, {ANSWERS} FROM checkins"
_SELECT_WALKS = f"SELECT {WALK_COLUMNS} FROM walks"
_T = TypeVar("_T")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_offset() -> int:
    """The local time zone's offset from UTC now, in seconds (east positive)."""
    offset = datetime.now().astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def routine_hash(text: str) -> str:
    import hashlib  # only when a walk starts: not part of start-up

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PlanActive(Exception):
    """A plan is already active: stop it before starting another."""


class History(list[HistoryEntry]):
    """History entries, newest first, and the rows that could not be read (named)."""

    def __init__(self, entries: list[HistoryEntry], damaged: list[DamagedRow]) -> None:
        super().__init__(entries)
        self.damaged = damaged


_AT = attrgetter("at")


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def _stale(updated: object, before: datetime) -> bool:
    try:
        return datetime.fromisoformat(str(updated)) < before
    except (TypeError, ValueError):
        return True  # unreadable: nothing vouches for it


class Store:
    """One connection to the database; safe to share between threads (calls are locked)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating if needed) and migrate the database, or raise StoreError."""
        path = path or database_path()
        return cls(open_connection(path), path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                with self._db:
                    return self._db.execute(sql, codec.storable(params))
            except sqlite3.DatabaseError as exc:
                raise StoreError(explain(exc, self.path)) from None

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, codec.storable(params)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(explain(exc, self.path)) from None

    def _transaction(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work` in one write transaction: all of it is saved, or none."""
        with self._lock:
            try:
                with self._db:
                    return work(self._db)
            except sqlite3.DatabaseError as exc:
                raise StoreError(explain(exc, self.path)) from None

    def _count(self, sql: str, params: tuple[object, ...] = ()) -> int:
        value = self._read(sql, params)[0][0]
        return value if isinstance(value, int) else 0

    # -- walks -----------------------------------------------------------------------

    def start_walk(
        self,
        routine_id: str,
        routine_name: str,
        routine_path: str,
        routine_text: str,
        planned_seconds: int,
    ) -> int:
        now = utc_now()
        cursor = self._write(
            "INSERT INTO walks (routine_id, routine_name, routine_path, routine_text, "
            "routine_hash, planned_seconds, started_at, updated_at, status, pid, utc_offset) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?)",
            (
                routine_id,
                routine_name,
                routine_path,
                routine_text,
                routine_hash(routine_text),
                planned_seconds,
                now,
                now,
                os.getpid(),
                local_offset(),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def update_walk(
        self,
        walk_id: int,
        walked_seconds: float,
        paused_seconds: float,
        segments_done: int,
        moderate_seconds: float | None = None,
        easy_seconds: float | None = None,
    ) -> None:
        """Progress so far; the cadence split (`WalkSession.cadence_seconds`) when given."""
        self._write(
            "UPDATE walks SET walked_seconds = ?, paused_seconds = ?, segments_done = ?, "
            "moderate_seconds = coalesce(?, moderate_seconds), "
            "easy_seconds = coalesce(?, easy_seconds), "
            "updated_at = ? WHERE id = ? AND status = 'in_progress'",
            (
                round(walked_seconds, 1),
                round(paused_seconds, 1),
                segments_done,
                _tenth(moderate_seconds),
                _tenth(easy_seconds),
                utc_now(),
                walk_id,
            ),
        )

    def finish_walk(
        self,
        walk_id: int,
        status: WalkStatus,
        walked_seconds: float,
        paused_seconds: float,
        segments_done: int,
        moderate_seconds: float | None = None,
        easy_seconds: float | None = None,
    ) -> None:
        now = utc_now()
        self._write(
            "UPDATE walks SET walked_seconds = ?, paused_seconds = ?, segments_done = ?, "
            "moderate_seconds = coalesce(?, moderate_seconds), "
            "easy_seconds = coalesce(?, easy_seconds), "
            "updated_at = ?, ended_at = ?, status = ? WHERE id = ? AND status = 'in_progress'",
            (
                round(walked_seconds, 1),
                round(paused_seconds, 1),
                segments_done,
                _tenth(moderate_seconds),
                _tenth(easy_seconds),
                now,
                now,
                status.value,
                walk_id,
            ),
        )

    def log_walk(
        self,
        started: datetime,
        walked_seconds: int,
        routine_id: str,
        routine_name: str,
        moderate_seconds: float,
        easy_seconds: float,
        before: Checkin | None = None,
        after: Checkin | None = None,
    ) -> int:
        """Store a walk done without the app (`coach log`), with its check-ins, at once.

        `started` is aware, in the offset where the walk was done; the walk is completed
        and as long as it was planned. The check-in before is dated at the start, the one
        after at the end.
        """
        offset = started.utcoffset()
        ended = started + timedelta(seconds=walked_seconds)
        start_utc = started.astimezone(UTC).isoformat(timespec="seconds")
        end_utc = ended.astimezone(UTC).isoformat(timespec="seconds")
        with self._lock:
            try:
                with self._db:
                    cursor = self._db.execute(
                        "INSERT INTO walks (routine_id, routine_name, routine_path, "
                        "routine_text, routine_hash, planned_seconds, started_at, updated_at, "
                        "ended_at, walked_seconds, status, source, moderate_seconds, "
                        "easy_seconds, utc_offset) VALUES (?, ?, '', '', ?, ?, ?, ?, ?, ?, "
                        "'completed', 'logged', ?, ?, ?)",
                        codec.storable(
                            (
                                routine_id,
                                routine_name,
                                routine_hash(""),
                                walked_seconds,
                                start_utc,
                                utc_now(),
                                end_utc,
                                walked_seconds,
                                _tenth(moderate_seconds),
                                _tenth(easy_seconds),
                                int(offset.total_seconds()) if offset is not None else None,
                            )
                        ),
                    )
                    walk_id = cursor.lastrowid
                    assert walk_id is not None
                    for kind, answers, at in (
                        (CheckinKind.BEFORE, before, start_utc),
                        (CheckinKind.AFTER, after, end_utc),
                    ):
                        if answers is not None:
                            self._db.execute(
                                f"INSERT INTO checkins (walk_id, kind, created_at, {ANSWERS}) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                codec.storable(
                                    (walk_id, kind.value, at, *codec.answer_values(answers))
                                ),
                            )
                    return walk_id
            except sqlite3.DatabaseError as exc:
                raise StoreError(explain(exc, self.path)) from None

    def save_walk(self, walk: KeptWalk) -> int:
        """Insert a kept walk, or bring its row up to date (by its key); return its row id.

        A row that has ended (completed or ended early) is never changed again, so an
        older copy of a walk can't undo a newer one.
        """
        return self._transaction(lambda db: _save_walk(db, walk, os.getpid())[0])

    def save_checkin(self, checkin: KeptCheckin) -> int:
        """Insert a kept check-in unless its key is stored already; return its row id."""
        return self._transaction(lambda db: _save_checkin(db, checkin)[0])

    def merge_kept(self, walks: list[KeptWalk], checkins: list[KeptCheckin]) -> tuple[int, int]:
        """Save records from the recovery file in one transaction, walks first.

        Returns how many walks and check-ins it added or changed: merging the same
        records again adds and changes nothing.
        """

        def merge(db: sqlite3.Connection) -> tuple[int, int]:
            walks_changed = checkins_added = 0
            for walk in walks:
                if walk.status is WalkStatus.IN_PROGRESS:
                    # Its process is gone: it ended where the file last saw it.
                    walk = replace(walk, status=WalkStatus.INTERRUPTED, ended_at=walk.updated_at)
                walks_changed += _save_walk(db, walk, None)[1]
            for checkin in checkins:
                checkins_added += _save_checkin(db, checkin)[1]
            return walks_changed, checkins_added

        return self._transaction(merge)

    def mark_interrupted_walks(self) -> list[int]:
        """Mark walks left in progress by a process that is gone; return their ids."""
        rows = self._read("SELECT id, pid, updated_at FROM walks WHERE status = 'in_progress'")
        stale_before = datetime.now(UTC) - STALE_AFTER
        stale = [
            walk_id
            for walk_id, pid, updated in rows
            if isinstance(walk_id, int) and (not _pid_alive(pid) or _stale(updated, stale_before))
        ]
        for walk_id in stale:
            self._write(
                "UPDATE walks SET status = 'interrupted', ended_at = updated_at "
                "WHERE id = ? AND status = 'in_progress'",
                (walk_id,),
            )
        return stale

    def walks(self) -> list[WalkRecord]:
        """Every readable walk, newest first (damaged rows are left out)."""
        rows = self._read(f"{_SELECT_WALKS} ORDER BY started_at DESC, id DESC")
        return _readable(codec.walk_record, rows, [])

    def walk(self, walk_id: int) -> WalkRecord | None:
        """One walk by id (None if there is none, or it cannot be read)."""
        # One row by id: the app asks this at start-up, with thousands of walks stored.
        rows = self._read(f"{_SELECT_WALKS} WHERE id = ?", (walk_id,))
        found = _readable(codec.walk_record, rows, [])
        return found[0] if found else None

    # -- check-ins -------------------------------------------------------------------

    def add_checkin(
        self,
        kind: CheckinKind,
        answers: Checkin,
        walk_id: int | None = None,
        created_at: str | None = None,
    ) -> int:
        cursor = self._write(
            f"INSERT INTO checkins (walk_id, kind, created_at, {ANSWERS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (walk_id, kind.value, created_at or utc_now(), *codec.answer_values(answers)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def checkin(self, checkin_id: int) -> CheckinRecord | None:
        """One check-in by id (one row, however many are stored)."""
        rows = self._read(f"{_SELECT_CHECKINS} WHERE id = ?", (checkin_id,))
        found = _readable(codec.checkin_record, rows, [])
        return found[0] if found else None

    def checkins(self, walk_id: int | None = None) -> list[CheckinRecord]:
        if walk_id is None:
            rows = self._read(f"{_SELECT_CHECKINS} ORDER BY created_at, id")
        else:
            rows = self._read(
                f"{_SELECT_CHECKINS} WHERE walk_id = ? ORDER BY created_at, id", (walk_id,)
            )
        return _readable(codec.checkin_record, rows, [])

    def update_notes(self, checkin_id: int, notes: str) -> None:
        self._write("UPDATE checkins SET notes = ? WHERE id = ?", (notes, checkin_id))

    def delete_walk(self, walk_id: int) -> None:
        """Delete a walk and its check-ins."""
        self._write("DELETE FROM walks WHERE id = ?", (walk_id,))

    def delete_checkin(self, checkin_id: int) -> None:
        self._write("DELETE FROM checkins WHERE id = ?", (checkin_id,))

    # -- the recurrence question and the day's warning signs -------------------------

    def add_episode_answer(self, episode: bool, asked_at: str | None = None) -> int:
        """Store an answer to the monthly recurrence question (asked now, unless given)."""
        now = utc_now()
        cursor = self._write(
            "INSERT INTO episodes (asked_at, answered_at, episode) VALUES (?, ?, ?)",
            (asked_at or now, now, int(episode)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def episode_answers(self) -> list[EpisodeRecord]:
        """Every readable answer to the recurrence question, oldest first."""
        rows = self._read(
            "SELECT id, asked_at, answered_at, episode FROM episodes ORDER BY answered_at, id"
        )
        return _readable(codec.episode_record, rows, [])

    def first_use(self) -> str | None:
        """When the first walk or check-in was stored (UTC ISO 8601), or None."""
        rows = self._read(
            "SELECT min(at) FROM (SELECT min(started_at) AS at FROM walks "
            "UNION ALL SELECT min(created_at) FROM checkins)"
        )
        first = rows[0][0] if rows else None
        try:
            return codec.instant(first, "first use") if first is not None else None
        except ValueError:
            return None  # a damaged date: as good as none for asking a question

    def add_warning_answer(
        self, signs: frozenset[WarningSign], walked: bool, at: str | None = None
    ) -> int:
        """Store the answer to the warning signs asked before a walk, and whether it went on.

        `at` (UTC ISO 8601) is when it was answered: now unless given.
        """
        cursor = self._write(
            "INSERT INTO warning_sign_answers (answered_at, signs, walked) VALUES (?, ?, ?)",
            (at or utc_now(), codec.signs_value(signs), int(walked)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def warning_answers(self, since: str, until: str | None = None) -> list[frozenset[WarningSign]]:
        """The signs ticked in each answer given in [since, until), oldest first."""
        clause, params = ("AND answered_at < ?", (since, until)) if until else ("", (since,))
        rows = self._read(
            f"SELECT signs FROM warning_sign_answers WHERE answered_at >= ? {clause} "
            "ORDER BY answered_at, id",
            params,
        )
        answers = []
        for (signs,) in rows:
            try:
                answers.append(codec.warning_signs(signs))
            except ValueError:
                continue  # unreadable: not an answer
        return answers

    # -- what the history and home read ----------------------------------------------

    def walk_days(self) -> list[date]:
        """Every local day with a walk started on it, newest first.

        SQLite's 'localtime' uses the C library's local time, as Python's astimezone()
        does: the days match `WalkOutcome.local_day` without reading every walk. A start
        that is not a date gives NULL, and is left out.
        """
        rows = self._read(
            "SELECT DISTINCT date(started_at, 'localtime') AS day FROM walks "
            "WHERE day IS NOT NULL ORDER BY day DESC"
        )
        days = []
        for (day,) in rows:
            try:
                days.append(date.fromisoformat(str(day)))
            except ValueError:  # a start SQLite took for a date that Python can't hold
                continue
        return days

    def routine_ids(self) -> tuple[str, ...]:
        """Every routine with a walk stored, sorted (one index scan)."""
        rows = self._read(
            "SELECT DISTINCT routine_id FROM walks WHERE routine_id != '' ORDER BY routine_id"
        )
        return tuple(row[0] for row in rows if isinstance(row[0], str))

    def flagged_count(self) -> int:
        return self._count("SELECT count(*) FROM checkins WHERE flagged = 1")

    def walk_needing_checkin(self) -> WalkRecord | None:
        """The latest walk that ended early or was interrupted, has no after check-in,
        and has not been offered one yet."""
        # The latest few, in case the latest is damaged: the offer goes to one that reads.
        rows = self._read(
            "SELECT id FROM walks w WHERE status IN ('ended_early', 'interrupted') "
            "AND checkin_offered = 0 AND NOT EXISTS (SELECT 1 FROM checkins c "
            "WHERE c.walk_id = w.id AND c.kind = 'after') ORDER BY started_at DESC LIMIT 10"
        )
        for (walk_id,) in rows:
            walk = self.walk(walk_id) if isinstance(walk_id, int) else None
            if walk is not None:
                return walk
        return None

    def mark_checkin_offered(self, walk_id: int) -> None:
        self._write("UPDATE walks SET checkin_offered = 1 WHERE id = ?", (walk_id,))

    def history(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
        walks_only: bool = False,
        limit: int | None = None,
    ) -> History:
        """Walks (with their latest before/after check-ins) and lone check-ins, newest first.

        `since`/`until` are UTC ISO 8601 instants (inclusive, exclusive); `routine_id`
        keeps only that routine's walks (and drops lone check-ins); `limit` keeps the
        newest entries only (the history's first page; with `walks_only`, home's trend).
        Rows that cannot be read are left out and named in the result's `damaged`.
        """
        chosen = EntryFilter(since, until, routine_id)
        clause, params = chosen.walks()
        answers_of = ", ".join(f"{{t}}.{c}" for c in codec.ANSWER_COLUMNS)
        last = f" LIMIT {int(limit)}" if limit is not None else ""
        walk_rows = self._read(
            "SELECT w.id, w.started_at, w.routine_id, w.routine_name, w.status, "
            "w.walked_seconds, w.planned_seconds, b.id, a.id, "
            f"{answers_of.format(t='b')}, {answers_of.format(t='a')}, {WALK_EXTRAS} FROM walks w "
            f"{LATEST_CHECKINS} {clause} ORDER BY w.started_at DESC, w.id DESC{last}",
            params,
        )
        damaged: list[DamagedRow] = []
        entries = _readable(lambda row: codec.walk_entry(row, damaged), walk_rows, damaged)
        lone = None if walks_only else chosen.lone_checkins()
        if lone is not None:
            lone_clause, lone_params = lone
            # With a limit, no more than that many lone check-ins can be among the newest.
            order = f" ORDER BY created_at DESC, id DESC{last}"
            lone_rows = self._read(
                f"SELECT id, created_at, {ANSWERS} FROM checkins {lone_clause}{order}",
                lone_params,
            )
            entries.extend(_readable(codec.lone_entry, lone_rows, damaged))
        # Both lists come newest first (the higher id first at the same time): a stable
        # sort by time alone keeps that, and a walk before a check-in at the same time.
        entries.sort(key=_AT, reverse=True)
        return History(entries if limit is None else entries[:limit], damaged)

    def entry_count(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
    ) -> int:
        """How many entries `history` would return with these filters (one cheap query)."""
        chosen = EntryFilter(since, until, routine_id)
        walk_clause, walk_params = chosen.walks(table="")
        lone = chosen.lone_checkins()
        lone_sql, lone_params = (
            ("0", ())
            if lone is None
            else (
                f"(SELECT count(*) FROM checkins {lone[0]})",
                lone[1],
            )
        )
        return self._count(
            f"SELECT (SELECT count(*) FROM walks {walk_clause}) + {lone_sql}",
            (*walk_params, *lone_params),
        )

    def walk_outcomes(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
        damaged: list[DamagedRow] | None = None,
    ) -> list[WalkOutcome]:
        """Every readable walk as the trends need it, from one light query; the walks that
        cannot be read are added to `damaged`, when given.

        The history's summary and per-routine figures read thousands of walks; building
        full entries for them would cost more than the screen may take to show.
        """
        from coach.core.localtime import walk_start
        from coach.core.trends import WalkOutcome

        clause, params = EntryFilter(since, until, routine_id).walks()
        rows = self._read(
            "SELECT w.id, w.routine_id, w.started_at, w.walked_seconds, b.pain, a.pain, "
            "coalesce(b.flagged, 0) + coalesce(a.flagged, 0), w.moderate_seconds, "
            "w.easy_seconds, w.source, w.utc_offset FROM walks w "
            f"{LATEST_CHECKINS} {clause} ORDER BY w.started_at DESC, w.id DESC",
            params,
        )

        def outcome(row: tuple[object, ...]) -> WalkOutcome:
            try:
                return WalkOutcome(
                    walk_id=codec.identifier(row[0]),
                    routine_id=codec.text(row[1], "routine_id"),
                    started=walk_start(
                        codec.instant(row[2], "started_at"), codec.utc_offset(row[10])
                    ),
                    walked_seconds=codec.seconds(row[3], "walked_seconds"),
                    pain_before=_readable_score(row[4]),
                    pain_after=_readable_score(row[5]),
                    flagged=bool(row[6]),
                    moderate_seconds=codec.optional_seconds(row[7], "moderate_seconds"),
                    easy_seconds=codec.optional_seconds(row[8], "easy_seconds"),
                    source=codec.source(row[9]),
                )
            except ValueError as exc:
                raise DamagedRow(f"walk #{row[0]}", str(exc)) from None

        return _readable(outcome, rows, damaged if damaged is not None else [])

    def flagged_checkin_times(self, since: str | None = None) -> list[str]:
        """When each lone check-in with a warning sign was made (UTC), since `since`."""
        clause, params = ("AND created_at >= ?", (since,)) if since else ("", ())
        rows = self._read(
            f"SELECT created_at FROM checkins WHERE walk_id IS NULL AND flagged = 1 {clause} "
            "ORDER BY created_at",
            params,
        )
        return [row[0] for row in rows if isinstance(row[0], str)]

    # -- plans -----------------------------------------------------------------------

    def start_plan(
        self,
        programme_id: str,
        programme_name: str,
        programme_path: str,
        programme_text: str,
        started: date,
        start_week: int,
        start_reason: str,
    ) -> int:
        """Store a new active plan; PlanActive if one is active already."""
        try:
            cursor = self._write(
                "INSERT INTO plans (programme_id, programme_name, programme_path, "
                "programme_text, programme_hash, started_on, start_week, start_reason, week, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    programme_id,
                    programme_name,
                    programme_path,
                    programme_text,
                    routine_hash(programme_text),
                    started.isoformat(),
                    start_week,
                    start_reason,
                    start_week,
                    utc_now(),
                ),
            )
        except StoreError as exc:
            if "plans_one_active" in str(exc) or "UNIQUE" in str(exc):
                raise PlanActive("a plan is already active; stop it first") from None
            raise
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def active_plan(self) -> StoredPlan | None:
        """The plan not stopped, with every decision so far (None if there is none)."""
        rows = self._read(
            "SELECT id, programme_id, programme_name, programme_path, programme_text, "
            "programme_hash, started_on, start_week, start_reason, week, stopped_at "
            "FROM plans WHERE stopped_at IS NULL ORDER BY id DESC LIMIT 1"
        )
        if not rows:
            return None
        decisions = self._read(
            "SELECT week_start, outcome, week, next_week, sessions_done, sessions_planned, "
            "reason FROM plan_decisions WHERE plan_id = ? ORDER BY week_start",
            (rows[0][0],),
        )
        return codec.stored_plan(rows[0], decisions)

    def add_decisions(self, plan_id: int, decisions: list[Decision], week: int) -> None:
        """Keep new decisions (a week already decided is left as it was) and the week
        they lead to, in one transaction."""
        now = utc_now()
        with self._lock:
            try:
                with self._db:
                    for d in decisions:
                        self._db.execute(
                            "INSERT OR IGNORE INTO plan_decisions (plan_id, week_start, "
                            "outcome, week, next_week, sessions_done, sessions_planned, "
                            "reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (
                                plan_id,
                                d.week_start.isoformat(),
                                d.outcome.value,
                                d.week,
                                d.next_week,
                                d.sessions_done,
                                d.sessions_planned,
                                d.reason,
                                now,
                            ),
                        )
                    self._db.execute("UPDATE plans SET week = ? WHERE id = ?", (week, plan_id))
            except sqlite3.DatabaseError as exc:
                raise StoreError(explain(exc, self.path)) from None

    def stop_plan(self, plan_id: int) -> None:
        self._write(
            "UPDATE plans SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL",
            (utc_now(), plan_id),
        )


def _tenth(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _save_walk(db: sqlite3.Connection, walk: KeptWalk, pid: int | None) -> tuple[int, bool]:
    """Insert or update one kept walk inside a transaction: (row id, whether it changed)."""
    progress = walk.progress
    values = (
        round(progress.walked, 1),
        round(progress.paused, 1),
        progress.segments_done,
        walk.ended_at,
        walk.status.value,
        _tenth(progress.moderate_seconds),
        _tenth(progress.easy_seconds),
    )
    row = db.execute(
        "SELECT id, walked_seconds, paused_seconds, segments_done, ended_at, status, "
        "moderate_seconds, easy_seconds FROM walks WHERE recovery_key = ?",
        (walk.key,),
    ).fetchone()
    if row is None:
        cursor = db.execute(
            "INSERT INTO walks (routine_id, routine_name, routine_path, routine_text, "
            "routine_hash, planned_seconds, started_at, updated_at, walked_seconds, "
            "paused_seconds, segments_done, ended_at, status, moderate_seconds, "
            "easy_seconds, pid, utc_offset, recovery_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            codec.storable(
                (
                    walk.routine_id,
                    walk.routine_name,
                    walk.routine_path,
                    walk.routine_text,
                    routine_hash(walk.routine_text),
                    walk.planned_seconds,
                    walk.started_at,
                    walk.updated_at,
                    *values,
                    pid,
                    walk.utc_offset,
                    walk.key,
                )
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid, True
    walk_id = int(row[0])
    if row[5] not in ("in_progress", "interrupted") or tuple(row[1:]) == values:
        return walk_id, False
    db.execute(
        "UPDATE walks SET walked_seconds = ?, paused_seconds = ?, segments_done = ?, "
        "ended_at = ?, status = ?, moderate_seconds = coalesce(?, moderate_seconds), "
        "easy_seconds = coalesce(?, easy_seconds), updated_at = ? WHERE id = ?",
        (*values, walk.updated_at, walk_id),
    )
    return walk_id, True


def _save_checkin(db: sqlite3.Connection, checkin: KeptCheckin) -> tuple[int, bool]:
    """Insert one kept check-in inside a transaction unless its key is stored already."""
    row = db.execute("SELECT id FROM checkins WHERE recovery_key = ?", (checkin.key,)).fetchone()
    if row is not None:
        return int(row[0]), False
    if checkin.walk_key is not None:
        found = db.execute(
            "SELECT id FROM walks WHERE recovery_key = ?", (checkin.walk_key,)
        ).fetchone()
    elif checkin.walk_id is not None:
        found = db.execute("SELECT id FROM walks WHERE id = ?", (checkin.walk_id,)).fetchone()
    else:
        found = None
    kind = checkin.kind
    if found is None and kind is not CheckinKind.ALONE:
        # Its walk was deleted meanwhile: the answers are kept, as a check-in on its own.
        kind = CheckinKind.ALONE
    cursor = db.execute(
        f"INSERT INTO checkins (walk_id, kind, created_at, {ANSWERS}, recovery_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        codec.storable(
            (
                None if found is None else found[0],
                kind.value,
                checkin.created_at,
                *codec.answer_values(checkin.answers),
                checkin.key,
            )
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid, True


def _readable_score(value: object) -> int | None:
    """A check-in's pain for the trends; a damaged one counts as not given (the history
    names it), so the walk still counts."""
    try:
        return codec.score(value, "pain")
    except ValueError:
        return None


def _readable(
    decode: Callable[[tuple[object, ...]], _T],
    rows: list[tuple[object, ...]],
    damaged: list[DamagedRow],
) -> list[_T]:
    """Each row decoded; those that cannot be are added to `damaged` and left out."""
    out: list[_T] = []
    for row in rows:
        try:
            out.append(decode(row))
        except DamagedRow as exc:
            damaged.append(exc)
    return out
