"""Where a query's words are in a text shown: spans for the list's titles and the
details, found on the folded text and mapped back (accents and all)."""

from __future__ import annotations

from dataclasses import dataclass, field

from readq.querylang.folding import fold_value, fold_with_positions
from readq.querylang.terms import Query, positive_matches

# Which texts a Match of each field is highlighted in (a word: all of them).
_SHOWN_IN = {"title": "title", "author": "authors", "org": "orgs", "abstract": "abstract"}


@dataclass(frozen=True, slots=True)
class Highlights:
    """The folded values to highlight in each part of a paper shown."""

    needles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def spans(self, part: str, text: str) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of each match, for ``part`` (title, authors,
        orgs, abstract); overlapping matches merged, in order."""
        needles = self.needles.get(part)
        if not needles or not text:
            return []
        folded, starts, ends = fold_with_positions(text)
        found: list[tuple[int, int]] = []
        for needle in needles:
            at = folded.find(needle)
            while at >= 0:
                found.append((starts[at], ends[at + len(needle) - 1]))
                at = folded.find(needle, at + len(needle))
        return _merged(found)

    def __bool__(self) -> bool:
        return bool(self.needles)


NOTHING_FOUND = Highlights()


def highlights_of(query: Query | None) -> Highlights:
    if query is None:
        return NOTHING_FOUND
    needles: dict[str, list[str]] = {}
    for match in positive_matches(query):
        value = fold_value(match.value)
        if not value:
            continue
        parts = _SHOWN_IN.values() if match.field is None else [_SHOWN_IN.get(match.field, "")]
        for part in parts:
            if part:
                needles.setdefault(part, []).append(value)
    return Highlights({part: tuple(values) for part, values in needles.items()})


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
