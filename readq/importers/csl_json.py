"""CSL-JSON, as Zotero (and Better BibTeX, Mendeley, pandoc) export it.

The file is a JSON array of items (a single item object is accepted too). What
is read from each item:

- ``title`` (an item without one is reported with its line and id, and skipped);
  CSL's rich-text tags (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, the small-caps,
  ``nocase`` and ``nodecor`` spans) are taken out of titles, names and venues;
- ``author`` in the order CSL writes each name: ``Given [particles] Family
  [suffix]``, but family first and unspaced for names in CJK and other scripts
  written that way (``{"family": "我妻", "given": "栄"}`` is ``我妻栄``), family
  first for ``static-ordering``; a ``literal`` name is kept whole; two authors
  of one name (two people can share ``S. Zhang``) are both kept; ``abstract``;
- ``issued`` as ``{"date-parts": [[2024, 3, 5]]}`` or ``{"raw": "2024-03-05"}``,
  kept at the precision given: ``[[2021, 8]]`` is ``2021-08`` (see
  ``ris.published``); years before 1000 as given, as four digits (``0800``)
  and negative years, CSL's years BC, with their sign (``-100-07-13``);
- ``DOI``, ``URL`` (http(s), ``doi:`` and ``arXiv:`` links; see identifiers.web_link),
  ``container-title`` as the venue, ``keyword`` (comma or semicolon separated)
  as tags;
- the citation key from ``citation-key``, else from ``id`` unless that is a
  link: Zotero's own export puts the item's URI there, which is no key;
- the arXiv id from an ``arXiv:...`` reference or arxiv.org link in
  ``number``, ``archive_ID``, ``URL``, ``DOI`` or ``note``.

The array is decoded one item at a time, so each item (and each problem) has
the line it starts on, and the items before a syntax error are kept. JSON
nested too deeply for the decoder, impossible numbers and a top level that is
neither an array nor an object each become one error, never an exception.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Final

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import (
    date_numbers,
    excerpt,
    find_arxiv,
    published,
    split_tags,
    venue_name,
)
from readq.importers.identifiers import clean_doi, web_link
from readq.model import ParsedPaper
from readq.sanitize import clean_line

_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
_DECODER: Final = json.JSONDecoder(strict=False)  # strict=False: raw tabs in strings are fine
# Keys that only CSL-JSON uses: readq's own JSON export has "authors", "doi", "url".
_CSL_KEY: Final = re.compile(r'"(?:type|author|issued|container-title|citation-key|DOI|URL)"\s*:')
# The tags CSL-JSON allows in text ("rich text"): formatting, not words.
_RICH_TEXT: Final = re.compile(
    r"</?(?:i|b|sup|sub|sc)>|</span>"
    r'|<span\s+(?:class="(?:nocase|nodecor)"|style="font-variant:\s*small-caps;?")\s*>'
)
# Letters of scripts that write a name given name first, as citeproc-js lists them:
# Latin, Greek, Cyrillic, Hebrew, Arabic, Thai (and digits, hyphens). A family name
# with none of them (Chinese, Japanese, Korean...) is written family first, unspaced.
_ROMANESQUE: Final = re.compile(
    "[-0-9a-zA-Z\u00c0-\u017f\u0218-\u021b\u0370-\u03ff\u0400-\u052f"
    "\u0590-\u05ff\u0600-\u06ff\u0e01-\u0e5b\u1e00-\u1eff\u1f00-\u1fff]"
)
_NUMBER: Final = re.compile(r"-?[0-9]{1,4}")  # a date part written as text: "2021", "-44"
_JOINING: Final = ("'", "\u2019", "-")  # a particle ending so is written onto the name: d'Alembert


def looks_like(text: str) -> bool:
    """True for a JSON array or object whose first items use CSL-JSON's keys."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    return head[:1] in ("[", "{") and _CSL_KEY.search(head) is not None


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Read every item; ``as_of`` is unused, as CSL dates are absolute."""
    del as_of
    result = ParseResult(on_paper=on_paper)
    for line, item in _items(text.removeprefix("\ufeff"), result.problems):
        if not isinstance(item, dict):
            result.problems.append(Problem(line, "item is not a JSON object; skipped"))
            continue
        paper = _paper(item, line, result.problems)
        if paper is not None:
            result.add(paper)
    if not result.papers and not result.problems:
        result.problems.append(Problem(1, "no CSL-JSON items found"))
    return result.in_line_order()


class _Lines:
    """Line numbers of offsets met in increasing order, counted incrementally."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset < self.offset:  # not expected, but a wrong line is worse than a recount
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _skip_space(text: str, index: int) -> int:
    """The first offset from ``index`` on that is not JSON whitespace."""
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _items(text: str, problems: list[Problem]) -> list[tuple[int, Any]]:
    """(line, value) of every element of the top-level array, or of a lone object."""
    lines = _Lines(text)
    start = _skip_space(text, 0)
    if text.startswith("{", start):
        line = lines.at(start)
        value, end = _decode(text, start, lines, problems)
        if end is None:
            return []
        _check_end(text, end, lines, problems)
        return [(line, value)]
    if not text.startswith("[", start):
        what = "nothing" if start == len(text) else "no JSON array or object"
        problems.append(Problem(lines.at(start), f"not CSL-JSON: {what} at the start"))
        return []
    items: list[tuple[int, Any]] = []
    index = _skip_space(text, start + 1)
    if text.startswith("]", index):
        _check_end(text, index + 1, lines, problems)
        return items
    while True:
        value, end = _decode(text, index, lines, problems)
        if end is None:
            return items
        items.append((lines.at(index), value))
        index = _skip_space(text, end)
        if text.startswith(",", index):
            index = _skip_space(text, index + 1)
        elif text.startswith("]", index):
            _check_end(text, index + 1, lines, problems)
            return items
        else:
            problems.append(Problem(lines.at(index), "expected `,` or `]` after an item"))
            return items


