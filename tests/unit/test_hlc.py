"""Hybrid logical clocks: stamps only move forward, and pass what they observe."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readq.hlc import HybridClock, Stamp

WALL = st.integers(min_value=0, max_value=2**42)  # up to the year 2109
NODES = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=12)


def _clock(node: str, walls: list[int]) -> HybridClock:
    times = iter(walls)
    last = [0]

    def wall() -> int:
        last[0] = next(times, last[0])
        return last[0]

    return HybridClock(node, wall=wall)


@given(st.lists(WALL, min_size=1, max_size=40), NODES)
def test_stamps_always_increase_whatever_the_wall_clock_does(walls: list[int], node: str) -> None:
    clock = _clock(node, walls)
    stamps = [clock.now() for _ in walls]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@given(WALL, WALL, st.integers(0, 0xFFFF), NODES)
def test_a_change_after_observing_is_later_even_with_a_clock_behind(
    mine: int, theirs: int, counter: int, node: str
) -> None:
    clock = _clock("laptop", [mine])
    seen = Stamp(theirs, counter, node)
    clock.observe(seen)
    after = clock.now()
    assert (after.wall_ms, after.counter) > (seen.wall_ms, seen.counter)


@given(WALL, st.integers(0, 0xFFFF), NODES, WALL, st.integers(0, 0xFFFF), NODES)
def test_text_sorts_as_stamps_do_and_reads_back(
    wall_a: int, count_a: int, node_a: str, wall_b: int, count_b: int, node_b: str
) -> None:
    a, b = Stamp(wall_a, count_a, node_a), Stamp(wall_b, count_b, node_b)
    assert Stamp.parse(str(a)) == a
    if (a.wall_ms, a.counter) != (b.wall_ms, b.counter):
        assert (str(a) < str(b)) == (a < b)


def test_the_text_form() -> None:
    stamp = Stamp(1_796_228_400_123, 10, "laptop-3f9a")
    assert str(stamp) == "2026-12-02T16:20:00.123Z 000a laptop-3f9a"
    with pytest.raises(ValueError, match="not a clock stamp"):
        Stamp.parse("2026-12-02T16:20:00Z")
    with pytest.raises(ValueError, match="one word"):
        HybridClock("two words")


def test_a_full_millisecond_borrows_the_next() -> None:
    clock = _clock("n", [5])
    clock.observe(Stamp(5, 0xFFFF, "other"))
    assert clock.now() == Stamp(6, 0, "n")
