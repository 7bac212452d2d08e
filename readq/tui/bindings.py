"""Every key of the main screen, as data: id, default keys, action, description.

The ids are what users remap in config.toml (``[keymap] toggle_read = "x"``).
"""

from __future__ import annotations

from textual.binding import Binding

_KEYS: list[Binding] = [
    Binding("j,down", "cursor(1)", "Next", id="next_paper", show=False),
    Binding("k,up", "cursor(-1)", "Previous", id="previous_paper", show=False),
    Binding("g,home", "first", "First paper", id="first_paper", show=False),
    Binding("G,end", "last", "Last paper", id="last_paper", show=False),
    Binding("right_square_bracket,pagedown", "page(1)", "Next page", id="next_page", show=False),
    Binding(
        "left_square_bracket,pageup", "page(-1)", "Previous page", id="previous_page", show=False
    ),
    Binding("space", "toggle_read", "Read/unread", id="toggle_read"),
    Binding("r", "read_next", "Read+next", id="read_next"),
    Binding("0", "priority(0)", "Clear priority", id="priority_0", show=False),
    Binding("1", "priority(1)", "Priority low", id="priority_1", show=False),
    Binding("2", "priority(2)", "Priority medium", id="priority_2", show=False),
    Binding("3", "priority(3)", "Priority high", id="priority_3", show=False),
    Binding("n", "edit_note", "Note", id="edit_note"),
    Binding("t", "edit_tags", "Tags", id="edit_tags"),
    Binding("slash", "search", "Search", id="search"),
    Binding("f", "toggle_unread", "Unread only", id="toggle_unread"),
    Binding("F", "filter", "Filter", id="filter", show=False),
    Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
    Binding("S", "reverse_sort", "Reverse sort", id="reverse_sort", show=False),
    Binding("v", "select", "Select", id="select", show=False),
    Binding("u", "undo", "Undo", id="undo"),
    Binding("ctrl+r", "redo", "Redo", id="redo", show=False),
    Binding("o", "open", "Open", id="open_url", show=False),
    Binding("y", "copy", "Copy citation", id="copy_citation", show=False),
    Binding("i", "import", "Import", id="import", show=False),
    Binding("E", "export", "Export view", id="export", show=False),
    Binding("tab", "toggle_detail", "Details", id="toggle_detail", show=False),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
]

# All are priority bindings: a key is acted on as it arrives, before the next
# one is dispatched, so keys typed in one burst after / or n land in the
# search box or the editor that opens. ReadqApp.check_action lets them
# through as plain typing wherever a text box has focus or a dialog is open.
MAIN_BINDINGS: list[Binding] = [
    Binding(b.key, b.action, b.description, show=b.show, id=b.id, priority=True, tooltip=b.tooltip)
    for b in _KEYS
]
MAIN_ACTIONS: frozenset[str] = frozenset(b.action.split("(")[0] for b in MAIN_BINDINGS)
