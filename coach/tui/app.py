"""The coach Textual app: home, the guided walk and the check-in after it."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from coach.config import Config, save_setting
from coach.core.records import CheckinKind, WalkStatus
from coach.core.routine.durations import format_clock
from coach.library.routines import Origin, RoutineEntry
from coach.paths import HomeError
from coach.sound import Sound, SoundMode
from coach.store import Store, StoreError
from coach.tui.commands import CoachCommands

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.message_pump import MessagePump
    from textual.screen import Screen

    from coach.audio.walk_beat import OpenPlayer
    from coach.core.checkin import Checkin, WarningSign
    from coach.core.routine import LoadResult, Timeline
    from coach.recording import KeepOutcome, RecordKeeper, WalkRecorder
    from coach.tui.screens.summary import SummaryScreen
    from coach.tui.screens.walk import WalkScreen
    from coach.tui.screens.warning_signs import SignsAnswer

# Each screen is imported where it is first pushed: `coach walk` never needs home's
# widgets, and home never needs the editor's or the history's.

# How long a walk's summary waits for its end to be written (the keeper goes on trying).
SUMMARY_WAIT_SECONDS = 3.0


class CoachApp(App[None]):
    TITLE = "coach"
    COMMANDS = App.COMMANDS | {CoachCommands}
    # `?` is each screen's help key; F1 works everywhere, even while typing in a field.
    BINDINGS = [Binding("f1", "toggle_help", "Help", show=False)]

    def __init__(
        self,
        store: Store | None,
        config: Config | None = None,
        start: RoutineEntry | None = None,
        start_loaded: LoadResult | None = None,
        sound_mode: SoundMode | None = None,
        checkin: bool = True,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        notices: tuple[str, ...] = (),
        start_checkin: bool = False,
        welcome: bool = False,
        on_welcomed: Callable[[], None] | None = None,
        edit: RoutineEntry | None = None,
        on_first_frame: Callable[[], None] | None = None,
        beat: bool | None = None,
        beat_player: OpenPlayer | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        # Each screen reads its stylesheets (its CSS_PATH) when first shown, and Textual
        # then parses every stylesheet again (7-20 ms, Textual's own included): the first
        # screens' are read at start, the keys panel's too (every screen with keys of its
        # own shows it). A walk from the command line also reads at start the sheets of
        # the rest of its way: the question before ending it and the summary.
        later = []
        if welcome:
            first = ["welcome", "home"]
        elif edit is not None:
            first = ["editor"]
        elif start_checkin:
            first = ["checkin"]
        elif start is not None:
            first = ["walk", "checkin"] if checkin else ["walk"]
            later = ["dialogs", "summary"]
        else:
            first = ["home"]
        super().__init__(
            css_path=[
                *(f"screens/{name}.tcss" for name in first),
                "widgets/keys_help.tcss",
                *(f"screens/{name}.tcss" for name in later),
            ]
        )
        self.store = store
        self.config = config or Config()
        self.start = start
        self.start_loaded = start_loaded  # `start` as loaded (and checked) already, if it was
        self.sound_mode = sound_mode or SoundMode(self.config.sound)
        self.checkin = checkin
        self.speed = speed
        self.clock = clock
        self.notices = notices
        # Said on the terminal once the app has closed (where the app closes itself).
        self.said_at_exit: list[str] = []
        self.start_checkin = start_checkin
        self.welcome = welcome
        self._on_welcomed = on_welcomed
        self.edit = edit
        self.on_first_frame = on_first_frame
        self.beat = beat  # --beat/--no-beat; None: the config's
        self.beat_player = beat_player  # opens the beat's player; None: the sound card
        self.today = today  # the local date (tests pass their own)
        self._frame_shown = False
        self._after_frame: list[Callable[[], object]] = []
        self.walk_screen: WalkScreen | None = None
        self.recorder: WalkRecorder | None = None
        self._records: RecordKeeper | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.on_first_frame is not None:
            self.after_first_frame(self, self.on_first_frame)
        self._apply_theme()
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        from coach.core.text import visible_text

        for notice in self.notices:
            self.notify(visible_text(notice), severity="warning", markup=False, timeout=8)
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.end_on_signal)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not on the main thread (tests) or not supported: the CLI's finally covers it
        if self.welcome:
            from coach.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(), self._welcome_closed)
        else:
            self._start()

    def after_first_frame(self, node: MessagePump, callback: Callable[[], object]) -> None:
        """Call `callback` on `node` once the app's first frame has been drawn; at once
        (after the next refresh) if it has been.

        Textual's `call_after_refresh` is no such promise at start-up: while the first
        screen is being pushed and start-up updates are batched, after-refresh callbacks
        run before anything is drawn, and their work (a widget mounted, a thread reading
        the store) delays that first frame."""
        if self._frame_shown:
            node.call_after_refresh(callback)
        else:
            self._after_frame.append(partial(node.call_later, callback))

    @property
    def frame_shown(self) -> bool:
        """Whether the app's first frame has been drawn."""
        return self._frame_shown

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        # A frame is drawn when there is one and updates are not batched (headless too,
        # where nothing is written).
        if not self._frame_shown and renderable is not None and not self._batch_count:
            self._frame_shown = True
            waiting, self._after_frame = self._after_frame, []
            for call in waiting:
                call()

    @property
    def _home_is_first(self) -> bool:
        return not (self.welcome or self.edit or self.start_checkin or self.start)

    def get_default_screen(self) -> Screen[Any]:
        """Home, when the app opens on it: as the first screen it is drawn in the app's
        first frame (pushed on a blank one, it was drawn twice, once for nothing)."""
        if self._home_is_first:
            from coach.tui.screens.home import HomeScreen

            return HomeScreen()
        return super().get_default_screen()

    def _welcome_closed(self, _: object) -> None:
        if self._on_welcomed is not None:
            self._on_welcomed()
        self._start()

    def get_key_display(self, binding: Binding) -> str:
        """As Textual shows keys, but the walk's "+/-" names the keys bound now when
        `keys:` in the config moves faster or slower elsewhere."""
        keys = self.config.keys
        if binding.id == "faster" and ("faster" in keys or "slower" in keys):
            from coach.tui.screens.walk import SLOWER_KEY

            slower = keys.get("slower", SLOWER_KEY).split(",")[0].strip()
            faster = binding.key.split(",")[0].strip()
            shown = super().get_key_display
            return f"{shown(Binding(faster, ''))}/{shown(Binding(slower, ''))}"
        return super().get_key_display(binding)

    def _apply_theme(self) -> None:
        wanted = self.config.theme
        if wanted is None:
            return
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self.notify(
                f"Unknown theme {wanted!r} in the config; using {self.theme}.",
                severity="warning",
                markup=False,
            )

    def watch_theme(self, theme: str) -> None:
        """Keep a theme chosen in the app (command palette) for next time."""
        if not self.is_running or theme == self.config.theme:
            return
        try:
            save_setting("theme", theme)
        except (OSError, HomeError) as exc:
            from coach.core.text import visible_text

            self.notify(
                visible_text(f"Could not save the theme: {exc}"), severity="warning", markup=False
            )

    def _start(self) -> None:
        if self.edit is not None:
            self.edit_routine(self.edit, exit_after=True)
        elif self.start_checkin:
            from coach.tui.screens.checkin import CheckinScreen

            self.push_screen(CheckinScreen(CheckinKind.ALONE), self._lone_checkin_done)
        elif self.start is not None:
            self.start_walk(self.start, exit_after=True, loaded=self.start_loaded)
        else:
            if not self._home_is_first:  # after the welcome
                from coach.tui.screens.home import HomeScreen

                self.push_screen(HomeScreen())
            # Its query and dialog come after home's first frame.
            self.after_first_frame(self, self.offer_unfinished_checkin)

    def action_toggle_help(self) -> None:
        """Show or hide the keys of the current screen."""
        if self.screen.query("HelpPanel, KeysHelp"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """The screen's own keys where it lists them (coach.tui.widgets.keys_help);
        Textual's panel of every binding elsewhere."""
        from coach.tui.widgets.keys_help import ListsItsKeys, show_keys_help

        if isinstance(self.screen, ListsItsKeys):
            show_keys_help(self.screen, True)
        else:
            super().action_show_help_panel()

    def action_hide_help_panel(self) -> None:
        from coach.tui.widgets.keys_help import show_keys_help

        show_keys_help(self.screen, False)
        super().action_hide_help_panel()

    def action_history(self) -> None:
        if self.store is None:
            self.notify("History needs the database, which could not be opened.", markup=False)
            return
        # Imported on demand: the history's widgets aren't needed to start the app.
        from coach.tui.history.screen import HistoryScreen

        self.push_screen(HistoryScreen(self.store, weekly_target=self.config.weekly_target))

    def action_checkin(self) -> None:
        from coach.tui.screens.checkin import CheckinScreen

        def done(answers: Checkin | None) -> None:
            if answers is not None:
                self.save_checkin(
                    CheckinKind.ALONE,
                    answers,
                    None,
                    on_saved=lambda: self.from_any_thread(self.notify, "Check-in saved."),
                )

        self.push_screen(CheckinScreen(CheckinKind.ALONE), done)

    def action_new_routine(self) -> None:
        from coach.tui.screens.dialogs import NewRoutineScreen

        def created(path: Path | None) -> None:
            if path is not None:
                self.refresh_routines(select=path.stem)
                self.edit_routine(RoutineEntry(path.stem, path, Origin.MINE))

        self.push_screen(NewRoutineScreen(), created)

    def refresh_routines(self, select: str | None = None) -> None:
        """Tell the home screen (if open) that the routines may have changed; `select`
        highlights that routine there (one just made or renamed)."""
        from coach.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.reload(select=select)

    @property
    def walking(self) -> bool:
        """A walk (or a preview of one) is on the screen stack."""
        walk = sys.modules.get("coach.tui.screens.walk")  # not imported: no walk yet
        return walk is not None and any(isinstance(s, walk.WalkScreen) for s in self.screen_stack)

    @property
    def editing_with_changes(self) -> bool:
        """The routine editor is showing, with unsaved changes."""
        editor = sys.modules.get("coach.tui.screens.editor")
        return (
            editor is not None
            and isinstance(self.screen, editor.EditorScreen)
            and self.screen.dirty
        )

    async def action_quit(self) -> None:
        """Quit, but never drop unsaved routine edits without asking."""
        if self.editing_with_changes:
            from coach.tui.screens.dialogs import ConfirmScreen

            self.push_screen(
                ConfirmScreen("Discard your unsaved changes and quit?", "Quit", "Keep editing"),
                lambda yes: self.exit() if yes else None,
            )
            return
        self.exit()

    def edit_routine(self, entry: RoutineEntry, exit_after: bool = False) -> None:
        """Open the editor on a routine (a built-in is saved as the user's copy)."""
        from coach.tui.screens.editor import EditorScreen, edit_target

        target = edit_target(entry)
        try:
            text = target.source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            from coach.core.text import visible_text

            self.notify(
                visible_text(f"Cannot open {target.source}: {exc}"), severity="error", markup=False
            )
            if exit_after:
                self.exit(return_code=1)
            return

        def closed(saved: bool | None) -> None:
            if exit_after:
                self.exit()
            elif saved:
                self.refresh_routines()

        self.push_screen(EditorScreen(target, text), closed)

    def _lone_checkin_done(self, answers: Checkin | None) -> None:
        if answers is not None:
            self.save_checkin(CheckinKind.ALONE, answers, None)
        self.exit()

    @property
    def records(self) -> RecordKeeper | None:
        """What writes walks and check-ins (None without a database)."""
        if self._records is None and self.store is not None:
            from coach.recording import RecordKeeper

            self._records = RecordKeeper(
                self.store,
                on_notice=self._saving_notice,
                # A walk's end or a check-in is in the database: home's last walk and
                # pain trend show it.
                on_written=lambda: self.from_any_thread(self.refresh_recent),
            )
        return self._records

    def _saving_notice(self, text: str, trouble: bool) -> None:
        """Saving failed, or works again: say so on screen (called from the recorder)."""
        from coach.core.text import visible_text

        self.from_any_thread(
            self.notify,
            visible_text(text),
            severity="error" if trouble else "information",
            markup=False,
            timeout=12 if trouble else 5,
        )

    def from_any_thread(self, callback: Callable[..., object], *args: object, **kw: object) -> None:
        """Run `callback` on the app's event loop soon, from any thread, without waiting;
        nothing happens once the app has ended."""
        if self._loop is None:
            return
        # A closed loop refuses: whoever closes the records reports on stderr instead.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(lambda: callback(*args, **kw))

    def close_records(
        self, on_retrying: Callable[[str], None] | None = None, timeout: float | None = None
    ) -> KeepOutcome:
        """At exit: save what is left (retrying for up to EXIT_RETRY_SECONDS, or
        `timeout`), else keep it in the recovery file; the outcome says what was not saved."""
        from coach.recording import EXIT_RETRY_SECONDS, KeepOutcome

        if self._records is None:
            return KeepOutcome()
        return self._records.close(EXIT_RETRY_SECONDS if timeout is None else timeout, on_retrying)

    def save_checkin(
        self,
        kind: CheckinKind,
        answers: Checkin,
        walk: WalkRecorder | int | None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        """Record a check-in: kept and retried until saved (see coach.recording)."""
        records = self.records
        if records is not None:
            records.add_checkin(kind, answers, walk, on_saved)

    def offer_unfinished_checkin(self) -> None:
        """A walk that ended early or was interrupted gets its check-in offered once."""
        if self.store is None:
            return
        try:
            walk = self.store.walk_needing_checkin()
            if walk is None:
                return
            self.store.mark_checkin_offered(walk.id)
        except StoreError:
            return
        from coach.core.text import visible_text
        from coach.tui.screens.checkin import CheckinScreen
        from coach.tui.screens.dialogs import ConfirmScreen

        name = visible_text(walk.routine_name)
        when = datetime.fromisoformat(walk.started_at).astimezone().strftime("%a %d %b %H:%M")
        question = (
            f"Your walk “{name}” on {when} {walk.status.label} after "
            f"{format_clock(walk.walked_seconds)}. Fill in its check-in now?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.push_screen(
                    CheckinScreen(CheckinKind.AFTER, subtitle=f"For: {name}"), filled_in
                )

        def filled_in(answers: Checkin | None) -> None:
            if answers is not None:
                self.save_checkin(CheckinKind.AFTER, answers, walk.id)

        self.push_screen(ConfirmScreen(question, "Check in", "Not now"), answered)

    def start_walk(
        self, entry: RoutineEntry, exit_after: bool = False, loaded: LoadResult | None = None
    ) -> None:
        """Walk a routine (`loaded`: as loaded already, if it was): the pre-walk check-in
        (if on), the walk, then the check-in."""
        # The walk's modules (YAML loading, the engine, recording) are not needed to
        # show home, so they load with the first walk.
        from coach.core.routine import compile_timeline, load_file

        result = loaded if loaded is not None else load_file(entry.path)
        if result.routine is None or result.text is None:
            first = result.report()[0] if result.diagnostics else f"cannot load {entry.path}"
            from coach.core.text import visible_text

            self.notify(
                visible_text(first), title="This routine has errors", severity="error", markup=False
            )
            if exit_after:
                self.exit(return_code=1)
            return
        timeline = compile_timeline(result.routine)
        recording = self.store is not None and self.speed == 1
        text = result.text
        signs: frozenset[WarningSign] = frozenset()

        def begin(before: Checkin | None = None) -> None:
            if signs:  # walking on with a warning sign: the walk is flagged in history
                from coach.core.checkin import Checkin

                before = (before or Checkin())._replace(warning_signs=signs)
            self._begin_walk(entry, timeline, text, before, exit_after)

        def check_in() -> None:
            if recording and self.checkin and self.config.pre_walk_checkin:
                from coach.tui.screens.checkin import CheckinScreen

                self.push_screen(
                    CheckinScreen(CheckinKind.BEFORE, subtitle=f"Then: {timeline.name}"), begin
                )
            else:
                begin()

        def answered(answer: SignsAnswer | None) -> None:
            nonlocal signs
            if answer is not None:
                self._keep_warning_answer(answer)
            if answer is None or not answer.walk:
                if exit_after:  # the app closes: the terminal says why there was no walk
                    flagged = (
                        " Your answer is flagged in your history."
                        if answer and answer.signs
                        else ""
                    )
                    self.said_at_exit.append(f"The walk has not started.{flagged}")
                    self.exit()
                return
            signs = answer.signs
            check_in()

        # Before the day's first walk (and each later one while a sign was ticked today).
        from coach.core.checkin import warning_signs_due

        today = self._warning_answers_today() if recording else None
        if today is None or not warning_signs_due(today):
            check_in()
            return
        from coach.tui.screens.warning_signs import WarningSignsScreen

        self.push_screen(
            WarningSignsScreen(subtitle=f"Then: {timeline.name}", first_today=not today),
            answered,
        )

    def _warning_answers_today(self) -> list[frozenset[WarningSign]]:
        """Today's answers to the warning signs before a walk, oldest first."""
        from coach.core.trends import day_range_utc

        if self.store is None:
            return []
        today = self.today()
        since, until = day_range_utc(today, today)
        assert since is not None
        try:
            return self.store.warning_answers(since, until)
        except StoreError:
            return []  # unknown: ask rather than skip them

    def _keep_warning_answer(self, answer: SignsAnswer) -> None:
        """Store the answer; a sign ticked without walking becomes a flagged check-in."""
        if self.store is None:
            return
        try:
            self.store.add_warning_answer(answer.signs, walked=answer.walk)
        except StoreError as exc:
            self.notify(f"Your answer was not saved: {exc}", severity="error", markup=False)
        if answer.signs and not answer.walk:
            from coach.core.checkin import Checkin

            self.save_checkin(
                CheckinKind.ALONE,
                Checkin(warning_signs=answer.signs),
                None,
                on_saved=lambda: self.from_any_thread(
                    self.notify, "No walk. Your answer is flagged in your history.", markup=False
                ),
            )

    def _begin_walk(
        self,
        entry: RoutineEntry,
        timeline: Timeline,
        text: str,
        before: Checkin | None,
        exit_after: bool,
    ) -> None:
        from coach.audio.walk_beat import BeatChoice, WalkBeat
        from coach.core.engine import WalkSession
        from coach.trace import PhaseTrace
        from coach.tui.screens.walk import WalkScreen

        session = WalkSession(timeline, self.clock, speed=self.speed)
        self.recorder = None
        records = self.records
        if records is not None and self.speed == 1:
            # Written as soon as the database allows: a walk may begin while it is locked.
            self.recorder = records.begin_walk(
                timeline, str(entry.path), text, self.config.moderate_cadence
            )
        if before is not None and self.recorder is not None:
            self.save_checkin(CheckinKind.BEFORE, before, self.recorder)
        sound = Sound(
            self.sound_mode,
            bell=self.bell,
            tts_template=self.config.tts_command,
            notice=lambda message: self.notify(message, severity="warning", markup=False),
        )
        config = self.config
        beat = WalkBeat(
            session,
            BeatChoice.of(config.beat, config.beat_volume, self.beat, self.speed),
            self.beat_player,
        )
        self.walk_screen = WalkScreen(
            session,
            sound,
            self.recorder,
            trace=PhaseTrace.from_environment(),
            beat=beat,
        )

        walk_screen = self.walk_screen

        def ended(status: WalkStatus | None) -> None:
            self.walk_screen = None
            self._walk_ended(walk_screen, status or WalkStatus.ENDED_EARLY, before, exit_after)

        self.push_screen(self.walk_screen, ended)

    def _walk_ended(
        self,
        walk_screen: WalkScreen,
        status: WalkStatus,
        before: Checkin | None,
        exit_after: bool,
    ) -> None:
        """The end of a walk: its summary, the check-in after it, then the summary again
        with the pain change.

        The summary shows at once; a recorded walk's then waits (in a thread) for the
        walk's end to be written, and fills in: "Walk complete" only over a saved walk,
        and the week with this walk counted.
        """

        from coach.core.summary import WalkSummary, summarize_walk
        from coach.tui.screens.summary import SummaryScreen

        recorder, records, session = self.recorder, self.records, walk_screen.session
        first = summarize_walk(session, status, None)
        recorded = recorder is not None and records is not None
        screen = SummaryScreen(
            replace(first, saving=True) if recorded else first,
            checkin_next=self.checkin and recorder is not None,
        )
        # Each summary shown, and how it words the walk's summary (with the pain or not).
        shown: list[tuple[SummaryScreen, Callable[[WalkSummary], WalkSummary]]] = [
            (screen, lambda summary: summary)
        ]

        def after(answers: Checkin | None) -> None:
            if recorder is None or answers is None:
                if recorder is not None and recorder.walk_id is not None:
                    self._checkin_declined(recorder.walk_id)  # else not saved yet: offered
                self._after_walk(exit_after)
                return
            self.save_checkin(CheckinKind.AFTER, answers, recorder)
            pain_before = before.pain if before is not None else None

            def with_pain(summary: WalkSummary) -> WalkSummary:
                return summary.after_checkin(pain_before, answers.pain)

            again = SummaryScreen(with_pain(screen.summary))
            shown.append((again, with_pain))
            self.push_screen(again, lambda _: self._after_walk(exit_after))

        def check_in(_: object) -> None:
            from coach.tui.screens.checkin import CheckinScreen

            self.push_screen(CheckinScreen(CheckinKind.AFTER), after)

        if screen.checkin_next:
            self.push_screen(screen, check_in)
        else:
            self.push_screen(screen, lambda _: self._after_walk(exit_after))
        if recorder is None or records is None:
            return
        target = self.config.weekly_target

        def deliver(summary: WalkSummary) -> None:
            for summary_screen, worded in shown:
                summary_screen.show_summary(worded(summary))

        def summarize() -> None:
            from coach.ending import walk_summary

            saved = records.wait_until_saved(SUMMARY_WAIT_SECONDS) and recorder.saved
            summary = walk_summary(session, status, saved, self.store, target)
            with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
                self.call_from_thread(deliver, summary)

        self.run_worker(summarize, thread=True, group="walk-summary")

    def _after_walk(self, exit_after: bool) -> None:
        self.refresh_recent()
        if exit_after:
            self.exit()

    def _checkin_declined(self, walk_id: int) -> None:
        """Skipped after the walk: not offered again at the next start (history can fill it in)."""
        if self.store is None:
            return
        with contextlib.suppress(StoreError):  # at worst it is offered once more
            self.store.mark_checkin_offered(walk_id)

    def refresh_recent(self) -> None:
        """Tell the home screen (if open) that walks or check-ins were written."""
        home = sys.modules.get("coach.tui.screens.home")  # not imported: no home to tell
        if home is None:
            return
        for screen in self.screen_stack:
            if isinstance(screen, home.HomeScreen):
                screen.load_recent()

    def end_on_signal(self) -> None:
        """SIGTERM/SIGHUP: save the walk as ended early, then leave."""
        self.finish_walk(WalkStatus.ENDED_EARLY)
        self.exit()

    def finish_walk(self, status: WalkStatus) -> None:
        """Record the running walk (if any) as ended; safe to call more than once."""
        if self.walk_screen is not None and self.walk_screen.ended is None:
            self.walk_screen.ended = status
            self.walk_screen.finish_recording(status)
            self.walk_screen.sound.close()
            self.walk_screen.beat.close()
