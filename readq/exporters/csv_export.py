"""CSV export, safe to open in a spreadsheet and read back by readq's CSV importer."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from readq.model import Paper

COLUMNS = (
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
# A cell starting with one of these is run as a formula by spreadsheets
# (CSV injection); a leading apostrophe makes it plain text, and readq's CSV
# importer removes it again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def row(paper: Paper) -> list[str]:
    values = {
        "title": paper.title,
        "authors": "; ".join(paper.authors),
        "published": paper.published or "",
        "category": paper.category or "",
        "url": paper.url or "",
        "doi": paper.doi or "",
        "arxiv_id": paper.arxiv_id or "",
        "abstract": paper.abstract,
        "tags": "; ".join(paper.tags),
        "status": paper.status.value,
        "priority": str(paper.priority),
        "notes": paper.notes,
    }
    return [neutralise(values[name]) for name in COLUMNS]


def dumps(papers: Sequence[Paper]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(p) for p in papers)
    return buffer.getvalue().encode("utf-8")
