"""LoadProgress: how far opening the library has got, for a screen to poll."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class LoadProgress:
    """Bytes of the library file read so far and in all, and the papers read so far.

    The loading thread only assigns ints and a screen reads them from a timer:
    each assignment is atomic, so neither side needs a lock or a callback. A read
    may pair ``done`` from one report with ``papers`` from the next: harmless.
    """

    done: int = 0
    total: int = 0  # the file's size; 0 until known, and for a library not yet made
    papers: int = 0  # live and deleted alike: what the file holds

    @property
    def fraction(self) -> float:
        """0.0 to 1.0, for a progress bar."""
        return min(self.done / self.total, 1.0) if self.total else 0.0

    def start(self, total: int) -> None:
        """A (new) read of a file of ``total`` bytes; a retried read starts over."""
        self.done, self.total, self.papers = 0, total, 0

    def finish(self, papers: int) -> None:
        self.done, self.papers = self.total, papers
