"""Which papers to show and in what order: one language for the CLI and the TUI."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, Protocol, TypeVar

from readq.model import Paper, Status, abstracts_of, fold

SORTS: Final = ("priority", "published", "added", "score", "title")
StatusFilter = Literal["all", "unread", "read"]
# Papers searched together, their abstracts read at once: few enough that what
# a batch reads is small beside the app (a search thread's memory is kept).
_BATCH: Final = 256


class Triaged(Protocol):
    """What filters and sorts other than by title read: a Paper, or a row of the
    field index (fields.Row), which has no more than this."""

    id: int
    status: Status
    priority: int
    tags: list[str]
    category: str | None
    published: str | None
    added_at: str
    score: float | None


T = TypeVar("T", bound=Triaged)


@dataclass(frozen=True, slots=True)
class View:
    """A filter, a search and a sort. Immutable: the TUI swaps whole views."""

    status: StatusFilter = "all"
    min_priority: int = 0
    tag: str | None = None
    category: str | None = None
    search: str = ""
    sort: str = "priority"
    reverse: bool = False

    def with_(self, **changes: Any) -> View:
        return replace(self, **changes)

    def describe(self) -> str:
        """``search: "mamba" · filter: unread · sort: priority`` for status lines; the
        search first (it is what the user typed last), no filter part without one."""
        filters: list[str] = [] if self.status == "all" else [self.status]
        if self.min_priority:
            filters.append(f"priority ≥ {self.min_priority}")
        if self.tag:
            filters.append(f"tag {self.tag}")
        if self.category:
            filters.append(f"category {self.category}")
        parts = [f'search: "{self.search}"'] if self.search else []
        if filters:
            parts.append(f"filter: {', '.join(filters)}")
        parts.append(f"sort: {self.sort}{' (reversed)' if self.reverse else ''}")
        return " · ".join(parts)


def matching(
    papers: Iterable[Paper], terms: list[str], folded: FoldedAbstracts | None = None
) -> list[Paper]:
    """The papers, in order, in which every term is in the title, authors,
    organisations, category, notes, tags or abstract, case-folded.

    Nothing is kept folded between searches: at 100,000 papers a folded copy
    of the abstracts cost 130 MB, and of the rest 25 MB; folding as we go costs
    a full search (the first letter or two typed) a tenth of a second more,
    which the app spends off the event loop. The abstract, two thirds of the
    text, is read and folded only when the rest does not already hold every
    term, a batch of papers at a time (the app's abstracts are on disk:
    model.abstracts_of). With ``folded``, the abstracts the last search folded
    are taken from it, and those of the papers found are kept in it (see
    FoldedAbstracts).
    """
    found: list[Paper] = []
    it = iter(papers)
    while batch := list(itertools.islice(it, _BATCH)):
        # Per paper, the terms its head lacks as bits of an int: lists kept for a
        # batch would wake the cyclic collector, a full collection at 100k papers.
        lacking: list[int] = []
        need: list[Paper] = []
        for paper in batch:
            head = "\n".join(
                [
                    paper.title,
                    *paper.authors,
                    *paper.orgs,
                    paper.category or "",
                    paper.notes,
                    *paper.tags,
                ]
            ).casefold()
            missing = 0
            for bit, term in enumerate(terms):
                if term not in head:
                    missing |= 1 << bit
            lacking.append(missing)
            if missing and (folded is None or folded.get(paper) is None):
                need.append(paper)
        texts = iter(abstracts_of(need))
        for paper, missing in zip(batch, lacking, strict=True):
            if missing:
                abstract = folded.get(paper) if folded is not None else None
                if abstract is None:
                    abstract = next(texts).casefold()
                if any(missing >> bit & 1 and t not in abstract for bit, t in enumerate(terms)):
                    continue
                if folded is not None:
                    folded.keep(paper, abstract)
            found.append(paper)
    return found


class FoldedAbstracts:
    """The folded abstracts of one search's results, for the next search if it only
    narrows them (one more letter typed): the app's abstracts are on disk, and
    reading a few thousand scattered ones cost a keystroke 50 ms. At most
    KEEP_AT_MOST are kept: the first letters, which match nearly everything,
    keep none. An entry is used only while the paper's abstract is the one
    folded (an import may have changed it)."""

    KEEP_AT_MOST: Final = 4_000  # about 5 MB of text

    def __init__(self, earlier: FoldedAbstracts | None = None) -> None:
        self._earlier = earlier._kept if earlier is not None else {}
        self._kept: dict[int, tuple[object, str]] = {}
        self._full = False  # found more than KEEP_AT_MOST: keeps none

    def get(self, paper: Paper) -> str | None:
        entry = self._kept.get(paper.id) or self._earlier.get(paper.id)
        if entry is None or entry[0] is not paper.abstract_source:
            return None
        return entry[1]

    def keep(self, paper: Paper, folded: str) -> None:
        if self._full:
            return
        if len(self._kept) >= self.KEEP_AT_MOST:
            self._kept.clear()  # too many to be worth keeping: none, for this search
            self._full = True
            return
        self._kept[paper.id] = (paper.abstract_source, folded)

    def done(self) -> None:
        """The search is over: only what it kept is kept."""
        self._earlier = {}


def narrow(
    papers: Iterable[Paper], search: str, folded: FoldedAbstracts | None = None
) -> list[Paper]:
    """The papers among ``papers`` (already filtered and sorted) that match ``search``.

    Typing one more character can only narrow a search, so the app filters the
    previous result instead of the whole library.
    """
    terms = search.casefold().split()
    return matching(papers, terms, folded) if terms else list(papers)


def select(
    papers: Iterable[Paper], view: View, folded: FoldedAbstracts | None = None
) -> list[Paper]:
    """The papers ``view`` shows, in its order."""
    chosen = [p for p in papers if _passes_filters(p, view)]
    terms = view.search.casefold().split()
    if terms:
        chosen = matching(chosen, terms, folded)
    return _ordered(chosen, view)


def by_fields_alone(view: View) -> bool:
    """Whether ``view`` can be answered from the field index (no text is needed)."""
    return not view.search.strip() and view.sort != "title"


def select_rows(rows: Iterable[T], view: View) -> list[T]:
    """select() over the field index's rows, for a view by_fields_alone answers."""
    if not by_fields_alone(view):
        raise ValueError(f"the field index cannot answer {view.describe()}")
    return _ordered([row for row in rows if _passes_filters(row, view)], view)


