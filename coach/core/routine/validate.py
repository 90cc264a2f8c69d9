"""Validation: a YAML node tree becomes a Routine, with every error and warning located.

Each check reports at the offending value (or at the mapping that lacks a required key)
and carries on, so one run lists every mistake in the file.
"""

from __future__ import annotations

import difflib

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.core.routine.diagnostics import DiagnosticList
from coach.core.routine.durations import DURATION_FORMS, format_duration, parse_duration
from coach.core.routine.model import (
    CADENCE_MAX,
    CADENCE_MIN,
    CADENCE_USUAL_MAX,
    CADENCE_USUAL_MIN,
    DEFAULT_POSTURE_EVERY,
    PHASES,
    Announcement,
    CueSet,
    Intensity,
    Posture,
    PostureOverride,
    RepeatBlock,
    Routine,
    Segment,
    StridePhase,
)

# Limits of format version 1 (README documents each; the JSON Schema mirrors them).
NAME_MAX = 80
TEXT_MAX = 200
DESCRIPTION_MAX = 2000
TAG_MAX = 40
TAGS_MAX = 20
CUES_PER_LIST_MAX = 50
REPEAT_MIN, REPEAT_MAX = 1, 50
REPEAT_DEPTH_MAX = 3
SEGMENT_MAX_SECONDS = 4 * 3600
ROUTINE_MAX_SECONDS = 6 * 3600
POSTURE_EVERY_MIN = 15

