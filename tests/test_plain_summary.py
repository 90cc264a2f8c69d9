"""`coach walk --plain` ends with the walk's summary, as lines (a real process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes and a few real seconds

SHORT = """\
name: Short [/x]
segments:
  - name: One
    duration: 2s
    cadence: 120
"""


def coach(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COACH_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "coach", "walk", *args, "--plain", "--sound", "off", "--no-beat"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def summary_of(output: str) -> list[str]:
    lines = output.splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("Summary: ")]
    assert len(starts) == 1, output
    return lines[starts[0] :]


def test_a_finished_plain_walk_prints_its_summary(tmp_path: Path) -> None:
    routine = tmp_path / "short.yaml"
    routine.write_text(SHORT, encoding="utf-8")
    out, err = coach(tmp_path / "home", str(routine)).communicate(timeout=60)
    assert summary_of(out) == [
        "Summary: Walk complete",
        "  Routine:     Short [/x]",
        "  Walked:      0:02 of 0:02",
        "  Steps:       4",
        "  Segments:    1 of 1 walked through",
        "  This week:   1 walk, 0 min",
        "  Weekly dose: 0 of 150 min moderate · 0 min easy",
    ]
    assert "Traceback" not in err


def test_an_interrupted_plain_walk_prints_what_was_walked(tmp_path: Path) -> None:
    process = coach(tmp_path / "home", "desk-break")
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    summary = summary_of(out)
    assert summary[0] == "Summary: Walk ended early, saved"
    assert summary[2].startswith("  Walked:      0:0")
    assert summary[4] == "  Segments:    0 of 6 walked through"


def test_a_plain_preview_says_it_was_not_recorded(tmp_path: Path) -> None:
    out, _ = coach(tmp_path / "home", "desk-break", "--speed", "300").communicate(timeout=60)
    summary = summary_of(out)
    assert summary[0] == "Summary: Preview over, not recorded"
    assert "  This week:    not counted (not recorded)" in summary
