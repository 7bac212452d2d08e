"""Importers: one module per format, and ``read_file`` to pick and run one."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from readq.errors import NotText, ReadqError
from readq.importers import listing
from readq.importers.base import ParseResult, Problem
from readq.importers.text import MAX_INPUT_BYTES, decode_input

__all__ = ["FORMATS", "ParseResult", "Problem", "detect", "parse", "read_source"]

FORMATS = ("listing",)


def read_source(source: str) -> tuple[str, str]:
    """(display name, text) of a file path or ``-`` for standard input."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
    else:
        path = Path(source).expanduser()
        name = str(path)
        try:
            if path.is_dir():
                raise NotText(f"{name} is a folder, not a file.")
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise ReadqError(f"{name} does not exist.") from None
        except PermissionError:
            raise ReadqError(f"{name} cannot be read (permission denied).") from None
        except OSError as error:
            raise ReadqError(f"{name} cannot be read: {error.strerror}.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise NotText(
            f"{name} is larger than {MAX_INPUT_BYTES // 2**20} MiB; nothing was imported."
        )
    return name, decode_input(data, name)


def detect(text: str, name: str) -> str:
    """The format of ``text``, judged by its content."""
    if listing.looks_like_listing(text):
        return "listing"
    raise ReadqError(
        f"{name} is not in a format readq knows: expected a paper listing "
        "(a header such as `CLMar 3, 2025Code`, then the title and authors, then the abstract)."
    )


def parse(text: str, fmt: str, *, as_of: date) -> ParseResult:
    if fmt == "listing":
        return listing.parse(text, as_of=as_of)
    raise ReadqError(f"unknown format {fmt!r}; readq reads: {', '.join(FORMATS)}.")
