"""The small TinyDB databases readq keeps beside a library (``library.json.view``,
``.visits``, ``.feeds``): one table of documents each, replaced whole and
atomically. They hold preferences and caches, never papers: a missing or
unreadable file reads as None, and the caller goes on without it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from readq.atomicfile import atomic_write


def beside(library: Path, suffix: str) -> Path:
    """``library.json.SUFFIX`` beside the library file."""
    return library.with_name(f"{library.name}.{suffix}")


def read_table(path: Path, table: str) -> dict[str, Any] | None:
    """The documents of ``table`` by their ids; None when the file is missing or
    is not such a database."""
    try:
        documents = orjson.loads(path.read_bytes())[table]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return None
    return documents if isinstance(documents, dict) else None


def write_table(path: Path, table: str, documents: Mapping[str, Any]) -> None:
    """Replace the file with ``table`` holding ``documents``; OSError when the disk
    refuses."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, orjson.dumps({table: dict(documents)}) + b"\n")
