"""A JSON Schema of programme format version 1, for editors and YAML language servers.

It mirrors the validator's limits (tests keep the two in agreement); rules that JSON
Schema cannot express (sessions that don't fit in seven days at `per_day` a day, routine
ids that name no routine, duplicate keys) are left to `coach programmes validate`.
"""

from __future__ import annotations

import json
from typing import Any

from coach.core.programme import validate as v
from coach.core.programme.model import FlareAction
from coach.core.routine import validate as routine_rules
from coach.core.routine.schema import text_schema

SCHEMA_ID = "https://coach.invalid/schemas/programme-v1.json"


def programme_schema() -> dict[str, Any]:
    """The schema as a dict (JSON Schema draft 2020-12)."""
    routine_id = {
        "type": "string",
        "pattern": v.ROUTINE_ID_PATTERN,
        "description": "A routine's id: its file name without `.yaml`.",
    }
    week = {
        "type": "object",
        "required": ["sessions"],
        "additionalProperties": False,
        "properties": {
            "sessions": {
                "type": "integer",
                "minimum": v.SESSIONS_MIN,
                "maximum": v.SESSIONS_MAX,
                "description": "Sessions in the week; at most 7 × per_day.",
            },
            "minutes": {
                "type": "integer",
                "minimum": v.MINUTES_MIN,
                "maximum": v.MINUTES_MAX,
                "description": "Minutes per session (or give routines instead).",
            },
            "routines": {
                "description": "Routines walked in turn by the week's sessions.",
                "anyOf": [
                    routine_id,
                    {
                        "type": "array",
                        "items": routine_id,
                        "minItems": 1,
                        "maxItems": v.ROUTINES_MAX,
                    },
                ],
            },
            "per_day": {
                "type": "integer",
                "minimum": v.PER_DAY_MIN,
                "maximum": v.PER_DAY_MAX,
                "description": "Sessions on one walking day (default 1).",
            },
            "note": text_schema(routine_rules.TEXT_MAX, multiline=True),
        },
        "oneOf": [{"required": ["minutes"]}, {"required": ["routines"]}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "coach walking programme (format version 1)",
        "type": "object",
        "required": ["name", "weeks"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1},
            "name": text_schema(routine_rules.NAME_MAX),
            "description": text_schema(routine_rules.DESCRIPTION_MAX, multiline=True),
            "tags": {
                "type": "array",
                "items": text_schema(routine_rules.TAG_MAX),
                "maxItems": routine_rules.TAGS_MAX,
            },
            "progression": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "on_flare": {
                        "enum": [action.value for action in FlareAction],
                        "description": "After a week with a flare: hold, or step back a week.",
                    },
                    "flare_walks": {
                        "type": "integer",
                        "minimum": v.FLARE_WALKS_MIN,
                        "maximum": v.FLARE_WALKS_MAX,
                        "description": "Walks in a week with pain up meaningfully after them "
                        "that make a flare (a warning sign always does).",
                    },
                },
            },
            "weeks": {
                "type": "array",
                "minItems": 1,
                "maxItems": v.WEEKS_MAX,
                "items": {"$ref": "#/$defs/week"},
            },
        },
        "$defs": {"week": week},
    }


def schema_json() -> str:
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False)
