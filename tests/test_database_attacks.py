"""Broken and hostile databases and homes, through real `coach` processes.

Each attack must end in one clear line on stderr and a non-zero exit, never a
traceback, and must leave the user's file exactly as it was.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from coach.store import BUSY_TIMEOUT_MS, SCHEMA_VERSION, Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions"),
]

CHECKIN = ["checkin", "--pain", "3", "--stiffness", "2"]
HISTORY = ["history"]
WALK = ["walk", "desk-break", "--plain", "--sound", "off", "--no-beat"]
COMMANDS = {"checkin": CHECKIN, "history": HISTORY, "walk": WALK}


def _without_root_override() -> list[str]:
    """A prefix under which file permissions hold, even for root (who ignores them).

    Dropping CAP_DAC_OVERRIDE and friends from the bounding set makes root's exec'd
    child an ordinary owner as far as permissions go, while it can still read the
    interpreter and the project wherever they are.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable"]


def coach(
    home: Path, args: Sequence[str], *, enforce_permissions: bool = False, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    prefix = _without_root_override() if enforce_permissions else []
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "coach", *args],
        env=env,
        cwd=home.anchor,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("coach: "), line
    for word in words:
        assert word in line, line
    return line


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry of a folder: its bytes (None for a folder) and permission bits."""
    return {
        p.name: (p.read_bytes() if p.is_file() else None, stat.S_IMODE(p.stat().st_mode))
        for p in sorted(folder.iterdir())
    }


def a_coach_database(home: Path, checkins: int = 3) -> Path:
    """A real coach database holding a few check-ins, closed cleanly (no -wal left)."""
    from coach.core.checkin import Checkin
    from coach.core.records import CheckinKind

    store = Store.open(home / "coach.db")  # creates the folder, as coach does
    for n in range(checkins):
        store.add_checkin(CheckinKind.ALONE, Checkin(pain=n, stiffness=n), None)
    store.close()
    return home / "coach.db"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    yield home
    # Give permissions back so pytest can clean up.
    for path in [home, *home.rglob("*")] if home.exists() else []:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)


# -- a file that is not a coach database ------------------------------------------------


def corrupt(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "coach.db").write_bytes(random.Random(7).randbytes(8192))


def truncated(home: Path) -> None:
    path = a_coach_database(home)
    whole = path.read_bytes()
    # The header says more pages than there are: SQLite calls this malformed.
    path.write_bytes(whole[:100] + b"\x00" * (len(whole) // 2 - 100))


def newer_schema(home: Path) -> None:
    path = a_coach_database(home)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()


def foreign(home: Path) -> None:
    home.mkdir(mode=0o700)
    with sqlite3.connect(home / "coach.db") as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
        db.execute("INSERT INTO recipes VALUES ('soup')")
    db.close()


def one_byte(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "coach.db").write_bytes(b"x")


def folder(home: Path) -> None:
    (home / "coach.db").mkdir(parents=True)


ATTACKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupt": (corrupt, "not a readable coach database"),
    "truncated": (truncated, "not a readable coach database"),
    "newer-schema": (newer_schema, "newer coach"),
    "foreign-sqlite": (foreign, "not coach's"),
    "one-byte": (one_byte, "not"),
    "folder": (folder, "not a database file"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_bad_database_is_refused_and_left_byte_for_byte(
    home: Path, attack: str, command: str
) -> None:
    make, words = ATTACKS[attack]
    make(home)
    before = snapshot(home)
    result = coach(home, COMMANDS[command])
    assert_one_clear_line(result, words, str(home / "coach.db"))
    assert snapshot(home) == before


# -- permissions ----------------------------------------------------------------------


def test_a_read_only_folder_without_a_database_is_a_clear_error(home: Path) -> None:
    home.mkdir(mode=0o500)
    for args in (CHECKIN, HISTORY, WALK):
        result = coach(home, args, enforce_permissions=True)
        assert_one_clear_line(result, str(home), "not writable")
    assert list(home.iterdir()) == []


def test_a_read_only_folder_with_a_database_refuses_writes_and_keeps_the_file(
    home: Path,
) -> None:
    a_coach_database(home)
    home.chmod(0o500)
    before = snapshot(home)
    for args in (CHECKIN, WALK):
        result = coach(home, args, enforce_permissions=True)
        assert_one_clear_line(result, str(home), "not writable")
    assert snapshot(home) == before


def test_a_read_only_database_file_refuses_a_check_in_and_stays_read_only(home: Path) -> None:
    path = a_coach_database(home)
    path.chmod(0o400)
    before = path.read_bytes()
    result = coach(home, CHECKIN, enforce_permissions=True)
    assert_one_clear_line(result, "read-only", str(path))
    assert path.read_bytes() == before
    # coach only ever takes access away: the user's read-only choice is kept.
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_read_only_database_can_still_be_read(home: Path) -> None:
    path = a_coach_database(home, checkins=2)
    path.chmod(0o400)
    result = coach(home, [*HISTORY, "--format", "json"], enforce_permissions=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"type": "checkin"') == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_group_readable_database_is_made_private(home: Path) -> None:
    path = a_coach_database(home)
    path.chmod(0o644)
    assert coach(home, HISTORY).returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_new_folders_are_0700_and_the_database_0600(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b" / "home"
    assert coach(home, CHECKIN).returncode == 0
    for folder_path in (tmp_path / "a", tmp_path / "a" / "b", home):
        assert stat.S_IMODE(folder_path.stat().st_mode) == 0o700, folder_path
    for path in home.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_coach_home_that_is_a_file_is_a_clear_error(tmp_path: Path, command: str) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder\n")
    result = coach(home, COMMANDS[command])
    assert_one_clear_line(result, str(home))
    assert home.read_text() == "not a folder\n"


def test_a_coach_home_under_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o500)
    try:
        result = coach(parent / "home", CHECKIN, enforce_permissions=True)
        assert_one_clear_line(result, str(parent / "home"))
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o700)


# -- another writer holds the database --------------------------------------------------


@pytest.fixture
def locked(home: Path) -> Iterator[Path]:
    """A coach database whose write lock another program holds throughout the test."""
    path = a_coach_database(home)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute(
        "INSERT INTO checkins (kind, created_at, pain) "
        "VALUES ('alone', '2026-01-01T00:00:00+00:00', 1)"
    )
    try:
        yield path
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# A walk is not refused: it begins and is kept until the database takes it
# (test_saving_processes.py).
def test_a_database_locked_longer_than_the_busy_timeout_is_a_clear_error(locked: Path) -> None:
    began = time.monotonic()
    result = coach(locked.parent, CHECKIN)
    waited = time.monotonic() - began
    assert_one_clear_line(result, "locked", str(locked))
    # It waited for the other writer first, then gave up instead of hanging.
    assert BUSY_TIMEOUT_MS / 1000 - 0.5 <= waited <= BUSY_TIMEOUT_MS / 1000 + 10


def test_history_reads_while_another_program_writes(locked: Path) -> None:
    result = coach(locked.parent, [*HISTORY, "--format", "json"])
    assert result.returncode == 0, result.stderr
    # The other program's uncommitted row is not seen; the committed ones are.
    assert result.stdout.count('"type": "checkin"') == 3
