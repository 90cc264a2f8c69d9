"""Fixtures for the audio tests: onsets found in raw samples, a fake clock."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True)
class HeardOnset:
    """A sound found in the samples: its first nonzero sample and its peak level."""

    frame: int
    peak: int


@dataclass
class OnsetDetector:
    """Finds where sounds start in a stream of samples, chunk by chunk.

    A sound starts at a nonzero sample after at least `gap` zero samples; its peak is
    the largest magnitude in the `span` samples from its start. Works on the samples
    alone: it knows nothing of what was scheduled.
    """

    gap: int
    span: int
    onsets: list[HeardOnset] = field(default_factory=list)
    frame: int = 0
    _quiet: int = 10**9
    _start: int = -1
    _peak: int = 0

    def feed(self, chunk: array[int]) -> None:
        raw = chunk.tobytes()
        if raw.count(0) == len(raw):  # all silent: skipped at C speed
            self._quiet += len(chunk)
            self.frame += len(chunk)
            if self._quiet >= self.gap:
                self._settle(self.frame)
            return
        for value in chunk:
            if value == 0:
                self._quiet += 1
            else:
                if self._quiet >= self.gap:
                    self._settle(self.frame)
                    self._start = self.frame
                    self._peak = 0
                if self._start >= 0 and self.frame < self._start + self.span:
                    magnitude = abs(value)
                    if magnitude > self._peak:
                        self._peak = magnitude
                self._quiet = 0
            self.frame += 1

    def _settle(self, frame: int) -> None:
        if self._start >= 0 and frame >= self._start:
            self.onsets.append(HeardOnset(self._start, self._peak))
            self._start = -1

    def finish(self) -> list[HeardOnset]:
        self._settle(self.frame)
        return self.onsets


def onset_detector(rate: int) -> OnsetDetector:
    """A detector for clicks at `rate`: gaps of at least 1 ms separate sounds."""
    return OnsetDetector(gap=max(2, rate // 1000), span=rate // 100)


def detect_onsets(chunks: Iterable[array[int]], rate: int) -> list[HeardOnset]:
    """Every sound start in `chunks`."""
    detector = onset_detector(rate)
    for chunk in chunks:
        detector.feed(chunk)
    return detector.finish()


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


Detect = Callable[..., list[HeardOnset]]  # (chunks, rate) -> onsets


@pytest.fixture
def detect() -> Detect:
    """The onset detector: `detect(chunks, rate)` lists every sound start in the chunks."""
    return detect_onsets


@pytest.fixture
def new_detector() -> Callable[[int], OnsetDetector]:
    """`new_detector(rate)`: an OnsetDetector to feed chunk by chunk."""
    return onset_detector


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
