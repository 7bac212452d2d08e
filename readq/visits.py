"""When the app was last closed: what ``is:new`` counts from.

A small TinyDB database beside the library (``library.json.visits``, one
document in the table ``visits``; sidefile.py), written as the app closes.
Papers added after that time are new (the inbox, and the marker in the list).
A missing or unreadable file means the app was never closed: every paper is new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "visits"


def path_for(library: Path) -> Path:
    return beside(library, "visits")


def last_closed(library: Path) -> str:
    """When the app was last closed (model.now_iso's form), or "" if never."""
    document = (read_table(path_for(library), _TABLE) or {}).get("1")
    when = document.get("closed_at") if isinstance(document, dict) else None
    return when if isinstance(when, str) else ""


def save_closed(library: Path, when: str) -> None:
    """Remember that the app closed at ``when``; OSError when the disk refuses."""
    write_table(path_for(library), _TABLE, {"1": {"closed_at": when}})
