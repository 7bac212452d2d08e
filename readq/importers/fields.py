"""Field helpers the citation importers (RIS, BibTeX, CSL-JSON, CSV) share.

arXiv references in free text, dates at the precision given, keyword lists
(and the list literals pandas writes into CSV cells), venue names, message
excerpts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from datetime import date
from typing import Final

from readq.importers.identifiers import is_web_url, split_arxiv_id
from readq.importers.listing import MONTHS as LISTING_MONTHS
from readq.sanitize import clean_line

# (identifiers.py has the ones every importer shares: ids, DOIs, links.)


def excerpt(value: str, width: int = 60) -> str:
    """``value`` cleaned, cut and quoted, for a problem message (shown in a terminal)."""
    text = clean_line(value[: width * 4])  # the head only: a value may be megabytes long
    if len(text) > width or len(value) > width * 4:
        text = text[: width - 1] + "…"
    return repr(text)


# Only explicit references count in free text: ``arXiv:ID``, an arxiv.org link
# or the DOI arXiv registers. A bare number could be a page or a report number.
_ARXIV_REFERENCE: Final = re.compile(
    r"(?:\barxiv:\s*|\barxiv\.org/(?:abs|pdf|html)/|\b10\.48550/arxiv\.)"
    r"(?P<id>(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d{1,4})?)(?!\d)",
    re.IGNORECASE | re.ASCII,
)


def find_arxiv(values: Iterable[str]) -> tuple[str, int | None] | None:
    """(id, version) of the first explicit arXiv reference in ``values``."""
    for value in values:
        for match in _ARXIV_REFERENCE.finditer(value):
            found = split_arxiv_id(match["id"])
            if found is not None:
                return found
    return None


def web_url(value: str) -> str | None:
    """``value`` cleaned when it is an http(s) link, else None."""
    url = clean_line(value)
    return url if is_web_url(url) else None


# A year, then optionally month and day after ``-`` or ``/``; whatever follows
# (RIS's fourth part, a time, the end of a range) is not read.
_DATE: Final = re.compile(
    r"(?P<year>\d{4})(?:[-/](?P<month>\d{1,2})?(?:[-/](?P<day>\d{1,2})?)?)?(?!\d)", re.ASCII
)


def date_numbers(value: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from ``2024``, ``2024-03-05``, ``2024/03/05/other`` and the like."""
    match = _DATE.match(clean_line(value))
    if match is None:
        return None
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] and month is not None else None
    return int(match["year"]), month, day


def published(
    year: int, month: int | None = None, day: int | None = None
) -> tuple[str | None, str]:
    """(``published`` value, complaint or ""), at the precision the source gives.

    A year alone stays ``2024`` and a month ``2024-03`` (the form model.date_parts
    reads): padding them to ``2024-01-01`` would invent a day that an export
    would then write out as fact. An impossible month or day is dropped with a
    complaint, keeping what is left.
    """
    if not 1000 <= year <= 9999:
        return None, f"ignored the date: {year} is not a plausible year"
    if month is None:
        return f"{year:04d}", ""
    if not 1 <= month <= 12:
        return f"{year:04d}", f"ignored month {month} of {year}: not a month"
    if day is None:
        return f"{year:04d}-{month:02d}", ""
    try:
        return date(year, month, day).isoformat(), ""
    except ValueError:
        return f"{year:04d}-{month:02d}", f"ignored day {day} of {year}-{month:02d}: no such day"


_TAG_SEPARATOR: Final = re.compile(r"[,;]")


def split_tags(value: str) -> list[str]:
    """Keywords separated by commas or semicolons, cleaned, blanks and repeats dropped."""
    tags = (clean_line(part) for part in _TAG_SEPARATOR.split(value))
    return list(dict.fromkeys(tag for tag in tags if tag))


# "arXiv preprint arXiv:2503.00042" (Google Scholar), "arXiv e-prints" (ADS) and
# "CoRR abs/2503.00042" (DBLP) only say that a paper is a preprint.
_PREPRINT_VENUE: Final = re.compile(
    r"(?:arxiv(?: preprint| e-prints)?|corr)(?: (?:arxiv:|abs/)\S+)?", re.IGNORECASE
)


def venue_name(value: str) -> str | None:
    """The journal or proceedings name, or None for none or a mere arXiv preprint."""
    venue = clean_line(value)
    if not venue or _PREPRINT_VENUE.fullmatch(venue):
        return None
    return venue


# A Python list literal of strings, as pandas writes a list into a CSV cell
# (ASReview's files: ``['Marx, Karl', 'Lindgren, Astrid']``). Matched whole
# before ast reads it, so that nothing but flat string literals reach ast.
_STRING_LITERAL: Final = r"""(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_LIST_LITERAL: Final = re.compile(
    rf"\[\s*(?:{_STRING_LITERAL}\s*(?:,\s*{_STRING_LITERAL}\s*)*,?\s*)?\]", re.DOTALL
)
_STRING_LITERALS: Final = re.compile(_STRING_LITERAL)


def list_literal(value: str) -> list[str] | None:
    """The strings of ``['a', "b"]``, or None when ``value`` is not such a list."""
    value = value.strip()
    if not _LIST_LITERAL.fullmatch(value):
        return None
    items = []
    for literal in _STRING_LITERALS.findall(value):
        try:
            item = ast.literal_eval(literal)
        except (ValueError, SyntaxError):  # an escape ast refuses: \N{nonsense}
            return None
        items.append(str(item))
    return items


def split_list(value: str) -> list[str]:
    """Items separated by ``;`` or, in a value without one, by ``,``; cleaned, blanks dropped.

    Zotero and Scopus separate keywords with ``;`` and keep commas inside them
    (``Buildings, structures, etc``); other files separate them with commas.
    Repeats are kept: whether they matter is the caller's business.
    """
    separator = ";" if ";" in value else ","
    items = (clean_line(part) for part in value.split(separator))
    return [item for item in items if item]


# Month names and abbreviations ("sept" too), lower case: the listing's, as other
# formats write them in any case.
MONTHS: Final = {name.lower(): number for name, number in LISTING_MONTHS.items()}
# As EndNote, Web of Science and IEEE write dates with a month's name: ``Jun``,
# ``MAR 1``, ``June 2021``, ``Jan. 2016``, ``24-27 Sept. 2019``, ``31 May-3 June 2016``.
# Only the first day and month of a range are read.
_MONTH_NAME: Final = "|".join(sorted(MONTHS, key=len, reverse=True))
_NAMED_DATE: Final = re.compile(
    rf"(?:(?P<day>\d{{1,2}})(?:\s*-\s*\d{{1,2}})?\s+)?(?P<month>{_MONTH_NAME})\.?"
    rf"(?:\s*-\s*(?:\d{{1,2}}\s+)?(?:{_MONTH_NAME})\.?)?(?:\s+(?P<after>\d{{1,2}})\b)?"
    rf"(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE | re.ASCII,
)


def named_date_numbers(value: str) -> tuple[int | None, int, int | None] | None:
    """(year or None, month, day) from a date that names its month; None for others."""
    match = _NAMED_DATE.fullmatch(clean_line(value))
    if match is None:
        return None
    day = match["day"] or match["after"]
    year = int(match["year"]) if match["year"] else None
    return year, MONTHS[match["month"].lower()], int(day) if day else None
