"""The walk screen, driven by keys through the Pilot with a fake clock."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from resizing import resize
from rich.console import Console
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.config import Config, load_config
from coach.core.records import WalkProgress, WalkStatus
from coach.library.routines import Origin, RoutineEntry
from coach.sound import SoundMode
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.widgets.keys_help import KeysHelp, binding_lines


def panel_text(screen: Screen[object]) -> str:
    """The keys panel as a person reads it, wide enough that lines stay whole."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(screen.query_one(KeysHelp).query_one("#keys-help-text", Static).content)
    return console.export_text()


def footer_descriptions(screen: WalkScreen) -> dict[str, str]:
    """What the footer shows for each action: {action: description}."""
    return {key.action: key.description for key in screen.query_one(Footer).children}  # type: ignore[attr-defined]


async def past_the_summary(pilot) -> None:  # type: ignore[no-untyped-def]
    """The walk has ended: its summary shows; Enter goes on to the check-in."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_walk_shows_segment_countdown_and_next(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        assert "Warm-up · easy · 92 spm" in screen.view.part("segment")
        assert "2:50 left" in screen.view.part("segment")
        assert "Next: Build · 2:00 at 100 spm" in screen.view.part("next")
        assert "0:10 / 30:00" in screen.view.part("walk-bar")


async def test_active_phase_is_marked_by_symbol(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # 92 spm: a step lasts 60/92 s; a third of the way in is hip rotation.
        screen = await clock.advance_walk(pilot, 60 / 92 * 0.5)
        rows = screen.view.part("stride").splitlines()  # cues may wrap onto more rows
        heel, hip, arm = (
            next(row for row in rows if phase in row)
            for phase in ("Heel strike", "Hip rotation", "Arm swing")
        )
        assert hip.startswith("▶ Hip rotation")
        assert heel.startswith("  Heel strike")
        assert arm.startswith("  Arm swing")


async def test_foot_alternates_with_opposite_arm(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 0.1)
        assert "LEFT foot" in screen.view.part("stride")
        assert "right arm" in screen.view.part("stride")
        screen = await clock.advance_walk(pilot, 60 / 92)
        assert "RIGHT foot" in screen.view.part("stride")
        assert "left arm" in screen.view.part("stride")


async def test_space_pauses_and_resumes_without_losing_time(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 30)
        await pilot.press("space")
        screen = await clock.advance_walk(pilot, 120)
        assert "PAUSED" in screen.view.part("title")
        assert "0:30 / 30:00" in screen.view.part("walk-bar")
        await pilot.press("space")
        screen = await clock.advance_walk(pilot, 5)
        assert "PAUSED" not in screen.view.part("title")
        assert "0:35 / 30:00" in screen.view.part("walk-bar")


async def test_n_skips_to_next_segment(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 20)
        await pilot.press("n")
        screen = await clock.advance_walk(pilot, 0)
        assert screen.view.part("segment").startswith("Build")
        await pilot.press("n", "n")
        screen = await clock.advance_walk(pilot, 0)
        assert screen.view.part("segment").startswith("Easy (1/4)")


async def test_b_restarts_segment_then_goes_back_within_3s(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        screen = await clock.advance_walk(pilot, 40)
        await pilot.press("b")
        screen = await clock.advance_walk(pilot, 1)
        assert screen.view.part("segment").startswith("Build")
        assert "1:59 left" in screen.view.part("segment")
        await pilot.press("b")
        screen = await clock.advance_walk(pilot, 0)
        assert screen.view.part("segment").startswith("Warm-up")


async def test_plus_and_minus_change_cadence_for_this_segment(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 5)
        await pilot.press("plus", "plus", "minus", "plus")
        screen = await clock.advance_walk(pilot, 1)
        assert "96 spm (planned 92)" in screen.view.part("segment")
        await pilot.press("n")
        screen = await clock.advance_walk(pilot, 1)
        assert "100 spm" in screen.view.part("segment")
        assert "planned" not in screen.view.part("segment")


async def test_m_cycles_sound_modes(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 1)
        assert "sound: off" in screen.view.part("title")
        await pilot.press("m")
        screen = await clock.advance_walk(pilot, 0)
        # off -> voice; with no TTS on the machine that falls back to bell.
        assert screen.sound.mode.value in ("voice", "bell")
        assert f"sound: {screen.sound.mode.value}" in screen.view.part("title")


async def test_q_asks_before_ending_and_n_keeps_walking(walk_app, clock, store, saved) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 3)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        saved(app)
        assert store.walks()[0].status is WalkStatus.IN_PROGRESS


async def test_q_then_y_ends_early_and_opens_checkin(walk_app, clock, store, saved) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 65)
        await pilot.press("q", "y")
        await past_the_summary(pilot)
        assert isinstance(app.screen, CheckinScreen)
        saved(app)
        walk = store.walks()[0]
        assert walk.status is WalkStatus.ENDED_EARLY
        assert 64 <= walk.walked_seconds <= 66


async def test_finishing_the_walk_records_it_completed(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 10 * 60 + 1)
        await past_the_summary(pilot)
        assert isinstance(app.screen, CheckinScreen)
        saved(app)
        walk = store.walks()[0]
        assert walk.status is WalkStatus.COMPLETED
        assert walk.walked_seconds >= 600


async def test_checkin_after_walk_saves_scores_and_notes(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 601)
        await past_the_summary(pilot)
        await pilot.press("3", "tab", "4")
        app.screen.query_one("#notes").focus()
        await pilot.press(*"[bold]x[/x]")
        await pilot.press("enter")
        await pilot.pause()
        saved(app)
        checkin = store.checkins()[0]
        assert (checkin.pain, checkin.stiffness, checkin.notes) == (3, 4, "[bold]x[/x]")
        assert checkin.walk_id == store.walks()[0].id


async def test_checkin_rejects_out_of_range_score(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 601)
        await past_the_summary(pilot)
        await pilot.press("1", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        assert "0 to 10" in str(app.screen.query_one("#checkin-error").render())
        saved(app)
        assert store.checkins() == []


async def test_escape_skips_checkin(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 601)
        await past_the_summary(pilot)
        await pilot.press("escape")
        await pilot.pause()
        saved(app)
        assert store.checkins() == []


async def test_countdown_announces_before_segment_change(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 177.5)
        assert screen.view.part("message").startswith("Build in 3…")


async def test_no_checkin_flag_and_preview_speed_record_nothing(
    walk_app, clock, store, saved
) -> None:
    app = walk_app("desk-break", speed=60.0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 5)
        assert "preview ×60" in screen.view.part("title")
        # 5 real seconds at 60x are 5 routine minutes: the start of Steady (2/2).
        assert screen.view.part("segment").startswith("Steady (2/2)")
        saved(app)
        assert store.walks() == []


async def test_small_terminal_does_not_crash(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await clock.advance_walk(pilot, 3)
        await resize(pilot, 20, 8)
        await clock.advance_walk(pilot, 3)
        await resize(pilot, 120, 40)
        screen = await clock.advance_walk(pilot, 3)
        assert not screen.has_class("compact")


async def test_help_lists_only_the_walk_keys_once_each(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = binding_lines(app.screen)
        assert [k for k, _ in keys] == [
            "Space",
            "n",
            "b",
            "+ =",
            "-",
            "m",
            "k",
            "q Esc",
            "?",
            "Ctrl+C",
        ]
        text = panel_text(app.screen)
        for generic in ("Scroll", "Copy", "Focus", "Quit the app"):
            assert generic not in text
        assert "Pause (the clock stops)" in text
        assert len(keys) == len({description for _, description in keys})


async def test_the_keys_panel_shows_remapped_keys(walk_app, clock) -> None:
    config = Config(pre_walk_checkin=False, keys={"pause": "pagedown", "faster": "right"})
    app = walk_app(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = dict((does, keys) for keys, does in binding_lines(app.screen))
        assert keys["Pause (the clock stops)"] == "PgDn"
        assert keys["2 steps/min faster, for this segment"] == "→"


async def test_walk_rows_move_beside_the_help_panel_and_back(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        await pilot.press("question_mark")
        await pilot.pause()
        panel = screen.query_one(KeysHelp)
        # The status keeps the right end of the title row, now at the panel's left edge.
        assert screen.view.width == panel.region.x - 2
        assert screen.view.part("title").endswith("sound: off  beat: on")
        assert len(screen.view.part("title")) == screen.view.width
        # The cues give way to the ellipsis too, rather than run under the panel.
        assert all(len(row) <= screen.view.width for row in screen.view.part("stride").split("\n"))
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen.view.width == 100 - 2
        assert len(screen.view.part("title")) == 98


async def test_progress_is_saved_at_segment_changes_and_every_10s_not_every_beat(
    walk_app, clock
) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 0.1)
        saved: list[float] = []
        keeper = screen.recorder.keeper
        original = keeper.update_walk

        def spy(key: str, progress: WalkProgress, status: WalkStatus | None = None) -> None:
            saved.append(progress.walked)
            original(key, progress, status)

        keeper.update_walk = spy  # type: ignore[method-assign]
        for _ in range(60):  # 6 s in beats: no save due yet
            await clock.advance_walk(pilot, 0.1)
        assert saved == []
        for _ in range(50):  # past 10 s: one heartbeat
            await clock.advance_walk(pilot, 0.1)
        assert len(saved) == 1
        await pilot.press("n")  # a new segment saves at once
        await clock.advance_walk(pilot, 0.1)
        assert len(saved) == 2


async def test_the_stride_takes_a_new_theme_mid_walk(walk_app, clock) -> None:
    # The stride keeps drawn rows for reuse: a theme change must not leave old colours.
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        view = screen.view
        hip_rotation = view.rows_of("stride")[2]
        before = {segment.style.bgcolor for segment in view.render_line(hip_rotation)}
        app.theme = "textual-light"
        await pilot.pause()
        after = {segment.style.bgcolor for segment in view.render_line(hip_rotation)}
        assert after and after.isdisjoint(before)


async def test_the_rendered_stride_takes_a_new_theme_mid_walk(walk_app, clock) -> None:
    # Rows are also kept as Textual rendered them (styles and filters applied): a theme
    # change must not leave those in old colours either.
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        hip_rotation = screen.view.rows_of("stride")[2]
        row = Region(0, hip_rotation, screen.size.width, 1)

        def colours() -> set[object]:
            return {segment.style.bgcolor for segment in screen.render_lines(row)[0]}

        before = colours()
        assert colours() == before  # a second rendering comes from the kept rows
        app.theme = "textual-light"
        await pilot.pause()
        after = colours()
        assert after and after.isdisjoint(before)


async def test_ctrl_c_still_ends_the_walk_when_the_config_binds_it_to_an_action(
    walk_app, clock, store, coach_home, saved
) -> None:
    (coach_home / "config.yaml").write_text("keys: {pause: 'ctrl+c,pagedown'}\n")
    config, problems = load_config()
    assert problems == [
        f"{coach_home / 'config.yaml'}:1:15: error: keys.pause: ctrl+c is reserved "
        "(it always ends the walk); ignored"
    ]
    app = walk_app(config=replace(config, pre_walk_checkin=False), checkin=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 5)
        await pilot.press("pagedown")  # the rest of the binding holds
        await pilot.pause()
        assert screen.session.paused
        await pilot.press("pagedown", "ctrl+c")
        await pilot.pause()
        assert screen.ended is WalkStatus.ENDED_EARLY
    saved(app)
    assert store.walks()[0].status is WalkStatus.ENDED_EARLY


# -- keys ------------------------------------------------------------------------------------


async def test_escape_asks_to_end_the_walk_as_q_does(walk_app, clock, store) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 3)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert store.walks()[0].status is WalkStatus.ENDED_EARLY


async def test_footer_says_resume_while_paused(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 3)
        assert footer_descriptions(screen).get("pause") == "Pause"
        await pilot.press("space")
        await pilot.pause()
        shown = footer_descriptions(screen)
        assert shown.get("resume") == "Resume" and "pause" not in shown
        await pilot.press("space")
        await pilot.pause()
        assert footer_descriptions(screen).get("pause") == "Pause"
        assert not screen.session.paused


async def test_a_remapped_pause_key_pauses_and_resumes(walk_app, clock) -> None:
    app = walk_app(config=Config(pre_walk_checkin=False, keys={"pause": "pagedown"}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 3)
        await pilot.press("pagedown")
        assert screen.session.paused
        await pilot.press("pagedown")
        assert not screen.session.paused
        await pilot.press("space")  # no longer its key
        assert not screen.session.paused


async def test_the_keys_panel_follows_pause_and_resume(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await clock.advance_walk(pilot, 3)
        await pilot.press("question_mark", "space")
        await pilot.pause()
        text = panel_text(app.screen)
        assert "Resume the walk" in text and "Pause" not in text


# -- notes, walked and the layout -------------------------------------------------------------


async def test_a_segment_note_shows_under_the_segment_line(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 390)  # Brisk (1/4), which has a note
        assert screen.view.rows_of("note").start == screen.view.rows_of("segment").stop
        note = " ".join(screen.view.part("note").split())
        assert note == (
            "Note: Quick, light steps. Breathing harder, but still able to speak in short "
            "sentences."
        )


NOTED = """\
name: Noted
cadence: 100
segments:
  - name: One
    duration: 1m
    note: "[/x] [@click=app.quit]x[/] and a note long enough to need a second row at sixty columns"
  - name: Two
    duration: 1m
