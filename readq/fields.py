"""The field index: beside each segment, the few fields that filter and sort.

At 100,000 papers reading every paper costs seconds, most of it titles,
authors and abstracts that a filter never looks at. So each segment has a
companion, ``g3-000001.fields.json``, holding for each of its papers only the
status, priority, tags, category, dates, score and whether it is deleted, as
columns of one TinyDB document::

    {"fields": {"1": {"ids": [1, 2, ...], "read": [0, 1, ...], "priority": [...], ...}}}

About 6% of the segment's bytes, read in a few tens of milliseconds. A
``Row`` has the attributes of a Paper that query.py's filters and sorts use, so
``readq list --status read`` and the app's first page are chosen from rows and
only the papers shown are read (storage.LibraryStore.read_rows). The index is
a cache of what the segments say: a segment without one (written by an
earlier readq, or a file lost) makes its readers read the papers instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import atomic_write
from readq.model import Status

SUFFIX: Final = ".fields.json"
_TABLE: Final = "fields"
_COLUMNS: Final = ("read", "priority", "tags", "category", "published", "added_at", "score")
_READ_ONLY: Final = 0o444


@dataclass(slots=True)
class Row:
    """One paper as the field index has it: what a filter or a sort needs."""

    id: int
    status: Status
    priority: int
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    published: str | None = None
    added_at: str = ""
    score: float | None = None
    deleted: bool = False

    def apply(self, values: Mapping[str, Any]) -> None:
        """A journal action's values (absolute, as Library._write_ops makes them)."""
        if "status" in values:
            self.status = Status(values["status"])
        if "priority" in values:
            self.priority = int(values["priority"])
        if "tags" in values:
            self.tags = list(values["tags"])
        if "deleted_at" in values:
            self.deleted = values["deleted_at"] is not None


def name_for(segment: str) -> str:
    """``g3-000001.fields.json`` beside ``g3-000001.json``."""
    return segment.removesuffix(".json") + SUFFIX


class Columns:
    """The index of a segment being written: each record is added as it is written
    (snapshotfile.chunks' ``on_record``), then the columns are saved."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in ("ids", *_COLUMNS, "deleted")}

    def add(self, paper_id: int, record: Mapping[str, Any]) -> None:
        columns = self.columns
        columns["ids"].append(paper_id)
        columns["read"].append(int(record.get("status") == Status.READ.value))
        for name in _COLUMNS[1:]:
            columns[name].append(record.get(name))
        columns["deleted"].append(int(record.get("deleted_at") is not None))

    def write(self, path: Path) -> None:
        """Durably, read-only (like the segment)."""
        atomic_write(path, orjson.dumps({_TABLE: {"1": self.columns}}) + b"\n")
        with contextlib.suppress(OSError):
            path.chmod(_READ_ONLY)


def read(path: Path) -> dict[int, Row] | None:
    """The rows of one index file; None when it is missing or not what readq
    writes (the segment's papers are read instead)."""
    try:
        (columns,) = orjson.loads(path.read_bytes())[_TABLE].values()
        ids, read_flags, deleted = columns["ids"], columns["read"], columns["deleted"]
        others = [columns[name] for name in _COLUMNS[1:]]
        if not _valid(ids, columns):
            return None
        rows = {}
        for paper_id, is_read, is_deleted, priority, tags, category, published, added, score in zip(
            ids, read_flags, deleted, *others, strict=True
        ):
            status = Status.READ if is_read else Status.UNREAD
            row = Row(paper_id, status, priority, tags, category, published, added, score)
            row.deleted = bool(is_deleted)
            rows[paper_id] = row
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return rows


def _valid(ids: list[Any], columns: dict[str, list[Any]]) -> bool:
    """Columns of equal length holding the types query.py's filters and sorts rely
    on (a bad value would raise there), checked a column at a time."""
    if not all(isinstance(columns[name], list) for name in ("ids", "read", "deleted", *_COLUMNS)):
        return False
    if any(len(columns[name]) != len(ids) for name in ("read", "deleted", *_COLUMNS)):
        return False
    integers = (*ids, *columns["priority"], *columns["read"], *columns["deleted"])
    return (
        all(type(value) is int for value in integers)
        and all(isinstance(tags, list) for tags in columns["tags"])
        and all(type(tag) is str for tags in columns["tags"] for tag in tags)
        and all(type(v) is str or v is None for v in (*columns["category"], *columns["published"]))
        and all(type(value) is str for value in columns["added_at"])
        and all(value is None or type(value) in (int, float) for value in columns["score"])
    )
