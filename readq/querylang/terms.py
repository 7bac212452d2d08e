"""The typed query: what a query's text means, and that text printed back.

A query is a tree of terms: ``Match`` (words, phrases and ``field:value``),
``Flag`` (``is:`` and ``has:``), ``Compare`` (numbers and dates), joined by
``And`` (implicit AND), ``Or`` and ``Not``. Values are kept as typed, so
that ``to_text`` prints a query that parses back to the same query; what they
mean (a number, a date, a relative age) is checked by the parser and worked
out by the evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

# Fields whose value is text: searched in, or compared whole (tag, cat, id-like).
TEXT_FIELDS: Final = ("title", "author", "org", "abstract", "note")
WHOLE_FIELDS: Final = ("tag", "cat", "arxiv", "doi", "feed")
COMPARED_FIELDS: Final = ("id", "prio", "score", "year", "published", "added", "read")
DATE_FIELDS: Final = ("published", "added", "read")
FLAGS: Final[dict[str, tuple[str, ...]]] = {
    "is": ("read", "unread", "selected", "new"),
    "has": ("note", "tags", "code", "doi", "arxiv", "abstract", "url", "score"),
}
# Other spellings people use, and the field each means.
ALIASES: Final = {
    "authors": "author", "orgs": "org", "organisation": "org", "organization": "org",
    "affiliation": "org", "notes": "note", "tags": "tag", "category": "cat",
    "priority": "prio", "date": "published", "feeds": "feed",
}  # fmt: skip
FLAG_ALIASES: Final = {"notes": "note", "tag": "tags", "unseen": "unread", "seen": "read"}
Op = Literal["=", "<", "<=", ">", ">=", ".."]
OPS: Final[tuple[Op, ...]] = (">=", "<=", ">", "<", "=")  # the longest first, for parsing


@dataclass(frozen=True, slots=True)
class Match:
    """Text to find: ``field`` None for a word or phrase found in any text field."""

    field: str | None
    value: str


@dataclass(frozen=True, slots=True)
class Flag:
    """``is:unread``, ``has:note``."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Compare:
    """``prio:>=2``, ``year:2019..2022`` (``upper`` set for a range), ``added:<7d``."""

    field: str
    op: Op
    value: str
    upper: str | None = None


@dataclass(frozen=True, slots=True)
class Not:
    term: Query


@dataclass(frozen=True, slots=True)
class And:
    """Every term (implicit AND). Never nested in another And, never of one term."""

    terms: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one term (OR). Never nested in another Or, never of one term."""

    terms: tuple[Query, ...]


Leaf = Match | Flag | Compare
Query = Leaf | Not | And | Or


def all_of(terms: list[Query]) -> Query:
    """``terms`` joined by AND, flattened: And is never inside And."""
    flat: list[Query] = []
    for term in terms:
        flat.extend(term.terms if isinstance(term, And) else [term])
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(terms: list[Query]) -> Query:
    """``terms`` joined by OR, flattened: Or is never inside Or."""
    flat: list[Query] = []
    for term in terms:
        flat.extend(term.terms if isinstance(term, Or) else [term])
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def leaves(query: Query) -> list[Leaf]:
    """Every Match, Flag and Compare in ``query``, in order."""
    if isinstance(query, Not):
        return leaves(query.term)
    if isinstance(query, And | Or):
        return [leaf for term in query.terms for leaf in leaves(term)]
    return [query]


def positive_matches(query: Query) -> list[Match]:
    """The Match terms a paper shown may have matched (none under a NOT): what the
    list and the details highlight."""
    if isinstance(query, Not):
        return []
    if isinstance(query, And | Or):
        return [match for term in query.terms for match in positive_matches(term)]
    return [query] if isinstance(query, Match) else []


# --- printing --------------------------------------------------------------------

KEYWORDS: Final = ("AND", "OR", "NOT")
_SPECIAL: Final = frozenset('()"\\')


def to_text(query: Query) -> str:
    """The query as text that ``parse`` reads back as this same query."""
    if isinstance(query, And):
        return " ".join(_grouped(term, inside=And) for term in query.terms)
    if isinstance(query, Or):
        return " OR ".join(_grouped(term, inside=Or) for term in query.terms)
    if isinstance(query, Not):
        return "-" + _grouped(query.term, inside=Not)
    if isinstance(query, Match):
        value = _quoted(query.value) if _needs_quotes(query.value, query.field) else query.value
        return value if query.field is None else f"{query.field}:{value}"
    if isinstance(query, Flag):
        return f"{query.field}:{query.value}"
    if query.upper is not None:
        return f"{query.field}:{query.value}..{query.upper}"
    return f"{query.field}:{'' if query.op == '=' else query.op}{query.value}"


def _grouped(term: Query, *, inside: type) -> str:
    """A term inside an And, Or or Not, in parentheses where the grammar needs them:
    OR binds tighter than AND, NOT tighter than both."""
    needs = isinstance(term, And) or (isinstance(term, Or) and inside is Not)
    return f"({to_text(term)})" if needs else to_text(term)


def _needs_quotes(value: str, field: str | None) -> bool:
    if not value or any(c.isspace() or c in _SPECIAL for c in value):
        return True
    if field is not None:
        return value.startswith("//")  # field://x reads as a link, a word
    return value in KEYWORDS or value.startswith("-") or ":" in value


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
