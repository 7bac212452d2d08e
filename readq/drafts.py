"""Unsaved note drafts, kept on disk so that a crash or a closed terminal loses none.

One small TinyDB database beside the library holds a document per draft, its
id the paper's: ``{"_default": {"12": {"text": "..."}}}``. It is rewritten
atomically on every edit: a few hundred bytes, well under a millisecond, so
the note editor never holds text that exists only in memory. (readq 0.x wrote
a plain ``{"12": "..."}`` map; it is still read, and rewritten on the next edit.)

A drafts file that is not what readq writes is never written over: the library's
writer moves it aside on opening (``set_aside_if_damaged``), with a notice.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import orjson

from readq.atomicfile import atomic_write, remove_stale_temps

_TABLE: Final = "_default"  # TinyDB's default table


class DraftsDamaged(Exception):
    """The drafts file holds something other than paper ids and draft texts."""


def drafts_path(library: Path) -> Path:
    return library.with_name(library.name + ".drafts")


def set_aside_if_damaged(library: Path) -> str | None:
    """Move a damaged drafts file aside, untouched; a one-line notice saying so, or None.

    An unreadable one (a permission) stays where it is: Drafts then refuses to
    write, so it is never replaced unread."""
    path = drafts_path(library)
    try:
        _read(path)
    except DraftsDamaged:
        moved = _set_aside(path)
        return f"the drafts file {path} is damaged; it was moved aside, untouched, to {moved}."
    except OSError as error:
        return f"cannot read the drafts file {path} ({error.strerror}); drafts are not kept."
    return None


def _read(path: Path) -> dict[str, str]:
    """The drafts in ``path``; DraftsDamaged, or OSError when it cannot be read."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except orjson.JSONDecodeError:
        raise DraftsDamaged from None
    if isinstance(data, dict) and set(data) == {_TABLE} and isinstance(data[_TABLE], dict):
        data = {
            key: document.get("text") if isinstance(document, dict) else None
            for key, document in data[_TABLE].items()
        }
    if not (isinstance(data, dict) and all(isinstance(v, str) for v in data.values())):
        raise DraftsDamaged
    return data


def _document(drafts: dict[str, str]) -> bytes:
    return orjson.dumps({_TABLE: {key: {"text": text} for key, text in drafts.items()}})


def _set_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.rename(target)
    return target


class Drafts:
    def __init__(self, library: Path) -> None:
        self.path = drafts_path(library)
        remove_stale_temps(self.path)  # only the writer, which holds the lock, gets here
        self._unreadable: OSError | None = None  # then nothing is written over it
        self._damaged = False  # then it is moved aside before the first write
        self._drafts = self._load()

    def _load(self) -> dict[str, str]:
        try:
            return _read(self.path)
        except DraftsDamaged:
            self._damaged = True
        except OSError as error:
            self._unreadable = error
        return {}

    def get(self, paper_id: int) -> str | None:
        return self._drafts.get(str(paper_id))

    def save(self, paper_id: int, text: str) -> None:
        self._drafts[str(paper_id)] = text
        self._write()

    def discard(self, paper_id: int) -> None:
        if self._drafts.pop(str(paper_id), None) is not None:
            self._write()

    def editor_file(self, paper_id: int) -> Path:
        """Where the note of ``paper_id`` is edited in $EDITOR: beside the library, so
        that an edit cut short (the terminal closed) is found again."""
        return self.path.with_name(f"{self.path.name}-note-{paper_id}.md")

    def leftover_edit(self, paper_id: int) -> str | None:
        """The text of an $EDITOR edit that never came back, if there is one."""
        try:
            return self.editor_file(paper_id).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def discard_editor_file(self, paper_id: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.editor_file(paper_id).unlink()

    def __len__(self) -> int:
        return len(self._drafts)

    def _write(self) -> None:
        if self._unreadable is not None:
            error = self._unreadable
            raise OSError(error.errno, error.strerror, error.filename)
        if self._damaged:  # the library's writer did not move it aside: do it now
            with contextlib.suppress(FileNotFoundError):
                _set_aside(self.path)
            self._damaged = False
        if self._drafts:
            atomic_write(self.path, _document(self._drafts))
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
