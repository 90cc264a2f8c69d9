"""The programme as a typed value: what a programme file means once it has been validated.

A programme is a plan of weeks that builds walking up gradually (SPEC §9). One programme
per `.yaml` file; its id is the file's stem (`walkback.yaml` → `walkback`). Format
version 1:

```yaml
version: 1                      # optional; only 1 exists
name: Back to walking           # required, 1–80 characters
description: >                  # optional, up to 2000 characters
  From ten minutes on three days to thirty minutes on five, over twelve weeks.
tags: [beginner, low-back]      # optional, like a routine's
progression:                    # optional; these are the defaults
  on_flare: hold                # hold | step_back (go back one week)
  flare_walks: 2                # a flare: pain after a walk up by a meaningful change
                                # (2 points or 30%) on this many walks of a week;
                                # any warning sign ticked that week is always a flare
weeks:                          # required, 1–104 weeks, walked in order
  - sessions: 3                 # sessions in the week, 1–84
    minutes: 10                 # minutes per session, 1–240 ...
    note: Walk at a pace you could talk at.   # optional, shown with the week
  - sessions: 15
    per_day: 3                  # optional, 1–12 (default 1): sessions on one day, for
                                # short walks spread across a working day
    routines: [desk-break]      # ... or the routines to walk (ids), taken in turn by
                                # the week's sessions; each session is as long as its
                                # routine. Give `minutes` or `routines`, not both.
```

Rules, each an error with the file, line, column and key path (all at once, as for
routines): unknown keys (with "did you mean"), duplicate keys, a week's sessions must fit
in seven days at `per_day` a day, routine ids are routine file stems (lower-case
letters, digits, `-` and `_`) and, when the caller knows the routines, must exist.
A warning when a week's minutes are more than double the week before's.

How the plan uses a programme (days, what counts as done, advancing) is in
`coach.core.progression`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class FlareAction(Enum):
    """What the plan does after a week with a flare."""

    HOLD = "hold"
    STEP_BACK = "step_back"


DEFAULT_FLARE_WALKS = 2


@dataclass(frozen=True)
class Progression:
    """When the plan moves on: after a week of all sessions done without a flare."""

    on_flare: FlareAction = FlareAction.HOLD
    # Walks in one week with a meaningful rise in pain after the walk that make a flare.
    flare_walks: int = DEFAULT_FLARE_WALKS


@dataclass(frozen=True)
class Week:
    """One week of a programme: how many sessions, and how long or which routines."""

    sessions: int
    minutes: int | None = None  # None: each session is as long as its routine
    routines: tuple[str, ...] = ()
    per_day: int = 1
    note: str | None = None

    def routine_for(self, index: int) -> str | None:
        """The routine of the week's session `index` (0-based): the routines in turn."""
        if not self.routines:
            return None
        return self.routines[index % len(self.routines)]

    @property
    def days(self) -> int:
        """Walking days this week: the sessions at `per_day` a day."""
        return -(-self.sessions // self.per_day)


@dataclass(frozen=True)
class Programme:
    """A whole validated programme file."""

    id: str
    name: str
    weeks: tuple[Week, ...]
    description: str | None = None
    tags: tuple[str, ...] = ()
    progression: Progression = field(default_factory=Progression)

    def week(self, number: int) -> Week:
        """Week `number`, counted from 1 as people count weeks."""
        if not 1 <= number <= len(self.weeks):
            raise IndexError(f"{self.id} has weeks 1 to {len(self.weeks)}, not {number}")
        return self.weeks[number - 1]

    @property
    def last_week(self) -> int:
        return len(self.weeks)

    @property
    def routine_ids(self) -> tuple[str, ...]:
        """Every routine the programme names, once each, in order of first use."""
        return tuple(dict.fromkeys(r for week in self.weeks for r in week.routines))
