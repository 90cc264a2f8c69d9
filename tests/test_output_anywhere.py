"""Output that works anywhere: no terminal, any encoding, any routine size (real processes).

- The commands that draw the app need a terminal; without one they stop at once (exit 2)
  with a hint, instead of drawing into a pipe.
- Under `PYTHONIOENCODING=latin-1` and an ASCII locale, every command replaces what it
  can't encode and never fails (a check-in, once saved, never fails afterwards).
- `coach routines show` grows linearly with the routine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TINY = """\
name: Tiny — “quoted” walk ☃
cadence: 100
segments:
  - name: Café stretch ✓
    duration: 2s
    note: Über easy — ½ pace
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    # A warning's message holds an en dash ("60–140").
    (tmp_path / "jog.yaml").write_text(TINY.replace("cadence: 100", "cadence: 150"), "utf-8")
    return tmp_path


def coach(
    folder: Path,
    *args: str,
    env: dict[str, str] | None = None,
    piped: bytes | None = None,
    timeout: float = 20,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m coach ARGS`: stdin from /dev/null, or a pipe holding `piped`."""
    base = {**os.environ, "COACH_HOME": str(folder / "home")}
    command = [sys.executable, "-m", "coach", *args]
    environment = {**base, **(env or {})}
    if piped is None:
        return subprocess.run(
            command,
            env=environment,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    return subprocess.run(
        command,
        env=environment,
        cwd=folder,
        input=piped,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


# -- no terminal ------------------------------------------------------------------------

APP_COMMANDS = {
    "coach": ([], "coach walk ROUTINE --plain"),
    "walk": (["walk", "desk-break"], "coach walk desk-break --plain"),
    "routines-edit": (["routines", "edit", "desk-break"], "--editor"),
    "checkin": (["checkin"], "--pain"),
}


@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
@pytest.mark.parametrize("command", sorted(APP_COMMANDS))
def test_without_a_terminal_the_app_commands_stop_at_once_with_a_hint(
    folder: Path, command: str, stdin: str
) -> None:
    args, hint = APP_COMMANDS[command]
    began = time.monotonic()
    result = coach(folder, *args, piped=None if stdin == "devnull" else b"q\n")
    assert time.monotonic() - began < 10
    assert result.returncode == 2
    assert result.stdout == b""  # no escape codes written into the pipe
    err = result.stderr.decode()
    assert "not on a terminal" in err and hint in err
    assert not (folder / "home" / "coach.db").exists()  # nothing started


@pytest.mark.parametrize("closed", [False, True], ids=["to-a-pipe", "closed"])
@pytest.mark.parametrize("command", ["coach", "walk"])
def test_with_stderr_redirected_the_app_says_why_on_the_terminal_and_stops(
    folder: Path, command: str, closed: bool
) -> None:
    import pty

    args, _hint = APP_COMMANDS[command]
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "coach", *args],
            env={**os.environ, "COACH_HOME": str(folder / "home"), "TERM": "xterm"},
            cwd=folder,
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,  # `coach 2>log`: Textual would draw into it, unseen
            timeout=20,
            check=False,
            preexec_fn=(lambda: os.close(2)) if closed else None,  # `coach 2>&-`
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: nothing more on the terminal
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert result.returncode == 2
    said = "not on a terminal: stderr is redirected, and the app draws its screen there"
    assert said in shown.decode()
    assert said in result.stderr.decode() or closed
    assert b"\x1b[" not in result.stderr  # no screen drawn into the file
    assert not (folder / "home" / "coach.db").exists()


# -- encodings --------------------------------------------------------------------------

ENCODINGS = {
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "ascii-locale": {
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONIOENCODING": "",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    },
}
EVERY_COMMAND = {
    "walk-plain": ["walk", "tiny.yaml", "--plain", "--sound", "off", "--no-beat"],
    "history-table": ["history"],
    "history-json": ["history", "--format", "json"],
    "routines-list": ["routines", "list"],
    "routines-list-json": ["routines", "list", "--format", "json"],
    "routines-show": ["routines", "show", "tiny.yaml"],
    "routines-validate": ["routines", "validate", "tiny.yaml", "jog.yaml"],
    "config-show": ["config", "show"],
    "help": ["--help"],
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_command_works_in_any_encoding(folder: Path, encoding: str) -> None:
    env = ENCODINGS[encoding]
    # A history with text no 8-bit encoding holds.
    saved = coach(folder, "checkin", "--pain", "3", "--notes", "easier ☃ — “good”")
    assert saved.returncode == 0
    (folder / "home" / "config.yaml").write_text("theme: nord\n", encoding="utf-8")
    for name, args in EVERY_COMMAND.items():
        result = coach(folder, *args, env=env)
        assert result.returncode == 0, (name, result.stderr)
        assert b"Traceback" not in result.stderr, name
        assert result.stdout, name
    history = coach(folder, "history", "--format", "json", env=env).stdout.decode("latin-1")
    (checkin,) = [e for e in json.loads(history) if e["type"] == "checkin"]
    assert checkin["pain_after"] == 3
    assert checkin["notes"] == "easier ☃ — “good”"  # escaped, not lost
    # CSV can't escape: it refuses rather than write "?" in place of the notes.
    csv = coach(folder, "history", "--format", "csv", env=env)
    assert (csv.returncode, csv.stdout) == (1, b"")
    assert b"CSV would lose them: use --format json" in csv.stderr
    table = coach(folder, "history", env=env).stdout.decode("latin-1")
    assert "easier ? - " in table  # shown: the dash as "-", the snowman as "?"


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_check_in_saved_in_any_encoding_is_saved_once_and_reported(
    folder: Path, encoding: str
) -> None:
    result = coach(
        folder, "checkin", "--pain", "2", "--notes", "☃ snow — “cold”", env=ENCODINGS[encoding]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Saved check-in #1")
    assert b"notes: " in result.stdout
    out = coach(folder, "history", "--format", "json").stdout
    (entry,) = json.loads(out)
    assert entry["pain_after"] == 2


# -- routines show at scale ---------------------------------------------------------------


def expanding_to(segments: int) -> str:
    """A routine of a few lines that expands to `segments` one-second segments."""
    assert segments % 400 == 0
    return (
        "name: Many\ncadence: 100\nsegments:\n"
        f"  - repeat: {segments // 400}\n    segments:\n"
        "      - repeat: 50\n        segments:\n"
        "          - repeat: 8\n            segments:\n"
        "              - name: S\n                duration: 1s\n"
    )


def cpu_seconds_of(folder: Path, segments: int) -> float:
    path = folder / f"many-{segments}.yaml"
    path.write_text(expanding_to(segments), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = coach(folder, "routines", "show", path.name, env={"COLUMNS": "80"}, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0
    assert f"{segments:,} segments".replace(",", "") in result.stdout.decode().replace(",", "")
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def test_routines_show_grows_linearly_with_the_segments(folder: Path) -> None:
    # CPU time of the whole process, so a busy machine does not skew it; start-up is
    # in both, which only pulls the ratio down. Linear: about 10x; quadratic: 100x.
    small = min(cpu_seconds_of(folder, 2000) for _ in range(2))
    large = cpu_seconds_of(folder, 20000)
    assert large / small < 25, (small, large)
