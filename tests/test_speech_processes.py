"""Speech processes: the config's `tts_command` in plain mode too, and no speech process
(nor anything it started) outlives coach or an utterance's time limit."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.sound import Speaker

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups"),
]

ROUTINE = """\
name: Two seconds
cadence: 100
segments:
  - name: Only
    duration: 2s
"""


def hanging_tts(folder: Path) -> tuple[Path, Path]:
    """A TTS command that never finishes: it starts a child of its own and waits.
    Each process writes its pid to `pids`."""
    pids = folder / "pids"
    script = folder / "hanging-tts"
    script.write_text(
        f'#!/bin/sh\necho "$$ $1" >> "{pids}"\nsleep 300 &\necho "$! child" >> "{pids}"\nwait\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, pids


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def started(pids: Path, count: int = 2, timeout: float = 10) -> list[int]:
    end = time.monotonic() + timeout
    while True:
        found = pids.read_text().splitlines() if pids.exists() else []
        if len(found) >= count:
            return [int(line.split()[0]) for line in found]
        assert time.monotonic() < end, found
        time.sleep(0.05)


def gone(pids: list[int], timeout: float = 5) -> bool:
    end = time.monotonic() + timeout
    while any(alive(pid) for pid in pids):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def test_plain_mode_speaks_through_the_configs_command_and_leaves_no_process_behind(
    tmp_path: Path,
) -> None:
    script, pids = hanging_tts(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.yaml").write_text(f"tts_command: {script} {{text}}\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text(ROUTINE, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "coach",
            "walk",
            "two.yaml",
            "--plain",
            "--sound",
            "voice",
            "--no-beat",
        ],
        env={**os.environ, "COACH_HOME": str(home)},
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Walk complete" in result.stdout
    lines = pids.read_text().splitlines()
    assert "Only" in lines[0]  # the config's command said the first segment
    processes = [int(line.split()[0]) for line in lines]
    assert gone(processes), [p for p in processes if alive(p)]


def test_an_utterance_that_outlasts_its_time_limit_is_ended_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.sound.SPEAK_TIMEOUT", 0.5)
    script, pids = hanging_tts(tmp_path)
    speaker = Speaker([str(script), "{text}"])
    try:
        speaker.say("hello")
        processes = started(pids)
        assert gone(processes), "the hanging speech was not ended"
        speaker.say("again")  # the speaker goes on with the next utterance
        assert len(started(pids, count=4)) == 4
    finally:
        speaker.close()
    assert gone(started(pids, count=4))
