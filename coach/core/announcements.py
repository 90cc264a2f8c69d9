"""What a walk says about its events: the plain-text line and the spoken words."""

from __future__ import annotations

from collections.abc import Sequence

from coach.core.engine import EventKind, WalkEvent
from coach.core.routine.durations import format_clock
from coach.core.routine.timeline import Timeline

# The bell rings for these; voice speaks every event but the finish.
_RINGING = (EventKind.SEGMENT_START, EventKind.ANNOUNCEMENT)


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


def resumed_after_stop(seconds: float) -> str:
    """The line after a stop or sleep (see WalkSession.account_gap): `Resumed after a 20 s stop`."""
    whole = max(round(seconds), 1)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        length = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif minutes:
        length = f"{minutes} min {secs} s" if secs else f"{minutes} min"
    else:
        length = f"{secs} s"
    return f"Resumed after a {length} stop"


def spoken(timeline: Timeline, event: WalkEvent) -> str:
    """What voice mode says for an event."""
    if event.kind is EventKind.SEGMENT_START:
        segment = timeline.segments[event.segment]
        words = (
            f"{segment.label}. {spoken_duration(segment.duration)} "
            f"at {segment.cadence} steps per minute"
        )
        if segment.note:
            # Said as one sentence after the figures; a note may span lines.
            words += ". " + " ".join(segment.note.split())
        return words
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


def utterance(timeline: Timeline, events: Sequence[WalkEvent]) -> tuple[str, bool] | None:
    """What to say for events passed together, and whether the bell rings for them.

    One utterance, so none is dropped: the speaker keeps only the newest waiting
    utterance, and three cues turning over at the same moment must reach it as one.
    """
    words = [spoken(timeline, e) for e in events if e.kind is not EventKind.FINISH]
    if not words:
        return None
    return ". ".join(words), any(e.kind in _RINGING for e in events)
