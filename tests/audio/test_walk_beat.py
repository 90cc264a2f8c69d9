"""WalkBeat: the one place that starts, follows, switches and closes a walk's beat."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from textwrap import dedent

import pytest

from coach.audio.walk_beat import NO_DEVICE, BeatChoice, WalkBeat
from coach.core.engine import WalkSession
from coach.core.routine import Timeline, compile_timeline, load_text


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


TWO_PARTS = timeline_of(
    """
    name: Two parts
    cadence: 100
    segments:
      - name: First
        duration: 1m
      - name: Second
        duration: 1m
        cadence: 150
    """
)


@pytest.fixture
def session(clock) -> WalkSession:  # type: ignore[no-untyped-def]
    return WalkSession(TWO_PARTS, clock)


def started(beat: WalkBeat) -> list[str]:
    """Start `beat`, wait for its player to open; the notices it gave."""
    told: list[str] = []
    beat.start(notice=told.append)
    beat.settle()
    return told


@pytest.mark.parametrize(
    ("setting", "flag", "speed", "on", "phases"),
    [
        ("on", None, 1.0, True, False),
        ("phases", None, 1.0, True, True),
        ("off", None, 1.0, False, False),
        ("on", False, 1.0, False, False),
        ("off", True, 1.0, True, False),
        ("on", None, 30.0, False, False),  # a preview: no beat unless asked for
        ("phases", True, 30.0, True, True),
    ],
)
def test_the_config_the_flag_and_a_preview_decide_how_the_beat_starts(
    setting: str, flag: bool | None, speed: float, on: bool, phases: bool
) -> None:
    assert BeatChoice.of(setting, 60, flag, speed) == BeatChoice(on=on, phases=phases, volume=60)


def test_the_player_is_told_where_the_walk_is_as_soon_as_it_opens(
    session, clock, beat_players
) -> None:
    beat = WalkBeat(session, BeatChoice(on=True, volume=45), beat_players)
    assert started(beat) == []
    snapshot = beat_players.only.last
    assert (snapshot.position, snapshot.at, snapshot.volume) == (0.0, clock.now, 0.45)
    assert snapshot.timeline is TWO_PARTS and snapshot.on and not snapshot.phases


def test_a_device_that_opens_late_gets_the_latest_snapshot(session, clock) -> None:
    published: list[object] = []
    gate = threading.Event()

    class Player:
        def publish(self, snapshot: object) -> None:
            published.append(snapshot)

        def close(self) -> None:
            pass

    def open_slowly(_clock: object) -> Player:
        gate.wait(5)
        return Player()

    beat = WalkBeat(session, BeatChoice(on=True), open_slowly)
    beat.start()
    clock.advance(10)
    session.pause()
    beat.update()  # told while the device is still opening
    gate.set()
    beat.settle()
    assert len(published) == 1
    assert published[0].paused and published[0].position == 10.0  # type: ignore[attr-defined]


def test_closing_while_the_device_opens_closes_it_once_open(session) -> None:
    gate = threading.Event()
    closed = threading.Event()

    class Player:
        def publish(self, snapshot: object) -> None:
            raise AssertionError("a closed walk's player is told nothing")

        def close(self) -> None:
            closed.set()

    def open_slowly(_clock: object) -> Player:
        gate.wait(5)
        return Player()

    beat = WalkBeat(session, BeatChoice(on=True), open_slowly)
    beat.start()
    threading.Timer(0.05, gate.set).start()
    beat.close()
    assert closed.wait(5)


def test_no_device_is_one_notice_and_the_beat_stays_off(session, beat_players) -> None:
    beat_players.no_device = True
    beat = WalkBeat(session, BeatChoice(on=True), beat_players)
    assert started(beat) == [NO_DEVICE]
    assert not beat.on and beat.label == "off"
    assert beat.toggle() == "Beat: off (no audio device)"
    beat.settle()
    assert beat.label == "off"


def test_any_failure_to_open_counts_as_no_device(session) -> None:
    def broken(_clock: object) -> object:
        raise OSError("cffi could not load the library")

    beat = WalkBeat(session, BeatChoice(on=True), broken)  # type: ignore[arg-type]
    assert started(beat) == [NO_DEVICE]


def test_toggle_returns_the_words_to_confirm_it(session, beat_players) -> None:
    beat = WalkBeat(session, BeatChoice(on=True, phases=True), beat_players)
    started(beat)
    assert beat.toggle() == "Beat: off"
    assert not beat_players.only.last.on
    assert beat.toggle() == "Beat: phases"
    assert beat_players.only.last.on and beat_players.only.last.phases


def test_a_beat_started_off_opens_its_player_when_switched_on(session, clock, beat_players) -> None:
    beat = WalkBeat(session, BeatChoice(on=False), beat_players)
    started(beat)
    assert beat_players.opened == []
    clock.advance(7)
    assert beat.toggle() == "Beat: on"
    beat.settle()
    assert beat_players.only.last.on and beat_players.only.last.position == 7.0


def test_update_publishes_only_what_changed(session, clock, beat_players) -> None:
    beat = WalkBeat(session, BeatChoice(on=True), beat_players)
    started(beat)
    for _ in range(100):  # the walk going as told: nothing to say
        clock.advance(0.25)
        beat.update()
    assert len(beat_players.only.published) == 1
    session.adjust_cadence(2)
    beat.update()
    assert beat_players.only.last.tempo is not None
    assert beat_players.only.last.tempo.cadence == 102
    session.next_segment()
    beat.update()
    assert beat_players.only.last.position == 60.0
    assert len(beat_players.only.published) == 3


def test_close_closes_the_player_and_later_updates_are_not_sent(
    session, clock, beat_players
) -> None:
    beat = WalkBeat(session, BeatChoice(on=True), beat_players)
    started(beat)
    beat.close()
    beat.close()
    assert beat_players.only.closed
    session.pause()
    beat.update()  # the fake player fails if told anything once closed


def test_a_walk_with_the_beat_off_never_loads_the_live_player() -> None:
    code = dedent(
        """
        import sys
        from pathlib import Path
        from coach.audio.walk_beat import BeatChoice, WalkBeat
        from coach.core.engine import WalkSession
        from coach.core.routine import compile_timeline, load_file
        import coach.plain, coach.tui.app, coach.tui.screens.walk
        routine = load_file(Path(sys.argv[1])).routine
        session = WalkSession(compile_timeline(routine), lambda: 0.0)
        beat = WalkBeat(session, BeatChoice(on=False))
        beat.start()
        session.pause()
        beat.update()
        beat.close()
        print(sorted(m for m in ("coach.audio.live", "miniaudio") if m in sys.modules))
        """
    )
    routine = Path(__file__).resolve().parents[2] / "routines" / "desk-break.yaml"
    result = subprocess.run(
        [sys.executable, "-c", code, str(routine)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_real_player_on_the_null_backend_follows_a_walk_and_closes(
    session, capfd: pytest.CaptureFixture[str]
) -> None:
    miniaudio = pytest.importorskip("miniaudio")
    from coach.audio.live import BeatPlayer

    players: list[BeatPlayer] = []
    heard = threading.Event()

    def null_player(clock):  # type: ignore[no-untyped-def]
        player = BeatPlayer(
            clock=clock,
            backends=[miniaudio.Backend.NULL],
            on_buffer=lambda frames: frames > 4800 and heard.set(),
        )
        players.append(player)
        return player

    beat = WalkBeat(session, BeatChoice(on=True), null_player)
    assert started(beat) == []
    assert heard.wait(10)
    session.pause()
    beat.update()
    beat.close()
    [player] = players
    assert player.stream.errors == 0 and player._device is None
    assert "ALSA" not in capfd.readouterr().err
