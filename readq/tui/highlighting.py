"""The words a search found, marked in the text shown (spans on Text, never markup)."""

from __future__ import annotations

from typing import Final

from rich.text import Text

from readq.querylang.highlight import Highlights

FOUND_STYLE: Final = "reverse"  # readable in every theme, light or dark


def highlighted(text: Text, part: str, found: Highlights) -> Text:
    """``text`` (a title, the authors, an abstract) with the search's matches in it
    marked; ``part`` says which the text is, as Highlights names them."""
    for start, end in found.spans(part, text.plain):
        text.stylize(FOUND_STYLE, start, end)
    return text
