"""The config file (`config.yaml`): sound, beat, pre-walk check-in, theme, TTS, routine, keys,
the plan's time of day and the weekly dose's threshold and target.

Validated with the routine loader's precision (`PATH:LINE:COL: error: KEY: message`). A
broken config never stops coach: each problem is reported and that setting keeps its
default.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.core.routine.diagnostics import DiagnosticList
from coach.core.text import visible_text
from coach.paths import config_path, ensure_dir

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node

# PyYAML is imported only when there is a config file to read: most people have none,
# and it is a part of start-up worth saving.

WALK_ACTIONS = ("pause", "next", "back", "faster", "slower", "sound", "beat", "quit", "help")
# Keys the app keeps for itself, whatever the config says: a walk action bound to one
# would change what it does (Ctrl+C must always end the walk) or never be heard.
RESERVED_KEYS = {
    "ctrl+c": "it always ends the walk",
    "ctrl+q": "it quits coach",
    "ctrl+p": "it opens the command palette",
    "f1": "it shows every key",
}
SOUNDS = ("voice", "bell", "off")
BEATS = ("on", "off", "phases")
BEAT_VOLUME_MAX = 100
KEYS = (
    "sound",
    "beat",
    "beat_volume",
    "pre_walk_checkin",
    "theme",
    "tts_command",
    "tts_wav_command",
    "default_routine",
    "keys",
    "plan_time",
    "moderate_cadence",
    "weekly_target",
)
# The weekly dose (coach.core.dose): its target of minutes (its cadence threshold is any
# cadence a routine may have: coach.core.routine.model's CADENCE_MIN to CADENCE_MAX).
WEEKLY_TARGET_RANGE = (1, 7 * 24 * 60)

EXAMPLE = """\
# coach settings. Every key is optional; delete a line to get its default.
sound: bell                 # voice | bell | off
beat: on                    # on | off | phases: a click on every step (phases: soft ticks too)
beat_volume: 60             # 0-100: the click's loudness, a share of full scale
pre_walk_checkin: true      # ask for pain and stiffness before each walk
theme: textual-dark         # any Textual theme: textual-dark, nord, gruvbox, ...
# tts_command: termux-tts-speak {text}   # your own text-to-speech command
# tts_wav_command: espeak-ng -w {file} {text}  # speech to a WAV file, for `coach render`
# default_routine: gentle-back           # what `coach walk` walks with no ROUTINE
# keys: {pause: pagedown, next: pageup}  # remap walk keys (clickers, foot pedals)
# plan_time: "07:30"        # when a plan's sessions go in your calendar (coach plan ics)
# moderate_cadence: 100     # steps a minute from which walking counts as moderate
# weekly_target: 150        # moderate minutes a week to aim for
"""


@dataclass(frozen=True)
class Config:
    sound: str = "bell"
    beat: str = "on"
    beat_volume: int = 60
    pre_walk_checkin: bool = True
    theme: str | None = None
    tts_command: str | None = None
    tts_wav_command: str | None = None
    default_routine: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    plan_time: str = "07:30"  # HH:MM, local
    moderate_cadence: int = 100
    weekly_target: int = 150

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _scalar(node: Node, tag: str) -> str | None:
    """A scalar node's text if it has this tag, else None."""
    from yaml.nodes import ScalarNode  # loaded already: there is a file being read

    if isinstance(node, ScalarNode) and node.tag == f"tag:yaml.org,2002:{tag}":
        return str(node.value)
    return None


def _bool(node: Node) -> bool | None:
    value = _scalar(node, "bool")
    return None if value is None else value.lower() in ("true", "yes", "on", "y")


def _beat(node: Node) -> str | None:
    """`on`, `off` or `phases`; YAML reads a bare on/off (or true/false) as a flag."""
    flag = _bool(node)
    if flag is not None:
        return "on" if flag else "off"
    value = _text(node)
    return value.lower() if value is not None and value.lower() in BEATS else None


def _whole(node: Node) -> int | None:
    """A plain decimal whole number (YAML's octal, hex and 1:30 forms are not volumes)."""
    value = _scalar(node, "int")
    if value is None or not (value.isascii() and value.lstrip("+").isdecimal()):
        return None
    return int(value)


