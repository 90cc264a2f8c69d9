"""The beat during a walk in the app: started, told every change, switched with `k`, closed.

The app gets a recording stand-in for the sound card's player through its `beat_player`
seam; the fake clock drives the walk.
"""

from __future__ import annotations

import asyncio
import io

from resizing import resize
from rich.console import Console
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from coach.audio.walk_beat import NO_DEVICE
from coach.config import Config
from coach.core.records import WalkStatus
from coach.sound import SoundMode
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.widgets.keys_help import KeysHelp


async def started(pilot) -> WalkScreen:  # type: ignore[no-untyped-def]
    """The walk screen once its beat's player is open and the app has caught up."""
    screen = pilot.app.screen
    assert isinstance(screen, WalkScreen)
    screen.beat.settle()
    await pilot.pause()
    return screen


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def test_the_beat_starts_with_the_walk_where_the_walk_is(
    walk_app, clock, beat_players
) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        player = beat_players.only
        assert player.last.on and not player.last.paused
        assert player.last.position == 0.0 and player.last.at == clock.now
        assert player.clock is clock
        assert "beat: on" in screen.view.part("title")


async def test_k_switches_the_beat_off_and_on(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 5)
        await pilot.press("k")
        screen = await clock.advance_walk(pilot, 0)
        assert not beat_players.only.last.on
        assert "beat: off" in screen.view.part("title")
        assert "Beat: off" in notices(app)
        await pilot.press("k")
        screen = await clock.advance_walk(pilot, 0)
        assert beat_players.only.last.on and beat_players.only.last.position == 5.0
        assert "beat: on" in screen.view.part("title")


