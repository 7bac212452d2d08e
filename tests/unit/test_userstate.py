"""The user's state as marks and note versions: merges that keep every change.

Histories on three machines with skewed clocks, exchanged in random orders:
the join is idempotent, commutative and associative, every machine ends
equal, and what the paper shows is what the latest change said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from readq.hlc import HybridClock
from readq.userstate import (
    CONFLICT_START,
    NoteVersion,
    UserState,
    join,
    order,
    render_note,
    shown,
    stamp_change,
)

MACHINES = ("aaaa0001", "bbbb0002", "cccc0003")
START_MS = 1_795_000_000_000  # late 2026


@dataclass
class FakePaper:
    """What stamp_change reads of a paper, made from a state."""

    status: str = "unread"
    priority: int = 0
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    changed_at: dict[str, str] = field(default_factory=dict)
    note_versions: list[dict[str, Any]] = field(default_factory=list)
    deleted_at: str | None = None


def paper_of(state: UserState) -> FakePaper:
    fields = shown(state)
    return FakePaper(
        status=fields.status,
        priority=fields.priority,
        notes=render_note(list(state.notes), "", {}),
        tags=fields.tags,
        changed_at=dict(state.marks),
        note_versions=fields.note_versions,
        deleted_at=fields.deleted_at,
    )


class Machine:
    """One machine's copy of one paper, with a clock that may be far off."""

    def __init__(self, node: str, skew_ms: int, log: list[tuple[str, str]] | None = None) -> None:
        self.wall = START_MS + skew_ms
        self.clock = HybridClock(node, wall=lambda: self.wall)
        self.state = UserState()
        self.log = log if log is not None else []  # (mark, stamp) of every change made

    def change(self, values: dict[str, Any]) -> None:
        self.wall += 1000
        paper = paper_of(self.state)
        marks, versions, _ = stamp_change(paper, values, self.clock)
        self.log.extend(
            (key, stamp) for key, stamp in marks.items() if self.state.marks.get(key) != stamp
        )
        notes = self.state.notes
        if versions is not None:
            notes = tuple(NoteVersion.from_json(version) for version in versions)
        self.state = UserState(marks, notes)

    def receive(self, other: UserState) -> None:
        self.wall += 1000
        self.state = join(self.state, other)


actions = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["read", "unread"])),
    st.tuples(st.just("priority"), st.integers(0, 3)),
    st.tuples(st.just("tag"), st.sampled_from(["moe", "nvidia", "to-read", "rl"])),
    st.tuples(st.just("untag"), st.sampled_from(["moe", "nvidia", "to-read", "rl"])),
    st.tuples(st.just("note"), st.text("abcxyz ", max_size=8)),
    st.tuples(st.just("delete"), st.booleans()),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("do"), st.integers(0, 2), actions),
        st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2)),
    ),
    max_size=30,
)
skews = st.tuples(*[st.integers(-3_600_000, 3_600_000) for _ in MACHINES])


def _values(machine: Machine, action: tuple[str, Any]) -> dict[str, Any]:
    what, value = action
    tags = shown(machine.state).tags
    if what == "tag":
        return {"tags": [*tags, value] if value not in tags else tags}
    if what == "untag":
        return {"tags": [t for t in tags if t != value]}
    if what == "note":
        return {"notes": value}
    if what == "delete":
        return {"deleted_at": "2026-12-02T00:00:00Z" if value else None}
    return {what: value}


def run(history: list[Any], skew: tuple[int, ...]) -> list[Machine]:
    log: list[tuple[str, str]] = []  # one for all three
    machines = [Machine(node, offset, log) for node, offset in zip(MACHINES, skew, strict=True)]
    for step in history:
        if step[0] == "do":
            machines[step[1]].change(_values(machines[step[1]], step[2]))
        elif step[1] != step[2]:
            machines[step[2]].receive(machines[step[1]].state)
    return machines


def same(first: UserState, second: UserState) -> bool:
    return first.marks == second.marks and first.notes == second.notes


@settings(max_examples=150, derandomize=True, deadline=None)
@given(history=steps, skew=skews)
def test_join_is_idempotent_commutative_and_associative(
    history: list[Any], skew: tuple[int, ...]
) -> None:
    a, b, c = (machine.state for machine in run(history, skew))
    assert same(join(a, a), a)
    assert same(join(a, b), join(b, a))
    assert same(join(join(a, b), c), join(a, join(b, c)))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(history=steps, skew=skews, order_seed=st.permutations([0, 1, 2]))
