"""`coach walk --plain`: one line per event on stdout, for screen readers and pipes."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from coach.core.announcements import describe
from coach.core.dose import DEFAULT_MODERATE_CADENCE
from coach.core.engine import EventKind, WalkSession, events_between
from coach.core.records import WalkStatus
from coach.core.routine.durations import format_clock
from coach.core.routine.timeline import Timeline
from coach.recording import WalkRecorder, segments_done
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
    EventKind.FINISH,
}


def stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}]"


class StopWalk(Exception):
    """Raised by a signal handler to end a plain walk early."""


def run_plain(
    session: WalkSession,
    out: TextIO,
    sleep: Callable[[float], None] = time.sleep,
    recorder: WalkRecorder | None = None,
    sound: Sound | None = None,
    beat: WalkBeat | None = None,
    moderate_cadence: int = DEFAULT_MODERATE_CADENCE,
) -> WalkStatus:
    """Run the walk to its end (or Ctrl+C / StopWalk), printing each event as a line.

    `beat` is told where the walk is at every wake-up, so every change reaches it.
    """
    timeline = session.timeline
    last = -1.0
    last_saved = 0.0
    status = WalkStatus.COMPLETED
    try:
        while True:
            position = session.position()
            events = events_between(timeline, last, position)
            if sound is not None:
                sound.announce_events(timeline, events)
            for event in events:
                if event.kind in _PRINTED:
                    print(f"{stamp(event.at)} {describe(timeline, event)}", file=out, flush=True)
                if recorder is not None and event.kind is EventKind.SEGMENT_START:
                    recorder.progress(
                        session.walked(),
                        session.paused_seconds(),
                        segments_done(timeline, position),
                        session.cadence_seconds(moderate_cadence),
                    )
                    last_saved = session.walked()
            last = position
            if beat is not None:  # after anything that moves the walk's clock
                beat.update()
            if position >= timeline.total:
                break
            if recorder is not None and session.walked() - last_saved >= recorder.heartbeat_seconds:
                recorder.progress(
                    session.walked(),
                    session.paused_seconds(),
                    segments_done(timeline, position),
                    session.cadence_seconds(moderate_cadence),
                )
                last_saved = session.walked()
            # Sleep until the next event but never over a second (Ctrl+C, heartbeats), so
            # only the next real second's worth of the routine needs looking at.
            upcoming = events_between(timeline, position, position + session.speed)
            wait = (upcoming[0].at - position) / session.speed if upcoming else 1.0
            sleep(min(max(wait, 0.001), 1.0))
    except BrokenPipeError:
        # The reader went away (`| head`): the walk ends early and is saved; Python must
        # not complain about stdout at exit.
        status = WalkStatus.ENDED_EARLY
        _silence(out)
    except (KeyboardInterrupt, StopWalk):
        status = WalkStatus.ENDED_EARLY
        print(
            f"{stamp(session.position())} Ended early after {format_clock(session.walked())}",
            file=out,
            flush=True,
        )
    if recorder is not None:
        recorder.finish(
            status,
            session.walked(),
            session.paused_seconds(),
            segments_done(timeline, session.position()),
            session.cadence_seconds(moderate_cadence),
        )
    return status


def _silence(out: TextIO) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass


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
) -> WalkStatus:
    """`coach walk --plain`: recording (if `store`), sound, beat and signals around run_plain.

    SIGINT, SIGTERM and SIGHUP end the walk early; it is saved as ended early. `on_start`
    runs once the walk is recorded, before its first line.
    """
    import signal
    import sys

    recorder = None
    if store is not None:
        recorder = WalkRecorder.begin(store, timeline, routine_path, routine_text)
    if on_start is not None:
        on_start()  # the warning signs, when there is no terminal to ask them on

    def stop(signum: int, frame: object) -> None:
        # One signal ends the walk; more while it is being saved must not cut that short.
        for other in handled:
            signal.signal(other, signal.SIG_IGN)
        raise KeyboardInterrupt if signum == signal.SIGINT else StopWalk

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, stop) for signum in handled}

    def bell() -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\a")
            sys.stderr.flush()

    def notice(message: str) -> None:
        print(f"coach: {message}", file=sys.stderr, flush=True)

    sound = Sound(sound_mode, bell=bell, tts_template=tts_template, notice=notice)
    session = WalkSession(timeline, time.monotonic, speed=speed)
    from coach.audio.walk_beat import BeatChoice, WalkBeat

    # `beat.toggle` is the `k` key's action: it returns the words to confirm it with.
    beat = WalkBeat(session, beat_choice or BeatChoice(on=False), beat_player)
    beat.start(notice=notice)
    try:
        return run_plain(
            session,
            sys.stdout,
            recorder=recorder,
            sound=sound,
            beat=beat,
            moderate_cadence=moderate_cadence,
        )
    finally:
        beat.close()
        sound.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
