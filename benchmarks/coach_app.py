"""Drive the real `coach` app headless, the way the command line starts it.

The app is started through `coach.cli.main` (so the measured process does what
`coach` / `coach walk` do: click, config, store, routine lookup), with `CoachApp.run`
made headless at the same size as the baselines, and a hook that ends it:

    python coach_app.py home RESULT                exit at the home screen's first frame
    python coach_app.py walk ROUTINE SECONDS RESULT  walk ROUTINE (sound off, no check-ins),
                                                   then exit
    python coach_app.py history-screen RESULT      push the history screen from home; time it
                                                   to its first frame with data

Each writes what it saw to RESULT (JSON), so the runner can tell a measurement of the
wrong screen (a first-run welcome, a dialog) from a real one. COACH_HOME names the home.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import time
from collections.abc import Callable
from importlib.machinery import PathFinder
from pathlib import Path
from types import ModuleType
from typing import Any

SIZE = (80, 24)  # the baselines' size too


def _on_import(name: str, patch: Callable[[ModuleType], None]) -> None:
    """Call `patch(module)` right after coach itself imports module `name`.

    Not an import of our own: coach imports Textual late, with garbage collection off
    until its first frame (coach.cli._run_app), and the measured process must keep
    that order.
    """

    # A bare finder (not importlib.abc/util: importing those costs ~10 ms, which would
    # be counted against coach).
    class Finder:
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(fullname, path)
            loader = spec.loader if spec is not None else None
            if loader is None:
                return spec
            exec_module = loader.exec_module

            def exec_and_patch(module: ModuleType) -> None:
                exec_module(module)
                patch(module)

            loader.exec_module = exec_and_patch  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def _headless(then: Callable[[type], None] | None = None) -> None:
    """Once coach imports its app: run it headless at SIZE, then call `then(CoachApp)`."""

    def patch(module: ModuleType) -> None:
        app_class = module.CoachApp
        run = app_class.run

        def headless_run(self: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["headless"] = True
            kwargs["size"] = SIZE
            return run(self, *args, **kwargs)

        app_class.run = headless_run
        if then is not None:
            then(app_class)

    _on_import("coach.tui.app", patch)


def _after_mount(cls: type, hook: Callable[[Any], None]) -> None:
    """Call `hook(instance)` after `cls.on_mount` (sync or async) has run."""
    original = cls.on_mount

    if inspect.iscoroutinefunction(original):

        async def on_mount(self: Any) -> None:
            await original(self)
            hook(self)

    else:

        def on_mount(self: Any) -> None:  # type: ignore[misc]
            original(self)
            hook(self)

    cls.on_mount = on_mount


def _cli(args: list[str]) -> int:
    from coach.cli import main

    try:
        main.main(args=args, prog_name="coach", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _screens(app: Any) -> dict[str, Any]:
    return {
        "screen": type(app.screen).__name__,
        "stack": [type(screen).__name__ for screen in app.screen_stack],
    }


def home(result: Path) -> int:
    """`coach` until the first frame of the home screen."""
    _headless()

    def leave(screen: Any) -> None:
        # time.monotonic() is system-wide on Linux: the runner subtracts its spawn time.
        result.write_text(json.dumps({**_screens(screen.app), "first_frame": time.monotonic()}))
        screen.app.exit()

    # The same hook as baseline_app.py: exit after the next refresh.
    _on_import(
        "coach.tui.screens.home",
        lambda module: _after_mount(
            module.HomeScreen, lambda screen: screen.call_after_refresh(leave, screen)
        ),
    )
    return _cli([])


def walk(routine: str, seconds: float, result: Path) -> int:
    """`coach walk ROUTINE --sound off --no-checkin` for `seconds`, then quit the app."""

    def leave(app: Any) -> None:
        seen = _screens(app)
        seen["walking"] = getattr(app, "walk_screen", None) is not None
        result.write_text(json.dumps(seen))
        app.exit()

    _headless(
        lambda app_class: _after_mount(
            app_class, lambda app: app.set_timer(seconds, lambda: leave(app))
        )
    )
    code = _cli(["walk", routine, "--sound", "off", "--no-beat", "--no-checkin"])
    if result.exists():
        seen = json.loads(result.read_text())
        seen["peak_rss_mb"] = peak_rss_mb()
        result.write_text(json.dumps(seen))
    return code


def peak_rss_mb() -> float | None:
    """This process's own peak resident memory (VmHWM), in MiB; None where unknown.

    Not ru_maxrss: on Linux that also counts the parent's memory at the fork, so a child
    of a big benchmark runner would seem as big as the runner.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def history_screen(result: Path) -> int:
    """From home, push the history screen; time it to the first frame after its data loads."""
    _headless()
    try:
        from coach.tui.history.screen import HistoryScreen
    except ImportError as exc:
        result.write_text(json.dumps({"available": False, "reason": str(exc)}))
        return 0
    from textual.widgets import DataTable

    from coach.tui.screens.home import HomeScreen

    def table_rows(screen: Any) -> int:
        return sum(table.row_count for table in screen.query(DataTable))

    async def next_frame(screen: Any) -> tuple[float, int]:
        """After the next refresh: the time, and how many table rows that frame showed."""
        shown = asyncio.get_running_loop().create_future()

        def seen() -> None:
            if not shown.done():
                shown.set_result((time.perf_counter(), table_rows(screen)))

        screen.call_after_refresh(seen)
        return await shown

    from textual.worker_manager import WorkerManager

    # Every worker started from now on: the manager forgets workers once they finish.
    started: list[Any] = []
    add_worker = WorkerManager.add_worker

    def record_worker(self: Any, worker: Any, *args: Any, **kwargs: Any) -> None:
        started.append(worker)
        add_worker(self, worker, *args, **kwargs)

    WorkerManager.add_worker = record_worker  # type: ignore[method-assign]

    async def measure(app: Any) -> None:
        try:
            started.clear()
            began = time.perf_counter()
            try:
                screen = HistoryScreen(app.store)
            except TypeError:
                screen = HistoryScreen()
            await app.push_screen(screen)
            first, rows = await next_frame(screen)
            rows_at = first if rows else None
            # Its data worker(s), if any (on the screen or its widgets), must finish first.
            # Meanwhile, note the first frame with rows in a table (information only).
            while True:
                nodes = {screen, *screen.walk_children()}
                mine = [w for w in started if w.node in nodes]
                if all(w.is_finished for w in mine):
                    break
                await asyncio.sleep(0.002)
                if rows_at is None:
                    at, rows = await next_frame(screen)
                    rows_at = at if rows else None
            done, rows = await next_frame(screen) if mine else (first, rows)
            if rows_at is None and rows:
                rows_at = done
            errors = [str(w.error) for w in mine if w.error is not None]
            outcome = {
                "available": True,
                "screen": type(app.screen).__name__,
                "seconds": done - began,
                "first_frame_seconds": first - began,
                "rows_frame_seconds": None if rows_at is None else rows_at - began,
                "rows": rows,
                "workers": len(mine),
                "errors": errors,
            }
        except Exception as exc:  # reported, not raised: the runner shows it
            outcome = {"available": True, "seconds": None, "errors": [repr(exc)]}
        result.write_text(json.dumps(outcome))
        app.exit()

    def start(screen: Any) -> None:
        app = screen.app
        # After home's first frame, in a task of its own (so it can wait for refreshes).
        screen.call_after_refresh(
            lambda: app.call_next(lambda: asyncio.ensure_future(measure(app)))
        )

    _after_mount(HomeScreen, start)
    return _cli([])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "home":
        sys.exit(home(Path(sys.argv[2])))
    if mode == "walk":
        sys.exit(walk(sys.argv[2], float(sys.argv[3]), Path(sys.argv[4])))
    if mode == "history-screen":
        sys.exit(history_screen(Path(sys.argv[2])))
    sys.exit(f"unknown mode {mode!r}")
