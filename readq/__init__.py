"""readq: triage research papers from the keyboard.

For scripts, the library in three steps: open it, query or change it, close it::

    import readq

    with readq.open_library() as library:  # read-only: no lock, never writes
        for paper in readq.select(library, readq.View(status="unread", search="mamba")):
            print(paper.id, paper.title)

    with readq.open_library(writable=True) as library:  # the one writer, as the app is
        library.set_status([12], readq.Status.READ)  # on disk before it returns

Everything else is imported only when it is first used, so that ``import
readq`` (which the command line does first) stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Library", "Paper", "Status", "View", "open_library", "select"]

if TYPE_CHECKING:
    from readq.library import Library
    from readq.model import Paper, Status
    from readq.query import View, select

_LAZY = {
    "Library": "readq.library",
    "Paper": "readq.model",
    "Status": "readq.model",
    "View": "readq.query",
    "select": "readq.query",
}


def open_library(
    path: str | os.PathLike[str] | None = None,
    *,
    writable: bool = False,
    only: Collection[int] | None = None,
) -> Library:
    """The library at ``path`` (default: the one ``readq path`` names, or ``READQ_DB``).

    Read-only by default: a reader takes no lock and sees the library as of the
    last change written, the journal's changes included. ``writable=True`` takes
    the writer lock (ReadqError if the app or another writer holds it) and makes
    the day's backup as every writer does; each change is durable when its
    method returns. ``only=[ids]`` reads just those papers, at a cost that
    follows them rather than the library (no import or restore then). Use it
    as a context manager, or call ``close()``.
    """
    from readq.config import library_path
    from readq.library import Library

    location = library_path(os.fspath(path) if path is not None else None)
    return Library.open(location, writable=writable, only=only)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'readq' has no attribute {name!r}")
