"""`coach walk --plain`: one line per event on stdout, for screen readers and pipes.

With a terminal on stdin, keys work too (read without echo; the terminal is always put
back). A closed terminal or reader (hang-up, EIO or EPIPE on output) ends the walk
early, as Ctrl+C does; a stop or sleep is not counted as walking.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from coach.core.announcements import describe, resumed_after_stop
from coach.core.dose import DEFAULT_MODERATE_CADENCE
from coach.core.engine import CADENCE_STEP, EventKind, WalkEvent, WalkSession, events_between
from coach.core.records import WalkStatus
from coach.core.routine.durations import format_clock
from coach.core.routine.timeline import Timeline
from coach.recording import EXIT_RETRY_SECONDS, RecordKeeper, WalkRecorder, progress_of
from coach.sound import Sound, SoundMode

if TYPE_CHECKING:
    from coach.audio.walk_beat import BeatChoice, OpenPlayer, WalkBeat
    from coach.store import Store

# In plain mode the countdown would flood a screen reader; it is spoken only in voice mode.
_PRINTED = {
    EventKind.SEGMENT_START,
    EventKind.ANNOUNCEMENT,
    EventKind.POSTURE,
    EventKind.CUE,
}
KEYS_HELP = "Keys: space pause · n next · b back · +/- cadence · m sound · k beat · q end"


def stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}]"


class StopWalk(Exception):
    """Raised by a signal handler (or `q`) to end a plain walk early."""


class HangUp(Exception):
    """The terminal or the reader of stdout went away (EIO, EPIPE, end of input)."""


@dataclass(frozen=True)
class PlainOutcome:
    status: WalkStatus
    saved: bool  # everything recorded is in the database (True when not recording)


class _Printer:
    """Lines to stdout; the first failed write (closed terminal or pipe) raises HangUp."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.gone = False

    def say(self, line: str) -> None:
        if self.gone:
            raise HangUp
        try:
            print(line, file=self.out, flush=True)
        except (OSError, ValueError):
            self.gone = True
            silence(self.out)
            raise HangUp from None

    def say_last(self, line: str) -> None:
        """A line after the walk: if nobody is there to read it, so be it."""
        with contextlib.suppress(HangUp):
            self.say(line)


def run_plain(
    session: WalkSession,
    out: TextIO,
    sleep: Callable[[float], None] = time.sleep,
    recorder: WalkRecorder | None = None,
    sound: Sound | None = None,
    keys: Callable[[float], str] | None = None,
    toggle_beat: Callable[[], str] | None = None,
    tell: Callable[[str], None] = lambda _line: None,
    before_saving: Callable[[], None] = lambda: None,
    beat: WalkBeat | None = None,
) -> PlainOutcome:
    """Run the walk to its end (or Ctrl+C, `q`, a signal, a hang-up), a line per event.

    `keys(timeout)` waits up to `timeout` seconds for key presses and returns them
    (without it, `sleep` waits). With a recorder, the end is saved before "Walk
    complete" is printed; what cannot be saved within EXIT_RETRY_SECONDS goes to the
    recovery file, and `tell` (stderr) says so. `before_saving` runs once the walk has
    ended, before that wait. `beat` is told where the walk is at every wake-up and after
    every key, so every change reaches it; `toggle_beat` is the `k` key's action.
    """
    timeline = session.timeline
    printer = _Printer(out)
    last = -1.0
    last_wake = session.clock()
    status = WalkStatus.COMPLETED
    try:
        while True:
            now = session.clock()
            stopped = session.account_gap(now, last_wake)
            last_wake = now
            state = session.state(now)
            position = state.position
            if stopped:
                printer.say(f"{stamp(position)} {resumed_after_stop(stopped)}")
            events = events_between(timeline, last, position)
            if sound is not None:
                sound.announce_events(timeline, events)
            for event in events:
                if event.kind in _PRINTED:
                    printer.say(f"{stamp(event.at)} {describe(timeline, event)}")
            last = position
            if recorder is not None:
                recorder.observe(session, state.segment.index, now)
            if beat is not None:  # after anything that moves the walk's clock
                beat.update()
            if state.finished:
                break
            # Wake for the next event but at least once a second (Ctrl+C, heartbeats,
            # and a stop must show as a gap between wakes).
            upcoming = events_between(timeline, position, position + session.speed)
            wait = (upcoming[0].at - position) / session.speed if upcoming else 1.0
            wait = min(max(wait, 0.001), 1.0)
            if keys is None:
                sleep(wait)
                continue
            for key in keys(wait):
                if _press(key, session, printer, sound, toggle_beat):
                    # A jump: what it skipped is not announced, nor replayed going back.
                    last = session.position()
                if beat is not None:
                    beat.update()
    except HangUp:
        status = WalkStatus.ENDED_EARLY
    except (KeyboardInterrupt, StopWalk):
        status = WalkStatus.ENDED_EARLY
        printer.say_last(
            f"{stamp(session.position())} Ended early after {format_clock(session.walked())}"
        )
    ended = recorder.progress(session) if recorder is not None else progress_of(session)
    ended_at = session.position()
    before_saving()
    finished = describe(
        timeline,
        WalkEvent(float(timeline.total), EventKind.FINISH, "", len(timeline.segments) - 1),
    )
    if recorder is None:
        if status is WalkStatus.COMPLETED:
            if session.speed != 1:  # a preview is never "Walk complete": nothing is kept
                finished = (
                    f"Preview over: {timeline.name}, {format_clock(timeline.total)} (not recorded)"
                )
            printer.say_last(f"{stamp(timeline.total)} {finished}")
        return PlainOutcome(status, saved=True)
    recorder.finish(status, ended)
    outcome = recorder.keeper.close(EXIT_RETRY_SECONDS, on_retrying=tell)
    if outcome.saved:
        if status is WalkStatus.COMPLETED:
            printer.say_last(f"{stamp(timeline.total)} {finished}")
    else:
        # Never "Walk complete" over a walk that is not in the database.
        printer.say_last(
            f"{stamp(ended_at)} Not saved: {timeline.name}, "
            f"{format_clock(ended.walked)} walked ({status.label}); see the message above"
        )
        for line in outcome.lines():
            tell(line)
    return PlainOutcome(status, outcome.saved)


