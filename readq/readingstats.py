"""Reading stats: what arrived, was triaged and was read, week by week, worked
out from the papers alone (``readq stats --plot`` and the app's stats screen).

Pure computation: no storage, no Textual, no plotting. Every day is a UTC day,
as the library's times are; the weeks are the seven-day windows that end on
``as_of``, and nothing that happened after ``as_of`` counts (a past ``as_of``
shows the library as it was then, as near as the papers remember: a paper
read, marked unread and read again remembers only its latest read).
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from readq.model import Paper, parse_iso_time
from readq.userstate import order, state_of

DEFAULT_WEEKS: Final = 12
DEFAULT_TOP: Final = 10
MAX_WEEKS: Final = 520  # ten years: past that a week is a pixel, and dates run out
_DAY_SECONDS: Final = 86_400

# The histogram's bins of days from arrival to read: (from, below, label). Wider
# as they go, because most papers are read within days and a few after months.
DELAY_BINS: Final = (
    (0, 1, "<1"),
    (1, 2, "1"),
    (2, 3, "2"),
    (3, 7, "3-6"),
    (7, 14, "7-13"),
    (14, 30, "14-29"),
    (30, 90, "30-89"),
    (90, None, "90+"),
)


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # its first day; it ends six days later
    arrived: int
    triaged: int  # papers first decided on in this week (see triaged_at)
    read: int
    backlog: int  # unread, not deleted, at the end of its last day

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class ReadingStats:
    as_of: date  # the last day of the last week
    weeks: tuple[Week, ...]  # oldest first
    backlog_before: int  # the backlog at the end of the day before the first week
    days_to_read: tuple[float, ...]  # of the papers read in these weeks, shortest first
    median_days_to_read: float | None  # None: none was read
    papers: int  # in the library on as_of: arrived and not deleted
    top_categories: tuple[tuple[str, int], ...]  # most first, then by name
    top_tags: tuple[tuple[str, int], ...]
    top_authors: tuple[tuple[str, int], ...]

    @property
    def arrived(self) -> int:
        return sum(week.arrived for week in self.weeks)

    @property
    def triaged(self) -> int:
        return sum(week.triaged for week in self.weeks)

    @property
    def read(self) -> int:
        return sum(week.read for week in self.weeks)

    @property
    def backlog(self) -> int:
        """Unread now (on as_of)."""
        return self.weeks[-1].backlog if self.weeks else self.backlog_before

    @property
    def last_week(self) -> Week | None:
        return self.weeks[-1] if self.weeks else None

    def delay_histogram(self) -> tuple[tuple[str, int], ...]:
        """(label, papers) for each bin of DELAY_BINS, in order, empty bins too."""
        counts = [0] * len(DELAY_BINS)
        for days in self.days_to_read:
            for index, (low, high, _) in enumerate(DELAY_BINS):
                if days >= low and (high is None or days < high):
                    counts[index] += 1
                    break
        return tuple((label, n) for (_, _, label), n in zip(DELAY_BINS, counts, strict=True))


def reading_stats(
    papers: Iterable[Paper], as_of: date, *, weeks: int = DEFAULT_WEEKS, top: int = DEFAULT_TOP
) -> ReadingStats:
    """The stats of ``papers`` (live and deleted: deleted ones arrived and were
    triaged too) over the ``weeks`` weeks that end on ``as_of``."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be from 1 to {MAX_WEEKS}")
    first = as_of - timedelta(days=7 * weeks - 1)
    arrived, triaged, read = [0] * weeks, [0] * weeks, [0] * weeks
    # The backlog as a difference array over the ends of days: +1 at the first
    # end a paper is unread at, -1 at the first it no longer is. Index 0 is the
    # day before the first week, 1 to weeks each week's last day, weeks + 1
    # after as_of (never summed): a pass over the papers, however many weeks.
    backlog = [0] * (weeks + 2)
    delays: list[float] = []
    live: list[Paper] = []

    def week_of(day: date) -> int | None:
        index = (day - first).days // 7
        return index if 0 <= index < weeks else None

    def end_index(day: date) -> int:
        """The first of the ends (day before the first week, then each week's
        last day) on or after ``day``: weeks + 1 when it is after as_of."""
        if day < first:
            return 0
        return min(-(-((day - first).days + 1) // 7), weeks + 1)

    for paper in papers:
        came = _time(paper.added_at)
        gone = _time(paper.deleted_at)
        done = _time(paper.read_at) if paper.is_read else None
        decided = triaged_at(paper)
        if (gone is None or gone.date() > as_of) and (came is None or came.date() <= as_of):
            live.append(paper)  # in the library on as_of: what the top lists count
        if came is None:
            continue  # a paper with no arrival time cannot be placed in time
        for moment, counts in ((came, arrived), (decided, triaged), (done, read)):
            index = week_of(moment.date()) if moment is not None else None
            if index is not None:
                counts[index] += 1
        left = [moment.date() for moment in (done, gone) if moment is not None]
        if paper.is_read and done is None:
            # Read at a time it does not say: as it arrived, so that the last
            # week's backlog is the unread papers of today.
            left.append(came.date())
        leaves = min(left, default=None)
        start = end_index(came.date())
        stop = end_index(leaves) if leaves is not None else weeks + 1
        if start < stop:
            backlog[start] += 1
            backlog[stop] -= 1
        if done is not None and first <= done.date() <= as_of:
            # Clocks of two machines may disagree: a paper is never read before it came.
            delays.append(max((done - came).total_seconds() / _DAY_SECONDS, 0.0))
    running, at_ends = 0, []
    for change in backlog[: weeks + 1]:
        running += change
        at_ends.append(running)
    delays.sort()
    return ReadingStats(
        as_of=as_of,
        weeks=tuple(
            Week(first + timedelta(days=7 * i), arrived[i], triaged[i], read[i], at_ends[i + 1])
            for i in range(weeks)
        ),
        backlog_before=at_ends[0],
        days_to_read=tuple(delays),
        median_days_to_read=statistics.median(delays) if delays else None,
        papers=len(live),
        top_categories=_top((p.category for p in live if p.category), top),
        top_tags=_top((t for p in live for t in dict.fromkeys(p.tags)), top),
        top_authors=_top((a for p in live for a in dict.fromkeys(p.authors)), top),
    )


def triaged_at(paper: Paper) -> datetime | None:
    """When the user first decided on ``paper`` (read it, gave it a priority,
    tagged it, noted it, deleted it), as near as the paper remembers; None if
    never, or if no decision it holds says when (an imported tag, say).

    This is the earliest time among the decision marks the paper holds (userstate.py).
    Only the latest stamp of each mark is kept, so it is an approximation: a
    paper given priority 2 on Monday, 3 on Wednesday and 2 again on Friday
    looks first decided on Wednesday. Any mark at all (an ``untag:``, a
    ``restored``) says a decision was made by then, so every one counts.
    """
    if not (paper.changed_at or paper.note_versions or paper.read_at or paper.deleted_at):
        return None  # most papers: nothing decided, and state_of costs a second at 100,000
    state = state_of(paper)  # an earlier readq's times per field read as marks too
    stamps = [*state.marks.values(), *(version.stamp for version in state.notes)]
    millis = [wall for wall in (order(stamp)[0] for stamp in stamps) if wall > 0]
    times = [datetime.fromtimestamp(ms / 1000, UTC) for ms in millis]
    # A paper that arrived read (an import said so) was decided on by its read time.
    times += [t for t in (_time(paper.read_at), _time(paper.deleted_at)) if t is not None]
    return min(times, default=None)


@functools.lru_cache(maxsize=4096)  # an import gives its papers one added_at
def _time(text: str | None) -> datetime | None:
    return parse_iso_time(text) if text else None


def _top(values: Iterable[str], count: int) -> tuple[tuple[str, int], ...]:
    """The ``count`` most common values, most first, ties by name (a stable list)."""
    counted = Counter(values)
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:count])
