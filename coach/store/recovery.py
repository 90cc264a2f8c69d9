"""The recovery file: walks and check-ins coach could not save, kept until the next start.

`coach.db.pending.jsonl` beside the database, 0600, one JSON object a line: a walk
(`"type": "walk"`) or a check-in (`"type": "checkin"`) with everything needed to insert
or update it. Each carries its recovery key, so merging a line twice saves it once; a
check-in finds its walk by the walk's key. The next coach command that opens the store
merges the file (`merge_recovery_file`) and removes it once the merge is saved; a line
that cannot be read is reported and left in the file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.core.records import CheckinKind, KeptCheckin, KeptWalk, WalkProgress
from coach.store import codec
from coach.store.connection import StoreError

if TYPE_CHECKING:
    from coach.store.database import Store

SUFFIX = ".pending.jsonl"


def recovery_path(database: Path) -> Path:
    """Where the recovery file of the database at `database` lives."""
    return database.with_name(database.name + SUFFIX)


# -- lines ----------------------------------------------------------------------------


def walk_line(walk: KeptWalk) -> dict[str, Any]:
    return {
        "type": "walk",
        "key": walk.key,
        "routine_id": walk.routine_id,
        "routine_name": walk.routine_name,
        "routine_path": walk.routine_path,
        "routine_text": walk.routine_text,
        "planned_seconds": walk.planned_seconds,
        "started_at": walk.started_at,
        "updated_at": walk.updated_at,
        "ended_at": walk.ended_at,
        "status": walk.status.value,
        "progress": asdict(walk.progress),
        "utc_offset": walk.utc_offset,
    }


def checkin_line(checkin: KeptCheckin) -> dict[str, Any]:
    return {
        "type": "checkin",
        "key": checkin.key,
        "kind": checkin.kind.value,
        "created_at": checkin.created_at,
        "walk_key": checkin.walk_key,
        "walk_id": checkin.walk_id,
        "answers": dict(
            zip(codec.ANSWER_COLUMNS, codec.answer_values(checkin.answers), strict=True)
        ),
    }


def read_line(text: str) -> KeptWalk | KeptCheckin:
    """One line of the file as a record, or ValueError saying what is wrong with it."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    try:
        if value.get("type") == "walk":
            return _walk(value)
        if value.get("type") == "checkin":
            return _checkin(value)
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]} is missing") from None
    raise ValueError(f"type {value.get('type')!r} is neither walk nor checkin")


def _key(value: object) -> str:
    if isinstance(value, str) and 0 < len(value) <= 100:
        return value
    raise ValueError(f"key {value!r} is not a recovery key")


def _walk(line: dict[str, Any]) -> KeptWalk:
    progress = line["progress"]
    if not isinstance(progress, dict):
        raise ValueError("progress is not an object")
    known = {f.name for f in fields(WalkProgress)}
    values = {k: v for k, v in progress.items() if k in known}
    values["walked"] = codec.seconds(progress.get("walked"), "walked")
    values["paused"] = codec.seconds(progress.get("paused"), "paused")
    values["segments_done"] = codec.whole(progress.get("segments_done"), "segments_done")
    for split in ("moderate_seconds", "easy_seconds"):
        if split in values:
            values[split] = codec.optional_seconds(values[split], split)
    try:
        kept = WalkProgress(**values)
    except TypeError:
        raise ValueError(f"progress {progress!r} is incomplete") from None
    return KeptWalk(
        key=_key(line["key"]),
        routine_id=codec.text(line["routine_id"], "routine_id"),
        routine_name=codec.text(line["routine_name"], "routine_name"),
        routine_path=codec.text(line["routine_path"], "routine_path"),
        routine_text=codec.text(line["routine_text"], "routine_text"),
        planned_seconds=codec.whole(line["planned_seconds"], "planned_seconds"),
        started_at=codec.instant(line["started_at"], "started_at"),
        updated_at=codec.instant(line["updated_at"], "updated_at"),
        ended_at=None if line["ended_at"] is None else codec.instant(line["ended_at"], "ended_at"),
        status=codec.status(line["status"]),
        progress=kept,
        utc_offset=codec.utc_offset(line.get("utc_offset")),
    )


