"""Hybrid logical clocks: times that order changes across machines whose clocks
disagree (every change to a paper's user state is stamped: userstate.py).

A stamp is the wall time in milliseconds, a counter, and the machine's id. A
machine's clock never goes back, and once it has seen another machine's stamp
(``observe``) every stamp it makes is later than that one, whatever its own
wall clock says: a change made after reading another machine's changes wins
over them even when this machine's clock is behind. Stamps are written as
text that sorts as they do::

    2026-12-02T16:20:00.123Z 0000 laptop-3f9a

(the ISO time to the millisecond, four hex digits of counter, the machine).
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

_COUNTER_LIMIT: Final = 0xFFFF  # four hex digits; 65,536 stamps in one millisecond
LATEST_MS: Final = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: what the text can say
_TEXT: Final = re.compile(
    r"(?P<wall>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (?P<counter>[0-9a-f]{4}) (?P<node>\S+)"
)


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    wall_ms: int  # milliseconds since the Unix epoch, UTC
    counter: int
    node: str  # the machine's id: equal wall and counter are still ordered

    def __str__(self) -> str:
        wall = _second_text(self.wall_ms // 1000) + f"{self.wall_ms % 1000:03d}Z"
        return f"{wall} {self.counter:04x} {self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """The stamp ``str`` wrote; ValueError for anything else."""
        match = _TEXT.fullmatch(text)
        if match is None:
            raise ValueError(f"{text[:60]!r} is not a clock stamp")
        moment = datetime.fromisoformat(match["wall"].replace("Z", "+00:00"))
        wall_ms = round(moment.timestamp() * 1000)
        return cls(wall_ms, int(match["counter"], 16), match["node"])


@functools.lru_cache(maxsize=1024)  # the stamps of one change share their second
def _second_text(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.")


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """One machine's clock: ``now`` for each change it makes, ``observe`` for
    each stamp it reads from another machine. Safe to share between threads."""

    def __init__(self, node: str, *, wall: Callable[[], int] | None = None) -> None:
        if not node or any(c.isspace() for c in node):
            raise ValueError("a machine's id is one word")
        self.node = node
        self._wall = wall or (lambda: wall_clock_ms())  # looked up each time: tests skew it
        self._last = Stamp(0, 0, node)
        self._lock = threading.Lock()

    def now(self) -> Stamp:
        """A stamp later than every stamp this clock made or observed."""
        with self._lock:
            self._last = self._after(self._last.wall_ms, self._last.counter)
            return self._last

    def observe(self, other: Stamp) -> None:
        """Take in another machine's stamp: what this clock makes next is later."""
        with self._lock:
            if (other.wall_ms, other.counter) > (self._last.wall_ms, self._last.counter):
                self._last = Stamp(other.wall_ms, other.counter, self.node)

    def _after(self, wall_ms: int, counter: int) -> Stamp:
        physical = self._wall()
        if physical > wall_ms:
            return Stamp(physical, 0, self.node)
        if counter < _COUNTER_LIMIT or wall_ms >= LATEST_MS:
            return Stamp(wall_ms, min(counter + 1, _COUNTER_LIMIT), self.node)
        return Stamp(wall_ms + 1, 0, self.node)  # a full millisecond: borrow the next one
