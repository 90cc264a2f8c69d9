"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from coach.audio.live import BeatSnapshot


@pytest.fixture
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty COACH_HOME, so no test touches the real config, data or routines."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    return tmp_path


class FakeBeatPlayer:
    """Stands in for the sound card's beat player: remembers what it was told."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.published: list[BeatSnapshot | None] = []
        self.closed = False

    def publish(self, snapshot: BeatSnapshot | None) -> None:
        assert not self.closed, "published to a closed player"
        self.published.append(snapshot)

    def close(self) -> None:
        self.closed = True

    @property
    def last(self) -> BeatSnapshot:
        snapshot = self.published[-1]
        assert snapshot is not None
        return snapshot


class FakeBeatPlayers:
    """Opens FakeBeatPlayers (or fails as a machine without a sound card would)."""

    def __init__(self) -> None:
        self.opened: list[FakeBeatPlayer] = []
        self.no_device = False

    def __call__(self, clock: Callable[[], float]) -> FakeBeatPlayer:
        if self.no_device:
            from coach.audio.live import NoAudioDevice

            raise NoAudioDevice("No audio output device was found.")
        player = FakeBeatPlayer(clock)
        self.opened.append(player)
        return player

    @property
    def only(self) -> FakeBeatPlayer:
        assert len(self.opened) == 1, f"{len(self.opened)} players opened"
        return self.opened[0]


@pytest.fixture
def beat_players() -> FakeBeatPlayers:
    """A player factory for the beat (CoachApp's `beat_player`), recording what it opens."""
    return FakeBeatPlayers()


@pytest.fixture(autouse=True)
def no_sound_card(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test plays the beat on the sound card of the machine running it.

    A walk with the beat on opens `coach.audio.walk_beat.default_player`; in tests that is
    a stand-in. Tests of the real player use `coach.audio.live.BeatPlayer` directly.
    """
    monkeypatch.setattr("coach.audio.walk_beat.default_player", FakeBeatPlayers())
