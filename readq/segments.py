"""Segments: the papers changed since the library file was last written whole.

Rewriting ``library.json`` (the base) costs what the library costs: 180 MB at
100,000 papers. So an import, a merge or a fold of the journal writes only the
papers it changed, as a new segment that is never rewritten, and then replaces
the manifest that names the live segments, in order::

    library.json                    base   meta: schema_version, seq, next_id, generation
    library.json.segments           manifest   meta: generation, seq, next_id, segments
    library.json.d/g3-000001.json   a segment   meta: schema_version, generation
                                               papers: the changed papers, whole

Every file is a TinyDB database in readq's line layout (snapshotfile.py). A
paper in a later segment replaces the same paper in earlier ones and in the
base; the manifest's seq and next_id replace the base's. Replacing the manifest
is the moment a change becomes the library's; a crash before it leaves a
segment nobody names, which the next writer removes.

Now and then the base is written whole again with everything (compaction), and
its ``generation`` goes up by one: a manifest of an older generation is stale
(a compaction was cut short before it removed the manifest) and is ignored.
Because a base and a segment are only ever replaced by rename, never changed
in place, a backup can be made of hard links to them (see backups.py).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq import snapshotfile
from readq.atomicfile import atomic_write, atomic_write_chunks, temp_writer
from readq.errors import LibraryDamaged

MANIFEST_SUFFIX: Final = ".segments"
FOLDER_SUFFIX: Final = ".d"
_NAME: Final = re.compile(r"g(?P<generation>\d+)-(?P<number>\d{6,})\.json")
_LONGEST_MANIFEST: Final = 16 * 1024 * 1024


def manifest_path(library: Path) -> Path:
    return library.with_name(library.name + MANIFEST_SUFFIX)


def folder(library: Path) -> Path:
    return library.with_name(library.name + FOLDER_SUFFIX)


@dataclass(slots=True)
class Manifest:
    generation: int  # of the base it goes with
    seq: int  # the last journal record the segments hold
    next_id: int
    segments: list[str] = field(default_factory=list)  # names in folder(), oldest first

    def next_name(self) -> str:
        numbers = [int(m["number"]) for n in self.segments if (m := _NAME.fullmatch(n))]
        return f"g{self.generation}-{max(numbers, default=0) + 1:06d}.json"


def read_manifest(library: Path) -> Manifest | None:
    """The manifest beside ``library``, None when there is none; LibraryDamaged when
    it cannot be trusted (it would silently hide the papers of its segments)."""
    path = manifest_path(library)
    try:
        with path.open("rb") as file:
            data = file.read(_LONGEST_MANIFEST + 1)
    except FileNotFoundError:
        return None
    try:
        (meta,) = orjson.loads(data)[snapshotfile.META].values()
        manifest = Manifest(
            _number(meta["generation"]),
            _number(meta["seq"]),
            _number(meta["next_id"]),
            list(meta["segments"]),
        )
        if not all(isinstance(n, str) and _NAME.fullmatch(n) for n in manifest.segments):
            raise ValueError
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise LibraryDamaged(f"the library's manifest {path} is damaged") from None
    return manifest


def write_manifest(library: Path, manifest: Manifest) -> None:
    meta = {
        "generation": manifest.generation,
        "seq": manifest.seq,
        "next_id": manifest.next_id,
        "segments": manifest.segments,
    }
    atomic_write(manifest_path(library), orjson.dumps({snapshotfile.META: {"1": meta}}) + b"\n")


def remove_manifest(library: Path) -> None:
    manifest_path(library).unlink(missing_ok=True)


def write_segment(
    library: Path, name: str, records: Mapping[int, Mapping[str, Any]], meta: Mapping[str, Any]
) -> None:
    """A new segment holding ``records``, durable before it returns."""
    folder(library).mkdir(exist_ok=True)
    atomic_write_chunks(folder(library) / name, snapshotfile.chunks(meta, records))


def read_segment(library: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, record) of each paper in the segment. FileNotFoundError when it is gone
    (a reader then reads again: a compaction removed it); LibraryDamaged when it
    is not a whole segment."""
    path = folder(library) / name
    with path.open("rb") as file:
        try:
            snapshotfile.read_meta(file)
            yield from snapshotfile.read_papers(file)
        except snapshotfile.NotLineLayout:
            raise LibraryDamaged(f"the library's segment {path} is damaged") from None


def segment_bytes(library: Path, manifest: Manifest | None) -> int:
    total = 0
    for name in manifest.segments if manifest else ():
        with contextlib.suppress(OSError):
            total += (folder(library) / name).stat().st_size
    return total


def remove_unnamed(library: Path, manifest: Manifest | None) -> None:
    """Delete the segments ``manifest`` does not name (a compaction's leftovers, a
    write cut short) and temporary files of killed writers. Only segment names
    are touched: anything else in the folder is left alone. Backups hold their
    own hard links, so they keep what is removed here."""
    live = set(manifest.segments) if manifest else set()
    try:
        entries = list(folder(library).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return
    for path in entries:
        ours = _NAME.fullmatch(path.name) is not None or temp_writer(path.name) is not None
        if ours and path.name not in live:
            with contextlib.suppress(OSError):
                path.unlink()


def _number(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError
    return value
