"""What this machine remembers of syncing, beside the library
(``library.json.sync``): each file of the folder as it was when last read
(so that an unchanged file is not read again), the other machines' names,
and where the library's changes stood when this machine last wrote its file.
A cache: lost, the next sync reads every file again and writes every paper."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "sync"


@dataclass(slots=True)
class Seen:
    """A file of the folder as it was read: the same size and time, not read again."""

    size: int
    mtime_ns: int
    machine: str
    name: str
    written_at: str
    papers: int

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
    mark: dict[str, Any] | None = None  # LibraryStore.change_mark after the last write
    last_sync: str = ""
    last_result: str = ""


def memory_file(library: Path) -> Path:
    return beside(library, "sync")


def recall(library: Path, folder: Path) -> SyncMemory:
    documents = read_table(memory_file(library), _TABLE) or {}
    document = documents.get("1")
    if not isinstance(document, dict) or document.get("folder") != str(folder):
        names = document.get("names") if isinstance(document, dict) else None
        return SyncMemory(str(folder), names=_names(names))
    files = {}
    for name, seen in (document.get("files") or {}).items():
        try:
            files[name] = Seen(**seen)
        except TypeError:
            continue
    return SyncMemory(
        folder=str(folder),
        files=files,
        names=_names(document.get("names")),
        mark=document.get("mark") if isinstance(document.get("mark"), dict) else None,
        last_sync=str(document.get("last_sync") or ""),
        last_result=str(document.get("last_result") or ""),
    )


def _names(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def remember(library: Path, memory: SyncMemory) -> None:
    document = {
        "folder": memory.folder,
        "files": {
            name: {
                "size": seen.size,
                "mtime_ns": seen.mtime_ns,
                "machine": seen.machine,
                "name": seen.name,
                "written_at": seen.written_at,
                "papers": seen.papers,
            }
            for name, seen in memory.files.items()
        },
        "names": memory.names,
        "mark": memory.mark,
        "last_sync": memory.last_sync,
        "last_result": memory.last_result,
    }
    write_table(memory_file(library), _TABLE, {"1": document})