def _decode(
    text: str, index: int, lines: _Lines, problems: list[Problem]
) -> tuple[Any, int | None]:
    """(value, end) of the JSON value at ``index``; (None, None) and an error if none."""
    try:
        value, end = _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as error:
        reason = f"not valid JSON ({error.msg}); the rest of the file is not read"
        problems.append(Problem(lines.at(error.pos), reason))
    except RecursionError:
        problems.append(Problem(lines.at(index), "JSON nested too deeply to read; not read"))
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        problems.append(Problem(lines.at(index), f"not readable JSON: {error}; not read"))
    else:
        return value, end
    return None, None


def _check_end(text: str, end: int, lines: _Lines, problems: list[Problem]) -> None:
    rest = _skip_space(text, end)
    if rest < len(text):
        problems.append(Problem(lines.at(rest), "text after the JSON value ignored", "warning"))


def _paper(item: dict[str, Any], line: int, problems: list[Problem]) -> ParsedPaper | None:
    def text(key: str) -> str:
        """The item's ``key`` as text; an integer is fine, anything else is reported."""
        value = item.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = value[0]  # some exporters give container-title as a list
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is not None:
            problems.append(Problem(line, f"{key} is not text; ignored", "warning"))
        return ""

    title = _plain(text("title"))
    if not title:
        problems.append(Problem(line, f"{_which(item)} has no title; skipped"))
        return None
    written_url, written_doi = text("URL"), text("DOI")
    url = web_link(written_url) if written_url else None
    if written_url and url is None:
        reason = "only http(s), doi: and arXiv: links are kept"
        problems.append(Problem(line, f"ignored URL {excerpt(written_url)}: {reason}", "warning"))
    doi = clean_doi(written_doi) if written_doi else None
    if written_doi and doi is None:
        problems.append(Problem(line, f"ignored DOI {excerpt(written_doi)}: not a DOI", "warning"))
    # Zotero puts "arXiv:2306.99999" in number (and archive_ID) for preprints.
    arxiv = find_arxiv([text("number"), text("archive_ID"), written_url, written_doi, text("note")])
    return ParsedPaper(
        title=title,
        authors=_authors(item.get("author"), line, problems),
        published=_published(item.get("issued"), line, problems),
        abstract=clean_line(text("abstract")),
        url=url,
        arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None,
        doi=doi,
        source="csl-json",
        venue=venue_name(_plain(text("container-title"))),
        citation_key=_citation_key(item),
        line=line,
        tags=_tags(item.get("keyword"), line, problems),
    )


def _authors(value: Any, line: int, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(line, "author is not a list; ignored", "warning"))
        return []
    authors = []
    for person in value:
        name = _name(person) if isinstance(person, dict) else ""
        if name:
            authors.append(name)
        else:
            problems.append(Problem(line, "ignored an author without a name", "warning"))
    return authors


