"""The write-ahead journal: one line per user action, in a file TinyDB opens.

A keystroke (mark read, set priority, save a note) adds one JSON line and
fsyncs it: constant cost whatever the size of the library, where rewriting the
library file would cost hundreds of milliseconds at 100,000 papers. The
journal is folded into the library's segments on import and when it grows long.

The file is a TinyDB database (one document per action, its id the action's
sequence number) laid out a line per action::

    {"_default":{
    "7":{"seq":7,"ops":[[12,{"status":"read", ...}]]}
    ,"8":{"seq":8,"ops":[[3,{"priority":2, ...}]]}
    }}

so an action is added by writing its line over the closing ``}}`` and the
closing again after it: earlier lines are never touched, and between actions
``TinyDB(path, access_mode="r")`` reads the whole journal. Each action holds
absolute values, so replaying one twice is harmless. A last line cut short by
a crash or a full disk is ignored: that action was in flight (and TinyDB
cannot read the file until the next writer mends it). Anything else that is
no action (a flipped byte in a line, a file of zeros after a crash of the
machine) is damage: it may be an action the user was told was saved, so it is
reported (``Contents.problem``), never dropped in silence.

Journals of readq 0.x before this layout hold bare ``{"seq": N, ...}`` lines;
they are read as they are and rewritten in this layout by the next writer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import atomic_write
from readq.nofollow import open_file, read_file

Ops = list[tuple[int, dict[str, Any]]]
# One line of the journal: (seq, ops), or None for a line that is no action.
Entry = tuple[int, Ops] | None
_WHAT: Final = "journal"
HEADER: Final = b'{"_default":{\n'
FOOTER: Final = b"}}\n"
_OLD_RECORD_START: Final = b'{"seq":'


@dataclass(slots=True)
class Contents:
    """The journal as read once: its bytes, its lines, and what is wrong with them."""

    data: bytes = b""
    entries: list[Entry] = field(default_factory=list)
    problem: str | None = None  # one line saying what is damaged; None when nothing is
    complete: bool = True  # False: the last action was cut short (or the layout is old)

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
        record = orjson.dumps({"seq": seq, "ops": ops})
        fd = open_file(self.path, os.O_RDWR | os.O_CREAT, _WHAT)
        try:
            at = _end_of_actions(fd)
            start = HEADER if at == 0 else b"," if at > len(HEADER) else b""
            data = b'%s"%d":%s\n%s' % (start, seq, record, FOOTER)
            try:
                _write_at(fd, data, at)
                os.fsync(fd)
            except BaseException:
                # Back to what it was: the lines before, then the footer.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, at)
                    if at > len(HEADER):
                        _write_at(fd, FOOTER, at)
                raise
        finally:
            os.close(fd)

    def clear(self) -> None:
        self._cut(0)

    def repair(self) -> None:
        """Write the journal anew, its readable actions in this layout, unless it is
        whole already: a torn last line left by a crash goes, so the next record
        starts clean, and a journal of the old layout takes this one.

        Only call it once any damage (Contents.problem) has been kept elsewhere:
        a damaged line goes the same way."""
        try:
            data = read_file(self.path, _WHAT)
        except FileNotFoundError:
            return
        contents = _parse(data)
        if contents.complete:
            return
        records = list(contents.records())
        atomic_write(self.path, _document(records) if records else b"")

    def _cut(self, size: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            fd = open_file(self.path, os.O_WRONLY, _WHAT)
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            finally:
                os.close(fd)


def _end_of_actions(fd: int) -> int:
    """Where the next action's line goes: over the footer, or after the last whole
    line when the footer is missing (a write that failed and could not be undone)."""
    size = os.fstat(fd).st_size
    if size <= len(HEADER):
        return 0
    if os.pread(fd, len(FOOTER), size - len(FOOTER)) == FOOTER:
        return size - len(FOOTER)
    data = os.pread(fd, size, 0)
    return max(data.rfind(b"\n") + 1, len(HEADER))


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _document(records: list[tuple[int, Ops]]) -> bytes:
    lines = [
        b'%s"%d":%s' % (b"," if number else b"", seq, orjson.dumps({"seq": seq, "ops": ops}))
        for number, (seq, ops) in enumerate(records)
    ]
    return HEADER + b"\n".join(lines) + b"\n" + FOOTER


def _parse(data: bytes) -> Contents:
    """Line by line, whatever the first line says: a damaged line (the opening one
    included) is one unreadable action, never the loss of those after it."""
    if HEADER.startswith(data):  # nothing, or the first action's write cut short
        return Contents(data, [], None, complete=not data)
    *lines, tail = data.split(b"\n")
    opened = bool(lines) and lines[0] == HEADER[:-1]
    closed = bool(lines) and lines[-1] == FOOTER[:-1] and not tail
    body = lines[int(opened) : len(lines) - int(closed)]
    entries = [_entry(line) for line in body]
    if tail and not _is_torn_record(tail):
        entries.append(None)  # damage, not an action in flight: a lost line like the others
    # Anything but this layout, whole (an old one, a torn last line, damage) is
    # written anew by the next writer (Journal.repair).
    complete = opened and closed and all(line.startswith((b'"', b',"')) for line in body)
    return Contents(data, entries, _describe(data, entries), complete=complete)


def _entry(line: bytes) -> Entry:
    """One line's action: ``"N":{...}`` (after a comma but the first), or a bare
    ``{"seq": N, ...}`` of the old layout; None for anything else."""
    try:
        if line.startswith(_OLD_RECORD_START):
            record = orjson.loads(line)
        else:
            (key, record), *more = orjson.loads(b"{" + line.removeprefix(b",") + b"}").items()
            if more or int(key) != int(record["seq"]):
                return None
        return int(record["seq"]), [(int(i), dict(v)) for i, v in record["ops"]]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _is_torn_record(tail: bytes) -> bool:
    """True for what a write cut short leaves: the start of a record (or of the
    footer, or nothing). Zeros are what a machine's crash leaves where written
    data never reached the disk."""
    if b"\0" in tail:
        return False
    old_layout = _OLD_RECORD_START.startswith(tail[: len(_OLD_RECORD_START)])
    return old_layout or tail[:2] in (b"", b",", b',"', b"}", b"}}") or tail.startswith(b'"')


def _describe(data: bytes, entries: list[Entry]) -> str | None:
    """What is wrong, in a few words; None when every line is an action."""
    bad = [number for number, entry in enumerate(entries, 1) if entry is None]
    if not bad:
        return None
    if not data.strip(b"\0"):
        return f"it holds nothing but zeros ({len(data)} bytes)"
    if len(bad) == 1:
        return f"action {bad[0]} of the journal is unreadable"
    return f"{len(bad)} of its actions, from action {bad[0]}, are unreadable"
