"""Programs on a pseudo-terminal, as a person runs them in a terminal window.

A `PtyProcess` is an unmodified program started on a fresh pseudo-terminal of 80×24: the
runner reads everything it writes (and throws it away), watches the byte stream for
marker strings (text that is on the screen once a given state is drawn), presses keys,
ends the program and reads the program's own CPU time and peak memory.

Markers are matched on the raw bytes as they arrive, across reads, with nothing
stripped: Textual positions text with cursor-movement escapes between runs of styled
text, so a marker must be a run the program writes contiguously (a label, a name, a
line of text in one style), which the benchmark checks by experiment, not by parsing.
A marker counts from the moment the read that completed it returned.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROWS, COLUMNS = 24, 80
TERM = "xterm-256color"
READ_SIZE = 1 << 16
KEPT_BYTES = 1 << 15  # the end of the stream, kept for error messages
CTRL_Q = b"\x11"  # Textual's quit key


class MarkerTimeout(RuntimeError):
    """A watched screen state never arrived: names the missing markers and the screen's text."""


@dataclass
class Watch:
    """Marker strings that together mean one screen state has been drawn."""

    name: str
    markers: tuple[bytes, ...]
    since: float  # time.perf_counter(): only bytes read after this count
    found: dict[bytes, float] = field(default_factory=dict)  # marker → read time
    _tail: bytes = b""

    @property
    def done(self) -> bool:
        return len(self.found) == len(self.markers)

    @property
    def at(self) -> float | None:
        """When the last of the markers arrived (perf_counter), once all have."""
        return max(self.found.values()) if self.done else None

    def missing(self) -> list[str]:
        return [m.decode("utf-8", "replace") for m in self.markers if m not in self.found]

    def feed(self, chunk: bytes, now: float) -> None:
        if self.done:
            return
        window = self._tail + chunk
        for marker in self.markers:
            if marker not in self.found and marker in window:
                self.found[marker] = now
        longest = max(len(m) for m in self.markers)
        self._tail = window[-(longest - 1) :] if longest > 1 else b""


@dataclass(frozen=True)
class Ended:
    """How a child ended, and what it used (its own rusage, from wait4)."""

    returncode: int  # exit status, or −N for signal N
    how: str  # "exited" (by itself or by its quit keys), "SIGTERM" or "SIGKILL"
    wall: float  # spawn → reaped, seconds
    user: float
    system: float
    maxrss_mb: float  # ru_maxrss (on Linux at least the parent's size at the fork)

    @property
    def cpu(self) -> float:
        return self.user + self.system


