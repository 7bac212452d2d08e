"""`R` in the app: the feeds fetched in a thread against a loopback server, the
cursor kept on its paper, new papers marked until seen, fetch_every on start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readq import feedstate, fetching
from readq import library as library_module
from readq.config import Settings
from readq.feeds import Feed
from readq.library import Library
from readq.tui.app import ReadqApp
from readq.tui.widgets.paper_list import NEW_MARK, UNREAD_MARK, PaperList
from readq.tui.widgets.transfer_bar import TransferBar

from ..feedserver import FeedServer, rss_feed, rss_items
from .conftest import on_disk, settle

SIZE = (120, 30)


@pytest.fixture
def arrive_later(sample_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers fetched arrive after the sample's and after the app started
    (timestamps count seconds: in a test all fall in one)."""
    monkeypatch.setattr(library_module, "now_iso", lambda: "2030-01-01T00:00:00Z")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feeds:
        feeds.page("/rss/cs.LG", rss_feed(rss_items(4)), etag='"one"')
        feeds.page("/rss/cs.CL", rss_feed(rss_items(2, first=10, category="cs.CL")))
        yield feeds


def _settings(server: FeedServer, **more: object) -> Settings:
    feeds = (
        Feed("cs.LG", url=f"{server.url}/rss/cs.LG"),
        Feed("cs.CL", url=f"{server.url}/rss/cs.CL"),
    )
    return Settings(feeds=feeds, **more)  # type: ignore[arg-type]


def _marks(app: ReadqApp) -> list[str]:
    papers = app.screen.query_one(PaperList)
    return [papers.row_cells(row)[0].plain[1] for row in range(papers.row_count)]


@pytest.mark.usefixtures("arrive_later")
async def test_r_fetches_the_feeds_and_keeps_the_cursor(
    sample_library: Library, server: FeedServer
) -> None:
    start = len(sample_library)  # before: the app's library is this object
    app = ReadqApp(sample_library, settings=_settings(server))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")
        before = app.browse.current
        assert before is not None and NEW_MARK not in _marks(app)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        library = on_disk(app)
        assert len(library) == start + 6
        assert {name for p in library for name in p.feeds} == {"cs.LG", "cs.CL"}
        assert app.browse.current is not None and app.browse.current.id == before.id
        assert any("Fetched 2 of 2 feeds: 6 new." in str(n.message) for n in app._notifications)
        assert not app.screen.query_one(TransferBar).display
        assert feedstate.load(app.library.path)["cs.LG"].etag == '"one"'

        # The new papers are marked until the cursor has been on them and left.
        await pilot.press("g")
        new = [p for p in app.browse.rows if app.browse.is_new(p)]
        assert len(new) == 6
        first_new = app.browse.rows.index(new[0])
        marks = _marks(app)
        assert marks.count(NEW_MARK) == 6
        for _ in range(first_new + 1):
            await pilot.press("j")
        assert not app.browse.is_new(new[0])
        assert _marks(app)[first_new] == UNREAD_MARK

        # is:new finds them; a second R gets a 304 from cs.LG and adds nothing.
        await pilot.press("slash", *"is:new", "enter")
        await settle(pilot, lambda: len(app.browse.rows) == 6)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == start + 6
        assert server.hits("/rss/cs.LG")[-1].headers["if-none-match"] == '"one"'


async def test_progress_shows_each_feed_while_it_waits(
    sample_library: Library, server: FeedServer
) -> None:
    server.stall("/rss/cs.CL")
    start = len(sample_library)
    app = ReadqApp(sample_library, settings=_settings(server))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        server.wait_for_hits("/rss/cs.CL", 1)
        await settle(pilot, lambda: "fetching 2 feeds, 1 done: cs.CL downloading" in _bar_text(app))
        await pilot.press("j")  # the screen answers while the fetch waits
        assert app.browse.index == 1
        await pilot.press("ctrl+x")
        server.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == start  # cancelled: nothing written
        assert any("cancelled" in str(n.message) for n in app._notifications)


def _bar_text(app: ReadqApp) -> str:
    bar = app.screen.query_one("#transfer-what")
    return str(bar.render())


async def test_no_feeds_is_a_notification(sample_library: Library) -> None:
    app = ReadqApp(sample_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert any("No feeds to fetch" in str(n.message) for n in app._notifications)


async def test_a_dead_server_leaves_the_library_as_it_was(sample_library: Library) -> None:
    with FeedServer() as dead:
        url = dead.url
    settings = Settings(feeds=(Feed("gone", url=f"{url}/x"),))
    start = len(sample_library)
    app = ReadqApp(sample_library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == start
        messages = [str(n.message) for n in app._notifications]
        assert any("Fetched 0 of 1 feeds: 0 new. gone: failed: cannot reach" in m for m in messages)


async def test_fetch_every_fetches_on_start_when_due(
    sample_library: Library, server: FeedServer
) -> None:
    settings = _settings(server, fetch_every=6 * 3600.0)
    start = len(sample_library)
    app = ReadqApp(sample_library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == start + 6
    again = ReadqApp(on_disk(app), settings=settings)  # fetched a moment ago: not due
    async with again.run_test(size=SIZE) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
    assert len(server.hits("/rss/cs.LG")) == 1


def test_due() -> None:
    from readq.tui.app import due

    assert due(None, 60) and due("2000-01-01T00:00:00Z", 60) and due("nonsense", 60)
    assert not due(fetching.datetime.now(fetching.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), 3600)


async def test_the_command_line_fetches_the_feeds_named(
    sample_library: Library, server: FeedServer
) -> None:
    start = len(sample_library)
    app = ReadqApp(sample_library, settings=_settings(server))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"fetch cs.XX", "enter")
        await pilot.pause()
        assert any("no feed called 'cs.XX'" in str(n.message) for n in app._notifications)
        await pilot.press("colon", *"fetch cs.CL", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(on_disk(app)) == start + 2
        assert server.hits("/rss/cs.LG") == []


async def test_an_empty_inbox_says_how_to_fill_it(sample_library: Library) -> None:
    app = ReadqApp(sample_library, view="inbox", new_since="2999-01-01T00:00:00Z")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        empty = str(app.screen.query_one("#empty").render())
        assert "Nothing new has arrived since readq was last closed; R fetches" in empty
