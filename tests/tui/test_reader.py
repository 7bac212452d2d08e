"""Pilot tests of the reader's screen: regressions a new user met, the pager, the keys
a newsboat or mutt user expects, the command line and card triage. Each presses
keys and checks the library on disk."""

from __future__ import annotations

import contextlib
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar

from readq.errors import UnknownPaper
from readq.library import Library
from readq.model import ParsedPaper, Status, fold
from readq.tui.app import ReadqApp
from readq.tui.screens.card import CardScreen
from readq.tui.screens.confirm import Confirm
from readq.tui.screens.help import HelpScreen
from readq.tui.screens.main import CHROME_LINES
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.pager import Pager
from readq.tui.widgets.paper_list import PaperList
from readq.tui.widgets.status_line import StatusLine

from .conftest import AppFactory, burst, on_disk, settle

SIZE = (120, 36)
LONG_ABSTRACT = " ".join(
    f"Sentence {n} of a very long abstract about sparse experts." for n in range(60)
)
NOTE = "MY NOTE: check the ablation in section 5"


def status_line(app: ReadqApp) -> str:
    return str(app.main.query_one(StatusLine).render())


def stats_unread(app: ReadqApp) -> int:
    """What `readq stats` says now (the CLI's output is Textual's while the app runs)."""
    return on_disk(app).stats().unread


@pytest.fixture
def long_paper_library(library_file: Path) -> Iterator[Library]:
    library = Library.open(library_file)
    library.add_many(
        [
            ParsedPaper(title="A long paper", authors=["Ada Lovelace", "Alan Turing"],
                        abstract=LONG_ABSTRACT, notes=NOTE, published="2026-01-02"),
            ParsedPaper(title="A short paper", authors=["Grace Hopper"], abstract="Short.",
                        published="2026-01-01"),
        ]
    )  # fmt: skip
    yield library
    library.close()


# --- what a new user met -----------------------------------------------------------


async def test_counts_after_undo_and_redo_match_readq_stats(make_app: AppFactory) -> None:
    app = make_app()
    library = app.library
    library.set_status([p.id for p in library][1:], Status.READ)  # one unread paper left
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")  # unread only: the one paper
        await pilot.press("r")  # read: 0 unread
        assert app.browse.counts.unread == 0 == stats_unread(app)
        await pilot.press("u")
        assert "· 1 unread" in status_line(app)
        assert app.main.sub_title.endswith("1 unread")
        assert stats_unread(app) == 1
        await pilot.press("ctrl+r")
        assert app.main.sub_title.endswith("0 unread")
        assert stats_unread(app) == 0


