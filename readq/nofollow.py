"""Opening the files readq appends to or truncates in place, never through a symbolic link.

The lock and the journal are written where they are, not replaced whole: opened
through a link they would truncate or grow whatever file it points to.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Final

from readq.errors import ReadqError

_NO_FOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)  # Windows has none (and few links)
# What open(2) says for a link under O_NOFOLLOW: ELOOP on Linux, EMLINK on FreeBSD.
_LINK_ERRORS: Final = {errno.ELOOP, errno.EMLINK}


def open_file(path: Path, flags: int, what: str, mode: int = 0o600) -> int:
    """os.open of ``path`` that refuses a symbolic link with one line; ``what`` names the file."""
    try:
        return os.open(path, flags | _NO_FOLLOW, mode)
    except OSError as error:
        if error.errno in _LINK_ERRORS and path.is_symlink():
            raise ReadqError(
                f"the {what} {path} is a symbolic link, which readq does not write through; "
                "replace it with a plain file (or remove it). Nothing was changed."
            ) from None
        raise


def read_file(path: Path, what: str) -> bytes:
    """The bytes of ``path``, read without following a symbolic link: as many as it
    held when opened. (A read to the end in several calls, while a writer puts an
    action over the journal's closing, glued the old closing to the new line's end.)"""
    fd = open_file(path, os.O_RDONLY, what)
    with os.fdopen(fd, "rb") as file:
        return file.read(os.fstat(fd).st_size)
