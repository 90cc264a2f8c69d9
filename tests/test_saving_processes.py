"""Nothing lost, nothing misreported: real `coach` processes against a database another
program locks, and a disk that fills up.

The lock is another process's `BEGIN EXCLUSIVE`, held longer than coach's busy timeout.
The full disk is a tiny tmpfs mounted in a private mount namespace (`unshare -m`); that
test is skipped where mounting is not allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.core.checkin import Checkin
from coach.core.records import CheckinKind
from coach.recording import EXIT_RETRY_SECONDS
from coach.store import BUSY_TIMEOUT_MS, Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes"),
]

ROUTINE = """\
name: Short
cadence: 100
segments:
  - name: One
    duration: 2s
  - name: Two
    duration: 2s
"""
HOLD = textwrap.dedent(
    """\
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.readline()  # held until the test says
    db.execute("ROLLBACK")
    """
)


def coach(home: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env={**os.environ, "COACH_HOME": str(home)},
        cwd=home.parent,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    store = Store.open(home / "coach.db")
    store.add_checkin(CheckinKind.ALONE, Checkin(pain=1))
    store.add_warning_answer(frozenset(), walked=True)  # today's asked: the walk starts at once
    store.close()
    (tmp_path / "short.yaml").write_text(ROUTINE, encoding="utf-8")
    return home


class Lock:
    """Another program holding the database's write lock until `release`."""

    def __init__(self, database: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "locked\n"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=10)


@pytest.fixture
def lock(home: Path) -> Iterator[Lock]:
    held = Lock(home / "coach.db")
    yield held
    held.release()


def walk_in_background(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach",
            "walk",
            "short.yaml",
            "--plain",
            "--sound",
            "off",
            "--no-beat",
        ],
        env={**os.environ, "COACH_HOME": str(home)},
        cwd=home.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def walks(home: Path) -> list[dict[str, object]]:
    out = coach(home, "history", "--format", "json").stdout
    return [e for e in json.loads(out) if e["type"] == "walk"]


def test_a_walk_begun_under_a_lock_is_saved_once_the_lock_goes(home: Path, lock: Lock) -> None:
    walk = walk_in_background(home)
    time.sleep(BUSY_TIMEOUT_MS / 1000 + 3)  # past the busy timeout and the walk's end
    lock.release()
    out, err = walk.communicate(timeout=EXIT_RETRY_SECONDS + 20)
    assert walk.returncode == 0, err
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"coach: Not saved yet: your walk (the database {home / 'coach.db'} is locked by "
        "another program). coach keeps it and tries again.",
        *[line for line in err.splitlines() if "retrying for up to 30 s" in line],
        "coach: Saving works again: everything is saved.",
    ]
    assert "[00:00:04] Walk complete: Short, 0:04" in out.splitlines()
    assert "Summary: Walk complete" in out.splitlines()  # said once the walk is saved
    (saved,) = walks(home)
    assert saved["status"] == "completed" and saved["walked_seconds"] == 4


def test_a_walk_the_database_never_takes_goes_to_the_recovery_file_and_comes_back(
    home: Path, lock: Lock
) -> None:
    began = time.monotonic()
    result = coach(home, "walk", "short.yaml", "--plain", "--sound", "off", "--no-beat")
    took = time.monotonic() - began
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # Never "Walk complete" over a walk the database does not hold.
    assert "Walk complete" not in result.stdout
    assert (
        "[00:00:04] Not saved: Short, 0:04 walked (completed); see the message above"
    ) in result.stdout.splitlines()
    assert "Summary: Walk over, not saved yet" in result.stdout.splitlines()
    recovery = home / "coach.db.pending.jsonl"
    err = result.stderr.splitlines()
    assert any("retrying for up to 30 s" in line for line in err)
    assert err[-1].startswith(
        "coach: could not save the walk “Short” (completed, 0:04 walked): the database"
    )
    assert err[-1].endswith(
        f"Kept in {recovery}; coach adds it to your history the next time it starts"
    )
    assert EXIT_RETRY_SECONDS <= took <= EXIT_RETRY_SECONDS + 4 + 2 * BUSY_TIMEOUT_MS / 1000 + 5
    assert oct(recovery.stat().st_mode & 0o777) == "0o600"
    (line,) = recovery.read_text().splitlines()
    assert json.loads(line)["status"] == "completed"

    lock.release()
    # The next command that opens the store merges it, says so, and removes the file.
    merged = coach(home, "history", "--format", "json")
    assert merged.returncode == 0
    assert merged.stderr == "coach: recovered 1 walk from coach.db.pending.jsonl\n"
    assert not recovery.exists()
    (saved,) = [e for e in json.loads(merged.stdout) if e["type"] == "walk"]
    assert saved["status"] == "completed" and saved["walked_seconds"] == 4
    again = coach(home, "history", "--format", "json")
    assert again.stderr == "" and again.stdout == merged.stdout


