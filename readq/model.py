"""The paper and its user state: plain data, no storage and no UI."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final, NoReturn

import orjson

PRIORITY_NONE: Final = 0
PRIORITY_HIGH: Final = 3
PRIORITY_LABELS: Final = {0: "none", 1: "low", 2: "medium", 3: "high"}


class Status(StrEnum):
    UNREAD = "unread"
    READ = "read"


USER_FIELDS: Final = ("status", "priority", "notes", "tags")  # what a person changes


@dataclass(slots=True, kw_only=True)
class Metadata:
    """What an import tells about a paper: everything but the user's state."""

    title: str
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False
    orgs: list[str] = field(default_factory=list)
    category: str | None = None
    published: str | None = None  # ISO date
    score: float | None = None
    has_code: bool = False
    abstract: str = ""
    url: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    source: str = ""
    flags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # every arXiv category, cs.LG style
    arxiv_version: int | None = None
    announce_type: str | None = None  # arXiv RSS: new, cross, replace, ...
    venue: str | None = None  # journal or proceedings
    citation_key: str | None = None  # the key a BibTeX file gave it


# Fields an import may fill in; everything else on a Paper belongs to the user.
METADATA_FIELDS: Final = tuple(f.name for f in dataclasses.fields(Metadata))


_ABSTRACT_SLOT: Final[Any] = Metadata.__dict__["abstract"]  # where a Paper keeps it


class StoredText:
    """A text that stays in a segment file until it is wanted: where it is, as the
    JSON string the file holds (see snapshotfile.read_papers). The app keeps
    100,000 abstracts so, 130 MB it does not hold."""

    __slots__ = ("_at", "_file")

    def __init__(self, file: SegmentFile, start: int, length: int) -> None:
        # One int for both: 28 bytes fewer per paper than two.
        self._file, self._at = file, start << 32 | length

    def read(self) -> str:
        text = [""]
        self._file.read_many([(self._at, 0)], text)
        return text[0]


def _span(at: int) -> tuple[int, int]:
    """Where a StoredText's bytes start and stop in its file (StoredText._at)."""
    start = at >> 32
    return start, start + (at & 0xFFFFFFFF)


_GAP: Final = 16 * 1024  # bytes between two stored texts read in one go
_SPAN: Final = 256 * 1024  # bytes read at most in one go


class SegmentFile:
    """A segment file held open for its StoredTexts: a compaction that removes the
    file later leaves it readable here (never changed in place: segments.py)."""

    __slots__ = ("_fd", "name")

    def __init__(self, fd: int, name: str) -> None:
        self._fd, self.name = fd, name

    def read_many(self, wanted: list[tuple[int, int]], into: list[str]) -> None:
        """``into[i] = `` the text stored at ``at`` for each (at, i) of ``wanted``,
        which is sorted: texts that lie close together are read in one go.

        A search reads thousands: one pread each released and took back the GIL
        every time, and beside the app's event loop that made a full scan three
        times slower. (A memory map costs no system call, but the kernel maps
        the pages around each one touched, and a search of the whole library
        grew the app by 50 MB.)"""
        number = 0
        while number < len(wanted):
            first, last = _span(wanted[number][0])
            end = number + 1  # the texts read together: wanted[number:end]
            while end < len(wanted):
                start, stop = _span(wanted[end][0])
                if start - last > _GAP or stop - first > _SPAN:
                    break
                last, end = max(last, stop), end + 1
            data = os.pread(self._fd, last - first, first)
            for at, index in wanted[number:end]:
                start, stop = _span(at)
                text = orjson.loads(data[start - first : stop - first])
                if type(text) is not str:  # the file was checked whole when it was read
                    raise ValueError(f"the text stored at {start} of {self.name} changed")
                into[index] = text
            number = end

    def __del__(self) -> None:  # when the last paper that needs it is gone
        with contextlib.suppress(OSError, AttributeError):
            os.close(self._fd)


def abstracts_of(papers: Sequence[Paper]) -> list[str]:
    """The abstracts of ``papers``, in order: stored ones (StoredText) read together,
    in the order they lie in their files."""
    texts = [""] * len(papers)
    stored: dict[SegmentFile, list[tuple[int, int]]] = {}
    for index, paper in enumerate(papers):
        value = _ABSTRACT_SLOT.__get__(paper)
        if type(value) is str:
            texts[index] = value
        else:
            stored.setdefault(value._file, []).append((value._at, index))
    for file, wanted in stored.items():
        wanted.sort()
        file.read_many(wanted, texts)
    return texts


