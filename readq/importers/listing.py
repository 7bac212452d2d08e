"""The pasted paper listing (see the format notes in the README).

Each paper is three lines: a header (``74.9LGApr 14Code``), the title glued to
its authors (``...Transformer ModelsAaron Blakeman, Abhinav Khattar et al. · nvidia``)
and the abstract. Blank lines may fall anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Final

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.names import split_names
from readq.model import ParsedPaper
from readq.sanitize import clean_line, clean_text

MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [
            ("Jan", "January"),
            ("Feb", "February"),
            ("Mar", "March"),
            ("Apr", "April"),
            ("May",),
            ("Jun", "June"),
            ("Jul", "July"),
            ("Aug", "August"),
            ("Sep", "Sept", "September"),
            ("Oct", "October"),
            ("Nov", "November"),
            ("Dec", "December"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_PATTERN: Final = "|".join(sorted(MONTHS, key=len, reverse=True))
HEADER: Final = re.compile(
    rf"(?P<score>\d+(?:\.\d+)?)?\s*(?P<category>[A-Z]{{2,4}})\s*"
    rf"(?P<month>{_MONTH_PATTERN})\s*(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?"
    r"\s*(?P<flags>(?:[A-Z][a-z]+\s*)*)"
)
_FLAG: Final = re.compile(r"[A-Z][a-z]+")
_ORG_LIST: Final = re.compile(r"[\w.&+'-]+(?:\s*,\s*[\w.&+'-]+)*")
ORG_SEPARATOR: Final = " · "
ET_AL: Final = re.compile(r",?\s+et\s+al\.?$")
# Where to stop looking for the start of the author list: far longer than any
# real list, short enough that a pathological line cannot take quadratic time.
MAX_AUTHOR_TEXT: Final = 4000
MAX_LINE: Final = 100_000
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
# Where a title may end and its authors start: a capital letter after a
# non-space character. The class admits every character str.isupper accepts
# (and some it refuses, which _split_candidates drops): finding these at C
# speed beats testing each character of every title line in Python.
_MAYBE_CAPITAL: Final = re.compile(r"(?<=\S)[^\sa-z0-9.,:;?!()'\"-]")


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Read every paper in a listing; ``as_of`` is the day it was captured."""
    result = ParseResult(on_paper=on_paper)
    lines = list(_numbered_lines(text, result))
    index = 0
    while index < len(lines):
        number, line = lines[index]
        header = HEADER.fullmatch(line)
        if header is None:
            result.problems.append(Problem(number, f"not a paper header: {_excerpt(line)}"))
            index = _next_header(lines, index + 1)
            continue
        entry = lines[index + 1 : index + 3]
        complete = len(entry) == 2 and not any(HEADER.fullmatch(t) for _, t in entry)
        if not complete:
            result.problems.append(Problem(number, "paper has no title or abstract line"))
            index = _next_header(lines, index + 1)
            continue
        index += 3
        published = _published(header, as_of)
        if published is None:
            result.problems.append(Problem(number, f"not a valid date: {_excerpt(line)}"))
            continue
        (title_number, title_line), (_, abstract) = entry
        paper = _paper(header, published, title_line, abstract, number)
        if not paper.authors:
            result.problems.append(
                Problem(
                    title_number,
                    "could not tell the title from the authors; kept the whole line as the title",
                    "warning",
                )
            )
        result.add(paper)
    return result


def looks_like_listing(text: str) -> bool:
    """True when the first non-blank line is a listing header."""
    for _, line in _numbered_lines(text[:4096], ParseResult()):
        return HEADER.fullmatch(line) is not None
    return False


def _numbered_lines(text: str, result: ParseResult) -> Iterator[tuple[int, str]]:
    """Non-blank lines, each cleaned and cut to MAX_LINE, with their 1-based numbers.

    Lines are cleaned one at a time so that memory stays near the input's size
    however long a line is.
    """
    for number, raw in enumerate(_split_lines(text), start=1):
        if len(raw) > MAX_LINE:
            result.problems.append(
                Problem(number, f"line longer than {MAX_LINE:,} characters; cut there", "warning")
            )
            raw = raw[:MAX_LINE]
        line = clean_text(raw).strip()
        if line:
            yield number, line.replace("\n", " ")


def _split_lines(text: str) -> list[str]:
    """Lines ended by CRLF, CR or LF (str.splitlines also splits at form feeds and more)."""
    if "\r" not in text:  # most text: str.split is several times faster than the pattern
        return text.split("\n")
    return _LINE_BREAK.split(text)


def _next_header(lines: list[tuple[int, str]], start: int) -> int:
    for index in range(start, len(lines)):
        if HEADER.fullmatch(lines[index][1]):
            return index
    return len(lines)


def _excerpt(line: str, width: int = 60) -> str:
    return repr(line if len(line) <= width else line[: width - 1] + "…")


def _published(header: re.Match[str], as_of: date) -> date | None:
    month, day = MONTHS[header["month"]], int(header["day"])
    try:
        if header["year"]:
            return date(int(header["year"]), month, day)
        this_year = date(as_of.year, month, day)
    except ValueError:
        return None
    if this_year <= as_of:
        return this_year
    try:
        return this_year.replace(year=as_of.year - 1)
    except ValueError:  # Feb 29 whose previous year is not a leap year
        return None


def _paper(
    header: re.Match[str], published: date, title_line: str, abstract: str, line: int
) -> ParsedPaper:
    flags = _FLAG.findall(header["flags"] or "")
    title, authors, truncated, orgs = split_title_line(title_line)
    return ParsedPaper(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        orgs=orgs,
        category=header["category"],
        published=published.isoformat(),
        score=float(header["score"]) if header["score"] else None,
        has_code="Code" in flags,
        abstract=clean_line(abstract),
        source="listing",
        flags=flags,
        line=line,
    )


def split_title_line(line: str) -> tuple[str, list[str], bool, list[str]]:
    """(title, authors, authors_truncated, orgs); no authors when no split convinces."""
    line = clean_line(line)
    head, orgs = _split_orgs(line)
    truncation = _et_al(head)
    if truncation:
        head = head[: truncation.start()]
    for start in _split_candidates(head):
        authors = split_names(head[start:])
        if authors is not None:
            title = head[:start].rstrip()
            return title, authors, truncation is not None, orgs
    return line, [], False, []


def _et_al(head: str) -> re.Match[str] | None:
    # ET_AL can only match where the text ends in "al" or "al." (a clean line has
    # no newline for $ to stop before): testing that first spares a search of
    # every title line.
    return ET_AL.search(head) if head.endswith(("al", "al.")) else None


def _split_orgs(line: str) -> tuple[str, list[str]]:
    head, separator, tail = line.rpartition(ORG_SEPARATOR)
    if not separator or not _ORG_LIST.fullmatch(tail) or tail.lower() != tail:
        return line, []
    return head, [org.strip() for org in tail.split(",")]


def _split_candidates(head: str) -> Iterator[int]:
    """Positions right after a non-space character and at a capital letter, earliest first."""
    first = max(1, len(head) - MAX_AUTHOR_TEXT)
    for match in _MAYBE_CAPITAL.finditer(head, first):
        if match[0].isupper():
            yield match.start()
