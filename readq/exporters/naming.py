"""Names made from paper titles: citation keys and file names, ASCII, unique, safe."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from readq.model import Paper, family_name

_STOP_WORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "is", "are", "do", "does"}
)
MAX_SLUG = 60


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """``Seeing Through Fog!`` -> ``seeing-through-fog``; never empty, never a path."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(text).lower())
    joined = "-".join(words)[:limit].strip("-")
    return joined or "paper"


def base_key(paper: Paper) -> str:
    """``ellison2025sparse``: family name, year, first significant title word."""
    first = family_name(paper.authors[0]) if paper.authors else ""
    family = re.sub(r"[^a-z]", "", ascii_fold(first).lower())
    words: list[str] = re.findall(r"[a-z0-9]+", ascii_fold(paper.title).lower())
    word = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "")
    return f"{family or 'anon'}{paper.year}{word}"


def unique(names: Iterable[str]) -> list[str]:
    """The names with ``a``, ``b``, … appended where they repeat, first come first served."""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, suffix = name, 0
        while candidate in seen:
            suffix += 1
            candidate = f"{name}{_letters(suffix)}"
        seen.add(candidate)
        result.append(candidate)
    return result


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    letters = ""
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def citation_keys(papers: Iterable[Paper]) -> list[str]:
    """Stable, unique keys: the paper's own key when it has a clean one, else a made one."""
    wanted = []
    for paper in papers:
        own = paper.citation_key
        clean = own if own and re.fullmatch(r"[A-Za-z0-9_:.\-]+", own) else None
        wanted.append(clean or base_key(paper))
    return unique(wanted)
