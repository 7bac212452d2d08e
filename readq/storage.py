"""Where the library lives on disk: a TinyDB file plus a journal and a lock.

``library.json`` is a TinyDB database with two tables: ``papers`` (one document
per paper, doc_id = the paper's id) and ``meta`` (schema version, the last
journal record folded in, the next free id). It is only ever replaced whole and
atomically. User actions between two such writes live in ``library.json.journal``
(see journal.py). ``library.json.lock`` admits one writer at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from readq import backups, fields, migrations, segments, sidefile, snapshotfile
from readq.atomicfile import (
    atomic_write,
    atomic_write_chunks,
    fsync_folder,
    remove_stale_temps,
    temp_name,
)
from readq.collector import collector_paused
from readq.errors import JournalDamaged, LibraryDamaged, LibraryUnreadable, ReadqError
from readq.journal import Contents, Journal, Ops
from readq.loading import LoadProgress
from readq.lock import WriterLock
from readq.segments import Manifest

SCHEMA_VERSION = migrations.CURRENT
PAPERS = snapshotfile.PAPERS
META = snapshotfile.META
# Fold the journal into the library file once it holds this many actions, so
# that opening the library never replays an unbounded log.
FOLD_AFTER_RECORDS = 5000
_READ_RETRIES = 5
# A writer on its way out writes the base whole again (compaction) once the
# segments after it hold more than this share of its bytes: reading stays one
# pass over about the library's own size. Past this many segments it folds those
# after the base into one: segments stay few, and the base is not rewritten for
# a few papers.
COMPACT_AT_SHARE = 0.25
COMPACT_AT_SEGMENTS = 16
# How often a load tells its LoadProgress how far it is: a counter test per paper.
_REPORT_EVERY = 1000
# The largest id or sequence number a library may hold: every JSON reader keeps it
# exact (2**53), and it stays far from orjson's 64-bit limit however many follow.
LARGEST_NUMBER = 2**53
# A key of digits whose value is an object: in a file read whole, a paper (or the
# meta document). Counting them finds a paper id written twice, which JSON parsers
# merge without a word. Quotes inside strings are escaped, so none matches there.
_NUMBERED_OBJECT = re.compile(rb'[{,]\s*"\d+"\s*:\s*\{')

Records = dict[int, dict[str, Any]]
# What a write takes: records, or anything that makes them on demand.
RecordSource = Mapping[int, Mapping[str, Any]]


class AtomicJSONStorage(Storage):
    """TinyDB storage over the library file: read once, every write atomic and durable.

    readq writes the whole file itself (see write_snapshot); TinyDB reads it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            self._cache = load_json_file(self.path)
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.path, orjson.dumps(data))
        self._cache = data

    def close(self) -> None:
        self._cache = None


