"""What readq remembers of each feed between fetches: the validators for a
conditional GET, and when it was last fetched and with what result.

A small TinyDB database beside the library (``library.json.feeds``, one
document per feed in the table ``feeds``; sidefile.py), written after each fetch's papers
are in the library. Losing it costs one full download per feed, never a
paper: the next fetch finds the papers it already has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Final

from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "feeds"


@dataclass(frozen=True, slots=True)
class FeedState:
    name: str
    source: str = ""  # the url (or API and query) the validators are for
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None  # the last attempt, model.now_iso's form
    succeeded_at: str | None = None
    result: str = ""  # the line the last fetch printed, without the name


def path_for(library: Path) -> Path:
    return beside(library, "feeds")


def load(library: Path) -> dict[str, FeedState]:
    """Each feed's state by its name; a missing or unreadable file: none."""
    documents = read_table(path_for(library), _TABLE) or {}
    try:
        return {state.name: state for state in map(_state, documents.values())}
    except (TypeError, AttributeError, ValueError):
        return {}


_NAMES: Final = tuple(f.name for f in fields(FeedState))


def _state(document: Any) -> FeedState:
    values = {name: document.get(name) for name in _NAMES if name in document}
    if not all(v is None or isinstance(v, str) for v in values.values()):
        raise ValueError("a feed's state holds something other than text")
    return FeedState(**values)


def save(library: Path, states: Mapping[str, FeedState]) -> None:
    """Replace the file with ``states``; OSError when the disk refuses."""
    documents = {str(n): asdict(s) for n, s in enumerate(states.values(), start=1)}
    write_table(path_for(library), _TABLE, documents)
