"""The write-ahead journal: one appended line per user action.

A keystroke (mark read, set priority, save a note) appends one JSON line and
fsyncs it: constant cost whatever the size of the library, where rewriting the
library file would cost hundreds of milliseconds at 100,000 papers. The
journal is folded into the library file on import and when it grows long.

Each line is ``{"seq": N, "ops": [[paper_id, {field: value, ...}], ...]}`` with
absolute values, so replaying a line twice is harmless. A last line cut short
by a crash or a full disk is ignored: that action was in flight. Anything else
that is no action (a flipped byte in a line, a file of zeros after a crash of
the machine) is damage: it may be an action the user was told was saved, so it
is reported (``Contents.problem``), never dropped in silence.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq.nofollow import open_file, read_file

Ops = list[tuple[int, dict[str, Any]]]
# One line of the journal: (seq, ops), or None for a line that is no action.
Entry = tuple[int, Ops] | None
_WHAT: Final = "journal"
_RECORD_START: Final = b'{"seq":'


@dataclass(slots=True)
class Contents:
    """The journal as read once: its bytes, its lines, and what is wrong with them."""

    data: bytes = b""
    entries: list[Entry] = field(default_factory=list)
    problem: str | None = None  # one line saying what is damaged; None when nothing is

    def records(self) -> Iterator[tuple[int, Ops]]:
        return (entry for entry in self.entries if entry is not None)


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> Contents:
        """Every line, in order; a missing journal is an empty one."""
        try:
            data = read_file(self.path, _WHAT)
        except FileNotFoundError:
            return Contents()
        return _parse(data)

    def records(self) -> Iterator[tuple[int, Ops]]:
        """(seq, ops) for every readable line, in order."""
        return self.read().records()

    def append(self, seq: int, ops: Ops) -> None:
        """Durably add one record; on failure the file is as it was before."""
        line = orjson.dumps({"seq": seq, "ops": ops}) + b"\n"
        fd = open_file(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, _WHAT)
        try:
            size = os.fstat(fd).st_size
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except BaseException:
                # Leave no half line for the next record to be glued onto.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)

    def clear(self) -> None:
        self._cut(0)

    def repair(self) -> None:
        """Cut a torn last line left by a crash, so the next record starts clean.

        Only call it once any damage (Contents.problem) has been kept elsewhere:
        a damaged tail is cut the same way."""
        try:
            data = read_file(self.path, _WHAT)
        except FileNotFoundError:
            return
        keep = data.rfind(b"\n") + 1
        if keep < len(data):
            self._cut(keep)

    def _cut(self, size: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            fd = open_file(self.path, os.O_WRONLY, _WHAT)
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            finally:
                os.close(fd)


def _parse(data: bytes) -> Contents:
    *lines, tail = data.split(b"\n")
    entries = [_entry(line) for line in lines]
    if not _is_torn_record(tail):
        entries.append(None)  # damage, not an action in flight: a lost line like the others
    return Contents(data, entries, _describe(data, entries))


def _entry(line: bytes) -> Entry:
    try:
        record = orjson.loads(line)
        return int(record["seq"]), [(int(i), dict(v)) for i, v in record["ops"]]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def _is_torn_record(tail: bytes) -> bool:
    """True for what a write cut short leaves: the start of a record (or nothing).
    Zeros are what a machine's crash leaves where written data never reached the disk."""
    start = tail[: len(_RECORD_START)]
    return b"\0" not in tail and _RECORD_START.startswith(start)


def _describe(data: bytes, entries: list[Entry]) -> str | None:
    """What is wrong, in a few words; None when every line is an action."""
    bad = [number for number, entry in enumerate(entries, 1) if entry is None]
    if not bad:
        return None
    if not data.strip(b"\0"):
        return f"it holds nothing but zeros ({len(data)} bytes)"
    if len(bad) == 1:
        return f"line {bad[0]} is no readable action"
    return f"{len(bad)} lines, from line {bad[0]}, are no readable action"
