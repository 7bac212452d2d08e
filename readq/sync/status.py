"""``readq sync --status``: this machine, and what each machine's file in the
folder says it last wrote, and when."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from readq.model import parse_iso_time
from readq.sanitize import clean_line
from readq.sync import files, machine, memory
from readq.sync.files import SyncFileError


def sync_status(library: Path, folder: Path) -> Iterator[str]:
    me = machine.read_machine(library)
    recalled = memory.recall(library, folder)
    who = f"{me.name} ({me.id})" if me else "not named yet (it is on its first change)"
    yield f"This machine: {who}, syncing through {folder}"
    if recalled.last_sync:
        yield f"  last synced {_local(recalled.last_sync)}: {clean_line(recalled.last_result)}"
    else:
        yield "  not synced through this folder yet: readq sync"
    paths = files.folder_files(folder)
    if not paths:
        yield "No machine has written to the folder yet."
        return
    yield "In the folder:"
    own = files.own_name(me) if me else None
    for path in paths:
        name = clean_line(path.name)
        try:
            sync_file = files.read_file(path)
        except SyncFileError as error:
            yield f"  {name}: {error}"
            continue
        header = sync_file.header
        whose = "this machine" if me and header.machine == me.id else header.name
        copy = (
            ""
            if path.name in (own, files.own_name(machine.Machine(header.machine, "")))
            else (" (a copy a sync tool made: merged too)")
        )
        seen = recalled.files.get(path.name)
        fresh = "" if path.name == own or (seen and seen.matches(path)) else ", not merged yet"
        yield (
            f"  {whose} ({header.machine}) wrote {_local(header.written_at)}: "
            f"{header.papers} papers{fresh} · {name}{copy}"
        )


def _local(stamp: str) -> str:
    moment = parse_iso_time(stamp)
    return (
        moment.astimezone().strftime("%Y-%m-%d %H:%M")
        if moment
        else (stamp or "at an unknown time")
    )
