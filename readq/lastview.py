"""The saved view the app showed last, so that the next start opens on it.

A small TinyDB database beside the library (``library.json.view``, one
document in the table ``view``), written when the view changes. A preference,
not data: a missing or unreadable file means no view.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import atomic_write

_TABLE: Final = "view"


def path_for(library: Path) -> Path:
    return library.with_name(library.name + ".view")


def load(library: Path) -> str | None:
    try:
        data: Any = orjson.loads(path_for(library).read_bytes())[_TABLE]["1"]["name"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return None
    return data if isinstance(data, str) else None


def save(library: Path, name: str | None) -> None:
    """Remember ``name`` (None: no view); OSError when the disk refuses."""
    if name is None:
        with contextlib.suppress(FileNotFoundError):
            path_for(library).unlink()
        return
    atomic_write(path_for(library), orjson.dumps({_TABLE: {"1": {"name": name}}}) + b"\n")
