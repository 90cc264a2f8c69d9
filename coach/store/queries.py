"""The one filter of the history: a time range and a routine, as SQL for walks and check-ins."""

from __future__ import annotations

from dataclasses import dataclass

# A walk's latest before (b) and after (a) check-ins, for queries over `walks w`.
LATEST_CHECKINS = (
    "LEFT JOIN checkins b ON b.id = (SELECT max(id) FROM checkins "
    "WHERE walk_id = w.id AND kind = 'before') "
    "LEFT JOIN checkins a ON a.id = (SELECT max(id) FROM checkins "
    "WHERE walk_id = w.id AND kind = 'after')"
)


@dataclass(frozen=True)
class EntryFilter:
    """Entries started in [since, until) (UTC ISO 8601 instants), of one routine or all.

    A routine filter keeps only that routine's walks: lone check-ins have no routine.
    """

    since: str | None = None
    until: str | None = None
    routine_id: str | None = None

    def walks(self, table: str = "w") -> tuple[str, tuple[str, ...]]:
        """A WHERE clause (empty if nothing is filtered) over walks named `table`."""
        prefix = f"{table}." if table else ""
        return _where(
            (f"{prefix}started_at >= ?", self.since),
            (f"{prefix}started_at < ?", self.until),
            (f"{prefix}routine_id = ?", self.routine_id),
        )

    def lone_checkins(self) -> tuple[str, tuple[str, ...]] | None:
        """A WHERE clause over lone check-ins, or None when none can match."""
        if self.routine_id:
            return None
        clause, params = _where(
            ("created_at >= ?", self.since),
            ("created_at < ?", self.until),
        )
        condition = "kind = 'alone'"
        clause = f"{clause} AND {condition}" if clause else f"WHERE {condition}"
        return clause, params


def _where(*conditions: tuple[str, str | None]) -> tuple[str, tuple[str, ...]]:
    chosen = [(sql, value) for sql, value in conditions if value]
    if not chosen:
        return "", ()
    return "WHERE " + " AND ".join(sql for sql, _ in chosen), tuple(v for _, v in chosen)
