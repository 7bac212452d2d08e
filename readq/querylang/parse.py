"""From the text typed to a typed query: a tokenizer and a recursive-descent
parser, by hand (no regular expression ever sees the user's text whole).

The grammar, loosest first::

    query  := group*                 implicit AND (or the word AND between)
    group  := unary (OR unary)*      OR binds tighter than AND, as in Gmail:
                                     ``is:unread cat:LG OR cat:CV`` is unread and (LG or CV)
    unary  := (NOT | -) unary | ( query ) | term
    term   := word | "a phrase" | field:value | field:"a phrase"

Every mistake is a QueryError naming the place and the reason in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from readq.errors import ReadqError
from readq.querylang import dates
from readq.querylang.terms import (
    ALIASES,
    COMPARED_FIELDS,
    DATE_FIELDS,
    FLAG_ALIASES,
    FLAGS,
    KEYWORDS,
    OPS,
    TEXT_FIELDS,
    WHOLE_FIELDS,
    Compare,
    Flag,
    Match,
    Not,
    Op,
    Query,
    all_of,
    any_of,
)

FIELD_NAMES: Final = (*TEXT_FIELDS, *WHOLE_FIELDS, *COMPARED_FIELDS, *FLAGS)
_ALL_NAMES: Final = frozenset((*FIELD_NAMES, *ALIASES))


class QueryError(ReadqError):
    """A query that cannot be read: ``start``/``end`` are where in its text."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message, self.start, self.end = message, start, end

    def __str__(self) -> str:
        return f"{self.message} (at column {self.start + 1})"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "term", "(", ")", "-", "AND", "OR", "NOT"
    start: int
    end: int
    term: Query | None = None


def parse(text: str) -> Query | None:
    """The query ``text`` says; None for an empty one (every paper). QueryError
    when it cannot be read."""
    tokens = _tokens(text)
    return _Parser(tokens).query()


# --- tokens ----------------------------------------------------------------------


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at, end = 0, len(text)
    while at < end:
        character = text[at]
        if character.isspace():
            at += 1
        elif character in "()":
            tokens.append(_Token(character, at, at + 1))
            at += 1
        elif character == "-":
            if at + 1 == end or text[at + 1].isspace():
                raise QueryError("- needs a term after it (-cat:CV)", at, at + 1)
            tokens.append(_Token("-", at, at + 1))
            at += 1
        elif character == '"':
            value, after = _phrase(text, at)
            tokens.append(_Token("term", at, after, Match(None, value)))
            at = after
        else:
            token, at = _bare(text, at)
            tokens.append(token)
    return tokens


def _phrase(text: str, start: int) -> tuple[str, int]:
    """The phrase whose opening quote is at ``start`` (``\\"`` and ``\\\\`` inside
    stand for themselves), and where it ends."""
    value: list[str] = []
    at = start + 1
    while at < len(text):
        character = text[at]
        if character == "\\" and at + 1 < len(text):
            value.append(text[at + 1])
            at += 2
        elif character == '"':
            return "".join(value), at + 1
        else:
            value.append(character)
            at += 1
    raise QueryError("a phrase needs its closing quote", start, len(text))


def _bare(text: str, start: int) -> tuple[_Token, int]:
    """A word, keyword or ``field:value`` starting at ``start``."""
    at = start
    while at < len(text) and not text[at].isspace() and text[at] not in "()":
        if text[at] == '"' and at > start and text[at - 1] == ":" and _is_field(text, start, at):
            value, after = _phrase(text, at)
            name = text[start : at - 1]
            return _Token("term", start, after, _field_term(name, value, text, start, after)), after
        at += 1
    word = text[start:at]
    if word in KEYWORDS:
        return _Token(word, start, at), at
    colon = word.find(":")
    name, value = word[:colon], word[colon + 1 :]
    if colon <= 0 or not (name.isascii() and name.isalpha()) or value.startswith("//"):
        return _Token("term", start, at, Match(None, word)), at  # a word (or a link)
    return _Token("term", start, at, _field_term(name, value, text, start, at)), at


def _is_field(text: str, start: int, quote: int) -> bool:
    """Whether ``text[start:quote]`` is ``name:`` (the only colon) for a field's name."""
    name = text[start : quote - 1]
    return ":" not in name and name.lower() in _ALL_NAMES


# --- terms -----------------------------------------------------------------------


def _field_term(name: str, value: str, text: str, start: int, end: int) -> Query:
    lowered = name.lower()
    field = ALIASES.get(lowered, lowered)
    written = _shown(text[start:end])
    if field not in FIELD_NAMES:
        raise QueryError(
            f"{name}: is not a field (fields: {', '.join(FIELD_NAMES)}); "
            f'put a word with a colon in quotes: "{written}"',
            start,
            start + len(name) + 1,
        )
    if not value:
        raise QueryError(f"{field}: needs a value: {written}", start, end)
    if field in FLAGS:
        flag = value.lower()
        flag = FLAG_ALIASES.get(flag, flag)
        if flag not in FLAGS[field]:
            raise QueryError(
                f"{field}: takes {_either(FLAGS[field])}, not {_shown(value)}: {written}",
                start,
                end,
            )
        return Flag(field, flag)
    if field in COMPARED_FIELDS:
        return _comparison(field, value, written, start, end)
    return Match(field, value)


