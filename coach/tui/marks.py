"""The history's marks, shared by every screen that shows a walk's pain change.

Colour never carries these alone: each is a symbol, and the record spells it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.store import HistoryEntry

RELIEF_MARK = "★"  # a meaningful drop in pain
WORSE_MARK = "▲"  # a meaningful rise in pain
FLAG_MARK = "⚑"  # warning signs were ticked


@dataclass(frozen=True)
class PainMark:
    symbol: str
    words: str
    style: str


RELIEF = PainMark(RELIEF_MARK, "meaningful relief", "bold green")
WORSE = PainMark(WORSE_MARK, "meaningful rise in pain", "bold red")


def pain_mark(entry: HistoryEntry) -> PainMark | None:
    """★ for meaningful relief, ▲ for a meaningful rise (checkin.is_meaningful), else None."""
    change = entry.pain_change
    if change is None or not entry.meaningful:
        return None
    return RELIEF if change < 0 else WORSE