@dataclass(slots=True, kw_only=True)
class Paper(Metadata):
    """One paper in the library: imported metadata plus the user's state."""

    id: int
    status: Status = Status.UNREAD
    priority: int = PRIORITY_NONE
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    added_at: str = ""
    read_at: str | None = None
    updated_at: str = ""
    # When each user field (status, priority, notes, tags) last changed: a merge
    # across machines takes, field by field, the newer change.
    changed_at: dict[str, str] = field(default_factory=dict)
    # When the user deleted it: a deleted paper is kept (hidden) so that undo can
    # bring it back and an import of the same paper does not add it again.
    deleted_at: str | None = None
    # Where it came from: the feed or file it arrived from (added_at says when),
    # and every feed it has been seen in since (``feed:NAME`` finds them).
    arrived_from: str | None = None
    feeds: list[str] = field(default_factory=list)
    # The note's versions with the clocks that order them across machines
    # (userstate.py); more than one while two machines' notes are both kept.
    note_versions: list[dict[str, Any]] = field(default_factory=list)

    def __copy__(self) -> Paper:
        """A shallow copy that leaves a StoredText abstract where it is (copy.copy
        would read it through the property, and the copy would hold the text)."""
        twin = Paper.__new__(Paper)
        for name in _FIELD_NAMES:
            if name == "abstract":
                _ABSTRACT_SLOT.__set__(twin, _ABSTRACT_SLOT.__get__(self))
            else:
                setattr(twin, name, getattr(self, name))
        return twin

    @property
    def abstract_source(self) -> object:
        """What the abstract is read from (the str itself, or its StoredText): the
        same object as long as the abstract is not changed."""
        return _ABSTRACT_SLOT.__get__(self)

    @property
    def abstract_is_stored(self) -> bool:
        return type(_ABSTRACT_SLOT.__get__(self)) is StoredText

    @property
    def has_note(self) -> bool:
        return bool(self.notes.strip())

    @property
    def is_read(self) -> bool:
        return self.status is Status.READ

    @property
    def year(self) -> str:
        return self.published[:4] if self.published else ""

    def first_author_short(self) -> str:
        """The first author, with "et al." when there are more (or the list was cut)."""
        if not self.authors:
            return ""
        more = len(self.authors) > 1 or self.authors_truncated
        return f"{self.authors[0]} et al." if more else self.authors[0]

    def authors_short(self) -> str:
        """``Family et al.`` (or just ``Family``): how a list names the authors."""
        if not self.authors:
            return ""
        family = family_name_of(self.authors[0])
        more = len(self.authors) > 1 or self.authors_truncated
        return f"{family} et al." if more else family

    def citation_line(self) -> str:
        """``Title — First Author et al. (Year)``, for the clipboard."""
        parts = [self.title]
        if len(self.authors) == 2 and not self.authors_truncated:
            parts.append(f" — {self.authors[0]} and {self.authors[1]}")
        elif self.authors:
            parts.append(f" — {self.first_author_short()}")
        if self.year:
            parts.append(f" ({self.year})")
        return "".join(parts)

    def stored(self, name: str) -> Any:
        """One field's value as the library file and the journal hold it."""
        value = getattr(self, name)
        return value.value if isinstance(value, Status) else value

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict of every field but the id (the storage key)."""
        record = {name: getattr(self, name) for name in _RECORD_FIELDS}
        record["status"] = self.status.value
        return record

    @classmethod
    def from_record(cls, paper_id: int, record: dict[str, Any]) -> Paper:
        """The paper stored under ``paper_id``; ValueError if the record is malformed."""
        known = {k: v for k, v in record.items() if k in _FIELD_NAMES and k != "id"}
        try:
            paper = cls(id=paper_id, **known)
            paper.status = Status(paper.status)
        except (TypeError, ValueError):
            raise ValueError(f"paper {paper_id} has a missing or invalid field") from None
        _check_types(paper)
        _share_repeated_text(paper)
        return paper


def _abstract_of(paper: Paper) -> str:
    value = _ABSTRACT_SLOT.__get__(paper)
    return value if type(value) is str else value.read()


def _set_abstract(paper: Paper, value: str | StoredText) -> None:
    _ABSTRACT_SLOT.__set__(paper, value)


# A Paper's abstract may be a StoredText (the app's papers: see SegmentFile), read
# each time it is wanted and never kept; every reader sees a str. Set after the
# class is made: dataclass(slots=True) drops class attributes named like a field.
setattr(Paper, "abstract", property(_abstract_of, _set_abstract))  # noqa: B010

_FIELD_NAMES: Final = frozenset(f.name for f in dataclasses.fields(Paper))
# The abstract last, so that a reader can leave it in the file (snapshotfile.read_papers).
_RECORD_FIELDS: Final = (
    *(f.name for f in dataclasses.fields(Paper) if f.name not in ("id", "abstract")),
    "abstract",
)
_TEXT_FIELDS: Final = ("title", "source", "notes", "added_at", "updated_at")  # and the abstract
_OPTIONAL_TEXT_FIELDS: Final = (
    *("category", "published", "url", "arxiv_id", "doi", "read_at"),
    *("announce_type", "venue", "citation_key", "deleted_at", "arrived_from"),
)
_LIST_FIELDS: Final = ("authors", "orgs", "flags", "tags", "categories", "feeds")


# Values that many papers repeat (author names, dates, categories, the time of
# one import): one string each instead of one per paper, a few hundred bytes
# per paper. Titles, abstracts and notes are unique and left alone.
_REPEATED_TEXT: Final = (
    *("category", "published", "source", "added_at", "updated_at", "read_at"),
    *("announce_type", "venue", "arrived_from"),
)
_REPEATED_LISTS: Final = ("authors", "orgs", "flags", "tags", "categories", "feeds")


def _refuse(self: object, *_: object, **__: object) -> NoReturn:
    raise TypeError(f"a stored paper's empty {type(self).__name__} is shared: set a new one")


class _NoItems(list[str]):
    """The one empty list that stored papers without flags, tags, categories (most
    of them) share: 56 bytes each, 15 MB at 100,000 papers. Nothing changes a
    paper's list in place (a change sets a new one), and this one refuses to."""

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


