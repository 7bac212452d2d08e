"""Paths as people type them: ``~/x.bib``, ``~ada/papers.txt``."""

from __future__ import annotations

from pathlib import Path

from readq.errors import ReadqError
from readq.sanitize import clean_line


def typed_path(text: str) -> Path:
    """``text`` as a path with ``~`` expanded; ReadqError when ``~name`` names nobody."""
    try:
        return Path(text).expanduser()
    except RuntimeError:  # pathlib's word for "no such user"
        raise ReadqError(f"{clean_line(text)}: no such user's home folder.") from None