def load_json_file(path: Path) -> dict[str, Any] | None:
    """The parsed file, None when it does not exist, LibraryDamaged when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unreadable(path, error) from None
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise LibraryDamaged(f"the library {path} is damaged ({_describe(data, error)})") from None
    if not isinstance(parsed, dict):
        raise LibraryDamaged(f"the library {path} is damaged (not a readq library)")
    duplicate = _repeated_key(data, parsed)
    if duplicate is not None:
        raise LibraryDamaged(f"the library {path} is damaged (paper {duplicate} appears twice)")
    return parsed


def unreadable(path: Path, error: OSError) -> LibraryUnreadable:
    """A library readq may not read is not damaged: it is left exactly where it is."""
    return LibraryUnreadable(
        f"cannot read the library {path} ({error.strerror or error}); nothing was changed."
    )


def _repeated_key(data: bytes, parsed: dict[str, Any]) -> str | None:
    """The first paper id (or meta document) ``data`` holds twice, None when none is.

    The cheap count comes first; only a file it finds suspect is parsed again,
    slowly, to name the id.
    """
    tables = [parsed.get(name) for name in (META, PAPERS)]
    unique = sum(len(table) for table in tables if isinstance(table, dict))
    if len(_NUMBERED_OBJECT.findall(data)) <= unique:
        return None
    repeated: list[str] = []

    def note_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, value in pairs:
            if key in seen and key.isdigit() and isinstance(value, dict):
                repeated.append(key)
            seen.add(key)
        return dict(pairs)

    json.loads(data, object_pairs_hook=note_repeats)
    return repeated[0] if repeated else None


def _describe(data: bytes, error: orjson.JSONDecodeError) -> str:
    if not data:
        return "empty file"
    if data.startswith(b"\xef\xbb\xbf"):
        return "starts with a byte-order mark"
    return f"invalid JSON at byte {error.pos}"


@dataclass(slots=True)
class Snapshot:
    records: Records = field(default_factory=dict)
    seq: int = 0  # last journal record applied
    next_id: int = 1
    journal_records: int = 0  # records replayed from the journal
    decoded: dict[int, Any] = field(default_factory=dict)  # records through the decode hook
    migrated_from: int | None = None  # the schema the file had, when older than ours
    old_layout: bool = False  # one library file, read whole: not (yet) in segments
    partial: bool = False  # only the papers asked for (LibraryStore.open's ``only``)


class LibraryStore:
    """Loads and saves the library's records; knows nothing of papers."""

    def __init__(
        self,
        path: Path,
        *,
        writable: bool,
        decode: Callable[[int, dict[str, Any]], Any] = lambda _, record: record,
        lock: WriterLock | None = None,
        progress: LoadProgress | None = None,
        store_text: Callable[[int, str], snapshotfile.StoreText] | None = None,
    ) -> None:
        self.path = path
        # For a whole read: makes the stand-ins of abstracts left in the base, from
        # its file descriptor and name (see snapshotfile.read_papers).
        self.store_text = store_text
        self.decode = decode  # raises ValueError for a record the caller cannot use
        self.progress = progress or LoadProgress()  # a loading thread writes, a screen reads
        self.writable = writable
        self.journal = Journal(path.with_name(path.name + ".journal"))
        self.lock = (lock or WriterLock(path)) if writable else None
        self._seq = 0
        self._journal_records = 0
        self.notices: list[str] = []  # things the user should be told once
        self.fold_now = False  # the journal was damaged: fold what it holds on opening
        self._journal_problem: str | None = None  # what the last read found damaged
        self._generation = 0  # of the base on disk
        self._manifest: Manifest | None = None  # the live segments, if any
        self._touched: set[int] = set()  # papers the journal changed since the last write
        self._missing_segment: str | None = None  # named by the manifest, not found
        self._only: Collection[int] | None = None  # the papers open() was asked for
        # Held while files change, so that a backup (the app makes one in a thread)
        # copies one state of the library, never half of two.
        self._writing = threading.Lock()

    # --- opening ---------------------------------------------------------------

    def open(self, only: Collection[int] | None = None) -> Snapshot:
        """The library's papers; with ``only``, just those of them that exist, found
        by seeking (see _load_some) instead of reading everything."""
        self._only = only
        if self.lock is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.lock.held:  # the app takes the lock first, then loads in a thread
                self.lock.acquire()
            try:
                remove_stale_temps(self.path)
                backups.remove_stale_temps(self.path)
                self._check_journal()
                self.journal.repair()
                snapshot = self._load_or_quarantine()
                if self._manifest is None:
                    self._set_aside_unnamed_segments()
                self._tidy_segments()
                return snapshot
            except BaseException:
                self.lock.release()
                raise
        return self._load_consistent()

    def _check_journal(self) -> None:
        """A writer's first look at the journal: damage is never written over unseen.

        The first writer to meet it keeps a copy, byte for byte, and refuses; the
        next goes on with the actions the journal still holds (the user was told,
        and the copy keeps the rest) and folds them in at once (``fold_now``), so
        that the damaged lines leave the live journal.
        """
        contents = self.journal.read()
        if contents.problem is None:
            return
        where = self.journal.path
        copy = self._earlier_copy(contents)
        if copy is None:
            raise JournalDamaged(
                f"the journal {where} is damaged ({contents.problem}); a copy is kept, "
                f"untouched, as {self._keep_copy(contents).name}. Nothing was written; run "
                "readq again to go on with the actions it still holds."
            )
        self.notices.append(
            f"the journal {where} was damaged ({contents.problem}); readq went on with "
            f"the actions it could read, and the whole file is kept as {copy.name}."
        )
        self.fold_now = True

    def _earlier_copy(self, contents: Contents) -> Path | None:
        """The copy of this very journal an earlier writer kept (and told the user of)."""
        journal = self.journal.path
        for earlier in sorted(journal.parent.glob(f"{journal.name}.corrupt-*")):
            with contextlib.suppress(OSError):
                if earlier.read_bytes() == contents.data:
                    return earlier
        return None

    def _keep_copy(self, contents: Contents) -> Path:
        journal = self.journal.path
        target = journal.with_name(f"{journal.name}.corrupt-{_stamp()}")
        try:
            atomic_write(target, contents.data)
        except OSError as error:
            raise JournalDamaged(
                f"the journal {journal} is damaged ({contents.problem}), and no copy could "
                f"be kept ({error.strerror or error}); nothing was written."
            ) from None
        return target

    def _load_or_quarantine(self) -> Snapshot:
        """A writer's load: a damaged file is moved aside, never overwritten."""
        try:
            snapshot = self._load()
        except LibraryDamaged as damage:
            empty = self.path.stat().st_size == 0
            moved = self.quarantine()
            if not empty:
                raise LibraryDamaged(
                    f"{damage}; it was moved aside, untouched, to {moved}. {self.recovery_hint}"
                ) from None
            self.notices.append(
                f"the library file {self.path} was empty; it was moved aside to {moved} "
                "and a new library was started."
            )
            snapshot = Snapshot()
        assert snapshot is not None  # a writer never sees a fold under it
        return snapshot

    def _load_consistent(self) -> Snapshot:
        """A reader's load, retried if a writer folded the journal between our two reads."""
        for _ in range(_READ_RETRIES):
            snapshot = self._load()
            if snapshot is not None:
                if self._journal_problem is not None:
                    self.notices.append(
                        f"the journal {self.journal.path} is damaged ({self._journal_problem}); "
                        "shown without the actions it lost. The next writer keeps a copy."
                    )
                return snapshot
        if self._missing_segment is not None:  # every read found it gone: not a compaction
            raise LibraryDamaged(
                f"the library {self.path} is damaged (its segment {self._missing_segment} "
                "is missing)"
            )
        raise ReadqError(f"the library {self.path} kept changing while being read; try again.")

    def _load(self) -> Snapshot | None:
        """The library file with its journal replayed; None if the file was stale."""
        with collector_paused():
            try:
                if self._only is not None and not self.fold_now:
                    return self._load_some(self._only)
            except snapshotfile.NotLineLayout:
                pass  # an older layout, or damage: the whole read says which
            try:
                return self._load_by_lines()
            except snapshotfile.NotLineLayout:
                pass  # not in the except block: its traceback would keep what was read alive
            return self._load_whole()

    def _load_by_lines(self) -> Snapshot | None:
        """Read the segments ``library.json`` names, the base a paper at a time (see
        snapshotfile.py): no whole-file buffer and no dict per paper beside the
        papers made from them. NotLineLayout when ``library.json`` is no manifest
        (a library file of its own, from before segments, or damage)."""
        manifest = self._read_manifest()
        if manifest is None:
            raise snapshotfile.NotLineLayout
        self._check_schema(manifest.schema_version)
        later = self._later_and_journal(manifest)
        if later is None:
            return None
        base, overrides, pending = later
        try:
            with segments.opened_segment(self.path, base) as file:
                self.progress.start(os.fstat(file.fileno()).st_size)
                # Its own descriptor: the stand-ins outlive this file object.
                stored = self.store_text(os.dup(file.fileno()), base) if self.store_text else None
                papers = segments.papers_of(file, segments.folder(self.path) / base, stored)
                merged = _checked_ids(_overridden(papers, overrides), manifest.next_id, self.path)
                records = _reporting(merged, file, self.progress)
                decoded = self._decode_all(_with_changes(records, pending))
        except FileNotFoundError:
            self._gone(base)
            return None
        self.progress.finish(len(decoded))
        self._manifest, self._generation = manifest, manifest.generation
        snapshot = Snapshot(seq=manifest.seq, next_id=manifest.next_id, decoded=decoded)
        return self._loaded(snapshot, pending)

    def _load_some(self, only: Collection[int]) -> Snapshot | None:
        """The papers ``only`` that exist, each found by bisecting the base (papers are
        written in id order) after the later segments; the journal replayed on them.

        What this costs follows the papers asked for and the size of the journal
        and the later segments, not the library's. NotLineLayout when the library
        is not in segments: then everything is read (and a writer migrates it).
        """
        manifest = self._read_manifest()
        if manifest is None or manifest.schema_version != SCHEMA_VERSION:
            raise snapshotfile.NotLineLayout
        later = self._later_and_journal(manifest)
        if later is None:
            return None
        base, overrides, pending = later
        found: Records = {}
        try:
            with segments.opened_segment(self.path, base) as file:
                start, end = file.tell(), os.fstat(file.fileno()).st_size
                for paper_id in sorted(set(only)):
                    record = overrides.get(paper_id)
                    if record is None and 0 < paper_id < manifest.next_id:
                        record = snapshotfile.find_paper(file, paper_id, start, end)
                    if record is not None:
                        found[paper_id] = record
        except FileNotFoundError:
            self._gone(base)
            return None
        except snapshotfile.NotLineLayout:
            raise segments.damaged(segments.folder(self.path) / base) from None
        decoded = self._decode_all(_with_changes(found.items(), pending))
        self.progress.finish(len(decoded))
        self._manifest, self._generation = manifest, manifest.generation
        snapshot = Snapshot(seq=manifest.seq, next_id=manifest.next_id, decoded=decoded)
        snapshot.partial = True
        return self._loaded(snapshot, pending)

    def read_some(self, ids: Collection[int]) -> dict[int, Any]:
        """The papers ``ids`` as they are on disk, journal included (decoded): for a
        writer that opened only some papers and must write others the journal
        touched (a fold)."""
        self.require_writable()
        snapshot = self._load_some(ids)
        assert snapshot is not None  # a writer never sees a fold under it
        return snapshot.decoded

    def read_rows(self, *, search: bool = False) -> list[fields.Row] | None:
        """The live papers as the field index has them (fields.py), the journal's
        actions applied: what filters and sorts need (with ``search``, what a search's
        fielded terms need: fields.SearchRow), without reading the papers.
        None when the index cannot say (a segment without one, the one-file layout,
        a compaction under way): the caller reads the papers instead."""
        try:
            manifest = self._read_manifest()
        except LibraryDamaged:
            return None  # the papers' read says so, and what is done about it
        if manifest is None or manifest.schema_version != SCHEMA_VERSION:
            return None
        rows = segments.read_fields(self.path, manifest.segments, search=search)
        pending = self._journal_after(manifest.seq) if rows is not None else None
        if rows is None or pending is None or self._journal_problem is not None:
            return None
        try:
            for _, ops in pending:
                for paper_id, values in ops:
                    if paper_id in rows:
                        rows[paper_id].apply(values)
        except (TypeError, ValueError):
            return None  # an action the papers' read will call damage
        return [row for row in rows.values() if not row.deleted]

    def change_mark(self) -> dict[str, Any] | None:
        """Where the library's written changes stand (its base and segments), for
        changed_since; None when it is not in segments."""
        manifest = self._manifest
        if manifest is None:
            return None
        return {
            "generation": manifest.generation,
            "segments": list(manifest.segments),
            "seq": self._seq,
        }

    def _carry_changes(self, generation: int | None) -> None:
        """Before a compaction into ``generation`` (None: not one), keep which papers
        the later segments and the journal it folds away had changed (a cache:
        without it changed_since says it cannot tell)."""
        path = sidefile.beside(self.path, "carried")
        manifest = self._manifest
        rows = None
        if generation is not None and manifest is not None and manifest.segments:
            later = manifest.segments[1:]
            rows = {n: segments.read_fields(self.path, [n]) for n in later}
        with contextlib.suppress(OSError):
            if rows is None or manifest is None or any(r is None for r in rows.values()):
                path.unlink(missing_ok=True)
                return
            document = {
                "from": manifest.generation,
                "to": generation,
                "base": manifest.segments[0],
                "segments": {name: sorted(found or ()) for name, found in rows.items()},
                "journal": sorted(self._touched),
            }
            sidefile.write_table(path, "carried", {"1": document})

    def _carried_since(self, mark: dict[str, Any], generation: int) -> set[int] | None:
        """The papers changed since ``mark`` (of the generation before the last
        compaction, into ``generation``) up to that compaction; None when unknown."""
        document = sidefile.read_table(sidefile.beside(self.path, "carried"), "carried") or {}
        carried = document.get("1")
        seen = mark.get("segments")
        if not isinstance(carried, dict) or not isinstance(seen, list) or not seen:
            return None
        if (carried.get("from"), carried.get("to")) != (mark.get("generation"), generation):
            return None
        if carried.get("base") != seen[0] or not isinstance(carried.get("segments"), dict):
            return None
        ids: set[int] = set()
        for name, found in carried["segments"].items():
            if name not in seen and isinstance(found, list):
                ids.update(i for i in found if isinstance(i, int))
        journal = carried.get("journal")
        if isinstance(journal, list):
            ids.update(i for i in journal if isinstance(i, int))
        return ids

    def changed_since(self, mark: Any) -> set[int] | None:
        """The papers written or journaled since ``mark`` (change_mark's), and maybe
        a few more: those of the segments written since (a fold's hold older
        changes too) and of the journal's records since. None when it cannot say
        (a compaction since, no mark): every paper may have changed."""
        manifest = self._manifest
        if manifest is None or not isinstance(mark, dict) or not manifest.segments:
            return None
        seen, seq = mark.get("segments"), mark.get("seq")
        if not isinstance(seen, list) or not isinstance(seq, int) or seq > self._seq:
            return None
        before: set[int] | None = set()
        if mark.get("generation") != manifest.generation:
            # Compacted since: what changed up to the compaction, then all after it.
            before, seen = self._carried_since(mark, manifest.generation), [manifest.segments[0]]
        if before is None or manifest.segments[0] not in seen:
            return None
        written = [name for name in manifest.segments[1:] if name not in seen]
        rows = segments.read_fields(self.path, written) if written else {}
        journal = self._journal_after(seq) if seq < self._seq else []
        if rows is None or journal is None:
            return None
        return {*before, *rows, *(paper_id for _, ops in journal for paper_id, _ in ops)}

    @property
    def touched(self) -> set[int]:
        """The papers the journal changed since the library was last written."""
        return set(self._touched)

    def open_whole(self) -> Snapshot:
        """Every paper, for a writer that opened only some (it holds the lock)."""
        self.require_writable()
        self._only = None
        snapshot = self._load()
        assert snapshot is not None  # a writer never sees a fold under it
        return snapshot

    @property
    def compaction_due(self) -> bool:
        """The later segments have grown past COMPACT_AT_SHARE of the base, or are
        too many and cannot be folded (a segment lacks its identity index): the
        library should be written into one base again."""
        manifest = self._manifest
        if manifest is None:
            return False
        if self.fold_due and not segments.has_identity(self.path, manifest.segments[1:]):
            return True
        return self._past_share()

    @property
    def holds_papers(self) -> bool:
        """Whether the library on disk has papers to back up (it is in segments)."""
        return self._manifest is not None

    def read_identity(self, keys: Collection[str] | None = None) -> dict[str, int] | None:
        """The identity index as the segments keep it (with ``keys``, their entries
        alone, found by seeking); None when they do not (then it is built from the
        papers)."""
        if self._manifest is None:
            return None
        return segments.read_identity(self.path, self._manifest.segments, keys)

    def _read_manifest(self) -> Manifest | None:
        try:
            return segments.read_manifest(self.path)
        except OSError as error:  # FileNotFoundError is None already: permissions, say
            raise unreadable(self.path, error) from None

    def _later_and_journal(
        self, manifest: Manifest
    ) -> tuple[str, Records, list[tuple[int, Ops]]] | None:
        """The base's name, the later segments' papers and the journal's records
        after them; None when a reader must read again (see _gone, _journal_after)."""
        base, *later = manifest.segments
        overrides = self._read_later(later)
        if overrides is None:
            return None
        pending = self._journal_after(manifest.seq)
        if pending is None:
            return None
        return base, overrides, pending

    def _read_later(self, names: list[str]) -> Records | None:
        """The papers of the segments after the base, a later one's winning; None when
        one is gone (see _gone)."""
        overrides: Records = {}
        for name in names:
            try:
                overrides.update(segments.read_segment(self.path, name))
            except FileNotFoundError:
                self._gone(name)
                return None
        return overrides

    def _gone(self, name: str) -> None:
        """A segment the manifest names is not there. A reader reads again (a
        compaction removed it after the manifest was read); a writer holds the
        lock, so nothing moved under it: that is damage."""
        self._missing_segment = name
        if not self.writable:
            return
        raise LibraryDamaged(f"the library {self.path} is damaged (its segment {name} is missing)")

    def _check_schema(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise ReadqError(
                f"the library {self.path} was written by a newer readq (schema {version}; "
                f"this readq knows up to {SCHEMA_VERSION}); upgrade readq. Nothing was changed."
            )
        if version != SCHEMA_VERSION:
            raise LibraryDamaged(f"the library {self.path} is damaged (schema {version})")

    def _load_whole(self) -> Snapshot | None:
        """Parse a library file of its own: older layouts, damaged files, migrations."""
        storage = AtomicJSONStorage(self.path)
        try:
            self.progress.start(self.path.stat().st_size)
        except OSError:
            self.progress.start(0)  # the read below says what is wrong, if anything
        raw = storage.read()
        if raw is None:
            return Snapshot()
        snapshot = _snapshot_from(TinyDB(storage=lambda: storage), raw, self.path)
        pending = self._journal_after(snapshot.seq)
        if pending is None:
            return None
        snapshot.decoded = self._decode_all(_with_changes(snapshot.records.items(), pending))
        snapshot.records = {}  # decoded now: the raw records are not needed again
        snapshot.old_layout = True  # a writer puts it in segments
        self.progress.finish(len(snapshot.decoded))
        return self._loaded(snapshot, pending)

    def _set_aside_unnamed_segments(self) -> None:
        """Segments with no manifest to name them (library.json gone, or put back
        as a file of the layout before segments): never deleted, never written
        over; the folder is set aside whole, and the user told where."""
        if not segments.segment_files(self.path):
            return
        folder = segments.folder(self.path)
        aside = folder.with_name(f"{folder.name}.set-aside-{_stamp()}")
        folder.rename(aside)
        self.notices.append(
            f"segments of a library that {self.path} does not name were set aside, "
            f"untouched, in {aside}."
        )

    def _tidy_segments(self) -> None:
        """A writer removes the segments no manifest names: those of a write or a
        compaction that was cut short, and temporary files of killed writers."""
        with contextlib.suppress(OSError):
            segments.remove_unnamed(self.path, self._manifest)

    def _decode_all(self, records: Iterable[tuple[int, dict[str, Any]]]) -> dict[int, Any]:
        """Every record through the decode hook; LibraryDamaged names the first refused."""
        try:
            return {paper_id: self.decode(paper_id, record) for paper_id, record in records}
        except ValueError as error:
            raise LibraryDamaged(f"the library {self.path} is damaged ({error})") from None

    def _journal_after(self, seq: int) -> list[tuple[int, Ops]] | None:
        """The journal's records after ``seq``, in order; None when the file predates
        a fold that dropped some of them (a reader then reads again)."""
        contents = self.journal.read()
        self._journal_problem = contents.problem
        pending: list[tuple[int, Ops]] = []
        lost = 0  # damaged lines since the last record: each may be a missing seq
        for entry in contents.entries:
            if entry is None:
                lost += 1
                continue
            record_seq, ops = entry
            if record_seq > seq + 1 + lost and not self.writable:
                return None
            lost = 0
            if record_seq <= seq:
                continue  # already folded into the file
            pending.append((record_seq, ops))
            seq = record_seq
        return pending

    def _loaded(self, snapshot: Snapshot, replayed: list[tuple[int, Ops]]) -> Snapshot:
        if replayed:
            snapshot.seq = replayed[-1][0]
        snapshot.journal_records = len(replayed)
        self._seq, self._journal_records = snapshot.seq, snapshot.journal_records
        self._touched = {paper_id for _, ops in replayed for paper_id, _ in ops}
        return snapshot

    @property
    def recovery_hint(self) -> str:
        newest = backups.existing(self.path)
        if newest:
            return (
                f"The newest backup is {newest[0].name} "
                f"({newest[0].taken_at:%Y-%m-%d %H:%M} UTC): `readq restore --latest` "
                "brings it back, or run readq again to start a new, empty library."
            )
        return "Run readq again to start a new, empty library."

    def quarantine(self) -> Path:
        """Move a damaged library (its manifest, journal and segments) aside; return
        where it went. Under one name, so that what was set aside stays one
        library that readq can open (``--db``)."""
        target = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        moves = [
            (self.path, target),
            (self.journal.path, target.with_name(target.name + ".journal")),
            (segments.folder(self.path), segments.folder(target)),
        ]
        for source, moved in moves:
            if source.exists():
                source.rename(moved)
        self._manifest = None
        return target

    # --- writing ---------------------------------------------------------------

    def append(self, ops: Ops) -> None:
        """Durably record one user action."""
        self.require_writable()
        with self._writing:
            self.journal.append(self._seq + 1, ops)
            self._seq += 1
            self._journal_records += 1
            self._touched.update(paper_id for paper_id, _ in ops)

    @property
    def wants_fold(self) -> bool:
        return self._journal_records >= FOLD_AFTER_RECORDS

    def write_all(
        self,
        records: RecordSource,
        next_id: int,
        identity: Mapping[str, int] | None = None,
        *,
        carry: bool = False,
    ) -> None:
        """Write every paper into a new base (a new generation), name it alone in the
        manifest, empty the journal and remove the older segments (compaction).
        ``identity``, the whole identity index, is kept beside the base. ``carry``:
        the same papers (a compaction, not a restore): which ones the segments and
        journal it replaces had changed is kept for changed_since."""
        self.require_writable()
        with self._writing:
            generation = max(self._generation, segments.highest_generation(self.path)) + 1
            base = segments.segment_name(generation, 0)
            segments.write_segment(self.path, base, records, _segment_meta(generation))
            if identity is not None:
                segments.write_identity(self.path, base, identity)
            self._carry_changes(generation if carry else None)
            self._commit(Manifest(SCHEMA_VERSION, generation, self._seq, next_id, [base]))
            self._generation = generation
            self._tidy_segments()

    def write_changes(
        self,
        records: RecordSource,
        changed: Iterable[int],
        next_id: int,
        *,
        whole: bool = True,
        identity: Callable[[], Mapping[str, int]] | None = None,
        identity_added: Mapping[str, int] | None = None,
    ) -> None:
        """Make the papers ``changed`` (and those the journal changed) the library's
        by writing them alone, as a new segment, then the manifest; empty the journal.

        What this writes is proportional to the change: never a compaction or a
        fold of segments (Library._compact_if_due does those when a writer exits),
        unless there is no base yet (or one of an older schema) and ``records`` are
        ``whole``: then the library is written whole (write_all).

        ``identity_added`` are the identity index's entries the change added (none
        for a fold); ``identity`` makes the whole index, for a compaction.
        """
        self.require_writable()
        wanted = {*changed, *self._touched}
        # A whole library holds every paper there is (the journal's changes to an id
        # the library does not hold are ignored, as on reading); a part must hold them.
        if not whole and not wanted <= records.keys():
            missing = sorted(wanted - records.keys())[:3]
            raise ReadqError(f"internal error: no record for papers {missing} to write")
        ids = sorted(wanted.intersection(records))
        if whole and self._must_write_whole():
            self.write_all(records, next_id, identity() if identity else None)
            return
        manifest = self._manifest
        assert manifest is not None  # _must_write_whole is true without one
        with self._writing:
            name = manifest.next_name()
            later = {i: records[i] for i in ids}
            segments.write_segment(self.path, name, later, _segment_meta(self._generation))
            segments.write_identity(self.path, name, identity_added or {})
            names = [*manifest.segments, name]
            self._commit(Manifest(SCHEMA_VERSION, self._generation, self._seq, next_id, names))

    @property
    def fold_due(self) -> bool:
        """More than COMPACT_AT_SEGMENTS segments: those after the base should be
        folded into one (fold_segments)."""
        return self._manifest is not None and len(self._manifest.segments) > COMPACT_AT_SEGMENTS

    def fold_segments(self) -> bool:
        """Write the papers of every segment after the base into one new segment that
        replaces them: a cost that follows what they hold, never the base. The
        journal stays as it is (the manifest keeps its seq). False when they cannot
        be folded (a segment lacks its identity index): compaction_due says so."""
        self.require_writable()
        manifest = self._manifest
        assert manifest is not None
        folded = self._later_folded(manifest)
        if folded is None:
            return False
        papers, entries = folded
        with self._writing:
            name = manifest.next_name()
            segments.write_segment(self.path, name, papers, _segment_meta(self._generation))
            segments.write_identity(self.path, name, entries)
            names = [manifest.segments[0], name]
            folded_manifest = Manifest(
                SCHEMA_VERSION, self._generation, manifest.seq, manifest.next_id, names
            )
            segments.write_manifest(self.path, folded_manifest)
            self._manifest = folded_manifest
            self._tidy_segments()
        return True

    def index_fields(self) -> None:
        """Segments without a field index of their own get one (see
        segments.index_fields): a library of a readq before the index, or an index
        lost, is indexed again by a writer on its way out."""
        self.require_writable()
        if self._manifest is not None:
            with self._writing:
                for name in self._manifest.segments:
                    segments.index_fields(self.path, name)

    def _later_folded(self, manifest: Manifest) -> tuple[Records, dict[str, int]] | None:
        """The papers and identity entries of the segments after the base, a later
        one's winning: what one segment holding them all holds. None when their
        identity index is not all there (then the library is compacted)."""
        names = manifest.segments[1:]
        entries = segments.read_identity(self.path, names)
        if entries is None:
            return None
        papers = self._read_later(names)
        return (papers, entries) if papers is not None else None

    def _commit(self, manifest: Manifest) -> None:
        """Replace the manifest (the moment the change is made), then start the
        journal afresh: its actions are in the segments now. A crash between the
        two is harmless: the manifest says which journal records it holds."""
        segments.write_manifest(self.path, manifest)
        self._manifest = manifest
        self.journal.clear()
        self._journal_records = 0
        self._touched.clear()

    def _must_write_whole(self) -> bool:
        """No base yet, or one of an older schema: a write is a compaction."""
        return self._manifest is None or self._manifest.schema_version != SCHEMA_VERSION

    def _past_share(self) -> bool:
        """The segments after the base hold more than COMPACT_AT_SHARE of its bytes."""
        if self._must_write_whole():
            return True
        assert self._manifest is not None
        base, *later = self._manifest.segments
        size = segments.segment_bytes(self.path, [base])
        return segments.segment_bytes(self.path, later) > size * COMPACT_AT_SHARE

    def write_backup(self, target: Path) -> Path | None:
        """A backup of the library as it is on disk, in the folder ``target``: hard
        links to the segments (never changed in place, so a link costs no bytes
        until a compaction retires them), copies of the manifest and the journal.
        Returns the backup's library file; None when the library is not in
        segments yet (nothing to link to). Made under a temporary name and renamed
        whole, so a backup is never half there."""
        with self._writing:
            manifest = self._manifest
            if manifest is None:
                return None
            temp = temp_name(target)
            inside = temp / self.path.name
            segments.folder(inside).mkdir(parents=True)
            try:
                for name in manifest.segments:
                    _link_or_copy(segments.folder(self.path) / name, segments.folder(inside) / name)
                    for index in segments.companions(name):
                        with contextlib.suppress(FileNotFoundError):  # a cache: may be missing
                            _link_or_copy(
                                segments.folder(self.path) / index, segments.folder(inside) / index
                            )
                segments.write_manifest(inside, manifest)
                if self.journal.path.exists():
                    atomic_write(temp / self.journal.path.name, self.journal.read().data)
                fsync_folder(temp)
                temp.rename(target)
            except BaseException:
                shutil.rmtree(temp, ignore_errors=True)
                raise
            fsync_folder(target.parent)
        return target / self.path.name

    def write_copy(self, path: Path, records: RecordSource, next_id: int) -> None:
        """A complete library file at ``path`` (a backup) with the journal folded in."""
        write_snapshot(path, records, next_id, seq=0)

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()

    def require_writable(self) -> None:
        """ReadqError unless this store may write (it holds the lock)."""
        if self.lock is None or not self.lock.held:
            raise ReadqError("the library was opened read-only.")


def write_snapshot(path: Path, records: RecordSource, next_id: int, seq: int) -> None:
    """Every record and the meta document in one atomic write, in TinyDB's layout
    with one paper per line (snapshotfile.py), a thousand papers at a time.

    Building the bytes here rather than through TinyDB's insert_multiple saves
    it copying every record twice, and never holds the whole file in memory.
    """
    meta = {"schema_version": SCHEMA_VERSION, "seq": seq, "next_id": next_id, "sorted": True}
    atomic_write_chunks(path, snapshotfile.chunks(meta, records))


def _segment_meta(generation: int) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "generation": generation, "sorted": True}


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system has them, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        _copy(source, target)


