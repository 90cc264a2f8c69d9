"""The beat of one walk, for the walk screen and plain mode alike.

`WalkBeat` opens the player when the beat is on (in a background thread: opening a
sound device can take a while, and the walk must not wait for it), publishes where the
walk is whenever that is no longer what the player was last told (a pause, a skip, a
new cadence, a new segment, the beat switched on or off), and closes the player at the
end. No device: one notice, the beat stays off and the walk goes on.

`coach.audio.live` (and with it miniaudio) is imported only once the beat is switched
on: a walk with the beat off never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from coach.audio.live import BeatSnapshot
    from coach.core.engine import WalkSession

Clock = Callable[[], float]

NO_DEVICE = "No audio device: the beat is off; bell and voice still work."
DEFAULT_VOLUME = 60  # percent, as in the config
# How long closing waits for a device that is still being opened (it is then closed
# by the thread that opened it).
CLOSE_WAIT = 2.0


class BeatOutput(Protocol):
    """What plays the beat: `coach.audio.live.BeatPlayer`, or a test's stand-in."""

    def publish(self, snapshot: BeatSnapshot | None) -> None: ...

    def close(self) -> None: ...


OpenPlayer = Callable[[Clock], BeatOutput]


def default_player(clock: Clock) -> BeatOutput:
    """The real player on the platform's sound output, aligned to the walk's clock."""
    from coach.audio.live import BeatPlayer

    return BeatPlayer(clock=clock)


@dataclass(frozen=True)
class BeatChoice:
    """How a walk's beat starts: on or off, with phase ticks or not, and how loud."""

    on: bool
    phases: bool = False
    volume: int = DEFAULT_VOLUME  # 0-100: the clicks' amplitude, percent of full scale

    @classmethod
    def of(cls, setting: str, volume: int, flag: bool | None, speed: float) -> BeatChoice:
        """From the config's `beat` and `beat_volume`, `--beat/--no-beat` and `--speed`.

        A preview (speed above 1) starts with the beat off: at 30 times the pace the
        clicks are a buzz, not a stride. `--beat` (or `k`) switches it on anyway.
        """
        on = flag if flag is not None else setting != "off" and speed == 1
        return cls(on=on, phases=setting == "phases", volume=volume)


class WalkBeat:
    """Plays one walk's beat: start, follow the walk with `update`, `toggle`, `close`.

    Call `update` after every change to the walk and at every wake-up: it publishes only
    when the walk no longer goes as last published. `notice` (given to `start`) may be
    called from the thread that opens the device.
    """

    def __init__(
        self,
        session: WalkSession,
        choice: BeatChoice,
        open_player: OpenPlayer | None = None,
    ) -> None:
        self.session = session
        self.on = choice.on
        self.phases = choice.phases
        self.volume = choice.volume
        self.unavailable = False  # no device could be opened: the beat stays off
        self._open_player = open_player  # None: the real one, default_player
        self._notice: Callable[[str], None] = lambda _message: None
        self._lock = threading.Lock()
        self._player: BeatOutput | None = None
        self._opener: threading.Thread | None = None
        self._closed = False
        self._published: BeatSnapshot | None = None
        self._segment = -1

    @property
    def label(self) -> str:
        """`on`, `off` or `phases`, as the status line and the config say it."""
        if not self.on:
            return "off"
        return "phases" if self.phases else "on"

    def start(self, notice: Callable[[str], None] = lambda _message: None) -> None:
        """Open the player if the beat is on, and tell it where the walk is."""
        self._notice = notice
        if self.on:
            self._open()
        self.update()

    def toggle(self) -> str:
        """Switch the beat on or off; the words that confirm it (`Beat: on`)."""
        if self.unavailable:
            return "Beat: off (no audio device)"
        self.on = not self.on
        if self.on:
            self._open()
        self.update()
        return f"Beat: {self.label}"

    def update(self) -> None:
        """Tell the player where the walk is, if that changed since it was last told."""
        if self._opener is None or self.unavailable:  # no player: nothing to tell
            return
        from coach.audio.live import snapshot_of

        session = self.session
        snapshot = snapshot_of(session, on=self.on, volume=self.volume / 100, phases=self.phases)
        segment = session.timeline.segment_index_at(snapshot.position)
        last = self._published
        if (
            last is not None
            and segment == self._segment
            and (last.paused, last.tempo, last.on, last.speed)
            == (snapshot.paused, snapshot.tempo, snapshot.on, snapshot.speed)
            and snapshot.continues(last)
        ):
            return
        self._segment = segment
        with self._lock:
            self._published = snapshot
            if self._player is not None:
                self._player.publish(snapshot)

    def close(self) -> None:
        """Stop the beat and close the player; safe to call more than once."""
        with self._lock:
            self._closed = True
            player, self._player = self._player, None
            opener = self._opener
        if player is not None:
            player.close()
        if opener is not None and opener is not threading.current_thread():
            opener.join(CLOSE_WAIT)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the player is open (or has failed to open): for tests."""
        if self._opener is not None:
            self._opener.join(timeout)

    def _open(self) -> None:
        with self._lock:
            if self._opener is not None or self._closed:
                return
            self._opener = threading.Thread(
                target=self._open_in_background, name="coach-beat-open", daemon=True
            )
        self._opener.start()

    def _open_in_background(self) -> None:
        try:
            player = (self._open_player or default_player)(self.session.clock)
        except Exception:  # NoAudioDevice, or anything else underneath: no beat, walk on
            self.unavailable = True
            self.on = False
            if not self._closed:
                self._notice(NO_DEVICE)
            return
        with self._lock:
            late = self._closed
            if not late:
                self._player = player
                if self._published is not None:
                    player.publish(self._published)
        if late:
            player.close()
