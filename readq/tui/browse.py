"""The triage screen's state, without Textual: the papers a view shows, the page,
the cursor (kept on a paper, not on a row), the selection and the counts.

The widgets draw from it and the screen changes it; unit tests drive it
directly. It never asks the library to count again after a change: it applies
the change itself, from the before and after values the Library recorded for
undo (history.Change), so the counts after an undo are as true as after the
change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readq.history import Change
from readq.library import Library
from readq.model import Paper, Status
from readq.query import FOR_YOU, Relevance, View, rows_for, select


@dataclass(frozen=True, slots=True)
class Counts:
    total: int  # papers in the library
    unread: int  # unread papers in the library
    shown: int  # papers the view shows
    shown_unread: int  # unread papers among those shown


class Browse:
    """What the list shows and where the cursor is.

    While the user triages, the rows keep their order and members (a paper
    marked read stays in "unread only" until the view changes), so that rows
    never jump under the cursor. Deleting is the exception: a deleted paper
    leaves the rows, and comes back to its place when the deletion is undone.
    """

    def __init__(self, library: Library, view: View | None = None, page_size: int = 20) -> None:
        self.library = library
        self.view = view or View()
        self.page_size = max(page_size, 1)
        self.rows: list[Paper] = []
        self.selected: dict[int, None] = {}  # an ordered set of paper ids
        self.version = 0  # bumped whenever the rows or the whole selection change
        self.generation = 0  # bumped whenever the rows change (a search under way is stale)
        self.changes = 0  # bumped by every change applied (searches found before may be stale)
        self.reloads = 0  # bumped when the library's papers are selected again (an import)
        self._index = 0  # the cursor's position in rows
        self._shown_unread = 0
        self._removed: dict[int, int] = {}  # deleted paper id -> the row it had
        self._shown_ids: set[int] | None = None  # made when a change first needs it
        # Papers new since the app was last closed (view.new_since) that the cursor
        # has been on and left: their "new" mark is gone.
        self.seen: set[int] = set()
        # The latest "for you" ranking (tui/ranker.py), for the bars and the for-you sort.
        self.relevance: Relevance | None = None
        self._replace_rows(select(library, self.view), None, top=True)

    def is_new(self, paper: Paper) -> bool:
        """Whether the list marks ``paper`` new: unread, arrived since the app was
        last closed, and the cursor has not been on it since."""
        return (
            paper.added_at >= self.view.new_since  # as is:new: querylang/evaluate.py
            and paper.status is Status.UNREAD
            and paper.id not in self.seen
        )

    def fresh_view(self, **values: Any) -> View:
        """A view of ``values`` alone, as the list shows views: is:new as it means here."""
        return View(new_since=self.view.new_since, **values)

    # --- the rows ---------------------------------------------------------------

    def show(self, view: View, rows: list[Paper] | None = None) -> None:
        """Show ``view`` (its ``rows`` when already computed, e.g. by a search thread),
        keeping the cursor on the current paper if it is still shown, else on the top."""
        current = self.current
        # One meaning of is:new throughout, and the latest ranking.
        view = view.with_(new_since=self.view.new_since, relevance=self.relevance)
        if rows is None:
            rows = rows_for(self.library, view, [(self.view, self.rows)], selected=self.selected)
        changed_view = view != self.view
        self.view = view
        self._replace_rows(rows, current.id if current else None, top=changed_view)

    def reload(self, library: Library | None = None) -> None:
        """Select the view's papers again (after an import, or once the whole library
        is read), keeping the cursor on its paper."""
        current = self.current
        self.reloads += 1
        if library is not None:
            self.library = library
        rows = select(self.library, self.view, selected=self.selected)
        self._replace_rows(rows, current.id if current else None)

    @property
    def ranked(self) -> bool:
        """Whether the ranking has learned something to show (a relevance bar)."""
        return self.relevance is not None and self.relevance.learned

    def take_ranking(self, relevance: Relevance) -> bool:
        """A new ranking: the bars show it at once. The rows keep their order (they
        never jump under the cursor), but for-you rows sorted by arrival for want
        of a ranking are sorted by it now. True when the rows were sorted again."""
        ranked_before = self.ranked
        self.relevance = relevance
        self.view = self.view.with_(relevance=relevance)
        self.version += 1
        if self.view.sort == FOR_YOU and relevance.learned and not ranked_before:
            self.reload()
            return True
        return False

    def _replace_rows(self, rows: list[Paper], keep: int | None, *, top: bool = False) -> None:
        self.rows = rows
        self._removed.clear()
        self._shown_ids = None
        self._shown_unread = sum(1 for paper in rows if paper.status is Status.UNREAD)
        self.version += 1
        self.generation += 1
        found = self._position_of(keep) if keep is not None else None
        if found is not None:
            self._index = found
        elif top:
            self._index = 0
        self._clamp()

    def _position_of(self, paper_id: int) -> int | None:
        return next((i for i, paper in enumerate(self.rows) if paper.id == paper_id), None)

    def _clamp(self) -> None:
        self._index = max(0, min(self._index, len(self.rows) - 1))

    # --- where the cursor is -----------------------------------------------------------

    @property
    def current(self) -> Paper | None:
        return self.rows[self._index] if self.rows else None

    @property
    def index(self) -> int:
        return self._index

    @property
    def page(self) -> int:
        return self._index // self.page_size

    @property
    def page_count(self) -> int:
        return max((len(self.rows) + self.page_size - 1) // self.page_size, 1)

    @property
    def page_start(self) -> int:
        return self.page * self.page_size

    @property
    def page_rows(self) -> list[Paper]:
        return self.rows[self.page_start : self.page_start + self.page_size]

    @property
    def row_in_page(self) -> int:
        return self._index - self.page_start

    # --- moving --------------------------------------------------------------------

    def go_to(self, index: int) -> None:
        self._index = index
        self._clamp()

    def go_to_paper(self, paper_id: int) -> bool:
        found = self._position_of(paper_id)
        if found is not None:
            self._index = found
        return found is not None

    def move(self, step: int) -> None:
        self.go_to(self._index + step)

    def first(self) -> None:
        self.go_to(0)

    def last(self) -> None:
        self.go_to(len(self.rows) - 1)

    def turn_page(self, step: int) -> None:
        """To the same row of the next or previous page; past the last page, to the
        last paper, and before the first, to the first (as a pager does)."""
        page = self.page + step
        if page >= self.page_count:
            self.last()
        elif page < 0:
            self.first()
        else:
            self.go_to(page * self.page_size + self.row_in_page)

    def next_unread(self, step: int) -> bool:
        """To the next (step 1) or previous (-1) unread paper; False when there is none."""
        index = self._index + step
        while 0 <= index < len(self.rows):
            if self.rows[index].status is Status.UNREAD:
                self._index = index
                return True
            index += step
        return False

    def redraw_all(self) -> None:
        """Papers may have changed anywhere (card triage, an import): draw it all again."""
        self.version += 1

    def resize(self, page_size: int) -> None:
        """A new page size: the cursor stays on its paper, whatever page that is now."""
        if page_size >= 1 and page_size != self.page_size:
            self.page_size = page_size
            self.version += 1

    # --- the selection --------------------------------------------------------------

    def toggle_selected(self, paper_id: int) -> bool:
        """Select or unselect one paper; True when it is selected now."""
        if paper_id in self.selected:
            del self.selected[paper_id]
            return False
        self.selected[paper_id] = None
        return True

    def select_all(self) -> int:
        self.selected = dict.fromkeys(paper.id for paper in self.rows)
        self.version += 1
        return len(self.selected)

    def clear_selection(self) -> int:
        """Unselect everything; how many were selected."""
        count = len(self.selected)
        if count:
            self.selected = {}
            self.version += 1
        return count

    @property
    def targets(self) -> list[int]:
        """The papers an action applies to: the selection, else the current paper."""
        if self.selected:
            live = self.library.papers
            return [paper_id for paper_id in self.selected if paper_id in live]
        return [self.current.id] if self.current else []

    @property
    def all_shown(self) -> list[int]:
        return [paper.id for paper in self.rows]

    # --- counts and changes ---------------------------------------------------------

    @property
    def counts(self) -> Counts:
        library = self.library
        return Counts(len(library), library.unread_count, len(self.rows), self._shown_unread)

    def apply(self, change: Change, *, undone: bool = False) -> set[int]:
        """Take in a change the Library has just made (or, with ``undone``, undone).

        Returns the ids of the papers whose rows are to be redrawn.
        """
        self.changes += 1
        new, old = (change.before, change.after) if undone else (change.after, change.before)
        old_values = dict(old)
        shown = self._shown()
        changed: set[int] = set()
        gone: set[int] = set()
        back: set[int] = set()
        for paper_id, values in new:
            before = old_values.get(paper_id, {})
            if "deleted_at" in values:
                (gone if values["deleted_at"] is not None else back).add(paper_id)
            elif "status" in values and paper_id in shown:
                self._shown_unread += _unread(values) - _unread(before)
            changed.add(paper_id)
        if gone:
            for paper_id in gone:  # shown or not (a search may hide a selected paper)
                self.selected.pop(paper_id, None)
            self._remove(gone)
        if back:
            self._put_back(back)
        return changed

    def _shown(self) -> set[int]:
        """The ids of the rows (deleted ones included, as they may come back): made
        once per set of rows, so that a keystroke's change costs the same at any size."""
        if self._shown_ids is None:
            shown = {paper.id for paper in self.rows}  # one set: 4 MB at 100k, not two
            shown.update(self._removed)
            self._shown_ids = shown
        return self._shown_ids

    def _remove(self, ids: set[int]) -> None:
        """Deleted papers leave the rows, in one pass however many they are; each
        remembers its row, to come back to it."""
        kept: list[Paper] = []
        cursor = self._index
        for position, paper in enumerate(self.rows):
            if paper.id not in ids:
                kept.append(paper)
                continue
            self._removed[paper.id] = position
            self._shown_unread -= paper.status is Status.UNREAD
            self.selected.pop(paper.id, None)
            if position < self._index:
                cursor -= 1
        if len(kept) != len(self.rows):
            self.rows, self._index = kept, cursor
            self._rows_moved()

    def _put_back(self, ids: set[int]) -> None:
        """Papers whose deletion was undone go back to their rows. Undo takes back
        the latest deletion first, so the rows they had are rows of the list as it
        is now; the cursor goes to the first of them."""
        unplaced = [i for i in ids if i not in self._removed and i in self.library.papers]
        if unplaced:
            # Deleted under other rows (a search or sort since): select anew, and
            # show the first that came back.
            self._replace_rows(
                select(self.library, self.view, selected=self.selected), keep=min(unplaced)
            )
            return
        returning = sorted(
            (self._removed.pop(paper_id), paper)
            for paper_id in ids
            if paper_id in self._removed and (paper := self.library.papers.get(paper_id))
        )
        if not returning:
            return
        rows: list[Paper] = []
        rest = iter(self.rows)
        for position, paper in returning:
            while len(rows) < position and (following := next(rest, None)) is not None:
                rows.append(following)
            rows.append(paper)
            self._shown_unread += paper.status is Status.UNREAD
        rows.extend(rest)
        self.rows, self._index = rows, returning[0][0]
        self._rows_moved()

    def _rows_moved(self) -> None:
        self.version += 1
        self.generation += 1
        self._clamp()


def _unread(values: dict[str, Any]) -> int:
    return int(values.get("status") == Status.UNREAD.value)