class _NoTimes(dict[str, str]):
    """The one empty ``changed_at`` that stored papers never triaged share, as
    _NoItems: 64 bytes each."""

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = pop = popitem = clear = setdefault = _refuse


_NO_ITEMS: Final = _NoItems()
_NO_TIMES: Final = _NoTimes()
_NO_VERSIONS: Final[list[dict[str, Any]]] = _NoItems()  # type: ignore[assignment]


def _share_repeated_text(paper: Paper) -> None:
    intern = sys.intern
    for name in _REPEATED_TEXT:
        value = getattr(paper, name)
        if value:
            setattr(paper, name, intern(value))
    for name in _REPEATED_LISTS:
        values = getattr(paper, name)
        if values:
            values[:] = map(intern, values)
        else:
            setattr(paper, name, _NO_ITEMS)
    if not paper.note_versions:
        paper.note_versions = _NO_VERSIONS
    if paper.changed_at:
        paper.changed_at = {intern(k): intern(v) for k, v in paper.changed_at.items()}
    else:
        paper.changed_at = _NO_TIMES


def _looks_right(paper: Paper) -> bool:
    """The common case, checked at C speed: str.join refuses anything but text.

    Opening a library checks every paper, so at 100,000 papers a check per
    field in Python costs a second; when this fails, _check_types looks closer.
    """
    if type(_ABSTRACT_SLOT.__get__(paper)) not in (str, StoredText):
        return False
    try:
        "".join([getattr(paper, name) for name in _TEXT_FIELDS])
        "".join([getattr(paper, name) or "" for name in _OPTIONAL_TEXT_FIELDS])
        for name in _LIST_FIELDS:
            "".join(getattr(paper, name))
        "".join(paper.changed_at.values())
    except (TypeError, AttributeError):
        return False
    return (
        type(paper.priority) is int
        and PRIORITY_NONE <= paper.priority <= PRIORITY_HIGH
        and type(paper.has_code) is bool
        and type(paper.authors_truncated) is bool
        and (paper.score is None or type(paper.score) in (int, float))
        and (paper.arxiv_version is None or type(paper.arxiv_version) is int)
        and all(type(getattr(paper, name)) is list for name in _LIST_FIELDS)
        and (not paper.note_versions or _versions_look_right(paper.note_versions))
    )


def _versions_look_right(versions: Any) -> bool:
    return type(versions) is list and all(
        type(v) is dict
        and type(v.get("stamp")) is str
        and type(v.get("text")) is str
        and type(v.get("seen")) is dict
        for v in versions
    )


