"""The exceptions readq reports to people as one clear line."""

from __future__ import annotations


class ReadqError(Exception):
    """A problem the user can act on; the message is a complete sentence."""


class NotText(ReadqError):
    """An input that is not readable UTF-8 text."""


class LibraryLocked(ReadqError):
    """Another process holds the library for writing."""


class LibraryDamaged(ReadqError):
    """The library file exists but cannot be read; it is never overwritten."""


class LibraryUnreadable(ReadqError):
    """A file of the library cannot be read (a permission, say): nothing is moved or changed."""


class JournalDamaged(ReadqError):
    """The journal holds bytes that are no action: a copy is kept and nothing is written."""


class NotSaved(ReadqError):
    """A change is live in memory but the disk refused it (full, read-only): retry later.

    ``change`` is the Library's record of that change (history.Change), so that
    a screen can show it as made.
    """

    change: object = None


class UnknownPaper(ReadqError):
    """An id that names no paper in the library."""