def _checkin(line: dict[str, Any]) -> KeptCheckin:
    answers = line["answers"]
    if not isinstance(answers, dict):
        raise ValueError("answers is not an object")
    try:
        kind = CheckinKind(line["kind"])
    except ValueError:
        raise ValueError(f"kind {line['kind']!r} is unknown") from None
    walk_key, walk_id = line.get("walk_key"), line.get("walk_id")
    return KeptCheckin(
        key=_key(line["key"]),
        kind=kind,
        created_at=codec.instant(line["created_at"], "created_at"),
        answers=codec.answers(tuple(answers.get(c) for c in codec.ANSWER_COLUMNS)),
        walk_key=None if walk_key is None else _key(walk_key),
        walk_id=None if walk_id is None else codec.identifier(walk_id, "walk_id"),
    )


# -- the file -------------------------------------------------------------------------


def _lock(fd: int) -> None:
    """Wait for the file's lock (other coach processes hold it only while they write)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the recovery key keeps merges safe
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


@contextlib.contextmanager
def _locked(path: Path, flags: int) -> Iterator[int | None]:
    """The file at `path`, opened with `flags` and locked against other coach processes.

    Yields its descriptor, or None if there is no file (unless `flags` creates it). If
    another process replaced or removed the file while this one waited for the lock,
    the file now at `path` is opened instead.
    """
    while True:
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:
            yield None
            return
        try:
            _lock(fd)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                yield fd
                return
        finally:
            os.close(fd)  # closing releases the lock


def keep_in_recovery_file(
    database: Path, walks: list[KeptWalk], checkins: list[KeptCheckin]
) -> Path:
    """Append the records to the recovery file (created 0600); OSError if it can't be."""
    path = recovery_path(database)
    lines = [walk_line(w) for w in walks] + [checkin_line(c) for c in checkins]
    # ASCII only: text that was not valid Unicode (a file name's stray bytes) survives.
    data = "".join(json.dumps(line, ensure_ascii=True) + "\n" for line in lines).encode()
    with _locked(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND) as fd:
        assert fd is not None  # O_CREAT
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    return path


@dataclass(frozen=True)
class MergeReport:
    """What merging the recovery file did, as lines for the person."""

    file: Path
    walks: int = 0
    checkins: int = 0
    damaged: tuple[str, ...] = ()
    error: str | None = None

    def lines(self) -> list[str]:
        out = [f"{self.file.name}:{problem}" for problem in self.damaged]
        if self.error is not None:
            out.append(f"could not merge {self.file} yet ({self.error}); it is kept for next time")
        elif self.walks or self.checkins:
            counted = [
                _count(n, word)
                for n, word in ((self.walks, "walk"), (self.checkins, "check-in"))
                if n
            ]
            out.append(f"recovered {' and '.join(counted)} from {self.file.name}")
        return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def merge_recovery_file(store: Store) -> MergeReport | None:
    """Merge the recovery file beside the store's database into it; None if there is none.

    The file is removed once its records are saved; lines that cannot be read are
    named in the report and stay in the file. If the database cannot be written, the
    file is left as it was for the next start.
    """
    path = recovery_path(store.path)
    try:
        with _locked(path, os.O_RDWR) as fd:
            if fd is None:
                return None
            with os.fdopen(os.dup(fd), "rb") as handle:
                raw = handle.read()
            walks: list[KeptWalk] = []
            checkins: list[KeptCheckin] = []
            damaged: list[str] = []
            kept_lines: list[bytes] = []
            for number, line in enumerate(raw.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    record = read_line(line.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    damaged.append(f"{number}: this line cannot be read ({exc}); it is kept")
                    kept_lines.append(line)
                    continue
                if isinstance(record, KeptWalk):
                    walks.append(record)
                else:
                    checkins.append(record)
            try:
                added_walks, added_checkins = store.merge_kept(walks, checkins)
            except StoreError as exc:
                return MergeReport(path, damaged=tuple(damaged), error=str(exc))
            if kept_lines:
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                data = b"".join(line + b"\n" for line in kept_lines)
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
            else:
                path.unlink()
            return MergeReport(path, added_walks, added_checkins, tuple(damaged))
    except OSError as exc:
        return MergeReport(path, error=exc.strerror or str(exc))
