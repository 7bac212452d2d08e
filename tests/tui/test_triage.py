"""Pilot tests: press keys, then check the library (what is on disk), not just the screen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Static, TextArea

from readq.library import Library
from readq.model import Paper, Status
from readq.query import View
from readq.tui.app import ReadqApp
from readq.tui.screens.note_editor import NoteEditor
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.paper_list import PaperList
from readq.tui.widgets.status_line import StatusLine

from .conftest import HOSTILE_TITLE, AppFactory, on_disk, searched, settle

SIZE = (120, 40)


async def test_space_r_and_priorities_are_on_disk_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first = app.browse.current
        assert first is not None
        await pilot.press("space")
        assert on_disk(app).get(first.id).status is Status.READ
        await pilot.press("space")
        assert on_disk(app).get(first.id).status is Status.UNREAD
        await pilot.press("3")
        assert on_disk(app).get(first.id).priority == 3
        await pilot.press("r")
        assert on_disk(app).get(first.id).status is Status.READ
        assert app.browse.current is not None and app.browse.current.id != first.id  # moved on
        await pilot.press("0")
        assert on_disk(app).get(app.browse.current.id).priority == 0


async def test_undo_and_redo_every_kind_of_change(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("space", "2", "t")
        await pilot.press(*"ml", "enter")
        assert on_disk(app).get(paper.id).tags == ["ml"]
        await pilot.press("u")
        assert on_disk(app).get(paper.id).tags == []
        await pilot.press("u", "u")
        saved = on_disk(app).get(paper.id)
        assert (saved.status, saved.priority) == (Status.UNREAD, 0)
        await pilot.press("ctrl+r")
        assert on_disk(app).get(paper.id).status is Status.READ


async def test_bulk_actions_apply_to_the_selection(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        ids = [p.id for p in app.browse.rows[:3]]
        await pilot.press("v", "v", "v")  # v selects and moves down
        assert list(app.browse.selected) == ids
        await pilot.press("space")
        library = on_disk(app)
        assert all(library.get(i).status is Status.READ for i in ids)
        assert not app.browse.selected  # a bulk action uses the selection up
        await pilot.press("2")  # so this is the cursor's paper only
        assert [p.id for p in on_disk(app) if p.priority == 2] == [app.browse.rows[3].id]
        await pilot.press("g", "v", "v", "v", "t", *"+bulk", "enter")
        assert all("bulk" in on_disk(app).get(i).tags for i in ids)
        await pilot.press("u")
        assert all("bulk" not in on_disk(app).get(i).tags for i in ids)


async def test_note_editor_saves_with_ctrl_s(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"# Key idea", "enter", *"dense core")
        assert app.drafts.get(paper.id) == "# Key idea\ndense core"  # draft kept while typing
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        assert on_disk(app).get(paper.id).notes == "# Key idea\ndense core"
        assert app.drafts.get(paper.id) is None


async def test_note_editor_cancel_asks_before_discarding(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("n", *"draft text", "escape")
        await pilot.pause()
        await pilot.press("n")  # "no, keep editing"
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        assert on_disk(app).get(paper.id).notes == ""
        assert app.drafts.get(paper.id) is None


async def test_unsaved_draft_is_offered_again(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("n", *"unsaved words")
    # The app ended with the editor open, as if the terminal had been closed.
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert again.screen.query_one(TextArea).text == "unsaved words"


async def test_paging_across_page_boundaries(demo_library: Library) -> None:
    app = ReadqApp(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the first layout sets the page size
        size = app.browse.page_size
        assert app.screen.query_one(PaperList).row_count == size  # the widget holds one page
        for _ in range(size):
            await pilot.press("j")
        assert (app.browse.page, app.browse.row_in_page) == (1, 0)
        await pilot.press("k")
        assert (app.browse.page, app.browse.row_in_page) == (0, size - 1)
        await pilot.press("right_square_bracket")
        assert app.browse.page == 1
        await pilot.press("G")
        assert app.browse.current is app.browse.rows[-1]
        await pilot.press("g")
        assert app.browse.current is app.browse.rows[0]
        await pilot.press("pagedown", "pageup")
        assert app.browse.page == 0


async def test_search_as_you_type_and_escape_clears(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"fog")
        assert [p.title for p in app.browse.rows] == ["Seeing Through Fog with Polarized NeRFs"]
        await pilot.press("enter", "space")  # back to triage keys while the search stays
        assert on_disk(app).get(app.browse.rows[0].id).status is Status.READ
        await pilot.press("slash", "escape")
        assert app.browse.view.search == "" and len(app.browse.rows) == 13
        assert not app.screen.query_one("#search", Input).display


async def test_a_large_library_is_searched_off_the_event_loop(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readq.tui import searcher as searcher_module

    monkeypatch.setattr(searcher_module, "IN_THREAD_FROM", 0)  # every library is "large"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"trajec")  # a word only the abstract has
        await searched(app, pilot)
        assert app.browse.view.search == "trajec"
        assert [p.title for p in app.browse.rows] == ["Curriculum Sampling for Offline RL"]
        await pilot.press("backspace", *"zzz")
        await searched(app, pilot)
        assert app.browse.view.search == "trajezzz" and app.browse.rows == []
        await pilot.press("escape")
        await searched(app, pilot)
        assert app.browse.view.search == "" and len(app.browse.rows) == 13


async def test_filters_and_sorts(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "f")
        assert app.browse.view.status == "unread" and len(app.browse.rows) == 12
        await pilot.press("f")
        assert len(app.browse.rows) == 13
        await pilot.press("s")
        assert app.browse.view.sort == "published"
        await pilot.press("S")
        assert app.browse.rows[0].published == "2019-12-01"
        await pilot.press("3", "F")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # "Priority 3 or higher"
        await pilot.pause()
        assert [p.priority for p in app.browse.rows] == [3]


async def test_open_and_copy(make_app: AppFactory, no_browser: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert no_browser and no_browser[0].startswith("https://duckduckgo.com/?q=")
        await pilot.press("y")
        assert app.clipboard.startswith(app.browse.rows[0].title)


async def test_import_from_the_app(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: every key typed is a round trip
    listing = tmp_path / "more.txt"
    listing.write_text("CLMar 3, 2025\nA Brand New PaperAda Lovelace\nAbstract.\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *listing.name, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(p.title == "A Brand New Paper" for p in on_disk(app))
        await pilot.press("i", *"/no/such/file", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == 14
        assert any("does not exist" in str(n.message) for n in app._notifications)


async def test_hostile_text_is_literal_and_inert(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mallory", "enter")
        assert app.browse.current is not None and app.browse.current.title == HOSTILE_TITLE
        await pilot.pause()
        detail = app.screen.query_one(DetailPane).plain
        assert HOSTILE_TITLE in detail and "[red]Mallory[/red] Hacker" in detail
        row = app.screen.query_one(PaperList).row_cells(app.browse.row_in_page)
        assert any(HOSTILE_TITLE.startswith(cell.plain.rstrip("…")) for cell in row)
        assert all(
            not span.style or "@click" not in str(span.style) for c in row for span in c.spans
        )
        await pilot.press("t", "escape", "n", "escape", "question_mark", "escape")
        await pilot.pause()
        assert app.is_running  # [@click=app.quit] did nothing


async def test_open_without_a_graphical_browser_copies_the_url(
    make_app: AppFactory, no_browser: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert no_browser == []
        assert app.clipboard.startswith("https://duckduckgo.com/?q=")


async def test_export_the_current_view(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: every key typed is a round trip
    target = tmp_path / "unread.bib"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "f", "E", *target.name, "enter")
        await app.workers.wait_for_complete()
        entries = re.findall(r"^@\w+\{", target.read_text(), re.MULTILINE)
        assert len(entries) == 12  # the unread ones only
        before = target.read_bytes()
        await pilot.press("E", *target.name, "enter")  # exists: refused, untouched
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_bytes() == before


async def test_palette_offers_every_main_action(make_app: AppFactory) -> None:
    from readq.tui.bindings import MAIN_BINDINGS

    app = make_app()
    async with app.run_test(size=SIZE):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {binding.description for binding in MAIN_BINDINGS} <= titles


async def test_palette_runs_an_action(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("ctrl+p", *"priority high")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert on_disk(app).get(paper.id).priority == 3


async def test_keys_can_be_remapped_from_the_config(sample_library: Library) -> None:
    from readq.config import Settings

    app = ReadqApp(sample_library, settings=Settings(keymap={"toggle_read": "x"}))
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        await pilot.press("x")
        assert on_disk(app).get(paper.id).status is Status.READ
        await pilot.press("space")  # no longer bound
        assert on_disk(app).get(paper.id).status is Status.READ


async def test_theme_changes_are_remembered(make_app: AppFactory) -> None:
    from readq.config import config_path, load_settings

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert load_settings()[0].theme == "nord"
    assert 'theme = "nord"' in config_path().read_text()
    again = ReadqApp(app.library, settings=load_settings()[0])  # as run_app starts it
    async with again.run_test(size=SIZE):
        assert again.theme == "nord"


async def test_hostile_title_is_literal_in_dialog_titles(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mallory", "enter", "n")
        await pilot.pause()
        texts = [str(w.render()) for w in app.screen.query(Static)]
        assert any(HOSTILE_TITLE in text for text in texts)
        await pilot.press("escape", "t")
        await pilot.pause()
        texts = [str(w.render()) for w in app.screen.query(Static)]
        assert any(HOSTILE_TITLE in text for text in texts)
        await pilot.press("escape", "F")
        await pilot.pause()
        await pilot.press("escape")
        assert app.is_running


async def test_full_disk_keeps_changes_retries_and_warns_on_quit(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from readq.journal import Journal
    from readq.tui.screens.confirm import Confirm

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        paper = app.browse.current
        assert paper is not None
        with monkeypatch.context() as patch:
            patch.setattr(Journal, "append", full_disk)
            await pilot.press("space")
            assert paper.is_read  # shown as read
            assert on_disk(app).get(paper.id).status is Status.UNREAD
            assert any("No space left" in str(n.message) for n in app._notifications)
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, Confirm)  # not a silent loss
            await pilot.press("n")
            app.retry_saving()  # still full
            assert app.library.pending
        app.retry_saving()  # space freed
        assert on_disk(app).get(paper.id).status is Status.READ
        assert not app.library.pending
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_start_shows_the_saved_first_page_then_loads_the_rest(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from readq.tui import app as app_module

    monkeypatch.setattr(app_module, "LOAD_AFTER_SECONDS", 0.001)  # the loader below waits

    from readq import firstpage
    from readq.query import View, select

    path = sample_library.path
    firstpage.save(path, select(sample_library, View()), len(sample_library), 13)
    preview = firstpage.load(path)
    assert preview is not None and len(preview.papers) == 13
    release = threading.Event()

    def loader() -> Library:
        release.wait(10)  # the test decides when the "slow" load finishes
        return sample_library

    shown = Library.preview(path, preview.papers[:3])
    app = ReadqApp(shown, loader=loader, preview_counts=(preview.total, preview.unread))
    async with app.run_test(size=SIZE) as pilot:
        assert [p.id for p in app.browse.rows] == [p.id for p in preview.papers[:3]]
        status = str(app.main.query_one(StatusLine).render())
        assert status.startswith("loading 13 papers…")  # not counts that are not yet true
        assert app.main.sub_title == "loading…"
        first = app.browse.rows[0].id
        await pilot.press("j", "k")  # moving works on the first page
        await pilot.press("space", "j")  # needs the library: held, with every key after it
        assert on_disk(app).get(first).status is Status.UNREAD
        assert app.browse.index == 0
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.library is sample_library and len(app.browse.rows) == 13
        assert on_disk(app).get(first).status is Status.READ  # then replayed in order
        assert app.browse.current is not None and app.browse.current.id == preview.papers[1].id
        await pilot.press("space")
        assert on_disk(app).get(preview.papers[1].id).status is Status.READ


def test_the_saved_first_page_is_ignored_once_the_library_changes(
    sample_library: Library,
) -> None:
    from readq import firstpage

    firstpage.save(sample_library.path, list(sample_library), len(sample_library), 13)
    assert firstpage.load(sample_library.path) is not None
    sample_library.set_priority([1], 2)  # another writer's change grows the journal
    assert firstpage.load(sample_library.path) is None


def test_every_writer_leaves_a_current_first_page(imported_library: Path) -> None:
    """An import or `readq mark` refreshes the saved page, so the next start is instant."""
    from readq import firstpage
    from readq.cli import main
    from readq.query import View, select

    saved = firstpage.load(imported_library)
    assert saved is not None
    with Library.open(imported_library, writable=False) as library:
        expected = select(library, View())
        assert [p.id for p in saved.papers] == [p.id for p in expected]
        assert (saved.total, saved.unread) == (len(library), library.unread_count)
    assert main(["--db", str(imported_library), "mark", str(expected[0].id), "read"]) == 0
    saved = firstpage.load(imported_library)
    assert saved is not None and saved.unread == len(expected) - 1
    assert saved.papers[0].status is Status.READ


async def test_the_page_size_survives_showing_only_the_details(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        size = app.browse.page_size
        await pilot.press("tab", "J")  # the list is hidden behind the details
        assert app.browse.page_size == size and (app.browse.page, app.browse.row_in_page) == (0, 1)
        await pilot.press("tab")
        await pilot.pause()
        assert app.browse.page_size == size and (app.browse.page, app.browse.row_in_page) == (0, 1)


async def test_a_burst_through_a_dialog_lands_each_key_where_it_belongs(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first = app.browse.rows[0]
        # As a paste delivers them: all queued before the app acts on the first.
        for key, character in (("n", "n"), ("a", "a"), ("b", "b"), ("ctrl+s", None)):
            app.post_message(events.Key(key, character))
        for key, character in (("j", "j"), ("space", " ")):
            app.post_message(events.Key(key, character))
        await settle(pilot, lambda: app.browse.index == 1 and app.browse.rows[1].is_read)
        assert on_disk(app).get(first.id).notes == "ab"  # not "abj", not "ab "
        assert on_disk(app).get(app.browse.rows[1].id).status is Status.READ


async def test_a_late_search_result_never_undoes_a_filter(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from readq.tui import searcher as searcher_module

    monkeypatch.setattr(searcher_module, "IN_THREAD_FROM", 0)
    release = threading.Event()
    real_rows_for = searcher_module.rows_for

    def slow_rows_for(library: Library, view: View, *shown: Any, **options: Any) -> list[Paper]:
        if view.search == "a" and view.status == "all":
            release.wait(10)  # this search is still running when f is pressed
        return real_rows_for(library, view, *shown, **options)

    monkeypatch.setattr(searcher_module, "rows_for", slow_rows_for)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "slash", "a", "enter", "f")
        release.set()
        await searched(app, pilot)
        assert app.browse.view.status == "unread"
        assert app.browse.rows and all(not p.is_read for p in app.browse.rows)


def test_with_no_saved_first_page_the_app_starts_on_one_chosen_from_the_field_index(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readq import firstpage
    from readq.query import View, select
    from readq.tui import launch

    path = sample_library.path
    sample_library.set_priority([5], 3)  # a CLI command moved a paper on the saved page
    expected = [paper.id for paper in select(sample_library, View())]
    sample_library.close()
    firstpage.discard(path)
    made: list[ReadqApp] = []

    class Started(ReadqApp):
        def run(self, *args: object, **kwargs: object) -> int:  # type: ignore[override]
            made.append(self)  # the app as it is before its first frame
            return 0

    monkeypatch.setattr(launch, "ReadqApp", Started)
    assert launch.run_app(path) == 0
    (app,) = made
    assert [paper.id for paper in app.browse.rows] == expected
    assert app.preview_counts == (13, 13) and app.loading  # the rest is read in a thread
