"""RIS files, as Zotero and most other reference managers export them.

A record runs from ``TY  - JOUR`` to ``ER  - ``. Every line is a two-character
tag, two spaces, a hyphen and a space, then the value; a line without a tag
continues the value above it (long abstracts). Repeated tags (AU, KW, N1) add
values. What is read:

- TI / T1 / CT title (a record without one is skipped); AU / A1 authors,
  ``Family, Given[, Suffix]`` turned into ``Given Family``; AB / N2 abstract;
- DA / PY / Y1 date (``2024/03/05/``, ``2024``, ``2024-03-05``): the most
  precise one wins, kept at its precision (``2024``, ``2024-03``; see ``published``);
- DO doi, UR link (http and https only: the app opens it in a browser),
  KW tags, T2 / JF / JO / JA / J2 / C3 / BT venue, N1 notes (Zotero writes
  them as HTML; the text is kept), ID citation key;
- the arXiv id (and version) from an arxiv.org link, an ``arXiv:2503.00042``
  note or the DOI arXiv registers (10.48550/arXiv.2503.00042).

A BOM, CRLF line ends and a missing final ``ER`` (a warning) are tolerated.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import (
    date_numbers,
    excerpt,
    find_arxiv,
    published,
    split_tags,
    venue_name,
    web_url,
)
from readq.importers.identifiers import clean_doi
from readq.model import ParsedPaper
from readq.sanitize import clean_block, clean_line

_TAG_LINE: Final = re.compile(r"(?P<tag>[A-Z][A-Z0-9])  -(?: (?P<value>.*))?")
TITLE_TAGS: Final = ("TI", "T1", "CT")
AUTHOR_TAGS: Final = ("AU", "A1")
DATE_TAGS: Final = ("DA", "PY", "Y1")
VENUE_TAGS: Final = ("T2", "JF", "JO", "JA", "J2", "C3", "BT")
# Where an exporter may have put an arXiv reference, strongest first.
ARXIV_TAGS: Final = ("DO", "UR", "L1", "L2", "N1", "M1", "AN", "T2", "JO", "JF")


def looks_like(text: str) -> bool:
    """True when the first non-blank line opens a RIS record (``TY  - ...``)."""
    for line in _lines(text[:4096]):
        stripped = line.strip()
        if stripped:
            match = _TAG_LINE.fullmatch(stripped)
            return match is not None and match["tag"] == "TY"
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


def _lines(text: str) -> list[str]:
    # Split on CR, LF and CRLF only (not str.splitlines, which also splits on
    # form feeds and U+2028), so that line numbers match the user's editor.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _records(lines: list[str], problems: list[Problem]) -> list[_Record]:
    records: list[_Record] = []
    record: _Record | None = None
    stray = False  # inside a run of lines outside any record, reported once
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        match = _TAG_LINE.fullmatch(line)
        if match is None:
            if record is not None and record.fields:
                record.fields[-1][1].append(line)
            elif record is None and not stray:
                problems.append(Problem(number, "text outside a RIS record ignored", "warning"))
                stray = True
            continue
        tag, value = match["tag"], match["value"] or ""
        if tag == "TY":
            if record is not None:
                problems.append(_no_end(record, "it ends where the next record starts"))
                records.append(record)
            record, stray = _Record(number), False
        elif tag == "ER":
            if record is None:
                problems.append(Problem(number, "`ER  - ` without a record before it", "warning"))
            else:
                records.append(record)
                record = None
        elif record is not None:
            record.fields.append((tag, [value]))
        elif not stray:
            # Fields with no TY before them: a damaged record, which is lost.
            problems.append(
                Problem(number, "RIS fields outside a record (no `TY  - ` line); skipped")
            )
            stray = True
    if record is not None:
        problems.append(_no_end(record, "the file ends inside it"))
        records.append(record)
    return records


def _no_end(record: _Record, where: str) -> Problem:
    return Problem(record.line, f"record has no `ER  - ` line; {where}", "warning")


def _paper(record: _Record, problems: list[Problem]) -> ParsedPaper | None:
    title = clean_line(record.first(*TITLE_TAGS) or "")
    if not title:
        problems.append(Problem(record.line, "record has no title (TI or T1); skipped"))
        return None
    arxiv = find_arxiv(value for tag in ARXIV_TAGS for value in record.values(tag))
    keywords = [tag for value in record.values("KW") for tag in split_tags(value)]
    notes = [_note_text(value) for value in record.values("N1")]
    return ParsedPaper(
        title=title,
        authors=[name for name in map(_name, record.values(*AUTHOR_TAGS)) if name],
        published=_published(record, problems),
        abstract=clean_line(record.first("AB", "N2") or ""),
        url=_url(record, problems),
        arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None,
        doi=_doi(record, problems),
        source="ris",
        venue=venue_name(record.first(*VENUE_TAGS) or ""),
        citation_key=clean_line(record.first("ID") or "") or None,
        line=record.line,
        notes="\n\n".join(note for note in notes if note) or None,
        tags=list(dict.fromkeys(keywords)) or None,
    )


def _name(value: str) -> str:
    """``Family, Given[, Suffix]`` as ``Given Family Suffix``; other shapes as written."""
    parts = [clean_line(part) for part in value.split(",")]
    if len(parts) == 1:
        return parts[0]
    family, given, *suffixes = parts
    return " ".join(part for part in (given, family, *suffixes) if part)


def _published(record: _Record, problems: list[Problem]) -> str | None:
    best: tuple[int, int, int | None, int | None] | None = None
    for tag in DATE_TAGS:
        for value in record.values(tag):
            parts = date_numbers(value)
            if parts is None:
                problems.append(_warning(record, f"{tag} {excerpt(value)} is not a date"))
                continue
            precision = sum(part is not None for part in parts)
            if best is None or precision > best[0]:
                best = (precision, *parts)
    if best is None:
        return None
    date_text, complaint = published(*best[1:])
    if complaint:
        problems.append(_warning(record, complaint))
    return date_text


def _url(record: _Record, problems: list[Problem]) -> str | None:
    links = record.values("UR")
    for link in links:
        if url := web_url(link):
            return url
    if links:
        problems.append(_warning(record, f"ignored UR {excerpt(links[0])}: not http(s)"))
    return None


def _doi(record: _Record, problems: list[Problem]) -> str | None:
    value = record.first("DO")
    if value is None:
        return None
    doi = clean_doi(value)
    if doi is None:
        problems.append(_warning(record, f"ignored DO {excerpt(value)}: not a DOI"))
    return doi


def _warning(record: _Record, reason: str) -> Problem:
    return Problem(record.line, reason, "warning")


# Zotero's notes are HTML fragments. Tags are dropped by pattern, not with
# html.parser, which raises AssertionError on some malformed declarations.
_HTML_BREAK: Final = re.compile(r"<(?:p|div|br|li|tr|h[1-6]|blockquote)\b[^<>]*>", re.IGNORECASE)
_HTML_TAG: Final = re.compile(r"</?[a-zA-Z][^<>]*>")


def _note_text(value: str) -> str:
    """A note as plain text, one line per paragraph, list item or break."""
    if _HTML_TAG.search(value):
        value = html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n", value)))
    lines = (clean_line(line) for line in clean_block(value).split("\n"))
    return "\n".join(line for line in lines if line)
