"""Backups of the library, kept in rotation in a folder beside it.

A backup is named by the UTC time it was taken and why. It is a folder that
holds the library as it was on disk, ``library.json.backups/20261129T093000123456Z-
before-import/library.json`` (with its manifest, segments and journal): the base
and the segments are hard links, since readq never changes them in place, so ten
backups of a library that gained a few papers a day take little more than the
library itself. A library with nothing on disk yet, and readq before segments,
back up to one complete file instead (``...Z-before-import.json``); both kinds
are listed, restored and rotated alike.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from readq.atomicfile import atomic_write, fsync_folder, temp_name, temp_writer
from readq.errors import ReadqError
from readq.paths import typed_path

DEFAULT_KEEP: Final = 10
DAILY: Final = timedelta(days=1)
_NAME: Final = re.compile(r"(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)(?P<file>\.json)?")
_STAMP: Final = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path  # the library file to open: the backup itself, or the one in its folder
    taken_at: datetime
    reason: str
    folder: Path | None = None  # a backup made of links (see the module notes)

    @property
    def name(self) -> str:
        return (self.folder or self.path).name

    def describe(self) -> str:
        when = self.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        size = f"{self.own_bytes() / 1024:.0f} KiB"
        # A backup of links shares the library's segments: only its own bytes count.
        return f"{self.name}  {when}  {self.reason}  {size}{' of its own' if self.folder else ''}"

    def own_bytes(self) -> int:
        """The bytes only this backup holds: files it shares by hard link are not counted."""
        if self.folder is None:
            return self.path.stat().st_size
        return sum(
            info.st_size
            for path in self.folder.rglob("*")
            if path.is_file() and (info := path.stat()).st_nlink == 1
        )

    def remove(self) -> None:
        if self.folder is None:
            self.path.unlink(missing_ok=True)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def folder(library: Path) -> Path:
    return library.with_name(library.name + ".backups")


def new_path(library: Path, reason: str) -> Path:
    """Where a backup that is one complete library file goes."""
    return new_folder(library, reason).with_suffix(".json")


def copy_files(library: Path, reason: str) -> Path:
    """A backup folder holding byte-for-byte copies of the library file and its
    journal (a library of one file, before it is migrated); made whole, then renamed."""
    target = new_folder(library, reason)
    temp = temp_name(target)
    temp.mkdir()
    try:
        for path in (library, library.with_name(library.name + ".journal")):
            if path.exists():
                atomic_write(temp / path.name, path.read_bytes())
        temp.rename(target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    fsync_folder(target.parent)
    return target


def kept_copy(library: Path, reason: str) -> Path | None:
    """A backup for ``reason`` that holds this very library file already."""
    size = library.stat().st_size
    for backup in existing(library):
        if backup.reason == reason and backup.folder is not None:
            copy = backup.folder / library.name
            with contextlib.suppress(OSError):
                if copy.stat().st_size == size and copy.read_bytes() == library.read_bytes():
                    return backup.folder
    return None


def new_folder(library: Path, reason: str) -> Path:
    """Where a backup made of links goes (not made yet: LibraryStore.write_backup makes it)."""
    target = folder(library)
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{datetime.now(UTC).strftime(_STAMP)}-{reason}"


def existing(library: Path) -> list[Backup]:
    """Every backup, newest first. Other files in the folder are no backups: they are
    never rotated out, and ``strays`` names them."""
    backups = []
    for path in _entries(library):
        backup = _as_backup(path, library.name)
        if backup is not None:
            backups.append(backup)
    return sorted(backups, key=lambda b: b.taken_at, reverse=True)


def strays(library: Path) -> list[Path]:
    """Files in the backups folder that are neither a backup nor a write in progress
    (put there by hand, say): readq leaves them alone."""
    return sorted(
        path
        for path in _entries(library)
        if _as_backup(path, library.name) is None and temp_writer(path.name) is None
    )


def _entries(library: Path) -> list[Path]:
    try:
        return list(folder(library).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _as_backup(path: Path, library_name: str) -> Backup | None:
    """The backup ``path`` is, None when its name does not say when it was taken or
    it is not a backup's kind of file or folder."""
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    inside = path / library_name
    if not (path.is_file() if match["file"] else inside.is_file()):
        return None
    try:
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    except ValueError:  # digits that are no date: 99999999T...
        return None
    if match["file"]:
        return Backup(path, taken, match["reason"])
    return Backup(inside, taken, match["reason"], folder=path)


def due(library: Path) -> bool:
    """True when the newest backup is more than a day old (or there is none)."""
    backups = existing(library)
    return not backups or datetime.now(UTC) - backups[0].taken_at > DAILY


def prune(library: Path, keep: int) -> None:
    """Keep the newest ``keep`` backups; drop older ones and stale temporary files."""
    for old in existing(library)[max(keep, 1) :]:
        old.remove()
    remove_stale_temps(library, keep_own=True)


def remove_stale_temps(library: Path, *, keep_own: bool = False) -> None:
    """Delete the temporary files of backups a killed writer left. Only the lock's
    holder writes backups, so no other process's is in progress; ``keep_own`` spares
    this process's, which another thread (the app's daily backup) may be writing."""
    for path in _entries(library):
        writer = temp_writer(path.name)
        if writer is not None and not (keep_own and writer == os.getpid()):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
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
    if given.is_dir() and (given / library.name).is_file():  # a backup folder, by path
        return given / library.name
    for backup in backups:
        if backup.name == name:
            return backup.path
    raise ReadqError(f"no backup called {name!r}; `readq restore --list` shows them.")
