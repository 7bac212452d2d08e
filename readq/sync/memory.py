"""What this machine remembers of syncing, beside the library
(``library.json.sync``): each file of the folder as it was when last read
(so that an unchanged file is not read again), the other machines' names,
and where the library's changes stood when this machine last wrote its file.
A cache: lost, the next sync reads every file again and writes every paper."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "sync"
WRITES_KEPT: Final = 200  # this machine's own files, by digest: an older one put back is its own


@dataclass(slots=True)
class Seen:
    """A file of the folder as it was read: the same size and time, not read again."""

    size: int
    mtime_ns: int
    machine: str
    name: str
    written_at: str
    papers: int
    digest: str = ""  # of its bytes, for this machine's own files

    @classmethod
    def of(
        cls, path: Path, machine: str, name: str, written_at: str, papers: int, digest: str = ""
    ) -> Seen:
        """``path`` as it is now (OSError when it is not there)."""
        status = path.stat()
        return cls(status.st_size, status.st_mtime_ns, machine, name, written_at, papers, digest)

    def holds(self, path: Path) -> bool:
        """The file holds what was written, byte for byte (a git checkout or a sync
        tool may have written it again, with a new time)."""
        if self.matches(path):
            return True
        try:
            same = bool(self.digest) and digest_of(path.read_bytes()) == self.digest
            status = path.stat()
        except OSError:
            return False
        if same:  # from now on known by its new time
            self.size, self.mtime_ns = status.st_size, status.st_mtime_ns
        return same

    def matches(self, path: Path) -> bool:
        try:
            status = path.stat()
        except OSError:
            return False
        return (status.st_size, status.st_mtime_ns) == (self.size, self.mtime_ns)


@dataclass(slots=True)
class SyncMemory:
    folder: str = ""  # the folder it is about: another folder starts afresh
    files: dict[str, Seen] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # machine id -> name
    mark: dict[str, Any] | None = None  # LibraryStore.change_mark as the last sync began
    base: Seen | None = None  # this machine's base file as it wrote it
    recent: Seen | None = None  # and its file of changes
    exported: set[int] = field(default_factory=set)  # the papers this machine's files hold
    # The papers the last sync's merge wrote, each as a digest of its record then.
    merged: dict[int, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # digests of the files it last wrote
    last_sync: str = ""
    last_result: str = ""


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def memory_file(library: Path) -> Path:
    return beside(library, "sync")


def recall(library: Path, folder: Path) -> SyncMemory:
    documents = read_table(memory_file(library), _TABLE) or {}
    document = documents.get(str(folder))
    if not isinstance(document, dict):  # another folder's names still hold
        return SyncMemory(str(folder), names=_every_name(documents))
    files = {}
    for name, value in (document.get("files") or {}).items():
        seen = _seen(value)
        if seen is not None:
            files[name] = seen
    return SyncMemory(
        folder=str(folder),
        files=files,
        names=_names(document.get("names")),
        mark=document.get("mark") if isinstance(document.get("mark"), dict) else None,
        base=_seen(document.get("base")),
        recent=_seen(document.get("recent")),
        exported=_ids(document.get("exported")),
        merged=_digests(document.get("merged")),
        written=[w for w in document.get("written") or [] if isinstance(w, str)],
        last_sync=str(document.get("last_sync") or ""),
        last_result=str(document.get("last_result") or ""),
    )


def known_names(library: Path) -> dict[str, str]:
    """Every machine's name this library has met, by id, whichever folder."""
    return _every_name(read_table(memory_file(library), _TABLE) or {})


def _every_name(documents: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for document in documents.values():
        names.update(_names(document.get("names")) if isinstance(document, dict) else {})
    return names


def _seen(value: Any) -> Seen | None:
    if not isinstance(value, dict):
        return None
    try:
        return Seen(**value)
    except TypeError:
        return None


def _ids(value: Any) -> set[int]:
    if not isinstance(value, list):
        return set()
    return {i for i in value if isinstance(i, int) and not isinstance(i, bool)}


def _digests(value: Any) -> dict[int, str]:
    if not isinstance(value, dict):
        return {}
    return {int(k): v for k, v in value.items() if k.isdigit() and isinstance(v, str)}


def _names(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def remember(library: Path, memory: SyncMemory) -> None:
    document = {
        "folder": memory.folder,
        "files": {name: dataclasses.asdict(seen) for name, seen in memory.files.items()},
        "base": dataclasses.asdict(memory.base) if memory.base is not None else None,
        "recent": dataclasses.asdict(memory.recent) if memory.recent is not None else None,
        "exported": sorted(memory.exported),
        "merged": {str(k): v for k, v in sorted(memory.merged.items())},
        "written": memory.written[-WRITES_KEPT:],
        "names": memory.names,
        "mark": memory.mark,
        "last_sync": memory.last_sync,
        "last_result": memory.last_result,
    }
    documents = read_table(memory_file(library), _TABLE) or {}
    documents[memory.folder] = document  # one per folder synced through
    write_table(memory_file(library), _TABLE, documents)
