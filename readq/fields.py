"""The field index: beside each segment, the few fields that filter and sort.

At 100,000 papers reading every paper costs seconds, most of it titles,
authors and abstracts that a filter never looks at. So each segment has a
companion, ``g3-000001.fields.json``, holding for each of its papers only the
status, priority, tags, category, dates, score and whether it is deleted, as
columns of one TinyDB document::

    {"fields": {"1": {"segment_bytes": 201303127, "ids": [1, 2, ...], "read": [0, 1, ...], ...}}}

About 6% of the segment's bytes, read in a few tens of milliseconds. A
``Row`` has the attributes of a Paper that query.py's filters and sorts use, so
``readq list --status read`` and the app's first page are chosen from rows and
only the papers shown are read (storage.LibraryStore.read_rows). The index is
a cache of what the segments say: a segment without one (written by an
earlier readq, or a file lost) makes its readers read the papers instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol, runtime_checkable

import orjson

from readq.atomicfile import atomic_write
from readq.model import Status

SUFFIX: Final = ".fields.json"
_TABLE: Final = "fields"
_SEGMENT_BYTES: Final = "segment_bytes"
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
    (snapshotfile.chunks' ``on_record``), then the columns saved (write_columns)."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in ("ids", *_COLUMNS, "deleted")}

    def add(self, paper_id: int, record: Mapping[str, Any]) -> None:
        columns = self.columns
        columns["ids"].append(paper_id)
        columns["read"].append(int(record.get("status") == Status.READ.value))
        for name in _COLUMNS[1:]:
            columns[name].append(record.get(name))
        columns["deleted"].append(int(record.get("deleted_at") is not None))


@runtime_checkable
class MakesColumns(Protocol):
    """A source of records that makes its field index itself, from the objects the
    records are made of: an import of 100,000 papers writes it in 20 ms, not the
    150 ms that Columns takes a record at a time."""

    def field_columns(self) -> dict[str, list[Any]]: ...


def columns_of(papers: Collection[Any]) -> dict[str, list[Any]]:
    """The columns of objects with a Paper's attributes (status, priority, ...)."""
    columns: dict[str, list[Any]] = {"ids": [paper.id for paper in papers]}
    columns["read"] = [int(paper.status is Status.READ) for paper in papers]
    for name in _COLUMNS[1:]:  # named as the Paper's attributes and the records' keys
        columns[name] = [getattr(paper, name) for paper in papers]
    columns["deleted"] = [int(paper.deleted_at is not None) for paper in papers]
    return columns


def is_of(path: Path, segment_bytes: int) -> bool:
    """Whether ``path`` is the index of a segment of ``segment_bytes`` (as read()
    would find it, checked from its first bytes alone)."""
    start = orjson.dumps({_TABLE: {"1": {_SEGMENT_BYTES: segment_bytes}}})[:-3] + b","
    try:
        with path.open("rb") as file:
            return file.read(len(start)) == start
    except OSError:
        return False


def write_columns(path: Path, columns: dict[str, list[Any]], segment_bytes: int) -> None:
    """Durably, read-only (like the segment), with the size of the segment it is of."""
    document = {_SEGMENT_BYTES: segment_bytes, **columns}
    atomic_write(path, orjson.dumps({_TABLE: {"1": document}}) + b"\n")
    with contextlib.suppress(OSError):
        path.chmod(_READ_ONLY)


def read(path: Path, segment_bytes: int) -> dict[int, Row] | None:
    """The rows of one index file; None when it is missing, not what readq writes,
    or of another segment than the one of ``segment_bytes`` beside it (a readq
    from before the index reused the segment's name): the papers are read instead."""
    try:
        (columns,) = orjson.loads(path.read_bytes())[_TABLE].values()
        if columns[_SEGMENT_BYTES] != segment_bytes:
            return None
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
