"""RIS files, as Zotero, EndNote, Ovid, Scopus, Embase and the rest export them.

A record runs from ``TY  - JOUR`` to ``ER  - ``. Every line is a two-character
tag, one or two spaces (Zotero accepts both), a hyphen and a space, then the
value; a line without a tag continues the value above it (long abstracts,
Rayyan's keywords, EndNote's notes), and blank lines inside a note are kept.
Repeated tags (AU, KW, N1) add values. What is read:

- the title from TI, T1 or CT, else BT for a whole book, else ST (short title),
  else BT (a record with none of them is skipped);
- AU / A1 authors, one a line, given names first: ``Family, Given[, Suffix]``
  and ``Family I.`` (Embase, Scopus, Ovid) both become ``Given Family``, and a
  name that appears twice is two people;
- AB / N2 abstract; DA / PY / Y1 date (``2024/03/05/``, ``2024``,
  ``2024-03-05``, ``Jan. 2016``, ``24-27 Sept. 2019``, and EndNote's ``DA  - Jun``
  with the year in PY): the most precise one wins, kept at its precision;
- DO doi, UR link (http and https only: the app opens it in a browser; the
  first of several in one value),
  KW tags, T2 / JF / JO / JA / J2 / C3 / BT venue, N1 notes (Zotero writes
  them as HTML; the text is kept, line by line), ID citation key;
- the arXiv id (and version) from an arxiv.org link, an ``arXiv:2503.00042``
  note or the DOI arXiv registers (10.48550/arXiv.2503.00042).

What exporters put around records is skipped without a word: a BOM, record
numbers (Ovid's ``1.``), ``Provider:`` / ``Database:`` / ``Content:`` headers
(JSTOR, APA PsycNet), and fields after ``ER`` (Ovid's ``NL``), which belong to
the record before. A missing final ``ER`` is a warning.

A record marked ``DB  - readq`` is readq's own export (see exporters/ris.py for
its custom tags): organisations, the et-al flag, score, code flag, categories,
flags, status, priority and the arXiv id come back from them, and keywords and
the note are kept exactly as written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from readq.exporters import ris as own
from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import (
    date_numbers,
    excerpt,
    find_arxiv,
    named_date_numbers,
    published,
    split_tags,
    venue_name,
    web_url,
)
from readq.importers.identifiers import clean_doi, split_arxiv_id
from readq.importers.names import given_first
from readq.model import PRIORITY_HIGH, PRIORITY_NONE, ParsedPaper, Status
from readq.sanitize import clean_block, clean_line

_TAG_LINE: Final = re.compile(r"(?P<tag>[A-Z][A-Z0-9]) {1,2}-(?: (?P<value>.*))?")
# Lines exporters write around records: Ovid's record numbers (``1.``), EndNote's
# ``Record #1 of 2``, the RIS header of JSTOR and APA PsycNet.
_PREAMBLE: Final = re.compile(
    r"\d+\.?|Record #?\d+ of \d+|(?:Provider|Database|Content)\s*:.*", re.IGNORECASE
)
# How many other lines detection lets pass before the first TY (as Zotero does).
STRAY_LINES_BEFORE_TY: Final = 3
TITLE_TAGS: Final = ("TI", "T1", "CT")
BOOK_TYPES: Final = frozenset({"BOOK", "EBOOK", "EDBOOK", "UNPB"})
AUTHOR_TAGS: Final = ("AU", "A1")
DATE_TAGS: Final = ("DA", "PY", "Y1")
VENUE_TAGS: Final = ("T2", "JF", "JO", "JA", "J2", "C3", "BT")
# readq's own records use C3 for the code flag, so their venue is only ever JO.
OWN_VENUE_TAGS: Final = ("JO",)
STATUSES: Final = frozenset(status.value for status in Status)
PRIORITIES: Final = frozenset(str(n) for n in range(PRIORITY_NONE, PRIORITY_HIGH + 1))
# Where an exporter may have put an arXiv reference, strongest first.
ARXIV_TAGS: Final = ("DO", "UR", "L1", "L2", "N1", "M1", "AN", "T2", "JO", "JF")
# Fields after an ER with one of these among them are a record that lost its TY,
# not the tail of the record before.
_TITLE_LIKE: Final = frozenset((*TITLE_TAGS, "ST", "BT"))


def looks_like(text: str) -> bool:
    """True when a RIS record (``TY  - ...``) opens the text, after at most a preamble."""
    stray = 0
    for line in _lines(text[:4096]):
        stripped = line.strip()
        if not stripped or _PREAMBLE.fullmatch(stripped):
            continue
        match = _TAG_LINE.fullmatch(stripped)
        if match is not None:
            return match["tag"] == "TY"
        stray += 1
        if stray > STRAY_LINES_BEFORE_TY:
            return False
    return False


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Read every record; ``as_of`` is unused, as RIS dates are absolute."""
    del as_of
    result = ParseResult(on_paper=on_paper)
    records = _records(_lines(text), result.problems)
    for record in records:
        paper = _paper(record, result.problems)
        if paper is not None:
            result.add(paper)
    if not records:
        result.problems.append(Problem(1, "no RIS records (a `TY  - ` line) found"))
    return result.in_line_order()


