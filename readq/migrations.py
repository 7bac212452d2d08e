"""Upgrades of library files written by older readq versions, one schema step at a time.

Each step takes the records of schema N and returns those of N+1. Readers
migrate in memory only; a writer backs the original file up first and then
saves the upgraded library (see LibraryStore.open).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

Records = dict[int, dict[str, Any]]
_DEFAULTS: Final = {"status": "unread", "priority": 0, "notes": "", "tags": []}


def _v1_to_v2(records: Records) -> Records:
    """Schema 2 records when each user field last changed (for merges across machines).

    A v1 library knows only when the paper as a whole last changed, so every
    field that differs from its default takes that time: a later merge then
    treats the user's existing triage as a real change, not as the default.
    """
    for record in records.values():
        when = record.get("updated_at") or record.get("added_at") or ""
        record.setdefault(
            "changed_at",
            {
                name: when
                for name, default in _DEFAULTS.items()
                if record.get(name, default) != default
            },
        )
    return records


def _v2_to_v3(records: Records) -> Records:
    """Schema 3 is a layout, not a record shape: the papers move from one library
    file into segments named by a manifest (segments.py). The records stay."""
    return records


STEPS: Final[dict[int, Callable[[Records], Records]]] = {1: _v1_to_v2, 2: _v2_to_v3}
CURRENT: Final = max(STEPS) + 1


def migrate(records: Records, version: int) -> Records:
    """Records of schema ``version`` brought up to ``CURRENT``."""
    while version < CURRENT:
        records = STEPS[version](records)
        version += 1
    return records