def _text(node: Node) -> str | None:
    value = (_scalar(node, "str") or "").strip()
    if value and all(ch.isprintable() for ch in value):
        return value
    return None


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read the config; return it and one line per problem (defaults used for those)."""
    path = path or config_path()
    shown = visible_text(str(path))  # a path's control characters shown, not sent
    if not path.exists():
        return Config(), []
    from coach.core.routine.source import compose, read_text

    diagnostics = DiagnosticList()
    text = read_text(path, diagnostics)
    node = compose(text, diagnostics) if text is not None and text.strip() else None
    values: dict[str, Any] = {}  # checked setting by setting below
    if node is not None:
        from yaml.nodes import MappingNode

        if isinstance(node, MappingNode):
            _read_settings(node, values, diagnostics)
        else:
            diagnostics.error(1, 1, "", "expected settings as `key: value` lines")
    problems = [
        d.headline(shown) + ("" if "ignored" in d.message else "; using the default")
        for d in diagnostics.sorted()
    ]
    return Config(**values), problems


def _read_settings(node: MappingNode, values: dict[str, Any], d: DiagnosticList) -> None:
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = _scalar(key_node, "str") or "?"
        line, column = value_node.start_mark.line + 1, value_node.start_mark.column + 1
        key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if key in seen:
            d.error(key_line, key_column, key, "duplicate key")
            continue
        seen.add(key)
        if key == "sound":
            # A bare `off` is a YAML flag (false).
            value = "off" if _bool(value_node) is False else _text(value_node)
            if value in SOUNDS:
                values["sound"] = value
            else:
                d.error(line, column, key, f"must be one of {', '.join(SOUNDS)}")
        elif key == "beat":
            beat = _beat(value_node)
            if beat is None:
                d.error(line, column, key, f"must be one of {', '.join(BEATS)}")
            else:
                values[key] = beat
        elif key == "beat_volume":
            volume = _whole(value_node)
            if volume is None or not 0 <= volume <= BEAT_VOLUME_MAX:
                d.error(line, column, key, f"must be a whole number from 0 to {BEAT_VOLUME_MAX}")
            else:
                values[key] = volume
        elif key == "pre_walk_checkin":
            flag = _bool(value_node)
            if flag is None:
                d.error(line, column, key, "must be true or false")
            else:
                values[key] = flag
        elif key in ("theme", "tts_command", "tts_wav_command", "default_routine"):
            value = _text(value_node)
            if value is None:
                d.error(line, column, key, "expected text")
            elif key == "tts_wav_command" and "{file}" not in value:
                d.error(line, column, key, "needs {file}, where the speech is to be written")
            else:
                values[key] = value
        elif key == "keys":
            values["keys"] = _read_keys(value_node, d)
        elif key == "plan_time":
            clock = _clock_time(value_node)
            if clock is None:
                d.error(line, column, key, 'must be a time of day as "HH:MM", e.g. "07:30"')
            else:
                values[key] = clock
        elif key in ("moderate_cadence", "weekly_target"):
            from coach.core.routine.model import CADENCE_MAX, CADENCE_MIN

            cadences = (CADENCE_MIN, CADENCE_MAX)
            low, high = cadences if key == "moderate_cadence" else WEEKLY_TARGET_RANGE
            number = _scalar(value_node, "int")
            unit = "steps a minute" if key == "moderate_cadence" else "minutes"
            if number is None or not number.isdigit() or not low <= int(number) <= high:
                d.error(line, column, key, f"must be a whole number of {unit} from {low} to {high}")
            else:
                values[key] = int(number)
        else:
            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            d.error(key_line, key_column, key, f"unknown setting, ignored{hint}")


def _clock_time(node: Node) -> str | None:
    """`HH:MM` (24-hour) as written, or None. YAML 1.1 reads an unquoted 07:30 as a
    sexagesimal number (450), so the plain scalar's own text is read, not its value."""
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode):
        return None
    text = str(node.value).strip()
    hours, colon, minutes = text.partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if len(hours) > 2 or int(hours) > 23 or int(minutes) > 59:
        return None
    return f"{int(hours):02d}:{minutes}"


def _read_keys(node: Node, d: DiagnosticList) -> dict[str, str]:
    from yaml.nodes import MappingNode

    if not isinstance(node, MappingNode):
        d.error(node.start_mark.line + 1, node.start_mark.column + 1, "keys", "expected a mapping")
        return {}
    keys: dict[str, str] = {}
    for action_node, key_node in node.value:
        action = _scalar(action_node, "str") or "?"
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if action not in WALK_ACTIONS:
            d.error(
                action_node.start_mark.line + 1,
                action_node.start_mark.column + 1,
                f"keys.{action}",
                f"unknown walk action; use {', '.join(WALK_ACTIONS)}; ignored",
            )
            continue
        value = _text(key_node)
        if value is None:
            d.error(*where, f"keys.{action}", "expected a key name such as pagedown; ignored")
            continue
        wanted = [key.strip() for key in value.split(",") if key.strip()]
        allowed = []
        for key in wanted:
            reason = RESERVED_KEYS.get(key.lower())
            if reason is None:
                allowed.append(key)
            else:
                d.error(*where, f"keys.{action}", f"{key} is reserved ({reason}); ignored")
        if allowed:
            keys[action] = ",".join(allowed)
    return keys


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set one top-level `key: value` line, keeping the rest of the file (and its comments).

    Raises OSError if the file cannot be written.
    """
    path = path or config_path()
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    line = f"{key}: {value}"
    for index, existing in enumerate(lines):
        if existing.split(":", 1)[0].strip() == key and not existing.startswith((" ", "#")):
            lines[index] = line
            break
    else:
        lines.append(line)
    ensure_dir(path.parent)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
