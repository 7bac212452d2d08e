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
    own = {files.own_name(me), files.base_name(me)} if me else set()
    for path in paths:
        name = clean_line(path.name)
        try:
            sync_file = files.read_file(path)
        except SyncFileError as error:
            yield f"  {name}: {error}"
            continue
        header = sync_file.header
        whose = "this machine" if me and header.machine == me.id else header.name
        writer = machine.Machine(header.machine, "")
        if path.name == files.base_name(writer):
            role = " (its base)"
        elif path.name == files.own_name(writer):
            role = ""
        else:
            role = " (a copy a sync tool made: merged too)"
        seen = recalled.files.get(path.name)
        fresh = "" if path.name in own or (seen and seen.matches(path)) else ", not merged yet"
        yield (
            f"  {whose} ({header.machine}) wrote {_local(header.written_at)}: "
            f"{_papers(header.papers)}{fresh} · {name}{role}"
        )


def _local(stamp: str) -> str:
    moment = parse_iso_time(stamp)
    return (
        moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        if moment
        else (stamp or "at an unknown time")
    )


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"