def _check_types(paper: Paper) -> None:
    """Refuse a stored paper whose values would break the code that shows it."""
    if _looks_right(paper):
        return
    wrong = [name for name in _TEXT_FIELDS if not isinstance(getattr(paper, name), str)]
    if type(_ABSTRACT_SLOT.__get__(paper)) not in (str, StoredText):
        wrong.append("abstract")
    wrong += [
        name for name in _OPTIONAL_TEXT_FIELDS if not isinstance(getattr(paper, name), str | None)
    ]
    wrong += [
        name
        for name in _LIST_FIELDS
        if not isinstance(getattr(paper, name), list)
        or not all(isinstance(item, str) for item in getattr(paper, name))
    ]
    if not isinstance(paper.arxiv_version, int | None) or isinstance(paper.arxiv_version, bool):
        wrong.append("arxiv_version")
    if not isinstance(paper.score, int | float | None) or isinstance(paper.score, bool):
        wrong.append("score")
    if not isinstance(paper.has_code, bool) or not isinstance(paper.authors_truncated, bool):
        wrong.append("has_code/authors_truncated")
    priority_ok = isinstance(paper.priority, int) and not isinstance(paper.priority, bool)
    if not priority_ok or not PRIORITY_NONE <= paper.priority <= PRIORITY_HIGH:
        wrong.append("priority")
    times = paper.changed_at
    if not isinstance(times, dict) or not all(isinstance(v, str) for v in times.values()):
        wrong.append("changed_at")
    if paper.note_versions and not _versions_look_right(paper.note_versions):
        wrong.append("note_versions")
    if wrong:
        raise ValueError(f"paper {paper.id} has an invalid {', '.join(wrong)}")


@dataclass(slots=True, kw_only=True)
class ParsedPaper(Metadata):
    """What an importer read for one paper, before it has an id.

    State fields are ``None`` when the source says nothing about them; they are
    applied only when the paper is new to the library.
    """

    line: int = 0  # where the entry starts in its source, for messages
    status: Status | None = None
    priority: int | None = None
    notes: str | None = None
    tags: list[str] | None = None
    # Only readq's own JSON carries these: a lossless round trip of the user's state.
    added_at: str | None = None
    read_at: str | None = None
    updated_at: str | None = None
    changed_at: dict[str, str] | None = None
    # Where it came through: the feeds (their names) and the feed or file it
    # arrived from, set by a fetch or an import (readq's JSON carries them too).
    feeds: list[str] | None = None
    arrived_from: str | None = None
    note_versions: list[dict[str, Any]] | None = None
    deleted_at: str | None = None  # a deleted paper of another machine: a tombstone

    def metadata(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in METADATA_FIELDS}


def date_parts(published: str) -> tuple[str, str, str]:
    """(year, month, day) of ``2026-03``, ``2026`` or ``2026-03-05``; missing parts are ""."""
    year, month, day, *_ = (*published.split("-"), "", "")
    return year, month, day


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string with seconds, e.g. 2026-11-29T09:00:00Z."""
    return iso_time(datetime.now(UTC))


def iso_time(moment: datetime) -> str:
    """An aware time as the library writes times (now_iso's form), in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_time(stamp: str) -> datetime | None:
    """A time the library wrote (``2026-11-29T09:00:00Z``) as an aware datetime;
    None for anything else."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- identity -----------------------------------------------------------------

_ARXIV_VERSION = re.compile(r"v\d+$")
_WORD = re.compile(r"[^\W_]+")  # Unicode-aware: CJK and Cyrillic titles keep their letters
_LATEX_COMMAND = re.compile(r"\\([a-zA-Z]+)")
# Greek letters as LaTeX names them, so that "$\lambda$-Calculus" from a listing
# and "λ-Calculus" from a decoded BibTeX file fold to the same title.
GREEK_NAMES: Final = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
# Name particles and suffixes, as people write them (importers/names.py reads names with them).
PARTICLES: Final = frozenset(
    {
        *("van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "das", "dos"),
        *("du", "la", "le", "ten", "ter", "bin", "binti", "ibn", "al", "el", "y", "e"),
        *("zu", "af", "av", "st"),
    }
)
SUFFIXES: Final = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_NAME_SUFFIXES: Final = frozenset(suffix.casefold() for suffix in SUFFIXES)


def fold(text: str) -> str:
    """Case, accents, spacing and punctuation folded away, for matching: the
    runs of letters and digits, joined by single spaces."""
    if text.isascii():  # most titles: no accents, no Greek, nothing to decompose
        return " ".join(_WORD.findall(_latex_spaced(text.lower())))
    decomposed = unicodedata.normalize("NFKD", _latex_spaced(text.casefold()))
    stripped = "".join(
        f" {GREEK_NAMES[c]} " if c in GREEK_NAMES else c
        for c in decomposed
        if not unicodedata.combining(c)
    )
    return " ".join(_WORD.findall(stripped))


def _latex_spaced(text: str) -> str:
    """``\\lambda2`` as `` lambda 2``: a LaTeX command's name is a word of its own."""
    return _LATEX_COMMAND.sub(r" \1 ", text) if "\\" in text else text


def family_name_of(name: str) -> str:
    """The family name as people cite it: ``van der Linden`` from ``Sophie van der
    Linden``, ``Curie`` from ``Curie, Marie``; suffixes (Jr.) are left out."""
    if "," in name:
        family = name.split(",")[0].strip()
        if family:
            return family
    tokens = [t for t in name.split() if t not in SUFFIXES]
    if not tokens:
        return name.strip()
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1].lower() in PARTICLES and tokens[start - 1].islower():
        start -= 1
    return " ".join(tokens[start:])


