"""The user's state of one paper as a value that merges without losing a change.

Every change a person makes is a *mark*: a key saying what happened and the
clock stamp (hlc.py) of when it last did::

    status:read      -> 2026-12-02T16:20:00.123Z 0000 3f9a2c1b
    priority:2       -> ...
    tag:moe, untag:moe
    deleted, restored

Two states merge by taking, key by key, the later stamp: a merge that is
idempotent, commutative and associative by construction, so machines that
exchange their states in any order, any number of times, end equal. What the
paper shows is read off the marks: the status and priority whose mark is the
latest, each tag whose ``tag:`` mark is later than its ``untag:`` mark (so
different tags from two machines are both kept, and an add and a remove of
one tag: the later wins), deleted while the ``deleted`` mark is later than
every other (a paper changed after it was deleted elsewhere comes back).

A note is text, not a choice between values: it is a set of versions, each
with the stamps of the versions it was written over (a version vector). A
version written over another replaces it; two written without seeing each
other are both kept, and the note shows both, each named by its machine and
time, until the user edits the note into one.

Marks live in ``Paper.changed_at``, versions in ``Paper.note_versions``. A
library of an earlier readq kept one time per field (``status``, ``tags``...):
those read as the marks of the values the paper holds.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from readq.hlc import HybridClock, Stamp

STATUS_MARK: Final = "status:"
PRIORITY_MARK: Final = "priority:"
TAG_MARK: Final = "tag:"
UNTAG_MARK: Final = "untag:"
DELETED_MARK: Final = "deleted"
RESTORED_MARK: Final = "restored"
# One time per field, as an earlier readq kept them.
_LEGACY_KEYS: Final = frozenset({"status", "priority", "notes", "tags"})
_ISO: Final = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{3}))?Z?(?: (.*))?")
NO_TIME: Final = ""  # a value the paper holds with no mark: older than any change

# The lines around each text of a note kept from two sides: plain paragraphs in
# Markdown (which the detail pane renders notes as), unlike git's <<< and >>>.
CONFLICT_START: Final = "——— "
CONFLICT_CLOSE: Final = " ———"
CONFLICT_END: Final = "——— {kept} kept: edit the note to keep one text ———"
_THIS_MACHINE: Final = "this machine"


@functools.lru_cache(maxsize=1 << 16)  # a merge compares each stamp several times
def order(stamp: str) -> tuple[int, int, str]:
    """How a stamp sorts: wall time, counter, machine. An earlier readq's ISO
    time (``2026-11-29T09:00:00Z``) sorts by its time; anything else first."""
    try:
        parsed = Stamp.parse(stamp)
    except ValueError:
        match = _ISO.fullmatch(stamp.strip())
        if match is None:
            return (0, 0, stamp)
        try:
            moment = datetime.fromisoformat(match[1] + "+00:00")
        except ValueError:  # 2026-13-40: no time at all
            return (0, 0, stamp)
        millis = int(match[2] or 0)
        return (int(moment.timestamp()) * 1000 + millis, 0, match[3] or "")
    return (parsed.wall_ms, parsed.counter, parsed.node)


_LATEST_MS: Final = 253_402_300_799_999 - 86_400_000  # a day before 10000-01-01
_TAG: Final = re.compile(r"[^\s+#]\S*")  # a tag as readq makes them: one word, lower case
_KEYS: Final = frozenset({"status", "priority", "notes", "tags", DELETED_MARK, RESTORED_MARK})


def valid_stamp(stamp: str) -> bool:
    """A stamp, or an earlier readq's time, that the clocks can order and count on from."""
    wall = order(stamp)[0]
    return stamp == NO_TIME or 0 < wall <= _LATEST_MS


def valid_mark(key: str) -> bool:
    """A mark this readq knows: status:read, priority:2, tag:moe, deleted, ..."""
    if key in _KEYS:
        return True
    kind, _, value = key.partition(":")
    if kind == "status":
        return value in ("read", "unread")
    if kind == "priority":
        return value in ("0", "1", "2", "3")
    if kind in ("tag", "untag"):
        return bool(_TAG.fullmatch(value)) and value == value.lower()
    return False


