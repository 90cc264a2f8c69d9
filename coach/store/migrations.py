"""The schema, one forward migration at a time; its version lives in `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3

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
    # 3: programmes and the weekly dose (SPEC §9). A walk is guided (walked in coach) or
    # logged (`coach log`); its seconds at moderate or higher cadence and below (NULL for
    # walks recorded before), and the UTC offset where it started, in seconds, so its day
    # and week stay where it was walked. A plan follows one programme, whose text is kept
    # as it was at the start; at most one plan is active (not stopped). Each week's
    # decision is kept with its reason, once per plan and week.
    """
    ALTER TABLE walks ADD COLUMN source TEXT NOT NULL DEFAULT 'guided'
        CHECK (source IN ('guided', 'logged'));
    ALTER TABLE walks ADD COLUMN moderate_seconds REAL;
    ALTER TABLE walks ADD COLUMN easy_seconds REAL;
    ALTER TABLE walks ADD COLUMN utc_offset INTEGER;
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        programme_id TEXT NOT NULL,
        programme_name TEXT NOT NULL,
        programme_path TEXT NOT NULL,
        programme_text TEXT NOT NULL,
        programme_hash TEXT NOT NULL,
        started_on TEXT NOT NULL,
        start_week INTEGER NOT NULL,
        start_reason TEXT NOT NULL,
        week INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        stopped_at TEXT
    );
    CREATE UNIQUE INDEX plans_one_active ON plans ((stopped_at IS NULL))
        WHERE stopped_at IS NULL;
    CREATE TABLE plan_decisions (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        week_start TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('advance', 'hold', 'step_back', 'complete')),
        week INTEGER NOT NULL,
        next_week INTEGER NOT NULL,
        sessions_done INTEGER NOT NULL,
        sessions_planned INTEGER NOT NULL,
        reason TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        UNIQUE (plan_id, week_start)
    );
    """,
    # 4: answers to the monthly recurrence question (SPEC §10), and to the warning signs
    # asked before the day's first walk (SPEC §4), "none of these" included, so the day's
    # first walk is known. A ticked sign is also kept as a check-in, flagged in history.
    """
    CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        episode INTEGER NOT NULL CHECK (episode IN (0, 1))
    );
    CREATE INDEX episodes_answered ON episodes (answered_at);
    CREATE TABLE warning_sign_answers (
        id INTEGER PRIMARY KEY,
        answered_at TEXT NOT NULL,
        signs TEXT NOT NULL DEFAULT '',
        walked INTEGER NOT NULL CHECK (walked IN (0, 1))
    );
    CREATE INDEX warning_sign_answers_at ON warning_sign_answers (answered_at);
    """,
    # 5: a recovery key per walk and check-in, so a record kept in memory or in the
    # recovery file (coach.db.pending.jsonl) is saved once however often it is merged.
    """
    ALTER TABLE walks ADD COLUMN recovery_key TEXT;
    ALTER TABLE checkins ADD COLUMN recovery_key TEXT;
    CREATE UNIQUE INDEX walks_recovery_key ON walks (recovery_key);
    CREATE UNIQUE INDEX checkins_recovery_key ON checkins (recovery_key);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> tuple[int, int]:
    """(user_version, number of schema objects), read in one statement.

    One statement reads both, so another process's first migration can't land between
    them; reading the schema also proves this is a readable SQLite file before anything
    is written.
    """
    version, tables = db.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), "
        "(SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    return int(version), int(tables)


def migrate(db: sqlite3.Connection) -> None:
    """Apply each missing migration in its own write transaction.

    The version is read again inside the transaction: two coach processes starting on a
    new database at once must not both run the same migration.
    """
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
