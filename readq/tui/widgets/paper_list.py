"""The paper list: the browse model's page, drawn line by line.

Textual's DataTable repaints every visible cell when any cell changes (its
change counter is part of every row's cache key): ~41 ms per keystroke at
160x50. This widget uses Textual's line API instead: marking a paper read
redraws that paper's line, and moving the cursor redraws two lines. It holds
no state of its own beyond what it last drew: rows, cursor and selection are
the browse model's (browse.py).

Imported text goes in as ``rich.text.Text`` cells, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click, Resize
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from readq.model import Paper
from readq.query import highlights
from readq.querylang.highlight import Highlights
from readq.rank.bars import bar
from readq.sanitize import clean_line
from readq.tui.browse import Browse
from readq.tui.highlighting import highlighted

PRIORITY_MARKS: Final = {0: "", 1: "!", 2: "!!", 3: "!!!"}
HEADER_LINES: Final = 1
TITLE_AT_LEAST: Final = 30  # optional columns make way below this title width
# One width for every page, so that columns never shift as pages turn: "Fitzgerald
# et al." fits; a longer name shows without "et al." (authors_within).
AUTHOR_WIDTH: Final = 17
NOTE_MARK, TAGS_MARK, SELECTED_MARK, UNREAD_MARK = "✎", "#", "✓", "●"
NEW_MARK = "✦"  # in the unread mark's place: arrived since the app was last closed, unseen
FIT_WIDTH: Final = 3  # the relevance bar: 24 steps


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    width: int
    label: str = ""


def columns_for(width: int, *, ranked: bool = False) -> list[Column]:
    """The columns of a list ``width`` cells wide: the title takes
    what the others leave, and author, score and code come in, in that order,
    whenever the title keeps at least TITLE_AT_LEAST cells. ``ranked``: the
    "for you" ranking has learned something, and a bar shows it."""
    fixed = [
        Column("mark", 6),  # ✓● !!!  selected, unread, priority
        Column("flags", 2),  # ✎#  a note, tags
        *([Column("fit", FIT_WIDTH, "You")] if ranked else []),
        Column("date", 10, "Published"),
        Column("category", 5, "Cat"),
    ]
    optional = [
        Column("author", AUTHOR_WIDTH, "Authors"),
        Column("score", 5, "Score"),
        Column("code", 4, "Code"),
    ]
    # One space before every column.
    title = width - sum(c.width + 1 for c in fixed) - 1
    chosen = []
    for column in optional:
        if title - (column.width + 1) >= TITLE_AT_LEAST:
            chosen.append(column)
            title -= column.width + 1
    return [*fixed, Column("title", max(title, 1), "Title"), *chosen]


class PaperList(Widget):
    """Focus stays on the screen, which moves the cursor and turns the pages."""

    can_focus = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {"paper-list--header", "paper-list--cursor"}
    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        color: $foreground;
        & > .paper-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .paper-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Resized(Message):
        """The list's size changed, and with it how many rows a page holds."""

        def __init__(self, rows: int) -> None:
            super().__init__()
            self.rows = rows

    class Clicked(Message):
        """A row was clicked: the screen moves the cursor there."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, browse: Browse, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.browse = browse
        self._drawn: tuple[int, int, int] | None = None  # (version, page, width) last drawn
        self._drawn_cursor = 0
        self._columns: list[Column] = []

    # --- what the screen calls -------------------------------------------------------

    def sync(self, changed: Iterable[int] = ()) -> None:
        """Redraw what the browse model changed: the whole page when it is another
        page (or other rows), else the cursor's two lines and the ``changed`` papers."""
        browse = self.browse
        drawn = (browse.version, browse.page, self.size.width)
        if drawn != self._drawn:
            self._drawn = drawn
            self._columns = columns_for(self.size.width, ranked=browse.ranked)
            self._drawn_cursor = browse.row_in_page
            self.refresh()
            return
        if browse.row_in_page != self._drawn_cursor:
            self._refresh_row(self._drawn_cursor)
            self._drawn_cursor = browse.row_in_page
            self._refresh_row(self._drawn_cursor)
        changed = set(changed)
        if changed:
            for row, paper in enumerate(browse.page_rows):
                if paper.id in changed:
                    self._refresh_row(row)

    @property
    def row_count(self) -> int:
        return len(self.browse.page_rows)

    def row_cells(self, row: int) -> list[Text]:
        """The cells of one row as drawn (before padding): for tests and tools."""
        return self._cells(self.browse.page_rows[row])

    def _cells(self, paper: Paper) -> list[Text]:
        browse = self.browse
        found = highlights(browse.view)
        values = _cell_values(
            paper, paper.id in browse.selected, browse.is_new(paper), self._author_width, found
        )
        if browse.relevance is not None:
            fit = browse.relevance.of(paper.id)
            values["fit"] = Text(bar(fit, FIT_WIDTH) if fit >= 0 else "", style="magenta")
        return [values.get(column.name, Text()) for column in self._columns]

    # --- drawing -----------------------------------------------------------------------

    def _refresh_row(self, row: int) -> None:
        self.refresh(Region(0, row + HEADER_LINES, self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if not self._columns:
            self._columns = columns_for(width, ranked=self.browse.ranked)
        if y < HEADER_LINES:
            style = base + self.get_component_rich_style("paper-list--header")
            labels = [Text(column.label) for column in self._columns]
            return self._strip(labels, style, width)
        row = y - HEADER_LINES
        page = self.browse.page_rows
        if row >= len(page):
            return Strip.blank(width, base)
        paper = page[row]
        if row == self.browse.row_in_page:
            base += self.get_component_rich_style("paper-list--cursor")
        return self._strip(self._cells(paper), base, width)

    @property
    def _author_width(self) -> int:
        return next((c.width for c in self._columns if c.name == "author"), 0)

    def _strip(self, cells: list[Text], style: Style, width: int) -> Strip:
        line = Text(no_wrap=True, end="")
        for cell, column in zip(cells, self._columns, strict=True):
            cell = cell.copy()
            cell.truncate(column.width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
        segments = Segment.apply_style(line.render(self.app.console, end=""), style)
        return Strip(segments, line.cell_len).adjust_cell_length(width, style)

    # --- events ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.Resized(event.size.height - HEADER_LINES))

    def on_click(self, event: Click) -> None:
        row = event.y - HEADER_LINES
        if 0 <= row < len(self.browse.page_rows):
            self.post_message(self.Clicked(row))


def authors_within(paper: Paper, width: int) -> str:
    """``Family et al.``, or just ``Family`` when that does not fit: never half a name
    (only a family name longer than the column itself is cut)."""
    short = paper.authors_short()
    if len(short) <= width:
        return short
    return short.removesuffix(" et al.")


def _cell_values(
    paper: Paper, selected: bool, new: bool, author_width: int, found: Highlights
) -> dict[str, Text]:
    unread = not paper.is_read
    style = "bold" if unread else "dim"
    marks = Text(SELECTED_MARK if selected else " ", style="bold green")
    if new:
        marks.append(NEW_MARK, style="bold yellow")
    else:
        marks.append(UNREAD_MARK if unread else " ", style="bold")
    marks.append(" ")
    marks.append(PRIORITY_MARKS.get(paper.priority, ""), style="bold red")
    flags = Text(NOTE_MARK if paper.notes else " ", style="yellow")
    flags.append(TAGS_MARK if paper.tags else " ", style="cyan")
    return {
        "mark": marks,
        "flags": flags,
        "date": Text(paper.published or "", style="dim"),
        # Cleaned on import; again here, as a hand-edited library file is not, and a
        # line break or escape byte would break the line this list draws.
        "title": highlighted(Text(clean_line(paper.title), style=style), "title", found),
        "author": Text(
            clean_line(authors_within(paper, author_width)), style="" if unread else "dim"
        ),
        "category": Text(clean_line(paper.category or ""), style="italic"),
        "score": Text("" if paper.score is None else f"{paper.score:g}".rjust(5)),
        "code": Text("code" if paper.has_code else "", style="green"),
    }
