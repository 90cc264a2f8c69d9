"""The guided walk: stride phases at the cadence, cues, posture prompts, countdowns.

The screen sleeps until the engine's next visible change (`WalkSession.next_change_in`)
instead of polling, and each wake updates only the widgets whose text changed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterable
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip

from coach.audio.walk_beat import BeatChoice, WalkBeat
from coach.core.announcements import resumed_after_stop
from coach.core.engine import (
    CADENCE_STEP,
    EventKind,
    WalkEvent,
    WalkSession,
    WalkState,
    events_between,
)
from coach.core.records import WalkStatus
from coach.core.routine.durations import format_clock
from coach.core.routine.model import PHASES
from coach.core.routine.timeline import Timeline
from coach.recording import WalkRecorder
from coach.sound import Sound
from coach.trace import PhaseTrace
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.typed import coach_app
from coach.tui.walk_view import MARGIN, WalkExtent, WalkLines, WalkView
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import KeysHelp, ListsItsKeys

# Columns the footer's keys need with the beat's `k Beat` among them.
FOOTER_WITH_BEAT = 64


SLOWER_KEY = "minus"  # the footer shows it beside faster's keys


class WalkScreen(ListsItsKeys, Screen[WalkStatus]):
    """Runs one walk; dismisses with how it ended.

    The screen draws the walk itself, line by line (see coach.tui.walk_view): its only
    child is the footer (and the keys, when `?` shows them).
    """

    CSS_PATH = ["walk.tcss", "../widgets/keys_help.tcss"]

    COMPONENT_CLASSES = Screen.COMPONENT_CLASSES | WalkView.COMPONENT_CLASSES

    # Tooltips are what the keys panel (`?`) says of each action.
    BINDINGS = [
        # One key, two faces: the footer says what space will do now (see check_action).
        Binding("space", "pause", "Pause", tooltip="Pause (the clock stops)", id="pause"),
        Binding("space", "resume", "Resume", tooltip="Resume the walk", id="pause"),
        Binding("n", "next", "Next", tooltip="Skip to the next segment", id="next"),
        Binding(
            "b",
            "back",
            "Back",
            tooltip="Back to this segment's start; twice in 3 s: the one before",
            id="back",
        ),
        Binding(
            "plus,equals_sign",
            "faster",
            "±2 spm",
            key_display="+/-",
            tooltip="2 steps/min faster, for this segment",
            id="faster",
        ),
        Binding(
            SLOWER_KEY,
            "slower",
            "Slower by 2 spm",
            show=False,
            tooltip="2 steps/min slower, for this segment",
            id="slower",
        ),
        Binding("m", "sound", "Sound", tooltip="Sound: voice → bell → off", id="sound"),
        Binding("k", "beat", "Beat", tooltip="The beat: on or off", id="beat"),
        Binding("q,escape", "quit_walk", "End", tooltip="End the walk (asks first)", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="Show or hide these keys", id="help"),
        Binding(
            "ctrl+c",
            "interrupt",
            "End now",
            show=False,
            priority=True,
            tooltip="End the walk now, without asking",
        ),
    ]

    def __init__(
        self,
        session: WalkSession,
        sound: Sound,
        recorder: WalkRecorder | None = None,
        trace: PhaseTrace | None = None,
        beat: WalkBeat | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.sound = sound
        self.beat = beat or WalkBeat(session, BeatChoice(on=False))
        self.recorder = recorder
        self._trace = trace
        self._wake: asyncio.TimerHandle | None = None
        self._due: float | None = None
        self._last_position = -1.0
        self._last_wake = session.started_at
        self._message = ""
        self._drawn: tuple[object, ...] = ()
        self._paused_shown: bool | None = None
        self.ended: WalkStatus | None = None
        self.view = WalkView(self)

    def compose(self) -> ComposeResult:
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._pause_key = coach_app(self).config.keys.get("pause") or "space"
        self.view.set_extent(walk_extent(self.session.timeline))
        self._apply_size()
        # The keys panel docks over the right of the screen: the rows move beside it.
        self.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)
        self.beat.start(notice=self._post_beat_notice)
        self.tick()

    def on_resize(self) -> None:
        self._apply_size()
        self._draw(self.session.state(), force=True)

    def _apply_size(self) -> None:
        # The view fits what it can: from everything essential on a small terminal up to
        # large digits and a larger stride on a big one (see WalkView._plan).
        self.view.lay_out(*self._room())
        self.set_class(self.view.compact, "compact")
        narrow = self.size.width < FOOTER_WITH_BEAT
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.refresh_bindings()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings; when narrow, the footer leaves out the beat's key.

        The help still lists it, and the status line says `beat: on`: the other keys
        are the ones a walker needs at a glance.
        """
        bindings = super().active_bindings
        if not self.has_class("narrow"):
            return bindings
        return {
            key: active._replace(binding=replace(active.binding, show=False))
            if active.binding.id == "beat"
            else active
            for key, active in bindings.items()
        }

    def _layout_refreshed(self, _screen: Screen[object]) -> None:
        room = self._room()
        if room != (self.view.width, self.view.height):
            self._apply_size()

    def _room(self) -> tuple[int, int]:
        """Columns and rows for the view: inside the margins, left of the keys panel if
        shown, above the footer."""
        covered = sum(panel.outer_size.width for panel in self.query(KeysHelp))
        footer = sum(footer.outer_size.height for footer in self.query(KeyFooter)) or 1
        return self.size.width - covered - 2 * MARGIN, self.size.height - footer

    def render_line(self, y: int) -> Strip:
        return self.view.render_line(y)

    def render_lines(self, crop: Region) -> list[Strip]:
        return self.view.render_lines(crop, super().render_lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.view.forget_styles()

    # -- the clock -------------------------------------------------------------------

    def tick(self) -> None:
        """Catch up with the clock: announce what was passed, redraw, sleep until next."""
        if self.ended is not None:
            return
        session = self.session
        now = session.clock()
        self._account_stop(now)
        state = session.state(now)
        position = state.position
        if position > self._last_position:
            events = events_between(session.timeline, self._last_position, position)
            for event in events:
                self._show_event(event)
            self.sound.announce_events(session.timeline, events)
            self._last_position = position
        if self.recorder is not None:
            self.recorder.observe(session, state.segment.index, now)
        self._draw(state)
        # After anything that moves the walk's clock: the player is told where it is now.
        self.beat.update()
        if self._trace is not None:
            self._trace.phase_shown(
                state.step, state.phase.value, state.segment.index, self._due, time.monotonic()
            )
        if state.finished:
            self.end_walk(WalkStatus.COMPLETED)
            return
        self._schedule()

    def _account_stop(self, now: float) -> None:
        """A wake (a tick or a key): a stop or sleep since the last one is not walking."""
        stopped = self.session.account_gap(now, self._last_wake)
        self._last_wake = now
        if stopped:
            self._message = resumed_after_stop(stopped)

    def _schedule(self) -> None:
        self._cancel_wake()
        delay = self.session.next_change_in()
        if math.isfinite(delay):
            # When the change is due on the real clock (only used by the trace).
            self._due = time.monotonic() + delay
            # A bare event-loop timer, not Textual's set_timer: that starts a task per
            # wake-up, and this screen wakes six times a second or more.
            self._wake = asyncio.get_running_loop().call_later(max(delay, 0.001), self._woken)

    def _woken(self) -> None:
        self._wake = None
        try:
            self.tick()
        except Exception as error:  # handed to Textual, as a timer's error would be
            self.app._handle_exception(error)

    def _cancel_wake(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def on_unmount(self) -> None:
        self._cancel_wake()
        self.beat.close()

    def _show_event(self, event: WalkEvent) -> None:
        timeline = self.session.timeline
        if event.kind is EventKind.COUNTDOWN:
            following = (
                "the end"
                if event.segment + 1 >= len(timeline.segments)
                else (timeline.segments[event.segment + 1].label)
            )
            self._message = f"{following} in {event.text}…"
        elif event.kind is EventKind.ANNOUNCEMENT:
            self._message = f"“{event.text}”"
        elif event.kind is EventKind.SEGMENT_START:
            self._message = ""

    # -- drawing ---------------------------------------------------------------------

    def _draw(self, state: WalkState, force: bool = False) -> None:
        self.view.show_state(state)
        segment = state.segment
        session = self.session
        # Everything but the stride changes at most once a second: between, skip building it.
        seconds_left = math.ceil(state.segment_left - 1e-9)
        walked = session.walked()
        key = (
            segment.index,
            seconds_left,
            int(state.position),
            int(walked),
            state.cadence,
            session.paused,
            self.sound.mode,
            self.beat.label,
            state.posture_prompt,
            self._message,
        )
        if key == self._drawn and not force:
            return
        self._drawn = key
        if session.paused != self._paused_shown:
            self._paused_shown = session.paused
            self.refresh_bindings()  # the footer's space key: Pause or Resume
        timeline = session.timeline
        status = []
        if session.paused:
            status.append(f"‖ PAUSED — {self._pause_key} to resume")
        if session.speed != 1:
            status.append(f"preview ×{session.speed:g}, not recorded")
        status.append(f"sound: {self.sound.mode.value}")
        status.append(f"beat: {self.beat.label}")
        cadence_note = "" if state.cadence == segment.cadence else f" (planned {segment.cadence})"
        upcoming = state.next_segment
        if upcoming is None:
            following = ("", "Next: the end of the walk — then your check-in")
        else:
            following = (
                "Next: ",
                f"{upcoming.label} · {format_clock(upcoming.duration)} at {upcoming.cadence} spm",
            )
        lines = WalkLines(
            name=timeline.name,
            status=tuple(status),
            segment=(
                segment.label,
                f" · {segment.intensity.value} · {state.cadence} spm{cadence_note}",
            ),
            time_left=format_clock(seconds_left),
            side=(f"left in {segment.label}", f"{state.cadence} steps/min"),
            note=segment.note or "",
            segment_bar=(
                state.segment_elapsed / max(segment.duration, 1),
                f"{format_clock(state.segment_elapsed)} / {format_clock(segment.duration)}",
            ),
            walk_bar=(
                state.position / max(timeline.total, 1),
                f"{format_clock(state.position)} / {format_clock(timeline.total)}",
            ),
            # Walked, apart from where the routine is: a skip moves the bar, not these.
            walked=f"{format_clock(walked)} · {session.steps_walked():,} steps",
            posture=state.posture_prompt or "",
            next=following,
            message=self._message,
        )
        self.view.show(lines)

    # -- actions ---------------------------------------------------------------------

    def _woken_by_key(self) -> None:
        self._account_stop(self.session.clock())

    def _after_control(self) -> None:
        # A jump backwards must not replay its announcements; forwards ones are skipped.
        self._last_position = self.session.position()
        self._message = ""
        self.tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Space pauses while walking and resumes while paused: only one of the two is bound.
        if action == "pause":
            return not self.session.paused
        if action == "resume":
            return self.session.paused
        return True

    def action_pause(self) -> None:
        self._woken_by_key()
        self.session.pause()
        self.tick()

    def action_resume(self) -> None:
        self._woken_by_key()
        self.session.resume()
        self.tick()

    def action_next(self) -> None:
        self._woken_by_key()
        self.session.next_segment()
        self._after_control()

    def action_back(self) -> None:
        self._woken_by_key()
        self.session.back()
        self._after_control()

    def action_faster(self) -> None:
        self._woken_by_key()
        self.session.adjust_cadence(CADENCE_STEP)
        self.tick()

    def action_slower(self) -> None:
        self._woken_by_key()
        self.session.adjust_cadence(-CADENCE_STEP)
        self.tick()

    def action_sound(self) -> None:
        mode = self.sound.cycle()
        self.notify(f"Sound: {mode.value}", timeout=2)
        self.tick()

    def action_beat(self) -> None:
        self._woken_by_key()
        self.notify(self.beat.toggle(), timeout=2, markup=False)
        self.tick()

    class BeatNotice(Message):
        """The beat could not start (no audio device): say so once."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _post_beat_notice(self, text: str) -> None:
        # Called from the thread that opens the device: posting a message is thread-safe.
        self.post_message(self.BeatNotice(text))

    def on_walk_screen_beat_notice(self, message: BeatNotice) -> None:
        self.notify(message.text, severity="warning", markup=False, timeout=8)
        if self.ended is None:
            self._draw(self.session.state(), force=True)

    def action_help(self) -> None:
        coach_app(self).action_toggle_help()

    def action_quit_walk(self) -> None:
        self._woken_by_key()
        was_paused = self.session.paused

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.end_walk(WalkStatus.ENDED_EARLY)
            elif not was_paused:
                self.session.resume()
                self.tick()

        self.session.pause()
        self.tick()
        if self.recorder is None:
            question = "End this walk now? (It is not being recorded.)"
        elif self.recorder.keeper.failing is None:
            question = "End this walk now? It is saved as ended early."
        else:
            question = (
                "End this walk now? It is kept as ended early (not saved yet: coach keeps trying)."
            )
        self.app.push_screen(ConfirmScreen(question, "End walk", "Keep walking"), answered)

    def action_interrupt(self) -> None:
        self._woken_by_key()
        self.end_walk(WalkStatus.ENDED_EARLY)

    def end_walk(self, status: WalkStatus) -> None:
        """Record how the walk ended and leave the screen (the recorder saves it)."""
        if self.ended is not None:
            return
        self.ended = status
        self._cancel_wake()
        self.finish_recording(status)
        self.sound.close()
        self.beat.close()
        if self._trace is not None:
            self._trace.close()
        self.dismiss(status)

    def finish_recording(self, status: WalkStatus) -> None:
        if self.recorder is not None:
            self.recorder.finish(status, self.recorder.progress(self.session))

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.tick()


def walk_extent(timeline: Timeline) -> WalkExtent:
    """What the walk can show that may need room, for the layout: the longest few of each."""

    def longest(texts: Iterable[str]) -> tuple[str, ...]:
        # Wrapping follows length closely enough: the layout wraps only these.
        return tuple(sorted(dict.fromkeys(texts), key=len, reverse=True)[:8])

    segments = timeline.segments
    return WalkExtent(
        notes=longest(s.note for s in segments if s.note),
        cues=tuple(
            longest(cue for s in segments for cue in s.cues[number].cues)
            for number in range(len(PHASES))
        ),
        postures=longest(p.text for p in timeline.posture_prompts),
        messages=longest(
            [f"“{a.say}”" for s in segments for a in s.announcements]
            + [f"{s.label} in 3…" for s in segments]
        ),
        longest_time=max(
            (format_clock(s.duration) for s in segments), key=len, default=format_clock(0)
        ),
    )
