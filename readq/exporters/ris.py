"""RIS export that Zotero, EndNote and rispy read, and readq reads back losslessly.

The standard tags carry what they are for: TI, AU (``Family, Given, Suffix``), PY and
DA, JO, AB, DO, UR (the paper's link, then its arXiv link), KW (one tag each),
ID, and N1: the note, its lines as continuation lines (Zotero keeps them as
lines, rispy as a list). A note line that would read as a tag (``ER  - ``) is
preceded by a zero-width space, which readq's import removes again.

What RIS has no tag for goes in its custom and user tags, in a record marked
``DB  - readq`` (RIS's "name of database"); readq's import reads these tags only
in records so marked, so another exporter's C1 is never taken for a score:

    AD  organisation, one tag each (RIS: author address)
    C1  ``et al.`` when the author list is cut
    C2  score                      C3  ``code`` when the paper has code
    C4  primary category           C5  every category, ``; `` between them
    C6  the listing's flags        C7  status (read, unread)
    C8  priority (0-3)             U1  arXiv announcement type
    U2  arXiv id and version (the UR after the paper's own link says it too)

Only the library's own times (added, read, changed) stay behind: readq's JSON
export carries those.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from readq.exporters.naming import citation_keys
from readq.importers.names import split_initials_last
from readq.model import SUFFIXES, Paper, date_parts

DATABASE: Final = "readq"
# readq's fields in RIS's custom tags (see the module notes); the importer reads them.
TRUNCATED_TAG: Final = "C1"
TRUNCATED_VALUE: Final = "et al."
SCORE_TAG: Final = "C2"
CODE_TAG: Final = "C3"
CODE_VALUE: Final = "code"
CATEGORY_TAG: Final = "C4"
CATEGORIES_TAG: Final = "C5"
FLAGS_TAG: Final = "C6"
STATUS_TAG: Final = "C7"
PRIORITY_TAG: Final = "C8"
ANNOUNCE_TAG: Final = "U1"
ARXIV_TAG: Final = "U2"
ORG_TAG: Final = "AD"
LIST_SEPARATOR: Final = "; "
# Lines a RIS reader could take for a tag, even one space short (Zotero reads
# ``TI - x``); a note line of this shape is escaped.
_TAG_LIKE: Final = re.compile(r"\s*[A-Z][A-Z0-9] {1,2}-")
ESCAPE: Final = "\u200b"  # zero width: invisible, and readq's sanitizer drops it


def _one_line(text: str) -> str:
    return " ".join(text.split())  # RIS is line-based: a field may not span lines


def ris_name(author: str) -> str:
    """RIS's ``Family, Given[, Suffix]``: ``van der Berg, Hugo``, ``King, Martin Luther, Jr.``.

    A name written family first (``Liu R.``, as older readq versions kept some)
    becomes ``Liu, R.``; a single word (``Plato``) stays as it is.
    """
    if (family_initials := split_initials_last(author)) is not None:
        return ", ".join(family_initials)
    parts = author.split()
    suffix = parts.pop() if len(parts) > 2 and parts[-1] in SUFFIXES else None
    start = len(parts) - 1
    while start > 0 and parts[start - 1].islower():
        start -= 1  # particles belong to the family name
    if start <= 0:
        return author
    name = f"{' '.join(parts[start:])}, {' '.join(parts[:start])}"
    return f"{name}, {suffix}" if suffix else name


def note_lines(notes: str) -> list[str]:
    """The note's lines as RIS continuation lines: blank lines kept, tag-like ones escaped."""
    return [ESCAPE + line if _TAG_LIKE.match(line) else line for line in notes.split("\n")]


def _arxiv(paper: Paper) -> str:
    if not paper.arxiv_id:
        return ""
    return f"{paper.arxiv_id}v{paper.arxiv_version}" if paper.arxiv_version else paper.arxiv_id


def _custom_tags(paper: Paper) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = [("DB", DATABASE)]
    tags += [(ORG_TAG, org) for org in paper.orgs]
    if paper.authors_truncated:
        tags.append((TRUNCATED_TAG, TRUNCATED_VALUE))
    if paper.score is not None:
        tags.append((SCORE_TAG, repr(paper.score)))
    if paper.has_code:
        tags.append((CODE_TAG, CODE_VALUE))
    if paper.category:
        tags.append((CATEGORY_TAG, paper.category))
    if paper.categories:
        tags.append((CATEGORIES_TAG, LIST_SEPARATOR.join(paper.categories)))
    if paper.flags:
        tags.append((FLAGS_TAG, LIST_SEPARATOR.join(paper.flags)))
    tags.append((STATUS_TAG, paper.status.value))
    tags.append((PRIORITY_TAG, str(paper.priority)))
    if paper.announce_type:
        tags.append((ANNOUNCE_TAG, paper.announce_type))
    if paper.arxiv_id:
        tags.append((ARXIV_TAG, _arxiv(paper)))
    return tags


def record(paper: Paper, key: str) -> str:
    tags: list[tuple[str, str]] = [("TY", "JOUR" if paper.venue else "GEN"), ("ID", key)]
    tags.append(("TI", paper.title))
    tags += [("AU", ris_name(author)) for author in paper.authors]
    if paper.published:
        year, month, day = date_parts(paper.published)
        tags.append(("PY", year))
        tags.append(("DA", f"{year}/{month}/{day}/"))
    if paper.venue:
        tags.append(("JO", paper.venue))
    if paper.abstract:
        tags.append(("AB", paper.abstract))
    if paper.doi:
        tags.append(("DO", paper.doi))
    if paper.url:
        tags.append(("UR", paper.url))
    if paper.arxiv_id:  # a second link carries the arXiv id and version
        tags.append(("UR", f"https://arxiv.org/abs/{_arxiv(paper)}"))
    tags += [("KW", tag) for tag in paper.tags]
    tags += _custom_tags(paper)
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags]
    if paper.notes:
        first, *rest = note_lines(paper.notes)
        lines += [f"N1  - {first}", *rest]
    return "\r\n".join([*lines, "ER  - ", ""])


def dumps(papers: Sequence[Paper]) -> bytes:
    keys = citation_keys(papers)
    return "\r\n".join(record(p, k) for p, k in zip(papers, keys, strict=True)).encode("utf-8")
