"""`coach` alone opens home without the command-line machinery; anything else uses it.

Real processes on a pty, as a terminal window starts them.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals"),
]


def run_on_a_pty(
    argv: list[str], env: dict[str, str], until: str, keys: str = ""
) -> tuple[str, int]:
    """Run argv on a pty; once `until` is on screen send `keys`; return output and status.

    (Textual draws on stderr: it stays on the terminal.)
    """
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    output, sent, status = "", False, None
    end = time.monotonic() + 30
    try:
        while status is None:
            assert time.monotonic() < end, f"no exit; screen so far:\n{output}"
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                with contextlib.suppress(OSError):
                    output += os.read(master, 65536).decode("utf-8", "replace")
            if not sent and until in output:
                os.write(master, keys.encode())
                sent = True
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(master)
    return output, status


def test_coach_alone_opens_home_without_loading_click(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".welcome-shown").touch()
    env = {**os.environ, "COACH_HOME": str(home), "TERM": "xterm-256color"}
    log = tmp_path / "modules.txt"
    # `python -m coach`, noting at exit which modules it loaded.
    program = (
        "import atexit, runpy, sys\n"
        f"atexit.register(lambda: open({str(log)!r}, 'w').write('\\n'.join(sys.modules)))\n"
        "sys.argv = ['coach']\n"
        "runpy.run_module('coach', run_name='__main__')\n"
    )
    _, status = run_on_a_pty([sys.executable, "-c", program], env, until="walking-pad", keys="q")
    assert status == 0
    imported = set(log.read_text().splitlines())
    assert "coach.tui.app" in imported  # the app did open
    assert "click" not in imported and "coach.cli" not in imported


def test_coach_alone_with_an_empty_home_says_so_through_the_command_line(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "COACH_HOME": "", "TERM": "xterm-256color"}
    output, status = run_on_a_pty([sys.executable, "-m", "coach"], env, until="\0")
    assert status == 2
    assert "COACH_HOME is set but empty" in output
