"""The benchmark runs end to end (`benchmarks/run.py --quick --json`) and reports every bar.

Only that it works is checked: whether a bar passes is for the benchmark's report, never
a timed test. The click-onset check it will use on rendered audio is tested here on a
WAV made for the purpose, since `coach render` may not exist yet.
"""

from __future__ import annotations

import array
import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
RUN = BENCHMARKS / "run.py"

SPEC_BARS = {
    "validate",
    "start",
    "walk_cpu",
    "beat_cpu",
    "beat_p99",
    "beat_last",
    "onsets",
    "engine_time",
    "engine_drift",
    "history_screen",
    "history_json",
    "show",
    "walk_memory",
}

needs_benchmarks = pytest.mark.skipif(
    not RUN.exists(), reason="benchmarks/ is not part of this install"
)


@pytest.mark.slow
@needs_benchmarks
def test_quick_benchmark_gives_every_bar_a_figure_and_verdict_or_a_reason() -> None:
    # One run, one test: under `pytest -n auto` a shared fixture would run it per worker.
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout)
    assert report["errors"] == {}
    assert {"machine", "sizes", "seconds", "info"} <= report.keys()
    bars = {bar["id"]: bar for bar in report["bars"]}
    assert bars.keys() == SPEC_BARS
    for bar in bars.values():
        assert bar["name"] and bar["target"], bar
        if bar["status"] == "n/a":
            # Only a feature not built yet may go unmeasured, and it must say so.
            assert bar["note"] and not bar["note"].startswith("error"), bar
            assert bar["figure"] is None, bar
        else:
            assert isinstance(bar["figure"], int | float), bar
            assert bar["passed"] is (bar["status"] == "pass"), bar
    for ratio_bar in ("validate", "start", "walk_cpu"):  # each against its baseline
        bar = bars[ratio_bar]
        assert bar["ratio"] == pytest.approx(bar["figure"] / bar["baseline"]), bar


def _write_clicks(path: Path, rate: int, clicks: list[int], length: int) -> None:
    samples = array.array("h", bytes(2 * length))
    for at in clicks:
        for k in range(60):  # a click that rises over a few samples, then decays
            if at + k < length:
                envelope = min(1.0, (k + 1) / 12) * 0.93**k
                samples[at + k] = int(20000 * envelope) * (1 if k % 2 == 0 else -1)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())


@needs_benchmarks
def test_onset_check_finds_clicks_at_their_samples(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    import audio_check

    rate = 8000
    scheduled = [round(k * rate * 60 / 180) for k in range(12)]  # 180 spm: 2666.67 apart
    _write_clicks(tmp_path / "beat.wav", rate, scheduled, scheduled[-1] + rate)
    audio = audio_check.read_wav(tmp_path / "beat.wav")
    report = audio_check.compare(audio_check.onsets(audio), scheduled)
    assert (report.matched, report.extra, report.max_offset) == (12, 0, 0)


@needs_benchmarks
def test_onset_check_counts_a_late_click_as_missing_and_extra(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    import audio_check

    rate = 8000
    scheduled = [0, 4000, 8000]
    _write_clicks(tmp_path / "beat.wav", rate, [0, 4002, 8000], 12000)
    audio = audio_check.read_wav(tmp_path / "beat.wav")
    report = audio_check.compare(audio_check.onsets(audio), scheduled)
    assert (report.missing, report.extra, report.exact) == (1, 1, False)