@dataclass(slots=True)
class _Record:
    line: int
    kind: str = ""  # the TY value: JOUR, BOOK, ...
    # Each value as its lines, joined when read: appending continuation lines to
    # a string would take quadratic time on a long abstract.
    fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def values(self, *tags: str) -> list[str]:
        return ["\n".join(lines) for tag, lines in self.fields if tag in tags]

    def first(self, *tags: str) -> str | None:
        """The first non-blank value of the first of ``tags`` that has one."""
        for tag in tags:
            for value in self.values(tag):
                if value.strip():
                    return value
        return None

    def items(self, *tags: str) -> list[str]:
        """Every non-blank line of ``tags``' values: one author, or keyword, a line."""
        lines = (line for tag, lines in self.fields if tag in tags for line in lines)
        return [line.strip() for line in lines if line.strip()]

    @property
    def is_own(self) -> bool:
        return any(clean_line(value) == own.DATABASE for value in self.values("DB"))


def _lines(text: str) -> list[str]:
    # Split on CR, LF and CRLF only (not str.splitlines, which also splits on
    # form feeds and U+2028), so that line numbers match the user's editor.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


class _Reader:
    """Lines into records, and the problems met on the way.

    Fields outside any record wait in ``loose``: before the next ``TY`` (or the
    end) they are the tail of the record before, as Ovid writes ``NL`` after
    ``ER``; closed by an ``ER`` of their own, they are a record without ``TY``.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.records: list[_Record] = []
        self.record: _Record | None = None
        self.loose: list[tuple[int, tuple[str, list[str]]]] = []
        self.stray = False  # inside a run of text outside any record, reported once

    def line(self, number: int, raw: str) -> None:
        line = raw.strip()
        match = _TAG_LINE.fullmatch(line) if line else None
        if match is None:
            self.text(number, line, raw.rstrip())
            return
        tag, value = match["tag"], match["value"] or ""
        if tag == "TY":
            self.start(number, value)
        elif tag == "ER":
            self.end(number)
        elif self.record is not None:
            self.record.fields.append((tag, [value]))
        else:
            self.loose.append((number, (tag, [value])))

    def text(self, number: int, line: str, raw: str) -> None:
        """A line without a tag: the next line of the value above, or stray text."""
        fields = self.record.fields if self.record is not None else [f for _, f in self.loose]
        if fields:
            # Notes keep their indentation and blank lines; other values fold them.
            fields[-1][1].append(raw)
        elif line and self.record is None and not self.stray and not _PREAMBLE.fullmatch(line):
            self.problems.append(Problem(number, "text outside a RIS record ignored", "warning"))
            self.stray = True

    def start(self, number: int, kind: str) -> None:
        self.attach_loose()
        if self.record is not None:
            self.problems.append(_no_end(self.record, "it ends where the next record starts"))
            self.records.append(self.record)
        self.record, self.stray = _Record(number, clean_line(kind).upper()), False

    def end(self, number: int) -> None:
        if self.record is not None:
            self.records.append(self.record)
            self.record = None
            return
        if self.loose:
            # Fields closed by an ER with no TY before them: a damaged record, which is lost.
            self.problems.append(
                Problem(self.loose[0][0], "RIS fields outside a record (no `TY  - ` line); skipped")
            )
            self.loose = []
        self.problems.append(Problem(number, "`ER  - ` without a record before it", "warning"))

    def attach_loose(self) -> None:
        """Fields after an ER join the record before, unless they hold a title of their own."""
        if not self.loose:
            return
        if self.records and not any(tag in _TITLE_LIKE for _, (tag, _) in self.loose):
            self.records[-1].fields.extend(f for _, f in self.loose)
        else:
            self.problems.append(
                Problem(self.loose[0][0], "RIS fields outside a record (no `TY  - ` line); skipped")
            )
        self.loose = []

    def finish(self) -> list[_Record]:
        if self.record is not None:
            self.problems.append(_no_end(self.record, "the file ends inside it"))
            self.records.append(self.record)
            self.record = None
        self.attach_loose()
        return self.records


def _records(lines: list[str], problems: list[Problem]) -> list[_Record]:
    reader = _Reader(problems)
    for number, raw in enumerate(lines, start=1):
        reader.line(number, raw)
    return reader.finish()


def _no_end(record: _Record, where: str) -> Problem:
    return Problem(record.line, f"record has no `ER  - ` line; {where}", "warning")


def _title(record: _Record) -> tuple[str, str | None]:
    """(title, the tag it came from): RIS has several homes for a title."""
    book = ("BT",) if record.kind in BOOK_TYPES else ()
    for tag in (*TITLE_TAGS, *book, "ST", "BT"):
        title = clean_line(record.first(tag) or "")
        if title:
            return title, tag
    return "", None


def _paper(record: _Record, problems: list[Problem]) -> ParsedPaper | None:
    title, title_tag = _title(record)
    if not title:
        problems.append(Problem(record.line, "record has no title (TI, T1 or ST); skipped"))
        return None
    is_own = record.is_own
    url, arxiv = _links(record, problems, is_own)
    venues = OWN_VENUE_TAGS if is_own else tuple(t for t in VENUE_TAGS if t != title_tag)
    paper = ParsedPaper(
        title=title,
        authors=[name for name in map(_name, record.items(*AUTHOR_TAGS)) if name],
        published=_published(record, problems),
        abstract=clean_line(record.first("AB", "N2") or ""),
        url=url,
        arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None,
        doi=_doi(record, problems),
        source="ris",
        venue=venue_name(record.first(*venues) or ""),
        citation_key=clean_line(record.first("ID") or "") or None,
        line=record.line,
        notes=_notes(record, is_own),
        tags=_tags(record, is_own),
    )
    if is_own:
        _own_fields(record, paper, problems)
    return paper


def _name(value: str) -> str:
    return given_first(clean_line(value))


def _tags(record: _Record, is_own: bool) -> list[str] | None:
    if is_own:  # one tag a KW, exactly as readq wrote it
        keywords = [clean_line(value) for value in record.values("KW")]
    else:  # one keyword a line, or several to a line with , or ;
        keywords = [tag for line in record.items("KW") for tag in split_tags(line)]
    return list(dict.fromkeys(k for k in keywords if k)) or None


def _notes(record: _Record, is_own: bool) -> str | None:
    notes = [_note_text(value, is_own) for value in record.values("N1")]
    return "\n\n".join(note for note in notes if note) or None


def _links(
    record: _Record, problems: list[Problem], is_own: bool
) -> tuple[str | None, tuple[str, int | None] | None]:
    """(URL, arXiv id and version).

    readq's own records name the arXiv id in their own tag and write the paper's
    link before the arXiv link, so the URL is the first link only when there are
    two (or there is no arXiv id). Elsewhere the first web link is the URL and
    the id comes from any explicit arXiv reference.
    """
    links = record.values("UR")
    if is_own:
        arxiv = split_arxiv_id(record.first(own.ARXIV_TAG) or "")
        urls = links[:-1] if arxiv is not None else links
    else:
        arxiv = find_arxiv(value for tag in ARXIV_TAGS for value in record.values(tag))
        urls = links
    # ``UR  - http://a.org; http://b.org``: several links in one value
    candidates = urls if is_own else [part for link in urls for part in _links_in(link)]
    for link in candidates:
        if url := web_url(link):
            return url, arxiv
    if urls:
        problems.append(_warning(record, f"ignored UR {excerpt(urls[0])}: not http(s)"))
    return None, arxiv


def _links_in(value: str) -> list[str]:
    """The links in one UR value: itself when it is one, else its parts."""
    if web_url(value) is not None:
        return [value]
    return [part for part in re.split(r"[;\s]+", value) if part] or [value]


def _published(record: _Record, problems: list[Problem]) -> str | None:
    """The most precise of the record's dates. EndNote and Web of Science write the
    month in DA without a year (``DA  - Jun``, ``DA  - MAR 1``) and the year in PY:
    such a date takes the year of the record's other dates."""
    found: list[tuple[int | None, int | None, int | None]] = []
    for tag in DATE_TAGS:
        for value in record.values(tag):
            if not value.strip():
                continue
            parts = date_numbers(value) or named_date_numbers(value)
            if parts is None:
                problems.append(_warning(record, f"{tag} {excerpt(value)} is not a date"))
                continue
            found.append(parts)
    year = next((parts[0] for parts in found if parts[0] is not None), None)
    best: tuple[int, int, int | None, int | None] | None = None
    for own_year, month, day in found:
        if own_year is None and year is None:
            continue
        precision = 1 + (month is not None) + (day is not None and month is not None)
        if best is None or precision > best[0]:
            best = (precision, own_year if own_year is not None else year or 0, month, day)
    if best is None:
        return None
    date_text, complaint = published(*best[1:])
    if complaint:
        problems.append(_warning(record, complaint))
    return date_text


