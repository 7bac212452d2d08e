"""arXiv feeds: the API's Atom feed and the announcement RSS feed.

Provides ``looks_like_atom``/``parse_atom`` for results of the arXiv API
(``export.arxiv.org/api/query``), ``looks_like_rss``/``parse_rss`` for the daily
announcement feeds (``rss.arxiv.org/rss/cs.LG``).

Decisions worth knowing:

- XML is parsed by defusedxml with DTDs forbidden: a feed that declares a
  document type or entities (billion laughs, ``file://`` external entities) is
  refused whole with one error. arXiv never sends either.
- ``category`` is the primary category with ``cs.`` dropped (``cs.CL`` -> ``CL``),
  as the listing shows it; any other archive keeps its prefix (``stat.ML``,
  ``math.OC``), because the bare subject would be ambiguous (``math.LO`` is not
  ``cs.LO``). ``categories`` keeps every arXiv category as given; ACM and MSC
  codes that the API sometimes lists as categories are left out.
- The RSS feed does not mark a primary category. For new and replaced papers it
  is the first listed category that the feed is about; for cross-lists it is the
  one listed category the feed is not about, and unset when that is ambiguous.
- The RSS date is the day of the announcement: the publication date for new
  papers and cross-lists, but not for replacements, whose ``published`` stays
  unset rather than misdating an old paper (an import only ever fills missing
  metadata, so a wrong date would stick).
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any, Final
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.html_text import html_text
from readq.importers.identifiers import clean_doi, is_web_url, short_category, split_arxiv_id
from readq.model import ParsedPaper
from readq.sanitize import clean_block, clean_line

ATOM: Final = "{http://www.w3.org/2005/Atom}"
ARXIV: Final = "{http://arxiv.org/schemas/atom}"
DC: Final = "{http://purl.org/dc/elements/1.1/}"
OPENSEARCH: Final = "{http://a9.com/-/spec/opensearch/1.1/}"
SOURCE: Final = "arxiv"
SNIFF_CHARS: Final = 4096

# cs.LG, stat.ML, hep-th, cond-mat.stat-mech; not ACM (I.2.7) or MSC (68T05) codes.
_CATEGORY: Final = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")
_AUTHOR_NAME: Final = re.compile(r"\S+@\S+\s*\((?P<name>[^()]+)\)")
_RSS_PREFIX: Final = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?",
    re.IGNORECASE,
)
_FEED_ROOT: Final = re.compile(r"<(?:[\w.-]+:)?feed[\s>]")
_RSS_ROOT: Final = re.compile(r"<rss[\s>]")
_CROSS_TYPES: Final = frozenset({"cross", "replace-cross"})
_REPLACE_TYPES: Final = frozenset({"replace", "replace-cross"})

REFUSED: Final = (
    "refused: the XML declares entities or a document type (DTD), which readq never "
    "loads because they can expand to gigabytes or read local files; nothing was imported"
)


# --- sniffing -------------------------------------------------------------------------


def looks_like_atom(text: str) -> bool:
    """True for XML whose first few KB hold an Atom ``<feed>``: arXiv's API, or any
    other (a journal's, a blog's): their entries are read the same way."""
    head = text[:SNIFF_CHARS]
    return (
        _starts_as_xml(head)
        and _FEED_ROOT.search(head) is not None
        and "http://www.w3.org/2005/Atom" in head
    )


def looks_like_rss(text: str) -> bool:
    """True for XML whose first few KB hold an ``<rss>`` feed: arXiv's or any other."""
    head = text[:SNIFF_CHARS]
    return _starts_as_xml(head) and _RSS_ROOT.search(head) is not None


