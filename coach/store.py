"""The SQLite store: walks and check-ins, with forward migrations.

WAL mode and a busy timeout so a walk and another coach command can share the file;
foreign keys on; the schema version lives in `PRAGMA user_version`. Timestamps are
stored in UTC (ISO 8601) and shown in local time by whoever reads them. A database
that fails to open is never modified: the error says so and the file stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from coach.checkin import (
    WHERE_BY_KEY,
    Change,
    Checkin,
    WarningSign,
    Where,
    is_meaningful,
    pain_change,
)
from coach.paths import HomeError, database_path, ensure_dir

if TYPE_CHECKING:
    from coach.trends import WalkOutcome

BUSY_TIMEOUT_MS = 5000
# A walk's row is refreshed at least this often while walking. A row whose process is
# gone was left by a killed process. A paused walk writes nothing, so a live process is
# trusted until its row has been silent for STALE_AFTER: longer than any pause, short
# enough that a pid reused by another program does not keep a dead walk open for ever.
HEARTBEAT_SECONDS = 10
STALE_AFTER = timedelta(hours=12)


class StoreError(Exception):
    """The database cannot be used; the message is one line for the user."""


class WalkStatus(Enum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    INTERRUPTED = "interrupted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class CheckinKind(Enum):
    BEFORE = "before"
    AFTER = "after"
    ALONE = "alone"


MIGRATIONS: tuple[str, ...] = (
    # 1: walks and minimal check-ins.
    """
    CREATE TABLE walks (
        id INTEGER PRIMARY KEY,
        routine_id TEXT NOT NULL,
        routine_name TEXT NOT NULL,
        routine_path TEXT NOT NULL,
        routine_text TEXT NOT NULL,
        routine_hash TEXT NOT NULL,
        planned_seconds INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT,
        walked_seconds REAL NOT NULL DEFAULT 0,
        paused_seconds REAL NOT NULL DEFAULT 0,
        segments_done INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN
            ('in_progress', 'completed', 'ended_early', 'interrupted')),
        pid INTEGER
    );
    CREATE INDEX walks_started ON walks (started_at);
    CREATE INDEX walks_status ON walks (status);
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        walk_id INTEGER REFERENCES walks (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('before', 'after', 'alone')),
        created_at TEXT NOT NULL,
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        stiffness INTEGER CHECK (stiffness BETWEEN 0 AND 10),
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX checkins_walk ON checkins (walk_id);
    CREATE INDEX checkins_created ON checkins (created_at);
    """,
    # 2: the full check-in (SPEC §4), flags, and whether an unfinished walk's check-in
    # has been offered.
    """
    ALTER TABLE checkins ADD COLUMN places TEXT NOT NULL DEFAULT '';
    ALTER TABLE checkins ADD COLUMN change INTEGER CHECK (change BETWEEN -3 AND 3);
    ALTER TABLE checkins ADD COLUMN effort INTEGER CHECK (effort BETWEEN 0 AND 10);
    ALTER TABLE checkins ADD COLUMN warning_signs TEXT NOT NULL DEFAULT '';
    ALTER TABLE checkins ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX checkins_flagged ON checkins (flagged) WHERE flagged = 1;
    CREATE INDEX checkins_walk_kind ON checkins (walk_id, kind);
    CREATE INDEX walks_routine ON walks (routine_id, started_at);
    ALTER TABLE walks ADD COLUMN checkin_offered INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def routine_hash(text: str) -> str:
    import hashlib  # only when a walk starts: not part of start-up

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WalkRecord:
    id: int
    routine_id: str
    routine_name: str
    planned_seconds: int
    started_at: str
    ended_at: str | None
    walked_seconds: float
    paused_seconds: float
    segments_done: int
    status: WalkStatus


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    walk_id: int | None
    kind: CheckinKind
    created_at: str
    answers: Checkin

    @property
    def pain(self) -> int | None:
        return self.answers.pain

    @property
    def stiffness(self) -> int | None:
        return self.answers.stiffness

    @property
    def notes(self) -> str:
        return self.answers.notes


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the history: a walk with its check-ins, or a lone check-in.

    A lone check-in's reading is its `after` (the state of the back at that moment).
    """

    walk_id: int | None
    checkin_id: int | None  # the lone check-in's id
    at: str  # UTC ISO 8601: the walk's start or the check-in's time
    routine_id: str | None
    routine_name: str | None
    status: WalkStatus | None
    walked_seconds: float | None
    planned_seconds: int | None
    before: Checkin | None
    after: Checkin | None
    before_id: int | None = None
    after_id: int | None = None

    @property
    def is_walk(self) -> bool:
        return self.walk_id is not None

    @property
    def flagged(self) -> bool:
        return any(c is not None and c.flagged for c in (self.before, self.after))

    @property
    def pain_change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return pain_change(self.before.pain, self.after.pain)

    @property
    def meaningful(self) -> bool:
        if self.before is None or self.after is None:
            return False
        return is_meaningful(self.before.pain, self.after.pain)

    @property
    def notes(self) -> str:
        parts = [c.notes for c in (self.before, self.after) if c is not None and c.notes]
        return " / ".join(parts)

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def outcome(self) -> WalkOutcome | None:
        """The walk as the trends see it (None for a lone check-in)."""
        if self.walk_id is None or self.routine_id is None:
            return None
        from coach.trends import WalkOutcome

        return WalkOutcome(
            walk_id=self.walk_id,
            routine_id=self.routine_id,
            started=self.started,
            walked_seconds=self.walked_seconds or 0.0,
            pain_before=self.before.pain if self.before else None,
            pain_after=self.after.pain if self.after else None,
            flagged=self.flagged,
        )


SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """Refuse a non-empty file that isn't SQLite, before SQLite can touch it.

    SQLite treats a file shorter than its header as an empty database and would
    overwrite it; a user's file at this path must be left as it is.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror or exc}") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a readable coach database (not an SQLite file); it was left untouched"
        )