class PtyProcess:
    """One program on its own pseudo-terminal (80×24, TERM=xterm-256color)."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        rows: int = ROWS,
        columns: int = COLUMNS,
        stdout: Path | None = None,
        stderr: Path | None = None,
        record: Path | None = None,
    ) -> None:
        """Start argv (argv[0] a full path) on a new terminal; stdout/stderr to files if given.

        A redirected stream is what a shell's `> FILE` would give the program (Textual
        draws on stderr: leave that on the terminal). `record` keeps every byte read.
        """
        if not os.path.isabs(argv[0]):
            raise ValueError(f"give the program's full path, not {argv[0]!r}")
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {**env, "TERM": TERM}
        self.argv = list(argv)
        self.spawned = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: only what is safe between fork and exec
            try:
                os.close(master)
                os.chdir(cwd)
                os.login_tty(slave)  # new session, the pty as controlling terminal and stdio
                for target, path in ((1, stdout), (2, stderr)):
                    if path is not None:
                        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                        os.dup2(fd, target)
                        os.close(fd)
                os.execve(argv[0], list(argv), environment)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self.fd = master
        self.received = 0
        self.eof = False
        self.ended: Ended | None = None
        self._ending = "exited"  # how it is being ended: by itself, or by which signal
        self.watches: dict[str, Watch] = {}
        self._kept = bytearray()
        self._record = record.open("wb") if record is not None else None

    # -- reading -------------------------------------------------------------------------

    def read(self) -> None:
        """Read what is waiting (call when select says the fd is readable)."""
        try:
            chunk = os.read(self.fd, READ_SIZE)
        except OSError as exc:
            if exc.errno != errno.EIO:  # EIO: every slave end is closed (the child is gone)
                raise
            chunk = b""
        now = time.perf_counter()
        if not chunk:
            self.eof = True
            return
        self.received += len(chunk)
        if self._record is not None:
            self._record.write(chunk)
        self._kept += chunk
        del self._kept[:-KEPT_BYTES]
        for watch in self.watches.values():
            watch.feed(chunk, now)

    def watch(self, name: str, *texts: str) -> Watch:
        """Start watching for all of `texts` in what arrives from now on."""
        watch = Watch(name, tuple(t.encode() for t in texts), time.perf_counter())
        self.watches[name] = watch
        return watch

    def wait_for(self, name: str, timeout: float, others: Sequence[PtyProcess] = ()) -> float:
        """Read (this and `others`) until watch `name` is done; its time (perf_counter)."""
        watch = self.watches[name]
        self._read_until(watch, timeout, others)
        if watch.at is None:
            raise MarkerTimeout(
                f"{' '.join(self.argv[1:]) or self.argv[0]}: {name!r} not drawn within "
                f"{timeout:g}s{' (the program ended)' if self.eof else ''}; missing "
                f"{watch.missing()}; its last text: {screen_text(bytes(self._kept))[-600:]!r}"
            )
        return watch.at

    def _read_until(self, watch: Watch, timeout: float, others: Sequence[PtyProcess]) -> None:
        pump([self, *others], until=lambda: watch.done or self.eof, timeout=timeout)

    def settle(self, quiet: float, timeout: float) -> None:
        """Read until nothing has arrived for `quiet` seconds (or `timeout` passed)."""
        deadline = time.perf_counter() + timeout
        while not self.eof and time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                return
            self.read()

    # -- keys, the end, resources ---------------------------------------------------------

    def press(self, keys: bytes) -> float:
        """Type `keys`; returns the moment just before they were written (perf_counter)."""
        now = time.perf_counter()
        os.write(self.fd, keys)
        return now

    def peak_rss_mb(self) -> float | None:
        """The child's own peak resident memory (VmHWM) so far; None where unknown."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
        return int(found.group(1)) / 1024 if found else None

    def poll(self) -> Ended | None:
        """Reap the child if it has exited."""
        if self.ended is None:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                self._reaped(status, usage)
        return self.ended

    def end(
        self,
        steps: Iterable[tuple[bytes, str | None]] = (),
        grace: float = 5.0,
        others: Sequence[PtyProcess] = (),
    ) -> Ended:
        """Quit as a person would: each step types keys, then waits for a marker (if given).

        Then read until the child exits; SIGTERM after `grace` seconds, SIGKILL after
        as long again. Returns (and keeps) how it ended. `others` are read meanwhile.
        """
        for number, (keys, then) in enumerate(steps):
            if self.poll() is not None:
                break
            step = self.watch(f"end-{number}", then) if then is not None else None
            self.press(keys)
            if step is not None:
                self._read_until(step, grace, others)
        for sent in (None, signal.SIGTERM, signal.SIGKILL):
            if self.poll() is not None:
                break
            if sent is not None:
                self._ending = sent.name
                os.kill(self.pid, sent)
            pump([self, *others], until=lambda: self.poll() is not None, timeout=grace)
        if self.ended is None:  # SIGKILL cannot be refused: wait for it
            _, status, usage = os.wait4(self.pid, 0)
            self._reaped(status, usage)
        self.close()
        assert self.ended is not None
        return self.ended

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            self.eof = True
        if self._record is not None:
            self._record.close()

    def kill(self) -> None:
        """End at once (after an error), reaping the child."""
        if self.poll() is None:
            self._ending = "SIGKILL"
            os.kill(self.pid, signal.SIGKILL)
            _, status, usage = os.wait4(self.pid, 0)
            self._reaped(status, usage)
        self.close()

    def text(self) -> str:
        """The end of what the program wrote, as plain text (for messages and checks)."""
        return screen_text(bytes(self._kept))

    def _reaped(self, status: int, usage: Any) -> None:
        self.ended = Ended(
            returncode=os.waitstatus_to_exitcode(status),
            how=self._ending,
            wall=time.perf_counter() - self.spawned,
            user=usage.ru_utime,
            system=usage.ru_stime,
            maxrss_mb=usage.ru_maxrss / 1024,  # Linux: KiB
        )


def pump(processes: Sequence[PtyProcess], until: Callable[[], bool], timeout: float) -> bool:
    """Read from every process as output arrives until `until()` or `timeout`; until()'s value.

    Every open terminal is read all the time, so no program ever blocks on a full pty.
    """
    deadline = time.perf_counter() + timeout
    while True:
        if until():
            return True
        left = deadline - time.perf_counter()
        open_ones = [p for p in processes if not p.eof]
        if left <= 0:
            return False
        if not open_ones:
            time.sleep(min(left, 0.01))  # everything closed: only the exit to wait for
            for process in processes:
                process.poll()
            continue
        ready, _, _ = select.select([p.fd for p in open_ones], [], [], min(left, 0.05))
        for process in open_ones:
            if process.fd in ready:
                process.read()


_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")


def screen_text(raw: bytes) -> str:
    """The text runs in a stream of terminal output, one per line (for messages only)."""
    runs = _ESCAPES.sub(b"\n", raw).replace(b"\r", b"\n").split(b"\n")
    return " | ".join(r.decode("utf-8", "replace").strip() for r in runs if r.strip())
