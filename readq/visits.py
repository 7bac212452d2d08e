"""When the app was last closed: what ``is:new`` counts from.

A small TinyDB database beside the library (``library.json.visits``, one
document in the table ``visits``), written as the app closes. Papers added
after that time are new (the inbox, and the marker in the list). A missing or
unreadable file means the app was never closed: every paper is new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import atomic_write

_TABLE: Final = "visits"


def path_for(library: Path) -> Path:
    return library.with_name(library.name + ".visits")


def last_closed(library: Path) -> str:
    """When the app was last closed (model.now_iso's form), or "" if never."""
    try:
        data: Any = orjson.loads(path_for(library).read_bytes())[_TABLE]["1"]["closed_at"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return ""
    return data if isinstance(data, str) else ""


def save_closed(library: Path, when: str) -> None:
    """Remember that the app closed at ``when``; OSError when the disk refuses."""
    document = {_TABLE: {"1": {"closed_at": when}}}
    atomic_write(path_for(library), orjson.dumps(document) + b"\n")
