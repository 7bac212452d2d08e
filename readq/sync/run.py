"""One sync: read the other machines' files, write this machine's, merge.

This machine's files hold one record per paper it changed or brought in (an
import, a feed), each as the paper now is: so they grow with this machine's
changes, not with the library, and a paper new to the others travels in them
once. Each sync writes the papers changed since the last one (the library's
segments and journal say which: LibraryStore.changed_since) into its file of
changes, replaced whole and atomically, and folds that into its base now and
then (files.py).

Every other file of the folder that changed since it was last read is
read whole (a file that cannot be is reported and skipped, never half used)
and merged in one durable write: each paper's state becomes the join of both
copies (userstate.py), so files read in any order, or twice, give one
library. Papers both machines imported are one paper (the identity keys of an
import); papers only another machine had arrive "synced from" it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq.errors import ReadqError
from readq.exporters.readq_json import paper_dict
from readq.library import Library, MergeSummary
from readq.model import Paper, ParsedPaper, now_iso
from readq.sync import files, memory
from readq.sync.files import SyncFile, SyncFileError
from readq.sync.machine import Machine
from readq.sync.memory import Seen, SyncMemory, digest_of
from readq.userstate import node_of

# This machine's file of changes is folded into its base past this many papers
# (or a quarter of the base): a sync reads and writes what changed, and now
# and then what the base holds.
COMPACT_AT: Final = 2000
COMPACT_BY: Final = 10_000  # and at the latest: every sync reads and writes that file whole
SYNCED_FROM: Final = "synced from "  # how a paper another machine brought says where it came from


@dataclass(slots=True)
class SyncReport:
    folder: Path
    machine: Machine
    written: int = 0  # papers written into this machine's file this time
    in_file: int = 0  # papers its file holds
    read: list[str] = field(default_factory=list)  # the machines whose files were merged
    unchanged: int = 0  # files not read again: the same as when last read
    problems: list[str] = field(default_factory=list)  # one line per file skipped
    merged: MergeSummary | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        wrote = f"wrote {_papers(self.written)} ({self.in_file} in this machine's file)"
        if not self.read:
            others = "nothing new from other machines"
        else:
            merged = self.merged or MergeSummary()
            others = (
                f"merged {', '.join(dict.fromkeys(self.read))}: {len(merged.added)} added, "
                f"{len(merged.updated)} updated"
            )
            if merged.conflicts:
                others += f", {len(merged.conflicts)} with notes kept from both sides"
        return f"Synced {self.folder} as {self.machine.name}: {wrote}; {others}."


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def sync_library(
    library: Library,
    folder: Path,
    *,
    commit: Callable[[], None] | None = None,
    everything: bool = False,
) -> SyncReport:
    """Sync ``library`` (writable, whole or opened in part) through ``folder``.
    ``commit``: called just before the one write (the app waits for its keys).
    ``everything``: write every paper into this machine's files, those that came
    from other machines too (for a new folder, or before a machine's files go).
    OSError when this machine's file or the merge cannot be written; ReadqError
    when the folder is not there (a share not mounted, a typo: never made here)."""
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ReadqError(
            f"the sync folder {folder} {what}: make it, or check sync_dir in config.toml "
            "(a share not mounted?)."
        )
    me = library.machine
    recalled = memory.recall(library.path, folder)
    report = SyncReport(folder, me)
    # Where the library stands before this sync writes anything: what changes
    # from here on (the merge below included) is looked at next time.
    mark = library.change_mark()
    # Read first: this machine's own files too, should another machine have
    # written them (a library copied with its id), before they are written over.
    found = _read_others(folder, me, recalled, report)
    _write_own(library, folder, me, recalled, report, everything=everything)
    with contextlib.suppress(OSError):  # what it wrote, should the merge fail (said below)
        memory.remember(library.path, recalled)
    entries = [entry for sync_file in found for entry in sync_file.papers]
    recalled.merged = {}
    if entries:
        if commit is not None:
            commit()
        report.merged = library.merge(entries, names=recalled.names)
        written = library.papers_among(report.merged.changed)
        recalled.merged = {p.id: record_digest(paper_dict(p)) for p in written}
    recalled.mark = mark
    recalled.last_sync = now_iso()
    recalled.last_result = report.describe()
    try:
        memory.remember(library.path, recalled)
    except OSError as error:  # a cache: the next sync reads the files again
        report.problems.append(
            f"could not remember this sync ({error.strerror or error}): "
            "the next one reads every file again"
        )
    return report


def _write_own(
    library: Library,
    folder: Path,
    me: Machine,
    recalled: SyncMemory,
    report: SyncReport,
    *,
    everything: bool = False,
) -> None:
    """Bring this machine's files up to date with the papers changed here since
    they were last written: into its file of changes, and now and then into its
    base (at once when its files are not as it wrote them)."""
    base_path, recent_path = folder / files.base_name(me), folder / files.own_name(me)
    base = recalled.base
    recent = _own_records(recent_path, me) if recent_path.exists() else {}
    untrusted = base is None or not base.holds(base_path) or recent is None
    changed = None if untrusted or everything else library.changed_since(recalled.mark)
    if changed is None:
        # This machine's files are not as it wrote them, or the library cannot say
        # what changed since (restored, say): all of it, into a new base.
        every = library.papers_among(None)
        records = {p.id: paper_dict(p) for p in every if everything or is_ours(p, me)}
        report.written = report.in_file = len(records)
        _write_base(base_path, recent_path, me, records, recalled)
        recalled.exported = set(records)
        return
    assert base is not None and recent is not None  # else untrusted, and changed None
    written = 0
    for paper in library.papers_among(changed):
        record = paper_dict(paper)
        # Not what the last sync's merge of the others' files wrote, unless it
        # changed here after: the others have that already.
        merged = recalled.merged.get(paper.id)
        new_here = paper.id not in recalled.exported and is_ours(paper, me)
        if new_here or merged is None or merged != record_digest(record):
            recalled.exported.add(paper.id)
            if recent.get(paper.id) != record:
                recent[paper.id] = record
                written += 1
    report.written, report.in_file = written, base.papers + len(recent)
    if len(recent) > min(max(COMPACT_AT, base.papers // 4), COMPACT_BY):
        kept = _own_records(base_path, me)
        if kept is not None:
            _write_base(base_path, recent_path, me, {**kept, **recent}, recalled)
            report.in_file = len(kept | recent)
            return
    if written or not (recalled.recent and recalled.recent.holds(recent_path)):
        _write_recent(recent_path, me, recent, recalled, now_iso())


def _write_base(
    base_path: Path,
    recent_path: Path,
    me: Machine,
    records: dict[int, dict[str, Any]],
    recalled: SyncMemory,
) -> None:
    """The base first, then the file of changes emptied: a machine that reads
    between the two finds every paper in one or the other."""
    written_at = now_iso()
    data = files.write_own(base_path, me, [records[i] for i in sorted(records)], written_at)
    recalled.base = Seen.of(base_path, me.id, me.name, written_at, len(records), digest_of(data))
    recalled.written.append(recalled.base.digest)
    _write_recent(recent_path, me, {}, recalled, written_at)


def _write_recent(
    path: Path, me: Machine, records: dict[int, dict[str, Any]], recalled: SyncMemory, when: str
) -> None:
    data = files.write_own(path, me, [records[i] for i in sorted(records)], when)
    recalled.recent = Seen.of(path, me.id, me.name, when, len(records), digest_of(data))
    recalled.written.append(recalled.recent.digest)


def _own_records(path: Path, me: Machine) -> dict[int, dict[str, Any]] | None:
    """The records one of this machine's files holds by paper id; None when it is
    missing, damaged or not this machine's (then all is written afresh)."""
    try:
        own = files.read_file(path, keep_records=True)
    except SyncFileError:
        return None
    if own.header.machine != me.id:
        return None
    records = {}
    for record in own.records:
        paper_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(paper_id, int) or isinstance(paper_id, bool):
            return None
        records[paper_id] = record
    return records


def record_digest(record: dict[str, Any]) -> str:
    """A paper's record, short: whether it changed since a merge wrote it."""
    return digest_of(orjson.dumps(record))


def is_ours(paper: Paper, me: Machine) -> bool:
    """A paper this machine's file holds: one it changed, or one that did not
    come from another machine."""
    if not (paper.arrived_from or "").startswith(SYNCED_FROM):
        return True
    stamps = [*paper.changed_at.values(), *(v.get("stamp", "") for v in paper.note_versions)]
    return any(node_of(stamp) == me.id for stamp in stamps)


def _read_others(
    folder: Path, me: Machine, recalled: SyncMemory, report: SyncReport
) -> list[SyncFile]:
    """The files of the folder that changed since they were last read, read whole;
    remembers each (and forgets files that are gone)."""
    present = files.folder_files(folder)
    own = {files.own_name(me): recalled.recent, files.base_name(me): recalled.base}
    found: list[SyncFile] = []
    kept: dict[str, Seen] = {}
    for path in present:
        if path.name in own:
            wrote = own[path.name]
            if wrote is None or wrote.holds(path):
                continue  # as this machine wrote it (a git checkout may have rewritten it)
        seen = recalled.files.get(path.name)
        if seen is not None and seen.matches(path):
            kept[path.name] = seen
            report.unchanged += 1
            continue
        try:
            status = path.stat()
            sync_file = files.read_file(path, digests=path.name in own)  # told apart by it
        except (OSError, SyncFileError) as error:
            report.problems.append(f"{path.name}: {error}")
            continue
        header = sync_file.header
        if header.machine != me.id:
            recalled.names[header.machine] = header.name
        elif path.name in own and sync_file.digest not in recalled.written:
            report.problems.append(
                f"{path.name} was written by another machine with this machine's id "
                "(a copied library?): merged; run `readq sync --new-id` on one of them"
            )  # an older file of its own, put back by a sync tool, is merged without a word
        _arrived_from(sync_file.papers, header.name)
        found.append(sync_file)
        if header.machine != me.id:
            report.read.append(header.name)
        kept[path.name] = Seen(
            status.st_size, status.st_mtime_ns, header.machine, header.name,
            header.written_at, header.papers,
        )  # fmt: skip
    recalled.files = kept
    return found


def _arrived_from(papers: list[ParsedPaper], name: str) -> None:
    for paper in papers:
        paper.arrived_from = SYNCED_FROM + name