def test_a_check_in_by_flags_on_a_locked_database_is_refused_and_never_saved_twice(
    home: Path, lock: Lock
) -> None:
    result = coach(home, "checkin", "--pain", "3")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line == (
        f"coach: the database {home / 'coach.db'} is locked by another program; try again in "
        "a moment; nothing was saved"
    )
    assert result.stdout == ""
    lock.release()
    retried = coach(home, "checkin", "--pain", "3")
    assert retried.returncode == 0
    out = coach(home, "history", "--format", "json").stdout
    assert [e["pain_after"] for e in json.loads(out)] == [3, 1]


# -- a full disk ------------------------------------------------------------------------

FULL_DISK = """\
set -u
mount -t tmpfs -o size=512k tmpfs "$HOME_DIR" || exit 77
cd "$WORK"
"$PYTHON" -m coach checkin --pain 1 >/dev/null || exit 78
"$PYTHON" -m coach walk short.yaml --plain --sound off --no-beat >walk.out 2>walk.err &
walk=$!
sleep 1
dd if=/dev/zero of="$HOME_DIR/filler" bs=4k 2>/dev/null   # the disk is full
sleep 6                                                    # the walk ends meanwhile
rm "$HOME_DIR/filler"                                      # room again, while it retries
wait $walk
echo "exit $?"
"$PYTHON" -m coach history --format json
"""


def test_a_walk_on_a_disk_that_fills_up_is_kept_and_saved_when_there_is_room(
    tmp_path: Path,
) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare: cannot mount a small disk")
    work = tmp_path
    (work / "home").mkdir()
    (work / "short.yaml").write_text(ROUTINE.replace("2s", "3s"), encoding="utf-8")
    env = {
        **os.environ,
        "HOME_DIR": str(work / "home"),
        "COACH_HOME": str(work / "home"),
        "WORK": str(work),
        "PYTHON": sys.executable,
    }
    run = subprocess.run(
        [unshare, "-m", "--propagation", "private", "sh", "-c", FULL_DISK],
        env=env,
        capture_output=True,
        text=True,
        timeout=EXIT_RETRY_SECONDS + 40,
        check=False,
    )
    if run.returncode in (77, 1) and "exit" not in run.stdout:
        pytest.skip(f"mounting a tmpfs is not allowed here: {run.stderr.strip()}")
    out = (work / "walk.out").read_text()
    err = (work / "walk.err").read_text()
    assert "Traceback" not in err
    assert "exit 0" in run.stdout, (run.stdout, out, err)
    assert "is full). coach keeps it and tries again." in err
    assert "coach: Saving works again: everything is saved." in err
    assert "[00:00:06] Walk complete: Short, 0:06" in out.splitlines()
    assert "Summary: Walk complete" in out.splitlines()
    history = json.loads(run.stdout.split("exit 0\n", 1)[1])
    (walk,) = [e for e in history if e["type"] == "walk"]
    assert walk["status"] == "completed" and walk["walked_seconds"] == 6