# Web of Science writes the bracket of an old (SICI) DOI between spaces:
# ``10.1659/0276-4741(2004)024 [ 0141:SPOCMP]2.0.CO;2``. Cut at the space, the
# DOIs of a volume's papers would be one, and merge them.
_SPACED_BRACKET: Final = re.compile(r"\s+\[\s+")
# Mendeley exports have left an HTML break at the end of a DOI.
_HTML_BREAK_TAG: Final = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _doi(record: _Record, problems: list[Problem]) -> str | None:
    value = record.first("DO")
    if value is None:
        return None
    doi = clean_doi(_HTML_BREAK_TAG.sub(" ", _SPACED_BRACKET.sub("[", value)))
    if doi is None:
        problems.append(_warning(record, f"ignored DO {excerpt(value)}: not a DOI"))
    return doi


def _own_fields(record: _Record, paper: ParsedPaper, problems: list[Problem]) -> None:
    """What readq's own export keeps in RIS's custom tags (see exporters/ris.py)."""

    def value(tag: str) -> str:
        return clean_line(record.first(tag) or "")

    def listed(tag: str) -> list[str]:
        return [item for item in (clean_line(i) for i in value(tag).split(";")) if item]

    paper.orgs = [clean_line(org) for org in record.values(own.ORG_TAG) if clean_line(org)]
    paper.authors_truncated = value(own.TRUNCATED_TAG) == own.TRUNCATED_VALUE
    paper.has_code = value(own.CODE_TAG) == own.CODE_VALUE
    paper.category = value(own.CATEGORY_TAG) or None
    paper.categories = listed(own.CATEGORIES_TAG)
    paper.flags = listed(own.FLAGS_TAG)
    paper.announce_type = value(own.ANNOUNCE_TAG) or None
    paper.score = _score(value(own.SCORE_TAG), record, problems)
    status = value(own.STATUS_TAG)
    paper.status = Status(status) if status in STATUSES else None
    priority = value(own.PRIORITY_TAG)
    if priority in PRIORITIES:
        paper.priority = int(priority)


