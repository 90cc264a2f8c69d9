"""Durations as routines write them: `45s`, `5m`, `1m30s`, `1h5m`, `2:30`, `1:02:30`, or seconds."""

from __future__ import annotations

import re

_UNITS = re.compile(r"^(?:(?P<h>\d{1,4})h)?(?:(?P<m>\d{1,5})m)?(?:(?P<s>\d{1,6})s)?$", re.ASCII)
_CLOCK = re.compile(r"^(?:(?P<h>\d{1,4}):)?(?P<m>\d{1,5}):(?P<s>[0-5]\d)$", re.ASCII)
_SECONDS = re.compile(r"^\d+$", re.ASCII)

DURATION_FORMS = "`45s`, `5m`, `1m30s`, `1h5m`, `2:30`, `1:02:30` or whole seconds"

# A JSON Schema pattern accepting the strings `parse_duration` accepts, less those that
# mean zero. `[0-9]`, not `\d`: Python's `\d` (which jsonschema uses) matches any
# Unicode digit, the parser only ASCII ones.
DURATION_PATTERN = (
    r"^(?![0hms:]*$)(?:(?=[0-9]+[hms])(?:[0-9]{1,4}h)?(?:[0-9]{1,5}m)?(?:[0-9]{1,6}s)?"
    r"|(?:[0-9]{1,4}:)?[0-9]{1,5}:[0-5][0-9]|[0-9]{1,12})$"
)


def parse_duration(text: str) -> int:
    """Return whole seconds for a duration string; raise ValueError saying what is accepted."""
    raw = text
    if _SECONDS.fullmatch(raw):
        if len(raw) > 12:
            raise ValueError(f"`{raw[:12]}…` is far too long for a duration")
        return int(raw)
    if "h" in raw or "m" in raw or "s" in raw:
        match = _UNITS.fullmatch(raw)
        if match and raw:
            return _from_parts(match)
    match = _CLOCK.fullmatch(raw)
    if match:
        return _from_parts(match)
    raise ValueError(f"`{text}` is not a duration; use {DURATION_FORMS}")


def _from_parts(match: re.Match[str]) -> int:
    hours, minutes, seconds = (int(match.group(k) or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int) -> str:
    """Render seconds compactly in routine notation: `1h5m`, `3m`, `1m30s`, `45s`."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return "".join(parts)


def format_clock(seconds: float) -> str:
    """Render seconds as a clock: `4:05`, or `1:02:30` from an hour up."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
