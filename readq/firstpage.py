"""The first page of the default view, saved on quit so the next start shows it at once.

At 100,000 papers reading the whole library takes seconds; the first screen
needs a few dozen papers. The app saves them with a token made of the
library's and the journal's sizes and modification times, taken while it
still holds the lock. The next start uses the file only if the token still
matches, so a change by any other writer (an import, `readq mark`) makes it
fall back to loading everything first. It is a cache: losing it costs time,
never data. Like every file of the library it is a TinyDB database: one
document in the table ``firstpage``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import atomic_write
from readq.model import Paper

_TABLE: Final = "firstpage"
ROWS: Final = 200  # more than any terminal shows on one page


@dataclass(frozen=True, slots=True)
class FirstPage:
    papers: list[Paper]
    total: int
    unread: int


def cache_path(library: Path) -> Path:
    return library.with_name(library.name + ".firstpage")


def token(library: Path) -> list[int]:
    """Inode numbers, sizes and modification times of the library file and its journal
    (a file put back from elsewhere, times and all, is still a new inode)."""
    values = []
    # library.json is the manifest (segments.py): replaced on every write.
    for path in (library, library.with_name(library.name + ".journal")):
        try:
            info = path.stat()
        except FileNotFoundError:
            values += [-1, -1, -1]
        else:
            values += [info.st_ino, info.st_size, info.st_mtime_ns]
    return values


def save(library: Path, papers: Sequence[Paper], total: int, unread: int) -> None:
    rows = [{"id": p.id, **p.to_record()} for p in papers[:ROWS]]
    data = {"token": token(library), "total": total, "unread": unread, "rows": rows}
    atomic_write(cache_path(library), orjson.dumps({_TABLE: {"1": data}}))


def load(library: Path) -> FirstPage | None:
    """The saved first page, or None when it is missing, unreadable or out of date."""
    try:
        data: Any = orjson.loads(cache_path(library).read_bytes())[_TABLE]["1"]
        if data["token"] != token(library):
            return None
        papers = [Paper.from_record(int(r.pop("id")), r) for r in data["rows"]]
        return FirstPage(papers, int(data["total"]), int(data["unread"]))
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


def discard(library: Path) -> None:
    with contextlib.suppress(OSError):
        cache_path(library).unlink()
