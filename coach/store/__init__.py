"""SQLite: connection and file safety, migrations, queries and the row codec.

The records it reads and writes live in `coach.core.records`; this package only stores
them.
"""

from coach.store.codec import DamagedRow
from coach.store.connection import BUSY_TIMEOUT_MS, StoreError
from coach.store.database import (
    HEARTBEAT_SECONDS,
    STALE_AFTER,
    History,
    PlanActive,
    Store,
    local_offset,
    routine_hash,
    utc_now,
)
from coach.store.migrations import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_MS",
    "HEARTBEAT_SECONDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STALE_AFTER",
    "DamagedRow",
    "History",
    "PlanActive",
    "Store",
    "StoreError",
    "local_offset",
    "routine_hash",
    "utc_now",
]
