"""One damaged row never hides the rest: `coach history` in every format, real processes.

Another program (or a bad disk, or an older coach) may leave any value in any column:
a date that is not one, a status coach doesn't know, a pain of 11 or 'abc', NULL where
text belongs. Each case damages one row of a database holding good ones.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.core.checkin import Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store

pytestmark = pytest.mark.slow


def good_history(home: Path) -> Path:
    """Three walks (the second with check-ins before and after) and two lone check-ins."""
    store = Store.open(home / "coach.db")
    for n in range(3):
        walk_id = store.start_walk("desk-break", "Desk break", "x.yaml", "name: x", 600)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 6)
        store._write(
            "UPDATE walks SET started_at = ? WHERE id = ?",
            (f"2026-11-0{n + 1}T10:00:00+00:00", walk_id),
        )
        if n == 1:
            store.add_checkin(CheckinKind.BEFORE, Checkin(pain=5), walk_id)
            store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    store.add_checkin(CheckinKind.ALONE, Checkin(pain=2, notes="one"))
    store.add_checkin(CheckinKind.ALONE, Checkin(pain=4, notes="two"))
    store.close()
    return home / "coach.db"


def damage(database: Path, sql: str) -> None:
    """Write as another program might: without coach's NOT NULL and CHECK rules."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA writable_schema = ON")
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        (create,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = ?",
            (create.replace("NOT NULL", ""), table),
        )
    db.commit()
    db.close()
    db = sqlite3.connect(database)  # the schema as changed
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute(sql)
    db.commit()
    db.close()


# (what is damaged, SQL, the entry named, words of the reason, entries still listed)
CASES: dict[str, tuple[str, str, str, int]] = {
    "walk-bad-date": (
        "UPDATE walks SET started_at = 'x' WHERE id = 3",
        "walk #3",
        "started_at 'x' is not a date",
        4,
    ),
    "walk-unknown-status": (
        "UPDATE walks SET status = 'lost' WHERE id = 3",
        "walk #3",
        "status 'lost' is not one coach knows",
        4,
    ),
    "walk-null-name": (
        "UPDATE walks SET routine_name = NULL WHERE id = 3",
        "walk #3",
        "routine_name None is not text",
        4,
    ),
    "walk-text-seconds": (
        "UPDATE walks SET walked_seconds = 'long' WHERE id = 3",
        "walk #3",
        "walked_seconds 'long' is not a number of seconds",
        4,
    ),
    "checkin-pain-11": (
        "UPDATE checkins SET pain = 11 WHERE id = 3",
        "check-in #3",
        "pain 11 is not a score from 0 to 10",
        4,
    ),
    "checkin-pain-abc": (
        "UPDATE checkins SET pain = 'abc' WHERE id = 4",
        "check-in #4",
        "pain 'abc' is not a score",
        4,
    ),
    "checkin-null-date": (
        "UPDATE checkins SET created_at = NULL WHERE id = 4",
        "check-in #4",
        "created_at None is not a date",
        4,
    ),
    # The walk's own after check-in: the walk still shows, without it.
    "walks-checkin-pain-11": (
        "UPDATE checkins SET pain = 11 WHERE id = 2",
        "check-in #2",
        "pain 11 is not a score",
        5,
    ),
}


def coach(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env={**os.environ, "COACH_HOME": str(home), **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def entries_listed(output_format: str, out: str) -> int:
    if output_format == "json":
        return len(json.loads(out))
    if output_format == "csv":
        return len(out.splitlines()) - 1
    return sum(line[:4].isdigit() for line in out.splitlines())  # a date starts each entry


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_history_lists_every_readable_entry_and_names_the_damaged_one(
    tmp_path: Path, case: str, output_format: str
) -> None:
    sql, entry, reason, listed = CASES[case]
    database = good_history(tmp_path)
    damage(database, sql)
    result = coach(tmp_path, "history", "--format", output_format)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"coach: {entry} is damaged ("), line
    assert reason in line and line.endswith("; left out")
    assert entries_listed(output_format, result.stdout) == listed, result.stdout


def test_a_date_local_time_cannot_show_is_damaged_not_a_crash(tmp_path: Path) -> None:
    database = good_history(tmp_path)
    damage(database, "UPDATE walks SET started_at = '0001-01-01T00:00:00+00:00' WHERE id = 1")
    # West of Greenwich, the first instant of the calendar is in the year 0.
    result = coach(tmp_path, "history", env={"TZ": "America/New_York"})
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "walk #1 is damaged (started_at '0001-01-01T00:00:00+00:00' is out of" in result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_other_commands_start_as_usual_over_a_damaged_row(tmp_path: Path, case: str) -> None:
    database = good_history(tmp_path)
    damage(database, CASES[case][0])
    for args in (
        ["checkin", "--pain", "1"],
        ["walk", "desk-break", "--plain", "--speed", "600", "--no-beat"],
    ):
        result = coach(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == ""


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_effects_name_a_damaged_walk_and_say_so_in_the_exit(
    tmp_path: Path, output_format: str
) -> None:
    database = good_history(tmp_path)
    damage(database, "UPDATE walks SET started_at = 'yesterday' WHERE id = 1")
    result = coach(tmp_path, "history", "--effects", "--format", output_format)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("coach: walk #1 is damaged (") and line.endswith("; left out")
    assert result.stdout  # the figures of every readable walk


def test_with_stderr_closed_the_json_on_stdout_stays_json(tmp_path: Path) -> None:
    database = good_history(tmp_path)
    damage(database, "UPDATE walks SET started_at = 'x' WHERE id = 3")
    result = subprocess.run(
        [sys.executable, "-m", "coach", "history", "--format", "json"],
        env={**os.environ, "COACH_HOME": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2),  # `2>&-`: the warning has nowhere to go
        timeout=30,
        check=False,
    )
    assert result.returncode == 1  # the damaged walk still says so in the exit
    assert len(json.loads(result.stdout)) == 4  # not a warning line mixed into the JSON