def _starts_as_xml(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").startswith("<")


# --- XML ----------------------------------------------------------------------------------


class _LineRecorder:
    """A TreeBuilder target that notes the line each entry or item starts on."""

    def __init__(self, wanted: frozenset[str]) -> None:
        self._builder = TreeBuilder()
        self._wanted = wanted
        self.expat: Any = None  # the parser's expat object, set once the parser exists
        self.lines: dict[Element, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self._builder.start(tag, attrs)
        if tag in self._wanted:
            self.lines[element] = int(self.expat.CurrentLineNumber)
        return element

    def end(self, tag: str) -> Element:
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


def _read_xml(
    text: str, wanted: frozenset[str], result: ParseResult
) -> tuple[Element, dict[Element, int]] | None:
    """The root and entry lines, or None with one error added to ``result``."""
    recorder = _LineRecorder(wanted)
    parser = DefusedXMLParser(target=recorder, forbid_dtd=True)
    recorder.expat = parser.parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException:
        result.problems.append(Problem(int(parser.parser.CurrentLineNumber), REFUSED))
        return None
    except ParseError as error:
        line = error.position[0] if error.position else 1
        reason = str(error).split(": line ")[0]
        result.problems.append(Problem(line, f"not well-formed XML ({reason}); nothing imported"))
        return None
    except UnicodeError:  # a lone surrogate; text decoded from a file never holds one
        result.problems.append(Problem(1, "the text is not valid Unicode; nothing imported"))
        return None
    if not isinstance(root, Element):
        result.problems.append(Problem(1, "the XML holds no document; nothing imported"))
        return None
    return root, recorder.lines


def _text(parent: Element, tag: str) -> str:
    """The cleaned text of the first ``tag`` child, nested markup included; "" if none."""
    child = parent.find(tag)
    return "" if child is None else clean_line("".join(child.itertext()))


def _texts(parent: Element, tag: str) -> list[str]:
    return [clean_line("".join(child.itertext())) for child in parent.findall(tag)]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _named(names: list[str]) -> list[str]:
    """Every author, in order: two of one name (two people can share ``S. Zhang``)
    are two authors, not a repeat."""
    return [name for name in names if name]


def _categories(terms: list[str]) -> list[str]:
    return _unique([term for term in terms if _CATEGORY.fullmatch(term)])


def _doi(parent: Element) -> str | None:
    # The API writes arxiv:doi; the announcement feed has been seen with arxiv:DOI.
    return clean_doi(_text(parent, f"{ARXIV}doi") or _text(parent, f"{ARXIV}DOI"))


def _venue(parent: Element) -> str | None:
    ref = _text(parent, f"{ARXIV}journal_ref") or _text(parent, f"{ARXIV}journal_reference")
    return ref or None


def _set_id(paper: ParsedPaper, candidates: list[str]) -> None:
    """The first candidate that holds an arXiv id; its version, else one given elsewhere."""
    found = [split for split in map(split_arxiv_id, candidates) if split is not None]
    if not found:
        return
    paper.arxiv_id = found[0][0]
    versions = [version for arxiv_id, version in found if arxiv_id == paper.arxiv_id]
    paper.arxiv_version = next((v for v in versions if v is not None), None)


# --- Atom (the arXiv API) ---------------------------------------------------------


def parse_atom(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Every entry of an arXiv API Atom feed. ``as_of`` is unused: entries carry dates."""
    result = ParseResult(on_paper=on_paper)
    document = _read_xml(text, frozenset({f"{ATOM}entry"}), result)
    if document is None:
        return result
    root, lines = document
    if root.tag != f"{ATOM}feed":
        result.problems.append(
            Problem(1, f"not an Atom feed: the document is <{_local(root.tag)}>, not <feed>")
        )
        return result
    entries = root.findall(f"{ATOM}entry")
    from_arxiv = _from_arxiv(text)
    for entry in entries:
        _atom_entry(entry, lines.get(entry, 1), result, from_arxiv=from_arxiv)
    if not entries:
        result.problems.append(Problem(1, "the feed holds no entries", "warning"))
    _check_paging(root, len(entries), result)
    return result


def _atom_entry(entry: Element, line: int, result: ParseResult, *, from_arxiv: bool = True) -> None:
    entry_id = _text(entry, f"{ATOM}id")
    if "arxiv.org/api/errors" in entry_id:
        # The API reports a bad query as a feed whose only entry is the error.
        message = _text(entry, f"{ATOM}summary") or entry_id
        result.problems.append(Problem(line, f"the arXiv API returned an error: {message}"))
        return
    title = _text(entry, f"{ATOM}title")
    if not title:
        result.problems.append(Problem(line, "entry has no title; skipped"))
        return
    authors = entry.findall(f"{ATOM}author")
    categories = _categories([c.get("term", "") for c in entry.findall(f"{ATOM}category")])
    primary = entry.find(f"{ARXIV}primary_category")
    primary_term = clean_line(primary.get("term", "")) if primary is not None else ""
    primary_term = primary_term if _CATEGORY.fullmatch(primary_term) else ""
    paper = ParsedPaper(
        title=title,
        authors=_named([_text(author, f"{ATOM}name") for author in authors]),
        orgs=_unique([org for a in authors for org in _texts(a, f"{ARXIV}affiliation")]),
        abstract=_abstract(entry, f"{ATOM}summary", from_arxiv)
        or _abstract(entry, f"{ATOM}content", from_arxiv),
        categories=categories,
        doi=_doi(entry),
        venue=_venue(entry),
        source=SOURCE,
        line=line,
    )
    first = primary_term or (categories[0] if categories else "")
    paper.category = short_category(first) if first else None
    _set_id(paper, [entry_id])
    if paper.doi is None:
        paper.doi = clean_doi(entry_id)  # a journal's feed may name its papers by DOI
    if paper.arxiv_id is None and from_arxiv:
        shown = repr(entry_id) if entry_id else "none"
        result.problems.append(
            Problem(line, f"no arXiv id in the entry's <id> ({shown}); kept without one", "warning")
        )
    paper.url = _atom_url(entry, entry_id)
    # Atom requires <updated> and makes <published> optional: most feeds but arXiv's.
    published = _text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")
    paper.published = _iso_date(published)
    if published and paper.published is None:
        result.problems.append(
            Problem(line, f"published date {published[:40]!r} is not a date; left unset", "warning")
        )
    result.add(paper)


def _atom_url(entry: Element, entry_id: str) -> str | None:
    """The abstract page: the alternate link, else the id, which is the same URL."""
    for link in entry.findall(f"{ATOM}link"):
        href = clean_line(link.get("href", ""))
        if link.get("rel", "alternate") == "alternate" and is_web_url(href):
            return href
    return entry_id if is_web_url(entry_id) else None


def _iso_date(text: str) -> str | None:
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _check_paging(root: Element, count: int, result: ParseResult) -> None:
    """Warn when the API had more results than this page holds: easy to miss."""
    try:
        total = int(_text(root, f"{OPENSEARCH}totalResults"))
        start = int(_text(root, f"{OPENSEARCH}startIndex") or "0")
    except ValueError:
        return
    if count and total > start + count:
        result.problems.append(
            Problem(
                1,
                f"the query matched {total} papers and this page holds {start + 1} to "
                f"{start + count}; fetch the rest with start={start + count}",
                "warning",
            )
        )


# --- RSS (the daily announcements) --------------------------------------------------


def parse_rss(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Every item of an arXiv announcement RSS feed. ``as_of`` is unused: items carry dates."""
    result = ParseResult(on_paper=on_paper)
    document = _read_xml(text, frozenset({"item"}), result)
    if document is None:
        return result
    root, lines = document
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        result.problems.append(
            Problem(1, f"not an RSS 2.0 feed: the document is <{_local(root.tag)}> with no channel")
        )
        return result
    feed_categories = _feed_categories(channel)
    items = channel.findall("item")
    from_arxiv = _from_arxiv(text)
    for item in items:
        _rss_item(item, lines.get(item, 1), feed_categories, result, from_arxiv=from_arxiv)
    if not items:
        result.problems.append(
            Problem(1, "the feed holds no items (no announcements today?)", "warning")
        )
    return result


def _feed_categories(channel: Element) -> frozenset[str]:
    """The categories a feed is about, from its link: ``.../rss/cs.LG+stat.ML``."""
    link = _text(channel, "link") or next(
        (clean_line(el.get("href", "")) for el in channel.findall(f"{ATOM}link")), ""
    )
    _, found, tail = link.partition("/rss/")
    return frozenset(_categories(tail.split("+"))) if found else frozenset()


def _rss_item(
    item: Element,
    line: int,
    feed_categories: frozenset[str],
    result: ParseResult,
    *,
    from_arxiv: bool = True,
) -> None:
    title = _text(item, "title")
    if not title:
        result.problems.append(Problem(line, "item has no title; skipped"))
        return
    description = _text(item, "description")
    prefix = _RSS_PREFIX.match(description)
    announce = _text(item, f"{ARXIV}announce_type") or (prefix["type"] if prefix else "")
    announce = announce.lower()
    categories = _categories(_texts(item, "category"))
    creators = [name for text in _texts(item, f"{DC}creator") for name in _split_creators(text)]
    creators = creators or [_rss_author(text) for text in _texts(item, "author")]
    link = _text(item, "link")
    guid = _text(item, "guid")
    paper = ParsedPaper(
        title=title,
        authors=_named(creators),
        abstract=description[prefix.end() :]
        if prefix
        else _abstract(item, "description", from_arxiv),
        categories=categories,
        url=link if is_web_url(link) else None,
        doi=_doi(item) or clean_doi(guid) or clean_doi(link),
        venue=_venue(item),
        announce_type=announce or None,
        source=SOURCE,
        line=line,
    )
    primary = _rss_primary(categories, feed_categories, announce)
    paper.category = short_category(primary) if primary else None
    _set_id(paper, [guid, prefix["id"] if prefix else "", link])
    if paper.arxiv_id is None and from_arxiv:
        result.problems.append(
            Problem(line, "no arXiv id in the item; kept without one", "warning")
        )
    pub_date = _text(item, "pubDate")
    if announce not in _REPLACE_TYPES and pub_date:
        paper.published = _rss_date(pub_date)
        if paper.published is None:
            result.problems.append(
                Problem(line, f"pubDate {pub_date[:40]!r} is not a date; left unset", "warning")
            )
    result.add(paper)


def _from_arxiv(text: str) -> bool:
    """Whether the feed is arXiv's: only there is a paper without an arXiv id odd."""
    return "arxiv.org" in text[:SNIFF_CHARS].lower()


def _abstract(parent: Element, tag: str, from_arxiv: bool) -> str:
    """A description or summary as text: arXiv's is plain text (its ``<`` is
    mathematics), a journal's or a blog's HTML (escaped in the XML, or XHTML)."""
    if from_arxiv:
        return _text(parent, tag)
    child = parent.find(tag)
    if child is None:
        return ""
    return clean_block(html_text("".join(child.itertext())))


def _rss_author(text: str) -> str:
    """RSS 2.0's ``<author>``: ``jane@example.org (Jane Doe)``, the name; else as given."""
    name = _AUTHOR_NAME.fullmatch(text.strip())
    return name["name"].strip() if name else text


def _split_creators(text: str) -> list[str]:
    """``dc:creator`` is one string: ``Junie Park, Oskar Lind`` (maybe ``and`` at the end)."""
    names = [name.strip() for name in text.split(",")]
    return [name.removeprefix("and ").strip() for name in names if name]


def _rss_primary(categories: list[str], feed: frozenset[str], announce: str) -> str | None:
    if announce in _CROSS_TYPES:
        others = [c for c in categories if c not in feed] if feed else []
        return others[0] if len(others) == 1 else None
    ours = [c for c in categories if c in feed] or categories
    return ours[0] if ours else None


def _rss_date(text: str) -> str | None:
    """``Fri, 27 Nov 2026 00:00:00 -0500`` -> ``2026-11-27``, the day where it was announced."""
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
