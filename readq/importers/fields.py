"""Field helpers the citation importers (RIS, BibTeX, CSL-JSON) share.

arXiv references in free text, dates at the precision given, keyword lists,
venue names, message excerpts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Final

from readq.importers.identifiers import is_web_url, split_arxiv_id
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
