"""The query language in the app: fielded searches as you type, mistakes on the
status line with the list kept, highlighted matches, saved views."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Input

from readq import lastview
from readq.config import Settings
from readq.library import Library
from readq.tui.app import ReadqApp
from readq.tui.highlighting import FOUND_STYLE
from readq.tui.screens.views import ViewPicker
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.paper_list import PaperList
from readq.tui.widgets.status_line import StatusLine
from readq.views import DEFAULT_VIEWS, SavedView

from .conftest import AppFactory, searched, settle

SIZE = (120, 40)
FOG = "Seeing Through Fog with Polarized NeRFs"


def titles(app: ReadqApp) -> list[str]:
    return [paper.title for paper in app.browse.rows]


def status(app: ReadqApp) -> str:
    return str(app.main.query_one(StatusLine).render())


def found_in(text: Text) -> list[str]:
    """The pieces of ``text`` marked as found."""
    return [text.plain[span.start : span.end] for span in text.spans if span.style == FOUND_STYLE]


async def test_a_fielded_query_typed_key_by_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"author")
        assert app.browse.view.search == "author"
        kept = titles(app)
        await pilot.press("colon")  # "author:" cannot be read: said, and the list kept
        assert app.main.search_error is not None
        assert "author: needs a value" in status(app)
        assert titles(app) == kept
        await pilot.press(*"weiss")  # Jörg Weiß, folded
        assert app.main.search_error is None and titles(app) == [FOG]
        await pilot.press("space", *"is:read")
        assert titles(app) == []
        await pilot.press(*["backspace"] * 4, *"unread")
        assert app.browse.view.search == "author:weiss is:unread" and titles(app) == [FOG]


async def test_a_mistake_keeps_the_last_good_list_until_mended(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"fog prio:>=x")
        assert titles(app) == [FOG]  # "fog prio:>=" was already a mistake: "fog" stays
        assert "prio needs a number: prio:>=x" in status(app)
        await pilot.press("backspace", "0")
        assert titles(app) == [FOG] and "prio needs" not in status(app)
        await pilot.press("escape")
        assert app.main.search_error is None and len(app.browse.rows) == 13


async def test_matches_are_highlighted_in_the_list_and_the_details(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"fog OR author:durand")
        await pilot.pause()
        papers = app.main.query_one(PaperList)
        title = next(c for c in papers.row_cells(0) if c.plain.startswith("Seeing"))
        assert found_in(title) == ["Fog"]
        head, _, body = app.main.query_one(DetailPane).texts
        assert found_in(head) == ["Fog", "Durand"]
        assert set(found_in(body)) == {"fog"}  # "...such as fog and haze", "foggy"
        await pilot.press("escape")
        await pilot.pause()
        head, _, _ = app.main.query_one(DetailPane).texts
        assert found_in(head) == []


async def test_a_negated_word_is_not_highlighted(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"seeing -polarized")
        assert titles(app) == []
        await pilot.press("escape", "slash", *"seeing -fogless")
        assert titles(app) == [FOG]
        head, _, _ = app.main.query_one(DetailPane).texts
        assert found_in(head) == ["Seeing"]


async def test_is_selected_finds_the_selection(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first, second = app.browse.rows[0], app.browse.rows[2]
        await pilot.press("v", "j", "v")
        await pilot.press("slash", *"is:selected")
        assert [p.id for p in app.browse.rows] == [first.id, second.id]


async def test_a_fielded_query_in_the_search_thread(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readq.tui import searcher as searcher_module

    monkeypatch.setattr(searcher_module, "IN_THREAD_FROM", 0)  # every library is "large"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        for key in "author:weiss is:unread":
            await pilot.press({" ": "space", ":": "colon"}.get(key, key))
            await searched(app, pilot)
        assert app.main.query_one("#search", Input).value == "author:weiss is:unread"
        assert titles(app) == [FOG]
        await pilot.press("backspace", "backspace")  # "is:unre": a mistake
        await searched(app, pilot)
        assert titles(app) == [FOG] and app.main.search_error is not None


def _settings(**views: str) -> Settings:
    """Only these views (readq's own inbox depends on today's date)."""
    return Settings(views={name: SavedView(name, query) for name, query in views.items()})


async def test_the_view_picker_filters_counts_and_shows_a_view(sample_library: Library) -> None:
    sample_library.set_priority([2], 3)
    views = _settings(urgent="prio:3 is:unread", cv="cat:CV", lg="cat:LG")
    app = ReadqApp(sample_library, settings=views)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        picker = app.screen
        assert isinstance(picker, ViewPicker)
        await settle(pilot, lambda: len(picker.counts) == 3)
        assert picker.counts == {"urgent": 1, "cv": 1, "lg": 3}
        await pilot.press(*"cat:")  # names and queries are both filtered
        assert [v.name for v in picker.shown()] == ["cv", "lg"]
        await pilot.press("down", "enter")
        assert app.browse.view.name == "lg" and len(app.browse.rows) == 3
        box = app.main.query_one("#search", Input)
        assert box.display and box.value == "cat:LG"
        assert "view: lg" in status(app)
        assert lastview.load(sample_library.path) == "lg"
        await pilot.press("slash", "end", "space", *"offline")  # refined: a search of its own
        assert app.browse.view.name is None and len(app.browse.rows) == 1
        assert lastview.load(sample_library.path) is None


async def test_the_app_opens_on_the_view_used_last(sample_library: Library) -> None:
    lastview.save(sample_library.path, "cv")
    app = ReadqApp(
        sample_library, settings=_settings(cv="cat:CV"), view=lastview.load(sample_library.path)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.browse.view.name == "cv" and titles(app) == [FOG]
        assert app.main.query_one("#search", Input).value == "cat:CV"
        await pilot.press("l", "escape")  # cancelled: nothing changes
        assert app.browse.view.name == "cv"


async def test_every_view_is_in_the_palette_and_names_stay_literal(
    sample_library: Library,
) -> None:
    settings = Settings(views={**DEFAULT_VIEWS, "[bold]x[/bold]": SavedView("[bold]x[/bold]", "x")})
    app = ReadqApp(sample_library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        titles_ = [command.title for command in app.get_system_commands(app.screen)]
        assert {"View: inbox", "View: to-read", "View: [bold]x[/bold]"} <= set(titles_)
        await pilot.press("l")
        labels = [str(o.prompt) for o in app.screen.query_one("OptionList")._options]
        assert any("[bold]x[/bold]" in label for label in labels)


def test_a_damaged_last_view_file_means_no_view(tmp_path: Path) -> None:
    library = tmp_path / "library.json"
    lastview.path_for(library).write_bytes(b"\x00not json")
    assert lastview.load(library) is None
    lastview.save(library, "inbox")
    assert lastview.load(library) == "inbox"
    lastview.save(library, None)
    assert not lastview.path_for(library).exists()
