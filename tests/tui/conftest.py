"""A library and an app factory for Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from readq.demo import build_demo_library
from readq.importers.listing import parse
from readq.library import Library
from readq.model import ParsedPaper
from readq.tui.app import ReadqApp
from readq.tui.ranker import Ranker

from ..conftest import AS_OF, DATA

HOSTILE_TITLE = "[bold]x[/bold] [/] [@click=app.quit]y[/] [link=https://evil.example]z[/link]"

AppFactory = Callable[..., ReadqApp]


def on_disk(app: ReadqApp) -> Library:
    """A second, read-only view of the library file: what survives a crash now."""
    return Library.open(app.library.path, writable=False)


async def settle(pilot: Pilot[int], done: Callable[[], bool]) -> None:
    """Let the app work through held and replayed keys until ``done``."""
    for _ in range(200):
        if done():
            return
        await pilot.pause()
    raise AssertionError("the app never reached the expected state")


async def searched(app: ReadqApp, pilot: Pilot[int]) -> None:
    """Wait for the app's search thread, and for any search it set off again."""
    while True:
        searching = app.main.searcher.done
        if searching is not None:
            await asyncio.wrap_future(searching)
        await pilot.pause()
        if app.main.searcher.done is searching:
            return


def burst(app: ReadqApp, *keys: str) -> None:
    """Queue ``keys`` as a paste or tmux send-keys delivers them: all before the app
    has acted on the first."""
    for key in keys:
        character = {"space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record URLs instead of opening a real browser."""
    opened: list[str] = []
    monkeypatch.setenv("DISPLAY", ":99")  # as if a graphical browser were there
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    return opened


@pytest.fixture
def sample_library(library_file: Path) -> Library:
    library = Library.open(library_file)
    text = (DATA / "listing-sample.txt").read_text(encoding="utf-8")
    library.add_many(parse(text, as_of=AS_OF).papers)
    library.add_many(
        [
            ParsedPaper(
                title=HOSTILE_TITLE,
                authors=["[red]Mallory[/red] Hacker"],
                orgs=["[@click=app.bell]org"],
                abstract="[b]not bold[/b] $x$ [@click=app.quit]",
                category="CR",
                published="2020-01-01",
                tags=["[i]tag"],
                notes="[@click=app.quit]note[/]",
                added_at="2026-11-29T09:00:00Z",  # a fixed day, so snapshots never age
            )
        ]
    )
    return library


@pytest.fixture
def make_app(sample_library: Library) -> AppFactory:
    def make(library: Library | None = None) -> ReadqApp:
        return ReadqApp(library or sample_library)

    return make


@pytest.fixture
def demo_library(tmp_path: Path) -> Library:
    folder = tmp_path / "demo"
    folder.mkdir()
    return Library.open(build_demo_library(folder))


_RANK = Ranker.refresh


@pytest.fixture(autouse=True)
def no_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app ranks in a thread as it starts, and what it learned shows in the
    list (a column) and the details: the screens of most tests would depend on
    when it finished. Tests of the ranking ask for ``ranking``."""
    monkeypatch.setattr(Ranker, "refresh", lambda self: None)


@pytest.fixture
def ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Ranker, "refresh", _RANK)


async def ranked(app: ReadqApp, pilot: Pilot[int]) -> None:
    """Wait until the app has a ranking and none is under way (the worker process
    runs as the app starts, and again when asked meanwhile)."""
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.ranker.ranking is not None and not app.ranker.busy:
            return
    raise AssertionError("the ranking never finished")
