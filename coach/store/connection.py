"""Opening the database safely: never touch a file that isn't coach's, WAL, permissions.

A database that fails to open is never modified: the error says so and the file stays as
it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from pathlib import Path

from coach.paths import HomeError, ensure_dir
from coach.store.migrations import SCHEMA_VERSION, migrate, schema_version

BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used; the message is one line for the user."""


def open_connection(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`, or raise StoreError."""
    try:
        ensure_dir(path.parent)
    except HomeError as exc:
        raise StoreError(str(exc)) from None
    if path.exists() and not path.is_file():
        raise StoreError(f"{path} is not a database file (it is a folder or a device)")
    _refuse_foreign_file(path)
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot create the database {path}: {exc.strerror}") from None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    try:
        _prepare(connection, path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise StoreError(explain(exc, path)) from None
    except StoreError:
        connection.close()
        raise
    return connection


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


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    version, tables = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer coach (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade coach. The file was left untouched."
        )
    if version == 0 and tables:
        raise StoreError(f"{path} is an SQLite database but not coach's; it was left untouched")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    _use_wal(db)
    db.execute("PRAGMA synchronous = NORMAL")
    # An up-to-date file needs no write lock: history must open while a walk writes.
    if version < SCHEMA_VERSION:
        migrate(db)
    # Only ever take access away: a file the user made read-only stays read-only.
    # Someone else's file can't be re-permissioned; it still works, so carry on.
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL mode, waiting for another process's lock as a write would.

    Changing the journal mode does not go through SQLite's busy handler: two coach
    processes opening a new database at once got "database is locked" at once.
    """
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


def explain(exc: sqlite3.DatabaseError, path: Path) -> str:
    """An SQLite error as one line for the person."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another program; try again in a moment"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path} is not a readable coach database ({text}); it was left untouched"
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only; check the file's permissions"
    if "full" in text:
        return f"the disk holding {path} is full"
    return f"database error in {path}: {text}"
