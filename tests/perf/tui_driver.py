"""Headless TUI drivers for bench.py, each run as its own process.

``start DB``: run readq's own entry point (``readq --db DB``) with the app made
headless; print, after it exits, when the first frame showing the first page
(or the welcome text of an empty library) was composed, as a CLOCK_MONOTONIC
time that the parent compares with when it launched this process.

``session DB --samples N``: open the library, time the library calls alone
(set_status, set_priority, set_note), then open the app under ``run_test`` and
time keystrokes from the key event until the change is made and the screen
has refreshed, and until it has settled. Prints one JSON object.

Textual captures stdout while an app runs, so results are printed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from functools import partial, partialmethod
from pathlib import Path
from typing import Any

SIZE = (160, 50)  # the terminal perf-baseline.md measured with
NOTE_BYTES = 2048
READY_TIMEOUT = 600.0


def now_ns() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux getrusage's ru_maxrss is no
    good here: it survives fork and exec, so a driver started by bench.py (which
    holds the synthetic papers) would report bench.py's own peak."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


async def until(condition: Callable[[], bool], timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app never reached the expected state")
        await asyncio.sleep(0)


def page_shown(app: Any) -> bool:
    """The first full page is in the table, or the welcome text is laid out."""
    from textual.css.query import NoMatches

    from readq.tui.widgets.paper_list import PaperList

    try:  # the main screen may not be composed yet
        if len(app.library) == 0:
            return bool(app.screen.query_one("#welcome").size.height)
        table = app.screen.query_one(PaperList)
    except NoMatches:
        return False
    browse = app.browse
    expected = min(len(browse.rows), browse.page_size)
    return table.size.height > 1 and table.row_count == expected > 0


def start(db: str) -> dict[str, Any]:
    from textual.app import App

    from readq import cli
    from readq.tui.app import ReadqApp

    result: dict[str, Any] = {}

    async def first_frame(pilot: Any) -> None:
        app = pilot.app
        await until(lambda: page_shown(app))
        await app.screen.wait_for_refresh()  # the frame holding that page was composed
        result.update(ready_ns=now_ns(), rss_mb=peak_rss_mb(), rows=len(app.browse.rows))
        app.exit()

    ReadqApp.run = partialmethod(App.run, headless=True, size=SIZE, auto_pilot=first_frame)
    result["exit"] = cli.main(["--db", db])
    return result


def key_event(key: str) -> Any:
    from textual import events

    character = key if len(key) == 1 else {"space": " ", "colon": ":"}.get(key)
    return events.Key(key, character)


class Activity:
    """Counts the messages the app dispatches, other than idling and our own probes."""

    PROBES = ("decrement_counter", "Event.set")  # Pilot._wait_for_screen, wait_for_refresh

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, message: Any) -> None:
        from textual import events, messages

        if isinstance(message, events.Idle):
            return
        probe = isinstance(message, events.Callback | messages.InvokeLater) and any(
            name in repr(message.callback) for name in self.PROBES
        )
        self.count += not probe


async def keystroke(
    pilot: Any, activity: Activity, key: str, done: Callable[[], bool]
) -> tuple[float, float]:
    """Milliseconds from the key event to the first frame after ``done``, and to settled.

    ``done`` says the action happened (for a change: it is in the journal, which
    the Library writes before it updates the paper). Settled: a pass over every
    widget's queue and a screen refresh in which the app dispatched nothing new;
    a keystroke sets off more than its action (the table's RowHighlighted
    messages come back to the app, the detail pane re-renders), and the next key
    must not race it.
    """
    app = pilot.app
    started = time.perf_counter()
    app.post_message(key_event(key))
    await until(done, timeout=120)
    frames: list[float] = []
    while True:
        seen = activity.count
        await pilot._wait_for_screen()  # every message queued so far, handled
        await app.screen.wait_for_refresh()  # and what it changed, painted
        if frames and activity.count == seen:
            return frames[0], frames[-1]
        frames.append((time.perf_counter() - started) * 1000)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def library_calls(library: Any, samples: int) -> dict[str, list[float]]:
    from readq.model import Status

    ids = sorted(library.papers)[:samples]
    times: dict[str, list[float]] = {"lib_set_status": [], "lib_set_priority": [], "lib_note": []}
    note = ("A two-kilobyte note on method and results. " * 60)[:NOTE_BYTES]
    for sample in range(samples):
        paper = library.get(ids[sample % len(ids)])
        status = Status.UNREAD if paper.is_read else Status.READ
        priority = (paper.priority + 1) % 4
        text = f"{sample} {note}"[:NOTE_BYTES]
        times["lib_set_status"].append(timed(partial(library.set_status, [paper.id], status)))
        times["lib_set_priority"].append(timed(partial(library.set_priority, [paper.id], priority)))
        times["lib_note"].append(timed(partial(library.set_note, paper.id, text)))
    return times


KEYS = ("tui_cursor", "tui_mark_read", "tui_priority", "tui_page", "tui_search", "tui_query_key")


async def tui_keys(library: Any, samples: int, term: str, query: str) -> dict[str, Any]:
    from readq.config import Settings
    from readq.tui.app import ReadqApp

    first: dict[str, list[float]] = {name: [] for name in KEYS}
    settled: dict[str, list[float]] = {name: [] for name in KEYS}
    journal = library.path.with_name(library.path.name + ".journal")
    app = ReadqApp(library, settings=Settings())
    activity = Activity()
    async with app.run_test(headless=True, size=SIZE, message_hook=activity) as pilot:

        async def press(name: str | bool, key: str, done: Callable[[], bool]) -> None:
            """Press ``key``; record its times under ``name`` unless that is false."""
            times = await keystroke(pilot, activity, key, done)
            if isinstance(name, str):
                first[name].append(times[0])
                settled[name].append(times[1])

        browse = app.browse

        def index() -> int:
            return int(browse.index)

        await until(lambda: page_shown(app))
        await pilot.pause()
        for sample in range(-1, samples):  # one untimed round first: warm-up
            timing = sample >= 0
            before = index()
            await press(timing and "tui_cursor", "j", lambda b=before: index() != b)

            paper, size = browse.current, journal.stat().st_size
            read = not paper.is_read
            await press(timing and "tui_mark_read", "space", lambda p=paper, r=read: p.is_read == r)
            assert journal.stat().st_size > size, "mark read did not reach the journal"

            level, size = (paper.priority % 3) + 1, journal.stat().st_size
            await press(
                timing and "tui_priority", str(level), lambda p=paper, n=level: p.priority == n
            )
            assert journal.stat().st_size > size, "the priority did not reach the journal"

            page = browse.page
            key = "pagedown" if page < browse.page_count - 1 else "pageup"
            await press(timing and "tui_page", key, lambda p=page: browse.page != p)

        # Search as you type: the box open with all but the last letter typed, then
        # the last letter timed; a backspace, untimed, between samples.
        await press(False, "slash", lambda: app.screen.query_one("#search").has_focus)
        for count in range(1, len(term)):
            await press(False, term[count - 1], lambda c=count: browse.view.search == term[:c])
        for _ in range(samples):
            await press("tui_search", term[-1], lambda: browse.view.search == term)
            matches = len(browse.rows)
            await press(False, "backspace", lambda: browse.view.search == term[:-1])
        await press(False, "escape", lambda: not browse.view.search)

        # A fielded query typed whole, every keystroke timed: the list updated, or
        # (``author:`` half typed) the status line saying what is wrong.
        screen = app.screen
        for _ in range(max(samples // 4, 1)):
            await press(False, "slash", lambda: screen.query_one("#search").has_focus)
            for count in range(1, len(query) + 1):
                typed = query[:count]
                key = {" ": "space", ":": "colon"}.get(typed[-1], typed[-1])

                def shown(typed: str = typed) -> bool:
                    box = screen.query_one("#search").value
                    answered = browse.view.search == typed or screen.search_error is not None
                    return bool(box == typed and answered)

                await press("tui_query_key", key, shown)
            query_matches = len(browse.rows)
            await press(False, "escape", lambda: not browse.view.search)
        app.exit(0)
    return {
        "first": first,
        "settled": settled,
        "search_matches": matches,
        "query_matches": query_matches,
    }


def session(db: str, samples: int, term: str, query: str) -> dict[str, Any]:
    from readq.library import Library

    library = Library.open(Path(db), abstracts_on_disk=True)  # as the app opens it
    gc.freeze()  # as the app does once the library is read (ReadqApp.load_library)
    try:
        result: dict[str, Any] = {"library": library_calls(library, samples)}
        result.update(asyncio.run(tui_keys(library, samples, term, query)))
    finally:
        library.close()
    result["rss_mb"] = peak_rss_mb()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("start").add_argument("db")
    run = sub.add_parser("session")
    run.add_argument("db")
    run.add_argument("--samples", type=int, default=20)
    run.add_argument("--search", default="hyperbolic")
    run.add_argument("--query", default="author:kurin is:unread")
    args = parser.parse_args()
    if args.mode == "start":
        result = start(args.db)
    else:
        result = session(args.db, args.samples, args.search, args.query)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
