"""The sync folder's files: each machine's own, written whole and atomically, and
whatever copies a file-sync tool made of them.

A machine writes two files, ``readq-<id>.base.json`` (its papers as of its
last compaction: large, rewritten rarely) and ``readq-<id>.json`` (the papers
it changed since: small, rewritten at every sync), so that a sync costs what
changed, for the machine writing and for those reading. Each is a readq JSON
export (so ``readq merge`` reads it too) with a ``sync`` header saying which
machine wrote it, when, and in which sync format. Every other ``*.json`` file in the folder is
read as well: conflict copies that Syncthing (``….sync-conflict-….json``),
Dropbox (``… (conflicted copy).json``) or iCloud (``… 2.json``) make are
merged like the file they copy, never ignored. A file that cannot be read
whole is refused whole, in one line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq.atomicfile import TEMP_MARKER, atomic_write
from readq.exporters import readq_json as readq_json_export
from readq.importers import readq_json
from readq.model import ParsedPaper
from readq.sanitize import clean_line
from readq.sync.machine import Machine, clean_name

SYNC_VERSION: Final = 1  # what this readq writes and reads; a higher one is refused
PREFIX: Final = "readq-"
SUFFIX: Final = ".json"
_ID: Final = re.compile(r"[0-9a-f]{8,32}")


class SyncFileError(Exception):
    """A file of the sync folder that cannot be used: one line saying why."""


@dataclass(slots=True)
class Header:
    machine: str  # its id
    name: str
    written_at: str  # the wall time it was written, as the library writes times
    papers: int


@dataclass(slots=True)
class SyncFile:
    path: Path
    header: Header
    papers: list[ParsedPaper] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)  # as written, for its own machine
    digest: str = ""  # of its bytes, when asked for


BASE: Final = ".base"


def own_name(machine: Machine) -> str:
    """The machine's file of changes since its base."""
    return f"{PREFIX}{machine.id}{SUFFIX}"


def base_name(machine: Machine) -> str:
    return f"{PREFIX}{machine.id}{BASE}{SUFFIX}"


def folder_files(folder: Path) -> list[Path]:
    """The files to read: every ``*.json`` in the folder but temporary ones, by name."""
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    found = []
    for path in entries:
        name = path.name
        if name.startswith(".") or TEMP_MARKER in name or not name.lower().endswith(SUFFIX):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.name)


def read_file(path: Path, *, keep_records: bool = False, digests: bool = False) -> SyncFile:
    """The file's header and papers, cleaned as an import's; SyncFileError when any
    of it cannot be read (nothing of such a file is used)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SyncFileError(f"cannot be read ({error.strerror or error})") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise SyncFileError(f"damaged or cut short ({_reason(error)}): skipped") from None
    header = _header(document)
    records = document.get("papers")
    if not isinstance(records, list):
        raise SyncFileError('damaged: "papers" is not a list: skipped')
    if len(records) != header.papers:
        raise SyncFileError(
            f"damaged: it says it holds {header.papers} papers and holds {len(records)}: skipped"
        )
    papers = []
    for number, record in enumerate(records, start=1):
        try:
            papers.append(readq_json.parse_record(record))
        except (TypeError, ValueError, KeyError, OverflowError) as error:
            raise SyncFileError(f"damaged at paper {number} ({error}): skipped whole") from None
    digest = hashlib.sha256(data).hexdigest() if digests else ""
    return SyncFile(path, header, papers, records if keep_records else [], digest)


def _header(document: Any) -> Header:
    if not isinstance(document, dict) or document.get("format") != readq_json.FORMAT_NAME:
        raise SyncFileError("not a readq sync file: skipped")
    sync = document.get("sync")
    if not isinstance(sync, dict):
        raise SyncFileError("a readq export, not a sync file (no sync header): skipped")
    version = sync.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SyncFileError("damaged: its sync header has no version: skipped")
    if version > SYNC_VERSION:
        raise SyncFileError(
            f"written by a newer readq (sync format {version}, this readq reads "
            f"{SYNC_VERSION}): update readq on this machine to read it"
        )
    export_version = document.get("version")
    if export_version != readq_json_export.FORMAT_VERSION:
        raise SyncFileError(
            f"written by another readq (export format {export_version!r:.20}, this readq "
            f"reads {readq_json_export.FORMAT_VERSION}): update readq on this machine to read it"
        )
    machine, name = sync.get("machine"), sync.get("name")
    if not isinstance(machine, str) or not _ID.fullmatch(machine):
        raise SyncFileError("damaged: its sync header names no machine: skipped")
    written = sync.get("written_at")
    papers = sync.get("papers")
    if not isinstance(papers, int) or isinstance(papers, bool):
        raise SyncFileError("damaged: its sync header does not say how many papers: skipped")
    return Header(
        machine=machine,
        name=(clean_name(name) if isinstance(name, str) else "") or machine,
        written_at=clean_line(written)[:40] if isinstance(written, str) else "",
        papers=papers,
    )


def _reason(error: orjson.JSONDecodeError) -> str:
    return f"line {error.lineno}: {error.msg}" if error.lineno else error.msg


def write_own(
    path: Path, machine: Machine, records: Iterable[Mapping[str, Any]], written_at: str
) -> bytes:
    """Replace one of this machine's files with ``records`` (readq JSON paper
    records), atomically: another machine reads the old file or the new, never
    a part of one."""
    papers = [dict(record) for record in records]
    header = {
        "version": SYNC_VERSION,
        "machine": machine.id,
        "name": machine.name,
        "written_at": written_at,
        "papers": len(papers),
    }
    data = readq_json_export.dumps(papers, sync=header)
    atomic_write(path, data)
    return data
