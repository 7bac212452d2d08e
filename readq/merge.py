"""How two copies of one paper's user state combine: field by field, newer wins.

Each user field (status, priority, notes, tags) carries the time it last
changed. The newer change wins; equal times fall back to comparing the
values, so that merging A into B and B into A give the same result. Notes
changed on both sides, neither containing the other, keep both texts under a
visible marker: a note is never silently dropped. Because a merged note
contains the other side's text, merging the same file twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from readq.model import USER_FIELDS, Paper, ParsedPaper, Status

CONFLICT_MARKER = "<<<<<<< kept from the other machine ({when})"


@dataclass(slots=True)
class FieldMerge:
    values: dict[str, Any] = field(default_factory=dict)  # what to set on our paper
    conflict: bool = False


def merge_user_state(ours: Paper, theirs: ParsedPaper) -> FieldMerge:
    """The changes to make to ``ours`` so it holds the newer of each field."""
    merged = FieldMerge()
    their_times = theirs.changed_at or {}
    times = dict(ours.changed_at)
    for name in USER_FIELDS:
        mine, other = ours.stored(name), _their_value(theirs, name)
        my_time, their_time = ours.changed_at.get(name, ""), their_times.get(name, "")
        if other is None:
            continue
        if mine == other:
            times[name] = max(my_time, their_time)  # both copies end with the same clock
            continue
        if name == "notes":
            text, conflict = _merge_notes(mine, other, my_time, their_time)
            merged.conflict |= conflict
            if text == mine:
                continue
            merged.values["notes"] = text
            times["notes"] = max(my_time, their_time)
            continue
        if (their_time, _order(other)) > (my_time, _order(mine)):
            merged.values[name] = other
            times[name] = their_time
            if name == "status":
                merged.values["read_at"] = theirs.read_at if other == Status.READ else None
    if merged.values or times != ours.changed_at:
        merged.values["changed_at"] = times
    return merged


def _their_value(theirs: ParsedPaper, name: str) -> Any:
    value = getattr(theirs, name)
    return value.value if isinstance(value, Status) else value


def _order(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _merge_notes(mine: str, other: str, my_time: str, their_time: str) -> tuple[str, bool]:
    if not other or other in mine:
        return mine, False
    if not mine or mine in other:
        return other, False  # the other side only added to the note
    if (their_time, other) > (my_time, mine):
        newer, older, when = other, mine, my_time
    else:
        newer, older, when = mine, other, their_time
    marker = CONFLICT_MARKER.format(when=when or "unknown time")
    return f"{newer}\n\n{marker}\n{older}", True
