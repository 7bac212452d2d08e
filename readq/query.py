"""Which papers to show and in what order: one language for the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, Protocol, TypeVar

from readq.model import Paper, Status, fold

SORTS: Final = ("priority", "published", "added", "score", "title")
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


def matches(paper: Paper, terms: list[str]) -> bool:
    """Every term is in the paper's title, authors, organisations, category, notes,
    tags or abstract, case-folded.

    Nothing is kept folded between searches: at 100,000 papers a folded copy
    of the abstracts cost 130 MB, and of the rest 25 MB; folding as we go costs
    a full search (the first letter or two typed) a tenth of a second more,
    which the app spends off the event loop. The abstract, two thirds of the
    text, is folded only when the rest does not already hold every term.
    """
    head = "\n".join(
        [paper.title, *paper.authors, *paper.orgs, paper.category or "", paper.notes, *paper.tags]
    ).casefold()
    missing = [term for term in terms if term not in head]
    if not missing:
        return True
    abstract = paper.abstract.casefold()
    return all(term in abstract for term in missing)


def narrow(papers: list[Paper], search: str) -> list[Paper]:
    """The papers among ``papers`` (already filtered and sorted) that match ``search``.

    Typing one more character can only narrow a search, so the app filters the
    previous result instead of the whole library.
    """
    terms = search.casefold().split()
    return [p for p in papers if matches(p, terms)] if terms else list(papers)


def select(papers: Iterable[Paper], view: View) -> list[Paper]:
    """The papers ``view`` shows, in its order."""
    chosen = [p for p in papers if _passes_filters(p, view)]
    terms = view.search.casefold().split()
    if terms:
        chosen = [p for p in chosen if matches(p, terms)]
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


def rows_for(papers: Iterable[Paper], view: View, shown: View, rows: list[Paper]) -> list[Paper]:
    """The papers ``view`` shows, given that ``rows`` are those ``shown`` shows: a
    longer search only narrows them (typing a letter); anything else selects anew."""
    if shown.search and _only_narrows(shown, view):
        return narrow(rows, view.search)
    return select(papers, view)


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
