"""The beat played live through miniaudio while a walk runs.

Import this module only when a walk starts with the beat on: it is the one place that
imports `miniaudio`, and only inside `BeatPlayer`, so the import cost is paid by walks
that play the beat.

Two threads meet here. The walk (the event loop, or plain mode's loop) publishes an
immutable `BeatSnapshot` whenever something changes: the start, pause and resume, a
tempo change, a skip, the beat switched on or off, the volume. miniaudio's audio thread
pulls buffers from `BeatStream`, which reads the latest snapshot once per buffer and
never writes anything the walk reads. A reference assignment is the only hand-over.

Alignment: the stream keeps an estimate of the monotonic time at which its frame 0 is
heard. At each pull it reads the clock; the first frame of the buffer it is about to
fill is heard one output latency later (this buffer plus one device period already
queued), so the estimate is nudged towards that, by at most `MAX_SLEW` seconds per
buffer: jitter in the pulls averages out, a device clock that runs fast or slow is
followed, and no error accumulates because every pull measures against the clock
afresh. A difference larger than `RESYNC_AFTER` (a stall, an underrun, the burst of
pulls that fills the device at start) resets the estimate at once.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Generator
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coach.core.beat import Clicks, Mixer, iter_onsets
from coach.core.engine import Tempo
from coach.core.routine.timeline import Timeline

if TYPE_CHECKING:
    from coach.core.engine import WalkSession

Clock = Callable[[], float]

DEFAULT_VOLUME = 0.6
BUFFER_MS = 15  # a small buffer: the output latency is about two of these
# How far the frame-0 estimate may move per buffer, and the share of the measured
# difference it moves by (a one-pole filter, bounded).
MAX_SLEW = 0.0005
SLEW_GAIN = 1 / 16
RESYNC_AFTER = 0.020
# A click cut by a pause (or the beat switched off) fades out over this long.
FADE_SECONDS = 0.002
# Snapshots whose walk positions differ by less than this at the same moment are the
# same walk continuing (a tempo change, a pause): anything more is a skip.
_SAME_WALK = 0.001


class NoAudioDevice(Exception):
    """No sound output is available for the beat; the message is one sentence."""


@dataclass(frozen=True)
class BeatSnapshot:
    """Where the walk is and how it moves, as the audio thread needs it.

    The walk is at `position` at monotonic time `at`, and moves `speed` routine seconds
    per second unless `paused`.
    """

    timeline: Timeline
    tempo: Tempo | None
    position: float
    at: float
    speed: float = 1.0
    paused: bool = False
    on: bool = True
    volume: float = DEFAULT_VOLUME
    phases: bool = False

    def position_at(self, now: float) -> float:
        if self.paused:
            return self.position
        position = self.position + (now - self.at) * self.speed
        total = float(self.timeline.total)
        return position if position < total else total

    def time_of(self, position: float) -> float:
        """The monotonic time at which the walk reaches `position` (if it keeps going)."""
        return self.at + (position - self.position) / self.speed

    def continues(self, earlier: BeatSnapshot) -> bool:
        """True if this is the walk of `earlier` carrying on (no skip or jump back)."""
        return (
            self.timeline is earlier.timeline
            and abs(earlier.position_at(self.at) - self.position) <= _SAME_WALK
        )


def snapshot_of(
    session: WalkSession,
    now: float | None = None,
    *,
    on: bool = True,
    volume: float = DEFAULT_VOLUME,
    phases: bool = False,
) -> BeatSnapshot:
    """The snapshot of a walk session at clock reading `now` (default: the session's clock)."""
    now = session.clock() if now is None else now
    return BeatSnapshot(
        timeline=session.timeline,
        tempo=session.tempo,
        position=session.position(now),
        at=now,
        speed=session.speed,
        paused=session.paused,
        on=on,
        volume=volume,
        phases=phases,
    )


class BeatStream:
    """The walk's beat as consecutive buffers for an audio device, aligned to `clock`.

    Pure apart from reading the injected clock: tests call `render` directly.
    """

    def __init__(self, rate: int, clock: Clock = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._snapshot: BeatSnapshot | None = None
        self._current: BeatSnapshot | None = None  # the snapshot last rendered from
        self._mixer = Mixer(Clicks.make(rate, DEFAULT_VOLUME), duck=False)
        self._fade = max(1, round(FADE_SECONDS * rate))
        self.frames = 0  # frames handed out so far
        self._heard_at: float | None = None  # monotonic time at which frame 0 is heard
        self._period = 0.0  # frames per pull, smoothed: the device's period
        self._until: float | None = None  # walk position up to which onsets are placed
        self._last: tuple[int, int] | None = None  # (step, phase) of the last onset placed
        self.errors = 0

    def publish(self, snapshot: BeatSnapshot | None) -> None:
        """Make `snapshot` the one the next buffer is made from (None: silence)."""
        self._snapshot = snapshot

    def heard_at(self, frame: int) -> float:
        """The estimated monotonic time at which `frame` is heard."""
        assert self._heard_at is not None, "nothing rendered yet"
        return self._heard_at + frame / self.rate

    def render(self, frames: int) -> array[int]:
        """The next `frames` samples."""
        start = self.frames
        now = self._align(frames)
        first = self.heard_at(start)
        snapshot = self._snapshot
        if snapshot is None or not snapshot.on:
            if self._current is not None:
                self._mixer.cut(start, self._fade)
                self._current = None
        else:
            if snapshot is not self._current:
                self._switch(snapshot, now, first)
            if not snapshot.paused:
                self._place(snapshot, start, frames, first)
        out = self._mixer.render(start, frames)
        self.frames = start + frames
        return out

    def _align(self, frames: int) -> float:
        """Read the clock, bring the estimate of when frames are heard up to date; now."""
        now = self._clock()
        self._period = frames if self._period == 0 else self._period + (frames - self._period) / 8
        heard = now + (frames + self._period) / self.rate
        if self._heard_at is None:
            self._heard_at = heard - self.frames / self.rate
            return now
        error = heard - self.heard_at(self.frames)
        if abs(error) > RESYNC_AFTER:
            self._heard_at += error
        else:
            self._heard_at += max(-MAX_SLEW, min(MAX_SLEW, error * SLEW_GAIN))
        return now

    def _switch(self, snapshot: BeatSnapshot, now: float, first: float) -> None:
        """A new snapshot: carry on from where the last one left off, or start afresh.

        Either way, onsets are looked for from the moment of the change (at most one
        output latency back): one that falls in audio already handed to the device is
        played at once, a little late, rather than lost; one already placed is not
        placed twice.
        """
        earlier = self._current
        self._current = snapshot
        since = snapshot.position_at(max(snapshot.at, now - (first - now)))
        if earlier is None or self._until is None or not snapshot.continues(earlier):
            self._until = since
            self._last = None
        else:
            self._until = min(self._until, since)
        if snapshot.volume != self._mixer.clicks.volume:
            self._mixer.set_clicks(Clicks.make(self.rate, snapshot.volume))
        if snapshot.paused:
            at = self.frames + round((snapshot.at - first) * self.rate)
            self._mixer.cut(max(at, self.frames), self._fade)

    def _place(self, snapshot: BeatSnapshot, start: int, frames: int, first: float) -> None:
        begin = self._until if self._until is not None else snapshot.position_at(first)
        end = snapshot.position_at(first + frames / self.rate)
        for onset in iter_onsets(snapshot.timeline, snapshot.tempo, begin, end, snapshot.phases):
            if self._last is not None and onset.order <= self._last:
                continue
            at = start + round((snapshot.time_of(onset.position) - first) * self.rate)
            self._mixer.add_click(at if at > start else start, onset.kind)
            self._last = onset.order
        if end > begin:
            self._until = end

    def buffers(self) -> Generator[array[int], int, None]:
        """A started generator for `PlaybackDevice.start`: send frames, get samples.

        It never raises: a failure makes a silent buffer (and is counted in `errors`),
        because an exception in the audio thread would stop the device.
        """
        frames = yield array("h")
        while True:
            try:
                samples = self.render(frames)
            except Exception:
                self.errors += 1
                self.frames += frames
                samples = array("h", bytes(2 * frames))
            frames = yield samples


# libasound's error handler, kept alive for as long as libasound may call it.
_alsa_handler: object = None


def _quiet_alsa() -> None:
    """Keep libasound's messages ("ALSA lib confmisc.c:855:(parse_card) …") off stderr.

    libasound prints them from C while miniaudio probes for devices, and later on
    underruns. Sending file descriptor 2 to /dev/null around device set-up would also
    swallow what the app draws there (Textual writes the screen to stderr, from its own
    thread), so libasound gets an error handler that drops them instead. It is loaded
    here first; miniaudio's later dlopen of the same library shares its handler. Where
    there is no libasound (macOS, Windows) there is nothing to quiet.
    """
    global _alsa_handler
    if _alsa_handler is not None:
        return
    import ctypes

    try:
        library = ctypes.CDLL("libasound.so.2")
        # void (*)(const char *file, int line, const char *function, int err, const char
        # *fmt, ...): the fixed arguments only; the variadic rest is ignored.
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(_drop_alsa_message)
        library.snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        _alsa_handler = False
        return
    _alsa_handler = (library, handler)


def _drop_alsa_message(*_: object) -> None:
    return None


_NO_DEVICE = "No audio output device was found, so the beat is off; the walk goes on without it."


class BeatPlayer:
    """Plays the beat of the snapshots published to it until closed.

    Raises NoAudioDevice (one sentence, to show once) when no sound output can be
    opened. `backends` is for tests (`[miniaudio.Backend.NULL]`); by default the
    platform's own backends are tried, and the NULL backend, which discards the sound,
    counts as no device. `on_buffer` is called from the audio thread with the frames
    handed out so far, after every buffer.
    """

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        sample_rate: int = 0,
        buffer_ms: int = BUFFER_MS,
        backends: list[Any] | None = None,
        on_buffer: Callable[[int], None] | None = None,
    ) -> None:
        try:
            import miniaudio
        except ImportError:  # pragma: no cover - depends on the installation
            raise NoAudioDevice(
                "The beat needs the miniaudio package (pip install miniaudio); "
                "the walk goes on without it."
            ) from None
        self._device: Any = None
        _quiet_alsa()
        device = self._open(miniaudio, sample_rate, buffer_ms, backends)
        rate = _real_rate(device)
        if rate is None:
            # Asked for the device's own rate but cannot tell what it is: ask for one.
            device.close()
            sample_rate = sample_rate or 48000
            device = self._open(miniaudio, sample_rate, buffer_ms, backends)
            rate = _real_rate(device) or sample_rate
        self._device = device
        self.sample_rate = rate
        self.backend: str = str(getattr(device, "backend", ""))
        self.stream = BeatStream(self.sample_rate, clock)
        self._on_buffer = on_buffer
        buffers = self._buffers()
        next(buffers)
        try:
            device.start(buffers)
        except Exception as error:
            self.close()
            raise NoAudioDevice(_NO_DEVICE) from error

    @staticmethod
    def _open(miniaudio: Any, sample_rate: int, buffer_ms: int, backends: list[Any] | None) -> Any:
        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=sample_rate,
                buffersize_msec=buffer_ms,
                backends=backends,
                app_name="coach",
            )
        except Exception as error:  # MiniaudioError, or cffi failing underneath
            raise NoAudioDevice(_NO_DEVICE) from error
        wanted_null = backends is not None and miniaudio.Backend.NULL in backends
        if str(getattr(device, "backend", "")).lower() == "null" and not wanted_null:
            # "Discard all samples": a walker would hear nothing.
            device.close()
            raise NoAudioDevice(_NO_DEVICE)
        return device

    def _buffers(self) -> Generator[array[int], int, None]:
        inner = self.stream.buffers()
        frames = yield next(inner)
        while True:
            samples = inner.send(frames)
            if self._on_buffer is not None:
                try:
                    self._on_buffer(self.stream.frames)
                except Exception:
                    self.stream.errors += 1
            frames = yield samples

    def publish(self, snapshot: BeatSnapshot | None) -> None:
        """Play from this snapshot on (None: silence). Safe from any thread."""
        self.stream.publish(snapshot)

    def close(self) -> None:
        """Stop and close the device; safe to call more than once."""
        device, self._device = self._device, None
        if device is not None:
            with suppress(Exception):
                device.close()


def _real_rate(device: Any) -> int | None:
    """The rate the device really runs at (asked for 0, it picks its own), if known.

    `PlaybackDevice.sample_rate` is only the rate asked for; the rate chosen is in the
    C device structure.
    """
    inner = getattr(device, "_device", None)
    try:
        rate = int(inner.sampleRate) if inner is not None else 0
    except (AttributeError, TypeError, ValueError):
        rate = 0
    return rate or int(getattr(device, "sample_rate", 0) or 0) or None