ROUTINE_KEYS = ("version", "name", "description", "tags", "cadence", "cues", "posture", "segments")
SEGMENT_KEYS = ("name", "duration", "cadence", "intensity", "note", "cues", "posture", "at")
BLOCK_KEYS = ("repeat", "segments")
CUE_KEYS = (*(phase.value for phase in PHASES), "rotate_every")
POSTURE_KEYS = ("every", "cues")
AT_KEYS = ("after", "before_end", "say")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_PLAIN_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, "tag:yaml.org,2002:timestamp"}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def join(path: str, key: str | int) -> str:
    """Extend a key path: `segments` + 2 -> `segments[2]`; `segments[2]` + `name` -> `...name`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _where(node: Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def describe_node(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    kind = {
        _STR: "text",
        _INT: "a number",
        _FLOAT: "a decimal number",
        _BOOL: "true/false",
        _NULL: "nothing",
    }.get(node.tag, "a value")
    return kind if node.tag == _NULL else f"{kind} `{clip(node.value)}`"


def clip(text: str, width: int = 30) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _duration_word(seconds: int) -> str:
    return format_duration(seconds)


def _a(noun: str) -> str:
    """The noun with its indefinite article: `a segment`, `an announcement`."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _shown_tag(tag: str) -> str:
    """A tag as the file spells it: `tag:yaml.org,2002:python/object` -> `!!python/object`."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


class NodeValidator:
    def __init__(self, diagnostics: DiagnosticList) -> None:
        self.d = diagnostics
        self.has_routine_cadence = False

    # -- reporting -------------------------------------------------------------

    def error(self, node: Node, path: str, message: str) -> None:
        self.d.error(*_where(node), path, message)

    def warning(self, node: Node, path: str, message: str) -> None:
        self.d.warning(*_where(node), path, message)

    # -- structure -------------------------------------------------------------

    def tag_ok(self, node: Node, path: str) -> bool:
        """Refuse explicit tags such as `!!python/object`: nothing but plain data is allowed."""
        allowed = _COLLECTION_TAGS if not isinstance(node, ScalarNode) else _PLAIN_TAGS
        if node.tag in allowed:
            return True
        self.error(
            node,
            path,
            f"the tag `{clip(_shown_tag(node.tag), 60)}` is not allowed; write plain values",
        )
        return False

    def mapping(
        self,
        node: Node,
        path: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
        what: str = "mapping",
        suggest: tuple[str, ...] = (),
    ) -> dict[str, tuple[Node, Node]] | None:
        """Check a mapping's keys; return key -> (key node, value node) for the known ones.

        `suggest` names keys that are wrong here but worth a "did you mean" (a segment's
        `repeats:` is probably a repeat block's `repeat:`).
        """
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, MappingNode):
            self.error(
                node, path, f"expected {_a(what)} as `key: value` pairs, got {describe_node(node)}"
            )
            return None
        found: dict[str, tuple[Node, Node]] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
                self.error(key_node, path, "keys must be plain words such as `name`")
                continue
            key = key_node.value
            # The key goes into the headline: keep it short and free of control characters.
            key_path = join(path, clip(key))
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.error(key_node, key_path, f"duplicate key (first given on line {line})")
                continue
            first_seen[key] = key_node
            if key not in allowed:
                self.error(key_node, key_path, self._unknown_key(key, allowed, what, suggest))
                continue
            found[key] = (key_node, value_node)
        for key in required:
            if key not in found and key not in first_seen:
                self.error(node, join(path, key), f"missing required key `{key}`")
        return found

    @staticmethod
    def _unknown_key(
        key: str, allowed: tuple[str, ...], what: str, suggest: tuple[str, ...]
    ) -> str:
        shown = clip(key)
        candidates = [k for k in (*allowed, *suggest) if k != key]
        close = difflib.get_close_matches(key.lower(), candidates, n=1, cutoff=0.6)
        if close:
            return f"unknown key `{shown}`; did you mean `{close[0]}`?"
        return f"unknown key `{shown}` in {_a(what)}; expected one of: {', '.join(allowed)}"

    def sequence(self, node: Node, path: str, what: str) -> list[Node] | None:
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, SequenceNode):
            self.error(node, path, f"expected a list of {what}, got {describe_node(node)}")
            return None
        return list(node.value)

    # -- scalars ---------------------------------------------------------------

    def text(
        self, node: Node, path: str, limit: int = TEXT_MAX, multiline: bool = False
    ) -> str | None:
        """Plain text of 1..limit characters; YAML numbers and booleans count as their text."""
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, ScalarNode) or node.tag == _NULL:
            self.error(node, path, f"expected text, got {describe_node(node)}")
            return None
        value: str = node.value.strip()
        if not value:
            self.error(node, path, "text is empty")
            return None
        bad = next(
            (
                ch
                for ch in value
                if (ord(ch) < 0x20 and not (multiline and ch in "\n\t")) or 0x7F <= ord(ch) < 0xA0
            ),
            None,
        )
        if bad is not None:
            if bad == "\n":
                self.error(node, path, "must be a single line")
            else:
                self.error(node, path, f"contains the control character U+{ord(bad):04X}")
            return None
        if len(value) > limit:
            self.error(node, path, f"is {len(value)} characters long; at most {limit}")
            return None
        return value

    def integer(self, node: Node, path: str, low: int, high: int, what: str) -> int | None:
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, ScalarNode) or node.tag != _INT:
            self.error(node, path, f"{what} must be a whole number, got {describe_node(node)}")
            return None
        value = yaml_int(node.value)
        if value is None or not low <= value <= high:
            self.error(node, path, f"{what} must be from {low} to {high}, got {clip(node.value)}")
            return None
        return value

    def duration(self, node: Node, path: str, limit: int, what: str = "duration") -> int | None:
        """Seconds from any duration form; > 0 and at most `limit`."""
        if not self.tag_ok(node, path):
            return None
        if not isinstance(node, ScalarNode) or node.tag not in (_INT, _STR):
            self.error(
                node,
                path,
                f"expected {_a(what)} such as {DURATION_FORMS}, got {describe_node(node)}",
            )
            return None
        try:
            seconds = parse_duration(node.value)
        except ValueError:
            if not node.value.strip():
                self.error(node, path, f"{what} is empty; use {DURATION_FORMS}")
                return None
            if node.value.isascii() and node.value.removeprefix("-").isdigit():
                # Whole seconds, but negative or too many digits to be worth reading.
                message = (
                    f"{what} must be greater than 0"
                    if node.value.startswith("-")
                    else f"{what} of `{clip(node.value)}` seconds is too long; "
                    f"at most {_duration_word(limit)}"
                )
                self.error(node, path, message)
                return None
            self.error(node, path, f"`{clip(node.value)}` is not {_a(what)}; use {DURATION_FORMS}")
            return None
        if seconds <= 0:
            self.error(node, path, f"{what} must be greater than 0")
            return None
        if seconds > limit:
            self.error(
                node,
                path,
                f"{what} of {_duration_word(seconds)} is too long; at most {_duration_word(limit)}",
            )
            return None
        return seconds

    def cadence(self, node: Node, path: str) -> int | None:
        value = self.integer(node, path, CADENCE_MIN, CADENCE_MAX, "cadence (steps per minute)")
        if value is not None and not CADENCE_USUAL_MIN <= value <= CADENCE_USUAL_MAX:
            kind = "a shuffle" if value < CADENCE_USUAL_MIN else "a jog"
            self.warning(
                node,
                path,
                f"cadence {value} is outside the usual walking range "
                f"{CADENCE_USUAL_MIN}–{CADENCE_USUAL_MAX}: that is {kind}",
            )
        return value

    def text_list(self, node: Node, path: str, what: str) -> tuple[str, ...] | None:
        """A list of cue texts; a single text counts as a list of one."""
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            value = self.text(node, path)
            return (value,) if value is not None else None
        items = self.sequence(node, path, what)
        if items is None:
            return None
        if not items:
            self.error(node, path, f"needs at least one {what.rstrip('s')}")
            return None
        if len(items) > CUES_PER_LIST_MAX:
            self.error(node, path, f"has {len(items)} items; at most {CUES_PER_LIST_MAX}")
            return None
        values = [self.text(item, join(path, i)) for i, item in enumerate(items)]
        if any(v is None for v in values):
            return None
        return tuple(v for v in values if v is not None)

    # -- routine parts ---------------------------------------------------------

    def cue_set(self, node: Node, path: str) -> CueSet:
        keys = self.mapping(node, path, CUE_KEYS, what="cues mapping")
        if keys is None:
            return CueSet()
        lists: dict[StridePhase, tuple[str, ...]] = {}
        for phase in PHASES:
            if phase.value in keys:
                value = self.text_list(keys[phase.value][1], join(path, phase.value), "cues")
                if value is not None:
                    lists[phase] = value
        rotate_every = None
        if "rotate_every" in keys:
            rotate_every = self.duration(
                keys["rotate_every"][1], join(path, "rotate_every"), SEGMENT_MAX_SECONDS
            )
        return CueSet(lists=lists, rotate_every=rotate_every)

    def posture_every(self, node: Node, path: str) -> int | None:
        every = self.duration(node, path, SEGMENT_MAX_SECONDS)
        if every is not None and every < POSTURE_EVERY_MIN:
            self.error(
                node, path, f"posture prompts need at least {POSTURE_EVERY_MIN}s between them"
            )
            return None
        return every

    def posture_fields(self, node: Node, path: str) -> tuple[int | None, tuple[str, ...] | None]:
        keys = self.mapping(node, path, POSTURE_KEYS, what="posture mapping")
        if keys is None:
            return None, None
        every = None
        if "every" in keys:
            every = self.posture_every(keys["every"][1], join(path, "every"))
        cues = None
        if "cues" in keys:
            cues = self.text_list(keys["cues"][1], join(path, "cues"), "posture cues")
        return every, cues

    def routine_posture(self, node: Node, path: str) -> Posture | None:
        if _is_false(node):
            return None
        if not isinstance(node, MappingNode):
            self.error(
                node,
                path,
                f"expected a mapping with `every` and `cues`, or false, got {describe_node(node)}",
            )
            return None
        every, cues = self.posture_fields(node, path)
        if cues is None:
            if not any(_key_is(k, "cues") for k, _ in node.value):
                self.error(node, join(path, "cues"), "missing required key `cues`")
            return None
        return Posture(every=every or DEFAULT_POSTURE_EVERY, cues=cues)

    def segment_posture(
        self, node: Node, path: str, routine_posture_given: bool
    ) -> PostureOverride | bool | None:
        if _is_false(node):
            return False
        if not isinstance(node, MappingNode):
            self.error(
                node,
                path,
                f"expected false (prompts off here) or a mapping with `every` and `cues`, "
                f"got {describe_node(node)}",
            )
            return None
        every, cues = self.posture_fields(node, path)
        has_cues_key = any(_key_is(k, "cues") for k, _ in node.value)
        if not routine_posture_given and not has_cues_key:
            self.error(
                node,
                join(path, "cues"),
                "missing `cues`: the routine has no posture prompts to take them from",
            )
            return None
        return PostureOverride(every=every, cues=cues)

    def announcements(
        self, node: Node, path: str, duration: int | None
    ) -> tuple[Announcement, ...]:
        items = self.sequence(node, path, "announcements (`after:`/`before_end:` with `say:`)")
        if items is None:
            return ()
        result = []
        for index, item in enumerate(items):
            item_path = join(path, index)
            keys = self.mapping(item, item_path, AT_KEYS, required=("say",), what="announcement")
            if keys is None:
                continue
            say = self.text(keys["say"][1], join(item_path, "say")) if "say" in keys else None
            given = [k for k in ("after", "before_end") if k in keys]
            if len(given) != 1:
                self.error(
                    item,
                    item_path,
                    "give exactly one of `after` or `before_end`" + (", not both" if given else ""),
                )
                continue
            key = given[0]
            offset = self.duration(
                keys[key][1], join(item_path, key), SEGMENT_MAX_SECONDS, "offset"
            )
            if offset is None or say is None:
                continue
            if duration is not None and offset >= duration:
                self.error(
                    keys[key][1],
                    join(item_path, key),
                    f"{_duration_word(offset)} does not fall inside the segment, "
                    f"which lasts {_duration_word(duration)}",
                )
                continue
            result.append(Announcement(say=say, **{key: offset}))
        return tuple(result)

    def segment(self, node: Node, path: str, routine_posture_given: bool) -> Segment | None:
        keys = self.mapping(
            node,
            path,
            SEGMENT_KEYS,
            required=("name", "duration"),
            what="segment",
            suggest=BLOCK_KEYS,
        )
        if keys is None:
            return None
        name = self.text(keys["name"][1], join(path, "name"), NAME_MAX) if "name" in keys else None
        duration = (
            self.duration(keys["duration"][1], join(path, "duration"), SEGMENT_MAX_SECONDS)
            if "duration" in keys
            else None
        )
        cadence = None
        if "cadence" in keys:
            cadence = self.cadence(keys["cadence"][1], join(path, "cadence"))
        elif not self.has_routine_cadence:
            self.error(
                node,
                join(path, "cadence"),
                "no cadence: give this segment or the routine a `cadence`",
            )
        intensity = Intensity.MODERATE
        if "intensity" in keys:
            intensity = self.intensity(keys["intensity"][1], join(path, "intensity")) or intensity
        note = None
        if "note" in keys:
            note = self.text(keys["note"][1], join(path, "note"), TEXT_MAX, multiline=True)
        cues = self.cue_set(keys["cues"][1], join(path, "cues")) if "cues" in keys else CueSet()
        posture: PostureOverride | bool | None = None
        if "posture" in keys:
            posture = self.segment_posture(
                keys["posture"][1], join(path, "posture"), routine_posture_given
            )
        at: tuple[Announcement, ...] = ()
        if "at" in keys:
            at = self.announcements(keys["at"][1], join(path, "at"), duration)
        if name is None or duration is None:
            return None
        return Segment(
            name=name,
            duration=duration,
            cadence=cadence,
            intensity=intensity,
            note=note,
            cues=cues,
            posture=posture,
            at=at,
        )

    def intensity(self, node: Node, path: str) -> Intensity | None:
        choices = tuple(i.value for i in Intensity)
        if not self.tag_ok(node, path):
            return None
        if isinstance(node, ScalarNode) and node.tag == _STR and node.value in choices:
            return Intensity(node.value)
        hint = ""
        if isinstance(node, ScalarNode):
            close = difflib.get_close_matches(node.value.lower(), choices, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else ""
        self.error(
            node,
            path,
            f"intensity must be one of {', '.join(choices)}, got {describe_node(node)}{hint}",
        )
        return None

    def segment_list(
        self, node: Node, path: str, depth: int, routine_posture_given: bool
    ) -> tuple[Segment | RepeatBlock, ...] | None:
        items = self.sequence(node, path, "segments")
        if items is None:
            return None
        if not items:
            self.error(node, path, "needs at least one segment")
            return None
        result: list[Segment | RepeatBlock] = []
        ok = True
        for index, item in enumerate(items):
            item_path = join(path, index)
            if isinstance(item, MappingNode) and any(_key_is(k, "repeat") for k, _ in item.value):
                part: Segment | RepeatBlock | None = self.block(
                    item, item_path, depth + 1, routine_posture_given
                )
            else:
                part = self.segment(item, item_path, routine_posture_given)
            if part is None:
                ok = False
            else:
                result.append(part)
        return tuple(result) if ok else None

    def block(
        self, node: MappingNode, path: str, depth: int, routine_posture_given: bool
    ) -> RepeatBlock | None:
        keys = self.mapping(node, path, BLOCK_KEYS, required=("segments",), what="repeat block")
        if keys is None:
            return None
        repeat_node = keys["repeat"][1] if "repeat" in keys else node
        times = None
        if "repeat" in keys:
            times = self.integer(
                repeat_node, join(path, "repeat"), REPEAT_MIN, REPEAT_MAX, "repeat"
            )
        if depth > REPEAT_DEPTH_MAX:
            self.error(
                repeat_node,
                join(path, "repeat"),
                f"repeat blocks nest at most {REPEAT_DEPTH_MAX} deep",
            )
            return None
        segments = None
        if "segments" in keys:
            segments = self.segment_list(
                keys["segments"][1], join(path, "segments"), depth, routine_posture_given
            )
        if times is None or segments is None:
            return None
        return RepeatBlock(times=times, segments=segments)

    def routine(self, node: Node, routine_id: str) -> Routine | None:
        keys = self.mapping(node, "", ROUTINE_KEYS, required=("name", "segments"), what="routine")
        if keys is None:
            return None
        if "version" in keys:
            version_node = keys["version"][1]
            if (
                not isinstance(version_node, ScalarNode)
                or version_node.tag != _INT
                or yaml_int(version_node.value) != 1
            ):
                self.error(version_node, "version", "only version 1 of the routine format exists")
        name = self.text(keys["name"][1], "name", NAME_MAX) if "name" in keys else None
        description = None
        if "description" in keys:
            description = self.text(
                keys["description"][1], "description", DESCRIPTION_MAX, multiline=True
            )
        tags: tuple[str, ...] = ()
        if "tags" in keys:
            tags = self.tags(keys["tags"][1], "tags")
        cadence = None
        if "cadence" in keys:
            self.has_routine_cadence = True
            cadence = self.cadence(keys["cadence"][1], "cadence")
        cues = self.cue_set(keys["cues"][1], "cues") if "cues" in keys else CueSet()
        posture = None
        posture_given = False
        if "posture" in keys:
            posture = self.routine_posture(keys["posture"][1], "posture")
            posture_given = posture is not None or isinstance(keys["posture"][1], MappingNode)
        segments = None
        if "segments" in keys:
            segments = self.segment_list(keys["segments"][1], "segments", 0, posture_given)
        if segments is not None:
            total = total_seconds(segments)
            if total > ROUTINE_MAX_SECONDS:
                self.error(
                    keys["segments"][1],
                    "segments",
                    f"the routine lasts {_duration_word(total)}; at most "
                    f"{_duration_word(ROUTINE_MAX_SECONDS)}",
                )
                return None
        if name is None or segments is None or self.d.has_errors:
            return None
        return Routine(
            id=routine_id,
            name=name,
            segments=segments,
            cadence=cadence,
            description=description,
            tags=tags,
            cues=cues,
            posture=posture,
        )

    def tags(self, node: Node, path: str) -> tuple[str, ...]:
        items = self.sequence(node, path, "tags")
        if items is None:
            return ()
        if len(items) > TAGS_MAX:
            self.error(node, path, f"has {len(items)} tags; at most {TAGS_MAX}")
            return ()
        values = (self.text(item, join(path, i), TAG_MAX) for i, item in enumerate(items))
        return tuple(v for v in values if v is not None)


def total_seconds(parts: tuple[Segment | RepeatBlock, ...]) -> int:
    """Length of segments as written, repeats multiplied out (without expanding them)."""
    return sum(
        part.duration if isinstance(part, Segment) else part.times * total_seconds(part.segments)
        for part in parts
    )


def yaml_int(raw: str) -> int | None:
    """The value of a YAML 1.1 int scalar, or None if it isn't one or is absurdly long."""
    text = raw.replace("_", "")
    if len(text) > 30:
        return None
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if ":" in text:
            value = 0
            for part in text.split(":"):
                value = value * 60 + int(part)
            return sign * value
        if text.startswith("0") and len(text) > 1:
            return sign * int(text, 8)
        return sign * int(text)
    except ValueError:
        return None


def _is_false(node: Node) -> bool:
    return (
        isinstance(node, ScalarNode)
        and node.tag == _BOOL
        and node.value.lower()
        in (
            "false",
            "no",
            "off",
            "n",
        )
    )


def _key_is(node: Node, key: str) -> bool:
    return isinstance(node, ScalarNode) and node.value == key


def validate(node: Node, routine_id: str, diagnostics: DiagnosticList) -> Routine | None:
    """Check a composed YAML document; return the Routine when it has no errors."""
    return NodeValidator(diagnostics).routine(node, routine_id)