def _walk_record(row: tuple[object, ...]) -> WalkRecord:
    return WalkRecord(*row[:9], status=WalkStatus(row[9]))  # type: ignore[arg-type]


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
        try:
            ensure_dir(path.parent)
        except HomeError as exc:
            raise StoreError(str(exc)) from None
        if path.exists() and not path.is_file():
            raise StoreError(f"{path} is not a database file (it is a folder or a device)")
        _refuse_foreign_file(path)
        is_new = not path.exists()
        if is_new:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                is_new = False
            except OSError as exc:
                raise StoreError(f"cannot create the database {path}: {exc.strerror}") from None
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        store = cls(connection, path)
        try:
            store._prepare()
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StoreError(_explain(exc, path)) from None
        except StoreError:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        db = self._db
        # One statement reads both, so another process's first migration can't land
        # between them; reading the schema also proves this is a readable SQLite file
        # before anything is written.
        version, tables = db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), "
            "(SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer coach (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade coach. The file was left untouched."
            )
        if version == 0 and tables:
            raise StoreError(
                f"{self.path} is an SQLite database but not coach's; it was left untouched"
            )
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        self._use_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        # An up-to-date file needs no write lock: history must open while a walk writes.
        if version < SCHEMA_VERSION:
            self._migrate()
        # Only ever take access away: a file the user made read-only stays read-only.
        # Someone else's file can't be re-permissioned; it still works, so carry on.
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(self.path.stat().st_mode)
            if mode & 0o077:
                os.chmod(self.path, mode & 0o700)

    def _use_wal(self) -> None:
        """Switch to WAL mode, waiting for another process's lock as a write would.

        Changing the journal mode does not go through SQLite's busy handler: two coach
        processes opening a new database at once got "database is locked" at once.
        """
        db = self._db
        give_up = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > give_up:
                    raise
                time.sleep(0.01)

    def _migrate(self) -> None:
        """Apply each missing migration in its own write transaction.

        The version is read again inside the transaction: two coach processes starting
        on a new database at once must not both run the same migration.
        """
        db = self._db
        while True:
            db.execute("BEGIN IMMEDIATE")
            try:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    db.rollback()
                    return
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
                db.commit()
            except BaseException:
                db.rollback()
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                with self._db:
                    return self._db.execute(sql, _storable(params))
            except sqlite3.DatabaseError as exc:
                raise StoreError(_explain(exc, self.path)) from None

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, _storable(params)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(_explain(exc, self.path)) from None

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
            "routine_hash, planned_seconds, started_at, updated_at, status, pid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?)",
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
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def update_walk(
        self, walk_id: int, walked_seconds: float, paused_seconds: float, segments_done: int
    ) -> None:
        self._write(
            "UPDATE walks SET walked_seconds = ?, paused_seconds = ?, segments_done = ?, "
            "updated_at = ? WHERE id = ? AND status = 'in_progress'",
            (round(walked_seconds, 1), round(paused_seconds, 1), segments_done, utc_now(), walk_id),
        )

    def finish_walk(
        self,
        walk_id: int,
        status: WalkStatus,
        walked_seconds: float,
        paused_seconds: float,
        segments_done: int,
    ) -> None:
        now = utc_now()
        self._write(
            "UPDATE walks SET walked_seconds = ?, paused_seconds = ?, segments_done = ?, "
            "updated_at = ?, ended_at = ?, status = ? WHERE id = ? AND status = 'in_progress'",
            (
                round(walked_seconds, 1),
                round(paused_seconds, 1),
                segments_done,
                now,
                now,
                status.value,
                walk_id,
            ),
        )

    def mark_interrupted_walks(self) -> list[int]:
        """Mark walks left in progress by a process that is gone; return their ids."""
        rows = self._read("SELECT id, pid, updated_at FROM walks WHERE status = 'in_progress'")
        stale_before = datetime.now(UTC) - STALE_AFTER
        stale = [
            int(walk_id)  # type: ignore[call-overload]
            for walk_id, pid, updated in rows
            if not _pid_alive(pid)  # type: ignore[arg-type]
            or datetime.fromisoformat(str(updated)) < stale_before
        ]
        for walk_id in stale:
            self._write(
                "UPDATE walks SET status = 'interrupted', ended_at = updated_at "
                "WHERE id = ? AND status = 'in_progress'",
                (walk_id,),
            )
        return stale

    _WALK_COLUMNS = (
        "SELECT id, routine_id, routine_name, planned_seconds, started_at, ended_at, "
        "walked_seconds, paused_seconds, segments_done, status FROM walks"
    )

    def walks(self) -> list[WalkRecord]:
        rows = self._read(f"{self._WALK_COLUMNS} ORDER BY started_at DESC, id DESC")
        return [_walk_record(row) for row in rows]

    def walk(self, walk_id: int) -> WalkRecord | None:
        # One row by id: the app asks this at start-up, with thousands of walks stored.
        rows = self._read(f"{self._WALK_COLUMNS} WHERE id = ?", (walk_id,))
        return _walk_record(rows[0]) if rows else None

    # -- check-ins -------------------------------------------------------------------

    def add_checkin(self, kind: CheckinKind, answers: Checkin, walk_id: int | None = None) -> int:
        cursor = self._write(
            f"INSERT INTO checkins (walk_id, kind, created_at, {_ANSWER_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (walk_id, kind.value, utc_now(), *_answer_values(answers)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def checkin(self, checkin_id: int) -> CheckinRecord | None:
        """One check-in by id (one row, however many are stored)."""
        rows = self._read(f"{_SELECT_CHECKINS} WHERE id = ?", (checkin_id,))
        return self._checkin_records(rows)[0] if rows else None

    def checkins(self, walk_id: int | None = None) -> list[CheckinRecord]:
        select = _SELECT_CHECKINS
        if walk_id is None:
            rows = self._read(f"{select} ORDER BY created_at, id")
        else:
            rows = self._read(f"{select} WHERE walk_id = ? ORDER BY created_at, id", (walk_id,))
        return self._checkin_records(rows)

    @staticmethod
    def _checkin_records(rows: list[tuple[object, ...]]) -> list[CheckinRecord]:
        return [
            CheckinRecord(
                int(row[0]),  # type: ignore[call-overload]
                row[1],  # type: ignore[arg-type]
                CheckinKind(row[2]),
                str(row[3]),
                _answers(row[4:]),
            )
            for row in rows
        ]

    def update_notes(self, checkin_id: int, notes: str) -> None:
        self._write("UPDATE checkins SET notes = ? WHERE id = ?", (notes, checkin_id))

    def delete_walk(self, walk_id: int) -> None:
        """Delete a walk and its check-ins."""
        self._write("DELETE FROM walks WHERE id = ?", (walk_id,))

    def delete_checkin(self, checkin_id: int) -> None:
        self._write("DELETE FROM checkins WHERE id = ?", (checkin_id,))

    def walk_days(self) -> list[date]:
        """Every local day with a walk started on it, newest first.

        SQLite's 'localtime' uses the C library's local time, as Python's astimezone()
        does: the days match `WalkOutcome.local_day` without reading every walk.
        """
        rows = self._read(
            "SELECT DISTINCT date(started_at, 'localtime') AS day FROM walks ORDER BY day DESC"
        )
        return [date.fromisoformat(str(row[0])) for row in rows]

    def routine_ids(self) -> tuple[str, ...]:
        """Every routine with a walk stored, sorted (one index scan)."""
        rows = self._read("SELECT DISTINCT routine_id FROM walks ORDER BY routine_id")
        return tuple(str(row[0]) for row in rows)

    def flagged_count(self) -> int:
        return int(self._read("SELECT count(*) FROM checkins WHERE flagged = 1")[0][0])  # type: ignore[call-overload]

    def walk_needing_checkin(self) -> WalkRecord | None:
        """The latest walk that ended early or was interrupted, has no after check-in,
        and has not been offered one yet."""
        rows = self._read(
            "SELECT id FROM walks w WHERE status IN ('ended_early', 'interrupted') "
            "AND checkin_offered = 0 AND NOT EXISTS (SELECT 1 FROM checkins c "
            "WHERE c.walk_id = w.id AND c.kind = 'after') ORDER BY started_at DESC LIMIT 1"
        )
        return self.walk(int(rows[0][0])) if rows else None  # type: ignore[call-overload]

    def mark_checkin_offered(self, walk_id: int) -> None:
        self._write("UPDATE walks SET checkin_offered = 1 WHERE id = ?", (walk_id,))

    def history(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
        walks_only: bool = False,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """Walks (with their latest before/after check-ins) and lone check-ins, newest first.

        `since`/`until` are UTC ISO 8601 instants (inclusive, exclusive); `routine_id`
        keeps only that routine's walks (and drops lone check-ins); `limit` keeps the
        newest entries only (the history's first page; with `walks_only`, home's trend).
        """
        clause, params = _walk_filter(since, until, routine_id)
        columns = ", ".join(f"{{t}}.{c.strip()}" for c in _ANSWER_COLUMNS.split(","))
        walk_rows = self._read(
            "SELECT w.id, w.started_at, w.routine_id, w.routine_name, w.status, "
            "w.walked_seconds, w.planned_seconds, b.id, a.id, "
            f"{columns.format(t='b')}, {columns.format(t='a')} FROM walks w "
            f"{_LATEST_CHECKINS} {clause} ORDER BY w.started_at DESC, w.id DESC"
            + (f" LIMIT {int(limit)}" if limit is not None else ""),
            params,
        )
        width = len(_ANSWER_COLUMNS.split(","))
        entries = [
            HistoryEntry(
                walk_id=int(row[0]),  # type: ignore[call-overload]
                checkin_id=None,
                at=str(row[1]),
                routine_id=str(row[2]),
                routine_name=str(row[3]),
                status=WalkStatus(row[4]),
                walked_seconds=float(row[5]),  # type: ignore[arg-type]
                planned_seconds=int(row[6]),  # type: ignore[call-overload]
                before_id=row[7],  # type: ignore[arg-type]
                after_id=row[8],  # type: ignore[arg-type]
                before=_answers(row[9 : 9 + width]) if row[7] is not None else None,
                after=_answers(row[9 + width :]) if row[8] is not None else None,
            )
            for row in walk_rows
        ]
        if not routine_id and not walks_only:
            lone_where, lone_params = ["kind = 'alone'"], []
            if since:
                lone_where.append("created_at >= ?")
                lone_params.append(since)
            if until:
                lone_where.append("created_at < ?")
                lone_params.append(until)
            # With a limit, no more than that many lone check-ins can be among the newest.
            lone_rows = self._read(
                f"SELECT id, created_at, {_ANSWER_COLUMNS} FROM checkins "
                f"WHERE {' AND '.join(lone_where)}"
                + (
                    f" ORDER BY created_at DESC, id DESC LIMIT {int(limit)}"
                    if limit is not None
                    else ""
                ),
                tuple(lone_params),
            )
            entries.extend(
                HistoryEntry(
                    walk_id=None,
                    checkin_id=int(row[0]),  # type: ignore[call-overload]
                    at=str(row[1]),
                    routine_id=None,
                    routine_name=None,
                    status=None,
                    walked_seconds=None,
                    planned_seconds=None,
                    before=None,
                    after=_answers(row[2:]),
                    after_id=int(row[0]),  # type: ignore[call-overload]
                )
                for row in lone_rows
            )
        entries.sort(key=lambda e: (e.at, e.walk_id or 0, e.checkin_id or 0), reverse=True)
        return entries if limit is None else entries[:limit]

    def entry_count(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
    ) -> int:
        """How many entries `history` would return with these filters (one cheap query)."""
        walk_where, walk_params = ["1"], []
        lone_where, lone_params = ["kind = 'alone'"], []
        for column_w, column_c, op, value in (
            ("started_at", "created_at", ">=", since),
            ("started_at", "created_at", "<", until),
        ):
            if value:
                walk_where.append(f"{column_w} {op} ?")
                walk_params.append(value)
                lone_where.append(f"{column_c} {op} ?")
                lone_params.append(value)
        if routine_id:
            walk_where.append("routine_id = ?")
            walk_params.append(routine_id)
            lone_where.append("0")
        row = self._read(
            f"SELECT (SELECT count(*) FROM walks WHERE {' AND '.join(walk_where)}) + "
            f"(SELECT count(*) FROM checkins WHERE {' AND '.join(lone_where)})",
            (*walk_params, *lone_params),
        )
        return int(row[0][0])  # type: ignore[call-overload]

    def walk_outcomes(
        self,
        since: str | None = None,
        until: str | None = None,
        routine_id: str | None = None,
    ) -> list[WalkOutcome]:
        """Every walk as the trends need it, from one light query (no check-in objects).

        The history's summary and per-routine figures read thousands of walks; building
        full entries for them would cost more than the screen may take to show.
        """
        from coach.trends import WalkOutcome

        clause, params = _walk_filter(since, until, routine_id)
        rows = self._read(
            "SELECT w.id, w.routine_id, w.started_at, w.walked_seconds, b.pain, a.pain, "
            "coalesce(b.flagged, 0) + coalesce(a.flagged, 0) FROM walks w "
            f"{_LATEST_CHECKINS} {clause} ORDER BY w.started_at DESC, w.id DESC",
            params,
        )
        return [
            WalkOutcome(
                walk_id=row[0],  # type: ignore[arg-type]
                routine_id=row[1],  # type: ignore[arg-type]
                started=datetime.fromisoformat(row[2]),  # type: ignore[arg-type]
                walked_seconds=row[3],  # type: ignore[arg-type]
                pain_before=row[4],  # type: ignore[arg-type]
                pain_after=row[5],  # type: ignore[arg-type]
                flagged=bool(row[6]),
            )
            for row in rows
        ]


_ANSWER_COLUMNS = "pain, stiffness, places, change, effort, warning_signs, flagged, notes"
_SELECT_CHECKINS = f"SELECT id, walk_id, kind, created_at, {_ANSWER_COLUMNS} FROM checkins"

# A walk's latest before (b) and after (a) check-ins, for queries over `walks w`.
_LATEST_CHECKINS = (
    "LEFT JOIN checkins b ON b.id = (SELECT max(id) FROM checkins "
    "WHERE walk_id = w.id AND kind = 'before') "
    "LEFT JOIN checkins a ON a.id = (SELECT max(id) FROM checkins "
    "WHERE walk_id = w.id AND kind = 'after')"
)


def _storable(params: tuple[object, ...]) -> tuple[object, ...]:
    """Parameters SQLite can take: text from a command line or a file name may carry
    bytes that were not UTF-8 (as lone surrogates), which it refuses; they become "?"."""
    if not any(isinstance(p, str) and not p.isascii() for p in params):
        return params
    return tuple(
        p.encode("utf-8", "replace").decode("utf-8") if isinstance(p, str) else p for p in params
    )


def _walk_filter(
    since: str | None, until: str | None, routine_id: str | None
) -> tuple[str, tuple[str, ...]]:
    """A WHERE clause over `walks w` for a start-time range and a routine."""
    where, params = [], []
    for condition, value in (
        ("w.started_at >= ?", since),
        ("w.started_at < ?", until),
        ("w.routine_id = ?", routine_id),
    ):
        if value:
            where.append(condition)
            params.append(value)
    return ("WHERE " + " AND ".join(where)) if where else "", tuple(params)


def _answer_values(answers: Checkin) -> tuple[object, ...]:
    return (
        answers.pain,
        answers.stiffness,
        ",".join(sorted(w.key for w in answers.where)),
        answers.change.value if answers.change is not None else None,
        answers.effort,
        ",".join(sorted(s.name.lower() for s in answers.warning_signs)),
        int(answers.flagged),
        answers.notes,
    )


_SIGNS_BY_KEY = {sign.name.lower(): sign for sign in WarningSign}
_CHANGES = {change.value: change for change in Change}
_NOTHING: frozenset[Where] = frozenset()


def _answers(row: tuple[object, ...]) -> Checkin:
    pain, stiffness, places, change, effort, signs, _flagged, notes = row
    # This runs for every check-in of a history of thousands: keep it to lookups.
    return Checkin(
        pain=pain,  # type: ignore[arg-type]
        stiffness=stiffness,  # type: ignore[arg-type]
        where=frozenset(WHERE_BY_KEY[k] for k in str(places).split(",") if k in WHERE_BY_KEY)
        if places
        else _NOTHING,
        change=_CHANGES.get(change),  # type: ignore[arg-type]
        effort=effort,  # type: ignore[arg-type]
        warning_signs=frozenset(
            _SIGNS_BY_KEY[k] for k in str(signs).split(",") if k in _SIGNS_BY_KEY
        )
        if signs
        else frozenset(),
        notes=str(notes or ""),
    )


def _explain(exc: sqlite3.DatabaseError, path: Path) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another program; try again in a moment"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path} is not a readable coach database ({text}); it was left untouched"
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only; check the file's permissions"
    return f"database error in {path}: {text}"
