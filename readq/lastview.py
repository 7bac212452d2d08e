"""The saved view the app showed last, so that the next start opens on it.

A small TinyDB database beside the library (``library.json.view``, one
document in the table ``view``; sidefile.py), written when the view changes.
A preference, not data: a missing or unreadable file means no view.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Final

from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "view"


def path_for(library: Path) -> Path:
    return beside(library, "view")


def load(library: Path) -> str | None:
    document = (read_table(path_for(library), _TABLE) or {}).get("1")
    name = document.get("name") if isinstance(document, dict) else None
    return name if isinstance(name, str) else None


def save(library: Path, name: str | None) -> None:
    """Remember ``name`` (None: no view); OSError when the disk refuses."""
    if name is None:
        with contextlib.suppress(FileNotFoundError):
            path_for(library).unlink()
        return
    write_table(path_for(library), _TABLE, {"1": {"name": name}})
