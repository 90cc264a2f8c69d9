"""Opening the app from the command line: config, store, first run, garbage collection.

Textual is imported here, never by the commands that don't draw the app.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from coach.entry import say

if TYPE_CHECKING:
    from coach.config import Config
    from coach.core.routine import LoadResult
    from coach.library.routines import RoutineEntry
    from coach.sound import SoundMode
    from coach.store import Store

WELCOMED_MARKER = ".welcome-shown"


def first_run() -> bool:
    """True until the welcome has been closed once for this home."""
    from coach.paths import HomeError, data_dir

    try:
        return not (data_dir() / WELCOMED_MARKER).exists()
    except (HomeError, OSError):
        return False


def welcomed() -> None:
    """The welcome was closed: not shown again (one killed while it showed is shown again)."""
    from coach.paths import HomeError, data_dir, ensure_dir

    with contextlib.suppress(HomeError, OSError):
        (ensure_dir(data_dir()) / WELCOMED_MARKER).touch(mode=0o600)


def run_app(
    open_store: Callable[[Callable[[str], None]], Store],
    *,
    start: RoutineEntry | None = None,
    sound_mode: SoundMode | None = None,
    checkin: bool = True,
    speed: float = 1.0,
    start_checkin: bool = False,
    edit: RoutineEntry | None = None,
    beat: bool | None = None,
    config: tuple[Config, list[str]] | None = None,
    start_loaded: LoadResult | None = None,
) -> None:
    """Open the Textual app with the config and store; whatever ends it, a walk is saved.

    `config`: the config and its problems, if the caller has read them; `start_loaded`:
    the routine `start` as the caller loaded and checked it.
    """
    # Start-up builds some 100,000 objects that live as long as the app. Collecting
    # while they are built is wasted work (about 20 ms), and scanning them all again
    # every few seconds of a walk cost more CPU than drawing the walk. So: no
    # collection until the first frame, then only over what is created after it.
    gc.disable()
    try:
        from coach.core.records import WalkStatus

        if config is None:
            from coach.config import load_config

            config = load_config()
        settings, problems = config
        store = open_store(problems.append)
        from coach.tui.app import CoachApp

        app = CoachApp(
            store,
            settings,
            start=start,
            start_loaded=start_loaded,
            sound_mode=sound_mode,
            checkin=checkin,
            speed=speed,
            notices=tuple(problems),
            start_checkin=start_checkin,
            welcome=first_run(),
            on_welcomed=welcomed,
            edit=edit,
            on_first_frame=_collect_from_now_on,
            beat=beat,
        )
        try:
            app.run()
        finally:
            # Whatever ended the app (quit, crash, closed terminal), the walk is saved,
            # or kept in the recovery file if the database can't take it.
            app.finish_walk(WalkStatus.ENDED_EARLY)
            outcome = app.close_records(on_retrying=say)
            store.close()
            for line in [*app.said_at_exit, *outcome.lines()]:
                say(line)
    finally:
        gc.enable()  # if the app ended before its first frame
    if app.return_code:
        sys.exit(app.return_code)
    if not outcome.saved:
        sys.exit(1)


# Container objects allocated (less those freed) between collections of the youngest
# generation. Python's 700 meant a collection every few beats of a walk, each walking
# the caches of drawn rows again; the reference cycles a beat leaves are few and small.
YOUNG_COLLECTION_THRESHOLD = 10_000


def _collect_from_now_on() -> None:
    """Leave what start-up built out of garbage collection, and collect from here on,
    the youngest objects less often than Python's default."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
    gc.enable()
