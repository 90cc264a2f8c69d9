"""The live beat: buffers aligned to the walk's clock, pause, resume, tempo, a real device.

The stream is driven by a simulated sound card (no device, no sleeping): the test
knows when the card really plays each frame, the stream only sees the clock at each
pull, as it would with miniaudio. Onsets are found in the samples.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from textwrap import dedent
from typing import Any

import pytest

from coach.audio.live import (
    BeatPlayer,
    BeatSnapshot,
    BeatStream,
    NoAudioDevice,
    snapshot_of,
)
from coach.core.engine import WalkSession, beat_times
from coach.core.routine import Timeline, compile_timeline, load_text


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


def steady(cadence: int, minutes: int = 10) -> Timeline:
    return timeline_of(
        f"""
        name: Steady
        cadence: {cadence}
        segments:
          - name: Walk
            duration: {minutes}m
        """
    )


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

# A click due at once (a start, a skip) comes with the next pull (one 15 ms buffer
# later at most) and is heard one output latency (two buffers) after that.
FIRST_LATE = 3 * 0.015 + 0.001

# Between the accent's and the right click's peaks at the default volume (0.6).
LOUD = 0.6 * 0.72 * 32767


@dataclass
class Device:
    """A simulated sound card pulling from a BeatStream.

    It plays without a break from `began` at `rate · speedup` frames per second (its own
    crystal), keeps three buffers queued (so it pulls three at once at the start, then
    one each time a buffer has played), and each pull may come up to `jitter` seconds
    late. Frame f is heard at `began + f / (rate · speedup)`.
    """

    stream: BeatStream
    clock: Any
    frames: int
    detector: Any
    speedup: float = 1.0
    jitter: float = 0.0
    keep: bool = True
    chunks: list[array[int]] = field(default_factory=list)
    pulls: int = 0
    began: float = 0.0
    _random: random.Random = field(default_factory=lambda: random.Random(7))

    def __post_init__(self) -> None:
        self.began = self.clock.now

    @property
    def true_rate(self) -> float:
        return self.stream.rate * self.speedup

    def heard(self, frame: int) -> float:
        return self.began + frame / self.true_rate

    def _pull_time(self, pull: int) -> float:
        due = self.began + max(0, pull - 2) * self.frames / self.true_rate
        return due + (self._random.uniform(0, self.jitter) if pull > 2 else 0.0)

    def run_until(self, until: float) -> None:
        """Make every pull due before `until`, with the clock at each; then go to `until`."""
        while (at := self._pull_time(self.pulls)) < until:
            self.clock.now = max(self.clock.now, at)
            chunk = self.stream.render(self.frames)
            assert len(chunk) == self.frames
            self.detector.feed(chunk)
            if self.keep:
                self.chunks.append(chunk)
            self.pulls += 1
        self.clock.now = until

    def onsets(self) -> list[tuple[float, bool]]:
        """(time heard, loud) of every click so far."""
        return [(self.heard(o.frame), o.peak > LOUD) for o in self.detector.onsets]

    def samples_heard_between(self, start: float, end: float) -> array[int]:
        out = array("h")
        for chunk in self.chunks:
            out.extend(chunk)
        first = max(0, round((start - self.began) * self.true_rate))
        return out[first : round((end - self.began) * self.true_rate)]


Walk = Callable[..., tuple[WalkSession, BeatStream, Device]]


@pytest.fixture
def walk(clock: Any, new_detector: Any) -> Walk:
    """`walk(timeline, rate=, buffer_ms=, ...)`: a device running, then the walk started
    half a second later (at clock 1000.5) and published."""

    def begin(
        timeline: Timeline, rate: int = 48000, buffer_ms: int = 15, **options: Any
    ) -> tuple[WalkSession, BeatStream, Device]:
        stream = BeatStream(rate, clock)
        frames = rate * buffer_ms // 1000
        device = Device(stream, clock, frames, new_detector(rate), **options)
        device.run_until(clock.now + 0.5)
        session = WalkSession(timeline, clock)
        stream.publish(snapshot_of(session))
        return session, stream, device

    return begin


def errors_against(heard: list[tuple[float, bool]], expected: list[float]) -> list[float]:
    """Each click's time heard minus the nearest expected beat time."""
    out = []
    for at, _ in heard:
        i = bisect_left(expected, at)
        near = [expected[j] for j in (i - 1, i) if 0 <= j < len(expected)]
        out.append(min((at - e for e in near), key=abs))
    return out


# -- alignment -------------------------------------------------------------------------


def test_every_buffer_is_as_long_as_asked_and_its_time_heard_is_known(
    walk: Walk, clock: Any
) -> None:
    _, stream, device = walk(steady(100), rate=44100)
    device.run_until(clock.now + 10.0)
    assert stream.frames == device.pulls * device.frames
    # The stream's idea of when its next frame plays is the card's, to within a millisecond.
    assert stream.heard_at(stream.frames) == pytest.approx(device.heard(stream.frames), abs=1e-3)


