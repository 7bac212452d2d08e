"""Editing text in the user's own editor ($VISUAL, else $EDITOR, else vi)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from readq.atomicfile import atomic_write
from readq.errors import ReadqError


def editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(editor)
    except ValueError as error:  # an unclosed quotation
        raise ReadqError(f"cannot read the editor command {editor!r}: {error}.") from None


def edit_in_editor(text: str, file: Path) -> str:
    """Put ``text`` in ``file``, let the editor change it, and return what it holds then.

    The file is left in place: the caller removes it once the text is safe.
    ReadqError when the editor cannot start or exits with an error.
    """
    command = editor_command()
    try:
        atomic_write(file, text.encode("utf-8"))
    except OSError as error:
        raise ReadqError(f"cannot write {file.name}: {error.strerror}.") from None
    try:
        finished = subprocess.run([*command, str(file)], check=False)
    except OSError as error:
        raise ReadqError(
            f"cannot start the editor {shlex.join(command)!r}: {error.strerror}."
        ) from None
    if finished.returncode != 0:
        raise ReadqError(f"the editor exited with status {finished.returncode}: note unchanged.")
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReadqError(f"cannot read back {file.name}: {error}.") from None
