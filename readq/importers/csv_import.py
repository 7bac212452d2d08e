"""CSV reading lists: a header row naming the columns, then one paper per row.

Provides ``is_csv`` (the content sniff) and ``parse``. Columns are matched by
name, case-insensitively, with a few aliases (see ``COLUMNS``); the delimiter is
whichever of comma, semicolon and tab makes the header hold a ``title`` column.

Decisions worth knowing:

- Unknown columns are named in one warning; repeated columns in another (the
  first one is read). A row without a title is skipped with an error.
- A value readq cannot use (a status that is not read/unread, a priority outside
  0-3, a date that is not ISO, a DOI or arXiv id that is not one, a link that is
  not http(s)) is left unset with a warning; the rest of the row is kept.
- ``published`` keeps the precision given: ``2021``, ``2021-08`` or ``2021-08-08``.
- With no arxiv_id column, an arXiv link in ``url`` gives the arXiv id.
- Cells that look like spreadsheet formulas (``=``, ``+``, ``-``, ``@``) are
  imported as the text they are; defusing them is an exporter's job.
- A cell the csv module cannot read (larger than ``MAX_FIELD``) ends the import
  of the file at that row with an error: after it the quoting state is unknown,
  so later rows could be misread.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Final, TypeVar

from readq.exporters.csv_export import FORMULA_STARTS
from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.identifiers import clean_doi, is_web_url, short_category, split_arxiv_id
from readq.importers.names import split_names
from readq.model import PRIORITY_HIGH, PRIORITY_NONE, ParsedPaper, Status
from readq.sanitize import clean_block, clean_line

SOURCE: Final = "csv"
SNIFF_CHARS: Final = 4096
DELIMITERS: Final = (",", ";", "\t")
# The csv module's default limit is 128 KiB; an abstract or a page of notes
# fits in 1 MiB, and anything larger is a broken file rather than a paper.
MAX_FIELD: Final = 1024 * 1024

# Normalised header name -> the field it fills.
COLUMNS: Final = {
    "title": "title",
    "authors": "authors",
    "author": "authors",
    "published": "published",
    "date": "published",
    "year": "published",
    "url": "url",
    "link": "url",
    "doi": "doi",
    "abstract": "abstract",
    "tags": "tags",
    "keywords": "tags",
    "status": "status",
    "read": "status",
    "priority": "priority",
    "notes": "notes",
    "note": "notes",
    "arxiv_id": "arxiv_id",
    "arxiv": "arxiv_id",
    "category": "category",
}
STATUS_VALUES: Final = {
    **dict.fromkeys(("read", "yes", "true", "1"), Status.READ),
    **dict.fromkeys(("unread", "no", "false", "0"), Status.UNREAD),
}
PRIORITY_WORDS: Final = {"none": 0, "low": 1, "medium": 2, "high": 3}

_NOT_ALNUM: Final = re.compile(r"[^0-9a-z]+")
_AND: Final = re.compile(r"\s+and\s+")
_ET_AL: Final = re.compile(r",?\s*\bet\s+al\.?$")
_TAG_SEPARATOR: Final = re.compile(r"[;,]")
# 2021, 2021-08, 2021-08-08, and a time after a full date (spreadsheets add one).
_DATE: Final = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}.*)?)?)?")
T = TypeVar("T")


# Cells readq's own export neutralised against spreadsheet formulas: '=..., '+...
NEUTRALISED: Final = tuple("'" + start for start in FORMULA_STARTS)


def is_csv(text: str) -> bool:
    """True when the first row, split on comma, semicolon or tab, has a ``title`` column."""
    return _delimiter(text[:SNIFF_CHARS]) is not None


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Every row of a CSV reading list. ``as_of`` is unused: rows carry their own dates."""
    result = ParseResult(on_paper=on_paper)
    delimiter = _delimiter(text[:SNIFF_CHARS])
    if delimiter is None:
        result.problems.append(
            Problem(1, "not a CSV reading list: the first row has no 'title' column")
        )
        return result
    # The limit is process-wide, so it is raised only while this file is read.
    previous_limit = csv.field_size_limit(MAX_FIELD)
    try:
        _read(text, delimiter, result)
    finally:
        csv.field_size_limit(previous_limit)
    return result


def _normalise(name: str) -> str:
    """``arXiv ID`` -> ``arxiv_id``: how header names are compared."""
    return _NOT_ALNUM.sub("_", clean_line(name).casefold()).strip("_")


def _delimiter(head: str) -> str | None:
    """The delimiter that gives the first non-empty row the most cells, one of them title."""
    best: tuple[int, str] | None = None
    for delimiter in DELIMITERS:
        header = _first_row(head, delimiter)
        if "title" in map(_normalise, header) and (best is None or len(header) > best[0]):
            best = len(header), delimiter
    return best[1] if best else None


