"""`coach walk --plain`: one line per event on stdout, for screen readers and pipes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from coach.engine import EventKind, WalkEvent, WalkSession, events_between
from coach.recording import WalkRecorder, segments_done
from coach.routine.durations import format_clock
from coach.routine.timeline import Timeline
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


def describe(timeline: Timeline, event: WalkEvent) -> str:
    """The plain-text line for one event (without its time stamp)."""
    if event.kind is EventKind.SEGMENT_START:
        segment = timeline.segments[event.segment]
        return (
            f"{segment.label} — {format_clock(segment.duration)} at {segment.cadence} spm"
            f" ({segment.intensity.value})" + (f". {segment.note}" if segment.note else "")
        )
    if event.kind is EventKind.ANNOUNCEMENT:
        return f"say: {event.text}"
    if event.kind is EventKind.POSTURE:
        return f"posture: {event.text}"
    if event.kind is EventKind.CUE:
        return f"cue: {event.text}"
    if event.kind is EventKind.FINISH:
        return f"Walk complete: {timeline.name}, {format_clock(timeline.total)}"
    return event.text


def spoken(timeline: Timeline, event: WalkEvent) -> str:
    """What voice mode says for an event."""
    if event.kind is EventKind.SEGMENT_START:
        segment = timeline.segments[event.segment]
        return (
            f"{segment.label}. {spoken_duration(segment.duration)} "
            f"at {segment.cadence} steps per minute"
        )
    if event.kind is EventKind.CUE:
        return event.text.split(": ", 1)[-1]
    return event.text


def spoken_duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts) or "0 seconds"


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
            for event in events_between(timeline, last, position):
                if event.kind in _PRINTED:
                    print(f"{stamp(event.at)} {describe(timeline, event)}", file=out, flush=True)
                if sound is not None and event.kind is not EventKind.CUE:
                    sound.announce(
                        spoken(timeline, event),
                        ring=event.kind in (EventKind.SEGMENT_START, EventKind.ANNOUNCEMENT),
                    )
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
            upcoming = events_between(timeline, position, position + 60 * session.speed)
            wait = (upcoming[0].at - position) / session.speed if upcoming else 1.0
            sleep(min(max(wait, 0.001), 1.0))
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
