"""`coach walk --plain`: one line per event on stdout, for screen readers and pipes."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

from coach.announcements import describe, sound_out
from coach.engine import EventKind, WalkSession, events_between
from coach.recording import WalkRecorder, segments_done
from coach.routine.durations import format_clock
from coach.sound import Sound
from coach.store import WalkStatus

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
) -> WalkStatus:
    """Run the walk to its end (or Ctrl+C / StopWalk), printing each event as a line."""
    timeline = session.timeline
    last = -1.0
    last_saved = 0.0
    status = WalkStatus.COMPLETED
    try:
        while True:
            position = session.position()
            events = events_between(timeline, last, position)
            if sound is not None:
                sound_out(sound, timeline, events)
            for event in events:
                if event.kind in _PRINTED:
                    print(f"{stamp(event.at)} {describe(timeline, event)}", file=out, flush=True)
                if recorder is not None and event.kind is EventKind.SEGMENT_START:
                    recorder.progress(
                        session.walked(),
                        session.paused_seconds(),
                        segments_done(timeline, position),
                    )
                    last_saved = session.walked()
            last = position
            if position >= timeline.total:
                break
            if recorder is not None and session.walked() - last_saved >= recorder.heartbeat_seconds:
                recorder.progress(
                    session.walked(), session.paused_seconds(), segments_done(timeline, position)
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
        )
    return status


def _silence(out: TextIO) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass
