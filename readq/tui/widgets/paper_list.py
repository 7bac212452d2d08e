"""The paper list: one page of papers drawn line by line.

Textual's DataTable repaints every visible cell when any cell changes (its
change counter is part of every row's cache key): ~41 ms per keystroke at
160x50. This widget uses Textual's line API instead: marking a paper read
redraws that paper's line, and moving the cursor redraws two lines.

Imported text goes in as ``rich.text.Text`` cells, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click, Resize
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from readq.model import Paper
from readq.sanitize import clean_line

PRIORITY_MARKS = {0: "", 1: "!", 2: "!!", 3: "!!!"}
# Widths of every column but the title's; each cell is padded by one on both sides.
FIXED_COLUMNS = {"mark": 5, "date": 10, "category": 4, "author": 18, "score": 5, "code": 4}
PADDING_PER_COLUMN = 2
LABELS = {"mark": "", "date": "Published", "category": "Cat"}
# Below these widths the optional columns make way for the title.
AUTHOR_FROM = 64
SCORE_AND_CODE_FROM = 110
HEADER_LINES = 1
SCORE_WIDTH = FIXED_COLUMNS["score"]


class PaperList(Widget):
    """Focus stays on the app, which moves the cursor and turns the pages."""

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

    class Clicked(Message):
        """A row was clicked: the app moves its cursor there."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.papers: list[Paper] = []
        self.selected: set[int] = set()
        self.cursor = 0

    @property
    def row_count(self) -> int:
        return len(self.papers)

    # --- what the app calls ----------------------------------------------------------

    def show_page(self, papers: Sequence[Paper], selected: set[int], cursor: int) -> None:
        self.papers, self.selected = list(papers), set(selected)
        self.cursor = min(cursor, max(len(self.papers) - 1, 0))
        self.refresh()

    def move_cursor(self, row: int) -> None:
        if row != self.cursor:
            previous, self.cursor = self.cursor, row
            self._refresh_row(previous)
            self._refresh_row(row)

    def repaint(self, paper: Paper, selected: bool) -> None:
        """Redraw one paper's line in place."""
        self.selected.discard(paper.id)
        if selected:
            self.selected.add(paper.id)
        for row, shown in enumerate(self.papers):
            if shown.id == paper.id:
                self.papers[row] = paper
                self._refresh_row(row)

    def row_cells(self, row: int) -> list[Text]:
        """The cells of one row as drawn (before padding): for tests and tools."""
        paper = self.papers[row]
        return [cell for cell, _ in self._cells(paper, paper.id in self.selected)]

    # --- drawing -----------------------------------------------------------------------

    def _refresh_row(self, row: int) -> None:
        self.refresh(Region(0, row + HEADER_LINES, self.size.width, 1))

    @property
    def columns(self) -> list[str]:
        columns = ["mark", "date", "category", "title"]
        if self.size.width >= AUTHOR_FROM:
            columns.append("author")
        if self.size.width >= SCORE_AND_CODE_FROM:
            columns += ["score", "code"]
        return columns

    def _widths(self, columns: list[str]) -> list[int]:
        fixed = sum(FIXED_COLUMNS[c] for c in columns if c != "title")
        title = max(self.size.width - fixed - PADDING_PER_COLUMN * len(columns) - 1, 12)
        return [title if c == "title" else FIXED_COLUMNS[c] for c in columns]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y < HEADER_LINES:
            style = base + self.get_component_rich_style("paper-list--header")
            columns = self.columns
            widths = self._widths(columns)
            labels = [Text(LABELS.get(c, c.capitalize())) for c in columns]
            return self._strip(list(zip(labels, widths, strict=True)), style, width)
        row = y - HEADER_LINES
        if row >= len(self.papers):
            return Strip.blank(width, base)
        paper = self.papers[row]
        if row == self.cursor:
            base += self.get_component_rich_style("paper-list--cursor")
        return self._strip(self._cells(paper, paper.id in self.selected), base, width)

    def _strip(self, cells: list[tuple[Text, int]], style: Style, width: int) -> Strip:
        line = Text(no_wrap=True, end="")
        for cell, cell_width in cells:
            cell = cell.copy()
            cell.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
            line.append(" ")
        segments = Segment.apply_style(line.render(self.app.console, end=""), style)
        return Strip(segments, line.cell_len).adjust_cell_length(width, style)

    def _cells(self, paper: Paper, selected: bool) -> list[tuple[Text, int]]:
        columns = self.columns
        values = _cell_values(paper, selected)
        return [(values[c], w) for c, w in zip(columns, self._widths(columns), strict=True)]

    # --- events ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.Resized())

    def on_click(self, event: Click) -> None:
        row = event.y - HEADER_LINES
        if 0 <= row < len(self.papers):
            self.post_message(self.Clicked(row))


def _cell_values(paper: Paper, selected: bool) -> dict[str, Text]:
    style = "bold" if not paper.is_read else "dim"
    dim_if_read = "dim" if paper.is_read else ""
    mark = "✓" if selected else ("●" if not paper.is_read else " ")
    marks = Text(mark + " ", style="bold")
    marks.append(PRIORITY_MARKS[paper.priority], style="bold red")
    return {
        "mark": marks,
        "date": Text(paper.published or "", style="dim"),
        # Cleaned on import; again here, as a hand-edited library file is not, and a
        # line break or escape byte would break the line this list draws.
        "title": Text(clean_line(paper.title), style=style),
        "author": Text(clean_line(paper.first_author_short()), style=dim_if_read),
        "category": Text(clean_line(paper.category or ""), style="italic"),
        "score": Text("" if paper.score is None else f"{paper.score:g}".rjust(SCORE_WIDTH)),
        "code": Text("code" if paper.has_code else "", style="green"),
    }
