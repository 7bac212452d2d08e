"""How another machine's copy of a paper's user state combines with ours.

Both copies are read as marks and note versions (userstate.py), joined, and
the fields read off the result: what changes on our paper. The join keeps
every change of both, so merging one file twice, or two files in either
order, gives the same paper. A note both machines changed without seeing the
other's keeps both texts, each under a line naming its side as seen from
here (this machine, or the machine called X) and its time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from readq.model import Paper, ParsedPaper
from readq.userstate import join, shown, state_of


@dataclass(slots=True)
class FieldMerge:
    values: dict[str, Any] = field(default_factory=dict)  # what to set on our paper
    conflict: bool = False  # the note holds texts from two sides


def merge_user_state(
    ours: Paper, theirs: ParsedPaper, *, here: str = "", names: Mapping[str, str] | None = None
) -> FieldMerge:
    """The changes to make to ``ours`` so it holds every change of both copies.
    ``here``: this machine's id; ``names``: other machines' names by their ids
    (for the lines that name the sides of a note kept from both)."""
    mine = state_of(ours)
    joined = join(mine, state_of(theirs))
    fields = shown(joined)
    note = fields.note_text(here, names or {})
    status = ours.status.value
    read_at = fields.read_at or (ours.read_at if status == "read" else theirs.read_at)
    wanted: dict[str, Any] = {
        "status": fields.status,
        "read_at": read_at if fields.status == "read" else None,
        "priority": fields.priority,
        "tags": fields.tags,
        "notes": note,
        "deleted_at": fields.deleted_at,
        "note_versions": fields.note_versions,
        "changed_at": joined.marks,
    }
    current = {name: ours.stored(name) for name in wanted}
    if joined.marks == mine.marks and joined.notes == mine.notes:
        # Nothing new, though an earlier readq's times may read as these marks:
        # the paper is left as it is (a first sync of a library both machines
        # hold would otherwise write every paper).
        del wanted["changed_at"], wanted["note_versions"]
    merged = FieldMerge(conflict=len(joined.notes) > 1 and note != ours.notes)
    merged.values = {name: value for name, value in wanted.items() if current[name] != value}
    if fields.deleted_at is not None and ours.deleted_at is not None:
        merged.values.pop("deleted_at", None)  # deleted still: keep when it was
    return merged
