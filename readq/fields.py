"""The field index: beside each segment, the few fields that filter and sort.

At 100,000 papers reading every paper costs seconds, most of it titles,
authors and abstracts that a filter never looks at. So each segment has a
companion, ``g3-000001.fields.json``, holding for each of its papers only the
status, priority, tags, category, dates, score and whether it is deleted, as
columns of one TinyDB document::

    {"fields": {"1": {"segment_bytes": 201303127, "ids": [1, 2, ...], "read": [0, 1, ...], ...}}}

About 6% of the segment's bytes, read in a few tens of milliseconds. Beside
it, ``g3-000001.search.json`` holds what a search's fielded terms ask about
(authors and organisations folded as searches compare them, categories, the
identifiers, whether there is a note or code, when it was read): read only by
a search (``readq list --search 'author:kurin is:unread'``), as SearchRows. A
``Row`` has the attributes of a Paper that query.py's filters and sorts use, so
``readq list --status read`` and the app's first page are chosen from rows and
only the papers shown are read (storage.LibraryStore.read_rows). The index is
a cache of what the segments say: a segment without one (written by an
earlier readq, or a file lost) makes its readers read the papers instead.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol, runtime_checkable

import orjson

from readq.atomicfile import atomic_write
from readq.model import Status, arxiv_base
from readq.querylang.folding import SEPARATOR, fold

SUFFIX: Final = ".fields.json"
SEARCH_SUFFIX: Final = ".search.json"
_TABLE: Final = "fields"
_SEARCH_TABLE: Final = "search"
_SEGMENT_BYTES: Final = "segment_bytes"
_COLUMNS: Final = ("read", "priority", "tags", "category", "published", "added_at", "score")
# The search file's columns: SearchRow's attributes, as Paper names them.
_SEARCH_COLUMNS: Final = (
    *("authors", "orgs", "categories", "has_note", "has_code", "doi", "arxiv_id", "read_at"),
    "feeds",
)
_SEARCH_COLUMN_AT: Final = {name: at for at, name in enumerate(_SEARCH_COLUMNS)}
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


@dataclass(slots=True)
class SearchRow(Row):
    """A Row with what a search's fielded terms ask about, under the names a Paper
    gives them (querylang.evaluate reads either; authors and orgs are folded).
    The values stay in the search file's columns until asked for: 100,000 rows
    are made in the time of 100,000 Rows."""

    columns: list[list[Any]] = field(default_factory=list, repr=False)
    at: int = 0
    changed: dict[str, Any] | None = field(default=None, repr=False)  # by the journal

    def _value(self, name: str) -> Any:
        if self.changed is not None and name in self.changed:
            return self.changed[name]
        return self.columns[_SEARCH_COLUMN_AT[name]][self.at]

    @property
    def authors(self) -> str:
        return str(self._value("authors"))

    @property
    def orgs(self) -> str:
        return str(self._value("orgs"))

    @property
    def categories(self) -> list[str]:
        categories: list[str] = self._value("categories")
        return categories

    @property
    def has_note(self) -> bool:
        return bool(self._value("has_note"))

    @property
    def has_code(self) -> bool:
        return bool(self._value("has_code"))

    @property
    def doi(self) -> str | None:
        value: str | None = self._value("doi")
        return value

    @property
    def arxiv_id(self) -> str | None:
        value: str | None = self._value("arxiv_id")
        return value

    @property
    def read_at(self) -> str | None:
        value: str | None = self._value("read_at")
        return value

    @property
    def feeds(self) -> list[str]:
        feeds: list[str] = self._value("feeds")
        return feeds

    def apply(self, values: Mapping[str, Any]) -> None:
        Row.apply(self, values)
        changed = {name: values[name] for name in ("read_at",) if name in values}
        if "notes" in values:
            changed["has_note"] = bool(str(values["notes"]).strip())
        if changed:
            self.changed = {**(self.changed or {}), **changed}


def name_for(segment: str) -> str:
    """``g3-000001.fields.json`` beside ``g3-000001.json``."""
    return segment.removesuffix(".json") + SUFFIX


def search_name_for(segment: str) -> str:
    """``g3-000001.search.json`` beside ``g3-000001.json``."""
    return segment.removesuffix(".json") + SEARCH_SUFFIX


def _search_file(index: Path) -> Path:
    """The search file beside the field index file ``index``."""
    return index.with_name(search_name_for(index.name.removesuffix(SUFFIX) + ".json"))


def _search_values(
    authors: list[str], orgs: list[str], notes: str, arxiv_id: str | None, doi: str | None
) -> tuple[str, str, bool, str | None]:
    return (
        fold(SEPARATOR.join(authors)),
        fold(SEPARATOR.join(orgs)),
        bool(notes.strip()),
        arxiv_base(arxiv_id, doi),
    )


class Columns:
    """The index of a segment being written: each record is added as it is written
    (snapshotfile.chunks' ``on_record``), then the columns saved (write_columns)."""

    def __init__(self) -> None:
        names = ("ids", *_COLUMNS, "deleted", *_SEARCH_COLUMNS)
        self.columns: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, paper_id: int, record: Mapping[str, Any]) -> None:
        columns = self.columns
        columns["ids"].append(paper_id)
        columns["read"].append(int(record.get("status") == Status.READ.value))
        for name in _COLUMNS[1:]:
            columns[name].append(record.get(name))
        columns["deleted"].append(int(record.get("deleted_at") is not None))
        authors, orgs, has_note, arxiv = _search_values(
            record.get("authors") or [],
            record.get("orgs") or [],
            record.get("notes") or "",
            record.get("arxiv_id"),
            record.get("doi"),
        )
        columns["authors"].append(authors)
        columns["orgs"].append(orgs)
        columns["categories"].append(record.get("categories") or [])
        columns["has_note"].append(int(has_note))
        columns["has_code"].append(int(bool(record.get("has_code"))))
        columns["doi"].append(record.get("doi"))
        columns["arxiv_id"].append(arxiv)
        columns["read_at"].append(record.get("read_at"))
        columns["feeds"].append(record.get("feeds") or [])


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
    values = [_search_values(p.authors, p.orgs, p.notes, p.arxiv_id, p.doi) for p in papers]
    columns["authors"] = [authors for authors, _, _, _ in values]
    columns["orgs"] = [orgs for _, orgs, _, _ in values]
    columns["categories"] = [paper.categories for paper in papers]
    columns["has_note"] = [int(has_note) for _, _, has_note, _ in values]
    columns["has_code"] = [int(paper.has_code) for paper in papers]
    columns["doi"] = [paper.doi for paper in papers]
    columns["arxiv_id"] = [arxiv for _, _, _, arxiv in values]
    columns["read_at"] = [paper.read_at for paper in papers]
    columns["feeds"] = [paper.feeds for paper in papers]
    return columns


