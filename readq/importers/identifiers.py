"""Identifiers every importer reads the same way: arXiv ids, DOIs, categories, URLs.

A paper's link is handed to the web browser and written into Markdown, so only
web pages are links: ``http`` and ``https``, and the two schemes papers are
cited by, ``doi:`` and ``arXiv:``, as the https pages they name (``web_link``).
``javascript:``, ``file:``, ``data:`` and the rest are refused.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote, urlsplit

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
# A DOI, or a shortDOI (10/fqd6hj), the alias doi.org hands out and Better BibTeX writes.
_DOI: Final = re.compile(r"10\.\d{4,9}/\S+|10/[a-zA-Z0-9]+")
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


_WEB_URL: Final = re.compile(r"https?://[^\s/?#]\S*", re.IGNORECASE)  # with a host
_DOI_LINK: Final = re.compile(r"doi:", re.IGNORECASE)
_ARXIV_LINK: Final = re.compile(r"arxiv:", re.IGNORECASE)
# What a DOI may hold that a URL's path may not (space, <, >, #, ?, %): escaped.
_DOI_SAFE: Final = "/:;()._-~!$&'*+,=@[]"


def is_web_url(text: str) -> bool:
    """An http(s) link with a host: the only links the app hands to the browser."""
    if _WEB_URL.fullmatch(text) is None:
        return False
    try:
        return bool(urlsplit(text).hostname)
    except ValueError:  # a malformed IPv6 address, "http://[::1"
        return False


def web_link(text: str | None) -> str | None:
    """``text`` as a link a browser may open, or None.

    http(s) links are kept as written (cleaned of control characters);
    ``doi:10.1000/x`` becomes ``https://doi.org/10.1000/x`` and
    ``arXiv:2401.00001v2`` ``https://arxiv.org/abs/2401.00001v2``.
    """
    if not text:
        return None
    link = clean_line(text)
    if is_web_url(link):
        return link
    if _DOI_LINK.match(link):
        doi = clean_doi(link)
        return f"https://doi.org/{quote(doi, safe=_DOI_SAFE)}" if doi else None
    if _ARXIV_LINK.match(link) and (found := split_arxiv_id(link)) is not None:
        arxiv_id, version = found
        return f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")
    return None
