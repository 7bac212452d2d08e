"""Searching a large library off the event loop, so that typing never waits for it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Final

from readq.library import Library
from readq.model import Paper
from readq.query import FoldedAbstracts, Shown, View, rows_for

IN_THREAD_FROM = 20_000  # papers; below, a search takes a few milliseconds
_LOOK_EVERY: Final = 512  # papers between two looks at whether a search is still wanted
_RECENT: Final = 8  # searches remembered, for a later one that only narrows them

Deliver = Callable[[View, list[Paper]], None]


class Searcher:
    """One long-lived thread that runs searches in turn and skips those a later
    keystroke has made pointless.

    The first letters reach nearly every abstract (~0.2 s at 100,000 papers). A
    thread per keystroke ran full scans side by side, and each new thread's
    allocator arena kept its memory (+380 MB at 100k). A search works on the
    view and rows shown when the key was typed, never on state the event loop
    may change meanwhile. The last few searches' results are kept while the
    library is unchanged: typing ``author:kurin is:unread`` passes through
    ``author:kurin is`` (a word) and ``is:`` (a mistake), and the finished query
    narrows ``author:kurin``'s rows, not the library.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readq-search")
        self._job = 0  # the latest search handed over
        self._folded: FoldedAbstracts | None = None  # the last search's (thread only)
        self._recent: list[Shown] = []
        self._state: object = None  # the library's state the recent results are of
        self.done: Future[None] | None = None  # that search (tests wait on it)

    def submit(
        self,
        library: Library,
        view: View,
        shown: Shown,
        deliver: Deliver,
        *,
        state: object,
        selected: Iterable[int] = (),
    ) -> None:
        """Find ``view``'s rows and hand them to ``deliver`` from the thread.
        ``shown``: the view shown and its rows; ``state``: anything that changes
        when the library does (results found under another state are dropped)."""
        self._job += 1
        if state != self._state:
            self._recent, self._state = [], state
        # The papers as a list made here, on the event loop: a deletion or its undo
        # changes the library's dict, which the thread must not be iterating then.
        papers = list(library)
        known = [(shown[0], list(shown[1])), *self._recent]
        self.done = self._pool.submit(
            self._run, self._job, papers, view, known, frozenset(selected), deliver, state
        )

    def _run(
        self,
        job: int,
        papers: list[Paper],
        view: View,
        known: list[Shown],
        selected: frozenset[int],
        deliver: Deliver,
        state: object,
    ) -> None:
        def stale() -> bool:
            return job != self._job  # a later keystroke's search is queued behind this one

        folded = FoldedAbstracts(self._folded)
        try:
            found = rows_for(
                papers, view, known, folded, selected=selected, watch=lambda p: _unless(stale, p)
            )
        except _Stale:
            # Stopped half way: the later search has its own view and rows, taken
            # when its key was typed, so nothing waits for this one's result.
            return
        folded.done()
        self._folded = folded  # for the next search, if it narrows this one's rows
        if state == self._state:
            self._recent = [(view, found), *self._recent[: _RECENT - 1]]
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            deliver(view, found)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class _Stale(Exception):
    """A later keystroke made the search under way pointless."""


def _unless(stale: Callable[[], bool], papers: Iterable[Paper]) -> Iterator[Paper]:
    """``papers``, looking every few hundred whether the search is still wanted: a
    full scan (the first letter, a backspace) takes half a second at 100,000
    papers, and the next key's search would otherwise wait behind it."""
    for number, paper in enumerate(papers):
        if not number % _LOOK_EVERY and stale():
            raise _Stale
        yield paper
