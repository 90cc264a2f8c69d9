"""Stored UTC instants shown in the person's local time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def local_time(at: str) -> datetime:
    """A stored UTC ISO 8601 instant in the local time zone (aware)."""
    return datetime.fromisoformat(at).astimezone()


def local_iso(at: str) -> str:
    """A stored UTC instant as local ISO 8601 with its offset, to the second."""
    return local_time(at).isoformat(timespec="seconds")


def local_minute(at: str) -> str:
    """A stored UTC instant as local `YYYY-MM-DD HH:MM`, for people."""
    return local_time(at).strftime("%Y-%m-%d %H:%M")


def local_day_and_time(at: str) -> str:
    """A stored UTC instant as `Wed 04 Mar 08:00`, local."""
    return local_time(at).strftime("%a %d %b %H:%M")


def walk_start(at: str, utc_offset: int | None) -> datetime:
    """A walk's stored UTC start in the offset it was walked in (seconds east of UTC),
    or in the local time zone when that was not kept (walks recorded before it was)."""
    started = datetime.fromisoformat(at)
    if utc_offset is None:
        return started.astimezone()
    return started.astimezone(timezone(timedelta(seconds=utc_offset)))
