"""Two coach processes writing at once, from a database neither has created yet."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = """
import sys
from coach.core.checkin import Checkin
from coach.core.records import CheckinKind
from coach.store import Store
store = Store.open()
for i in range(int(sys.argv[1])):
    store.add_checkin(CheckinKind.ALONE, Checkin(pain=i % 11, notes=f"w{i}"))
store.close()
"""


@pytest.mark.slow
def test_two_processes_saving_500_checkins_each_keep_all_1000(tmp_path: Path) -> None:
    env = {"COACH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "500"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [writer.communicate(timeout=60) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], results
    assert all(err == "" for _out, err in results)
    with sqlite3.connect(tmp_path / "coach.db") as db:
        assert db.execute("SELECT count(*) FROM checkins").fetchone() == (1000,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
