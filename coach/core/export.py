"""The history for scripts: the stable columns of `coach history` as CSV and JSON.

The columns are a contract (documented in the README): new ones are only added at the
end. Timestamps are stored in UTC; here they become local time.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.core.checkin import Change, Checkin, Where
from coach.core.localtime import local_iso
from coach.core.records import HistoryEntry, WalkStatus
from coach.core.text import visible_text

if TYPE_CHECKING:  # the estimates load with --effects only (their classes take ~15 ms)
    from coach.core.estimates import Effects, GroupEffect

# The columns of every export, in this order. Documented in the README; scripts rely
# on them, so add new ones at the end and never rename or reorder.
COLUMNS: tuple[str, ...] = (
    "type",
    "id",
    "date",
    "routine",
    "routine_name",
    "status",
    "walked_seconds",
    "planned_seconds",
    "pain_before",
    "pain_after",
    "stiffness_before",
    "stiffness_after",
    "pain_change",
    "meaningful",
    "change",
    "effort",
    "where",
    "flagged",
    "notes",
    "source",
    "moderate_seconds",
    "easy_seconds",
)

_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


Row = dict[str, object]


def _seconds(value: float | None) -> int | None:
    # Whole seconds, cut like the clocks on screen (2.9 s walked shows as 0:02).
    return None if value is None else int(value)


_WHERE_KEYS = tuple((where, where.key) for where in Where)


_NOWHERE: frozenset[Where] = frozenset()


def _places(before: Checkin | None, after: Checkin | None) -> list[str]:
    """The places ticked at either check-in, as keys, in the scale's order."""
    ticked = (
        before.where if before is not None else _NOWHERE,
        after.where if after is not None else _NOWHERE,
    )
    if not (ticked[0] or ticked[1]):
        return []
    return list(_place_keys(*ticked))  # the caller's own list: rows are handed on


@lru_cache(maxsize=1024)  # a few pairs of sets recur over a long history
def _place_keys(before: frozenset[Where], after: frozenset[Where]) -> tuple[str, ...]:
    every = before | after
    return tuple(key for where, key in _WHERE_KEYS if where in every)


# Labels by the enums' stored values: read per row of a long history, so kept to lookups.
_STATUS_LABELS = {status.value: status.label for status in WalkStatus}
_CHANGE_LABELS = {change.value: change.label for change in Change}


def history_row(entry: HistoryEntry) -> Row:
    """One entry as the stable columns; None where there is no value.

    A lone check-in's reading goes in the `_after` columns (the state of the back at
    that moment), like the check-in after a walk.
    """
    before, after = entry.before, entry.after
    return {
        "type": "walk" if entry.is_walk else "checkin",
        "id": entry.walk_id if entry.is_walk else entry.checkin_id,
        "date": local_iso(entry.at),
        "routine": entry.routine_id,
        "routine_name": entry.routine_name,
        "status": _STATUS_LABELS[entry.status._value_] if entry.status is not None else None,
        "walked_seconds": _seconds(entry.walked_seconds),
        "planned_seconds": entry.planned_seconds,
        "pain_before": before.pain if before else None,
        "pain_after": after.pain if after else None,
        "stiffness_before": before.stiffness if before else None,
        "stiffness_after": after.stiffness if after else None,
        "pain_change": entry.pain_change,
        "meaningful": entry.meaningful,
        "change": _CHANGE_LABELS[after.change._value_]
        if after is not None and after.change is not None
        else None,
        "effort": after.effort if after else None,
        "where": _places(before, after),
        "flagged": entry.flagged,
        "notes": entry.notes,
        "source": entry.source._value_ if entry.source is not None else None,
        "moderate_seconds": _seconds(entry.moderate_seconds),
        "easy_seconds": _seconds(entry.easy_seconds),
    }


def history_rows(entries: Iterable[HistoryEntry]) -> list[Row]:
    return [history_row(entry) for entry in entries]


def to_json(entries: Iterable[HistoryEntry]) -> str:
    """A JSON list of objects with the stable columns (null when missing), one a line.

    One object a line keeps it readable and lets json use its C encoder, which it
    does not for indented output: 20,000 walks take a tenth of the time.
    """
    encode = _row_encoder()
    rows = [encode(row) for row in history_rows(entries)]
    out = "[\n" + ",\n".join(rows) + "\n]" if rows else "[]"
    # Only user text can hold DEL or a C1 control: most histories hold neither.
    return out if out.isascii() and "\x7f" not in out else _escaped(out)


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _row_encoder() -> Callable[[Row], str]:
    """`_ENCODER.encode` for flat rows, its C encoder made once (encode() makes one per
    call: a sixth of the export's time for 20,000 walks). Rows hold no cycles to check."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without json's C speedups
        return _ENCODER.encode
    chunks = make(
        None,  # no circular check
        _ENCODER.default,
        json.encoder.encode_basestring,  # ensure_ascii=False, as _ENCODER
        None,  # no indent
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )

    def encode(row: Row) -> str:
        return "".join(chunks(row, 0))

    return encode


_NOT_ASCII = re.compile("[^\x00-\x7f]")


def ascii_json(text: str) -> str:
    """JSON text with every character beyond ASCII escaped (`\\u00e9`, a surrogate pair
    beyond U+FFFF): the same document, for an output that can't hold the characters.
    Only JSON strings can hold such characters, so escaping them anywhere is safe."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _NOT_ASCII.sub(escape, text)


def _escaped(text: str) -> str:
    # json leaves DEL and the C1 controls raw (JSON allows them); escaped, U+009B (CSI)
    # cannot reach a terminal, and the text reads back the same.
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _group_row(group: GroupEffect) -> Row:
    return {
        "walks": group.walks,
        "rated_walks": group.rated_walks,
        "raw_mean": _figure(group.raw_mean),
        "estimate": _figure(group.estimate),
        "low": _figure(group.low),
        "high": _figure(group.high),
        "needed_more": group.needed_more,
        "rank": group.rank,
        "overlaps": list(group.overlaps),
    }


def _effects_row(effects: Effects, key_name: str) -> Row:
    from coach.core.estimates import WALK_BANDS

    bands = {band.label: band for band in WALK_BANDS}
    groups = []
    for group in effects.groups:
        row: Row = {key_name: group.key}
        band = bands.get(group.key) if key_name == "band" else None
        if band is not None:
            row["shortest_minutes"] = band.shortest_minutes
            row["longest_minutes"] = band.longest_minutes
        groups.append(row | _group_row(group))
    return {
        "rated_walks": effects.rated_walks,
        "overall_mean": _figure(effects.overall_mean),
        "within_sd": _figure(effects.within_sd),
        "between_sd": _figure(effects.between_sd),
        "groups": groups,
    }


def effects_json(routines: Effects, bands: Effects) -> str:
    """`coach history --effects --format json`: every figure of both fits (README)."""
    from coach.core.estimates import LEVEL, MIN_RATED_WALKS

    document = {
        "level": LEVEL,
        "min_rated_walks": MIN_RATED_WALKS,
        "routines": _effects_row(routines, "routine"),
        "walk_lengths": _effects_row(bands, "band"),
    }
    return _escaped(json.dumps(document, ensure_ascii=False, indent=2))


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def to_csv(entries: Iterable[HistoryEntry]) -> str:
    """A header row, then one row per entry; empty cells where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in history_rows(entries):
        writer.writerow([_csv_value(row[column]) for column in COLUMNS])
    # Only user text can hold control characters; CSV's own syntax uses none of them.
    return visible_text(out.getvalue())