def later(first: str, second: str) -> str:
    return first if (order(first), first) >= (order(second), second) else second


def wall_time(stamp: str) -> str | None:
    """The stamp's wall time as the library writes times (seconds, UTC)."""
    millis = order(stamp)[0]
    return _second_text(millis // 1000) if millis else None


@functools.lru_cache(maxsize=1024)  # a bulk change stamps thousands in one second
def _second_text(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_of(stamp: str) -> str:
    return order(stamp)[2]


@dataclass(frozen=True, slots=True)
class NoteVersion:
    stamp: str  # when it was written, and where (the stamp's machine)
    text: str
    seen: Mapping[str, str]  # machine -> the latest of its versions this one was written over

    @property
    def node(self) -> str:
        return node_of(self.stamp)

    def replaces(self, other: NoteVersion) -> bool:
        """This version was written over ``other`` (or over a later one of its machine)."""
        if other.stamp == self.stamp:
            return False
        seen = self.seen.get(other.node)
        return seen is not None and order(seen) >= order(other.stamp)

    def to_json(self) -> dict[str, Any]:
        return {"stamp": self.stamp, "text": self.text, "seen": dict(sorted(self.seen.items()))}

    @classmethod
    def from_json(cls, value: Any) -> NoteVersion:
        """A version as to_json wrote it; TypeError/ValueError for anything else."""
        if not isinstance(value, dict):
            raise TypeError("a note version is not an object")
        stamp, text, seen = value.get("stamp"), value.get("text"), value.get("seen")
        if not isinstance(stamp, str) or not isinstance(text, str) or not isinstance(seen, dict):
            raise TypeError("a note version lacks its stamp, text or seen")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in seen.items()):
            raise TypeError("a note version's seen is not text")
        return cls(stamp, text, dict(seen))


class HasState(Protocol):
    """What a Paper and a ParsedPaper both have (a ParsedPaper's may be None)."""

    @property
    def status(self) -> Any: ...
    @property
    def priority(self) -> int | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def tags(self) -> list[str] | None: ...
    @property
    def changed_at(self) -> dict[str, str] | None: ...
    @property
    def note_versions(self) -> list[dict[str, Any]] | None: ...
    @property
    def deleted_at(self) -> str | None: ...


@dataclass(slots=True)
class UserState:
    marks: dict[str, str] = field(default_factory=dict)
    notes: tuple[NoteVersion, ...] = ()  # none replaces another; sorted by stamp

    def latest(self) -> str:
        """The latest stamp of anything but a deletion."""
        stamps = [s for k, s in self.marks.items() if k not in (DELETED_MARK, RESTORED_MARK)]
        stamps += [version.stamp for version in self.notes]
        return max(stamps, key=order, default=NO_TIME)

    def newest(self) -> str:
        """The latest stamp of all."""
        return max([*self.marks.values(), *(v.stamp for v in self.notes)], key=order, default="")


def state_of(paper: HasState) -> UserState:
    """The marks and note versions a paper holds, an earlier readq's times read
    as marks of its values (a value with no time at all: NO_TIME)."""
    times = paper.changed_at or {}
    marks = {key: stamp for key, stamp in times.items() if key not in _LEGACY_KEYS}
    status = paper.status.value if hasattr(paper.status, "value") else paper.status
    if status is not None and (status != "unread" or "status" in times):
        _unmarked(marks, STATUS_MARK, status, times.get("status", NO_TIME))
    if paper.priority is not None and (paper.priority or "priority" in times):
        _unmarked(marks, PRIORITY_MARK, str(paper.priority), times.get("priority", NO_TIME))
    for tag in paper.tags or ():
        if TAG_MARK + tag not in marks:
            marks[TAG_MARK + tag] = times.get("tags", NO_TIME)
    if paper.deleted_at is not None and DELETED_MARK not in marks:
        marks[DELETED_MARK] = paper.deleted_at
    versions = [NoteVersion.from_json(v) for v in paper.note_versions or ()]
    if not versions and (paper.notes or "notes" in times):
        versions = [_legacy_version(paper.notes or "", times.get("notes", NO_TIME))]
    return UserState(marks, _antichain(versions))


def note_versions_of(paper: HasState) -> list[dict[str, Any]]:
    """The note's versions as a paper holds them now (an earlier readq's note as
    one): what an editor opened on it starts from (Library.set_note's based_on)."""
    return [version.to_json() for version in state_of(paper).notes]


def _unmarked(marks: dict[str, str], prefix: str, value: str, stamp: str) -> None:
    """The value the paper holds, marked when no mark of its kind says otherwise."""
    if not any(key.startswith(prefix) for key in marks):
        marks[prefix + value] = stamp


def _legacy_version(text: str, time: str) -> NoteVersion:
    """A note of an earlier readq: a version of its own, named by its time and
    text, so that one note met on two machines is one version."""
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    stamp = f"{time or '1970-01-01T00:00:00Z'} legacy-{digest}"
    return NoteVersion(stamp, text, {f"legacy-{digest}": stamp})


def join(first: UserState, second: UserState) -> UserState:
    """The state that holds every change of both."""
    marks = dict(first.marks)
    for key, stamp in second.marks.items():
        mine = marks.get(key)
        marks[key] = stamp if mine is None else later(mine, stamp)
    return UserState(marks, _antichain([*first.notes, *second.notes]))


def _antichain(versions: Iterable[NoteVersion]) -> tuple[NoteVersion, ...]:
    """The versions no other replaces, one per stamp, by stamp."""
    versions = list(versions)
    if len(versions) < 2:
        return tuple(versions)
    unique: dict[str, NoteVersion] = {}
    for version in versions:
        known = unique.get(version.stamp)
        if known is None or (version.text, sorted(version.seen.items())) > (
            known.text,
            sorted(known.seen.items()),
        ):
            unique[version.stamp] = version  # one stamp, two texts: never made, but decided
    kept = [v for v in unique.values() if not any(o.replaces(v) for o in unique.values())]
    return tuple(sorted(kept, key=lambda v: (order(v.stamp), v.stamp)))


# --- what a state shows --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """The paper's fields as a state has them."""

    status: str
    read_at: str | None
    priority: int
    tags: list[str]
    deleted_at: str | None
    note_versions: list[dict[str, Any]]

    def note_text(self, here: str, names: Mapping[str, str]) -> str:
        return render_note([NoteVersion.from_json(v) for v in self.note_versions], here, names)


def shown(state: UserState) -> Shown:
    """Read the fields off the marks. Tags come in the order they were added
    (tags of an earlier readq, which share one time, by name)."""
    status_mark = _winner(state.marks, STATUS_MARK)
    status = status_mark[0] if status_mark and status_mark[0] == "read" else "unread"
    read_at = wall_time(status_mark[1]) if status_mark and status == "read" else None
    priority_mark = _winner(state.marks, PRIORITY_MARK)
    chosen = priority_mark[0] if priority_mark else "0"
    priority = int(chosen) if chosen in ("0", "1", "2", "3") else 0
    present = []
    for key, stamp in state.marks.items():
        if not key.startswith(TAG_MARK):
            continue
        tag = key.removeprefix(TAG_MARK)
        if not valid_mark(key):
            continue  # never made by readq: the files are checked as they are read
        removed = state.marks.get(UNTAG_MARK + tag)
        if removed is None or (order(stamp), stamp) > (order(removed), removed):
            present.append((order(stamp), tag))
    deleted = state.marks.get(DELETED_MARK)
    restored = state.marks.get(RESTORED_MARK, NO_TIME)
    gone = (
        deleted is not None
        and order(deleted) > order(restored)
        and order(deleted) >= order(state.latest())
    )
    return Shown(
        status=status,
        read_at=read_at,
        priority=min(priority, 3),
        tags=[tag for *_, tag in sorted(present)],
        deleted_at=(wall_time(deleted) or deleted) if gone and deleted is not None else None,
        note_versions=[version.to_json() for version in state.notes],
    )


def _winner(marks: Mapping[str, str], prefix: str) -> tuple[str, str] | None:
    """(value, stamp) of the latest mark of one kind."""
    best: tuple[tuple[int, int, str], str, str] | None = None
    for key, stamp in marks.items():
        if key.startswith(prefix):
            candidate = (order(stamp), stamp, key)
            if best is None or candidate > best:
                best = candidate
    return (best[2].removeprefix(prefix), best[1]) if best else None


def render_note(versions: list[NoteVersion], here: str, names: Mapping[str, str]) -> str:
    """The note as the user reads it: its one text, or every text kept, each under
    a line naming its side (this machine, or the machine called X) and time."""
    if not versions:
        return ""
    if len(versions) == 1:
        return versions[0].text
    parts = []
    for version in versions:
        when = _when(version.stamp)
        parts.append(f"{CONFLICT_START}{side(version.node, here, names)}, {when}{CONFLICT_CLOSE}")
        parts.append(version.text)
    parts.append(CONFLICT_END.format(kept="both" if len(versions) == 2 else f"all {len(versions)}"))
    return "\n\n".join(parts)


def neutral_sides(text: str, name: str) -> str:
    """A note saved with the lines render_note wrote still in it: "this machine"
    named as the others would read it (the text travels to them as it is)."""
    if CONFLICT_START not in text:
        return text
    here = f"{CONFLICT_START}{_THIS_MACHINE}, "
    lines = text.split("\n")
    named = f"{CONFLICT_START}the machine called {name}, "
    return "\n".join(named + line[len(here) :] if line.startswith(here) else line for line in lines)


def side(node: str, here: str, names: Mapping[str, str]) -> str:
    if node == here:
        return _THIS_MACHINE
    if node.startswith("legacy-"):
        return "an earlier note"
    name = names.get(node)
    return f"the machine called {name}" if name else f"the machine {node}"


def _when(stamp: str) -> str:
    millis = order(stamp)[0]
    if not millis:
        return "time unknown"
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- a change made here ------------------------------------------------------------


def stamp_change(
    paper: HasState,
    values: Mapping[str, Any],
    shared_clock: HybridClock,
    note_base: Iterable[dict[str, Any]] | None = None,
) -> tuple[dict[str, str], list[dict[str, Any]] | None, str | None]:
    """The marks (and note versions, when the note changes) after the user set
    ``values`` (status, priority, tags, notes, deleted_at) on ``paper``, and the
    read time a status of read carries. Each stamp is later than everything the
    paper holds, whatever this machine's wall clock says. ``note_base``: the
    versions the new note was written over (default: all the paper holds);
    others stay beside it."""
    state = state_of(paper)
    # A clock for this change alone, later than this machine's and than anything
    # the paper holds: a stamp far in the future on one paper (another machine's
    # clock was wrong) orders that paper's changes, and leaves every other
    # paper's stamps at this machine's time.
    clock = HybridClock(shared_clock.node, wall=lambda: 0)  # counts on from what it saw
    clock.observe(shared_clock.now())
    newest = state.newest()
    if newest:
        wall, counter, _ = order(newest)  # an earlier readq's time too
        clock.observe(Stamp(wall, counter, clock.node))
    marks = dict(state.marks)
    read_at: str | None = None
    if "status" in values:
        now = str(clock.now())
        marks[STATUS_MARK + str(values["status"])] = now
        read_at = wall_time(now) if values["status"] == "read" else None
    if "priority" in values:
        marks[PRIORITY_MARK + str(values["priority"])] = str(clock.now())
    if "tags" in values:
        old, new = list(paper.tags or ()), list(values["tags"])
        for tag in new:
            if tag not in old:
                marks[TAG_MARK + tag] = str(clock.now())  # one each: the order they were added
        for tag in old:
            if tag not in new:
                marks[UNTAG_MARK + tag] = str(clock.now())
    if "deleted_at" in values:
        key = DELETED_MARK if values["deleted_at"] is not None else RESTORED_MARK
        marks[key] = str(clock.now())
    versions: list[dict[str, Any]] | None = None
    if "notes" in values:
        now = str(clock.now())
        seen: dict[str, str] = {}
        base = state.notes if note_base is None else map(NoteVersion.from_json, note_base)
        for version in base:
            for node, stamp in version.seen.items():
                seen[node] = later(seen.get(node, stamp), stamp)
        seen[clock.node] = now
        written = NoteVersion(now, values["notes"], seen)
        versions = [version.to_json() for version in _antichain([*state.notes, written])]
    return marks, versions, read_at
