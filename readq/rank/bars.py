"""Relevance as bars and the model's features as words: numpy-free, for the list
and the details of the app (which must not import numpy to start) and the CLI."""

from __future__ import annotations

from typing import Final

from readq.sanitize import clean_line

BAR_WIDTH: Final = 8
_EIGHTHS: Final = " ▏▎▍▌▋▊▉█"


def bar(value: float, width: int = BAR_WIDTH) -> str:
    """``value`` (0..1) as a bar of ``width`` cells, in eighths."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


_KINDS: Final = (("author:", "by "), ("org:", "at "), ("cat:", "in "))


def readable(term: str) -> str:
    """A feature as people read it: ``author:tri dao`` as ``by tri dao``, a word as itself."""
    for prefix, said in _KINDS:
        if term.startswith(prefix):
            return said + clean_line(term.removeprefix(prefix))
    return clean_line(term)
