"""CSV reading lists: a header row naming the columns, then one paper per row.

Provides ``is_csv`` (the content sniff) and ``parse``. Columns are matched by
name, case-insensitively, with the names reference managers give them (see
``COLUMNS``: Zotero's ``Author``, ``Abstract Note``, ``Manual Tags``,
``Publication Year``; Scopus's ``Source title``, ``Author Keywords``; Embase's
``Author Names``; ASReview's ``first_authors``, ``publication_year``); the
delimiter is whichever of comma, semicolon and tab gives the header the most
cells, one of them a title column.

Decisions worth knowing:

- Unknown columns are named in one warning; repeated columns in another (the
  first one is read). Several date columns (Zotero's ``Publication Year`` and
  ``Date``) are not repeats: the most precise date wins. A row without a title
  is skipped with an error.
- Author cells list people as ``Family, Given; Family, Given``, ``Family, Given
  and Family, Given``, ``Given Family, Given Family`` or ``Family I., Family I.``
  (Embase, Scopus, PubMed), run together as Springer Link writes them
  (``Andy SmithTom Weber``), or as a Python list (ASReview); each person is kept
  given names first, in order, repeats too (two people can share ``S. Zhang``).
  A trailing ``et al.`` sets authors_truncated. See names.split_people.
- A value readq cannot use (a status that is not read/unread, a priority outside
  0-3, a date, DOI, arXiv id, score or yes/no that is not one, a link that is
  not http(s)) is left unset with a warning; the rest of the row is kept.
- ``published`` keeps the precision given: ``2021``, ``2021-08`` or
  ``2021-08-08`` (``2021/08/08/``, as RIS writes dates, too).
- With no arXiv id in its column, an arXiv link in ``url`` or arXiv's DOI gives it.
- A file whose header holds every column of readq's own export is readq's own:
  its lists are split on ``;`` only and its names kept as written, so that a
  readq export reads back to the same papers.
- Cells that look like spreadsheet formulas (``=``, ``+``, ``-``, ``@``) are
  imported as the text they are; defusing them is an exporter's job.
- A cell the csv module cannot read (larger than ``MAX_FIELD``) ends the import
  of the file at that row with an error: after it the quoting state is unknown,
  so later rows could be misread.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Final, TypeVar

from readq.exporters import csv_export
from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import date_numbers, find_arxiv, list_literal, published, split_list
from readq.importers.fields import venue_name as _venue_name
from readq.importers.identifiers import clean_doi, is_web_url, short_category, split_arxiv_id
from readq.importers.names import given_first, split_glued, split_people
from readq.model import PRIORITY_HIGH, PRIORITY_NONE, ParsedPaper, Status
from readq.sanitize import clean_block, clean_line

SOURCE: Final = "csv"
SNIFF_CHARS: Final = 4096
DELIMITERS: Final = (",", ";", "\t")
# The csv module's default limit is 128 KiB; an abstract or a page of notes
# fits in 1 MiB, and anything larger is a broken file rather than a paper.
MAX_FIELD: Final = 1024 * 1024
# Rows read before the first paper is made, to learn how the author column
# separates people (see _Header.commas_inside).
SNIFF_ROWS: Final = 200
# Springer Link's header (``Item Title``, ``Content Type``): its author cells run
# the names together, ``Andy SmithTom Weber`` (see names.split_glued).
GLUED_NAMES_COLUMNS: Final = ("item_title", "content_type", "authors")
# Unknown columns named in the warning; Zotero's export has some 80 of them.
MAX_NAMED_COLUMNS: Final = 10

# Normalised header name -> the field it fills.
COLUMNS: Final = {
    **dict.fromkeys(
        ("title", "document_title", "article_title", "item_title", "primary_title"), "title"
    ),
    **dict.fromkeys(("authors", "author", "author_names", "author_s", "first_authors"), "authors"),
    **dict.fromkeys(
        ("published", "date", "year", "publication_year", "publication_date"), "published"
    ),
    **dict.fromkeys(("url", "link", "urls"), "url"),
    **dict.fromkeys(("doi", "item_doi"), "doi"),
    **dict.fromkeys(("abstract", "abstract_note", "notes_abstract"), "abstract"),
    **dict.fromkeys(("tags", "keywords", "manual_tags", "author_keywords"), "tags"),
    **dict.fromkeys(("status", "read"), "status"),
    "priority": "priority",
    **dict.fromkeys(("notes", "note"), "notes"),
    **dict.fromkeys(("arxiv_id", "arxiv"), "arxiv_id"),
    "category": "category",
    **dict.fromkeys(("authors_truncated", "et_al"), "authors_truncated"),
    **dict.fromkeys(("orgs", "organisations", "organizations"), "orgs"),
    "score": "score",
    **dict.fromkeys(("has_code", "code"), "has_code"),
    "categories": "categories",
    "flags": "flags",
    **dict.fromkeys(
        (
            "venue",
            "journal",
            "publication",
            "publication_title",
            "source_title",
            "journal_book",
            "secondary_title",
        ),
        "venue",
    ),
    "citation_key": "citation_key",
    "announce_type": "announce_type",
}
# Fields that may come from several columns at once: the best value wins.
MERGED: Final = frozenset({"published"})
# Fields whose cells may hold several lines.
MULTI_LINE: Final = frozenset({"notes", "abstract"})
STATUS_VALUES: Final = {
    **dict.fromkeys(("read", "yes", "true", "1"), Status.READ),
    **dict.fromkeys(("unread", "no", "false", "0"), Status.UNREAD),
}
YES_NO: Final = {
    **dict.fromkeys(("yes", "y", "true", "1", "x"), True),
    **dict.fromkeys(("no", "n", "false", "0"), False),
}
PRIORITY_WORDS: Final = {"none": 0, "low": 1, "medium": 2, "high": 3}

_NOT_ALNUM: Final = re.compile(r"[^0-9a-z]+")
_ET_AL: Final = re.compile(r"(?:,?\s*\bet\s+al\.?|\s+and\s+others)$")
# 2021, 2021-08, 2021-08-08, and a time after a full date (spreadsheets add one).
_DATE: Final = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}.*)?)?)?")
# As RIS writes dates (ASReview's CSV files carry them so): 2014//, 2014/03/05/.
_SLASH_DATE: Final = re.compile(r"\d{4}(?:/\d{0,2}){0,3}")
T = TypeVar("T")


def is_csv(text: str) -> bool:
    """True when the first row, split on comma, semicolon or tab, has a title column."""
    return _delimiter(text[:SNIFF_CHARS]) is not None


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Every row of a CSV reading list. ``as_of`` is unused: rows carry their own dates."""
    result = ParseResult(on_paper=on_paper)
    text = text.removeprefix("\ufeff")
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
        header = _first_row(head.removeprefix("\ufeff"), delimiter)
        has_title = any(COLUMNS.get(_normalise(cell)) == "title" for cell in header)
        if has_title and (best is None or len(header) > best[0]):
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
            yield first, reader.line_num, [csv_export.unneutralise(cell) for cell in row]


