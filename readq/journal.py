"""The write-ahead journal: one appended line per user action.

A keystroke (mark read, set priority, save a note) appends one JSON line and
fsyncs it: constant cost whatever the size of the library, where rewriting the
library file would cost hundreds of milliseconds at 100,000 papers. The
journal is folded into the library file on import and when it grows long.

Each line is ``{"seq": N, "ops": [[paper_id, {field: value, ...}], ...]}`` with
absolute values, so replaying a line twice is harmless. A line cut short by a
crash or a full disk does not parse and is ignored: that action was in flight.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

Ops = list[tuple[int, dict[str, Any]]]


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> Iterator[tuple[int, Ops]]:
        """(seq, ops) for every complete line, in order."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in data.split(b"\n")[:-1]:  # the part after the last newline is torn
            try:
                record = orjson.loads(line)
                seq, ops = int(record["seq"]), [(int(i), dict(v)) for i, v in record["ops"]]
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
            yield seq, ops

    def append(self, seq: int, ops: Ops) -> None:
        """Durably add one record; on failure the file is as it was before."""
        line = orjson.dumps({"seq": seq, "ops": ops}) + b"\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
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
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(self.path, os.O_WRONLY)
            try:
                os.ftruncate(fd, 0)
                os.fsync(fd)
            finally:
                os.close(fd)

    def repair(self) -> None:
        """Cut a torn last line left by a crash, so the next record starts clean."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        keep = data.rfind(b"\n") + 1
        if keep < len(data):
            fd = os.open(self.path, os.O_WRONLY)
            try:
                os.ftruncate(fd, keep)
                os.fsync(fd)
            finally:
                os.close(fd)