async def test_a_burst_after_a_dialog_lands_in_order(make_app: AppFactory) -> None:
    """``t x enter j 1`` tagged the paper x and gave the same paper priority 1."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first, second = app.browse.rows[0], app.browse.rows[1]
        burst(app, "t", "x", "enter", "j", "1")
        await settle(pilot, lambda: on_disk(app).get(second.id).priority == 1)
        saved = on_disk(app)
        assert saved.get(first.id).tags == ["x"] and saved.get(first.id).priority == 0
        assert saved.get(second.id).tags == []
        assert app.browse.current is not None and app.browse.current.id == second.id


async def test_a_burst_through_the_search_box_lands_in_order(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "slash", "f", "o", "g", "enter", "space")
        await settle(pilot, lambda: bool(app.browse.rows) and app.browse.rows[0].is_read)
        assert app.browse.view.search == "fog"
        assert [p.title for p in on_disk(app) if p.is_read] == [
            "Seeing Through Fog with Polarized NeRFs"
        ]


async def test_the_cursor_stays_on_its_paper_through_resizes(demo_library: Library) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*["j"] * 40)
        paper = app.browse.current
        for width, height in ((80, 24), (160, 50), (100, 12), (120, 36)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.browse.current is paper
            assert app.browse.page_size == app.main.query_one(PaperList).size.height - 1


async def test_next_page_on_the_last_page_goes_to_the_last_paper(demo_library: Library) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G", "k")
        last_page = app.browse.page
        await pilot.press("right_square_bracket")
        assert app.browse.page == last_page and app.browse.current is app.browse.rows[-1]
        await pilot.press("pagedown")
        assert app.browse.current is app.browse.rows[-1]


async def test_the_first_frame_has_a_whole_page(demo_library: Library) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.browse.page_size  # before any layout of the list
        assert first == 24 - CHROME_LINES
        await pilot.pause()
        assert app.browse.page_size == first  # the laid-out list agrees
        assert "Page 1/4" in status_line(app)


async def test_the_tag_prompt_adds_and_removes_on_one_paper(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        app.library.set_tags(paper.id, ["old", "keep"])
        await pilot.press("t", "ctrl+u", *"+rl -old", "enter")  # ctrl+u: clear the box
        assert on_disk(app).get(paper.id).tags == ["keep", "rl"]
        await pilot.press("t", "ctrl+u", *"just these", "enter")  # plain names replace
        assert on_disk(app).get(paper.id).tags == ["just", "these"]


async def test_selection_shows_read_state_clears_and_selects_all(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        cells = app.main.query_one(PaperList).row_cells(0)
        assert cells[0].plain.startswith("✓●")  # selected and unread, both visible
        await pilot.press("escape")
        assert not app.browse.selected
        await pilot.press("V")
        assert len(app.browse.selected) == len(app.browse.rows) == 13
        await pilot.press("2")  # applies to all, then the selection is used up
        assert all(p.priority == 2 for p in on_disk(app))
        assert not app.browse.selected
        await pilot.press("3")
        assert sum(p.priority == 3 for p in on_disk(app)) == 1


# --- the pager -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_ctrl_d_brings_a_long_papers_note_into_view(
    long_paper_library: Library, size: tuple[int, int]
) -> None:
    app = ReadqApp(long_paper_library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        detail = app.main.query_one(DetailPane)
        notes = app.main.query_one("#detail-notes")
        assert app.browse.current is not None and app.browse.current.notes == NOTE

        def note_visible() -> bool:
            top = detail.scroll_offset.y
            return notes.virtual_region.y < top + detail.scrollable_content_region.height

        assert not note_visible()
        for _ in range(40):
            if note_visible():
                break
            await pilot.press("ctrl+d")
        assert note_visible()
        assert app.browse.index == 0  # the list never moved


async def test_the_details_scroll_like_a_pager_once_focused(long_paper_library: Library) -> None:
    app = ReadqApp(long_paper_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.main.query_one(DetailPane)
        await pilot.press("tab")
        assert detail.has_focus
        await pilot.press("j", "j", "j")
        assert detail.scroll_offset.y == 3 and app.browse.index == 0  # scrolled, not moved
        await pilot.press("space")
        assert detail.scroll_offset.y > 3
        await pilot.press("G")
        assert detail.scroll_offset.y == detail.max_scroll_y > 0
        await pilot.press("g")
        assert detail.scroll_offset.y == 0
        await pilot.press("2")  # triage keys still act on the paper
        assert on_disk(app).get(app.browse.rows[0].id).priority == 2
        await pilot.press("tab", "j")
        assert not detail.has_focus and app.browse.index == 1


async def test_the_help_screen_is_grouped_and_reaches_its_last_key(demo_library: Library) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        pager = app.screen.query_one(Pager)
        text = app.screen.plain
        for group in ("Moving", "Triage", "Notes and tags", "Search and filters", "Views"):
            assert group in text
        assert pager.max_scroll_y > 0
        await pilot.press("G")
        assert pager.scroll_offset.y == pager.max_scroll_y
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


# --- keys a newsboat / mutt / vim user expects ------------------------------------------


async def test_next_and_previous_unread(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = app.browse.rows
        app.library.set_status([rows[1].id, rows[2].id], Status.READ)
        await pilot.press("J")
        assert app.browse.index == 3
        await pilot.press("K")
        assert app.browse.index == 0


async def test_mark_all_shown_read_asks_and_one_undo_restores(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"model", "enter")  # a search: only what it shows
        shown = {p.id for p in app.browse.rows}
        assert 1 < len(shown) < 13
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # no: nothing happens
        assert not any(p.is_read for p in on_disk(app))
        await pilot.press("A", "y")
        assert {p.id for p in on_disk(app) if p.is_read} == shown
        assert stats_unread(app) == 13 - len(shown)
        await pilot.press("u")
        assert not any(p.is_read for p in on_disk(app))
        assert app.browse.counts.shown_unread == len(shown)
        await pilot.press("A", "enter")  # enter says yes too
        assert {p.id for p in on_disk(app) if p.is_read} == shown


async def test_open_and_mark_read(make_app: AppFactory, no_browser: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("O")
        assert no_browser and on_disk(app).get(paper.id).is_read


async def test_delete_asks_and_undo_brings_the_paper_back(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        app.library.set_note(paper.id, "precious")
        await pilot.press("d", "n")
        assert len(on_disk(app)) == 13
        await pilot.press("d", "y")
        assert paper.id not in on_disk(app).papers and len(on_disk(app)) == 12
        assert app.browse.current is not paper and len(app.browse.rows) == 12
        with pytest.raises(UnknownPaper, match="was deleted"):
            on_disk(app).get(paper.id)
        await pilot.press("u")
        assert on_disk(app).get(paper.id).notes == "precious"
        assert app.browse.current is paper and len(app.browse.rows) == 13


async def test_suspend_hands_the_terminal_over(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(ReadqApp, "action_suspend_process", lambda self: calls.append("z"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        assert calls == ["z"]


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script as the editor")
async def test_the_note_in_the_users_editor_is_saved_on_return(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "written in the editor\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.setattr(ReadqApp, "suspend", lambda self: contextlib.nullcontext())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("N")
        assert on_disk(app).get(paper.id).notes == "written in the editor"
        assert not app.drafts.editor_file(paper.id).exists()
        assert app.drafts.get(paper.id) is None


# --- the command line ---------------------------------------------------------------


async def test_the_command_line_runs_actions_by_name(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: every key typed is a round trip
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"sort title", "enter")
        titles = [fold(p.title) for p in app.browse.rows]
        assert app.browse.view.sort == "title" and titles == sorted(titles)
        paper = app.browse.current
        assert paper is not None
        app.library.set_tags(paper.id, ["old"])
        await pilot.press("colon", *"tag +rl -old", "enter")
        assert on_disk(app).get(paper.id).tags == ["rl"]
        await pilot.press("colon", *"priority 2", "enter")
        assert on_disk(app).get(paper.id).priority == 2
        target = tmp_path / "shown.bib"
        await pilot.press("colon", *f"export {target.name}", "enter")  # in the cwd
        await app.workers.wait_for_complete()
        assert len(re.findall(r"^@\w+\{", target.read_text(), re.MULTILINE)) == 13
        listing = tmp_path / "more.txt"
        listing.write_text("CLMar 3, 2025\nA Brand New PaperAda Lovelace\nAbstract.\n")
        await pilot.press("colon", *f"import {listing.name}", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(p.title == "A Brand New Paper" for p in on_disk(app))
        assert len(app.browse.rows) == 14
        await pilot.press("colon", *"nonsense", "enter")
        assert app.is_running and any("no command" in str(n.message) for n in app._notifications)
        await pilot.press("colon", *"quit", "enter")
        await pilot.pause()
    assert not app.is_running


async def test_the_command_line_completes_names(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"so", "tab")
        box = app.main.query_one("#command", Input)
        assert box.value == "sort "
        await pilot.press(*"ti", "tab", "enter")
        assert app.browse.view.sort == "title"


async def test_the_command_line_runs_every_key_by_its_id(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("colon", *"toggle-read", "enter")
        assert on_disk(app).get(paper.id).is_read
        await pilot.press("colon", *"3", "enter")  # :ID goes to paper 3
        assert app.browse.current is not None and app.browse.current.id == 3


# --- card triage ---------------------------------------------------------------------


async def test_card_triage_walks_the_shown_papers_one_by_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")  # unread only: all 13
        ids = [p.id for p in app.browse.rows]
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        progress = app.screen.query_one("#card-progress")
        assert str(progress.render()).startswith("1 of 13")
        await pilot.press("r")  # read, next
        assert on_disk(app).get(ids[0]).is_read
        assert str(progress.render()).startswith("2 of 13")
        await pilot.press("2")  # priority, next
        await pilot.press("t", *"ml", "enter")  # tags stay on the card
        await pilot.press("k")  # keep unread, next
        await pilot.press("s")  # skip
        await pilot.press("d")  # delete, next
        saved = on_disk(app)
        assert saved.get(ids[1]).priority == 2
        assert saved.get(ids[2]).tags == ["ml"] and not saved.get(ids[2]).is_read
        assert ids[4] not in saved.papers
        await pilot.press("u")  # the deletion undone, back on that card
        assert ids[4] in on_disk(app).papers
        assert str(progress.render()).startswith("5 of 13")
        await pilot.press("b")
        assert str(progress.render()).startswith("4 of 13")
        await pilot.press(*["s"] * 10)
        summary = str(app.screen.query_one("#card-summary").render())
        assert "1 read" in summary and "1 prioritised" in summary and "1 tagged" in summary
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CardScreen)
        assert app.browse.counts.unread == 12 == on_disk(app).unread_count
        assert app.browse.counts.shown_unread == 12


# --- layout, palette, empty views, start-up ----------------------------------------


async def test_an_empty_view_says_what_to_do_next(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        empty = app.main.query_one("#empty")
        await pilot.press("slash", *"zzzq", "enter")
        assert empty.display and 'No paper matches "zzzq"' in str(empty.render())
        await pilot.press("slash", "escape")
        assert not empty.display
        await pilot.press("V", "space", "f")  # everything read, then unread only
        assert "All read" in str(empty.render())


@pytest.mark.parametrize(("width", "tab_shown"), [(80, True), (120, False)])
async def test_the_key_bar_always_shows_help(
    make_app: AppFactory, width: int, tab_shown: bool
) -> None:
    app = make_app()
    async with app.run_test(size=(width, 24)):
        bar = str(app.main.query_one("#keys").render())
        assert bar.startswith(" ? Help")
        assert ("tab Details" in bar) is tab_shown


async def test_the_palette_lists_every_action_once_with_readable_keys(
    make_app: AppFactory,
) -> None:
    from readq.tui.bindings import MAIN_BINDINGS

    app = make_app()
    async with app.run_test(size=SIZE):
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        for binding in MAIN_BINDINGS:
            assert titles.count(binding.description) == 1, binding.description
        helps = {command.title: command.help for command in commands}
        assert helps["Next page"] == "Next page (] / pgdn)"
        assert helps["Help"] == "Help (?)"
        assert not any("square_bracket" in text for text in helps.values())


async def test_the_wide_list_gives_the_title_room_and_shows_score_and_code(
    demo_library: Library,
) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        cells = app.main.query_one(PaperList).row_cells(0)
        texts = [cell.plain for cell in cells]
        title = app.browse.rows[0].title
        assert title in texts  # whole, not cut
        assert "Carvalho et al." in texts and "code" in texts and "74.9" in "".join(texts)


async def test_config_warnings_are_shown_once_at_start(sample_library: Library) -> None:
    warning = 'config.toml: theme "nrod" is not a known theme; using "textual-dark"'
    app = ReadqApp(sample_library, warnings=[warning])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [str(n.message) for n in app._notifications].count(warning) == 1


async def test_an_import_runs_in_a_thread_shows_progress_and_can_be_cancelled(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import threading

    from readq import transfer
    from readq.tui import transfers

    started = threading.Event()

    def slow_read_and_parse(source: str, **kwargs: object) -> transfer.Parsed:
        tell, cancel = kwargs["on_progress"], kwargs["cancel"]
        assert callable(tell) and isinstance(cancel, threading.Event)
        tell(transfer.Progress("reading", 512, 2048))
        started.set()
        cancel.wait(10)
        raise transfer.Cancelled()

    monkeypatch.setattr(transfers.transfer, "read_and_parse", slow_read_and_parse)
    app = make_app()
    before = app.library.path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"import big.bib", "enter")
        started.wait(10)
        bar = app.main.query_one("#transfer")
        assert bar.display
        job = app.transfers.job
        assert job is not None and job.progress == transfer.Progress("reading", 512, 2048)
        bar.show_progress(job.what, job.progress)  # what the bar's timer does
        assert "importing" in str(app.main.query_one("#transfer-what").render())
        assert app.main.query_one(ProgressBar).percentage == 0.25
        await pilot.press("j", "space")  # the screen keeps answering keys
        assert app.browse.index == 1 and on_disk(app).get(app.browse.rows[1].id).is_read
        await pilot.press("ctrl+x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not bar.display
        assert any("cancelled" in str(n.message) for n in app._notifications)
    assert app.library.path.read_bytes() == before  # the journal holds the mark read


async def test_without_a_saved_first_page_the_screen_shows_the_load(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from readq.loading import LoadProgress
    from readq.tui import app as app_module

    monkeypatch.setattr(app_module, "LOAD_AFTER_SECONDS", 0.001)
    progress = LoadProgress()
    started, release = threading.Event(), threading.Event()

    def loader() -> Library:
        started.set()
        progress.start(1000)
        progress.done, progress.papers = 500, 6
        release.wait(10)  # the test decides when the "slow" load finishes
        progress.finish(13)
        return sample_library

    shown = Library.preview(sample_library.path, [])
    app = ReadqApp(shown, loader=loader, load_progress=progress)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: started.is_set() and progress.done == 500)
        app.main.show()  # what the progress timer does
        assert status_line(app) == "loading the library… 50% (6 read)"
        assert "Reading the library" in str(app.main.query_one("#empty").render())
        assert not app.main.query_one("#welcome").display  # not "your library is empty"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.browse.rows) == 13 and "13 papers" in status_line(app)


@pytest.mark.parametrize("editor", ["false", "/no/such/editor", "'unclosed"])
async def test_an_editor_that_fails_leaves_the_note_and_the_app_as_they_were(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, editor: str
) -> None:
    resumed: list[bool] = []

    @contextlib.contextmanager
    def suspend(self: ReadqApp) -> Iterator[None]:
        yield  # Textual resumes the app only if nothing escapes the block
        resumed.append(True)

    monkeypatch.setenv("VISUAL", editor)
    monkeypatch.setattr(ReadqApp, "suspend", suspend)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("N")
        assert resumed == [True]
        assert any("Note not saved" in str(n.message) for n in app._notifications)
        assert on_disk(app).get(paper.id).notes == ""
        await pilot.press("space")  # the app still answers
        assert on_disk(app).get(paper.id).is_read


async def test_typing_in_the_tag_prompt_adds_to_the_tags(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        app.library.set_tags(paper.id, ["baseline"])
        await pilot.press("t", *"early", "enter")
        assert on_disk(app).get(paper.id).tags == ["baseline", "early"]


async def test_escape_clears_a_kept_search_and_the_cursor_goes_back(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")
        paper = app.browse.current
        await pilot.press("slash", *"zzzq", "enter")  # no match: no current paper
        assert app.browse.rows == []
        await pilot.press("escape")
        assert app.browse.view.search == "" and app.browse.current is paper


async def test_card_triage_starts_at_the_cursor_and_b_goes_before_it(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "T")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        progress = app.screen.query_one("#card-progress")
        assert str(progress.render()).startswith("3 of 13")
        await pilot.press("b", "q")
        await pilot.pause()
        assert app.browse.index == 1


async def test_quit_while_an_import_is_saved_waits_for_the_save(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import threading

    from readq import transfer
    from readq.tui import transfers

    monkeypatch.chdir(tmp_path)
    (tmp_path / "more.txt").write_text("CLMar 3, 2025\nA Brand New PaperAda Lovelace\nAbstract.\n")
    saving, release = threading.Event(), threading.Event()
    real_commit = transfer.commit

    def slow_commit(library: Library, parsed: transfer.Parsed, **kwargs: object) -> object:
        saving.set()
        release.wait(10)
        return real_commit(library, parsed)

    monkeypatch.setattr(transfers.transfer, "commit", slow_commit)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"import more.txt", "enter")
        saving.wait(10)
        first = app.browse.rows[0].id
        await pilot.press("space")  # held while the library is written
        await pilot.press("ctrl+q")  # never held: it asks to quit at once
        assert app.is_running  # but does not quit under the write
        release.set()
        await settle(pilot, lambda: not app.is_running)
    saved = Library.open(app.library.path, writable=False)
    assert any(p.title == "A Brand New Paper" for p in saved)
    assert saved.get(first).is_read  # the key typed before quit acted first


# --- what a review found --------------------------------------------------------------


async def test_while_loading_the_palette_and_command_line_change_nothing(
    sample_library: Library,
) -> None:
    import threading

    release = threading.Event()

    def loader() -> Library:
        release.wait(10)
        return sample_library

    from readq import firstpage
    from readq.query import View, select

    preview = select(sample_library, View())[:3]
    firstpage.save(sample_library.path, preview, len(sample_library), 13)
    app = ReadqApp(Library.preview(sample_library.path, preview), loader=loader)
    async with app.run_test(size=SIZE) as pilot:
        first = app.browse.rows[0].id
        app.main.run_action_now("toggle_read")  # what the palette does
        app.main.run_command_line("read")
        app.main.run_command_line("export x.json")
        assert not app.library.pending and not sample_library.get(first).is_read
        release.set()
        await app.workers.wait_for_complete()
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_remapped_key_typed_while_loading_waits_and_acts(
    sample_library: Library,
) -> None:
    import threading

    from readq.config import Settings

    release = threading.Event()

    def loader() -> Library:
        release.wait(10)
        return sample_library

    from readq.query import View, select

    preview = select(sample_library, View())[:3]
    app = ReadqApp(
        Library.preview(sample_library.path, preview),
        loader=loader,
        settings=Settings(keymap={"toggle_read": "x"}),
    )
    async with app.run_test(size=SIZE) as pilot:
        first = app.browse.rows[0].id
        await pilot.press("x")  # held: it changes a paper
        assert not on_disk(app).get(first).is_read
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot, lambda: on_disk(app).get(first).is_read)


async def test_a_search_in_the_thread_after_a_deletion_still_arrives(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readq.tui import searcher as searcher_module

    monkeypatch.setattr(searcher_module, "IN_THREAD_FROM", 0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "y")
        await pilot.press("slash", *"fog")
        done = app.main.searcher.done
        assert done is not None
        done.result(10)  # no "dictionary changed size" inside the thread
        await settle(pilot, lambda: app.browse.view.search == "fog")
        assert [p.title for p in app.browse.rows] == ["Seeing Through Fog with Polarized NeRFs"]


async def test_a_note_the_disk_refused_keeps_its_draft(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from readq.journal import Journal

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        monkeypatch.setattr(Journal, "append", full_disk)
        await pilot.press("n", *"precious", "ctrl+s")
        assert on_disk(app).get(paper.id).notes == ""  # not on disk yet
        assert app.drafts.get(paper.id) == "precious"  # so the draft stays


async def test_deleting_a_tag_in_the_box_while_adding_another(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        app.library.set_tags(paper.id, ["a", "b"])
        await pilot.press("t", "ctrl+u", *"b +c", "enter")  # "a" taken out of the box
        assert on_disk(app).get(paper.id).tags == ["b", "c"]
        await pilot.press("colon", *"tag +d -b", "enter")  # the command line changes only
        assert on_disk(app).get(paper.id).tags == ["c", "d"]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("import http://[::1/x", "is not a URL readq can read"),
        ("import http://h:abc/", "is not a URL readq can read"),
        ("import ~nosuchuser/x", "no such user"),
        ("export ~nosuchuser/x.bib", "no such user"),
        ("²", "no command"),
    ],
)
async def test_bad_input_on_the_command_line_is_one_line(
    make_app: AppFactory, line: str, says: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.main.run_command_line(line)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any(says in str(n.message) for n in app._notifications), [
            str(n.message) for n in app._notifications
        ]


async def test_a_disk_error_while_loading_ends_the_app_with_one_line(
    sample_library: Library,
) -> None:
    import errno

    def loader() -> Library:
        raise OSError(errno.ENOSPC, "No space left on device", "library.json")

    app = ReadqApp(Library.preview(sample_library.path, []), loader=loader)
    said: list[str] = []
    real_exit = app.exit
    app.exit = lambda *args: said.append(str(args[2])) or real_exit(*args)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # the load starts on a timer, right after the first frame
            if app.return_code is not None:
                break
            await pilot.pause()
    assert app.return_code == 2
    assert said == ["readq: No space left on device: library.json"]
