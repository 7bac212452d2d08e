"""Backups of the library, kept in rotation in a folder beside it.

A backup is a complete library file (journal folded in) named by the UTC time
it was taken and why: ``library.json.backups/20261129T093000123456Z-before-import.json``.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from readq.atomicfile import temp_writer
from readq.errors import ReadqError
from readq.paths import typed_path

DEFAULT_KEEP: Final = 10
DAILY: Final = timedelta(days=1)
_NAME: Final = re.compile(r"(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.json")
_STAMP: Final = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str

    def describe(self) -> str:
        size = self.path.stat().st_size
        when = self.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{self.path.name}  {when}  {self.reason}  {size / 1024:.0f} KiB"


def folder(library: Path) -> Path:
    return library.with_name(library.name + ".backups")


def new_path(library: Path, reason: str) -> Path:
    target = folder(library)
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{datetime.now(UTC).strftime(_STAMP)}-{reason}.json"


def existing(library: Path) -> list[Backup]:
    """Every backup, newest first. Other files in the folder are no backups: they are
    never rotated out, and ``strays`` names them."""
    backups = []
    for path in _entries(library):
        backup = _as_backup(path)
        if backup is not None:
            backups.append(backup)
    return sorted(backups, key=lambda b: b.taken_at, reverse=True)


def strays(library: Path) -> list[Path]:
    """Files in the backups folder that are neither a backup nor a write in progress
    (put there by hand, say): readq leaves them alone."""
    return sorted(
        path
        for path in _entries(library)
        if _as_backup(path) is None and temp_writer(path.name) is None
    )


def _entries(library: Path) -> list[Path]:
    try:
        return list(folder(library).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _as_backup(path: Path) -> Backup | None:
    """The backup ``path`` is, None when its name does not say when it was taken."""
    match = _NAME.fullmatch(path.name)
    if match is None or not path.is_file():
        return None
    try:
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    except ValueError:  # digits that are no date: 99999999T...
        return None
    return Backup(path, taken, match["reason"])


def due(library: Path) -> bool:
    """True when the newest backup is more than a day old (or there is none)."""
    backups = existing(library)
    return not backups or datetime.now(UTC) - backups[0].taken_at > DAILY


def prune(library: Path, keep: int) -> None:
    """Keep the newest ``keep`` backups; drop older ones and stale temporary files."""
    for old in existing(library)[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
    remove_stale_temps(library, keep_own=True)


def remove_stale_temps(library: Path, *, keep_own: bool = False) -> None:
    """Delete the temporary files of backups a killed writer left. Only the lock's
    holder writes backups, so no other process's is in progress; ``keep_own`` spares
    this process's, which another thread (the app's daily backup) may be writing."""
    for path in _entries(library):
        writer = temp_writer(path.name)
        if writer is not None and not (keep_own and writer == os.getpid()):
            with contextlib.suppress(OSError):
                path.unlink()


def find(library: Path, name: str | None) -> Path:
    """The backup called ``name`` (a file name or path), or the newest when None."""
    backups = existing(library)
    if name is None:
        if not backups:
            raise ReadqError(f"there are no backups of {library} yet.")
        return backups[0].path
    given = typed_path(name)
    if given.is_file():
        return given
    for backup in backups:
        if backup.path.name == name:
            return backup.path
    raise ReadqError(f"no backup called {name!r}; `readq restore --list` shows them.")
