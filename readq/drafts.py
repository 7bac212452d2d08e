"""Unsaved note drafts, kept on disk so that a crash or a closed terminal loses none.

One small JSON file beside the library maps paper ids to draft text. It is
rewritten atomically on every edit: a few hundred bytes, well under a
millisecond, so the note editor never holds text that exists only in memory.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import orjson

from readq.atomicfile import atomic_write, remove_stale_temps


class Drafts:
    def __init__(self, library: Path) -> None:
        self.path = library.with_name(library.name + ".drafts")
        remove_stale_temps(self.path)  # only the writer, which holds the lock, gets here
        self._drafts = self._load()

    def _load(self) -> dict[str, str]:
        try:
            data = orjson.loads(self.path.read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

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
        if self._drafts:
            atomic_write(self.path, orjson.dumps(self._drafts))
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
