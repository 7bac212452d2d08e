"""CSV export, safe to open in a spreadsheet and read back by readq's CSV importer.

One row a paper, every field readq keeps but the library's own times (added,
read, changed: readq's JSON export carries those). Lists (authors, tags,
organisations, categories, flags) are joined with ``; ``, as Zotero and Scopus
join theirs; ``arxiv_id`` carries the version (``2503.00042v2``); flags are
``yes`` or empty. Every cell is quoted, so that a note's indentation survives
readers that skip the spaces after a comma.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Final

from readq.model import Paper

# The columns of readq's first CSV export: a header holding all of them is
# readq's own file, which the importer reads without guessing (see csv_import).
OWN_COLUMNS: Final = (
    "title",
    "authors",
    "published",
    "category",
    "url",
    "doi",
    "arxiv_id",
    "abstract",
    "tags",
    "status",
    "priority",
    "notes",
)
COLUMNS: Final = (
    *OWN_COLUMNS,
    "authors_truncated",
    "orgs",
    "score",
    "has_code",
    "categories",
    "flags",
    "venue",
    "citation_key",
    "announce_type",
)
LIST_SEPARATOR: Final = "; "
YES: Final = "yes"
# A cell starting with one of these is run as a formula by spreadsheets
# (CSV injection); a leading apostrophe makes it plain text, and readq's CSV
# importer removes it again.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
# A cell that already starts with apostrophes before one of them gets one more,
# so that the importer's removal of one gives the cell back as it was.
_NEEDS_APOSTROPHE: Final = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    return "'" + cell if _NEEDS_APOSTROPHE.match(cell) else cell


def unneutralise(cell: str) -> str:
    """The cell before neutralise: one apostrophe fewer before a formula start."""
    return cell[1:] if cell.startswith("'") and _NEEDS_APOSTROPHE.match(cell, 1) else cell


def _arxiv(paper: Paper) -> str:
    if not paper.arxiv_id:
        return ""
    return f"{paper.arxiv_id}v{paper.arxiv_version}" if paper.arxiv_version else paper.arxiv_id


def row(paper: Paper) -> list[str]:
    values = {
        "title": paper.title,
        "authors": LIST_SEPARATOR.join(paper.authors),
        "published": paper.published or "",
        "category": paper.category or "",
        "url": paper.url or "",
        "doi": paper.doi or "",
        "arxiv_id": _arxiv(paper),
        "abstract": paper.abstract,
        "tags": LIST_SEPARATOR.join(paper.tags),
        "status": paper.status.value,
        "priority": str(paper.priority),
        "notes": paper.notes,
        "authors_truncated": YES if paper.authors_truncated else "",
        "orgs": LIST_SEPARATOR.join(paper.orgs),
        "score": "" if paper.score is None else repr(paper.score),
        "has_code": YES if paper.has_code else "",
        "categories": LIST_SEPARATOR.join(paper.categories),
        "flags": LIST_SEPARATOR.join(paper.flags),
        "venue": paper.venue or "",
        "citation_key": paper.citation_key or "",
        "announce_type": paper.announce_type or "",
    }
    return [neutralise(values[name]) for name in COLUMNS]


def dumps(papers: Sequence[Paper]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    writer.writerows(row(p) for p in papers)
    return buffer.getvalue().encode("utf-8")