def search_rows(papers: Collection[Any]) -> list[SearchRow]:
    """The SearchRows the index would give for ``papers`` (for tests and tools)."""
    columns = columns_of(papers)
    search = [columns[name] for name in _SEARCH_COLUMNS]
    return [
        SearchRow(
            p.id,
            p.status,
            p.priority,
            p.tags,
            p.category,
            p.published,
            p.added_at,
            p.score,
            p.deleted_at is not None,
            search,
            number,
        )
        for number, p in enumerate(papers)
    ]


def is_of(path: Path, segment_bytes: int) -> bool:
    """Whether ``path`` and its search file are the index of a segment of
    ``segment_bytes`` (as read() would find them, checked from their first bytes)."""
    return _starts(path, _TABLE, segment_bytes) and _starts(
        _search_file(path), _SEARCH_TABLE, segment_bytes
    )


def _starts(path: Path, table: str, segment_bytes: int) -> bool:
    start = orjson.dumps({table: {"1": {_SEGMENT_BYTES: segment_bytes}}})[:-3] + b","
    try:
        with path.open("rb") as file:
            return file.read(len(start)) == start
    except OSError:
        return False


def write_columns(path: Path, columns: dict[str, list[Any]], segment_bytes: int) -> None:
    """Durably, read-only (like the segment), with the size of the segment it is of:
    the field index at ``path``, the search columns in the search file beside it."""
    search = {name: columns[name] for name in _SEARCH_COLUMNS}
    rest = {name: values for name, values in columns.items() if name not in search}
    for target, table, part in ((path, _TABLE, rest), (_search_file(path), _SEARCH_TABLE, search)):
        document = {_SEGMENT_BYTES: segment_bytes, **part}
        atomic_write(target, orjson.dumps({table: {"1": document}}) + b"\n")
        with contextlib.suppress(OSError):
            target.chmod(_READ_ONLY)


def read(path: Path, segment_bytes: int, *, search: bool = False) -> dict[int, Row] | None:
    """The rows of one index file (with ``search``, SearchRows, the search file read
    too); None when a file is missing, not what readq writes, or of another
    segment than the one of ``segment_bytes`` beside it (a readq from before the
    index reused the segment's name): the papers are read instead."""
    try:
        (columns,) = orjson.loads(path.read_bytes())[_TABLE].values()
        if columns[_SEGMENT_BYTES] != segment_bytes:
            return None
        ids, read_flags, deleted = columns["ids"], columns["read"], columns["deleted"]
        others = [columns[name] for name in _COLUMNS[1:]]
        if not _valid(ids, columns):
            return None
        search_columns = _read_search(path, segment_bytes, len(ids)) if search else None
        if search and search_columns is None:
            return None
        rows: dict[int, Row] = {}
        for number, (paper_id, is_read, is_deleted, *values) in enumerate(
            zip(ids, read_flags, deleted, *others, strict=True)
        ):
            status = Status.READ if is_read else Status.UNREAD
            if search_columns is None:
                row = Row(paper_id, status, *values)
            else:  # Row's fields, deleted (set below), then where its search values are
                row = SearchRow(paper_id, status, *values, False, search_columns, number)  # type: ignore[call-arg]
            row.deleted = bool(is_deleted)
            rows[paper_id] = row
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return rows


def _read_search(path: Path, segment_bytes: int, count: int) -> list[list[Any]] | None:
    """The search file's columns, in _SEARCH_COLUMNS' order; None when it is not
    what readq writes. Checked a column at a time, at C speed where it can be
    (str.join refuses anything but text)."""
    (columns,) = orjson.loads(_search_file(path).read_bytes())[_SEARCH_TABLE].values()
    if columns[_SEGMENT_BYTES] != segment_bytes:
        return None
    values = [columns[name] for name in _SEARCH_COLUMNS]
    if any(not isinstance(column, list) or len(column) != count for column in values):
        return None
    "".join(columns["authors"])
    "".join(columns["orgs"])
    for name in ("doi", "arxiv_id", "read_at"):
        "".join([value for value in columns[name] if value is not None])
    for name in ("categories", "feeds"):
        listed = columns[name]
        if not all(type(names) is list for names in listed):
            return None
        "".join(itertools.chain.from_iterable(listed))
    if set(map(type, itertools.chain(columns["has_note"], columns["has_code"]))) - {int}:
        return None
    return values


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