def _press(
    key: str,
    session: WalkSession,
    printer: _Printer,
    sound: Sound | None,
    toggle_beat: Callable[[], str] | None,
) -> bool:
    """Act on one key and confirm it with a line; True if the walk jumped."""
    at = stamp(session.position())
    timeline = session.timeline
    if key == " ":
        printer.say(f"{at} {'Paused' if session.toggle_pause() else 'Resumed'}")
    elif key in ("n", "b"):
        if key == "n":
            session.next_segment()
        else:
            session.back()
        state = session.state()
        if state.finished:
            return True
        segment = WalkEvent(
            state.position, EventKind.SEGMENT_START, state.segment.label, state.segment.index
        )
        word = "Next" if key == "n" else "Back"
        printer.say(f"{stamp(state.position)} {word}: {describe(timeline, segment)}")
        return True
    elif key in ("+", "=", "-"):
        cadence = session.adjust_cadence(CADENCE_STEP if key != "-" else -CADENCE_STEP)
        printer.say(f"{at} Cadence: {cadence} spm")
    elif key == "m":
        if sound is not None:
            printer.say(f"{at} Sound: {sound.cycle().value}")
    elif key == "k":
        printer.say(f"{at} {toggle_beat() if toggle_beat is not None else 'Beat: not available'}")
    elif key == "q":
        raise StopWalk
    elif key == "?":
        printer.say(f"{at} {KEYS_HELP}")
    return False


