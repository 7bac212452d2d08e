"""Every key of readq's screens, as data: id, default keys, action, description, group.

The ids are what users remap in config.toml (``[keymap] toggle_read = "x"``);
the help screen, the key bar, the command palette and ``readq config check``
all read this one list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from textual.binding import Binding
from textual.keys import format_key

# The help screen's sections, in order.
GROUPS: Final = ("Moving", "Triage", "Notes and tags", "Search and filters", "Views", "Other")


def _key(
    keys: str, action: str, description: str, id: str, group: str, *, show: bool = False
) -> Binding:
    # Every one is a priority binding: a key is acted on as it arrives, before the
    # next one is dispatched, so that keys typed in one burst after / or n land in
    # the box that opens (the screen's check_action lets typing through).
    return Binding(keys, action, description, show=show, id=id, priority=True, tooltip=group)


MAIN_BINDINGS: Final[list[Binding]] = [
    # Moving
    _key("j,down", "cursor(1)", "Next paper", "next_paper", "Moving"),
    _key("k,up", "cursor(-1)", "Previous paper", "previous_paper", "Moving"),
    _key("J", "next_unread(1)", "Next unread paper", "next_unread", "Moving"),
    _key("K", "next_unread(-1)", "Previous unread paper", "previous_unread", "Moving"),
    _key("g,home", "first", "First paper", "first_paper", "Moving"),
    _key("G,end", "last", "Last paper", "last_paper", "Moving"),
    _key("right_square_bracket,pagedown", "page(1)", "Next page", "next_page", "Moving"),
    _key("left_square_bracket,pageup", "page(-1)", "Previous page", "previous_page", "Moving"),
    _key("ctrl+d", "scroll_details(1)", "Scroll the details down", "scroll_down", "Moving"),
    _key("ctrl+u", "scroll_details(-1)", "Scroll the details up", "scroll_up", "Moving"),
    _key("tab", "switch_pane", "Details / list", "switch_pane", "Moving"),
    # Triage
    _key("space", "toggle_read", "Read/unread", "toggle_read", "Triage", show=True),
    _key("r", "read_next", "Read+next", "read_next", "Triage", show=True),
    _key("A", "mark_all_read", "Mark all shown read", "mark_all_read", "Triage"),
    _key("O", "open_and_read", "Open and mark read", "open_and_read", "Triage"),
    _key("0", "priority(0)", "Clear priority", "priority_0", "Triage"),
    _key("1", "priority(1)", "Priority low", "priority_1", "Triage"),
    _key("2", "priority(2)", "Priority medium", "priority_2", "Triage"),
    _key("3", "priority(3)", "Priority high", "priority_3", "Triage"),
    _key("v", "select", "Select / unselect, then down", "select", "Triage"),
    _key("V", "select_all", "Select all shown", "select_all", "Triage"),
    _key(
        "escape",
        "clear_selection",
        "Clear the selection (or the search)",
        "clear_selection",
        "Triage",
    ),
    _key("d", "delete", "Delete", "delete", "Triage"),
    _key("u", "undo", "Undo", "undo", "Triage", show=True),
    _key("ctrl+r", "redo", "Redo", "redo", "Triage"),
    _key("T", "card_triage", "Triage card by card", "card_triage", "Triage", show=True),
    # Notes and tags
    _key("n", "edit_note", "Note", "edit_note", "Notes and tags", show=True),
    _key("N", "edit_note_outside", "Note in $EDITOR", "edit_note_outside", "Notes and tags"),
    _key("t", "edit_tags", "Tags", "edit_tags", "Notes and tags", show=True),
    # Search and filters
    _key("slash", "search", "Search", "search", "Search and filters", show=True),
    _key("f", "toggle_unread", "Unread only", "toggle_unread", "Search and filters", show=True),
    _key("F", "filter", "Filter", "filter", "Search and filters"),
    # Views
    _key("l", "views", "Views", "views", "Views", show=True),
    _key("s", "cycle_sort", "Sort", "cycle_sort", "Views", show=True),
    _key("S", "reverse_sort", "Reverse sort", "reverse_sort", "Views"),
    _key("p", "for_you", "For you", "for_you", "Views", show=True),
    _key("m", "similar", "More like this paper", "similar", "Views"),
    # Other
    _key("colon", "command_line", "Command line", "command_line", "Other", show=True),
    _key("o", "open", "Open", "open_url", "Other"),
    _key("y", "copy", "Copy citation", "copy_citation", "Other"),
    _key("R", "fetch", "Fetch the feeds", "fetch", "Other"),
    _key("Y", "sync", "Sync with the other machines", "sync", "Other"),
    _key("percent_sign", "stats", "Reading stats", "stats", "Other"),
    _key("i", "import", "Import", "import", "Other"),
    _key("E", "export", "Export view", "export", "Other"),
    _key(
        "ctrl+x",
        "cancel_transfer",
        "Cancel the import, export or fetch",
        "cancel_transfer",
        "Other",
    ),
    _key("ctrl+z", "suspend", "Suspend to the shell", "suspend", "Other"),
    _key("question_mark", "help", "Help", "help", "Other", show=True),
    _key("q", "quit", "Quit", "quit", "Other", show=True),
]

# The detail pane, while it has focus: a pager.
PAGER_BINDINGS: Final[list[Binding]] = [
    _key("j,down", "scroll_lines(1)", "Scroll down a line", "pager_down", "Moving"),
    _key("k,up", "scroll_lines(-1)", "Scroll up a line", "pager_up", "Moving"),
    _key("space,pagedown", "scroll_pages(1)", "Scroll down a page", "pager_page_down", "Moving"),
    _key("b,pageup", "scroll_pages(-1)", "Scroll up a page", "pager_page_up", "Moving"),
    _key("g,home", "scroll_to(0)", "To the top", "pager_top", "Moving"),
    _key("G,end", "scroll_to(1)", "To the bottom", "pager_bottom", "Moving"),
]

# Card triage (T): one paper at a time.
CARD_BINDINGS: Final[list[Binding]] = [
    _key("r", "decide('read')", "Read, next", "card_read", "Triage", show=True),
    _key("k", "decide('keep')", "Keep unread, next", "card_keep", "Triage", show=True),
    _key("0", "priority(0)", "Priority none, next", "card_priority_0", "Triage"),
    _key("1", "priority(1)", "Priority low, next", "card_priority_1", "Triage"),
    _key("2", "priority(2)", "Priority medium, next", "card_priority_2", "Triage"),
    _key("3", "priority(3)", "Priority high, next", "card_priority_3", "Triage"),
    _key("t", "edit_tags", "Tags", "card_tags", "Notes and tags", show=True),
    _key("n", "edit_note", "Note", "card_note", "Notes and tags", show=True),
    _key("d", "delete", "Delete, next", "card_delete", "Triage", show=True),
    _key("s,l,right", "skip", "Skip", "card_skip", "Moving", show=True),
    _key("b,h,left", "back", "Back", "card_back", "Moving", show=True),
    _key("j,down", "scroll_lines(1)", "Scroll down", "card_scroll_down", "Moving"),
    _key("up", "scroll_lines(-1)", "Scroll up", "card_scroll_up", "Moving"),
    _key(
        "space,pagedown,ctrl+d", "scroll_pages(1)", "Scroll down a page", "card_page_down", "Moving"
    ),
    _key("pageup,ctrl+u", "scroll_pages(-1)", "Scroll up a page", "card_page_up", "Moving"),
    _key("u", "undo", "Undo", "card_undo", "Triage", show=True),
    _key("question_mark", "help", "Help", "card_help", "Other", show=True),
    _key("q,escape", "leave", "Back to the list", "card_leave", "Other", show=True),
]

# Which bindings are active together: a key may mean one thing per screen.
KEYMAP_SCREENS: Final[dict[str, list[Binding]]] = {
    "main": MAIN_BINDINGS,
    "pager": PAGER_BINDINGS,
    "card": CARD_BINDINGS,
}


def keymap_groups() -> dict[str, dict[str, str]]:
    """Screen name -> {binding id -> its default keys}: what config.toml's [keymap] may name."""
    return {
        screen: {b.id: b.key for b in bindings if b.id}
        for screen, bindings in KEYMAP_SCREENS.items()
    }


def actions_of(bindings: Iterable[Binding]) -> frozenset[str]:
    """The action names (without arguments) of ``bindings``."""
    return frozenset(b.action.split("(")[0] for b in bindings)


MAIN_ACTIONS: Final = actions_of(MAIN_BINDINGS)


def readable(keys: str) -> str:
    """``right_square_bracket,pagedown`` as ``] / pagedown``, for people."""
    return " / ".join(_readable_key(key.strip()) for key in keys.split(",") if key.strip())


def _readable_key(key: str) -> str:
    if key.startswith("ctrl+"):
        return "ctrl+" + _readable_key(key[5:])
    if key in ("space", "tab", "escape", "enter", "up", "down", "left", "right", "home", "end"):
        return key
    return format_key(key)
