"""The browse model without Textual: cursor by paper, pages, selection, counts from changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readq.library import Library
from readq.model import ParsedPaper, Status
from readq.query import View
from readq.tui.browse import Browse


@pytest.fixture
def library(library_file: Path) -> Iterator[Library]:
    """Twelve papers, ids 1..12, all unread; the default sort shows the newest first."""
    library = Library.open(library_file)
    papers = [
        ParsedPaper(
            title=f"Paper number {n}", authors=["Ada Lovelace"], published=f"2026-01-{n:02}"
        )
        for n in range(1, 13)
    ]
    library.add_many(papers)
    yield library
    library.close()


def counts_agree(browse: Browse) -> None:
    """The model's counts are what counting again would say."""
    counts = browse.counts
    assert counts.unread == sum(1 for p in browse.library if p.status is Status.UNREAD)
    assert counts.total == len(browse.library)
    assert counts.shown == len(browse.rows)
    assert counts.shown_unread == sum(1 for p in browse.rows if p.status is Status.UNREAD)


def test_the_cursor_stays_on_its_paper_through_a_resize(library: Library) -> None:
    browse = Browse(library, page_size=5)
    browse.go_to(7)
    paper = browse.current
    assert (browse.page, browse.row_in_page) == (1, 2)
    browse.resize(3)
    assert browse.current is paper and (browse.page, browse.row_in_page) == (2, 1)
    browse.resize(20)
    assert browse.current is paper and browse.page == 0


def test_page_keys_at_either_end_go_to_the_first_or_last_paper(library: Library) -> None:
    browse = Browse(library, page_size=5)
    browse.go_to(11)  # the last page holds papers 10 and 11
    browse.turn_page(1)
    assert browse.index == 11  # stays on the last paper, not the page's first row
    browse.go_to(10)
    browse.turn_page(1)
    assert browse.index == 11
    browse.go_to(3)
    browse.turn_page(-1)
    assert browse.index == 0
    browse.turn_page(1)
    assert browse.index == 5  # the same row of the next page


def test_a_new_view_keeps_the_cursor_on_its_paper_if_still_shown(library: Library) -> None:
    browse = Browse(library)
    browse.go_to(4)
    paper = browse.current
    assert paper is not None
    browse.show(View(sort="title"))
    assert browse.current is paper
    browse.show(View(sort="title", search="number 1"))  # 1, 10, 11, 12
    assert browse.index == 0 and browse.current is not paper


def test_counts_follow_a_change_and_its_undo(library: Library) -> None:
    browse = Browse(library, View(status="unread"))
    ids = browse.all_shown
    change = library.set_status(ids, Status.READ)
    browse.apply(change)
    counts_agree(browse)
    assert browse.counts.shown_unread == 0 and len(browse.rows) == 12  # rows stay while triaging
    undone = library.undo()
    assert undone is change
    browse.apply(undone, undone=True)
    counts_agree(browse)
    redone = library.redo()
    assert redone is not None
    browse.apply(redone)
    counts_agree(browse)
    assert browse.counts.unread == 0


def test_the_last_unread_paper_read_and_undone_counts_one(library: Library) -> None:
    """The regression: r on the last unread paper, then u, said 0 unread."""
    library.set_status(sorted(library.papers)[1:], Status.READ)
    browse = Browse(library)
    assert browse.counts.unread == 1
    last = next(p for p in browse.rows if not p.is_read)
    browse.apply(library.set_status([last.id], Status.READ))
    assert browse.counts.unread == 0 and browse.counts.shown_unread == 0
    undone = library.undo()
    assert undone is not None
    browse.apply(undone, undone=True)
    assert browse.counts.unread == 1 and browse.counts.shown_unread == 1
    counts_agree(browse)


def test_a_deleted_paper_leaves_the_rows_and_comes_back_to_its_place(library: Library) -> None:
    browse = Browse(library)
    browse.go_to(3)
    paper = browse.current
    assert paper is not None
    browse.toggle_selected(paper.id)
    browse.apply(library.delete([paper.id]))
    assert paper not in browse.rows and len(browse.rows) == 11
    assert paper.id not in browse.selected
    assert browse.index == 3 and browse.current is not paper  # on the paper after it
    counts_agree(browse)
    undone = library.undo()
    assert undone is not None
    browse.apply(undone, undone=True)
    assert browse.rows[3] is paper and browse.current is paper
    counts_agree(browse)


