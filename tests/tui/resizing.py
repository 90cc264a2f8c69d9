"""Resizing the terminal in Pilot tests, waiting for the screen to take the size."""

from __future__ import annotations


async def resize(pilot, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    """Resize the terminal and wait until the screen has taken the new size.

    Pilot.resize_terminal waits for the messages queued when it was called; on a busy
    machine the screen's new layout can come a few turns of the loop later. This waits
    for it (a bounded number of turns, never a timer).
    """
    await pilot.resize_terminal(width, height)
    for _ in range(200):
        if pilot.app.screen.size == (width, height):
            break
        await pilot.pause()
    await pilot.pause()
