"""One writer per library: an advisory lock on a file beside it.

The lock is on ``<library>.lock``, not on the library itself, because every
write replaces the library file (a new inode) and a lock on the old one would
protect nothing. The kernel drops the lock when its holder dies, even by
SIGKILL, so a stale lock file never blocks the next start.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from readq.errors import LibraryLocked
from readq.nofollow import open_file

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    def __init__(self, library: Path) -> None:
        self.library = library
        self.path = library.with_name(library.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = open_file(self.path, os.O_RDWR | os.O_CREAT, "lock file")
        try:
            _lock_fd(fd)
        except OSError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LibraryLocked(
                f"the library {self.library} is in use by another readq "
                f"(PID {holder}); close it first, or use read-only commands such as `readq list`."
            ) from None
        self._fd = fd
        _write_holder(fd)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _write_holder(fd: int) -> None:
    """Our PID in the lock file, for a refused writer to name. Only a courtesy: on a
    full disk the lock is held all the same, and the library can still be read."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())


def _lock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