def test_clicks_are_heard_within_10_ms_of_their_beats_on_screen(walk: Walk, clock: Any) -> None:
    timeline = steady(180)
    session, _, device = walk(timeline, jitter=0.002)
    device.run_until(clock.now + 60.0)
    end = session.started_at + 60.0
    expected = [session.started_at + b for b in beat_times(timeline, 0) if b < 60.0]
    heard = [(at, loud) for at, loud in device.onsets() if at < end - 0.1]
    assert len(heard) == len(expected)
    errors = errors_against(heard, expected)
    # The first beat is due as the walk starts, when the buffers for that moment are
    # already queued: it sounds with the next pull, one output latency later.
    assert -0.010 <= errors[0] <= FIRST_LATE
    assert max(abs(e) for e in errors[1:]) <= 0.010
    assert [loud for _, loud in heard] == [i % 2 == 0 for i in range(len(heard))]


def test_stays_aligned_over_an_hour_with_a_device_clock_running_fast(
    walk: Walk, clock: Any
) -> None:
    timeline = steady(180, minutes=60)
    session, _, device = walk(timeline, rate=8000, buffer_ms=40, speedup=1.001, jitter=0.002)
    device.keep = False
    device.run_until(clock.now + 3600.0)
    expected = [session.started_at + b for b in beat_times(timeline, 0)]
    heard = device.onsets()
    assert len(heard) == len(expected) == 10800
    errors = errors_against(heard, expected)[1:]
    assert max(abs(e) for e in errors) <= 0.010
    first, last = errors[:1800], errors[-1800:]  # the first and last ten minutes
    assert abs(sum(last) / len(last) - sum(first) / len(first)) < 0.001  # nothing builds up


# -- pause, resume, tempo, skip ----------------------------------------------------------


def test_a_pause_silences_the_beat_until_resumed(walk: Walk, clock: Any) -> None:
    session, stream, device = walk(steady(100))
    paused_at = clock.now + 3.3  # mid-step 5; step 6 is due at 3.6 s
    device.run_until(paused_at)
    session.pause()
    stream.publish(snapshot_of(session))
    device.run_until(paused_at + 4.0)
    assert all(at < paused_at for at, _ in device.onsets())
    assert not any(device.samples_heard_between(paused_at, paused_at + 4.0))


def test_resume_carries_on_with_the_next_step_on_the_next_foot(walk: Walk, clock: Any) -> None:
    session, stream, device = walk(steady(100))
    device.run_until(clock.now + 3.3)  # step 5 (right foot) is under way
    session.pause()
    stream.publish(snapshot_of(session))
    device.run_until(clock.now + 4.0)
    resumed_at = clock.now
    session.resume()
    stream.publish(snapshot_of(session))
    device.run_until(clock.now + 2.2)
    after = [(at, loud) for at, loud in device.onsets() if at > resumed_at]
    # Step 6 (left, accented) 0.3 s after resuming: what was left of step 5; then on.
    assert [loud for _, loud in after] == [True, False, True, False]
    assert (
        errors_against(after, [resumed_at + 0.3 + 0.6 * k for k in range(4)])
        == [pytest.approx(0, abs=0.010)] * 4
    )


def test_a_tempo_change_applies_from_the_next_step(walk: Walk, clock: Any) -> None:
    timeline = steady(100)
    session, stream, device = walk(timeline)
    device.run_until(clock.now + 3.3)
    changed_at = clock.now
    session.adjust_cadence(+20)
    assert session.tempo is not None
    stream.publish(snapshot_of(session))
    device.run_until(clock.now + 3.0)
    after = [(at, loud) for at, loud in device.onsets() if at > changed_at]
    expected = [session.started_at + b for b in beat_times(timeline, 0, session.tempo)]
    expected = [e for e in expected if e > changed_at][: len(after)]
    assert expected[0] == pytest.approx(changed_at + 0.5 * 0.5)  # half of step 5 left, at 120
    assert max(abs(e) for e in errors_against(after, expected)) <= 0.010
    assert all(b - a == pytest.approx(0.5, abs=0.001) for (a, _), (b, _) in pairwise(after))
    assert after[0][1] is True  # step 6: the left foot


@pytest.mark.parametrize("into_step", [0.5, 0.9, 0.96, 0.99])
def test_a_tempo_change_near_a_beat_neither_doubles_nor_drops_a_step(
    walk: Walk, clock: Any, into_step: float
) -> None:
    session, stream, device = walk(steady(100))
    device.run_until(clock.now + 3.0 + 0.6 * into_step)  # late in step 5
    session.adjust_cadence(+80)  # 180 spm: the next step comes sooner
    stream.publish(snapshot_of(session))
    device.run_until(clock.now + 2.0)
    heard = device.onsets()
    # Steps 0-5 at 100 spm, then every step once at 180: left and right keep alternating.
    assert [loud for _, loud in heard] == [i % 2 == 0 for i in range(len(heard))]
    assert min(b - a for (a, _), (b, _) in pairwise(heard)) > 0.3


