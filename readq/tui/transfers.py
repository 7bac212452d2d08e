"""Imports and exports from the app: in a worker thread, with progress, cancellable.

Reading and parsing (the slow part of a download or a large file) touch no
library, so the screen answers every key meanwhile. The one durable write at
the end does change the library, which is not thread-safe: while it runs,
keys that change papers are held and replayed after it (held_keys.py), and
the list is selected again from the new papers when it is done.

The worker never calls into the event loop to report progress (that would make
it wait on the screen); it leaves the latest Progress in an attribute, and a
timer on the screen draws it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.notifications import SeverityLevel

from readq import feedstate, fetching, transfer
from readq.errors import ReadqError
from readq.feeds import Feed
from readq.model import Paper
from readq.sanitize import clean_line
from readq.sync.run import SyncReport, sync_library

if TYPE_CHECKING:
    from readq.tui.app import ReadqApp

T = TypeVar("T")


@dataclass(slots=True)
class Job:
    """One import or export under way."""

    what: str  # "importing x.bib" / "exporting to y.csv", for the status bar
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: transfer.Progress | None = None  # the latest report, written by the worker
    committing: bool = False  # in the library's one write: keys that change papers wait
    # A fetch: each feed's latest step ("page 2", "42 papers"), and those done.
    steps: dict[str, str] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)


class Transfers:
    def __init__(self, app: ReadqApp) -> None:
        self.app = app
        self.job: Job | None = None
        self.quit_when_done = False  # quit was asked for while an import was being saved
        self.then: Callable[[], None] | None = None  # started when the job under way ends
        self.idle = threading.Event()  # no worker of a job is running (quitting waits)
        self.idle.set()

    @property
    def committing(self) -> bool:
        return self.job is not None and self.job.committing

    def _begin(self, what: str) -> Job | None:
        if self.job is not None:
            self.app.notify(f"Still {self.job.what}; ctrl+x cancels it.", markup=False)
            return None
        self.job = Job(clean_line(what))
        self.idle.clear()
        self.app.main.show_transfer(self.job)
        return self.job

    def cancel(self) -> None:
        """Ask the job under way to stop, unless it is already saving."""
        if self.job is None:
            self.app.notify("Nothing to cancel.")
        elif self.job.committing:
            self.app.notify("The import is being saved; it ends in a moment.")
        else:
            self.job.cancel.set()

    def stop(self) -> None:
        """Stop the job under way without a word: the app is quitting."""
        if self.job is not None:
            self.job.cancel.set()

    # --- importing --------------------------------------------------------------------

    def start_import(self, source: str, as_of: date) -> None:
        job = self._begin(f"importing {source}")
        if job is not None:
            self.app.run_worker(
                lambda: self._import(job, source, as_of), thread=True, group="transfer"
            )

    def _import(self, job: Job, source: str, as_of: date) -> None:
        def tell(progress: transfer.Progress) -> None:
            job.progress = progress

        def work() -> transfer.ImportReport:
            parsed = transfer.read_and_parse(
                source, as_of=as_of, on_progress=tell, cancel=job.cancel
            )
            parsed.check()
            # The gate to the write is passed on the event loop, between two keys:
            # no change is half made there, and none starts until the write ends.
            if not self.app.call_from_thread(self._may_commit, job):
                raise transfer.Cancelled()
            return transfer.commit(self.app.library, parsed, on_progress=tell)

        self._run(job, "Import", work, self._imported)

    def _may_commit(self, job: Job) -> bool:
        """On the event loop: whether the import may write, and from now on it does."""
        job.committing = not job.cancel.is_set()
        return job.committing

    def _imported(self, job: Job, report: transfer.ImportReport) -> None:
        self._end(job)
        message = report.describe()
        if len(report.problems) == 1:
            message += f" 1 problem: {report.problems[0]}"
        elif report.problems:
            message += f" {len(report.problems)} problems; the first: {report.problems[0]}"
            message += " (`readq import` in a shell lists them all)"
        self.app.notify(message, markup=False, timeout=10)
        self.app.papers_arrived()

    # --- fetching feeds ----------------------------------------------------------------

    def start_fetch(self, feeds: Sequence[Feed], as_of: date) -> None:
        noun = "feed" if len(feeds) == 1 else "feeds"
        job = self._begin(f"fetching {len(feeds)} {noun}")
        if job is not None:
            job.steps = {feed.name: "waiting" for feed in feeds}
            self.app.run_worker(
                lambda: self._fetch(job, feeds, as_of), thread=True, group="transfer"
            )

    def _fetch(self, job: Job, feeds: Sequence[Feed], as_of: date) -> None:
        def tell(name: str, step: str, finished: bool) -> None:
            job.steps = {**job.steps, name: step}  # a new dict: the timer may be reading it
            if finished:
                job.finished = {*job.finished, name}

        path = self.app.library.path

        def work() -> list[fetching.FeedReport]:
            states = feedstate.load(path)
            downloads = fetching.fetch_all(
                feeds, states, as_of=as_of, cancel=job.cancel, on_step=tell
            )
            if job.cancel.is_set():
                raise transfer.Cancelled("fetch cancelled: the library is unchanged.")
            library = None
            if any(download.papers for download in downloads):
                if not self.app.call_from_thread(self._may_commit, job):
                    raise transfer.Cancelled("fetch cancelled: the library is unchanged.")
                library = self.app.library
            reports = fetching.commit(library, downloads)
            with contextlib.suppress(OSError):  # the papers are in; a cache of validators
                fetching.remember(path, states, downloads, reports)
            return reports

        self._run(job, "Fetch", work, self._fetched)

    def _fetched(self, job: Job, reports: list[fetching.FeedReport]) -> None:
        self._end(job)
        added = sum(len(report.added) for report in reports)
        failed = [report for report in reports if not report.ok]
        message = f"Fetched {len(reports) - len(failed)} of {len(reports)} feeds: {added} new."
        if failed:
            message += " " + "; ".join(report.line() for report in failed)
        severity: SeverityLevel = "warning" if failed else "information"
        self.app.notify(clean_line(message), severity=severity, markup=False, timeout=10)
        if any(report.changed for report in reports):
            self.app.papers_arrived()

    # --- syncing ------------------------------------------------------------------------

    def start_sync(self, folder: Path, then: Callable[[], None] | None = None) -> None:
        """Sync through ``folder`` (readq/sync) in a thread; ``then``: what to start
        once it is done (a fetch that was due as the app started)."""
        job = self._begin(f"syncing with {folder}")
        if job is not None:
            self.then = then
            self.app.run_worker(lambda: self._sync(job, folder), thread=True, group="transfer")

    def _sync(self, job: Job, folder: Path) -> None:
        def gate() -> None:
            # Writing this machine's file and reading the others' touch no paper;
            # the merge does, so it passes the import's gate.
            if job.cancel.is_set() or not self.app.call_from_thread(self._may_commit, job):
                raise transfer.Cancelled("sync cancelled: the library is unchanged.")

        self._run(job, "Sync", lambda: sync_library(self.app.library, folder, commit=gate),
                  self._synced)  # fmt: skip

    def _synced(self, job: Job, report: SyncReport) -> None:
        self._end(job)
        message = report.describe()
        if report.problems:
            message += " " + "; ".join(report.problems)
        severity: SeverityLevel = "warning" if report.problems else "information"
        self.app.notify(clean_line(message), severity=severity, markup=False, timeout=10)
        merged = report.merged
        if merged is not None and (merged.added or merged.updated):
            self.app.papers_arrived()

    # --- exporting --------------------------------------------------------------------

    def start_export(self, papers: list[Paper], target: Path) -> None:
        job = self._begin(f"exporting to {target}")
        if job is not None:
            self.app.run_worker(
                lambda: self._export(job, papers, target), thread=True, group="transfer"
            )

    def _export(self, job: Job, papers: list[Paper], target: Path) -> None:
        def tell(progress: transfer.Progress) -> None:
            job.progress = progress

        def work() -> int:
            try:
                return transfer.export_to(papers, target, on_progress=tell, cancel=job.cancel)
            except transfer.TargetExists:
                raise ReadqError(f"{target} exists; choose another name.") from None

        self._run(job, "Export", work, lambda job, count: self._exported(job, count, target))

    def _exported(self, job: Job, count: int, target: Path) -> None:
        self._end(job)
        self.app.notify(f"Exported {count} papers to {clean_line(str(target))}", markup=False)

    # --- running and ending -------------------------------------------------------------

    def _run(
        self, job: Job, what: str, work: Callable[[], T], done: Callable[[Job, T], None]
    ) -> None:
        """Do ``work`` on this (worker) thread; hand its result to ``done`` on the event
        loop, or a failure, as one line, to a notification."""
        try:
            self._work(job, what, work, done)
        finally:
            self.idle.set()

    def _work(
        self, job: Job, what: str, work: Callable[[], T], done: Callable[[Job, T], None]
    ) -> None:
        try:
            result = work()
        except transfer.Cancelled as cancelled:
            self.app.call_from_thread(self._failed, job, f"Cancelled: {cancelled}", cancel=True)
        except (ReadqError, OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.app.call_from_thread(self._failed, job, f"{what} failed: {reason}")
        else:
            self.app.call_from_thread(done, job, result)

    def _failed(self, job: Job, message: str, *, cancel: bool = False) -> None:
        self._end(job)
        severity: SeverityLevel = "information" if cancel else "error"
        self.app.notify(clean_line(message), severity=severity, markup=False, timeout=10)

    def _end(self, job: Job) -> None:
        self.job = None
        self.app.main.show_transfer(None)
        then, self.then = self.then, None
        if self.quit_when_done:  # after the keys typed before quit was asked for
            self.app.press_after_held("ctrl+q")
            return
        self.app.replay_held_keys()  # keys held while the library was being written
        if then is not None:
            then()