def family_name(author: str) -> str:
    tokens = [t for t in author.replace(",", " ").split() if t.casefold() not in _NAME_SUFFIXES]
    return fold(tokens[-1]) if tokens else ""


def identity_keys(
    title: str, authors: list[str], arxiv_id: str | None, doi: str | None
) -> list[str]:
    """Every key under which this paper may already be known, strongest first.

    The arXiv id (without version) wins, then the DOI, then the folded title plus
    the first author's family name: a paper met in a listing and later in a feed
    is found again by its title even though only the feed knows its arXiv id.
    A key only proposes a match: ``distinct_papers`` has the last word.
    """
    keys = []
    arxiv = arxiv_base(arxiv_id, doi)
    if arxiv:
        keys.append("arxiv:" + arxiv)
    if doi:
        keys.append("doi:" + doi.strip().lower())
    folded = fold(title)
    if folded:
        first = family_name(authors[0]) if authors else ""
        keys.append(f"title:{folded}|{first}")
    return keys


def is_strong_key(key: str) -> bool:
    """An identifier's key (arXiv id, DOI): one paper's alone, unlike a title's."""
    return not key.startswith("title:")


# The DOI arXiv registers for each preprint: it names the arXiv id, not a publication.
_ARXIV_DOI: Final = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
# A full DOI, as opposed to a shortDOI (10/abc12) that names one without saying which.
_FULL_DOI: Final = re.compile(r"10\.\d{4,9}/.+")


def arxiv_base(arxiv_id: str | None, doi: str | None = None) -> str | None:
    """The arXiv id without its version, lower case; from arXiv's own DOI if need be."""
    if not arxiv_id and doi and (match := _ARXIV_DOI.fullmatch(doi.strip())):
        arxiv_id = match[1]
    if not arxiv_id:
        return None
    return _ARXIV_VERSION.sub("", arxiv_id.strip().lower()) or None


def publication_doi(doi: str | None) -> str | None:
    """The DOI as it tells papers apart: lower case (DOIs ignore case); None for
    arXiv's DOIs (the arXiv id already says that) and for shortDOIs, which cannot
    be compared with the full DOI they stand for."""
    if not doi:
        return None
    doi = doi.strip().lower()
    return doi if _FULL_DOI.fullmatch(doi) and not _ARXIV_DOI.fullmatch(doi) else None


def distinct_papers(
    first_doi: str | None,
    first_arxiv: str | None,
    second_doi: str | None,
    second_arxiv: str | None,
) -> bool:
    """True when the identifiers prove two records are two papers, whatever else
    (a title, an author, an arXiv id) they share.

    Two different DOIs settle it; so does one DOI on both (the same paper,
    whatever arXiv ids its copies carry). Without a DOI on both, two different
    arXiv ids do. A preprint (arXiv id) and its published version (journal DOI)
    stay one paper: arXiv's own DOIs do not count as a publication's.
    """
    dois = publication_doi(first_doi), publication_doi(second_doi)
    if dois[0] and dois[1]:
        return dois[0] != dois[1]
    ids = arxiv_base(first_arxiv, first_doi), arxiv_base(second_arxiv, second_doi)
    return bool(ids[0] and ids[1] and ids[0] != ids[1])
