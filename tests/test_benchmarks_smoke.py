"""The benchmark runs end to end (`benchmarks/run.py --quick --json`) and measures every bar.

Only that it works is checked: whether a bar passes is for the benchmark's report, never
a timed test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not RUN.exists(), reason="benchmarks/ is not part of this install")
def test_quick_benchmark_gives_a_figure_for_every_bar() -> None:
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert report["errors"] == {}
    bars = report["bars"]
    assert {bar["id"] for bar in bars} >= {
        "validate",
        "start",
        "walk_cpu",
        "beat_p99",
        "beat_last",
        "engine_time",
        "engine_drift",
        "history_json",
        "history_screen",
        "walk_memory",
    }
    for bar in bars:
        if bar["status"] == "n/a":
            # Only a feature that is not built yet may go unmeasured, and it must say so.
            assert "does not exist yet" in bar["note"], bar
        else:
            assert isinstance(bar["figure"], int | float), bar
            assert bar["status"] in ("pass", "fail"), bar
