"""Reading stats worked out from hand-built papers whose every date is known."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from readq.hlc import Stamp
from readq.model import Paper, Status
from readq.readingstats import DELAY_BINS, reading_stats, triaged_at

AS_OF = date(2026, 11, 29)  # four weeks back: 11-02..08, 11-09..15, 11-16..22, 11-23..29


def stamp(when: str) -> str:
    """A clock stamp (hlc.py) of the time ``when``, as the library keeps marks."""
    moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return str(Stamp(round(moment.timestamp() * 1000), 0, "laptop-3f9a"))


def paper(paper_id: int, added: str, *, read: str | None = None, **fields: Any) -> Paper:
    status = Status.READ if read is not None or fields.pop("is_read", False) else Status.UNREAD
    return Paper(
        id=paper_id,
        title=f"Paper {paper_id}",
        added_at=added,
        status=status,
        read_at=read,
        **fields,
    )


def test_arrivals_fall_into_the_weeks_that_end_on_as_of() -> None:
    papers = [
        paper(1, "2026-10-01T09:00:00Z"),  # before the weeks: backlog only
        paper(2, "2026-11-02T00:00:00Z"),
        paper(3, "2026-11-08T23:59:59Z"),
        paper(4, "2026-11-09T00:00:00Z"),
        paper(5, "2026-11-29T23:00:00Z"),  # as_of counts whole
        paper(6, "2026-11-30T00:00:00Z"),  # after as_of: not there yet
    ]
    stats = reading_stats(papers, AS_OF, weeks=4)
    assert [w.start for w in stats.weeks] == [date(2026, 11, d) for d in (2, 9, 16, 23)]
    assert stats.weeks[-1].end == AS_OF
    assert [w.arrived for w in stats.weeks] == [2, 1, 0, 1]
    assert stats.arrived == 4
    assert stats.papers == 5  # paper 6 came after as_of


def test_the_backlog_is_what_was_unread_at_each_weeks_end() -> None:
    papers = [
        paper(1, "2026-10-01T09:00:00Z"),  # unread all along
        paper(2, "2026-11-03T09:00:00Z", read="2026-11-10T09:00:00Z"),
        paper(3, "2026-11-20T09:00:00Z", deleted_at="2026-11-25T09:00:00Z"),
        paper(4, "2026-11-04T09:00:00Z", is_read=True),  # read, no time said: never waiting
        paper(5, "2026-11-22T23:00:00Z", read="2026-11-22T23:30:00Z"),  # read the same day
        paper(6, "2026-11-10T09:00:00Z", read="2026-12-05T09:00:00Z"),  # read after as_of
    ]
    stats = reading_stats(papers, AS_OF, weeks=4)
    assert stats.backlog_before == 1
    assert [w.backlog for w in stats.weeks] == [2, 2, 3, 2]
    assert stats.backlog == 2
    assert [w.read for w in stats.weeks] == [0, 1, 1, 0]


def test_the_median_and_histogram_of_days_to_read() -> None:
    papers = [
        paper(1, "2026-11-01T12:00:00Z", read="2026-11-03T12:00:00Z"),  # 2 days
        paper(2, "2026-11-10T00:00:00Z", read="2026-11-11T00:00:00Z"),  # 1 day
        paper(3, "2026-11-10T00:00:00Z", read="2026-11-20T00:00:00Z"),  # 10 days
        paper(4, "2026-11-20T00:00:00Z", read="2026-11-20T06:00:00Z"),  # a quarter of a day
        paper(5, "2026-09-01T00:00:00Z", read="2026-10-01T00:00:00Z"),  # read before the weeks
        paper(6, "2026-11-25T00:00:00Z", read="2026-11-24T00:00:00Z"),  # clocks disagreed
    ]
    stats = reading_stats(papers, AS_OF, weeks=4)
    assert stats.days_to_read == (0.0, 0.25, 1.0, 2.0, 10.0)
    assert stats.median_days_to_read == 1.0
    histogram = dict(stats.delay_histogram())
    assert list(histogram) == [label for *_, label in DELAY_BINS]
    assert (histogram["<1"], histogram["1"], histogram["2"], histogram["7-13"]) == (2, 1, 1, 1)
    assert sum(histogram.values()) == 5


def test_triaged_is_the_first_decision_the_marks_remember() -> None:
    marked = paper(
        1,
        "2026-11-01T09:00:00Z",
        priority=2,
        tags=["moe"],
        changed_at={
            "priority:2": stamp("2026-11-20T10:00:00Z"),
            "tag:moe": stamp("2026-11-05T10:00:00Z"),
        },
    )
    # An earlier readq kept one ISO time per field.
    legacy = paper(
        2, "2026-11-01T09:00:00Z", priority=3, changed_at={"priority": "2026-11-17T08:00:00Z"}
    )
    noted = paper(
        3,
        "2026-11-01T09:00:00Z",
        notes="good",
        note_versions=[{"stamp": stamp("2026-11-24T10:00:00Z"), "text": "good", "seen": {}}],
    )
    deleted = paper(4, "2026-11-01T09:00:00Z", deleted_at="2026-11-10T09:00:00Z")
    imported_tag = paper(5, "2026-11-01T09:00:00Z", tags=["ssm"])  # a feed's tag: no decision
    untouched = paper(6, "2026-11-01T09:00:00Z")
    assert triaged_at(marked) == datetime(2026, 11, 5, 10, tzinfo=UTC)
    assert triaged_at(legacy) == datetime(2026, 11, 17, 8, tzinfo=UTC)
    assert triaged_at(noted) == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert triaged_at(deleted) == datetime(2026, 11, 10, 9, tzinfo=UTC)
    assert triaged_at(imported_tag) is None and triaged_at(untouched) is None
    papers = [marked, legacy, noted, deleted, imported_tag, untouched]
    stats = reading_stats(papers, AS_OF, weeks=4)
    assert [w.triaged for w in stats.weeks] == [1, 1, 1, 1]
    assert stats.triaged == 4


def test_a_paper_that_arrived_read_was_triaged_as_it_was_read() -> None:
    arrived_read = paper(1, "2026-11-03T09:00:00Z", read="2026-11-03T09:00:00Z")
    assert triaged_at(arrived_read) == datetime(2026, 11, 3, 9, tzinfo=UTC)


def test_deleted_papers_arrived_and_were_triaged_but_leave_the_lists() -> None:
    papers = [
        paper(1, "2026-11-03T09:00:00Z", category="LG", authors=["Ada"], tags=["moe"]),
        paper(
            2,
            "2026-11-03T09:00:00Z",
            category="CV",
            authors=["Bo"],
            deleted_at="2026-11-16T09:00:00Z",
            changed_at={"deleted": stamp("2026-11-16T09:00:00Z")},
        ),
        # Deleted after as_of: still in the library on as_of.
        paper(3, "2026-11-03T09:00:00Z", category="CV", deleted_at="2026-12-20T09:00:00Z"),
    ]
    stats = reading_stats(papers, AS_OF, weeks=4)
    assert stats.arrived == 3 and [w.triaged for w in stats.weeks] == [0, 0, 1, 0]
    assert [w.backlog for w in stats.weeks] == [3, 3, 2, 2]
    assert stats.papers == 2
    assert stats.top_categories == (("CV", 1), ("LG", 1))
    assert stats.top_authors == (("Ada", 1),)


def test_top_lists_count_each_author_once_per_paper() -> None:
    papers = [
        paper(1, "2026-11-03T09:00:00Z", authors=["Ada Lovelace", "Ada Lovelace", "Bo"]),
        paper(2, "2026-11-03T09:00:00Z", authors=["Ada Lovelace"], tags=["moe", "rl"]),
        paper(
            3, "2026-11-03T09:00:00Z", authors=["[red]Mallory[/red]"], tags=["rl"], category="LG"
        ),
        paper(4, "2026-11-03T09:00:00Z", category=None),
    ]
    stats = reading_stats(papers, AS_OF, weeks=4, top=2)
    assert stats.top_authors == (("Ada Lovelace", 2), ("Bo", 1))  # ties by name
    assert stats.top_tags == (("rl", 2), ("moe", 1))
    assert stats.top_categories == (("LG", 1),)


def test_an_empty_library() -> None:
    stats = reading_stats([], AS_OF)
    assert len(stats.weeks) == 12 and stats.weeks[0].start == date(2026, 9, 7)
    assert (stats.arrived, stats.triaged, stats.read, stats.backlog) == (0, 0, 0, 0)
    assert stats.median_days_to_read is None and stats.days_to_read == ()
    assert stats.top_categories == stats.top_tags == stats.top_authors == ()
    assert all(n == 0 for _, n in stats.delay_histogram())


def test_papers_without_an_arrival_time_are_left_out_of_the_weeks() -> None:
    stats = reading_stats(
        [paper(1, ""), paper(2, "not a time", read="2026-11-10T09:00:00Z")], AS_OF
    )
    assert stats.arrived == stats.read == stats.backlog == 0
    assert stats.papers == 2


@pytest.mark.parametrize("weeks", [0, -1, 521])
def test_the_number_of_weeks_is_bounded(weeks: int) -> None:
    with pytest.raises(ValueError):
        reading_stats([], AS_OF, weeks=weeks)
