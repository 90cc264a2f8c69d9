"""Sound during a walk: the terminal bell, or speech through a text-to-speech command.

Speech runs in a subprocess fed by one background thread, so it never blocks the screen
or the clock. Utterances never pile up: while one is being spoken, only the newest
waiting one is kept (a stale cue is worth less than silence).
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.core.engine import WalkEvent
    from coach.core.routine.timeline import Timeline

TTS_CANDIDATES = ("say", "spd-say", "espeak-ng", "espeak")
SPEAK_TIMEOUT = 30.0


class SoundMode(Enum):
    VOICE = "voice"
    BELL = "bell"
    OFF = "off"

    def next(self) -> SoundMode:
        order = list(SoundMode)
        return order[(order.index(self) + 1) % len(order)]


def tts_command(template: str | None = None) -> list[str] | None:
    """The speech command as argv with a `{text}` placeholder, or None if none is found."""
    if template:
        try:
            argv = shlex.split(template)
        except ValueError:
            return None
        if not argv or shutil.which(argv[0]) is None:
            return None
        if not any("{text}" in part for part in argv):
            argv.append("{text}")
        return argv
    for name in TTS_CANDIDATES:
        if shutil.which(name):
            # spd-say returns at once; -w makes it wait, so one utterance follows another.
            return [name, "-w", "{text}"] if name == "spd-say" else [name, "{text}"]
    return None


class Speaker:
    """Speaks texts one at a time in a background thread, keeping only the newest waiting.

    Each utterance runs in its own process group, so a command that hangs (or a script
    that starts others) is ended whole: when it takes longer than SPEAK_TIMEOUT, and
    when the speaker is closed. No speech process outlives coach.
    """

    def __init__(self, argv: list[str]) -> None:
        self._argv = argv
        self._pending: str | None = None
        self._wake = threading.Condition()
        self._closed = False
        self._speaking: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, name="coach-speech", daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        with self._wake:
            self._pending = text
            self._wake.notify()

    def close(self) -> None:
        """Stop speaking: what is waiting is dropped and what is being said is ended."""
        with self._wake:
            self._closed = True
            self._pending = None
            speaking = self._speaking
            self._wake.notify()
        if speaking is not None:
            _end_group(speaking)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                text, self._pending = self._pending, None
                assert text is not None
            # A leading "-" would be read as an option by the TTS command.
            if text.startswith("-"):
                text = " " + text
            argv = [part.replace("{text}", text) for part in self._argv]
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            except (OSError, ValueError, subprocess.SubprocessError):
                continue
            with self._wake:
                # Closed meanwhile? Then nobody will end it but this thread.
                if not self._closed:
                    self._speaking = process
                started = self._speaking is process
            if not started:
                _end_group(process)
                return
            try:
                process.wait(timeout=SPEAK_TIMEOUT)
            except subprocess.TimeoutExpired:
                _end_group(process)
            finally:
                with self._wake:
                    self._speaking = None


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End a speech process and everything it started (its process group), and reap it."""
    import os
    import signal

    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)
        # Whatever is left of the group (a child that ignores SIGTERM, or outlived it).
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    else:  # Windows: no process groups
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=1)


class Sound:
    """The walk's sound output in the chosen mode."""

    def __init__(
        self,
        mode: SoundMode,
        bell: Callable[[], None],
        tts_template: str | None = None,
        notice: Callable[[str], None] = lambda _message: None,
    ) -> None:
        self._bell = bell
        self._notice = notice
        self._template = tts_template
        self._speaker: Speaker | None = None
        self._voice_missing_told = False
        self.mode = SoundMode.OFF
        self.set_mode(mode)

    def set_mode(self, mode: SoundMode) -> SoundMode:
        """Switch mode; voice without a TTS command falls back to bell with one notice."""
        if mode is SoundMode.VOICE and self._speaker is None:
            argv = tts_command(self._template)
            if argv is None:
                if not self._voice_missing_told:
                    wanted = self._template or ", ".join(TTS_CANDIDATES)
                    self._notice(f"No text-to-speech command found ({wanted}); using the bell.")
                    self._voice_missing_told = True
                mode = SoundMode.BELL
            else:
                self._speaker = Speaker(argv)
        self.mode = mode
        return mode

    def cycle(self) -> SoundMode:
        mode = self.mode.next()
        if mode is SoundMode.VOICE and self._voice_missing_told:
            mode = mode.next()
        return self.set_mode(mode)

    def announce(self, spoken: str, ring: bool = True) -> None:
        """Something worth hearing: spoken in voice mode, a bell in bell mode if `ring`."""
        if self.mode is SoundMode.VOICE and self._speaker is not None:
            self._speaker.say(spoken)
        elif self.mode is SoundMode.BELL and ring:
            self._bell()

    def announce_events(self, timeline: Timeline, events: Sequence[WalkEvent]) -> None:
        """Voice or ring for events passed together (see announcements.utterance)."""
        from coach.core.announcements import utterance

        said = utterance(timeline, events)
        if said is not None:
            self.announce(*said)

    def close(self) -> None:
        if self._speaker is not None:
            self._speaker.close()