def test_deleting_above_the_cursor_keeps_it_on_its_paper(library: Library) -> None:
    browse = Browse(library)
    browse.go_to(5)
    paper = browse.current
    browse.apply(library.delete([browse.rows[1].id]))
    assert browse.current is paper and browse.index == 4


def test_the_selection_is_what_actions_target(library: Library) -> None:
    browse = Browse(library)
    assert browse.targets == [browse.rows[0].id]
    browse.toggle_selected(browse.rows[2].id)
    browse.toggle_selected(browse.rows[0].id)
    assert browse.targets == [browse.rows[2].id, browse.rows[0].id]
    assert browse.toggle_selected(browse.rows[0].id) is False
    assert browse.select_all() == 12 and browse.targets == browse.all_shown
    assert browse.clear_selection() == 12 and browse.targets == [browse.rows[0].id]


def test_next_and_previous_unread(library: Library) -> None:
    ids = [p.id for p in Browse(library).rows]
    library.set_status(ids[1:4], Status.READ)
    browse = Browse(library)
    assert browse.next_unread(1) and browse.index == 4
    assert browse.next_unread(-1) and browse.index == 0
    assert not browse.next_unread(-1) and browse.index == 0
    library.set_status(ids[5:], Status.READ)
    browse.go_to(4)
    assert not browse.next_unread(1) and browse.index == 4


def test_reload_after_an_import_keeps_the_cursor(library: Library) -> None:
    browse = Browse(library)
    browse.go_to(6)
    paper_id = browse.current.id if browse.current else None
    library.add_many([ParsedPaper(title="A newer paper", published="2027-01-01")])
    browse.reload()
    assert browse.current is not None and browse.current.id == paper_id
    assert len(browse.rows) == 13
    counts_agree(browse)


@pytest.mark.parametrize("picks", [[0, 2], [1, 2, 3], list(range(12)), [11], [0, 5, 11]])
def test_undoing_a_deletion_of_many_puts_each_back_in_its_row(
    library: Library, picks: list[int]
) -> None:
    browse = Browse(library, View(sort="title"))
    order = list(browse.rows)
    ids = [order[i].id for i in picks]
    browse.go_to(6)
    browse.apply(library.delete(ids))
    assert [p.id for p in browse.rows] == [p.id for p in order if p.id not in ids]
    counts_agree(browse)
    undone = library.undo()
    assert undone is not None
    browse.apply(undone, undone=True)
    assert browse.rows == order
    assert browse.index == picks[0]  # on the first paper that came back
    counts_agree(browse)
    redone = library.redo()
    assert redone is not None
    browse.apply(redone)
    assert [p.id for p in browse.rows] == [p.id for p in order if p.id not in ids]


def test_two_deletions_undone_one_after_the_other(library: Library) -> None:
    browse = Browse(library)
    order = list(browse.rows)
    browse.apply(library.delete([order[1].id, order[4].id]))
    browse.apply(library.delete([order[2].id]))
    for _ in range(2):
        undone = library.undo()
        assert undone is not None
        browse.apply(undone, undone=True)
    assert browse.rows == order


def test_a_selected_paper_deleted_out_of_sight_leaves_the_selection(library: Library) -> None:
    browse = Browse(library)
    hidden = 5  # "Paper number 5": not found by the search below
    browse.toggle_selected(hidden)
    browse.show(View(search="number 1"))  # 1, 10, 11, 12: the selected paper is not shown
    assert hidden not in {p.id for p in browse.rows}
    browse.apply(library.delete([hidden]))
    assert hidden not in browse.selected and hidden not in browse.targets


def test_undoing_a_deletion_after_the_view_changed_shows_the_paper_again(
    library: Library,
) -> None:
    browse = Browse(library)
    paper = browse.rows[3]
    browse.apply(library.delete([paper.id]))
    browse.show(View(sort="title"))  # other rows now: the deleted paper's row is gone
    undone = library.undo()
    assert undone is not None
    browse.apply(undone, undone=True)
    assert paper.id in {p.id for p in browse.rows} and browse.current is not None
    assert browse.current.id == paper.id
    counts_agree(browse)
