"""The walk screen, driven by keys through the Pilot with a fake clock."""

from __future__ import annotations

from dataclasses import replace

from resizing import resize

from coach.config import load_config
from coach.core.records import WalkProgress, WalkStatus
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.walk import WalkScreen


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
        _stride, heel, hip, arm = screen.view.part("stride").splitlines()
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
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        saved(app)
        walk = store.walks()[0]
        assert walk.status is WalkStatus.ENDED_EARLY
        assert 64 <= walk.walked_seconds <= 66


async def test_finishing_the_walk_records_it_completed(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 10 * 60 + 1)
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        saved(app)
        walk = store.walks()[0]
        assert walk.status is WalkStatus.COMPLETED
        assert walk.walked_seconds >= 600


async def test_checkin_after_walk_saves_scores_and_notes(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 601)
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


async def test_help_key_shows_bindings(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")


async def test_walk_rows_move_beside_the_help_panel_and_back(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await clock.advance_walk(pilot, 10)
        await pilot.press("question_mark")
        await pilot.pause()
        panel = screen.query_one("HelpPanel")
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
