"""Click onsets in a rendered WAV against the beats a routine schedules.

Used by the benchmark's rendered-audio bar once `coach render` exists: the render is a
file, so exactness is checked sample by sample, not timed. An onset is the first sample
that rises above the silence after a stretch of it (clicks rise over a few samples); each
scheduled beat must have one within ±`tolerance` samples, and nothing else may click.
"""

from __future__ import annotations

import array
import bisect
import sys
import wave
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Audio:
    rate: int
    samples: array.array[int]  # the first channel, as signed integers
    full_scale: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def read_wav(path: Path) -> Audio:
    """A PCM WAV file's first channel (8-, 16- or 32-bit integer samples)."""
    with wave.open(str(path), "rb") as wav:
        rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
        frames = wav.readframes(wav.getnframes())
    codes = {1: "b", 2: "h", 4: "i"}
    if width not in codes:
        raise ValueError(f"{path}: {8 * width}-bit samples are not supported here")
    if width == 1:  # 8-bit WAV is unsigned
        samples = array.array("b", bytes((b - 128) & 0xFF for b in frames))
    else:
        samples = array.array(codes[width], frames)
        if sys.byteorder == "big":
            samples.byteswap()
    first = samples if channels == 1 else samples[::channels]
    return Audio(rate, first, 1 << (8 * width - 1))


def onsets(audio: Audio, share: float = 0.001, quiet_seconds: float = 0.02) -> list[int]:
    """Sample indices where a click starts: the first sample above the silence (a `share`
    of the loudest sample) after at least `quiet_seconds` below it.

    A click rises over a few samples, so a higher threshold would find it late. Quiet
    blocks are skipped with C-speed min/max, so six hours at 8 kHz takes seconds.
    """
    samples = audio.samples
    if not samples:
        return []
    loudest = max(max(samples), -min(samples))
    if loudest == 0:
        return []
    threshold = max(1.0, loudest * share)
    quiet_needed = max(1, round(quiet_seconds * audio.rate))
    found: list[int] = []
    quiet = quiet_needed  # the start of the file counts as quiet
    block = 256
    for start in range(0, len(samples), block):
        chunk = samples[start : start + block]
        if max(chunk) < threshold and -min(chunk) < threshold:
            quiet += len(chunk)
            continue
        for index, sample in enumerate(chunk, start):
            if abs(sample) >= threshold:
                if quiet >= quiet_needed:
                    found.append(index)
                quiet = 0
            else:
                quiet += 1
    return found


@dataclass(frozen=True)
class OnsetReport:
    beats: int
    matched: int
    missing: int  # scheduled beats with no onset within tolerance
    extra: int  # onsets near no scheduled beat
    max_offset: int  # samples, over the matched beats
    last_offset: int | None  # samples, the last scheduled beat's onset

    @property
    def exact(self) -> bool:
        return self.missing == 0 and self.extra == 0


def compare(found: list[int], scheduled: list[int], tolerance: int = 1) -> OnsetReport:
    """Match each scheduled beat (sample index) to the nearest onset within tolerance."""
    used: set[int] = set()
    offsets: list[int] = []
    last: int | None = None
    for beat in scheduled:
        at = bisect.bisect_left(found, beat - tolerance)
        if at < len(found) and abs(found[at] - beat) <= tolerance and at not in used:
            used.add(at)
            offsets.append(found[at] - beat)
            last = found[at] - beat
        else:
            last = None
    return OnsetReport(
        beats=len(scheduled),
        matched=len(offsets),
        missing=len(scheduled) - len(offsets),
        extra=len(found) - len(used),
        max_offset=max((abs(o) for o in offsets), default=0),
        last_offset=last,
    )


def scheduled_samples(beat_seconds: list[float], rate: int, length: int) -> list[int]:
    """Beat times (seconds) as the nearest sample indices inside a file of `length` samples."""
    return [s for s in (round(t * rate) for t in beat_seconds) if s < length]
