"""CPU cost of the beat audio stream (SPEC §8: at most 2% of one core at 180 spm).

    python benchmarks/beat_stream.py             generated buffers + a 60 s render, JSON
    python benchmarks/beat_stream.py --device 20 also 20 s on miniaudio's NULL device

`stream_cpu` pulls 60 s worth of 15 ms buffers from the live stream as a sound card
would (the clock is faked, so it runs as fast as it can) and measures process CPU time
around it; the figure is that time as a share of the 60 s of audio. `render_cpu` does
the same for the file render's chunks (beat only). `device_cpu` plays the beat in real
time on the NULL backend (no sound card needed) and measures the whole process's CPU
time, the audio thread included, over the same wall time.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any

from coach.audio.live import BeatPlayer, BeatSnapshot, BeatStream
from coach.core.beat import Clicks, iter_onsets, mix_chunks
from coach.core.routine import Timeline, compile_timeline, load_text


def steady_timeline(cadence: int, seconds: float) -> Timeline:
    minutes = int(seconds // 60) + 2
    text = f"name: Bench\ncadence: {cadence}\nsegments:\n  - name: Walk\n    duration: {minutes}m\n"
    loaded = load_text(text, "bench")
    if loaded.routine is None:
        raise RuntimeError("\n".join(loaded.report()))
    return compile_timeline(loaded.routine)


class _Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def stream_cpu(
    seconds: float = 60.0,
    cadence: int = 180,
    rate: int = 48000,
    buffer_ms: int = 15,
    phases: bool = False,
) -> dict[str, Any]:
    """Process CPU time to generate `seconds` of the live beat, as a share of those seconds."""
    timeline = steady_timeline(cadence, seconds)
    clock = _Clock()
    stream = BeatStream(rate, clock)
    stream.publish(BeatSnapshot(timeline, None, position=0.0, at=0.0, phases=phases))
    frames = rate * buffer_ms // 1000
    pulls = int(seconds * rate / frames)
    began = time.process_time()
    for pull in range(pulls):
        clock.now = pull * frames / rate
        stream.render(frames)
    cpu = time.process_time() - began
    return {
        "audio_seconds": pulls * frames / rate,
        "cpu_seconds": cpu,
        "share_of_one_core": cpu / (pulls * frames / rate),
        "cadence": cadence,
        "rate": rate,
        "buffer_ms": buffer_ms,
        "phases": phases,
    }


def render_cpu(seconds: float = 60.0, cadence: int = 180, rate: int = 44100) -> dict[str, Any]:
    """Process CPU time to mix `seconds` of the beat in the render's one-second chunks."""
    timeline = steady_timeline(cadence, seconds)
    began = time.process_time()
    frames = 0
    for chunk in mix_chunks(
        iter_onsets(timeline, None, 0.0, seconds), Clicks.make(rate), int(seconds * rate), rate
    ):
        frames += len(chunk)
    cpu = time.process_time() - began
    return {"audio_seconds": frames / rate, "cpu_seconds": cpu, "share_of_one_core": cpu / seconds}


def device_cpu(seconds: float = 20.0, cadence: int = 180) -> dict[str, Any]:
    """Whole-process CPU share while the NULL device plays the beat for `seconds`."""
    import miniaudio  # type: ignore[import-untyped]

    timeline = steady_timeline(cadence, seconds)
    done = threading.Event()
    player = BeatPlayer(backends=[miniaudio.Backend.NULL])
    try:
        player.publish(BeatSnapshot(timeline, None, position=0.0, at=time.monotonic(), speed=1.0))
        began_cpu, began_wall = time.process_time(), time.monotonic()
        done.wait(seconds)
        cpu, wall = time.process_time() - began_cpu, time.monotonic() - began_wall
        frames = player.stream.frames
    finally:
        player.close()
    return {
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "share_of_one_core": cpu / wall,
        "frames": frames,
        "sample_rate": player.sample_rate,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", type=float, default=0.0, help="seconds on the NULL device")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "stream": stream_cpu(),
        "stream_phases": stream_cpu(phases=True),
        "render": render_cpu(),
    }
    if args.device:
        report["null_device"] = device_cpu(args.device)
    print(json.dumps(report, indent=2))