def _score(text: str, record: _Record, problems: list[Problem]) -> float | None:
    if not text:
        return None
    try:
        score = float(text)
    except ValueError:
        score = float("nan")
    if score != score or score in (float("inf"), float("-inf")):
        problems.append(_warning(record, f"ignored {own.SCORE_TAG} {excerpt(text)}: not a score"))
        return None
    return score


def _warning(record: _Record, reason: str) -> Problem:
    return Problem(record.line, reason, "warning")


# Zotero's notes are HTML fragments. Tags are dropped by pattern, not with
# html.parser, which raises AssertionError on some malformed declarations.
_HTML_BREAK: Final = re.compile(r"<(?:p|div|br|li|tr|h[1-6]|blockquote)\b[^<>]*>", re.IGNORECASE)
_HTML_TAG: Final = re.compile(r"</?[a-zA-Z][^<>]*>")
# How a note that Zotero has turned into HTML starts (``<p>``, ``<div data-schema...>``).
_HTML_NOTE_START: Final = re.compile(r"\s*<(?:p|div)\b[^<>]*>", re.IGNORECASE)


def _note_text(value: str, is_own: bool) -> str:
    """A note as plain text. HTML (Zotero's) gives one line per paragraph, list item or
    break; plain text keeps its lines, indentation and blank lines.

    readq's own notes are plain text that may mention ``<tags>``; only one that
    another program has since rewritten as HTML (it starts with ``<p>`` or
    ``<div>``) is read as HTML.
    """
    is_html = _HTML_NOTE_START.match(value) if is_own else _HTML_TAG.search(value)
    if not is_html:
        return clean_block(value)
    value = html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n", value)))
    lines = (clean_line(line) for line in clean_block(value).split("\n"))
    return "\n".join(line for line in lines if line)