def silence(stream: TextIO) -> None:
    """Point a stream's descriptor at /dev/null: its reader is gone, and Python must not
    complain about it when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class TerminalKeys:
    """Key presses from the terminal on stdin, read without echo (cbreak mode).

    `restore` puts the terminal back as it was; it is safe to call more than once.
    """

    def __init__(self, fd: int) -> None:
        import termios
        import tty

        self.fd = fd
        self._saved = termios.tcgetattr(fd)
        self._raw = False
        tty.setcbreak(fd)
        self._raw = True

    @classmethod
    def of(cls, stream: TextIO) -> TerminalKeys | None:
        """Keys from `stream` if it is a terminal and this process is in its foreground."""
        try:
            import termios
        except ImportError:  # Windows: plain mode runs without keys
            return None
        try:
            fd = stream.fileno()
            if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
                return None
            return cls(fd)
        except (OSError, ValueError, AttributeError, termios.error):
            return None

    def wait(self, timeout: float) -> str:
        """Keys pressed within `timeout` seconds ('' if none); HangUp if the terminal is gone."""
        import select

        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return ""
        try:
            data = os.read(self.fd, 64)
        except OSError:
            raise HangUp from None
        if not data:
            raise HangUp
        return data.decode("utf-8", "replace")

    def restore(self) -> None:
        import termios

        if self._raw:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._raw = False

    def resume(self) -> None:
        """Back to reading keys (after a suspension with Ctrl+Z)."""
        import termios
        import tty

        if not self._raw:
            with contextlib.suppress(termios.error, OSError):
                tty.setcbreak(self.fd)
                self._raw = True


def walk_plain(
    timeline: Timeline,
    routine_path: str,
    routine_text: str,
    store: Store | None,
    sound_mode: SoundMode,
    speed: float,
    tts_template: str | None = None,
    beat_choice: BeatChoice | None = None,
    beat_player: OpenPlayer | None = None,
    moderate_cadence: int = DEFAULT_MODERATE_CADENCE,
    on_start: Callable[[], None] | None = None,
) -> PlainOutcome:
    """`coach walk --plain`: recording (if `store`), sound, beat, keys and signals around
    run_plain. `moderate_cadence` splits the walked time for the weekly dose; `on_start`
    runs once the walk is recorded, before its first line.

    SIGINT, SIGTERM and SIGHUP end the walk early; it is saved as ended early. A SIGHUP
    ignored when coach started (`nohup`) stays ignored.
    """
    import signal
    import sys

    from coach.ending import print_summary, walk_summary

    def tell(message: str) -> None:
        from coach.core.text import visible_text

        try:
            print(f"coach: {visible_text(message)}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            silence(sys.stderr)

    keeper = None
    recorder = None
    if store is not None:
        keeper = RecordKeeper(store, on_notice=lambda text, _trouble: tell(text))
        recorder = keeper.begin_walk(timeline, routine_path, routine_text, moderate_cadence)
    if on_start is not None:
        on_start()  # the warning signs, when there is no terminal to ask them on

    def stop(signum: int, frame: object) -> None:
        # One signal ends the walk; more while it is being saved must not cut that short.
        quiet()
        raise KeyboardInterrupt if signum == signal.SIGINT else StopWalk

    def quiet() -> None:
        for other in handled:
            signal.signal(other, signal.SIG_IGN)

    handled = [signal.SIGINT, signal.SIGTERM]
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        handled.append(signal.SIGHUP)
    previous = {signum: signal.signal(signum, stop) for signum in handled}

    keys = TerminalKeys.of(sys.stdin)
    if keys is not None:
        suspended = keys

        def suspend(signum: int, frame: object) -> None:
            # Ctrl+Z: give the shell its terminal back as it was; take it again on `fg`.
            suspended.restore()
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)
            signal.signal(signal.SIGTSTP, suspend)
            suspended.resume()

        previous[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, suspend)

    def ending() -> None:
        quiet()
        if keys is not None:
            keys.restore()

    def bell() -> None:
        with contextlib.suppress(OSError, ValueError):
            if sys.stderr.isatty():
                sys.stderr.write("\a")
                sys.stderr.flush()

    sound = Sound(sound_mode, bell=bell, tts_template=tts_template, notice=tell)
    session = WalkSession(timeline, time.monotonic, speed=speed)
    from coach.audio.walk_beat import BeatChoice, WalkBeat

    # `beat.toggle` is the `k` key's action: it returns the words to confirm it with.
    beat = WalkBeat(session, beat_choice or BeatChoice(on=False), beat_player)
    beat.start(notice=tell)
    try:
        outcome = run_plain(
            session,
            sys.stdout,
            recorder=recorder,
            sound=sound,
            keys=keys.wait if keys is not None else None,
            toggle_beat=beat.toggle,
            tell=tell,
            before_saving=ending,
            beat=beat,
        )
        saved = outcome.saved if recorder is not None else None
        print_summary(walk_summary(session, outcome.status, saved, store), sys.stdout)
        return outcome
    finally:
        if keys is not None:
            keys.restore()
        beat.close()
        sound.close()
        if keeper is not None:
            keeper.close(0)  # already closed by run_plain, unless it failed
        for signum, handler in previous.items():
            signal.signal(signum, handler)
