"""The guided walk: stride phases at the cadence, cues, posture prompts, countdowns.

The screen sleeps until the engine's next visible change (`WalkSession.next_change_in`)
instead of polling, and each wake updates only the widgets whose text changed.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
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
from coach.recording import WalkRecorder
from coach.sound import Sound
from coach.trace import PhaseTrace
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.typed import coach_app
from coach.tui.walk_view import MARGIN, WalkLines, WalkView
from coach.tui.widgets.key_footer import KeyFooter

# Columns the footer's keys need with the beat's `k Beat` among them.
FOOTER_WITH_BEAT = 64


class WalkScreen(Screen[WalkStatus]):
    """Runs one walk; dismisses with how it ended.

    The screen draws the walk itself, line by line (see coach.tui.walk_view): its only
    child is the footer.
    """

    CSS_PATH = "walk.tcss"

    COMPONENT_CLASSES = Screen.COMPONENT_CLASSES | WalkView.COMPONENT_CLASSES

    BINDINGS = [
        Binding("space", "pause", "Pause", id="pause"),
        Binding("n", "next", "Next", id="next"),
        Binding("b", "back", "Back", id="back"),
        Binding("plus,equals_sign", "faster", "±2 spm", key_display="+/-", id="faster"),
        Binding("minus", "slower", "Slower by 2 spm", show=False, id="slower"),
        Binding("m", "sound", "Sound", id="sound"),
        Binding("k", "beat", "Beat", id="beat"),
        Binding("q", "quit_walk", "End", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+c", "interrupt", "End now", show=False, priority=True),
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
        self.ended: WalkStatus | None = None
        self.view = WalkView(self)

    def compose(self) -> ComposeResult:
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._pause_key = coach_app(self).config.keys.get("pause") or "space"
        self._apply_size()
        # The help panel docks over the right of the screen: the rows move beside it.
        self.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)
        self.beat.start(notice=self._post_beat_notice)
        self.tick()

    def on_resize(self) -> None:
        self._apply_size()
        self._draw(self.session.state(), force=True)

    def _apply_size(self) -> None:
        # At 60x20 and below: no big digits and no spacing, everything essential kept.
        self.set_class(self.size.height < 22 or self.size.width < 64, "compact")
        narrow = self.size.width < FOOTER_WITH_BEAT
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.refresh_bindings()
        self.view.lay_out(self._room())

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
        if room != self.view.width:
            self.view.lay_out(room)

    def _room(self) -> int:
        """Columns for the rows: inside the margins, left of the help panel if shown."""
        covered = sum(panel.outer_size.width for panel in self.query("HelpPanel"))
        return self.size.width - covered - 2 * MARGIN

    def render_line(self, y: int) -> Strip:
        return self.view.render_line(y)

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
        # Everything but the stride changes at most once a second: between, skip building it.
        seconds_left = math.ceil(state.segment_left - 1e-9)
        key = (
            segment.index,
            seconds_left,
            int(state.position),
            state.cadence,
            self.session.paused,
            self.sound.mode,
            self.beat.label,
            state.posture_prompt,
            self._message,
        )
        if key == self._drawn and not force:
            return
        self._drawn = key
        timeline = self.session.timeline
        status = []
        if self.session.paused:
            status.append(f"‖ PAUSED — {self._pause_key} to resume")
        if self.session.speed != 1:
            status.append(f"preview ×{self.session.speed:g}, not recorded")
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
            status="  ".join(status),
            segment=(
                segment.label,
                f" · {segment.intensity.value} · {state.cadence} spm{cadence_note}",
            ),
            time_left=format_clock(seconds_left),
            side=(f"left in {segment.label}", f"{state.cadence} steps/min"),
            segment_bar=(
                state.segment_elapsed / max(segment.duration, 1),
                f"{format_clock(state.segment_elapsed)} / {format_clock(segment.duration)}",
            ),
            walk_bar=(
                state.position / max(timeline.total, 1),
                f"{format_clock(state.position)} / {format_clock(timeline.total)}",
            ),
            posture=state.posture_prompt or "",
            next=following,
            message=self._message,
        )
        self.view.show(lines, compact=self.has_class("compact"))

    # -- actions ---------------------------------------------------------------------

    def _woken_by_key(self) -> None:
        self._account_stop(self.session.clock())

    def _after_control(self) -> None:
        # A jump backwards must not replay its announcements; forwards ones are skipped.
        self._last_position = self.session.position()
        self._message = ""
        self.tick()

    def action_pause(self) -> None:
        self._woken_by_key()
        self.session.toggle_pause()
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