class _Header:
    """Which cell holds which field, read from the header row."""

    def __init__(self, cells: list[str], line: int, result: ParseResult) -> None:
        self.width = len(cells)
        self.index: dict[str, int] = {}
        self.merged: dict[str, list[int]] = {}
        unknown: list[str] = []
        repeated: list[str] = []
        names = [_normalise(cell) for cell in cells]
        for position, (cell, normal) in enumerate(zip(cells, names, strict=True)):
            name = _shown(clean_line(cell)) if cell.strip() else f"column {position + 1} (no name)"
            field = COLUMNS.get(normal)
            if field is None:
                unknown.append(name)
            elif field in MERGED:
                self.merged.setdefault(field, []).append(position)
            elif field in self.index:
                repeated.append(name)
            else:
                self.index[field] = position
        # readq's own export: lists split on ";" only, names as written.
        self.own = set(csv_export.OWN_COLUMNS) <= set(names)
        # Springer Link's export, which runs the names in its author cells together.
        self.glued = set(GLUED_NAMES_COLUMNS) <= set(names)
        # Whether the author column separates people with ";" (learnt from the
        # first rows): then a comma in a cell is inside a name, ``De Boer, Jan``.
        self.commas_inside = False
        if unknown:
            named = ", ".join(unknown[:MAX_NAMED_COLUMNS])
            more = len(unknown) - MAX_NAMED_COLUMNS
            named += f" and {more} more" if more > 0 else ""
            result.problems.append(
                Problem(
                    line,
                    f"ignored unknown columns: {named} "
                    f"(readq reads: {', '.join(sorted(set(COLUMNS.values())))})",
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

    def cells(self, row: list[str], field: str) -> list[str]:
        """Every column's cell for a merged field (see MERGED)."""
        return [row[p] for p in self.merged.get(field, ()) if p < len(row)]

    def learn(self, rows: Iterable[list[str]]) -> None:
        cells = (self.cell(row, "authors") for row in rows)
        self.commas_inside = any(";" in c and list_literal(c) is None for c in cells)


def _read(text: str, delimiter: str, result: ParseResult) -> None:
    records = _records(text, delimiter, result)
    first = next(records, None)
    if first is None:
        return
    header = _Header(first[2], first[0], result)
    head = list(itertools.islice(records, SNIFF_ROWS))
    header.learn(row for _, _, row in head)
    for start, last, row in itertools.chain(head, records):
        _row(header, row, start, last, result)


def _row(header: _Header, row: list[str], first: int, last: int, result: ParseResult) -> None:
    def warn(reason: str) -> None:
        result.problems.append(Problem(first, reason, "warning"))

    title = clean_line(header.cell(row, "title"))
    if not title:
        result.problems.append(Problem(first, "row has no title; skipped"))
        return
    if len(row) > header.width and any(cell.strip() for cell in row[header.width :]):
        warn(f"row has {len(row)} cells but the header names {header.width}; extra cells ignored")
    single_line = [f for f in header.index if f not in MULTI_LINE]
    if last > first and any("\n" in header.cell(row, f) for f in single_line):
        warn(f"row runs from line {first} to {last}: is a quote missing?")
    cell = header.cell
    authors, truncated = _authors(cell(row, "authors"), header)
    paper = ParsedPaper(
        title=title,
        authors=authors,
        abstract=clean_line(cell(row, "abstract")),
        notes=clean_block(cell(row, "notes")) or None,
        tags=_tags(cell(row, "tags"), header.own),
        orgs=_list(cell(row, "orgs"), header.own),
        categories=_list(cell(row, "categories"), header.own),
        flags=_list(cell(row, "flags"), header.own),
        venue=_venue_name(cell(row, "venue")),
        citation_key=clean_line(cell(row, "citation_key")) or None,
        announce_type=clean_line(cell(row, "announce_type")) or None,
        source=SOURCE,
        line=first,
    )
    category = clean_line(cell(row, "category"))
    paper.category = short_category(category) if category else None
    paper.published = _published(header.cells(row, "published"), warn)
    paper.status = _checked(cell(row, "status"), _status, "a status (read/unread, yes/no)", warn)
    paper.priority = _checked(
        cell(row, "priority"), _priority, "a priority (0-3, none/low/medium/high)", warn
    )
    paper.score = _checked(cell(row, "score"), _score, "a score", warn)
    paper.has_code = bool(_checked(cell(row, "has_code"), _yes_no, "yes or no", warn))
    cut = _checked(cell(row, "authors_truncated"), _yes_no, "yes or no", warn)
    paper.authors_truncated = truncated or bool(cut)
    paper.doi = _checked(cell(row, "doi"), clean_doi, "a DOI", warn)
    paper.url = _checked(cell(row, "url"), _url, "an http(s) link", warn)
    arxiv = _checked(cell(row, "arxiv_id"), split_arxiv_id, "an arXiv id", warn)
    if arxiv is None and not header.own:  # readq's own file says it in arxiv_id or not at all
        arxiv = find_arxiv(value for value in (paper.url, paper.doi) if value)
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


def _authors(text: str, header: _Header) -> tuple[list[str], bool]:
    """The people the cell lists, given names first, and whether ``et al.`` cut the list."""
    text = clean_line(text)
    truncated = _ET_AL.search(text) is not None
    text = _ET_AL.sub("", text)
    listed = list_literal(text)
    if listed is not None:
        names = [given_first(clean_line(name)) for name in listed]
    elif header.own:  # readq wrote them: ``;`` between names, each as the library keeps it
        names = [clean_line(name) for name in text.split(";")]
    elif header.glued and not any(sep in text for sep in ",;"):
        names = split_glued(text)
    else:
        names = split_people(text, commas_inside=header.commas_inside)
    return [name for name in names if name], truncated


def _list(text: str, own: bool) -> list[str]:
    listed = list_literal(text)
    if listed is not None:
        return [item for item in map(clean_line, listed) if item]
    if own:
        return [item for item in map(clean_line, text.split(";")) if item]
    return split_list(text)


def _tags(text: str, own: bool) -> list[str] | None:
    return list(dict.fromkeys(_list(text, own))) or None


def _published(cells: list[str], warn: Callable[[str], None]) -> str | None:
    """The most precise of the row's dates (Zotero has a year column and a date column)."""
    best: str | None = None
    for raw in cells:
        found = _checked(raw, _date, "a date (YYYY-MM-DD)", warn)
        if found is not None and (best is None or len(found) > len(best)):
            best = found
    return best


def _date(text: str) -> str | None:
    """A date at the precision given (``2021``, ``2021-08``, ``2021-08-08``), or None."""
    match = _DATE.fullmatch(text)
    if match is None:
        return _slash_date(text)
    try:
        date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    except ValueError:
        return None
    return "-".join(part for part in (match["y"], match["m"], match["d"]) if part)


def _slash_date(text: str) -> str | None:
    parts = date_numbers(text) if _SLASH_DATE.fullmatch(text) else None
    if parts is None:
        return None
    found, complaint = published(*parts)
    return None if complaint else found


def _yes_no(text: str) -> bool | None:
    return YES_NO.get(text.lower())


def _status(text: str) -> Status | None:
    return STATUS_VALUES.get(text.lower())


def _priority(text: str) -> int | None:
    text = text.lower()
    if text in PRIORITY_WORDS:
        return PRIORITY_WORDS[text]
    if text.isascii() and text.isdigit() and PRIORITY_NONE <= int(text) <= PRIORITY_HIGH:
        return int(text)
    return None


def _score(text: str) -> float | None:
    try:
        score = float(text)
    except ValueError:
        return None
    return score if math.isfinite(score) else None


def _url(text: str) -> str | None:
    return text if is_web_url(text) else None
