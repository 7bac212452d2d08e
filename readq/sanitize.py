"""Cleaning of imported text: no terminal control, no bidi tricks, NFC.

Everything an importer reads passes through here before it reaches the
library, because Textual forwards most control characters to the terminal
untouched: an ESC sequence in an abstract would otherwise repaint the screen,
set the window title or, with OSC 52, write to the clipboard.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# ESC-introduced string commands (OSC, DCS, SOS, PM, APC) and their 8-bit
# forms run until ST (ESC \ or 0x9C) or, for OSC, BEL. An unterminated one is
# dropped with its introducer only: once ESC is gone the rest is inert text.
_STRING_COMMAND: Final = re.compile(
    # The body stops at the next introducer too: otherwise each unterminated one
    # scans to the end of the text, and a flood of them takes quadratic time.
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\x90\x98\x9d\x9e\x9f]*(?:\x07|\x1b\\|\x9c)"
)
_CSI: Final = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]")
_OTHER_ESCAPE: Final = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
# C0 except tab and newline, DEL, C1; bidi embeddings, overrides, isolates and
# marks; zero-width space, word joiner, invisible operators, deprecated format
# characters, interlinear annotations, stray BOMs, and the TAG block (which can
# smuggle invisible ASCII). ZWJ and ZWNJ stay: some scripts and emoji need them.
_CONTROL: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Remove escape sequences and control characters; NFC; keep newlines and tabs."""
    if _needs_nothing(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _STRING_COMMAND.sub("", text)
    text = _CSI.sub("", text)
    text = _OTHER_ESCAPE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


# Everything clean_text would remove or change, in one pattern: most imported
# text has none of it, and one search is far cheaper than five substitutions.
_SUSPECT: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\ud800-\udfff]"
)


def _needs_nothing(text: str) -> bool:
    """True when clean_text would return ``text`` unchanged.

    Every character _SUSPECT finds is a control, format, separator, surrogate or
    unassigned character, all of which str.isprintable refuses; it answers for
    most text several times faster than the regular expression searches.
    """
    if not _is_printable(text) and _SUSPECT.search(text) is not None:
        return False
    return text.isascii() or unicodedata.is_normalized("NFC", text)


# Printable ASCII, space to tilde. str.isprintable looks every character up in
# the Unicode tables; for ASCII text longer than a name or a date, deleting
# these bytes and finding nothing left is several times faster.
_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))


def _is_printable(text: str) -> bool:
    """str.isprintable, quicker for long ASCII text (an abstract, a title line)."""
    if len(text) > 64 and text.isascii():
        return not text.encode().translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def clean_line(text: str) -> str:
    """clean_text, then all runs of whitespace (newlines too) folded to one space."""
    # Most values are one clean line already, and this test runs for every
    # author, tag and date imported, so it is spelled out here. Printable text
    # holds nothing clean_text changes and no whitespace but the plain space:
    # it is folded unless two spaces meet or one is at an edge.
    if (
        _is_printable(text)
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text
    return " ".join(clean_text(text).split())


def clean_block(text: str) -> str:
    """clean_text for multi-line fields such as notes: trailing spaces and edge blank lines go."""
    lines = [line.rstrip() for line in clean_text(text).split("\n")]
    return "\n".join(lines).strip("\n")
