"""The config file (`config.yaml`): sound, pre-walk check-in, default routine, TTS, keys.

A broken config never stops coach: problems are reported as messages and the defaults
are used for what could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.paths import config_path

WALK_ACTIONS = ("pause", "next", "back", "faster", "slower", "sound", "quit", "help")


@dataclass(frozen=True)
class Config:
    sound: str = "bell"
    pre_walk_checkin: bool = True
    default_routine: str | None = None
    tts_command: str | None = None
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read the config; return it and a list of one-line problems (defaults used for those)."""
    import yaml

    path = path or config_path()
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Config(), problems
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [f"{path}: cannot read the config ({exc}); using defaults"]
    try:
        raw = yaml.safe_load(text) if len(text) < 64 * 1024 else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}: " if mark else ""
        return Config(), [f"{path}:{where}error: YAML syntax; using defaults"]
    if raw is None:
        return Config(), problems
    if not isinstance(raw, dict):
        return Config(), [f"{path}: error: expected a mapping of settings; using defaults"]
    values: dict[str, object] = {}
    for key, value in raw.items():
        if key == "sound" and value in ("voice", "bell", "off"):
            values["sound"] = value
        elif key == "pre_walk_checkin" and isinstance(value, bool):
            values["pre_walk_checkin"] = value
        elif key in ("default_routine", "tts_command", "theme") and isinstance(value, str):
            values[key] = value
        elif key == "keys" and isinstance(value, dict):
            keys = {}
            for action, key_name in value.items():
                if action in WALK_ACTIONS and isinstance(key_name, str) and key_name:
                    keys[action] = key_name
                else:
                    problems.append(
                        f"{path}: error: keys.{action}: expected one of "
                        f"{', '.join(WALK_ACTIONS)} mapped to a key name; ignored"
                    )
            values["keys"] = keys
        else:
            problems.append(f"{path}: error: {key}: unknown setting or bad value; ignored")
    return Config(**values), problems  # type: ignore[arg-type]
