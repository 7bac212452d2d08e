"""Whether one query can only narrow another: then the app filters the rows it
shows instead of the whole library (one more letter typed, one more term).

Conservative: False whenever it is not plain that every paper ``narrower``
matches also matches ``wider``.
"""

from __future__ import annotations

from readq.querylang.evaluate import arxiv_key, doi_key
from readq.querylang.folding import fold_value
from readq.querylang.terms import TEXT_FIELDS, And, Compare, Flag, Match, Not, Or, Query

_PREFIXED = ("arxiv", "doi")  # matched by their start: a longer value narrows


def narrows(narrower: Query | None, wider: Query | None) -> bool:
    """True when every paper ``narrower`` matches also matches ``wider``."""
    if wider is None:
        return True
    if narrower is None:
        return False
    return _implies(narrower, wider)


def _implies(a: Query, b: Query) -> bool:
    if a == b:
        return True
    if isinstance(b, And):
        return all(_implies(a, term) for term in b.terms)
    if isinstance(a, Or):
        return all(_implies(term, b) for term in a.terms)
    if isinstance(a, And):
        return any(_implies(term, b) for term in a.terms)
    if isinstance(b, Or):
        return any(_implies(a, term) for term in b.terms)
    if isinstance(a, Not) and isinstance(b, Not):
        return _implies(b.term, a.term)
    if isinstance(a, Match) and isinstance(b, Match):
        return _match_implies(a, b)
    return isinstance(a, Flag | Compare) and a == b


def _match_implies(a: Match, b: Match) -> bool:
    if a.field in _PREFIXED:
        key = arxiv_key if a.field == "arxiv" else doi_key
        return a.field == b.field and key(a.value).startswith(key(b.value))
    if a.field != b.field and not (b.field is None and a.field in TEXT_FIELDS):
        return False
    if a.field in ("tag", "cat", "feed"):
        return False  # compared whole: equal values are caught by _implies
    return fold_value(b.value) in fold_value(a.value)
