"""The beat in plain mode: told where the walk is at every wake-up, closed at the end."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.audio.walk_beat import NO_DEVICE, BeatChoice, WalkBeat
from coach.core.engine import WalkSession
from coach.core.routine import compile_timeline, load_file
from coach.core.routine.timeline import Timeline
from coach.plain import run_plain, walk_plain
from coach.sound import SoundMode

DESK_BREAK = Path(__file__).resolve().parent.parent / "routines" / "desk-break.yaml"


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def desk_break() -> Timeline:
    result = load_file(DESK_BREAK)
    assert result.routine is not None
    return compile_timeline(result.routine)


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_the_beat_hears_of_each_new_segment(desk_break: Timeline, beat_players) -> None:
    clock = FakeClock()
    session = WalkSession(desk_break, clock)
    beat = WalkBeat(session, BeatChoice(on=True), beat_players)
    beat.start()
    beat.settle()

    def sleep(seconds: float) -> None:
        clock.now += seconds

    run_plain(session, io.StringIO(), sleep=sleep, beat=beat)
    starts = [float(segment.start) for segment in desk_break.segments]
    published = [snapshot.position for snapshot in beat_players.only.published]
    assert published[0] == 0.0
    assert sorted(set(published)) == pytest.approx(starts, abs=1.0)


def test_a_pause_made_between_wake_ups_reaches_the_beat_at_the_next(
    desk_break: Timeline, beat_players
) -> None:
    # What plain mode's keys do: change the session while the loop waits.
    clock = FakeClock()
    session = WalkSession(desk_break, clock)
    beat = WalkBeat(session, BeatChoice(on=True), beat_players)
    beat.start()
    beat.settle()

    def sleep(seconds: float) -> None:
        clock.now += seconds
        if session.walked() >= 100 and not session.paused and session.paused_seconds() == 0:
            session.pause()
            paused_at.append(session.position())
        elif session.paused and session.paused_seconds() >= 30:
            session.resume()

    paused_at: list[float] = []
    run_plain(session, io.StringIO(), sleep=sleep, beat=beat)
    paused = [s for s in beat_players.only.published if s.paused]
    assert len(paused) == 1 and paused[0].position == paused_at[0]
    after = beat_players.only.published[beat_players.only.published.index(paused[0]) + 1]
    assert not after.paused and after.position == paused_at[0]


def test_walk_plain_plays_the_beat_and_closes_it_at_the_end(
    desk_break: Timeline, beat_players, restore_signals: None, capsys
) -> None:
    walk_plain(
        desk_break,
        str(DESK_BREAK),
        DESK_BREAK.read_text(),
        None,
        SoundMode.OFF,
        600.0,
        beat_choice=BeatChoice(on=True, volume=80),
        beat_player=beat_players,
    )
    player = beat_players.only
    assert player.published[0].volume == 0.8 and player.published[0].speed == 600.0
    assert player.closed
    assert "Preview over: Desk break" in capsys.readouterr().out


def test_walk_plain_without_the_beat_opens_no_player(
    desk_break: Timeline, beat_players, restore_signals: None
) -> None:
    walk_plain(
        desk_break,
        str(DESK_BREAK),
        DESK_BREAK.read_text(),
        None,
        SoundMode.OFF,
        600.0,
        beat_choice=BeatChoice(on=False),
        beat_player=beat_players,
    )
    assert beat_players.opened == []


# -- a real process, on this machine's sound output ----------------------------------


def machine_has_a_sound_card() -> bool:
    code = (
        "from coach.audio.live import BeatPlayer, NoAudioDevice\n"
        "try:\n    BeatPlayer().close()\nexcept NoAudioDevice:\n    print('none')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return result.stdout.strip() != "none"


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.skipif(machine_has_a_sound_card(), reason="this machine has a sound card")
def test_no_sound_card_is_one_notice_and_the_walk_goes_on(tmp_path: Path) -> None:
    result = coach(tmp_path, "walk", "desk-break", "--plain", "--speed", "600", "--beat")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"coach: {NO_DEVICE}\n"
    assert "[00:10:00] Preview over: Desk break, 10:00 (not recorded)" in result.stdout.splitlines()


def test_no_beat_says_nothing_about_audio(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("beat: on\n")
    result = coach(tmp_path, "walk", "desk-break", "--plain", "--speed", "600", "--no-beat")
    assert result.returncode == 0 and result.stderr == ""