def _name(person: dict[str, Any]) -> str:
    """The name as CSL writes it; the ``literal`` name whole."""

    def part(key: str) -> str:
        value = person.get(key)
        return _plain(value) if isinstance(value, str) else ""

    literal = part("literal")
    if literal:
        return literal
    family, given = part("family"), part("given")
    particle = part("non-dropping-particle")
    if particle:
        family = particle + family if particle.endswith(_JOINING) else f"{particle} {family}"
    if family and not _ROMANESQUE.search(family.replace('"', "")):
        # 我妻栄; but a romanised given name (Jiang Hua) keeps its space.
        return f"{family} {given}" if given and _ROMANESQUE.match(given) else family + given
    if person.get("static-ordering") is True:
        return " ".join(p for p in (family, given) if p)
    name = " ".join(p for p in (given, part("dropping-particle"), family) if p)
    suffix = part("suffix")
    if name and suffix:
        name += (", " if person.get("comma-suffix") is True else " ") + suffix
    return name


def _plain(value: str) -> str:
    """``value`` cleaned, without CSL's rich-text tags."""
    return clean_line(_RICH_TEXT.sub("", value) if "<" in value else value)


def _which(item: dict[str, Any]) -> str:
    """``item 'ITEM-1' (book)``: how a message names an item that has no title."""
    words = ["item"]
    item_id = item.get("id")
    if isinstance(item_id, str | int) and not isinstance(item_id, bool):
        words.append(excerpt(str(item_id), 40))
    kind = item.get("type")
    if isinstance(kind, str) and (kind := clean_line(kind[:40])):
        words.append(f"({kind})")
    return " ".join(words)


def _published(value: Any, line: int, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    parts = _issued_parts(value) if isinstance(value, dict) else None
    if parts is None:
        problems.append(Problem(line, "issued is not a date; ignored", "warning"))
        return None
    year, month, day = parts
    date_text, complaint = (
        published(year, month, day) if 1000 <= year <= 9999 else _early(year, month, day)
    )
    if complaint:
        problems.append(Problem(line, complaint, "warning"))
    return date_text


def _early(year: int, month: int | None, day: int | None) -> tuple[str | None, str]:
    """A year before 1000 kept as given, at the precision given: ``0800``, ``0054-10-13``,
    and CSL's years BC with their sign, ``-44-03-15``. (fields.published refuses
    them, rightly for the formats that only ever mean a typo by them.)"""
    if not -9999 <= year <= 9999:
        return None, f"ignored the date: {year} is not a plausible year"
    text = f"{year:04d}" if year >= 0 else f"-{-year}"
    if month is None:
        return text, ""
    if not 1 <= month <= 12:
        return text, f"ignored month {month} of {text}: not a month"
    if day is None:
        return f"{text}-{month:02d}", ""
    try:  # the calendar of a leap year when Python's has no such year (0 and BC)
        date(year if year >= 1 else 4, month, day)
    except ValueError:
        return f"{text}-{month:02d}", f"ignored day {day} of {text}-{month:02d}: no such day"
    return f"{text}-{month:02d}-{day:02d}", ""


def _issued_parts(issued: dict[str, Any]) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of ``date-parts`` (the start of a range) or of ``raw``."""
    date_list = issued.get("date-parts")
    if isinstance(date_list, list) and date_list and isinstance(date_list[0], list):
        numbers: list[int] = []
        for part in date_list[0][:3]:
            # Zotero writes numbers; some exporters write digit strings.
            if isinstance(part, str) and _NUMBER.fullmatch(part.strip()):
                part = int(part)
            if not isinstance(part, int) or isinstance(part, bool):
                break
            numbers.append(part)
        if numbers:
            month = numbers[1] if len(numbers) > 1 else None
            day = numbers[2] if len(numbers) > 2 else None
            return numbers[0], month, day
    for key in ("raw", "literal"):
        raw = issued.get(key)
        if isinstance(raw, str) and (parts := date_numbers(raw)) is not None:
            return parts
    return None


def _tags(value: Any, line: int, problems: list[Problem]) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, list) and all(isinstance(word, str) for word in value):
        words = value
    else:
        problems.append(Problem(line, "keyword is not text; ignored", "warning"))
        return None
    tags = [tag for word in words for tag in split_tags(word)]
    return list(dict.fromkeys(tags)) or None


def _citation_key(item: dict[str, Any]) -> str | None:
    for key in ("citation-key", "id"):
        value = item.get(key)
        if isinstance(value, str):
            cleaned = clean_line(value)
            if cleaned and "://" not in cleaned and " " not in cleaned:
                return cleaned
    return None