def _ordered(chosen: list[T], view: View) -> list[T]:
    chosen.sort(key=lambda p: -p.id)  # newest first breaks every tie, as sort is stable
    key, descending = SORT_KEYS[view.sort]
    chosen.sort(key=key, reverse=descending != view.reverse)
    return chosen


def rows_for(
    papers: Iterable[Paper],
    view: View,
    shown: View,
    rows: Iterable[Paper],
    folded: FoldedAbstracts | None = None,
) -> list[Paper]:
    """The papers ``view`` shows, given that ``rows`` are those ``shown`` shows: a
    longer search only narrows them (typing a letter); anything else selects anew.
    ``folded``: what the search that found ``rows`` folded (FoldedAbstracts)."""
    if shown.search and _only_narrows(shown, view):
        return narrow(rows, view.search, folded)
    return select(papers, view, folded)


def _only_narrows(before: View, after: View) -> bool:
    """True when ``after`` shows a subset of ``before``, in the same order."""
    same_otherwise = after.with_(search=before.search) == before
    return same_otherwise and after.search.casefold().startswith(before.search.casefold())


def _passes_filters(paper: Triaged, view: View) -> bool:
    if view.status == "unread" and paper.status is not Status.UNREAD:
        return False
    if view.status == "read" and paper.status is not Status.READ:
        return False
    if paper.priority < view.min_priority:
        return False
    if view.tag is not None and view.tag not in paper.tags:
        return False
    return view.category is None or paper.category == view.category


def _published_key(paper: Triaged) -> tuple[bool, str]:
    return (paper.published is not None, paper.published or "")


def _score_key(paper: Triaged) -> tuple[bool, float]:
    return (paper.score is not None, paper.score or 0.0)


def _priority_key(paper: Triaged) -> tuple[int, bool, str]:
    return (paper.priority, *_published_key(paper))


# Each sort: its key and whether "natural" order is descending (the most
# important, newest or most popular first; titles A to Z).
# (The title's is for Papers alone: the field index holds no titles.)
SORT_KEYS: Final[dict[str, tuple[Callable[[Any], Any], bool]]] = {
    "priority": (_priority_key, True),
    "published": (_published_key, True),
    "added": (lambda p: p.added_at, True),
    "score": (_score_key, True),
    "title": (lambda p: fold(p.title), False),
}
