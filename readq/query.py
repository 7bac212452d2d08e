"""Which papers to show and in what order: one language for the CLI and the TUI."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final, Literal, Protocol, TypeVar

from readq.model import Paper, Status, fold
from readq.querylang import Matcher, Query, QueryError, compile_query, parse
from readq.querylang.highlight import NOTHING_FOUND, Highlights, highlights_of
from readq.querylang.implication import narrows
from readq.querylang.terms import Compare, Flag, Leaf, leaves

SORTS: Final = ("priority", "published", "added", "score", "title", "for-you")
FOR_YOU: Final = "for-you"  # the ranking learned from the user's triage (readq/rank)
StatusFilter = Literal["all", "unread", "read"]


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


class Scores(Protocol):
    """Relevance by paper id: a dict, or the app's arrays (rank/shown.py)."""

    def get(self, paper_id: int, default: float, /) -> float: ...


class Relevance:
    """What the "for you" ranking (readq/rank) says of each paper, 0 to 1, for the
    for-you sort: numpy-free, so that sorting needs no ranking code. A paper
    it has not scored yet (it arrived since) comes after those it has.
    ``learned``: False when there were no decisions to learn from (then the
    sort is by arrival, newest first)."""

    __slots__ = ("learned", "scores", "sureness")

    def __init__(self, scores: Scores, *, learned: bool, sureness: str = "") -> None:
        self.scores, self.learned, self.sureness = scores, learned, sureness

    def of(self, paper_id: int) -> float:
        return self.scores.get(paper_id, -1.0)

    def key(self, paper: Triaged) -> float:
        return self.scores.get(paper.id, -1.0)


@dataclass(frozen=True, slots=True)
class View:
    """A filter, a search and a sort. Immutable: the TUI swaps whole views."""

    status: StatusFilter = "all"
    min_priority: int = 0
    tag: str | None = None
    category: str | None = None
    search: str = ""  # a query (querylang): words, phrases, field:value, OR, NOT
    sort: str = "priority"
    reverse: bool = False
    name: str | None = None  # the saved view ([views] in config.toml) it came from
    # What is:new means: papers added after this time (model.now_iso's form),
    # the app's last close; "" when it was never closed: every paper is new.
    new_since: str = ""
    # The for-you sort's scores. Not part of what a view is: a view ranked anew
    # is the same view (its rows are sorted again only when it is shown anew).
    relevance: Relevance | None = field(default=None, compare=False)

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
        # A saved view's name says what its search is (the app drops the name as
        # soon as the search is changed).
        parts = [f"view: {self.name}"] if self.name else []
        if self.search and not self.name:
            parts.append(f'search: "{self.search}"')
        if filters:
            parts.append(f"filter: {', '.join(filters)}")
        parts.append(f"sort: {self.sort}{' (reversed)' if self.reverse else ''}")
        return " · ".join(parts)


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


def parsed(view: View) -> Query | None:
    """The view's search as a typed query; QueryError when it cannot be read."""
    return _parse(view.search)


@functools.lru_cache(maxsize=64)
def _parse(text: str) -> Query | None:
    return parse(text)


def highlights(view: View) -> Highlights:
    """What the list and the details highlight for ``view``'s search."""
    return _highlights(view.search)


@functools.lru_cache(maxsize=16)
def _highlights(text: str) -> Highlights:
    try:
        return highlights_of(_parse(text))
    except QueryError:
        return NOTHING_FOUND


def matcher(view: View, *, now: datetime | None = None, selected: Collection[int] = ()) -> Matcher:
    """The view's search compiled (see querylang.compile_query)."""
    return compile_query(parsed(view), now=now, selected=selected, new_since=view.new_since)


def select(
    papers: Iterable[Paper],
    view: View,
    folded: FoldedAbstracts | None = None,
    *,
    now: datetime | None = None,
    selected: Collection[int] = (),
) -> list[Paper]:
    """The papers ``view`` shows, in its order. ``now`` is when relative dates
    (``added:<7d``) count from; ``selected`` the ids ``is:selected`` means."""
    chosen = [p for p in papers if _passes_filters(p, view)]
    search = matcher(view, now=now, selected=selected)
    return in_order(search.select(chosen, folded), view)


def by_fields_alone(view: View) -> bool:
    """Whether ``view`` can be answered, order and all, from the field index."""
    return not view.search.strip() and view.sort != "title"