def _copy(source: Path, target: Path) -> None:
    """A durable copy of ``source`` (a symbolic link's target, for the library file)."""
    shutil.copyfile(source, target)
    with target.open("rb+") as file:
        os.fsync(file.fileno())


def _overridden(
    records: Iterable[tuple[int, dict[str, Any]]], overrides: Records
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The base's records with the segments' versions in their place, then the papers
    new in the segments, by id."""
    left = dict(overrides)
    for paper_id, record in records:
        yield paper_id, left.pop(paper_id, record)
    yield from sorted(left.items())


def _reporting(
    records: Iterator[tuple[int, dict[str, Any]]], file: IO[bytes], progress: LoadProgress
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The records as they come, telling ``progress`` how far into ``file`` they are
    every _REPORT_EVERY papers: plain assignments, which a screen polls."""
    for count, record in enumerate(records, 1):
        if not count % _REPORT_EVERY:
            progress.done, progress.papers = file.tell(), count
        yield record


def _with_changes(
    records: Iterable[tuple[int, dict[str, Any]]], journal: list[tuple[int, Ops]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each (id, record) with the journal's changes to that paper applied, in order.
    Changes to ids the file does not hold are ignored, as they always were."""
    changes: dict[int, list[dict[str, Any]]] = {}
    for _, ops in journal:
        for paper_id, values in ops:
            changes.setdefault(paper_id, []).append(values)
    for paper_id, record in records:
        for values in changes.get(paper_id, ()):
            record.update(values)
        yield paper_id, record


def _snapshot_from(db: TinyDB, raw: dict[str, Any], path: Path) -> Snapshot:
    """Check the shape of a parsed library file and take its tables.

    The papers table is read straight from TinyDB's file layout ({"papers":
    {"<doc_id>": {...}}}) rather than through Table.all(), which copies every
    document into a new Document: a second or so at 100,000 papers.
    """
    try:
        if not all(isinstance(raw[name], dict) for name in (META, PAPERS)):
            raise TypeError
        (meta,) = db.table(META, cache_size=0).all()
        version, seq, next_id = _meta_values(meta, path)
        records: Records = dict(_checked_ids(_numbered(raw[PAPERS]), next_id, path))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise LibraryDamaged(f"the library {path} is damaged (not a readq library)") from None
    if version > SCHEMA_VERSION:
        raise ReadqError(
            f"the library {path} was written by a newer readq (schema {version}; this readq "
            f"knows up to {SCHEMA_VERSION}); upgrade readq. The file was not changed."
        )
    if version < SCHEMA_VERSION:
        records = migrations.migrate(records, version)
        return Snapshot(records=records, seq=seq, next_id=next_id, migrated_from=version)
    return Snapshot(records=records, seq=seq, next_id=next_id)


def _meta_values(meta: dict[str, Any], path: Path) -> tuple[int, int, int]:
    """(schema version, last journal record folded in, next free id); LibraryDamaged
    for numbers readq never writes. TypeError or KeyError: not a readq meta at all."""
    version, seq, next_id = meta["schema_version"], meta["seq"], meta["next_id"]
    if not all(type(value) is int for value in (version, seq, next_id)):
        raise TypeError
    if version < min(migrations.STEPS):
        problem = f"schema version {version}, which no readq ever wrote"
    elif not 0 <= seq <= LARGEST_NUMBER:
        problem = f"journal position {seq}"
    elif not 1 <= next_id <= LARGEST_NUMBER:
        problem = f"next paper id {next_id}"
    else:
        return version, seq, next_id
    raise LibraryDamaged(f"the library {path} is damaged ({problem})")


def _numbered(papers: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """TinyDB's {"<doc_id>": {...}} as (id, record); TypeError or ValueError when it is not."""
    for doc_id, doc in papers.items():
        if type(doc) is not dict or not doc_id.isdigit():
            raise TypeError
        yield int(doc_id), doc


def _checked_ids(
    records: Iterable[tuple[int, dict[str, Any]]], next_id: int, path: Path
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The records, each id checked as it passes: a paper twice would hide one, and an
    id at or past ``next_id`` would be given again to a new paper, over the old one."""
    seen: set[int] = set()
    for paper_id, record in records:
        if paper_id in seen:
            problem = f"paper {paper_id} appears twice"
        elif paper_id < 1:
            problem = f"paper id {paper_id}"
        elif paper_id >= next_id:
            problem = f"paper {paper_id} is not below the next paper id, {next_id}"
        else:
            seen.add(paper_id)
            yield paper_id, record
            continue
        raise LibraryDamaged(f"the library {path} is damaged ({problem})")


def _stamp() -> str:
    """A UTC time for a kept file's name, to the microsecond: two never share one."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