def _first_row(head: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        return next((row for row in reader if any(cell.strip() for cell in row)), [])
    except csv.Error:
        return []


def _records(
    text: str, delimiter: str, result: ParseResult
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each non-blank record; a csv.Error ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.problems.append(
                Problem(
                    start,
                    f"cannot read this row ({error}); it and the rest of the file were skipped",
                )
            )
            return
        first, start = start, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield first, reader.line_num, [_unneutralised(cell) for cell in row]


def _unneutralised(cell: str) -> str:
    """Undo the apostrophe readq's CSV export puts before formula-looking cells."""
    return cell[1:] if cell.startswith(NEUTRALISED) else cell


class _Header:
    """Which cell holds which field, read from the header row."""

    def __init__(self, cells: list[str], line: int, result: ParseResult) -> None:
        self.width = len(cells)
        self.index: dict[str, int] = {}
        unknown: list[str] = []
        repeated: list[str] = []
        for position, cell in enumerate(cells):
            name = _shown(clean_line(cell)) if cell.strip() else f"column {position + 1} (no name)"
            field = COLUMNS.get(_normalise(cell))
            if field is None:
                unknown.append(name)
            elif field in self.index:
                repeated.append(name)
            else:
                self.index[field] = position
        if unknown:
            result.problems.append(
                Problem(
                    line,
                    f"ignored unknown columns: {', '.join(unknown)} "
                    f"(readq reads: {', '.join(sorted(set(COLUMNS)))})",
                    "warning",
                )
            )
        if repeated:
            result.problems.append(
                Problem(
                    line,
                    f"ignored repeated columns: {', '.join(repeated)} "
                    "(an earlier column gives the same field)",
                    "warning",
                )
            )

    def cell(self, row: list[str], field: str) -> str:
        position = self.index.get(field)
        return row[position] if position is not None and position < len(row) else ""


def _read(text: str, delimiter: str, result: ParseResult) -> None:
    header: _Header | None = None
    for first, last, row in _records(text, delimiter, result):
        if header is None:
            header = _Header(row, first, result)
            continue
        _row(header, row, first, last, result)


def _row(header: _Header, row: list[str], first: int, last: int, result: ParseResult) -> None:
    def warn(reason: str) -> None:
        result.problems.append(Problem(first, reason, "warning"))

    title = clean_line(header.cell(row, "title"))
    if not title:
        result.problems.append(Problem(first, "row has no title; skipped"))
        return
    if len(row) > header.width and any(cell.strip() for cell in row[header.width :]):
        warn(f"row has {len(row)} cells but the header names {header.width}; extra cells ignored")
    single_line = [f for f in header.index if f not in ("notes", "abstract")]
    if last > first and any("\n" in header.cell(row, f) for f in single_line):
        warn(f"row runs from line {first} to {last}: is a quote missing?")
    authors, truncated = _authors(header.cell(row, "authors"))
    paper = ParsedPaper(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        abstract=clean_line(header.cell(row, "abstract")),
        notes=clean_block(header.cell(row, "notes")) or None,
        tags=_tags(header.cell(row, "tags")),
        source=SOURCE,
        line=first,
    )
    category = clean_line(header.cell(row, "category"))
    paper.category = short_category(category) if category else None
    cell = header.cell
    paper.published = _checked(cell(row, "published"), _date, "a date (YYYY-MM-DD)", warn)
    paper.status = _checked(cell(row, "status"), _status, "a status (read/unread, yes/no)", warn)
    paper.priority = _checked(
        cell(row, "priority"), _priority, "a priority (0-3, none/low/medium/high)", warn
    )
    paper.doi = _checked(cell(row, "doi"), clean_doi, "a DOI", warn)
    paper.url = _checked(cell(row, "url"), _url, "an http(s) link", warn)
    arxiv = _checked(cell(row, "arxiv_id"), split_arxiv_id, "an arXiv id", warn)
    if arxiv is None and paper.url:
        arxiv = split_arxiv_id(paper.url)
    if arxiv is not None:
        paper.arxiv_id, paper.arxiv_version = arxiv
    result.add(paper)


def _checked(
    raw: str, read: Callable[[str], T | None], what: str, warn: Callable[[str], None]
) -> T | None:
    """``read(value)``, or None with a warning naming the value when it cannot be read."""
    value = clean_line(raw)
    if not value:
        return None
    parsed = read(value)
    if parsed is None:
        warn(f"{_shown(value)} is not {what}; left unset")
    return parsed


def _shown(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[: width - 1] + "…")


def _authors(text: str) -> tuple[list[str], bool]:
    """Names split on ``;`` and `` and ``; commas only when every part reads as a name.

    ``Park, Junie`` stays one author; ``Junie Park, Oskar Lind`` becomes two.
    """
    text = clean_line(text)
    truncated = _ET_AL.search(text) is not None
    text = _ET_AL.sub("", text)
    names: list[str] = []
    for part in (p for chunk in text.split(";") for p in _AND.split(chunk)):
        part = part.strip(" ,")
        if part:
            names.extend(split_names(part) or [part])
    return list(dict.fromkeys(names)), truncated


def _tags(text: str) -> list[str] | None:
    tags = [tag for tag in (clean_line(t) for t in _TAG_SEPARATOR.split(text)) if tag]
    return tags or None


def _date(text: str) -> str | None:
    """An ISO date at the precision given (``2021``, ``2021-08``, ``2021-08-08``), or None."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    except ValueError:
        return None
    return "-".join(part for part in (match["y"], match["m"], match["d"]) if part)


def _status(text: str) -> Status | None:
    return STATUS_VALUES.get(text.lower())


def _priority(text: str) -> int | None:
    text = text.lower()
    if text in PRIORITY_WORDS:
        return PRIORITY_WORDS[text]
    if text.isascii() and text.isdigit() and PRIORITY_NONE <= int(text) <= PRIORITY_HIGH:
        return int(text)
    return None


def _url(text: str) -> str | None:
    return text if is_web_url(text) else None