def select_rows(rows: Iterable[T], view: View) -> list[T]:
    """select() over the field index's rows, for a view by_fields_alone answers."""
    if not by_fields_alone(view):
        raise ValueError(f"the field index cannot answer {view.describe()}")
    return in_order([row for row in rows if _passes_filters(row, view)], view)


def candidate_rows(rows: Iterable[T], view: View, *, now: datetime | None = None) -> list[T]:
    """The rows of the field index that ``view`` may show (a search's text terms
    are not at hand in the index, so this is a superset), in no set order."""
    search = matcher(view, now=now)
    return [row for row in rows if _passes_filters(row, view) and search.row(row) is not False]


# Past this share of the library, reading everything in order beats seeking.
_MOST: Final = 0.25


def chosen_from_rows(
    rows: list[T], view: View, *, limit: int | None = None, now: datetime | None = None
) -> list[int] | None:
    """The ids of the papers to read for ``view``, from the field index's ``rows``:
    a view without a search, its papers in order (its first ``limit``); with
    one, every paper it may show (select() searches them once read). None when
    they are most of the library: reading it whole is cheaper than seeking."""
    if by_fields_alone(view):
        ids = [row.id for row in select_rows(rows, view)[:limit]]
        return None if limit is None and len(ids) > len(rows) * _MOST else ids
    ids = [row.id for row in candidate_rows(rows, view, now=now)]
    return None if len(ids) > len(rows) * _MOST else ids


def count(papers: Iterable[Paper], view: View, *, selected: Collection[int] = ()) -> int:
    """How many papers ``view`` shows (select() without the sort)."""
    chosen = [p for p in papers if _passes_filters(p, view)]
    return len(matcher(view, selected=selected).select(chosen))


def in_order(chosen: list[T], view: View) -> list[T]:
    """``chosen`` sorted (in place) as ``view`` sorts."""
    chosen.sort(key=lambda p: -p.id)  # newest first breaks every tie, as sort is stable
    key, descending = SORT_KEYS[view.sort]
    if view.sort == FOR_YOU and view.relevance is not None and view.relevance.learned:
        key = view.relevance.key
    chosen.sort(key=key, reverse=descending != view.reverse)
    return chosen


Shown = tuple["View", list[Paper]]


def rows_for(
    papers: Iterable[Paper],
    view: View,
    shown: Iterable[Shown],
    folded: FoldedAbstracts | None = None,
    *,
    now: datetime | None = None,
    selected: Collection[int] = (),
    watch: Callable[[Iterable[Paper]], Iterable[Paper]] = iter,
) -> list[Paper]:
    """The papers ``view`` shows, given views already answered (``shown``: a view
    and its rows): the fewest rows of one that ``view`` only narrows (a letter
    typed, a term added) are filtered; otherwise the papers are selected anew.
    ``folded``: what the search that found those rows folded (FoldedAbstracts);
    ``watch`` wraps whatever is scanned (the app's searcher stops a stale search)."""
    narrowed = [rows for before, rows in shown if before.search and _only_narrows(before, view)]
    if narrowed:
        smallest = min(narrowed, key=lambda rows: len(rows))
        fewest = [p for p in watch(smallest) if _passes_filters(p, view)]
        return matcher(view, now=now, selected=selected).select(fewest, folded)
    return select(watch(papers), view, folded, now=now, selected=selected)


def _only_narrows(before: View, after: View) -> bool:
    """True when ``after`` shows a subset of ``before``, in the same order: the
    same filters and sort, and a search that can only narrow before's. Relative
    dates and is:selected may mean something else by now: they never narrow."""
    if after.with_(search=before.search, name=before.name) != before:
        return False
    if after.search == before.search:
        return True
    try:
        wider, narrower = parsed(before), parsed(after)
    except QueryError:
        return False
    if narrower is not None and any(_changes_meaning(leaf) for leaf in leaves(narrower)):
        return False
    return narrows(narrower, wider)


def _changes_meaning(leaf: Leaf) -> bool:
    return (isinstance(leaf, Compare) and leaf.field in ("added", "read", "published")) or (
        isinstance(leaf, Flag) and leaf.value == "selected"
    )


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
    # With nothing learned (or not yet ranked), newest first; see in_order.
    FOR_YOU: (lambda p: p.added_at, True),
}
