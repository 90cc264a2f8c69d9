"""`coach walk --plain` on a real terminal (a pty): keys, a closed terminal, a stop.

Each test runs coach as its own process, the pty's session leader, exactly as a shell
would start it in a terminal window.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sqlite3
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coach.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals"),
]

# One-second segments: something to print every second, and a write to the store.
ROUTINE = """\
name: Ticks
cadence: 100
segments:
  - repeat: 30
    segments:
      - name: Tick
        duration: 1s
      - name: Tock
        duration: 1s
"""


@dataclass
class Terminal:
    """coach running on a pty; `output` is everything it wrote so far."""

    pid: int
    master: int
    home: Path
    output: str = ""
    status: int | None = field(default=None)

    def read(self, timeout: float = 0.2) -> str:
        """Read what has arrived within `timeout` seconds."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                data = os.read(self.master, 4096)
            except OSError:  # the child closed the terminal (EIO)
                break
            if not data:
                break
            self.output += data.decode("utf-8", "replace")
        return self.output

    def wait_for(self, text: str, timeout: float = 15) -> str:
        end = time.monotonic() + timeout
        while text not in self.output:
            assert time.monotonic() < end, f"never saw {text!r} in:\n{self.output}"
            self.read(0.1)
        return self.output

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def exit_status(self, timeout: float = 40) -> int:
        end = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            assert time.monotonic() < end, f"coach did not exit:\n{self.output}"
            self.read(0.05)
        return os.waitstatus_to_exitcode(self.status)

    def walk(self) -> tuple[str, float, float]:
        """(status, walked, paused) of the one walk recorded."""
        with sqlite3.connect(self.home / "coach.db") as db:
            (row,) = db.execute("SELECT status, walked_seconds, paused_seconds FROM walks")
        db.close()
        return row


def start(tmp_path: Path, *args: str, ignore_hangup: bool = False) -> Terminal:
    routine = tmp_path / "ticks.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    home = tmp_path / "home"
    # Today's warning signs answered ("none of these"): the walk starts at once.
    answered = Store.open(home / "coach.db")
    answered.add_warning_answer(frozenset(), walked=True)
    answered.close()
    argv = [
        sys.executable,
        "-m",
        "coach",
        "walk",
        str(routine),
        "--plain",
        "--sound",
        "off",
        "--no-beat",
    ]
    env = {**os.environ, "COACH_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty's session leader
        try:
            if ignore_hangup:
                signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as `nohup` does
            os.execve(sys.executable, [*argv, *args], env)
        finally:
            os._exit(127)
    return Terminal(pid, master, home)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        if terminal.status is None:
            try:
                os.kill(terminal.pid, signal.SIGKILL)
                os.waitpid(terminal.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        with contextlib.suppress(OSError):
            os.close(terminal.master)


@pytest.fixture
def walking(tmp_path: Path, terminals: list[Terminal]) -> Terminal:
    terminal = start(tmp_path)
    terminals.append(terminal)
    terminal.wait_for("[00:00:00] Tick (1/30)")
    return terminal


# -- keys -------------------------------------------------------------------------------


def test_keys_pause_and_resume_with_a_line_each_and_no_echo(walking: Terminal) -> None:
    walking.wait_for("[00:00:01] Tock (1/30)")
    walking.press(" ")
    out = walking.wait_for("] Paused")
    paused_at = out.split("] Paused")[0][-8:]
    walking.read(1.5)
    assert "[00:00:03]" not in walking.output  # the clock stopped
    walking.press(" ")
    walking.wait_for(f"[{paused_at}] Resumed")
    assert "  " not in walking.output.replace("\r\n", "\n").split("Paused")[1][:3]  # no echo


def test_keys_skip_go_back_and_end_early_without_a_dialog(walking: Terminal) -> None:
    walking.press("n")
    walking.wait_for("[00:00:01] Next: Tock (1/30)")
    walking.press("n")
    walking.wait_for("[00:00:02] Next: Tick (2/30)")
    walking.press("b")
    walking.wait_for("[00:00:02] Back: Tick (2/30)")
    walking.press("k")
    walking.wait_for("] Beat: ")
    walking.press("m")
    walking.wait_for("] Sound: ")
    walking.press("q")
    walking.wait_for("Ended early after")
    assert walking.exit_status() == 0
    assert walking.walk()[0] == "ended_early"


def test_the_terminal_is_put_back_as_it_was(walking: Terminal) -> None:
    during = termios.tcgetattr(walking.master)
    assert not during[3] & termios.ECHO  # keys are read without echo while walking
    walking.press("q")
    assert walking.exit_status() == 0
    after = termios.tcgetattr(walking.master)
    assert after[3] & termios.ECHO and after[3] & termios.ICANON


# -- a closed terminal ------------------------------------------------------------------


def test_closing_the_terminal_ends_the_walk_early_with_the_time_walked(
    walking: Terminal,
) -> None:
    walking.wait_for("[00:00:03] Tock (2/30)")
    os.close(walking.master)  # the terminal window is closed: SIGHUP to the session
    walking.master = os.open(os.devnull, os.O_RDONLY)  # for the fixture to close
    assert walking.exit_status() == 0  # no traceback
    status, walked, _ = walking.walk()
    assert status == "ended_early"
    assert 2.5 <= walked <= 10


def test_output_failing_with_eio_ends_the_walk_early_when_hangups_are_ignored(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    terminal = start(tmp_path, ignore_hangup=True)
    terminals.append(terminal)
    terminal.wait_for("[00:00:02] Tick (2/30)")
    os.close(terminal.master)  # no SIGHUP reaches it: the next line it prints fails (EIO)
    terminal.master = os.open(os.devnull, os.O_RDONLY)
    assert terminal.exit_status() == 0
    status, walked, _ = terminal.walk()
    assert status == "ended_early"
    assert 1.5 <= walked <= 10


# -- a stop -----------------------------------------------------------------------------


def test_a_stop_is_not_walked_and_nothing_is_replayed(walking: Terminal) -> None:
    walking.wait_for("[00:00:02] Tick (2/30)")
    os.kill(walking.pid, signal.SIGSTOP)
    time.sleep(5)  # the stop itself is what is tested: real time away
    os.kill(walking.pid, signal.SIGCONT)
    out = walking.wait_for("s stop")
    resumed = next(line for line in out.splitlines() if "Resumed after a" in line)
    assert resumed.endswith(("Resumed after a 5 s stop", "Resumed after a 6 s stop")), resumed
    # The walk goes on from where it stopped: no burst of the seconds away.
    stamp = resumed[1:9]
    assert stamp in ("00:00:02", "00:00:03")
    walking.read(0.5)
    after = walking.output.split(resumed)[1]
    assert "[00:00:07]" not in after and "[00:00:08]" not in after
    walking.press("q")
    assert walking.exit_status() == 0
    status, walked, paused = walking.walk()
    assert status == "ended_early"
    assert walked < 6  # about 3 s walked, not 8
    assert paused >= 4.5
