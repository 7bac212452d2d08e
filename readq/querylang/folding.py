"""Text as searches compare it: case, accents and LaTeX's markup folded away.

``Böhmer``, ``BÖHMER`` and ``Bohmer`` fold alike, ``$\\lambda$-calculus`` and
``λ-calculus`` both to ``lambda calculus``. Hyphens are spaces, apostrophes
and full stops go; other punctuation and spacing stay (a search matches
substrings). Folding works a character at a time (fold_with_positions relies
on it to map a match back to the text shown), but most text is ASCII and
takes a C-speed path.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from readq.model import GREEK_NAMES

# Dropped: LaTeX's markup ({BERT}, $x$ and \lambda read as BERT, x and lambda),
# apostrophes and full stops (O'Neill is oneill, "S. Zhang" is "s zhang"). A
# hyphen is a space: "mixture of experts" finds mixture-of-experts (and the tag
# mixture-of-experts, as tags are written).
_LATEX_MARKS: Final = "{}$\\"
_DROPPED_ASCII: Final = (*_LATEX_MARKS, "'", ".")
_DROPPED: Final = "".join(_DROPPED_ASCII) + "\u2019"  # and the typographic apostrophe
_HYPHENS: Final = "-\u2010\u2011"
_TABLE: Final = str.maketrans(
    {**dict.fromkeys(_DROPPED), **dict.fromkeys(_HYPHENS, " "), **GREEK_NAMES}
)
# The combining marks NFKD splits off letters (the accents of Latin, Greek, Cyrillic).
_COMBINING: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_SPACES: Final = re.compile(r"\s+")
_TRANSLATED: Final = re.compile("[" + re.escape(_DROPPED + _HYPHENS + "".join(GREEK_NAMES)) + "]")
# Between the authors, fields and such that a paper's texts join: no spacing, so
# that a phrase is never found across two of them ("Albert Gu", "Tri Dao").
SEPARATOR: Final = "\x00"


def fold(text: str) -> str:
    """``text`` as a search compares it."""
    if text.isascii():
        folded = text.lower()
        for mark in _DROPPED_ASCII:  # str.replace beats str.translate fourfold here
            if mark in folded:
                folded = folded.replace(mark, "")
        if "-" in folded:
            folded = folded.replace("-", " ")
        return folded
    folded = text.casefold()
    if not unicodedata.is_normalized("NFKD", folded):  # most non-ASCII titles: a dash, a quote
        # Cased again: NFKD makes letters of some symbols (𝒪, ℌ, Ⅳ).
        folded = unicodedata.normalize("NFKD", folded).casefold()
    folded = _COMBINING.sub("", folded)
    if _TRANSLATED.search(folded) is not None:
        folded = folded.translate(_TABLE)
    return folded


def fold_value(text: str) -> str:
    """A searched-for value: folded, its spacing made single spaces."""
    return _SPACES.sub(" ", fold(text)).strip()


def squeeze(folded: str) -> str:
    """Folded text with every run of spacing (a line break in an abstract) one space."""
    return _SPACES.sub(" ", folded)


def fold_with_positions(text: str) -> tuple[str, list[int], list[int]]:
    """``fold(text)`` and, for each of its characters, where in ``text`` the
    letter it came from starts and ends (for highlighting a match in the text
    shown). A letter is a character and the combining marks after it, folded
    together: normalising reorders marks within a letter, never across."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        folded = fold(text[start:end])
        pieces.append(folded)
        starts.extend([start] * len(folded))
        ends.extend([end] * len(folded))
        start = end
    return "".join(pieces), starts, ends
