"""The library on disk: a manifest and the segments it names.

Rewriting a 180 MB library (100,000 papers) for every import made every change
cost what the library costs. So the papers live in segments, files that are
written once and never changed, and ``library.json`` is only the manifest that
names them, replaced atomically::

    library.json                    meta: schema_version, generation, seq, next_id, segments
    library.json.d/g3-000000.json   the base: every paper, as of the last compaction
    library.json.d/g3-000001.json   the papers one import, merge or fold changed
    library.json.d/g3-000002.json   ...

Every file is a TinyDB database; segments are in readq's line layout with the
papers in id order (snapshotfile.py), so that one paper can be found without
reading the rest. A paper in a later segment replaces the same paper in
earlier ones; the manifest's seq is the last journal record the segments hold.
Replacing the manifest is the moment a change becomes the library's: a crash
before it leaves a segment no manifest names, which the next writer removes.

Now and then the papers are written into one new base (compaction), with the
generation one higher. Because segments are replaced, never written in place
(and are read-only files), a backup is hard links to them plus a copy of the
manifest: ten backups of a library that gains a few papers a day take little
more than the library itself (see backups.py).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from readq import fields, identityfile, snapshotfile
from readq.atomicfile import atomic_write, atomic_write_chunks, followed, temp_writer
from readq.errors import LibraryDamaged

FOLDER_SUFFIX: Final = ".d"
_NAME: Final = re.compile(r"g(?P<generation>\d+)-(?P<number>\d{6,})\.json")
# Beside each segment, the identity index's entries it added (see identity_name)
# and the field index of its papers (fields.py): caches of what it holds.
_IDENTITY_SUFFIX: Final = ".identity.json"
_COMPANION_SUFFIXES: Final = (_IDENTITY_SUFFIX, fields.SUFFIX, fields.SEARCH_SUFFIX)
# A manifest names a few dozen segments; a first line longer than this is a
# library file of the older, one-file layout (read whole, then migrated).
_LONGEST_MANIFEST: Final = 64 * 1024
_READ_ONLY: Final = 0o444


def folder(library: Path) -> Path:
    """The segments' folder, beside the library file (beside the file a symbolic
    link names, so that the library moves as one with it)."""
    library = followed(library)
    return library.with_name(library.name + FOLDER_SUFFIX)


@dataclass(slots=True)
class Manifest:
    schema_version: int
    generation: int
    seq: int  # the last journal record the segments hold
    next_id: int
    segments: list[str] = field(default_factory=list)  # names in folder(), the base first

    def next_name(self) -> str:
        numbers = [int(m["number"]) for n in self.segments if (m := _NAME.fullmatch(n))]
        return segment_name(self.generation, max(numbers, default=-1) + 1)


def segment_name(generation: int, number: int) -> str:
    return f"g{generation}-{number:06d}.json"


def identity_name(segment: str) -> str:
    """``g3-000001.identity.json`` beside ``g3-000001.json``: the identity index
    (key -> paper id, see Library._identity_index) as it changed with that
    segment, the whole index beside a base. With them an import finds which
    papers it meets without reading the library."""
    return segment.removesuffix(".json") + _IDENTITY_SUFFIX


def companions(segment: str) -> list[str]:
    """The files beside a segment that go (and are backed up) with it."""
    return [identity_name(segment), fields.name_for(segment), fields.search_name_for(segment)]


def write_identity(library: Path, segment: str, entries: Mapping[str, int]) -> None:
    path = folder(library) / identity_name(segment)
    atomic_write(path, identityfile.dumps(entries))
    with contextlib.suppress(OSError):
        path.chmod(_READ_ONLY)


def has_identity(library: Path, names: list[str]) -> bool:
    """Whether every segment of ``names`` has its identity index file."""
    return all((folder(library) / identity_name(name)).is_file() for name in names)


def read_identity(
    library: Path, names: list[str], keys: Collection[str] | None = None
) -> dict[str, int] | None:
    """The identity index of the segments ``names``, later entries winning: all of
    it, or with ``keys`` their entries alone, each found by bisecting
    (identityfile.find). None when one of them has no index file (written by a
    readq before them, or lost) or a damaged one: the caller then reads papers."""
    index: dict[str, int] = {}
    for name in names:
        path = folder(library) / identity_name(name)
        try:
            entries = (
                identityfile.read_all(path.read_bytes())
                if keys is None
                else identityfile.find(path, keys)
            )
        except FileNotFoundError:
            return None
        if entries is None:
            return None  # a cache of what the papers say: they are read instead
        index.update(entries)
    return index


def read_manifest(library: Path) -> Manifest | None:
    """``library.json`` as a manifest; None when there is no such file or it is a
    library file of its own (the layout before segments). LibraryDamaged for a
    manifest that cannot be trusted: it would hide the papers of its segments."""
    try:
        with library.open("rb") as file:
            first = file.readline(_LONGEST_MANIFEST)
    except FileNotFoundError:
        return None
    try:
        (meta,) = orjson.loads(first)[snapshotfile.META].values()
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None  # not a manifest: the whole read says what it is
    if not isinstance(meta, dict) or "segments" not in meta:
        return None
    try:
        manifest = Manifest(
            _number(meta["schema_version"]),
            _number(meta["generation"]),
            _number(meta["seq"]),
            _number(meta["next_id"]),
            list(meta["segments"]),
        )
        if (
            not manifest.segments
            or not all(isinstance(n, str) and _NAME.fullmatch(n) for n in manifest.segments)
            or len(set(manifest.segments)) != len(manifest.segments)
        ):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise LibraryDamaged(f"the library {library} is damaged (its list of segments)") from None
    return manifest


def write_manifest(library: Path, manifest: Manifest) -> None:
    meta = {
        "schema_version": manifest.schema_version,
        "generation": manifest.generation,
        "seq": manifest.seq,
        "next_id": manifest.next_id,
        "segments": manifest.segments,
    }
    atomic_write(library, orjson.dumps({snapshotfile.META: {"1": meta}}) + b"\n")


def write_segment(
    library: Path, name: str, records: Mapping[int, Mapping[str, Any]], meta: Mapping[str, Any]
) -> None:
    """A new segment holding ``records``, durable (and read-only) before it returns."""
    folder(library).mkdir(exist_ok=True)
    path = folder(library) / name
    if isinstance(records, fields.MakesColumns):
        atomic_write_chunks(path, snapshotfile.chunks(meta, records))
        columns = records.field_columns()
    else:
        index = fields.Columns()
        atomic_write_chunks(path, snapshotfile.chunks(meta, records, index.add))
        columns = index.columns
    # Read-only: a tool that writes files in place (an editor keeping hard links,
    # TinyDB opened for writing) is refused rather than changing every backup.
    with contextlib.suppress(OSError):
        path.chmod(_READ_ONLY)
    index_file = folder(library) / fields.name_for(name)
    fields.write_columns(index_file, columns, path.stat().st_size)


def index_fields(library: Path, name: str) -> bool:
    """Give the segment ``name`` a field index if it has none that is its own (one
    written before the index, or lost): its records read once, as they are.
    Whether it wrote one."""
    path = folder(library) / name
    size = path.stat().st_size
    if fields.is_of(folder(library) / fields.name_for(name), size):
        return False
    index = fields.Columns()
    for paper_id, record in read_segment(library, name):
        index.add(paper_id, record)
    fields.write_columns(folder(library) / fields.name_for(name), index.columns, size)
    return True


def read_fields(
    library: Path, names: list[str], *, search: bool = False
) -> dict[int, fields.Row] | None:
    """The field index of the segments ``names``, a later one's rows winning (with
    ``search``, SearchRows); None when one has none (see fields.read)."""
    rows: dict[int, fields.Row] = {}
    for name in names:
        try:
            size = (folder(library) / name).stat().st_size
        except OSError:
            return None
        found = fields.read(folder(library) / fields.name_for(name), size, search=search)
        if found is None:
            return None
        rows.update(found)
    return rows


@contextlib.contextmanager
def opened_segment(library: Path, name: str) -> Iterator[Any]:
    """The segment's file, past its meta line. FileNotFoundError when it is gone (a
    reader then reads again: a compaction removed it); LibraryDamaged when it is
    not a segment."""
    path = folder(library) / name
    with path.open("rb") as file:
        try:
            snapshotfile.read_meta(file)
        except snapshotfile.NotLineLayout:
            raise damaged(path) from None
        yield file


def read_segment(library: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, record) of each paper in the segment (see opened_segment)."""
    with opened_segment(library, name) as file:
        yield from papers_of(file, folder(library) / name)


