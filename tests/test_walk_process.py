"""A real `coach walk --plain` process: killed, terminated or interrupted, the walk is kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.core.records import WalkStatus
from coach.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
]

WALK_SECONDS = 2.0
# Generous bounds: what matters is that the time walked is kept, not a stopwatch.
TOLERANCE = 10.0


@dataclass
class Walk:
    process: subprocess.Popen[str]
    database: Path
    seen_at: float  # monotonic time at which the walk's row first appeared

    def walked_so_far(self) -> float:
        return time.monotonic() - self.seen_at


def walk_rows(database: Path) -> list[tuple[int, str, float]]:
    if not database.exists():
        return []
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
            rows = db.execute("SELECT id, status, walked_seconds FROM walks").fetchall()
        db.close()
    except sqlite3.Error:
        return []  # not created or not migrated yet
    return rows


@pytest.fixture
def walk(tmp_path: Path) -> Iterator[Walk]:
    """`python -m coach walk desk-break --plain --sound off`, recording, at real speed."""
    home = tmp_path / "home"
    env = {**os.environ, "COACH_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach",
            "walk",
            "desk-break",
            "--plain",
            "--sound",
            "off",
            "--no-beat",
        ],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    database = home / "coach.db"
    try:
        deadline = time.monotonic() + 10
        while not walk_rows(database):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the walk's row never appeared"
            time.sleep(0.05)
        yield Walk(process, database, time.monotonic())
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def stop(walk: Walk, signum: int) -> tuple[float, str, str]:
    """Let the walk run, send `signum`, and return (seconds walked, stdout, stderr)."""
    time.sleep(WALK_SECONDS)
    truth = walk.walked_so_far()
    walk.process.send_signal(signum)
    began = time.monotonic()
    out, err = walk.process.communicate(timeout=10)
    assert time.monotonic() - began < 5, "the walk did not stop promptly"
    return truth, out, err


def recorded(database: Path) -> tuple[WalkStatus, float]:
    store = Store.open(database)
    try:
        store.mark_interrupted_walks()
        (row,) = store.walks()
        return row.status, row.walked_seconds
    finally:
        store.close()


def test_a_killed_walk_is_marked_interrupted_on_the_next_start(walk: Walk) -> None:
    truth, out, _ = stop(walk, signal.SIGKILL)
    assert walk.process.returncode == -signal.SIGKILL
    assert out.startswith("[00:00:00] Stand up and ease in")
    status, walked = recorded(walk.database)
    assert status is WalkStatus.INTERRUPTED
    assert abs(walked - truth) <= TOLERANCE


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name
)
def test_a_signalled_walk_ends_early_with_the_time_walked(walk: Walk, signum: int) -> None:
    truth, out, err = stop(walk, signum)
    assert "Traceback" not in err
    lines = out.splitlines()
    ended = [n for n, line in enumerate(lines) if "Ended early after" in line]
    assert ended and lines[ended[0] + 1] == "Summary: Walk ended early, saved"
    status, walked = recorded(walk.database)
    assert status is WalkStatus.ENDED_EARLY
    assert walked > 0.5
    assert abs(walked - truth) <= TOLERANCE
