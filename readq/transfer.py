"""Import and export as one service for the CLI and the app, with progress and cancel.

An import is two steps, so that the app can do the slow one in a worker thread
while the library (which is not thread-safe) stays with the screen:

    parsed = read_and_parse(source, as_of=day, on_progress=tell, cancel=stop)  # any thread
    report = commit(library, parsed, cancel=stop)  # where the library lives: one write

``import_into`` does both. ``export_to`` renders papers and writes a file atomically.
Progress is reported through a callback, called on the working thread; a set
``cancel`` event stops the work at the next report with ``Cancelled``, and never
once the one durable write has begun, so the library is changed whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from readq import exporters, importers
from readq.atomicfile import atomic_write
from readq.collector import collector_paused
from readq.errors import ReadqError
from readq.importers import Problem
from readq.library import ImportSummary, Library
from readq.model import Paper, ParsedPaper

Stage = Literal["reading", "parsing", "saving", "writing"]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an import or export is.

    ``done`` and ``total`` count bytes: read so far and expected while reading
    (``total`` is None when unknown: standard input, a download that does not say
    its length), written once writing is over. ``papers`` counts papers parsed so
    far while parsing, and the papers being saved or written after that.
    """

    stage: Stage
    done: int = 0
    total: int | None = None
    papers: int = 0


OnProgress = Callable[[Progress], None]


class Cancelled(ReadqError):
    """The cancel event was set: the work stopped before anything was written."""

    def __init__(self, message: str = "import cancelled: the library is unchanged.") -> None:
        super().__init__(message)


class TargetExists(ReadqError):
    """The export's file exists and ``force`` was not given."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} exists; use --force to overwrite it.")
        self.path = path


@dataclass(slots=True)
class Parsed:
    """An input read and parsed, not yet in any library."""

    name: str  # for messages: the file name or URL, made safe to print
    fmt: str
    papers: list[ParsedPaper]
    problems: list[Problem]
    strict: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def problem_lines(self) -> list[str]:
        """One line per problem, as the CLI prints them."""
        return [f"{self.name}: {problem}" for problem in self.problems]

    def check(self) -> None:
        """ReadqError if nothing should be imported: malformed entries under strict,
        or no paper at all. commit checks too; call it early to refuse before a write."""
        errors = self.errors
        if self.strict and errors:
            raise ReadqError(
                f"{self.name} has {len(errors)} malformed entries and --strict was given: "
                "nothing was imported."
            )
        if not self.papers:
            raise ReadqError(f"{self.name} holds no paper readq could read: nothing was imported.")


@dataclass(slots=True)
class ImportReport:
    """What an import did, without the papers (the library holds them now)."""

    name: str
    fmt: str
    problems: list[Problem]
    papers_read: int
    summary: ImportSummary

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def describe(self) -> str:
        """The one-line summary, the same in the CLI and the app: ``x.bib: 55 papers
        read (bibtex): 50 added, 0 updated, 0 unchanged, 2 skipped; 3 duplicates
        within the file merged: lines 10/52, 14/60, 20/71.``"""
        errors = self.errors
        skipped = f", {len(errors)} skipped" if errors else ""
        duplicates = f"; {self.summary.duplicates_text()}" if self.summary.duplicates else ""
        read = f"{self.papers_read} {'paper' if self.papers_read == 1 else 'papers'} read"
        return f"{self.name}: {read} ({self.fmt}): {self.summary.counts()}{skipped}{duplicates}."


def import_into(
    library: Library,
    source: str,
    *,
    as_of: date,
    fmt: str | None = None,
    strict: bool = False,
    on_progress: OnProgress | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """read_and_parse, then commit: a whole import on one thread."""
    parsed = read_and_parse(
        source, as_of=as_of, fmt=fmt, strict=strict, on_progress=on_progress, cancel=cancel
    )
    return commit(library, parsed, on_progress=on_progress, cancel=cancel)


def read_and_parse(
    source: str,
    *,
    as_of: date,
    fmt: str | None = None,
    strict: bool = False,
    on_progress: OnProgress | None = None,
    cancel: threading.Event | None = None,
) -> Parsed:
    """Read ``source`` (a path, ``-`` or an http(s) URL) and parse it as ``fmt``, else
    as the format it looks like. Touches no library: safe in a worker thread.

    Reports "reading" per MiB and "parsing" every few hundred papers; Cancelled at
    the first report after ``cancel`` is set. Problems in the input are returned,
    not raised: see Parsed.check.
    """
    tell = _Reporter(on_progress, cancel)
    name, text = importers.read_source(source, on_bytes=tell.reading)
    chosen = fmt or importers.detect(text, name)
    tell.parsing(0)
    with collector_paused():  # see collector.py: a fifth of a large import's time
        result = importers.parse(text, chosen, as_of=as_of, on_paper=tell.parsing)
    del text  # up to 256 MB, and the papers no longer need it
    tell.parsing(len(result.papers))
    return Parsed(name, chosen, result.papers, result.problems, strict)


def commit(
    library: Library,
    parsed: Parsed,
    *,
    on_progress: OnProgress | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Add the parsed papers to ``library`` in its one durable write.

    Refuses as Parsed.check does. ``cancel`` is looked at once more after the
    "saving" report; from then on the import runs to its end.
    """
    parsed.check()
    _Reporter(on_progress, cancel)(Progress("saving", papers=len(parsed.papers)))
    for paper in parsed.papers:
        if paper.arrived_from is None:  # readq's own JSON says where it came from first
            paper.arrived_from = parsed.name
    with collector_paused():
        summary = library.add_many(parsed.papers)
    return ImportReport(parsed.name, parsed.fmt, parsed.problems, len(parsed.papers), summary)


def export_to(
    papers: Sequence[Paper],
    target: Path,
    *,
    fmt: str | None = None,
    force: bool = False,
    on_progress: OnProgress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write ``papers`` to ``target`` as ``fmt`` (else the format its extension says),
    atomically; return how many. TargetExists if it exists and ``force`` is not given."""
    chosen = fmt or exporters.format_for(target)
    if target.exists() and not force:
        raise TargetExists(target)
    tell = _Reporter(on_progress, cancel, "export cancelled: nothing was written.")
    tell(Progress("writing", papers=len(papers)))
    data = exporters.export(papers, chosen)
    tell(Progress("writing", 0, len(data), papers=len(papers)))  # the last chance to stop
    atomic_write(target, data)
    if on_progress is not None:
        on_progress(Progress("writing", len(data), len(data), papers=len(papers)))
    return len(papers)


class _Reporter:
    """Hands each Progress to the callback, then raises Cancelled if cancel is set:
    after, so that a callback that sets it stops the work at once."""

    __slots__ = ("cancel", "message", "on_progress")

    def __init__(
        self,
        on_progress: OnProgress | None,
        cancel: threading.Event | None,
        message: str | None = None,
    ) -> None:
        self.on_progress = on_progress
        self.cancel = cancel
        self.message = message

    def __call__(self, progress: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(progress)
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled() if self.message is None else Cancelled(self.message)

    def reading(self, done: int, total: int | None) -> None:
        self(Progress("reading", done, total))

    def parsing(self, papers: int) -> None:
        self(Progress("parsing", papers=papers))