def _comparison(field: str, value: str, written: str, start: int, end: int) -> Compare:
    op: Op = "="
    for candidate in OPS:
        if value.startswith(candidate):
            op, value = candidate, value[len(candidate) :]
            break
    upper = None
    if op == "=" and ".." in value:
        value, _, upper = value.partition("..")
        op = ".."
        _check_value(field, upper, written, start, end)
    _check_value(field, value, written, start, end)
    return Compare(field, op, value, upper)


def _check_value(field: str, value: str, written: str, start: int, end: int) -> None:
    if field in DATE_FIELDS:
        if not dates.is_date_value(value):
            raise QueryError(
                f"{field} needs a date (2026-11-01, 2026-11, 2026), an age (12h, 7d, 2w, 3m, 1y),"
                f" today or yesterday: {written}",
                start,
                end,
            )
        return
    if field == "score":
        if not _is_number(value):
            raise QueryError(f"score needs a number: {written}", start, end)
        return
    if not (value.isascii() and value.isdigit()):
        raise QueryError(f"{field} needs a number: {written}", start, end)
    if field == "year" and (len(value) != 4 or not dates.is_date_value(value)):
        years = f"{dates.FIRST_YEAR} to {dates.LAST_YEAR}"
        raise QueryError(f"year needs a year, {years}: {written}", start, end)
    if len(value) > _LONGEST_NUMBER:
        raise QueryError(f"{field} is out of range: {written}", start, end)
    if field == "prio" and int(value) > 3:
        raise QueryError(f"prio goes from 0 to 3: {written}", start, end)


def _is_number(value: str) -> bool:
    if not value.isascii() or not value or value.strip() != value:
        return False
    try:
        number = float(value)
    except ValueError:
        return False
    return number == number and abs(number) != float("inf")  # not nan, not inf


_LONGEST_NUMBER: Final = 18  # digits: more is a typing slip (and int() refuses 4,300)
_DEEPEST: Final = 100  # NOTs and parentheses inside one another
_SHOWN_AT_MOST: Final = 60  # characters of the user's text quoted in a message


def _shown(text: str) -> str:
    """The user's text as a one-line message quotes it: spacing single, long text cut."""
    one_line = " ".join(text.split())
    if len(one_line) > _SHOWN_AT_MOST:
        return one_line[: _SHOWN_AT_MOST - 1] + "…"
    return one_line


def _either(choices: tuple[str, ...]) -> str:
    return ", ".join(choices[:-1]) + f" or {choices[-1]}"


# --- the grammar -------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens, self._at, self._depth = tokens, 0, 0

    def query(self) -> Query | None:
        if not self._tokens:
            return None
        return self._and(nested=False)

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    def _and(self, *, nested: bool) -> Query:
        """Groups up to the end, or (``nested``) up to the ``)`` that closes them."""
        groups: list[Query] = []
        while (token := self._peek()) is not None:
            if token.kind == ")":
                if nested:
                    break
                raise QueryError("a ) without its (", token.start, token.end)
            if token.kind == "AND":
                self._take()
                if not groups:
                    raise QueryError("AND needs a term before it", token.start, token.end)
                if (after := self._peek()) is None or after.kind in (")", "AND", "OR"):
                    raise QueryError("AND needs a term after it", token.start, token.end)
                continue
            groups.append(self._or())
        return all_of(groups)

    def _or(self) -> Query:
        token = self._peek()
        if token is not None and token.kind == "OR":
            raise QueryError("OR needs a term before it", token.start, token.end)
        terms = [self._unary()]
        while (token := self._peek()) is not None and token.kind == "OR":
            self._take()
            after = self._peek()
            if after is None or after.kind in (")", "AND", "OR"):
                raise QueryError("OR needs a term after it", token.start, token.end)
            terms.append(self._unary())
        return any_of(terms)

    def _unary(self) -> Query:
        token = self._take()
        if token.kind in ("NOT", "-", "("):
            self._depth += 1
            if self._depth > _DEEPEST:
                raise QueryError(
                    f"the query nests more than {_DEEPEST} NOTs and parentheses deep",
                    token.start,
                    token.end,
                )
            try:
                return self._nested(token)
            finally:
                self._depth -= 1
        if token.kind == ")":
            raise QueryError("a ) without its (", token.start, token.end)
        assert token.term is not None
        return token.term

    def _nested(self, token: _Token) -> Query:
        """What a NOT, a - or a ( at ``token`` holds."""
        if token.kind in ("NOT", "-"):
            after = self._peek()
            if after is None or after.kind in (")", "AND", "OR"):
                word = "NOT" if token.kind == "NOT" else "-"
                raise QueryError(f"{word} needs a term after it", token.start, token.end)
            return Not(self._unary())
        if (after := self._peek()) is not None and after.kind == ")":
            raise QueryError("( ) holds no term", token.start, after.end)
        inner = self._and(nested=True)
        if self._peek() is None:
            raise QueryError("a ( without its )", token.start, token.end)
        self._take()  # the )
        return inner
