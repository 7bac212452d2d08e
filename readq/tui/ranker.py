"""The "for you" ranking in the app, kept up to date by a process of its own.

It ranks as the library is read (from the cache beside the library when
nothing changed), after every RANK_AFTER decisions the user makes, and
whenever papers arrive (an import, a fetch, a sync). The work is done by
``python -m readq.rank.worker`` (rank/worker.py says why not in a thread); a
thread of the app only waits for it, then reads what it learned (rank/shown.py),
and the papers like one are asked of it too.
One ranking runs at a time; asked again meanwhile, it runs once more when done.
What it learned shows in the list (a relevance bar, the for-you sort), the
details (why) and the similar-papers list.

The app never imports numpy: it would cost its memory 25 MB (rank/shown.py).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from readq.history import Change

if TYPE_CHECKING:
    from readq.model import Paper
    from readq.rank.shown import Shown
    from readq.tui.app import ReadqApp

RANK_AFTER: Final = 5  # decisions (papers changed by a key) between two trainings
DECISION_FIELDS: Final = frozenset({"status", "priority", "tags", "notes", "deleted_at"})


@dataclass(frozen=True, slots=True)
class Why:
    """What the details say of a paper's place in the ranking."""

    relevance: float
    sureness: str
    up: list[str]  # the features that pushed it up most, as the paper words them
    down: list[str]


class Ranker:
    def __init__(self, app: ReadqApp) -> None:
        self.app = app
        self.ranking: Shown | None = None
        self._process: subprocess.Popen[str] | None = None
        self._decided = 0  # decisions since the last ranking started
        self._running = False
        self._again = False
        self._stop = threading.Event()

    @property
    def busy(self) -> bool:
        """Whether a ranking is under way (or asked for again)."""
        return self._running

    def decided(self, change: Change) -> None:
        """A change was made: count the papers whose decision it touched, and
        rank again once they are RANK_AFTER."""
        self._decided += sum(1 for _, values in change.after if DECISION_FIELDS & values.keys())
        if self._decided >= RANK_AFTER:
            self.refresh()

    def refresh(self) -> None:
        """Rank the library as it is on disk now, in the worker process."""
        if self._stop.is_set() or self.app.loading:
            return
        if self._running:
            self._again = True
            return
        self._running, self._again, self._decided = True, False, 0
        self.app.run_worker(self._rank, thread=True, group="rank")

    def stop(self) -> None:
        """The app is quitting: a ranking under way is ended."""
        self._stop.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()

    def _rank(self) -> None:
        path = self.app.library.path
        done = self._worker(str(path))
        if done is None or self._stop.is_set():
            return
        code, _, said = done
        if code != 0:
            last = said.strip().splitlines()[-1:]
            self.app.call_from_thread(self._failed, last[0] if last else f"exit code {code}")
            return
        from readq.rank.shown import read, shown_path

        found = read(shown_path(path))
        if found is None:
            self.app.call_from_thread(self._failed, "its files could not be read")
        else:
            self.app.call_from_thread(self._ranked, found)

    def _worker(self, *arguments: str) -> tuple[int, str, str] | None:
        """Run the worker process to its end: (exit code, stdout, stderr); None
        when it could not start (said in a notification)."""
        command = [sys.executable, "-m", "readq.rank.worker", *arguments]
        try:
            with subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            ) as process:
                self._process = process
                if self._stop.is_set():  # quit while it was starting
                    process.terminate()
                out, said = process.communicate()
        except OSError as error:
            self.app.call_from_thread(self._failed, error.strerror or str(error))
            return None
        finally:
            self._process = None
        return process.returncode, out, said

    def _ranked(self, ranking: Shown) -> None:
        self._running = False
        self.ranking = ranking
        self.app.ranked(ranking.as_relevance())
        if self._again:
            self.refresh()

    def _failed(self, reason: str) -> None:
        self._running = False
        self.app.notify(f"The ranking failed: {reason}", severity="warning", markup=False)

    # --- what the screens ask ------------------------------------------------------------

    def why(self, paper: Paper) -> Why | None:
        """Why ``paper`` ranks where it does; None before anything is learned."""
        ranking = self.ranking
        relevance = ranking.relevance_of(paper.id) if ranking is not None else None
        if ranking is None or relevance is None or not ranking.learned:
            return None
        up, down = ranking.why(paper)
        return Why(relevance, ranking.sureness, up, down)

    def similar(self, paper: Paper, limit: int) -> list[tuple[int, float]] | None:
        """(paper id, cosine) of the papers most like ``paper``, deleted ones left
        out; None while no ranking is at hand yet. Asks the worker process (it
        reads the vectors file): call it from a thread."""
        if self.ranking is None:
            return None
        done = self._worker(str(self.app.library.path), "--similar", str(paper.id), str(limit + 10))
        if done is None or done[0] != 0:
            return None
        live = self.app.library.papers
        found = [line.split() for line in done[1].splitlines()]
        pairs = [(int(i), float(cosine)) for i, cosine in found]
        return [(i, cosine) for i, cosine in pairs if i in live][:limit]