def papers_of(
    file: Any, path: Path, stored: snapshotfile.StoreText | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        yield from snapshotfile.read_papers(file, stored)
    except snapshotfile.NotLineLayout:
        raise damaged(path) from None


def damaged(path: Path) -> LibraryDamaged:
    return LibraryDamaged(f"the library's segment {path} is damaged")


def segment_bytes(library: Path, names: list[str]) -> int:
    total = 0
    for name in names:
        with contextlib.suppress(OSError):
            total += (folder(library) / name).stat().st_size
    return total


def remove_unnamed(library: Path, manifest: Manifest | None) -> None:
    """Delete temporary files of killed writers and the segments ``manifest`` has
    left behind: those of older generations (a compaction retired them) and
    those of its own it does not name (a write cut short before its manifest, or
    segments folded into a later one). Nothing else: segments of a newer
    generation (a library.json put back from elsewhere?) stay, as does anything
    that is not a segment. With no manifest, only temporary files go. Backups
    hold their own hard links, so they keep what is removed here."""
    try:
        entries = list(folder(library).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return
    live = set(manifest.segments) if manifest else set()
    live |= {companion for name in live for companion in companions(name)}
    for path in entries:
        found = _NAME.fullmatch(_segment_of(path.name))
        if temp_writer(path.name) is not None:
            left_behind = True
        elif found is None or manifest is None or path.name in live:
            left_behind = False
        else:
            # Of its generation, not named: after its last (a write cut short before
            # its manifest) or before (folded into a later segment).
            generation = int(found["generation"])
            left_behind = generation <= manifest.generation
        if left_behind:
            with contextlib.suppress(OSError):
                path.unlink()


def segment_files(library: Path) -> list[Path]:
    """The segments and their companion files in the folder, named or not."""
    try:
        entries = list(folder(library).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [path for path in entries if _NAME.fullmatch(_segment_of(path.name))]


def highest_generation(library: Path) -> int:
    """The highest generation of any segment in the folder (0 when there is none): a
    new base takes a higher one, so that it never replaces a file already there."""
    found = [_NAME.fullmatch(_segment_of(path.name)) for path in segment_files(library)]
    return max((int(m["generation"]) for m in found if m), default=0)


def _segment_of(name: str) -> str:
    """The segment a file in the folder belongs to: itself, or the one a companion
    file (companions()) is beside."""
    for suffix in _COMPANION_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix) + ".json"
    return name


def _number(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError
    return value
