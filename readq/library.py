"""The library: the one service the CLI and the TUI talk to.

Papers live in memory as ``Paper`` objects; every change is durable (see
storage.py and journal.py) before the method that made it returns, and each
user action is recorded for undo.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from readq import backups, drafts, firstpage, userstate
from readq.errors import NotSaved, ReadqError, UnknownPaper
from readq.fields import Row, columns_of
from readq.history import Change, History
from readq.hlc import HybridClock
from readq.journal import Ops
from readq.loading import LoadProgress
from readq.lock import WriterLock
from readq.merge import merge_user_state
from readq.model import (
    METADATA_FIELDS,
    PRIORITY_HIGH,
    PRIORITY_NONE,
    USER_FIELDS,
    Metadata,
    Paper,
    ParsedPaper,
    SegmentFile,
    Status,
    StoredText,
    distinct_papers,
    identity_keys,
    is_strong_key,
    now_iso,
)
from readq.query import SORT_KEYS, View, chosen_from_rows, select
from readq.sanitize import clean_block, clean_line
from readq.snapshotfile import StoreText
from readq.storage import LibraryStore
from readq.sync import machine
from readq.sync import memory as sync_memory
from readq.sync.machine import Machine

# What one entry of an import did to its paper ("seen": only a feed was added to
# the feeds it was seen in).
Outcome = Literal["added", "updated", "replaced", "seen", "unchanged", "deleted"]


@dataclass(slots=True)
class ImportSummary:
    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)  # deleted earlier: not added again
    replaced: list[int] = field(default_factory=list)  # of updated: a newer arXiv version
    placed: list[int] = field(default_factory=list, repr=False)  # each entry's paper, in order
    outcomes: list[Outcome] = field(default_factory=list, repr=False)  # and what it did
    # Entries of the one input that are one paper, by their lines, each group in
    # the input's order: what the summary lists as merged duplicates.
    duplicates: list[list[int]] = field(default_factory=list)

    def describe(self) -> str:
        text = self.counts()
        if self.duplicates:
            text += f"; {self.duplicates_text()}"
        return text

    def counts(self) -> str:
        text = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        )
        if self.deleted:
            text += f", {len(self.deleted)} deleted earlier and left out"
        return text

    def duplicates_text(self) -> str:
        """``3 duplicates within the file merged: lines 10/52, 14/60/71``."""
        count = sum(len(lines) - 1 for lines in self.duplicates)
        noun = "duplicate" if count == 1 else "duplicates"
        text = f"{count} {noun} within the file merged"
        # readq's own JSON gives no lines (0): those groups are counted, not listed.
        shown = [g for g in self.duplicates if all(g)][:_DUPLICATES_LISTED]
        if shown:
            text += ": lines " + ", ".join("/".join(map(str, group)) for group in shown)
            if len(shown) < len(self.duplicates):
                text += ", …"
        return text


_DUPLICATES_LISTED = 10  # the summary is one line: the rest is "…"


@dataclass(slots=True)
class MergeSummary:
    added: list[int] = field(default_factory=list)
    updated: dict[int, list[str]] = field(default_factory=dict)  # id -> fields changed
    conflicts: list[int] = field(default_factory=list)  # notes kept from both sides
    changed: set[int] = field(default_factory=set)  # every paper written, clocks alone too

    def describe(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.conflicts)} with notes kept from both sides"
        )


@dataclass(frozen=True, slots=True)
class Stats:
    total: int
    unread: int
    read: int
    by_priority: dict[int, int]
    with_notes: int
    tags: dict[str, int]


class Library:
    def __init__(
        self,
        store: LibraryStore,
        papers: dict[int, Paper],
        next_id: int,
        keep_backups: int = backups.DEFAULT_KEEP,
    ) -> None:
        self._store = store
        self.keep_backups = keep_backups
        self.papers = papers  # the live papers; the deleted ones are kept apart
        self.deleted: dict[int, Paper] = {}
        self._moving = threading.Lock()  # held while a paper moves between the two
        self._set_deleted_apart()
        self._next_id = next_id
        self._identity: dict[str, int] | None = None  # built on the first import or merge
        self._clock: HybridClock | None = None  # made on the first change
        self._machine: Machine | None = None
        self._clock_made = threading.Lock()  # the app's sync thread may ask first
        self._unread: int | None = None  # kept up to date by every status change
        self.history = History()
        self.pending: list[Ops] = []  # actions in memory that the disk refused
        self._changed = False  # since opening: the saved first page is then out of date
        # Opened for some papers only (``open(only=...)``): what the CLI's one-paper
        # commands need. Such a library never writes itself whole, and keeps the
        # saved first page up to date by patching it (see save_first_page).
        self.partial = False
        self._first_page: firstpage.FirstPage | None = None
        self._reordered = False  # a change that may move papers on the first page
        self._page_changes: set[int] = set()  # papers an import into it added or changed
        self._page_added: set[int] = set()  # ...and of those, the new ones

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        writable: bool = True,
        keep_backups: int = backups.DEFAULT_KEEP,
        daily_backup: bool = True,
        lock: WriterLock | None = None,
        progress: LoadProgress | None = None,
        only: Collection[int] | None = None,
        abstracts_on_disk: bool = False,
    ) -> Library:
        """Open the library; a writer also makes the daily backup unless told not to
        (the app makes it in the background, after its first frame). ``progress``
        is kept up to date while the file is read, for a screen to poll.

        With ``only``, just those papers are read (those that exist; the others are
        unknown to this library), at a cost that follows them rather than the
        library: for commands that show or change a few papers. Reading the
        library whole is the fallback for layouts that cannot be searched.

        With ``abstracts_on_disk``, long abstracts stay in the file they are in and
        are read when wanted (model.StoredText): for the app, which keeps the
        library for hours, 130 MB less at 100,000 papers.
        """
        store = LibraryStore(
            path,
            writable=writable,
            decode=Paper.from_record,
            lock=lock,
            progress=progress,
            store_text=_abstracts_left_in if abstracts_on_disk else None,
        )
        snapshot = store.open(only)
        library = cls(store, snapshot.decoded, snapshot.next_id, keep_backups)
        if snapshot.partial:
            library.partial = True
            # A writer keeps the saved first page current (before anything changes).
            library._first_page = firstpage.load(path) if writable else None
            if library._first_page is not None:
                library._unread = library._first_page.unread  # kept up to date from here
        if writable and snapshot.migrated_from is not None:
            library._save_migration(snapshot.migrated_from)
        elif writable and ((snapshot.old_layout and library.papers) or store.fold_now):
            library._rewrite_in_line_layout()
        if writable:
            library._set_aside_damaged_drafts()
        if writable and daily_backup:
            library.backup_if_due()
        return library

    @staticmethod
    def index_rows(path: Path, *, search: bool = False) -> list[Row] | None:
        """The live papers as the field index has them (fields.py): what filters and
        sorts need (with ``search``, a search's fielded terms too), read without the
        papers; None when the index cannot say."""
        return LibraryStore(path, writable=False).read_rows(search=search)

    @classmethod
    def indexed_first_page(cls, path: Path, view: View | None = None) -> firstpage.FirstPage | None:
        """The first page of ``view`` (default: the default view), chosen from the
        field index with only its papers read: the app's first screen when no page
        was saved (after a CLI command moved a paper on it, say). None when the
        index cannot say, or a search would read most of the library."""
        view = view or View()
        rows = cls.index_rows(path, search=bool(view.search.strip()))
        ids = None if rows is None else chosen_from_rows(rows, view, limit=firstpage.ROWS)
        if rows is None or ids is None:
            return None
        with cls.open(path, writable=False, only=ids) as part:
            papers = select(part, view)[: firstpage.ROWS]
        unread = sum(row.status is Status.UNREAD for row in rows)
        return firstpage.FirstPage(papers, len(rows), unread)

    @staticmethod
    def take_writer_lock(path: Path) -> WriterLock:
        """The lock a writer holds, taken now: the app takes it before it shows
        anything, so that a second app is refused at once, and loads later."""
        lock = WriterLock(path)
        lock.acquire()
        return lock

    @classmethod
    def preview(cls, path: Path, papers: Iterable[Paper]) -> Library:
        """A read-only library of a few papers, shown while the real one loads."""
        return cls(LibraryStore(path, writable=False), {p.id: p for p in papers}, 0)

    def backup_if_due(self) -> None:
        """The daily backup, if a day has passed since the newest one."""
        anything = self.path.exists() if self.partial else (self.papers or self.deleted)
        if not (anything and backups.due(self.path)):
            return
        try:
            self.backup("daily")
        except OSError as error:  # a full disk must not stop the user reading
            self._store.notices.append(f"could not make the daily backup: {error.strerror}")

    def _set_aside_damaged_drafts(self) -> None:
        """Before the note editor writes drafts: a damaged file is kept, and said so."""
        try:
            notice = drafts.set_aside_if_damaged(self.path)
        except OSError as error:  # it could not be moved: Drafts will not write over it
            notice = f"the drafts file beside {self.path} is damaged and stays: {error.strerror}"
        if notice:
            self._store.notices.append(notice)

    def _set_deleted_apart(self) -> None:
        self.deleted = {i: p for i, p in self.papers.items() if p.deleted_at is not None}
        for paper_id in self.deleted:
            del self.papers[paper_id]

    def _all_papers(self) -> list[Paper]:
        """Live and deleted papers: what the library file holds. One snapshot even
        while the event loop moves a paper from one to the other (the daily backup
        runs in a thread)."""
        with self._moving:
            return [*self.papers.values(), *self.deleted.values()]

    @property
    def notices(self) -> list[str]:
        """What opening the library had to do that the user should hear about."""
        return self._store.notices

    @property
    def path(self) -> Path:
        return self._store.path

    def close(self, *, save_first_page: bool = False) -> None:
        """Fold a long journal, refresh the saved first page if anything changed
        (or when asked: the app always does), and release the lock."""
        self.fold_if_due()
        self._compact_if_due()
        # Not while the disk refuses changes: the page would show what is not saved.
        if self._store.writable and (self._changed or save_first_page) and not self.pending:
            self.save_first_page()
        self._store.close()

    def save_first_page(self) -> None:
        """Remember the default view's first page so the next start shows it at once.

        Writers call this while they still hold the lock, after their last write:
        the page is stamped with the files' sizes and times at that moment.
        """
        try:
            if self.partial:
                self._patch_first_page()
                return
            papers = select(self, View())[: firstpage.ROWS]
            firstpage.save(self.path, papers, len(self), self.unread_count)
        except OSError:
            firstpage.discard(self.path)  # a cache: better none than a stale one

    def _patch_first_page(self) -> None:
        """A library opened for a few papers knows the saved page and what changed:
        the changed papers take their places on it, as long as none may have moved
        (a status, note or tags change). Otherwise the page is dropped, and the
        next start of the app reads the library before it shows it."""
        page = self._first_page
        on_page = {paper.id for paper in page.papers} if page else set()
        if (
            page is None
            or self._reordered
            or self._unread is None
            or (self._page_changes - self._page_added) & on_page  # it may have moved
        ):
            firstpage.discard(self.path)
            return
        rows = [self.papers.get(paper.id, paper) for paper in page.papers]
        # An import's papers take their places by the default view's order (its sort,
        # newest first on ties: see query.select); the page keeps its length.
        arrived = [self.papers[i] for i in self._page_changes if i in self.papers]
        if arrived:
            key = SORT_KEYS[View().sort][0]
            rows = sorted([*rows, *arrived], key=lambda p: (key(p), p.id), reverse=True)
            rows = rows[: firstpage.ROWS]
        total = page.total + len(self._page_added)
        new_unread = sum(self.papers[i].status is Status.UNREAD for i in self._page_added)
        unread = self._unread + new_unread
        firstpage.save(self.path, rows, total, unread)

    def _compact_if_due(self) -> None:
        """Segments are tidied by a writer on its way out, never while a key or an
        import waits: when the later ones have grown past a share of the base, every
        paper goes into one new base (a writer opened in part reads the rest
        first; seldom, a few seconds at 100,000 papers); when they are many, they
        are folded into one, at what they hold."""
        store = self._store
        if not store.writable or self.pending:
            return  # (pending: the disk refuses changes; not the moment for a big write)
        with contextlib.suppress(OSError):  # a full disk: the segments stay as they are
            if store.compaction_due:
                if self.partial:
                    self._become_whole()
                self._write_all(carry=True)
            elif store.fold_due:
                store.fold_segments()
        if not self.partial:  # the app, say (a quick CLI command never pays for this)
            with contextlib.suppress(OSError, ReadqError):  # a cache: without it, papers are read
                store.index_fields()

    def fold_if_due(self) -> None:
        """Fold a long journal into the library file (before closing, say)."""
        if self._store.writable and self._store.wants_fold:
            self._write_changes(())

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.papers)

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers.values())

    def get(self, paper_id: int) -> Paper:
        try:
            return self.papers[paper_id]
        except KeyError:
            pass
        if paper_id in self.deleted:
            raise UnknownPaper(
                f"paper {paper_id} was deleted ({self.deleted[paper_id].deleted_at}); "
                f"`readq undelete {paper_id}` brings it back."
            )
        raise UnknownPaper(f"there is no paper with id {paper_id}.")

    def _paper(self, paper_id: int) -> Paper:
        """A live or a deleted paper (undo and undelete reach both)."""
        paper = self.papers.get(paper_id) or self.deleted.get(paper_id)
        if paper is None:
            raise UnknownPaper(f"there is no paper with id {paper_id}.")
        return paper

    @property
    def unread_count(self) -> int:
        if self._unread is None:
            self._unread = sum(1 for p in self.papers.values() if p.status is Status.UNREAD)
        return self._unread

    def stats(self) -> Stats:
        by_priority = dict.fromkeys(range(PRIORITY_HIGH + 1), 0)
        tags: dict[str, int] = {}
        unread = with_notes = 0
        for paper in self.papers.values():
            unread += paper.status is Status.UNREAD
            with_notes += bool(paper.notes)
            by_priority[paper.priority] += 1
            for tag in paper.tags:
                tags[tag] = tags.get(tag, 0) + 1
        total = len(self.papers)
        return Stats(total, unread, total - unread, by_priority, with_notes, tags)

    # --- backups -------------------------------------------------------------------

    def _save_migration(self, old_version: int) -> None:
        """Keep the old file and its journal as a backup, byte for byte, then save
        the upgraded library. A migration that failed before (a full disk) left
        that backup already: it is used again rather than made twice."""
        reason = f"before-migration-from-v{old_version}"
        kept = backups.kept_copy(self.path, reason) or backups.copy_files(self.path, reason)
        self._write_all()
        self._store.notices.append(
            f"upgraded the library from schema {old_version}; the old file is kept as "
            f"the backup {kept.name}."
        )

    def _rewrite_in_line_layout(self) -> None:
        """Write a file an older readq saved in one line in today's layout, once, so
        that later opens read it a paper at a time; or fold a damaged journal (kept
        apart) so that its damage leaves it. Same papers: no backup needed."""
        # On a full disk, say, the file stays as it was and is read whole next time.
        with contextlib.suppress(OSError):
            self._write_all()

    def backup(self, reason: str = "manual") -> Path:
        """Write a complete copy of the library to its backups folder; return it."""
        made = self._store.write_backup(backups.new_folder(self.path, reason))
        if made is None and self.partial:
            raise ReadqError("there is no library on disk to back up yet.")
        if made is None:  # nothing on disk yet to link to: a whole copy from memory
            made = backups.new_path(self.path, reason)
            papers = self._all_papers()  # the app may add papers from another thread
            self._store.write_copy(made, _Records(papers), self._next_id)
        backups.prune(self.path, self.keep_backups)
        return made

    def restore(self, source: Path) -> int:
        """Replace every paper with those in the backup ``source``; back up first.

        Returns the number of papers restored. The backup is checked whole
        before anything changes.
        """
        if self.partial:
            raise ReadqError("internal error: a library opened in part cannot be restored")
        if source.resolve() == self.path.resolve():
            raise ReadqError("that is the library itself, not a backup.")
        restored = Library.open(source, writable=False)
        if self.papers or self.deleted:  # deleted papers can still come back
            self.backup("before-restore")
        previous = self.papers, self.deleted, self._next_id
        self.papers, self.deleted = restored.papers, restored.deleted
        self._next_id = restored._next_id
        # The restored papers' index is made from them: the one the segments keep
        # is the replaced library's.
        self._identity = self._index_from_papers()
        try:
            self._write_all()
        except BaseException:
            self.papers, self.deleted, self._next_id = previous
            raise
        self._identity = None
        self._unread = None
        self.history = History()
        return len(self.papers)

    # --- importing ---------------------------------------------------------------

    def add_many(self, parsed: Iterable[ParsedPaper]) -> ImportSummary:
        """Add new papers and fill in missing metadata of known ones, in one write.

        The user's state of a known paper is never changed by an import.
        """
        entries = list(parsed)
        batch = self._batch(entries)
        summary = batch.add(entries)
        if summary.added or summary.updated:
            self._commit(batch, "before-import")
        return summary

    def merge(
        self, entries: Iterable[ParsedPaper], *, names: Mapping[str, str] | None = None
    ) -> MergeSummary:
        """Fold another library's export (or another machine's sync file) into this
        one, in one write.

        New papers arrive with their state; for known papers metadata is filled
        in as on import and the user's state becomes the join of both copies
        (merge.py): every change of either kept, deletions included. ``names``:
        other machines' names by id, for a note kept from two sides.
        """
        entries = list(entries)
        batch = self._batch(entries)
        imported = batch.add(entries)
        summary = MergeSummary(added=imported.added)
        now = now_iso()
        here = self.clock.node if self._store.writable else ""
        dirty = False  # clocks alone may change: worth writing, not worth reporting
        for entry, paper_id in zip(entries, batch.placed, strict=True):
            paper = batch.writable(paper_id)
            merged = merge_user_state(paper, entry, here=here, names=names)
            for name, value in merged.values.items():
                setattr(paper, name, Status(value) if name == "status" else copy.copy(value))
            if "deleted_at" in merged.values:
                batch.file(paper_id)
            fields = {n for n in merged.values if n in (*USER_FIELDS, "deleted_at")}
            if fields and paper_id not in imported.added:
                paper.updated_at = now
                summary.updated[paper_id] = sorted({*summary.updated.get(paper_id, []), *fields})
            dirty |= bool(merged.values)
            if merged.conflict:
                summary.conflicts.append(paper_id)
        for paper_id in imported.updated:
            summary.updated.setdefault(paper_id, ["metadata"])
        # A deletion of a paper this library never had: kept (hidden), not "added".
        summary.added = [i for i in summary.added if i not in batch.deleted]
        if summary.added or summary.updated or dirty:
            self._commit(batch, "before-merge")
            summary.changed = set(batch.changed)
        return summary

    # --- syncing (readq/sync) ---------------------------------------------------

    def change_mark(self) -> dict[str, Any] | None:
        """Where the library's written changes stand now (see changed_since)."""
        return self._store.change_mark()

    def changed_since(self, mark: Any) -> set[int] | None:
        """The papers that may have changed since ``mark``; None: any may have."""
        return self._store.changed_since(mark)

    def papers_among(self, ids: Collection[int] | None) -> list[Paper]:
        """The papers ``ids`` (None: every one), deleted ones too; a library opened
        in part reads those it lacks (or, for every one, the rest of itself)."""
        if ids is None:
            if self.partial:
                self._become_whole()
            return self._all_papers()
        if self.partial:
            missing = set(ids) - {*self.papers, *self.deleted}
            self._hold(self._store.read_some(missing).values())
        found = (self.papers.get(i) or self.deleted.get(i) for i in sorted(ids))
        return [paper for paper in found if paper is not None]

    def _hold(self, papers: Iterable[Paper]) -> None:
        """Papers read for a library opened in part: with the live or the deleted."""
        for paper in papers:
            (self.deleted if paper.deleted_at is not None else self.papers)[paper.id] = paper

    @property
    def machine(self) -> Machine:
        """This machine as syncing names it (made on the first ask, then kept: one
        id, even when the app's sync thread and a key ask for it at once)."""
        with self._clock_made:
            if self._machine is None:
                self._machine = machine.this_machine(self.path)
            return self._machine

    @property
    def clock(self) -> HybridClock:
        """This machine's clock, which stamps every change (userstate.py)."""
        node = self.machine.id
        with self._clock_made:
            if self._clock is None:
                self._clock = HybridClock(node)
            return self._clock

    def _batch(self, entries: Sequence[Metadata] = ()) -> _Batch:
        """The papers to change, copied as they change; they replace the live ones
        only once written. A library opened in part first reads the papers the
        ``entries`` may be (the identity index says which), or becomes whole."""
        if self.partial and len(entries) > SEEK_AT_MOST:
            self._become_whole()  # one read of everything beats that many seeks
        elif self.partial:
            self._read_papers_met(entries)
        return _Batch(
            dict(self.papers), dict(self._identity_index()), self._next_id, dict(self.deleted)
        )

    def _read_papers_met(self, entries: Sequence[Metadata]) -> None:
        """For an import into a library opened in part: the papers its entries may
        be, read by seeking, with the entries of the identity index that the import
        can look up or change (those of its entries' keys and of the papers they
        meet), each found by seeking too. Without a kept index the library is read
        whole."""
        keys = {key for entry in entries for key in _keys(entry)}
        index = self._store.read_identity(keys)
        if index is None:
            self._become_whole()
            return
        met = {paper_id for paper_id in index.values() if paper_id > 0}
        held = {*self.papers, *self.deleted}
        self._hold(self._store.read_some(met - held).values())
        # A paper an import changes is indexed again under its own keys.
        papers = (self.papers.get(i) or self.deleted.get(i) for i in met)
        more = {key for paper in papers if paper is not None for key in _keys(paper)} - keys
        found = self._store.read_identity(more) if more else {}
        if found is None:
            self._become_whole()
            return
        self._identity = {**index, **found}  # the part of the index this import may touch

    def _become_whole(self) -> None:
        """Read the rest of the library: this one was opened in part (the lock is held)."""
        self._identity = None  # it held part of the index: the whole is read when needed
        snapshot = self._store.open_whole()
        self.papers, self._next_id = snapshot.decoded, snapshot.next_id
        self._set_deleted_apart()
        self.partial, self._first_page, self._unread = False, None, None

    def _commit(self, batch: _Batch, reason: str) -> None:
        self._store.require_writable()  # before the backup: a read-only library changes nothing
        if self._store.holds_papers or self.papers or self.deleted:  # deleted ones come back
            self.backup(reason)
        previous = self.papers, self._next_id
        known = self._identity_index()
        # The keys the batch indexed, not the whole index: 300,000 at 100k papers.
        added = {k: batch.index[k] for k in batch.indexed if known.get(k) != batch.index[k]}
        deleted = self.deleted
        with self._moving:
            self.papers, self.deleted, self._next_id = batch.papers, batch.deleted, batch.next_id
        try:
            self._write_changes(batch.changed, added, batch.index)
        except BaseException:
            with self._moving:
                (self.papers, self._next_id), self.deleted = previous, deleted
            raise
        self._identity = batch.index
        if self.partial:
            self._page_changes |= batch.changed
            self._page_added |= {i for i in batch.changed if i >= previous[1]}
        else:
            self._unread = None

    # --- user actions -------------------------------------------------------------

    def set_status(self, ids: Sequence[int], status: Status) -> Change:
        status = Status(status)
        now = now_iso()
        read_at = now if status is Status.READ else None
        changes = {}
        for paper_id in ids:
            paper = self.get(paper_id)
            if paper.status is not status:
                changes[paper_id] = {"status": status.value, "read_at": read_at}
        label = f"marked {_count(len(changes))} {status.value}"
        return self._apply(label, changes, now)

    def toggle_read(self, paper_id: int) -> Change:
        paper = self.get(paper_id)
        return self.set_status([paper_id], Status.UNREAD if paper.is_read else Status.READ)

    def set_priority(self, ids: Sequence[int], priority: int) -> Change:
        if not PRIORITY_NONE <= priority <= PRIORITY_HIGH:
            raise ReadqError(f"priority must be 0 to 3, not {priority}.")
        changes = {i: {"priority": priority} for i in ids if self.get(i).priority != priority}
        return self._apply(f"set priority {priority} on {_count(len(changes))}", changes)

    def set_note(
        self, paper_id: int, text: str, *, based_on: Sequence[dict[str, Any]] | None = None
    ) -> Change:
        """Set the note; ``based_on``: the note's versions when the user began to
        edit it (an editor open while a sync merged another machine's note), so
        that a version the edit never saw is kept beside it, not replaced."""
        paper = self.get(paper_id)
        text = clean_block(text)
        if text != paper.notes and len(paper.note_versions) > 1:  # saved with the sides named
            text = userstate.neutral_sides(text, self.machine.name)
        changes = {paper_id: {"notes": text}} if text != paper.notes else {}
        bases = {paper_id: list(based_on)} if based_on is not None else None
        return self._apply(f"edited the note of #{paper_id}", changes, note_bases=bases)

    def append_note(self, paper_id: int, text: str) -> Change:
        current = self.get(paper_id).notes
        return self.set_note(paper_id, f"{current}\n\n{text}" if current else text)

    def change_tags(
        self, ids: Sequence[int], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> Change:
        added, removed = _tag_names(add), set(_tag_names(remove))
        changes = {}
        for paper_id in ids:
            tags = self.get(paper_id).tags
            new = [t for t in tags if t not in removed] + [t for t in added if t not in tags]
            if new != tags:
                changes[paper_id] = {"tags": new}
        return self._apply(f"changed tags of {_count(len(changes))}", changes)

    def set_tags(self, paper_id: int, tags: Iterable[str]) -> Change:
        new = _tag_names(tags)
        changes = {paper_id: {"tags": new}} if new != self.get(paper_id).tags else {}
        return self._apply(f"changed tags of #{paper_id}", changes)

    def delete(self, ids: Sequence[int]) -> Change:
        """Take papers out of the library; they are kept hidden so that undo (and
        ``undelete``) can bring them back, state and notes included."""
        now = now_iso()
        for paper_id in ids:
            self.get(paper_id)  # an unknown or already deleted id is a mistake: say so
        changes: dict[int, dict[str, Any]] = {i: {"deleted_at": now} for i in dict.fromkeys(ids)}
        return self._apply(f"deleted {_count(len(changes))}", changes, now)

    def undelete(self, ids: Sequence[int]) -> Change:
        changes: dict[int, dict[str, Any]] = {}
        for paper_id in dict.fromkeys(ids):
            if self._paper(paper_id).deleted_at is not None:
                changes[paper_id] = {"deleted_at": None}
        return self._apply(f"brought back {_count(len(changes))}", changes)

    def undo(self) -> Change | None:
        change = self.history.next_undo()
        if change is None:
            return None
        self._store.require_writable()
        self._write_ops(self._still_undoable(change.before, change.after), now_iso())
        self.history.mark_undone()
        self._save_pending_of(change)
        return change

    def redo(self) -> Change | None:
        change = self.history.next_redo()
        if change is None:
            return None
        self._store.require_writable()
        self._write_ops(self._still_undoable(change.after, change.before), now_iso())
        self.history.mark_redone()
        self._save_pending_of(change)
        return change

    # --- internals -----------------------------------------------------------------

    def _still_undoable(self, target: Ops, undone: Ops) -> Ops:
        """The values of ``target`` (a change's before, for an undo) that take back
        only what the change did (``undone``: its after): a field another change
        has set since (a sync's merge, say) stays as it is, and tags come back or
        go by the names the change added and removed, the others' kept."""
        made = dict(undone)
        ops: Ops = []
        for paper_id, values in target:
            paper, did = self._paper(paper_id), made.get(paper_id, {})
            kept: dict[str, Any] = {}
            for name, value in values.items():
                if name == "tags":
                    added = [tag for tag in did.get("tags", ()) if tag not in value]
                    gone = [tag for tag in value if tag not in did.get("tags", ())]
                    now = paper.tags
                    tags = [t for t in now if t not in added] + [t for t in gone if t not in now]
                    if tags != now:
                        kept["tags"] = tags
                elif name != "read_at" and paper.stored(name) == did.get(name):
                    kept[name] = value
                    if name == "status" and "read_at" in values:
                        kept["read_at"] = values["read_at"]
            if kept:
                ops.append((paper_id, kept))
        return ops

    def _apply(
        self,
        label: str,
        changes: dict[int, dict[str, Any]],
        now: str = "",
        *,
        note_bases: NoteBases | None = None,
    ) -> Change:
        """Make ``changes`` durable and live, and record them for undo.
        ``note_bases``: the note versions a new note was written over (set_note)."""
        before: Ops = []
        after: Ops = []
        for paper_id, values in changes.items():
            paper = self._paper(paper_id)
            # Only the fields that change: a whole record per paper made "mark all
            # 100,000 shown read" copy every field of every paper.
            before.append((paper_id, {name: paper.stored(name) for name in values}))
            after.append((paper_id, values))
        change = Change(label, before, after)
        if after:
            self._store.require_writable()  # before memory changes: nothing runs ahead
            self._write_ops(after, now or now_iso(), note_bases)
            self.history.record(change)
            self._save_pending_of(change)
        return change

    def _save_pending_of(self, change: Change) -> None:
        """save_pending, after ``change`` went live: a refusal carries the change."""
        try:
            self.save_pending()
        except NotSaved as error:
            error.change = change
            raise

    def save_pending(self) -> None:
        """Write the actions the disk refused earlier, in order; NotSaved if it still refuses.

        Memory runs ahead of the disk only here, and only for actions listed in
        ``pending``: the user keeps working through a full disk, is told, and
        nothing is lost once space is freed.
        """
        while self.pending:
            try:
                self._store.append(self.pending[0])
            except OSError as error:
                count = _count(len(self.pending)).replace("paper", "change")
                raise NotSaved(
                    f"could not save ({error.strerror or error}): {count} kept in memory, "
                    "not yet on disk"
                ) from error
            self.pending.pop(0)

    def _write_ops(self, ops: Ops, now: str, note_bases: NoteBases | None = None) -> None:
        self._changed = True
        bases = note_bases or {}
        stamped: Ops = [(i, self._stamped(i, values, now, bases.get(i))) for i, values in ops]
        self.pending.append(stamped)
        for paper_id, values in stamped:
            paper = self._paper(paper_id)
            was_unread = _counted_unread(paper)
            self._reordered |= "priority" in values or "deleted_at" in values
            for name, value in values.items():
                setattr(paper, name, Status(value) if name == "status" else copy.copy(value))
            if "deleted_at" in values:
                into, out_of = (self.papers, self.deleted)
                if paper.deleted_at is not None:
                    into, out_of = out_of, into
                with self._moving:
                    out_of.pop(paper_id, None)
                    into[paper_id] = paper
            if self._unread is not None:
                self._unread += _counted_unread(paper) - was_unread

    def _stamped(
        self,
        paper_id: int,
        values: dict[str, Any],
        now: str,
        base: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """``values`` plus the marks that say when they changed (absolute, for the
        journal): clock stamps that order them across machines (userstate.py).
        ``base``: the note versions a new note was written over (default: all)."""
        paper = self._paper(paper_id)
        marks, versions, read_at = userstate.stamp_change(paper, values, self.clock, base)
        stamped = {**values, "updated_at": now, "changed_at": marks}
        if versions is not None:
            stamped["note_versions"] = versions
            if len(versions) > 1:  # the edit did not see them all: they are kept beside it
                shown = [userstate.NoteVersion.from_json(v) for v in versions]
                names = sync_memory.known_names(self.path)
                stamped["notes"] = userstate.render_note(shown, self.clock.node, names)
        if read_at is not None:
            stamped["read_at"] = read_at  # the stamp's time, as other machines read it
        return stamped

    def _write_all(self, *, carry: bool = False) -> None:
        """Write every paper as the new base; ``carry``: a compaction (the same
        papers), whose changes syncing should still see (LibraryStore.write_all)."""
        if self.partial:  # it would write the few papers it holds as the whole library
            raise ReadqError("internal error: a library opened in part cannot be written whole")
        self._changed = True
        records = _Records(self._all_papers())
        self._store.write_all(records, self._next_id, self._identity_index(), carry=carry)
        self.pending.clear()  # the snapshot holds them

    def _write_changes(
        self,
        ids: Iterable[int],
        identity_added: Mapping[str, int] | None = None,
        identity: Mapping[str, int] | None = None,
    ) -> None:
        """Write the papers ``ids`` and those with actions the disk refused earlier:
        what an import or a fold costs is what it changed (see segments.py).
        ``identity_added``: the identity index's new entries, kept beside them;
        ``identity``: the whole index after the change, should it compact."""
        self._changed = True
        refused = {paper_id for ops in self.pending for paper_id, _ in ops}
        papers = self._all_papers()
        if self.partial:  # the journal may have changed papers this library did not read
            held = {paper.id for paper in papers}
            papers += self._store.read_some(self._store.touched - held).values()
        self._store.write_changes(
            _Records(papers),
            {*ids, *refused},
            self._next_id,
            whole=not self.partial,
            identity=(lambda: identity) if identity is not None else self._identity_index,
            identity_added=identity_added,
        )
        self.pending.clear()  # written now

    def _identity_index(self) -> dict[str, int]:
        """Identity key -> paper id. Only imports and merges need it, so opening the
        library (every start of the app) does not pay for it; the segments keep it
        (segments.identity_name), and it is built from the papers only when not."""
        if self._identity is None and not self.partial:
            self._identity = self._store.read_identity()
        if self._identity is None:
            if self.partial:
                raise ReadqError("internal error: no identity index in a library opened in part")
            self._identity = self._index_from_papers()
        return self._identity

    def _index_from_papers(self) -> dict[str, int]:
        index: dict[str, int] = {}
        # Deleted papers too: an import that meets one again leaves it out.
        for paper in self._all_papers():
            _remember(index, _keys(paper), paper.id)
        return index


# Per paper, the note versions a new note was written over (Library.set_note).
NoteBases = dict[int, list[dict[str, Any]]]

# An import or merge of more entries than this into a library opened in part
# reads the library whole: seeking each of its papers (and their identity keys)
# costs more than one read of everything.
SEEK_AT_MOST = 5000

# In the identity index, an identifier's key that two different papers carry
# (a Mendeley export gave two papers one eprint): it finds neither.
_SHARED = -1


def _abstracts_left_in(fd: int, name: str) -> StoreText:
    """The stand-ins of the abstracts a segment's reader leaves in it (fd: its own)."""
    segment = SegmentFile(fd, name)
    return lambda start, length: StoredText(segment, start, length)


def _keys(paper: Metadata) -> list[str]:
    return identity_keys(paper.title, paper.authors, paper.arxiv_id, paper.doi)


def _remember(index: dict[str, int], keys: list[str], paper_id: int) -> None:
    """Index ``paper_id`` under ``keys``. A title stays with the first paper that
    had it; an identifier on two papers is marked shared."""
    for key in keys:
        held = index.setdefault(key, paper_id)
        if held != paper_id and is_strong_key(key):
            index[key] = _SHARED


class _Records(Mapping[int, dict[str, Any]]):
    """Papers as storage records, each made as the writer reaches it: a write of
    100,000 papers never holds 100,000 record dicts at once."""

    def __init__(self, papers: list[Paper]) -> None:
        self._papers = {paper.id: paper for paper in papers}

    def __getitem__(self, paper_id: int) -> dict[str, Any]:
        return self._papers[paper_id].to_record()

    def __iter__(self) -> Iterator[int]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)

    def field_columns(self) -> dict[str, list[Any]]:
        """The field index of these papers (fields.MakesColumns)."""
        return columns_of(self._papers.values())


@dataclass(slots=True)
class _Batch:
    """An import or merge being prepared: papers, identity index, next free id.

    ``papers`` starts as the live papers themselves; a paper is copied the first
    time the batch changes it (``writable``), so the live ones stay as they
    are until the batch is written, without copying a whole library up front.
    """

    papers: dict[int, Paper]
    index: dict[str, int]
    next_id: int
    deleted: dict[int, Paper]  # the user deleted them: never brought back by an import
    placed: list[int] = field(default_factory=list, init=False)  # each entry's paper, in order
    _own: set[int] = field(default_factory=set, init=False)  # ids of the batch's own papers
    _met: dict[int, list[int]] = field(default_factory=dict, init=False)  # id -> entry lines
    indexed: set[str] = field(default_factory=set, init=False)  # keys it put in the index

    @property
    def changed(self) -> set[int]:
        """The papers the batch added or changed."""
        return self._own

    def _remember(self, keys: list[str], paper_id: int) -> None:
        _remember(self.index, keys, paper_id)
        self.indexed.update(keys)

    def writable(self, paper_id: int) -> Paper:
        """The batch's own copy of the paper (a deleted one too), to change."""
        held = self.papers if paper_id in self.papers else self.deleted
        if paper_id not in self._own:
            held[paper_id] = copy.copy(held[paper_id])
            self._own.add(paper_id)
        return held[paper_id]

    def file(self, paper_id: int) -> None:
        """Put the paper with the live or the deleted ones, as it now is."""
        paper = self.papers.pop(paper_id, None) or self.deleted.pop(paper_id)
        (self.deleted if paper.deleted_at is not None else self.papers)[paper_id] = paper

    def find(self, entry: Metadata, keys: list[str] | None = None) -> int | None:
        """The paper ``entry`` is, if the batch knows it (a deleted one included).

        Each key, strongest first, proposes the paper it was last seen on; the
        first proposal whose identifiers do not prove it another paper wins. So
        two records with different DOIs stay two papers even with one title and
        first author, and a listing's paper (no DOI) is still found by its title.
        ``keys``: the entry's, when the caller has them already.
        """
        for key in keys if keys is not None else _keys(entry):
            found = self.index.get(key)
            if found is None or found == _SHARED:
                continue
            known = self.papers.get(found) or self.deleted.get(found)
            if known is None:  # an index entry for a paper that is not there: no match
                continue
            if not distinct_papers(known.doi, known.arxiv_id, entry.doi, entry.arxiv_id):
                return found
        return None

    def add(self, parsed: Iterable[ParsedPaper]) -> ImportSummary:
        summary = ImportSummary()
        now = now_iso()
        for entry in parsed:
            keys = _keys(entry)  # once: folding titles and names is half an import's work
            known = self.find(entry, keys)
            outcome: Outcome
            if known in self.deleted:
                summary.deleted.append(known)
                outcome = "deleted"
            elif known is None:
                paper = _new_paper(self.next_id, entry, now)
                self.papers[paper.id] = paper
                self._own.add(paper.id)
                self.next_id += 1
                summary.added.append(paper.id)
                known = paper.id
                self._remember(keys, known)  # a new paper's keys are the entry's
                outcome = "added"
            else:
                outcome = self._updated(known, entry, summary)
                (summary.unchanged if outcome == "unchanged" else summary.updated).append(known)
            self.placed.append(known)
            summary.outcomes.append(outcome)
            if known not in self.deleted:
                self._met.setdefault(known, []).append(entry.line)
        # A paper met twice in one file is counted once, by what happened to it at all.
        added = set(summary.added)
        summary.updated = list(dict.fromkeys(i for i in summary.updated if i not in added))
        changed = added | set(summary.updated)
        summary.unchanged = list(dict.fromkeys(i for i in summary.unchanged if i not in changed))
        summary.deleted = list(dict.fromkeys(summary.deleted))
        summary.replaced = list(dict.fromkeys(i for i in summary.replaced if i not in added))
        summary.duplicates = [lines for lines in self._met.values() if len(lines) > 1]
        summary.placed = self.placed
        return summary

    def _updated(self, known: int, entry: ParsedPaper, summary: ImportSummary) -> Outcome:
        """Fold ``entry`` into the known paper, and say what that did: its metadata
        changed (a newer arXiv version: replaced), or it was only seen in one
        more feed, or nothing."""
        version = self.papers[known].arxiv_version
        paper = self.writable(known)
        more_feeds = [name for name in entry.feeds or () if name not in paper.feeds]
        if more_feeds:
            paper.feeds = [*paper.feeds, *more_feeds]  # one paper, seen in each feed
        if not _merge_metadata(paper, entry):
            return "seen" if more_feeds else "unchanged"
        # It may have gained an arXiv id or a DOI to be found by.
        self._remember(_keys(paper), known)
        if version is not None and (paper.arxiv_version or 0) > version:
            summary.replaced.append(known)
            return "replaced"
        return "updated"


def _new_paper(paper_id: int, entry: ParsedPaper, now: str) -> Paper:
    status = entry.status or Status.UNREAD
    return Paper(
        id=paper_id,
        **entry.metadata(),
        status=status,
        priority=entry.priority or PRIORITY_NONE,
        notes=entry.notes or "",
        tags=_tag_names(entry.tags or ()),
        added_at=entry.added_at or now,
        read_at=entry.read_at or (now if status is Status.READ else None),
        updated_at=entry.updated_at or now,
        changed_at=dict(entry.changed_at or {}),
        note_versions=list(entry.note_versions or ()),
        arrived_from=entry.arrived_from,
        feeds=list(entry.feeds or ()),
    )


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def _merge_metadata(paper: Paper, entry: ParsedPaper) -> bool:
    """Take metadata from ``entry`` where it is richer; True when anything changed.

    Missing fields are filled in. A newer arXiv version brings its metadata
    (titles and abstracts get revised). The user's state is never touched.
    """
    # Only a known older version gives way: a paper met without a version (from a
    # listing or a .bib file) keeps its metadata and only gains what it lacks.
    known, offered = paper.arxiv_version, entry.arxiv_version
    newer = known is not None and offered is not None and offered > known
    changed = False
    for name in METADATA_FIELDS:
        new, old = getattr(entry, name), getattr(paper, name)
        if _is_missing(new) or new == old:
            continue
        if _is_missing(old) or (newer and name != "source"):
            setattr(paper, name, copy.copy(new))
            changed = True
    full_list = entry.authors and not entry.authors_truncated
    if paper.authors_truncated and full_list and len(entry.authors) >= len(paper.authors):
        paper.authors, paper.authors_truncated = list(entry.authors), False  # full beats cut
        changed = True
    return changed


def _tag_names(tags: Iterable[str]) -> list[str]:
    """Tags as people type them: trimmed, spaces to dashes, lower case, no repeats."""
    names: list[str] = []
    for tag in tags:
        name = "-".join(clean_line(tag).lower().lstrip("+#").split())
        if name and name not in names:
            names.append(name)
    return names


def _counted_unread(paper: Paper) -> int:
    """1 for a live unread paper: what unread_count counts."""
    return int(paper.deleted_at is None and paper.status is Status.UNREAD)


def _count(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"