def test_a_skip_starts_the_next_segments_beat(walk: Walk, clock: Any) -> None:
    session, stream, device = walk(TWO_PARTS)
    device.run_until(clock.now + 10.1)
    skipped_at = clock.now
    session.next_segment()
    stream.publish(snapshot_of(session))
    device.run_until(clock.now + 3.0)
    after = [(at, loud) for at, loud in device.onsets() if at > skipped_at]
    second = TWO_PARTS.segments[1]
    # The second segment's first step (its own foot) at once, then 150 spm.
    assert after[0][1] == (second.steps_before % 2 == 0)
    assert 0 <= after[0][0] - skipped_at <= FIRST_LATE
    assert all(b - a == pytest.approx(0.4, abs=0.001) for (a, _), (b, _) in pairwise(after[1:]))


def test_beat_off_is_silence_and_back_on_it_follows_the_walk(walk: Walk, clock: Any) -> None:
    session, stream, device = walk(steady(100))
    device.run_until(clock.now + 1.0)
    off_at = clock.now
    stream.publish(snapshot_of(session, on=False))
    device.run_until(clock.now + 3.0)
    on_at = clock.now
    stream.publish(snapshot_of(session, on=True))
    device.run_until(clock.now + 2.0)
    assert not any(device.samples_heard_between(off_at + 0.04, on_at))
    after = [at for at, _ in device.onsets() if at > on_at]
    expected = [session.started_at + 0.6 * k for k in range(20)]
    assert max(abs(e) for e in errors_against([(a, True) for a in after], expected)) <= 0.010


def test_a_new_volume_changes_the_level_not_the_timing(walk: Walk, clock: Any) -> None:
    session, stream, device = walk(steady(100))
    device.run_until(clock.now + 1.0)
    stream.publish(snapshot_of(session, volume=0.3))
    device.run_until(clock.now + 2.0)
    peaks = [o.peak for o in device.detector.onsets]
    heard = [at for at, _ in device.onsets()]
    assert peaks[2] == pytest.approx(peaks[0] / 2, rel=0.02)  # both accents (left)
    assert peaks[3] == pytest.approx(peaks[1] / 2, rel=0.02)
    expected = [session.started_at + 0.6 * k for k in range(len(heard))]
    assert max(abs(e) for e in errors_against([(a, True) for a in heard[1:]], expected)) <= 0.01


def test_a_snapshot_says_where_the_walk_is_at_any_moment() -> None:
    snapshot = BeatSnapshot(steady(100), None, position=10.0, at=500.0, speed=2.0)
    assert snapshot.position_at(501.0) == 12.0
    assert snapshot.time_of(14.0) == 502.0
    assert snapshot.position_at(1e9) == 600.0  # the end of the walk
    paused = BeatSnapshot(steady(100), None, position=10.0, at=500.0, paused=True)
    assert paused.position_at(600.0) == 10.0


# -- the real device -------------------------------------------------------------------


def test_the_null_device_pulls_frames_through_the_player(capfd: pytest.CaptureFixture[str]) -> None:
    miniaudio = pytest.importorskip("miniaudio")
    enough = threading.Event()
    player = BeatPlayer(
        backends=[miniaudio.Backend.NULL], on_buffer=lambda frames: frames > 4800 and enough.set()
    )
    try:
        player.publish(BeatSnapshot(steady(100), None, position=0.0, at=0.0))
        assert enough.wait(timeout=10.0)
        assert player.sample_rate > 0 and player.stream.errors == 0
    finally:
        player.close()
        player.close()  # twice is fine
    assert "ALSA" not in capfd.readouterr().err


def test_no_sound_card_is_one_sentence_and_no_alsa_noise(
    capfd: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("miniaudio")
    try:
        player = BeatPlayer()
    except NoAudioDevice as error:
        message = str(error)
        assert message.endswith(".") and "\n" not in message and "beat" in message
    else:  # a machine with a sound card
        player.close()
    assert "ALSA lib" not in capfd.readouterr().err


def test_a_device_list_of_only_the_null_backend_is_no_device(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    miniaudio = pytest.importorskip("miniaudio")
    closed: list[bool] = []

    class DiscardingDevice:
        backend = "Null"
        sample_rate = 48000

        def __init__(self, **_: Any) -> None:
            pass

        def close(self) -> None:
            closed.append(True)

    monkeypatch.setattr(miniaudio, "PlaybackDevice", DiscardingDevice)
    with pytest.raises(NoAudioDevice):
        BeatPlayer()
    assert closed == [True]


def test_importing_the_live_module_does_not_load_miniaudio() -> None:
    code = "import sys, coach.audio.live; print('miniaudio' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