def test_machines_that_exchanged_everything_end_equal(
    history: list[Any], skew: tuple[int, ...], order_seed: list[int]
) -> None:
    machines = run(history, skew)
    for first in order_seed:  # two rounds in some order: everyone has seen everyone
        for machine in machines:
            machine.receive(machines[first].state)
    for machine in machines:
        for other in machines:
            machine.receive(other.state)
    states = [machine.state for machine in machines]
    assert all(same(state, states[0]) for state in states)
    assert len({repr(shown(state)) for state in states}) == 1
    # Every change is there, and the latest of each kind decides what shows.
    final = shown(states[0])
    latest: dict[str, tuple[Any, str]] = {}
    for key, stamp in machines[0].log:
        kind, _, value = key.partition(":")
        kind = {"untag": "tag", "restored": "deleted"}.get(kind, kind)
        slot = f"{kind}:{value}" if kind == "tag" else kind
        if slot not in latest or order(stamp) > order(latest[slot][1]):
            latest[slot] = (key, stamp)
        assert states[0].marks[key] == max((s for k, s in machines[0].log if k == key), key=order)
    if "status" in latest:
        assert final.status == latest["status"][0].partition(":")[2]
    if "priority" in latest:
        assert final.priority == int(latest["priority"][0].partition(":")[2])
    for slot, (key, _) in latest.items():
        if slot.startswith("tag:"):
            assert (slot.removeprefix("tag:") in final.tags) == key.startswith("tag:")


def test_tags_added_on_two_machines_are_all_kept() -> None:
    laptop, desktop = Machine(MACHINES[0], 0), Machine(MACHINES[1], -60_000)
    laptop.change({"tags": ["moe", "nvidia", "to-read"]})
    desktop.change({"tags": ["from-laptop"]})
    laptop.receive(desktop.state)
    desktop.receive(laptop.state)
    assert set(shown(laptop.state).tags) == {"moe", "nvidia", "to-read", "from-laptop"}
    assert shown(laptop.state).tags == shown(desktop.state).tags


def test_a_remove_after_seeing_an_add_wins_even_with_a_clock_an_hour_behind() -> None:
    ahead, behind = Machine(MACHINES[0], 3_600_000), Machine(MACHINES[1], 0)
    ahead.change({"tags": ["moe"]})
    behind.receive(ahead.state)
    behind.change({"tags": []})  # its wall clock says an hour earlier than the add
    ahead.receive(behind.state)
    assert shown(ahead.state).tags == []


def test_a_paper_changed_after_it_was_deleted_elsewhere_comes_back() -> None:
    one, two = Machine(MACHINES[0], 0), Machine(MACHINES[1], 0)
    one.change({"priority": 1})
    two.receive(one.state)
    one.change({"deleted_at": "2026-12-02T00:00:00Z"})
    assert shown(one.state).deleted_at is not None
    two.wall += 5000
    two.change({"priority": 3})  # later than the delete
    one.receive(two.state)
    assert shown(one.state).deleted_at is None and shown(one.state).priority == 3


def test_a_delete_after_every_change_stays_deleted_everywhere() -> None:
    one, two = Machine(MACHINES[0], 0), Machine(MACHINES[1], 0)
    two.change({"status": "read"})
    one.receive(two.state)
    one.change({"deleted_at": "2026-12-02T00:00:00Z"})
    two.receive(one.state)
    assert shown(two.state).deleted_at is not None


def test_notes_written_without_seeing_each_other_are_both_kept_and_named() -> None:
    laptop, desktop = Machine(MACHINES[0], 0), Machine(MACHINES[1], 0)
    laptop.change({"notes": "base"})
    desktop.receive(laptop.state)
    laptop.change({"notes": "base, laptop's idea"})
    desktop.change({"notes": "base, desktop's idea"})
    laptop.receive(desktop.state)
    names = {MACHINES[1]: "desktop"}
    note = render_note(list(laptop.state.notes), MACHINES[0], names)
    assert note.startswith(CONFLICT_START)
    assert "this machine" in note and "the machine called desktop" in note
    assert "laptop's idea" in note and "desktop's idea" in note and "\nbase\n" not in note
    # Editing the note after seeing both replaces both, on every machine.
    laptop.change({"notes": "merged by hand"})
    desktop.receive(laptop.state)
    assert render_note(list(desktop.state.notes), MACHINES[1], {}) == "merged by hand"


def test_a_note_only_added_to_on_one_side_is_no_conflict() -> None:
    one, two = Machine(MACHINES[0], 0), Machine(MACHINES[1], 0)
    one.change({"notes": "first"})
    two.receive(one.state)
    two.change({"notes": "first\n\nsecond"})
    one.receive(two.state)
    assert render_note(list(one.state.notes), MACHINES[0], {}) == "first\n\nsecond"


def test_earlier_readq_times_order_with_stamps() -> None:
    assert order("2026-11-29T09:00:00Z") < order("2026-11-29T09:00:00.001Z 0000 aaaa0001")
    assert order("not a time") < order("2026-11-29T09:00:00Z")
    assert order("2026-13-45T09:00:00Z") == (0, 0, "2026-13-45T09:00:00Z")