"""


async def test_a_note_shows_as_written_and_only_in_its_segment(store, clock, coach_home) -> None:
    path = Path(coach_home) / "noted.yaml"
    path.write_text(NOTED, encoding="utf-8")
    app = CoachApp(
        store,
        config=Config(pre_walk_checkin=False),
        start=RoutineEntry("noted", path, Origin.FILE),
        clock=clock,
        sound_mode=SoundMode.OFF,
    )
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await clock.advance_walk(pilot, 5)
        note = " ".join(screen.view.part("note").split())
        assert note.startswith("Note: [/x] [@click=app.quit]x[/] and a note")
        assert note.endswith("at sixty columns")  # wrapped, not cut
        screen = await clock.advance_walk(pilot, 60)
        assert screen.view.part("note").strip() == ""  # the row stays, empty


async def test_a_skip_moves_the_routine_bar_but_not_the_time_walked(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 20)
        await pilot.press("n")  # past the rest of Warm-up (3:00)
        screen = await clock.advance_walk(pilot, 0)
        assert "3:00 / 30:00" in screen.view.part("walk-bar")
        walked = screen.view.part("walked")
        # 20 s at 92 spm: 31 steps and the first of Build.
        assert walked == f"walked  0:20 · {screen.session.steps_walked()} steps"
        assert screen.session.steps_walked() == 32


async def test_the_time_left_grows_with_the_terminal(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        assert len(screen.view.rows_of("countdown")) == 0  # no room: the segment line has it
        await resize(pilot, 80, 24)  # digits, smaller than they could be: whole cues first
        screen = await clock.advance_walk(pilot, 0)
        assert len(screen.view.rows_of("countdown")) == 3
        await resize(pilot, 120, 40)
        screen = await clock.advance_walk(pilot, 0)
        digits = screen.view.part("countdown").splitlines()
        assert len(digits) >= 10
        assert "██" in digits[0]
        assert "left in Warm-up" in screen.view.part("countdown")


async def test_the_stride_grows_on_a_large_terminal(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await clock.advance_walk(pilot, 0.1)
        stride = screen.view.part("stride").splitlines()
        # Both feet drawn, the landing one solid; blank rows between the phase rows.
        assert stride[0].startswith("██████   ░░░░░░   LEFT foot")
        assert len(stride) == 3 + 3 + 2
        screen = await clock.advance_walk(pilot, 60 / 92)
        assert screen.view.part("stride").startswith("░░░░░░   ██████   RIGHT foot")


async def test_cues_wrap_at_60x20_instead_of_being_cut(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await clock.advance_walk(pilot, 390)  # Brisk (1/4): a long arm swing cue
        stride = screen.view.part("stride")
        assert "…" not in stride
        words = " ".join(stride.split())
        assert "Arm swing Bend the elbows a little more and drive them back" in words
        assert screen.view.rows_of("message").stop <= 19  # all above the footer


async def test_every_row_stays_within_the_width_at_any_size(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((20, 8), (40, 12), (60, 20), (120, 40), (33, 50)):
            await resize(pilot, *size)
            screen = await clock.advance_walk(pilot, 97)
            view = screen.view
            for part in ("title", "segment", "note", "countdown", "walked", "stride", "next"):
                assert all(len(row) <= max(view.width, 0) for row in view.part(part).split("\n"))


# -- repainting only what changed -------------------------------------------------------------

ROW_TEXTS = st.text(alphabet="ab ·▶…漢", max_size=50)  # some longer than the row


def stride_rows():  # type: ignore[no-untyped-def]
    return st.tuples(
        st.just("stride"),
        ROW_TEXTS,
        st.sampled_from(["stride--active", "stride--idle", "stride--foot"]),
        ROW_TEXTS,
    )


def text_rows():  # type: ignore[no-untyped-def]
    spans = st.sampled_from([(), ((0, 3, "bold"),), ((0, 40, "walk--digits"),)])
    return st.tuples(st.just("text"), ROW_TEXTS, spans)


async def test_a_repainted_region_covers_every_cell_that_changed(walk_app, clock) -> None:
    # The view repaints only part of a row (the digits that changed, a moved marker); a
    # cell left out would keep its old character on the terminal.
    app = walk_app()
    async with app.run_test(size=(40, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 1)
        view = screen.view
        full = screen.size.width

        def cells(row):  # type: ignore[no-untyped-def]
            strip = view._draw_row(row, full)
            return [
                (cell.text, tuple(segment.style for segment in cell))
                for cell in strip.divide(range(1, full + 1))
            ]

        @settings(max_examples=300, deadline=None)
        @given(st.one_of(stride_rows(), text_rows()), st.one_of(stride_rows(), text_rows()))
        def check(old, new) -> None:  # type: ignore[no-untyped-def]
            region = view._changed(0, old, new)
            before, after = cells(old), cells(new)
            differ = [x for x in range(full) if before[x] != after[x]]
            assert all(region.x <= x < region.right for x in differ), (region, differ)

        check()


async def test_the_footer_names_the_cadence_keys_bound_now(walk_app, clock) -> None:
    config = Config(pre_walk_checkin=False, keys={"faster": "right", "slower": "left"})
    app = walk_app(config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        faster = app.screen.active_bindings["right"].binding
        assert app.get_key_display(faster) == "→/←"  # not "+/-", which no longer apply
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.get_key_display(app.screen.active_bindings["plus"].binding) == "+/-"
