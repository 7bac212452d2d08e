"""The "for you" ranking in the app, kept up to date in a thread.

It ranks as the library is read (from the cache beside the library when
nothing changed: half a second at 100,000 papers), after every RANK_AFTER
decisions the user makes, and whenever papers arrive (an import, a fetch, a
sync). One ranking runs at a time; asked again meanwhile, it runs once more
when done. What it learned shows in the list (a relevance bar, the for-you
sort), the details (why) and the similar-papers list.

numpy is imported in the thread, the first time a ranking runs, so that the
app starts without it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from readq.history import Change
from readq.query import Relevance

if TYPE_CHECKING:
    from readq.model import Paper
    from readq.rank.ranking import Ranking
    from readq.tui.app import ReadqApp

RANK_AFTER: Final = 5  # decisions (papers changed by a key) between two trainings
DECISION_FIELDS: Final = frozenset({"status", "priority", "tags", "notes", "deleted_at"})
WHY_TERMS: Final = 4


@dataclass(frozen=True, slots=True)
class Why:
    """What the details say of a paper's place in the ranking."""

    relevance: float
    sureness: str
    up: list[tuple[str, float]]
    down: list[tuple[str, float]]


class Ranker:
    def __init__(self, app: ReadqApp) -> None:
        self.app = app
        self.ranking: Ranking | None = None
        self._decided = 0  # decisions since the last ranking started
        self._running = False
        self._again = False
        self._stop = threading.Event()

    @property
    def relevance(self) -> Relevance | None:
        return self.ranking.as_relevance() if self.ranking is not None else None

    def decided(self, change: Change) -> None:
        """A change was made: count the papers whose decision it touched, and
        rank again once they are RANK_AFTER."""
        self._decided += sum(1 for _, values in change.after if DECISION_FIELDS & values.keys())
        if self._decided >= RANK_AFTER:
            self.refresh()

    def refresh(self) -> None:
        """Rank the library as it is now, in a thread."""
        if self._stop.is_set() or self.app.loading:
            return
        if self._running:
            self._again = True
            return
        self._running, self._again, self._decided = True, False, 0
        library = self.app.library
        # Taken here, on the event loop: the thread must not see the dicts change.
        papers = [*library.papers.values(), *library.deleted.values()]
        self.app.run_worker(lambda: self._rank(papers), thread=True, group="rank")

    def stop(self) -> None:
        """The app is quitting: a ranking under way ends at its next check."""
        self._stop.set()

    def _rank(self, papers: list[Paper]) -> None:
        from readq.rank.features import Stopped
        from readq.rank.ranking import rank

        try:
            ranking = rank(papers, library=self.app.library.path, stop=self._stop.is_set)
        except Stopped:
            return
        except (OSError, ValueError, MemoryError) as error:  # a cache or a disk: never the app
            self.app.call_from_thread(self._failed, error)
            return
        if not self._stop.is_set():
            self.app.call_from_thread(self._ranked, ranking)

    def _ranked(self, ranking: Ranking) -> None:
        self._running = False
        self.ranking = ranking
        self.app.ranked(ranking.as_relevance())
        if self._again:
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self.app.notify(f"The ranking failed: {error}", severity="warning", markup=False)

    # --- what the screens ask ------------------------------------------------------------

    def why(self, paper: Paper) -> Why | None:
        """Why ``paper`` ranks where it does; None before anything is learned."""
        ranking = self.ranking
        if ranking is None or not ranking.learned or paper.id not in ranking.relevance:
            return None
        up, down = ranking.explain(paper.id)
        return Why(ranking.relevance[paper.id], ranking.sureness, up[:WHY_TERMS], down[:WHY_TERMS])

    def similar(self, paper: Paper, limit: int) -> list[tuple[int, float]] | None:
        """(paper id, cosine) of the papers most like ``paper``, deleted ones left
        out; None while no ranking is at hand yet."""
        ranking = self.ranking
        if ranking is None:
            return None
        live = self.app.library.papers
        found = ranking.similar(paper.id, limit + 10)
        return [(i, cosine) for i, cosine in found if i in live][:limit]
