"""Identifiers every importer reads the same way: arXiv ids, DOIs, categories, URLs."""

from __future__ import annotations

import re
from typing import Final

from readq.sanitize import clean_line

# New-style ids (2503.00042, four or five digits after the dot) and old-style
# ones (hep-th/9901001, math.GT/0309136), each with an optional version.
_ID: Final = re.compile(
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d{1,4}))?"
)
_ID_PREFIX: Final = re.compile(
    r"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:|oai:arxiv\.org:)",
    re.IGNORECASE,
)
_DOI: Final = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX: Final = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def split_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """(id, version) from ``2503.00042v2``, ``arXiv:hep-th/9901001``, an abs or pdf URL."""
    text = _ID_PREFIX.sub("", clean_line(text)).removesuffix("/").removesuffix(".pdf")
    match = _ID.fullmatch(text)
    if match is None:
        return None
    version = int(match["version"]) if match["version"] else None
    return match["id"], version if version else None  # there is no v0


def clean_doi(text: str) -> str | None:
    """The first DOI in ``text`` without a ``doi:`` or resolver prefix, or None.

    A value that is not a DOI is refused rather than kept: the DOI identifies a
    paper, so a placeholder such as ``n/a`` would merge unrelated papers.
    """
    for token in clean_line(text).split(" "):
        token = _DOI_PREFIX.sub("", token).rstrip(".,;")
        if _DOI.fullmatch(token):
            return token
    return None


def short_category(term: str) -> str:
    """``cs.CL`` -> ``CL``; other archives keep their prefix (see the module notes)."""
    return term.removeprefix("cs.")


def is_web_url(text: str) -> bool:
    """Only http(s) links are kept: the app hands ``url`` to the web browser."""
    return re.match(r"https?://\S+$", text, re.IGNORECASE) is not None
