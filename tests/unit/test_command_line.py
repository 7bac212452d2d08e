"""The : command line's parser and completion, without Textual's event loop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readq.tui import command_line
from readq.tui.command_line import CommandError, complete, parse


def test_commands_with_arguments() -> None:
    parsed = parse("sort title")
    assert (parsed.command.name, parsed.arguments) == ("sort", ["title"])
    assert parse(":tag +rl -old").arguments == ["+rl", "-old"]
    # :search keeps the rest of the line as typed: quotes are the query's own.
    assert parse('search "mixture of experts"').arguments == ['"mixture of experts"']
    assert parse(':search  author:"de la Cruz" -cat:CV ').arguments == [
        'author:"de la Cruz" -cat:CV'
    ]
    assert parse("export ~/x.bib").arguments == ["~/x.bib"]
    assert parse("42").command.name == "goto" and parse("42").arguments == ["42"]


def test_every_key_is_a_command_by_its_id() -> None:
    assert parse("toggle-read").command.action == "toggle_read"
    assert parse("mark_all_read").command.action == "mark_all_read"
    assert parse("q").command.action == "quit"


def test_a_command_without_its_argument_opens_its_dialog() -> None:
    parsed = parse("export")
    assert parsed.arguments == [] and parsed.command.fallback == "export"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("nonsense", "no command 'nonsense'"),
        ("so", "did you mean sort"),
        ("sort", "usage: :sort FIELD"),
        ("sort colour", "takes priority, published"),
        ("priority", "usage: :priority N"),
        ('tag "unclosed', "cannot read that command line"),
        ("", "type a command"),
    ],
)
def test_mistakes_say_why_in_one_line(line: str, says: str) -> None:
    with pytest.raises(CommandError, match=says) as raised:
        parse(line)
    assert "\n" not in str(raised.value)


def test_completion() -> None:
    assert complete("so") == "sort "
    assert complete("sort ti") == "sort title "
    assert complete("sort title ") is None  # nothing to add
    assert complete("mark") == "mark-all-read "
    assert complete("zzz") is None
    assert complete("filter un") == "filter unread "


@given(st.text(max_size=60))
def test_parse_never_fails_but_with_a_command_error(line: str) -> None:
    try:
        parsed = parse(line)
    except CommandError:
        return
    assert parsed.command.name in command_line.COMMANDS


@given(st.text(max_size=30))
def test_completion_only_ever_extends_the_line(line: str) -> None:
    completed = complete(line)
    assert completed is None or (completed.startswith(line.lower()) or completed.startswith(line))


def test_completion_of_the_librarys_tags_and_categories() -> None:
    values = {"tag": ["ml", "mlops", "rl"], "category": ["CL", "CV"]}
    assert complete("filter tag r", values) == "filter tag rl "
    assert complete("filter tag m", values) == "filter tag ml"  # ml or mlops: as far as sure
    assert complete("filter category C", values) is None  # CL or CV: nothing sure to add
    assert complete("filter category CV", values) == "filter category CV "
    assert complete("filter tag rl x", values) is None
    assert complete("sort title x", values) is None
