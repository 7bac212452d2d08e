"""Durable whole-file writes: temporary file, fsync, rename, fsync the folder.

A reader (or a crash) sees either the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

TEMP_MARKER: Final = ".tmp-"
# What temp_name makes, and nothing else: cleaning up never touches a user's own files.
_TEMP_NAME: Final = re.compile(rf"\..+{re.escape(TEMP_MARKER)}(?P<pid>\d+)-[0-9a-f]+")


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TEMP_MARKER}{os.getpid()}-{os.urandom(4).hex()}")


def temp_writer(name: str) -> int | None:
    """The PID that made a temporary file called ``name`` with atomic_write (a crash
    may have left it), None for any other name."""
    match = _TEMP_NAME.fullmatch(name)
    return int(match["pid"]) if match else None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file."""
    atomic_write_chunks(path, [data])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes | memoryview]) -> None:
    """atomic_write of the chunks one after the other, as they are made.

    A large file written this way never sits in memory whole: at 100,000
    papers that spares a 200 MB buffer, and the time to fill fresh memory.
    A symbolic link is kept: the file it points to is the one replaced.
    """
    path = followed(path)
    temp = temp_name(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_folder(path.parent)


def followed(path: Path) -> Path:
    """The file a symbolic link points to (replacing the link itself would leave its
    target stale), else ``path``."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: the write fails on the link and says why
        return path


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temporary files a killed writer left beside ``path``; return them."""
    path = followed(path)  # a link's temporary files are made beside its target
    removed = []
    for stale in path.parent.glob(f".{path.name}{TEMP_MARKER}*"):
        if temp_writer(stale.name) is None:
            continue
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed
