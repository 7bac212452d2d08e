"""The ``:`` command line: every action by name, some with arguments.

``:sort title``, ``:tag +rl -old``, ``:priority 2``, ``:export ~/x.bib``,
``:import FILE``, ``:quit``. What is typed is split like a shell line
(``:search "mixture of experts"``) and never run through a shell or a regular
expression. This module only parses and completes; the screen runs the result.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from readq.errors import ReadqError
from readq.query import SORTS
from readq.tui.bindings import MAIN_BINDINGS

FILTERS: Final = ("all", "unread", "read", "priority", "tag", "category", "clear")


class CommandError(ReadqError):
    """A command line that does not say anything readq can do."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    help: str
    action: str = ""  # a binding's action, run as it is (``priority(2)``)
    method: str = ""  # else CommandRunner.<method> (screens/commands.py), given the arguments
    least: int = 0  # arguments it needs
    most: int | None = 0  # arguments it takes (None: any number)
    choices: tuple[str, ...] = ()  # what its first argument may be, for completion
    fallback: str = ""  # the action run when it is given no arguments
    raw: bool = False  # its one argument is the rest of the line as typed (a query)


def _explicit() -> list[Command]:
    return [
        Command("sort", "sort FIELD [reverse]", "sort by " + ", ".join(SORTS), method="sort",
                least=1, most=2, choices=SORTS),
        Command("tag", "tag +NAME -NAME", "add (+) and remove (-) tags; plain names set them",
                method="tag", least=1, most=None, fallback="edit_tags"),
        Command("priority", "priority N", "set the priority, 0 (none) to 3 (high)",
                method="priority", least=1, most=1, choices=("0", "1", "2", "3")),
        Command("read", "read", "mark the papers read", method="read"),
        Command("unread", "unread", "mark the papers unread", method="unread"),
        Command("note", "note TEXT", "add a paragraph to the note", method="note", least=1,
                most=None, fallback="edit_note"),
        Command("search", "search QUERY", "search as with / (the query language)",
                method="search", least=1, most=1, fallback="search", raw=True),
        Command("filter", "filter all|unread|read|priority N|tag T|category C|clear",
                "filter the list", method="filter", least=1, most=2, choices=FILTERS,
                fallback="filter"),
        Command("goto", "goto ID", "show paper ID (also :ID)", method="goto", least=1, most=1),
        Command("import", "import FILE|URL", "import papers", method="import_", least=1,
                most=1, fallback="import"),
        Command("export", "export FILE", "export the papers shown (.json .bib .md .csv .ris)",
                method="export", least=1, most=1, fallback="export"),
        Command("fetch", "fetch [NAME...]", "fetch the feeds (all, or those named)",
                method="fetch", most=None, fallback="fetch"),
        Command("quit", "quit", "quit readq (also :q)", action="quit"),
    ]  # fmt: skip


def _from_bindings() -> list[Command]:
    """One command per key of the main screen, named after its binding id."""
    return [
        Command(b.id.replace("_", "-"), b.id.replace("_", "-"), b.description, action=b.action)
        for b in MAIN_BINDINGS
        if b.id
    ]


def _registry() -> dict[str, Command]:
    commands: dict[str, Command] = {}
    for command in [*_explicit(), *_from_bindings()]:
        commands.setdefault(command.name, command)  # an explicit one wins over a key's
    return dict(sorted(commands.items()))


COMMANDS: Final = _registry()
ALIASES: Final = {"q": "quit", "s": "sort", "p": "priority", "t": "tag", "e": "export"}


@dataclass(frozen=True, slots=True)
class Parsed:
    command: Command
    arguments: list[str]


def parse(text: str) -> Parsed:
    """What a command line asks for; CommandError saying why not, in one line."""
    line = text.strip().removeprefix(":").strip()
    first, _, rest = line.partition(" ")
    raw = COMMANDS.get(ALIASES.get(first, first).lower())
    if raw is not None and raw.raw:  # :search author:"de la Cruz" keeps its quotes
        return Parsed(raw, [rest.strip()] if rest.strip() else [])
    try:
        words = shlex.split(text.strip().removeprefix(":"))
    except ValueError as error:  # an unclosed quotation
        raise CommandError(f"cannot read that command line: {error}.") from None
    if not words:
        raise CommandError("type a command; tab completes, :help lists every key.")
    name, *arguments = words
    if name.isascii() and name.isdigit():
        name, arguments = "goto", [name]
    name = ALIASES.get(name, name).replace("_", "-").lower()
    command = COMMANDS.get(name)
    if command is None:
        near = [c for c in COMMANDS if c.startswith(name)]
        hint = f" (did you mean {', '.join(near[:4])}?)" if near else " (tab completes names)"
        raise CommandError(f"no command {name!r}{hint}.")
    if arguments or not command.fallback:
        _check_count(command, arguments)
    offered = command.choices if command.name != "priority" else ()  # :priority says why
    if offered and arguments and arguments[0].lower() not in offered:
        raise CommandError(f":{command.name} takes {', '.join(offered)}, not {arguments[0]!r}.")
    return Parsed(command, arguments)


def _check_count(command: Command, arguments: list[str]) -> None:
    count = len(arguments)
    if count < command.least or (command.most is not None and count > command.most):
        raise CommandError(f"usage: :{command.usage}")


def complete(text: str, values: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """The line completed as far as it is certain: a command name, a choice for its
    first argument, or (``:filter tag ml``, ``:filter category CL``) one of the
    ``values`` the library holds; None when there is nothing to add."""
    head, space, rest = text.partition(" ")
    if not space:
        names = [name for name in [*COMMANDS, *ALIASES] if name.startswith(head.lower())]
        return _common(text, names)
    command = COMMANDS.get(ALIASES.get(head, head))
    if command is None:
        return None
    first, space, second = rest.partition(" ")
    if space:  # the second argument: a value of the field the first one names
        known = (values or {}).get(first.lower(), ())
        if command.name != "filter" or " " in second:
            return None
        return _common(text, [v for v in known if v.startswith(second)], f"{head} {first} ")
    choices = [choice for choice in command.choices if choice.startswith(rest.lower())]
    return _common(text, choices, prefix=f"{head} ")


def _common(text: str, options: list[str], prefix: str = "") -> str | None:
    if not options:
        return None
    shared = options[0]
    for option in options[1:]:
        while not option.startswith(shared):
            shared = shared[:-1]
    completed = prefix + (shared + " " if len(options) == 1 else shared)
    return completed if len(completed) > len(text) else None
