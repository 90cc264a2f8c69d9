"""Diagnostic, not a bar: profile `coach` in this process from its start until it is quit.

    python benchmarks/profile_start.py REPORT [COACH ARGUMENTS...]

`run.py --profile` starts this on a terminal like `coach`, quits it once home is drawn,
and points at the report. With pyinstrument installed: REPORT.txt and REPORT.html;
otherwise cProfile: REPORT.prof and REPORT.txt (the top functions by cumulative time).
The profiler slows what it watches, so its times are for finding where time goes,
never for the bars.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path


def run_coach(args: list[str]) -> Callable[[], None]:
    def run() -> None:
        from coach.cli import main as coach  # inside the profile: its imports count

        with contextlib.suppress(SystemExit):  # how the app ends coach's main
            coach.main(args=args, prog_name="coach", standalone_mode=False)

    return run


def with_pyinstrument(report: Path, run: Callable[[], None]) -> bool:
    """Profile `run` with pyinstrument; False if it is not installed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return False
    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        run()
    finally:
        profiler.stop()
    report.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False))
    report.with_suffix(".html").write_text(profiler.output_html())
    return True


def with_cprofile(report: Path, run: Callable[[], None]) -> None:
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    try:
        profile.runcall(run)
    finally:
        profile.dump_stats(report.with_suffix(".prof"))
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(60)
        report.with_suffix(".txt").write_text(text.getvalue())


if __name__ == "__main__":
    report, run = Path(sys.argv[1]), run_coach(sys.argv[2:])
    if not with_pyinstrument(report, run):
        with_cprofile(report, run)
