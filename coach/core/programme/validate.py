"""Validation: a YAML node tree becomes a Programme, with every error and warning located.

The routine validator's checks for keys, text and numbers are reused as they are, so a
programme file gets the same messages (unknown keys with "did you mean", duplicate keys,
refused tags, text limits) as a routine file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

from yaml.nodes import Node, ScalarNode

from coach.core.programme.model import (
    DEFAULT_FLARE_WALKS,
    FlareAction,
    Programme,
    Progression,
    Week,
)
from coach.core.routine.diagnostics import DiagnosticList
from coach.core.routine.validate import (
    DESCRIPTION_MAX,
    NAME_MAX,
    TEXT_MAX,
    NodeValidator,
    clip,
    describe_node,
    join,
    yaml_int,
)

# Limits of programme format version 1 (the JSON Schema mirrors them).
WEEKS_MAX = 104
PER_DAY_MIN, PER_DAY_MAX = 1, 12
SESSIONS_MIN, SESSIONS_MAX = 1, 7 * PER_DAY_MAX
MINUTES_MIN, MINUTES_MAX = 1, 240
ROUTINES_MAX = 20
FLARE_WALKS_MIN, FLARE_WALKS_MAX = 1, 7
# A week planning more than this many times the week before's minutes gets a warning.
STEP_UP_WARNING = 2.0

PROGRAMME_KEYS = ("version", "name", "description", "tags", "progression", "weeks")
PROGRESSION_KEYS = ("on_flare", "flare_walks")
WEEK_KEYS = ("sessions", "minutes", "routines", "per_day", "note")

# A routine id is a routine file's stem, as the routine catalog accepts it.
ROUTINE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")
ROUTINE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

_STR = "tag:yaml.org,2002:str"


class _ProgrammeValidator(NodeValidator):
    def __init__(self, diagnostics: DiagnosticList, known_routines: Collection[str] | None) -> None:
        super().__init__(diagnostics)
        self.known_routines = known_routines

    def programme(self, node: Node, programme_id: str) -> Programme | None:
        keys = self.mapping(node, "", PROGRAMME_KEYS, required=("name", "weeks"), what="programme")
        if keys is None:
            return None
        if "version" in keys:
            version_node = keys["version"][1]
            if (
                not isinstance(version_node, ScalarNode)
                or version_node.tag != "tag:yaml.org,2002:int"
                or yaml_int(version_node.value) != 1
            ):
                self.error(version_node, "version", "only version 1 of the programme format exists")
        name = self.text(keys["name"][1], "name", NAME_MAX) if "name" in keys else None
        description = None
        if "description" in keys:
            description = self.text(
                keys["description"][1], "description", DESCRIPTION_MAX, multiline=True
            )
        tags: tuple[str, ...] = ()
        if "tags" in keys:
            tags = self.tags(keys["tags"][1], "tags")
        progression = Progression()
        if "progression" in keys:
            progression = self.progression(keys["progression"][1], "progression")
        weeks = self.weeks(keys["weeks"][1], "weeks") if "weeks" in keys else None
        if name is None or weeks is None or self.d.has_errors:
            return None
        return Programme(
            id=programme_id,
            name=name,
            weeks=weeks,
            description=description,
            tags=tags,
            progression=progression,
        )

    def progression(self, node: Node, path: str) -> Progression:
        keys = self.mapping(node, path, PROGRESSION_KEYS, what="progression mapping")
        if keys is None:
            return Progression()
        on_flare = FlareAction.HOLD
        if "on_flare" in keys:
            on_flare = self.flare_action(keys["on_flare"][1], join(path, "on_flare")) or on_flare
        flare_walks = DEFAULT_FLARE_WALKS
        if "flare_walks" in keys:
            flare_walks = (
                self.integer(
                    keys["flare_walks"][1],
                    join(path, "flare_walks"),
                    FLARE_WALKS_MIN,
                    FLARE_WALKS_MAX,
                    "flare_walks",
                )
                or flare_walks
            )
        return Progression(on_flare=on_flare, flare_walks=flare_walks)

    def flare_action(self, node: Node, path: str) -> FlareAction | None:
        choices = tuple(action.value for action in FlareAction)
        if not self.tag_ok(node, path):
            return None
        if isinstance(node, ScalarNode) and node.tag == _STR and node.value in choices:
            return FlareAction(node.value)
        hint = ""
        if isinstance(node, ScalarNode):
            spelled = node.value.lower().replace(" ", "_").replace("-", "_")
            close = difflib.get_close_matches(spelled, choices, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else ""
        self.error(
            node,
            path,
            f"on_flare must be one of {', '.join(choices)}, got {describe_node(node)}{hint}",
        )
        return None

    def weeks(self, node: Node, path: str) -> tuple[Week, ...] | None:
        items = self.sequence(node, path, "weeks")
        if items is None:
            return None
        if not items:
            self.error(node, path, "needs at least one week")
            return None
        if len(items) > WEEKS_MAX:
            self.error(node, path, f"has {len(items)} weeks; at most {WEEKS_MAX} (two years)")
            return None
        weeks = [self.week(item, join(path, index)) for index, item in enumerate(items)]
        for index in range(1, len(weeks)):
            self.step_up(weeks[index - 1], weeks[index], items[index], join(path, index))
        if any(week is None for week in weeks):
            return None
        return tuple(week for week in weeks if week is not None)

    def week(self, node: Node, path: str) -> Week | None:
        keys = self.mapping(node, path, WEEK_KEYS, required=("sessions",), what="week")
        if keys is None:
            return None
        sessions = None
        if "sessions" in keys:
            sessions = self.integer(
                keys["sessions"][1],
                join(path, "sessions"),
                SESSIONS_MIN,
                SESSIONS_MAX,
                "sessions (in the week)",
            )
        per_day = 1
        per_day_ok = True
        if "per_day" in keys:
            value = self.integer(
                keys["per_day"][1],
                join(path, "per_day"),
                PER_DAY_MIN,
                PER_DAY_MAX,
                "per_day (sessions on one day)",
            )
            per_day_ok = value is not None
            per_day = value or per_day
        if sessions is not None and per_day_ok and sessions > 7 * per_day:
            self.error(
                keys["sessions"][1],
                join(path, "sessions"),
                f"{sessions} sessions do not fit in 7 days at {per_day} a day; "
                f"raise `per_day` or plan fewer sessions",
            )
            sessions = None
        minutes = None
        if "minutes" in keys:
            minutes = self.integer(
                keys["minutes"][1],
                join(path, "minutes"),
                MINUTES_MIN,
                MINUTES_MAX,
                "minutes (per session)",
            )
        routines: tuple[str, ...] | None = ()
        if "routines" in keys:
            routines = self.routine_ids(keys["routines"][1], join(path, "routines"))
        given = [key for key in ("minutes", "routines") if key in keys]
        if len(given) != 1:
            self.error(
                node,
                path,
                "give `minutes` (per session) or `routines` (to walk in turn)"
                + (", not both" if given else ""),
            )
            return None
        note = None
        if "note" in keys:
            note = self.text(keys["note"][1], join(path, "note"), TEXT_MAX, multiline=True)
        if sessions is None or routines is None or (minutes is None and not routines):
            return None
        return Week(
            sessions=sessions, minutes=minutes, routines=routines, per_day=per_day, note=note
        )

    def routine_ids(self, node: Node, path: str) -> tuple[str, ...] | None:
        """Routine ids; a single id counts as a list of one."""
        items = [node] if isinstance(node, ScalarNode) else self.sequence(node, path, "routines")
        if items is None:
            return None
        if not items:
            self.error(node, path, "needs at least one routine id")
            return None
        if len(items) > ROUTINES_MAX:
            self.error(node, path, f"has {len(items)} routines; at most {ROUTINES_MAX}")
            return None
        paths = (
            [path] if isinstance(node, ScalarNode) else [join(path, i) for i in range(len(items))]
        )
        ids = [
            self.routine_id(item, item_path) for item, item_path in zip(items, paths, strict=True)
        ]
        if any(routine_id is None for routine_id in ids):
            return None
        return tuple(routine_id for routine_id in ids if routine_id is not None)

    def routine_id(self, node: Node, path: str) -> str | None:
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, ScalarNode) or node.tag != _STR:
            self.error(
                node, path, f"expected a routine id such as `desk-break`, got {describe_node(node)}"
            )
            return None
        value: str = node.value
        if not ROUTINE_ID.match(value):
            self.error(
                node,
                path,
                f"`{clip(value)}` is not a routine id: a routine file's name without `.yaml`, "
                f"in lower-case letters, digits, `-` and `_`",
            )
            return None
        if self.known_routines is not None and value not in self.known_routines:
            close = difflib.get_close_matches(value, sorted(self.known_routines), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else "; see `coach routines list`"
            self.error(node, path, f"no routine `{value}`{hint}")
            return None
        return value

    def step_up(self, before: Week | None, week: Week | None, node: Node, path: str) -> None:
        """Warn when a week plans far more minutes than the week before (both in minutes)."""
        if before is None or week is None or before.minutes is None or week.minutes is None:
            return
        previous = before.sessions * before.minutes
        planned = week.sessions * week.minutes
        if planned > STEP_UP_WARNING * previous:
            self.warning(
                node,
                path,
                f"a week of {planned} minutes after one of {previous} is a steep step; "
                f"a gentler rise is easier on a back",
            )


def validate(
    node: Node,
    programme_id: str,
    diagnostics: DiagnosticList,
    known_routines: Collection[str] | None = None,
) -> Programme | None:
    """Check a composed YAML document; return the Programme when it has no errors.

    With `known_routines` (the ids `coach walk` can reach), a routine id that names none
    of them is an error; without, only the ids' spelling is checked.
    """
    return _ProgrammeValidator(diagnostics, known_routines).programme(node, programme_id)
