"""This machine as syncing knows it: a stable id that stamps its changes, and a
name people recognise it by (``readq sync --name laptop``).

Kept beside the library (``library.json.machine``): the id belongs to the
library on this machine, made the first time it changes anything.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from readq.errors import ReadqError
from readq.sanitize import clean_line
from readq.sidefile import beside, read_table, write_table

_TABLE: Final = "machine"
_ID: Final = re.compile(r"[0-9a-f]{8,32}")
NAME_LIMIT: Final = 40


@dataclass(frozen=True, slots=True)
class Machine:
    id: str
    name: str


def machine_file(library: Path) -> Path:
    return beside(library, "machine")


def this_machine(library: Path) -> Machine:
    """The library's machine, made and saved the first time. When the disk
    refuses, an id for this run alone: stamps only need to be unique, and the
    change being stamped goes on to say what the disk did."""
    known = read_machine(library)
    if known is not None:
        return known
    made = Machine(secrets.token_hex(4), _host_name())
    with contextlib.suppress(OSError):
        _save(library, made)
    return made


def read_machine(library: Path) -> Machine | None:
    documents = read_table(machine_file(library), _TABLE) or {}
    document = documents.get("1")
    if not isinstance(document, dict):
        return None
    ident, name = document.get("id"), document.get("name")
    if not isinstance(ident, str) or not _ID.fullmatch(ident) or not isinstance(name, str):
        return None
    return Machine(ident, clean_name(name) or ident)


def rename(library: Path, name: str, taken: Mapping[str, str] | None = None) -> Machine:
    """Give this machine a name; ReadqError for one that cannot be one, or that
    another machine has (``taken``: names by machine id)."""
    cleaned = clean_name(name)
    if not cleaned or cleaned != name.strip():
        raise ReadqError(
            f"a machine's name is one word of letters, digits, '-', '_' or '.' "
            f"(up to {NAME_LIMIT}), not {name[:60]!r}."
        )
    me = this_machine(library).id
    others = [ident for ident, other in (taken or {}).items() if other == cleaned and ident != me]
    if others:
        raise ReadqError(
            f"{cleaned} is the name of another machine ({others[0]}): notes kept from two "
            "sides would name both alike; choose another."
        )
    machine = Machine(me, cleaned)
    _save(library, machine)
    return machine


def new_id(library: Path) -> Machine:
    """A new id for this machine, its name kept: for one of two machines that
    share an id because one library was copied from the other."""
    machine = Machine(secrets.token_hex(4), this_machine(library).name)
    _save(library, machine)
    return machine


def clean_name(name: str) -> str:
    """A name as readq shows it: one word, no control characters, not too long."""
    word = clean_line(name).strip()
    if not word or len(word) > NAME_LIMIT or not re.fullmatch(r"[\w.-]+", word):
        return ""
    return word


def _host_name() -> str:
    return clean_name(socket.gethostname().split(".")[0]) or "this-machine"


def _save(library: Path, machine: Machine) -> None:
    write_table(machine_file(library), _TABLE, {"1": {"id": machine.id, "name": machine.name}})
