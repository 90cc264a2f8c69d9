"""A JSON Schema of routine format version 1, for editors and YAML language servers.

It mirrors the validator's limits (tests keep the two in agreement); rules that JSON
Schema cannot express (duration maxima, offsets inside a segment, the 6-hour total,
duplicate keys) are left to `coach routines validate`.
"""

from __future__ import annotations

import json
from typing import Any

from coach.core.routine import validate as v
from coach.core.routine.durations import DURATION_PATTERN
from coach.core.routine.model import CADENCE_MAX, CADENCE_MIN, PHASES, Intensity

SCHEMA_ID = "https://coach.invalid/schemas/routine-v1.json"


def text_schema(limit: int, multiline: bool = False) -> dict[str, Any]:
    # Control characters are refused; multi-line texts may hold newlines and tabs. The
    # lookahead refuses blank text, which the validator reports as empty.
    pattern = (
        r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"
        if multiline
        else r"^(?=[\s\S]*\S)[^\u0000-\u001f\u007f-\u009f]*$"
    )
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": pattern}


def routine_schema() -> dict[str, Any]:
    """The schema as a dict (JSON Schema draft 2020-12)."""
    cue_list = {
        "anyOf": [
            {"$ref": "#/$defs/text"},
            {
                "type": "array",
                "items": {"$ref": "#/$defs/text"},
                "minItems": 1,
                "maxItems": v.CUES_PER_LIST_MAX,
            },
        ]
    }
    cues = {
        "type": "object",
        "description": "Per-phase cue lists; each cycles in order, one cue every rotate_every.",
        "properties": {
            **{phase.value: cue_list for phase in PHASES},
            "rotate_every": {"$ref": "#/$defs/duration"},
        },
        "additionalProperties": False,
    }
    posture_every = {
        "$ref": "#/$defs/duration",
        "description": f"Time between posture prompts; at least {v.POSTURE_EVERY_MIN}s.",
    }
    posture_cues = {**cue_list, "description": "Posture prompts, shown in turn."}
    segment_or_block = {"anyOf": [{"$ref": "#/$defs/segment"}, {"$ref": "#/$defs/block"}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "coach walking routine (format version 1)",
        "type": "object",
        "required": ["name", "segments"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1},
            "name": text_schema(v.NAME_MAX),
            "description": text_schema(v.DESCRIPTION_MAX, multiline=True),
            "tags": {"type": "array", "items": text_schema(v.TAG_MAX), "maxItems": v.TAGS_MAX},
            "cadence": {"$ref": "#/$defs/cadence"},
            "cues": {"$ref": "#/$defs/cues"},
            "posture": {
                "anyOf": [
                    {"const": False},
                    {
                        "type": "object",
                        "required": ["cues"],
                        "properties": {"every": posture_every, "cues": posture_cues},
                        "additionalProperties": False,
                    },
                ]
            },
            "segments": {"type": "array", "minItems": 1, "items": segment_or_block},
        },
        "$defs": {
            "text": text_schema(v.TEXT_MAX),
            "duration": {
                "description": "45s, 5m, 1m30s, 1h5m, 2:30 (m:ss), 1:02:30 or whole seconds; > 0.",
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": v.SEGMENT_MAX_SECONDS},
                    {"type": "string", "pattern": DURATION_PATTERN},
                ],
            },
            "cadence": {
                "type": "integer",
                "minimum": CADENCE_MIN,
                "maximum": CADENCE_MAX,
                "description": "Steps per minute; outside 60–140 is allowed with a warning.",
            },
            "cues": cues,
            "segment": {
                "type": "object",
                "required": ["name", "duration"],
                "additionalProperties": False,
                "properties": {
                    "name": text_schema(v.NAME_MAX),
                    "duration": {"$ref": "#/$defs/duration"},
                    "cadence": {"$ref": "#/$defs/cadence"},
                    "intensity": {"enum": [i.value for i in Intensity]},
                    "note": text_schema(v.TEXT_MAX, multiline=True),
                    "cues": {"$ref": "#/$defs/cues"},
                    "posture": {
                        "anyOf": [
                            {"const": False},
                            {
                                "type": "object",
                                "properties": {"every": posture_every, "cues": posture_cues},
                                "additionalProperties": False,
                            },
                        ]
                    },
                    "at": {"type": "array", "items": {"$ref": "#/$defs/announcement"}},
                },
            },
            "block": {
                "type": "object",
                "required": ["repeat", "segments"],
                "additionalProperties": False,
                "properties": {
                    "repeat": {
                        "type": "integer",
                        "minimum": v.REPEAT_MIN,
                        "maximum": v.REPEAT_MAX,
                    },
                    "segments": {"type": "array", "minItems": 1, "items": segment_or_block},
                },
            },
            "announcement": {
                "type": "object",
                "required": ["say"],
                "additionalProperties": False,
                "properties": {
                    "after": {"$ref": "#/$defs/duration"},
                    "before_end": {"$ref": "#/$defs/duration"},
                    "say": {"$ref": "#/$defs/text"},
                },
                "oneOf": [{"required": ["after"]}, {"required": ["before_end"]}],
            },
        },
    }


def schema_json() -> str:
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False)
