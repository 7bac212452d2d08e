"""A query compiled into a matcher: for papers, and for rows of the field index.

Each term becomes a function of a paper (or row) and its folded texts that
answers True, False or None, "cannot tell yet": a word may be in the abstract,
which is read (from disk, in the app) only for the papers the rest of the
query leaves undecided, a batch at a time; a row of the field index has no
titles at all. AND, OR and NOT combine the three answers as Kleene's logic
does, so "cannot tell" survives only where the missing text would decide.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from readq.model import Paper, Status, abstracts_of, arxiv_base, iso_time
from readq.querylang import dates
from readq.querylang.folding import SEPARATOR, fold, fold_value, squeeze
from readq.querylang.terms import And, Compare, Flag, Match, Not, Or, Query

Answer = bool | None
_BATCH: Final = 256  # papers whose abstracts are read together


class Texts(Protocol):
    """A paper's (or row's) folded texts, each None when not at hand."""

    def head(self) -> str | None: ...  # title, authors, orgs, categories, notes, tags
    def title(self) -> str | None: ...
    def authors(self) -> str | None: ...
    def orgs(self) -> str | None: ...
    def notes(self) -> str | None: ...
    def abstract(self) -> str | None: ...


Test = Callable[[Any, Texts], Answer]


class PaperTexts:
    """A paper's folded texts, each folded when first asked for; the abstract only
    once it is given (``given_abstract``)."""

    __slots__ = ("_abstract", "_folded", "paper")

    def __init__(self, paper: Paper, abstract: str | None = None) -> None:
        self.paper, self._abstract = paper, abstract
        self._folded: dict[str, str] = {}

    def given_abstract(self, folded: str) -> None:
        self._abstract = folded

    def _get(self, name: str, make: Callable[[Paper], str]) -> str:
        value = self._folded.get(name)
        if value is None:
            value = self._folded[name] = fold(make(self.paper))
        return value

    def head(self) -> str:
        return self._get("head", _head_of)

    def title(self) -> str:
        return self._get("title", lambda p: p.title)

    def authors(self) -> str:
        return self._get("authors", lambda p: SEPARATOR.join(p.authors))

    def orgs(self) -> str:
        return self._get("orgs", lambda p: SEPARATOR.join(p.orgs))

    def notes(self) -> str:
        return self._get("notes", lambda p: p.notes)

    def abstract(self) -> str | None:
        return self._abstract


def _head_of(paper: Paper) -> str:
    return SEPARATOR.join(
        [paper.title, *paper.authors, *paper.orgs, paper.category or "", *paper.categories,
         paper.notes, *paper.tags]
    )  # fmt: skip


class RowTexts:
    """A field index row's texts: the folded authors and organisations when the
    index holds them, nothing else."""

    __slots__ = ("row",)

    def __init__(self, row: Any) -> None:
        self.row = row

    def head(self) -> None:
        return None

    def title(self) -> None:
        return None

    def authors(self) -> str | None:
        return getattr(self.row, "authors", None)

    def orgs(self) -> str | None:
        return getattr(self.row, "orgs", None)

    def notes(self) -> None:
        return None

    def abstract(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Matcher:
    """``query`` compiled: ``paper(p)`` and ``row(r)`` say whether it matches."""

    query: Query | None
    test: Test

    def paper(self, paper: Paper) -> bool:
        """Whether ``paper`` matches (its abstract read if need be)."""
        texts = PaperTexts(paper)
        answer = self.test(paper, texts)
        if answer is None:
            texts.given_abstract(fold(paper.abstract))
            answer = self.test(paper, texts)
        return bool(answer)

    def row(self, row: Any) -> Answer:
        """True or False when a field index row settles it, else None."""
        return self.test(row, RowTexts(row))

    def select(self, papers: Iterable[Paper], kept: KeptAbstracts | None = None) -> list[Paper]:
        """The papers that match, in order; their abstracts read a batch at a time,
        only for papers the rest leaves undecided. ``kept``: folded abstracts from
        the search before, and a place to keep those of the papers found."""
        if self.query is None:
            return list(papers)
        found: list[Paper] = []
        it = iter(papers)
        test = self.test
        while batch := list(itertools.islice(it, _BATCH)):
            # Each paper of the batch found, with its place in the batch: those found
            # at once and those that needed their abstract are put back in order.
            in_batch: list[tuple[int, Paper]] = []
            undecided: list[tuple[int, PaperTexts]] = []
            for number, paper in enumerate(batch):
                given = kept.get(paper) if kept is not None else None
                texts = PaperTexts(paper, given)
                answer = test(paper, texts)
                if answer is None:
                    undecided.append((number, texts))
                elif answer:
                    in_batch.append((number, paper))
                    if given is not None and kept is not None:
                        kept.keep(paper, given)  # for the next search, as it was for this one
            if undecided:
                unread = [t for _, t in undecided if t.abstract() is None]
                abstracts = abstracts_of([t.paper for t in unread])
                for texts, abstract in zip(unread, abstracts, strict=True):
                    texts.given_abstract(fold(abstract))
                for number, texts in undecided:
                    if test(texts.paper, texts):
                        in_batch.append((number, texts.paper))
                        if kept is not None:
                            kept.keep(texts.paper, texts.abstract() or "")
                in_batch.sort(key=lambda found_at: found_at[0])
            found.extend(paper for _, paper in in_batch)
        return found


class KeptAbstracts(Protocol):
    def get(self, paper: Paper) -> str | None: ...
    def keep(self, paper: Paper, folded: str) -> None: ...


def compile_query(
    query: Query | None,
    *,
    now: datetime | None = None,
    selected: Collection[int] = (),
    new_since: str = "",
) -> Matcher:
    """``query`` as a Matcher. ``now``: the aware time relative dates count from
    (default: now); ``selected``: the ids ``is:selected`` matches; ``new_since``:
    the time (model.now_iso's form) after which a paper added is:new ("": all)."""
    if query is None:
        return Matcher(None, lambda _p, _t: True)
    moment = now.astimezone() if now is not None else datetime.now().astimezone()
    compiler = _Compiler(moment, frozenset(selected), new_since)
    return Matcher(query, compiler.compile(query))


# --- compiling ----------------------------------------------------------------------


def _cost(term: Query) -> int:
    """The order in which AND and OR try their terms: what costs least (and what
    a field index row can answer) first, words that may need the abstract last."""
    if isinstance(term, Not):
        return _cost(term.term)
    if isinstance(term, And | Or):
        return max(_cost(t) for t in term.terms)
    if isinstance(term, Match):
        return 1 if term.field in _WHOLE else 3 if term.field is None else 2
    return 0


class _Compiler:
    def __init__(self, now: datetime, selected: frozenset[int], new_since: str) -> None:
        self.now, self.selected, self.new_since = now, selected, new_since

    def compile(self, query: Query) -> Test:
        if isinstance(query, Not):
            inner = self.compile(query.term)

            def negated(p: Any, t: Texts) -> Answer:
                answer = inner(p, t)
                return None if answer is None else not answer

            return negated
        if isinstance(query, And):
            return _all([self.compile(term) for term in sorted(query.terms, key=_cost)])
        if isinstance(query, Or):
            return _any([self.compile(term) for term in sorted(query.terms, key=_cost)])
        if isinstance(query, Match):
            return _match(query)
        if isinstance(query, Flag):
            return self._flag(query)
        return self._compare(query)

    def _flag(self, flag: Flag) -> Test:
        value = flag.value
        if flag.field == "is":
            if value == "selected":
                selected = self.selected
                return lambda p, _t: p.id in selected
            if value == "new":
                since = self.new_since
                # Timestamps count seconds: a paper added in the second the app
                # closed is new (better shown once more than never).
                return lambda p, _t: p.added_at >= since
            status = Status.READ if value == "read" else Status.UNREAD
            return lambda p, _t: p.status is status
        return _HAS[value]

    def _compare(self, compare: Compare) -> Test:
        field = compare.field
        if field in ("id", "prio", "score"):
            return _numeric(compare)
        low, high = dates.bounds(compare.op, compare.value, compare.upper, self.now)
        if field in ("added", "read"):
            attribute = "added_at" if field == "added" else "read_at"
            return _between(attribute, _timestamp(low), _timestamp(high), pad=False)
        return _between("published", _day(low), _day(high), pad=True)


def _all(tests: list[Test]) -> Test:
    if len(tests) == 2:
        first, second = tests

        def both(p: Any, t: Texts) -> Answer:
            answer = first(p, t)
            if answer is False:
                return False
            other = second(p, t)
            return False if other is False else None if answer is None or other is None else True

        return both

    def every(p: Any, t: Texts) -> Answer:
        result: Answer = True
        for test in tests:
            answer = test(p, t)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    return every


def _any(tests: list[Test]) -> Test:
    def some(p: Any, t: Texts) -> Answer:
        result: Answer = False
        for test in tests:
            answer = test(p, t)
            if answer:
                return True
            if answer is None:
                result = None
        return result

    return some


def _contains(text: str, value: str) -> bool:
    """``value`` (folded, single-spaced) in ``text`` (folded): a phrase also across
    a line break or a double space."""
    if value in text:
        return True
    return " " in value and all(w in text for w in value.split()) and value in squeeze(text)


def _match(match: Match) -> Test:
    field = match.field
    if field in _WHOLE:
        return _WHOLE[field](match.value)
    value = fold_value(match.value)
    if not value:  # nothing left to look for ("{}", say)
        return lambda _p, _t: True
    if field is None:

        def anywhere(_p: Any, t: Texts) -> Answer:
            head = t.head()
            if head is None:
                return None  # a row of the field index: no text at hand
            if _contains(head, value):
                return True
            abstract = t.abstract()
            return None if abstract is None else _contains(abstract, value)

        return anywhere
    text_of: Callable[[Texts], str | None] = {
        "title": lambda t: t.title(),
        "author": lambda t: t.authors(),
        "org": lambda t: t.orgs(),
        "note": lambda t: t.notes(),
        "abstract": lambda t: t.abstract(),
    }[field]

    def within(_p: Any, t: Texts) -> Answer:
        text = text_of(t)
        return None if text is None else _contains(text, value)

    return within


def _tag(value: str) -> Test:
    wanted = fold(value)
    return lambda p, _t: any(fold(tag) == wanted for tag in p.tags)


def _feed(value: str) -> Test:
    """``feed:cs.LG``: a paper seen in that feed (its name, folded as tags are)."""
    wanted = fold(value)

    def test(p: Any, _t: Texts) -> Answer:
        feeds = getattr(p, "feeds", None)  # a field index Row has none: cannot tell
        return None if feeds is None else any(fold(name) == wanted for name in feeds)

    return test


def _category(value: str) -> Test:
    """``cat:cs.LG`` the category itself (or ``LG``, as listings write cs.LG);
    ``cat:LG`` and ``cat:cs`` either side of its dot (or a category without one:
    ``cat:hep-th``)."""
    wanted = value.casefold()

    def matches(category: str) -> bool:
        folded = _full_category(category).casefold()
        if "." in wanted:
            return folded == wanted
        archive, _, subject = folded.partition(".")
        return wanted in (folded, archive, subject)

    def test(p: Any, _t: Texts) -> Answer:
        if p.category is not None and matches(p.category):
            return True
        categories = getattr(p, "categories", None)
        if categories is None:
            return None  # a row: its other categories are not at hand
        return any(matches(c) for c in categories)

    return test


def arxiv_key(value: str) -> str:
    """An ``arxiv:`` value as papers' ids are compared with it (by their start)."""
    wanted = arxiv_base(value.removeprefix("arXiv:").removeprefix("arxiv:")) or ""
    return wanted.removesuffix("v")  # a version half typed: 2401.00001v


def doi_key(value: str) -> str:
    """A ``doi:`` value as papers' DOIs are compared with it (by their start)."""
    wanted = value.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        wanted = wanted.removeprefix(prefix)
    return wanted


def _full_category(category: str) -> str:
    """``cs.LG`` for ``LG``: listings and CSV files name arXiv's computer science
    classes (two capitals) without their archive."""
    if len(category) == 2 and category.isupper() and category.isascii():
        return "cs." + category
    return category


def _arxiv(value: str) -> Test:
    wanted = arxiv_key(value)

    def test(p: Any, _t: Texts) -> Answer:
        if not hasattr(p, "arxiv_id"):
            return None
        base = arxiv_base(p.arxiv_id, p.doi)
        return base is not None and base.startswith(wanted)

    return test


def _doi(value: str) -> Test:
    wanted = doi_key(value)

    def test(p: Any, _t: Texts) -> Answer:
        if not hasattr(p, "doi"):
            return None
        return p.doi is not None and p.doi.strip().lower().startswith(wanted)

    return test


_WHOLE: Final[dict[str, Callable[[str], Test]]] = {
    "tag": _tag, "cat": _category, "arxiv": _arxiv, "doi": _doi, "feed": _feed,
}  # fmt: skip


def _has(attribute: str, present: Callable[[Any], bool]) -> Test:
    def test(p: Any, _t: Texts) -> Answer:
        value = getattr(p, attribute, _MISSING)
        return None if value is _MISSING else present(value)

    return test


_MISSING: Final = object()
_HAS: Final[dict[str, Test]] = {
    "note": _has("has_note", bool),
    "tags": _has("tags", bool),
    "code": _has("has_code", bool),
    "doi": _has("doi", bool),
    "arxiv": lambda p, _t: (
        None if not hasattr(p, "arxiv_id") else arxiv_base(p.arxiv_id, p.doi) is not None
    ),
    "abstract": lambda p, _t: (
        None if not isinstance(p, Paper) else p.abstract_is_stored or bool(p.abstract.strip())
    ),
    "url": _has("url", bool),
    "score": _has("score", lambda score: score is not None),
}


def _numeric(compare: Compare) -> Test:
    attribute = {"id": "id", "prio": "priority", "score": "score"}[compare.field]
    value = float(compare.value)
    if compare.upper is not None:
        low, high = sorted((value, float(compare.upper)))
        admits: Callable[[float], bool] = lambda x: low <= x <= high  # noqa: E731
    else:
        admits = {
            "=": lambda x: x == value,
            "<": lambda x: x < value,
            "<=": lambda x: x <= value,
            ">": lambda x: x > value,
            ">=": lambda x: x >= value,
        }[compare.op]

    def test(p: Any, _t: Texts) -> Answer:
        number = getattr(p, attribute)
        return number is not None and admits(number)

    return test


def _timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else iso_time(moment)


def _day(moment: datetime | None) -> str | None:
    return None if moment is None else moment.date().isoformat()


def _between(attribute: str, low: str | None, high: str | None, *, pad: bool) -> Test:
    """``attribute`` (an ISO date or timestamp) from ``low`` until ``high``; with
    ``pad``, a date of a month or a year (2026-11) counts as its first day."""

    def test(p: Any, _t: Texts) -> Answer:
        value: Any = getattr(p, attribute, _MISSING)
        if value is _MISSING:
            return None
        if not value:
            return False
        if pad and len(value) < 10:
            value += "-01-01"[len(value) - 4 :]
        return (low is None or value >= low) and (high is None or value < high)

    return test