async def test_k_is_in_the_footer(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        shown = {(key.key, key.description) for key in app.screen.query(FooterKey)}
        assert ("k", "Beat") in shown


async def test_the_beat_key_can_be_remapped(walk_app, clock, beat_players) -> None:
    app = walk_app(
        beat_player=beat_players, config=Config(pre_walk_checkin=False, keys={"beat": "f5"})
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert beat_players.only.last.on
        await pilot.press("f5")
        await pilot.pause()
        assert not beat_players.only.last.on


async def test_pause_publishes_a_paused_snapshot_at_once(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 12.5)
        await pilot.press("space")
        await pilot.pause()
        last = beat_players.only.last
        assert last.paused and last.position == 12.5 and last.at == clock.now
        await clock.advance_walk(pilot, 60)
        await pilot.press("space")
        await pilot.pause()
        last = beat_players.only.last
        assert not last.paused and last.position == 12.5 and last.at == clock.now


async def test_plus_and_minus_publish_the_new_tempo(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 5)
        await pilot.press("plus")
        await pilot.pause()
        assert beat_players.only.last.tempo is not None
        assert beat_players.only.last.tempo.cadence == 94  # the warm-up's 92, plus 2
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert beat_players.only.last.tempo.cadence == 90


async def test_next_and_back_publish_the_new_place(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 20)
        await pilot.press("n")
        await pilot.pause()
        assert beat_players.only.last.position == 180.0  # the start of Build
        await clock.advance_walk(pilot, 10)
        await pilot.press("b")
        await pilot.pause()
        assert beat_players.only.last.position == 180.0


async def test_a_new_segment_is_published_with_the_sessions_tempo(
    walk_app, clock, beat_players
) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 170)
        before = len(beat_players.only.published)
        await clock.advance_walk(pilot, 10.5)  # into Build at 3:00
        published = beat_players.only.published[before:]
        assert len(published) == 1
        # The screen wakes at least once a second: the first wake in Build tells it.
        assert 180 <= published[0].position <= 180.5 and published[0].tempo is None


async def test_nothing_is_published_while_the_walk_goes_as_told(
    walk_app, clock, beat_players
) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for _ in range(50):  # 50 wake-ups, every beat and phase, within the warm-up
            await clock.advance_walk(pilot, 0.2)
        assert len(beat_players.only.published) == 1


async def test_the_sound_mode_leaves_the_beat_alone(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("m", "m", "m")
        await clock.advance_walk(pilot, 1)
        assert len(beat_players.only.published) == 1 and beat_players.only.last.on


async def test_the_player_is_closed_when_the_walk_finishes(walk_app, clock, beat_players) -> None:
    app = walk_app("desk-break", beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 10 * 60 + 1)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # the walk is over
        assert beat_players.only.closed


async def test_the_player_is_closed_when_the_walk_is_ended_early(
    walk_app, clock, beat_players
) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 30)
        await pilot.press("q", "y")
        await pilot.pause()
        assert beat_players.only.closed


async def test_finish_walk_closes_the_player(walk_app, clock, beat_players) -> None:
    # What a SIGTERM, SIGHUP or the app's exit does to a running walk.
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.finish_walk(WalkStatus.ENDED_EARLY)
        assert beat_players.only.closed


async def test_asking_whether_to_end_pauses_the_beat(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await clock.advance_walk(pilot, 30)
        await pilot.press("q")
        await pilot.pause()
        assert beat_players.only.last.paused
        await pilot.press("n")
        await pilot.pause()
        assert not beat_players.only.last.paused


async def test_no_audio_device_gives_one_notice_and_the_walk_goes_on(
    walk_app, clock, beat_players
) -> None:
    beat_players.no_device = True
    app = walk_app(beat_player=beat_players)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert notices(app).count(NO_DEVICE) == 1
        assert "beat: off" in screen.view.part("title")
        await pilot.press("k")
        screen = await clock.advance_walk(pilot, 30)
        assert notices(app).count(NO_DEVICE) == 1
        assert "Beat: off (no audio device)" in notices(app)
        assert "0:30 / 30:00" in screen.view.part("walk-bar")


async def test_beat_off_in_the_config_opens_no_player(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players, config=Config(pre_walk_checkin=False, beat="off"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 5)
        screen.beat.settle()
        assert beat_players.opened == []
        assert "beat: off" in screen.view.part("title")
        await pilot.press("k")  # switched on, it opens now
        screen = await started(pilot)
        assert beat_players.only.last.on and beat_players.only.last.position == 5.0


async def test_the_no_beat_flag_wins_over_the_config(walk_app, clock, beat_players) -> None:
    app = walk_app(beat_player=beat_players, beat=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert beat_players.opened == []


async def test_phases_and_volume_come_from_the_config(walk_app, clock, beat_players) -> None:
    config = Config(pre_walk_checkin=False, beat="phases", beat_volume=30)
    app = walk_app(beat_player=beat_players, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert beat_players.only.last.phases and beat_players.only.last.volume == 0.3
        assert "beat: phases" in screen.view.part("title")


async def test_a_preview_starts_without_the_beat(walk_app, clock, beat_players) -> None:
    app = walk_app("desk-break", beat_player=beat_players, speed=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert beat_players.opened == []
        assert "beat: off" in screen.view.part("title")


async def test_the_beat_flag_plays_a_preview_at_its_speed(walk_app, clock, beat_players) -> None:
    app = walk_app("desk-break", beat_player=beat_players, speed=30.0, beat=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert beat_players.only.last.on and beat_players.only.last.speed == 30.0


async def test_when_narrow_the_beat_key_is_in_the_help_not_the_footer(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "k" not in {key.key for key in app.screen.query(FooterKey)}
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one(KeysHelp).query_one("#keys-help-text", Static).content)
        assert "The beat: on or off" in console.export_text()
        await resize(pilot, 80, 24)
        await pilot.pause()
        assert "k" in {key.key for key in app.screen.query(FooterKey)}


async def test_speech_leaves_the_beat_playing(walk_app, clock, beat_players, tmp_path) -> None:
    said = tmp_path / "said.txt"
    speaker = tmp_path / "speak.sh"
    speaker.write_text(f'#!/bin/sh\necho "$1" >> {said}\nsleep 1\n')
    speaker.chmod(0o755)
    config = Config(pre_walk_checkin=False, tts_command=f"{speaker} {{text}}")
    app = walk_app(beat_player=beat_players, config=config, sound_mode=SoundMode.VOICE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await clock.advance_walk(pilot, 181)  # into Build: its announcement is spoken
        for _ in range(50):
            if said.exists() and "Build" in said.read_text():
                break
            await asyncio.sleep(0.1)
        assert "Build" in said.read_text()
        player = beat_players.only
        assert player.last.on and not player.last.paused and not player.closed
        assert screen.sound.mode is SoundMode.VOICE
