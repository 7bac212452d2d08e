"""The paper list: a DataTable that only ever holds the page on screen.

Imported text goes in as ``rich.text.Text`` cells, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from readq.model import Paper

PRIORITY_MARKS = {0: "", 1: "!", 2: "!!", 3: "!!!"}
# Widths of every column but the title's; DataTable pads each cell by one on both sides.
FIXED_COLUMNS = {"mark": 5, "date": 10, "category": 4, "author": 18, "score": 5, "code": 4}
PADDING_PER_COLUMN = 2
# Below these table widths the optional columns make way for the title.
AUTHOR_FROM = 64
SCORE_AND_CODE_FROM = 110


class PaperTable(DataTable[Text]):
    """Focus stays on the app, which moves the cursor and turns the pages."""

    can_focus = False

    class Resized(Message):
        """The table's size changed, and with it how many rows a page holds."""

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.Resized())

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = False

    def show_page(self, papers: Sequence[Paper], selected: set[int], cursor: int) -> None:
        self.clear(columns=True)
        columns = ["mark", "date", "category", "title"]
        if self.size.width >= AUTHOR_FROM:
            columns.append("author")
        if self.size.width >= SCORE_AND_CODE_FROM:
            columns += ["score", "code"]
        title_width = self._title_width(columns)
        labels = {"mark": "", "date": "Published", "category": "Cat"}
        for name in columns:
            width = title_width if name == "title" else FIXED_COLUMNS[name]
            self.add_column(labels.get(name, name.capitalize()), width=width, key=name)
        for paper in papers:
            cells = _cells(paper, paper.id in selected, title_width, columns)
            self.add_row(*cells, key=str(paper.id))
        if papers:
            self.move_cursor(row=min(cursor, len(papers) - 1), animate=False)

    def repaint(self, paper: Paper, selected: bool) -> None:
        """Redraw one paper's row in place (the table repaints only what changed)."""
        columns = [str(key.value) for key in self.columns]
        cells = _cells(paper, selected, self._title_width(columns), columns)
        for column, cell in zip(columns, cells, strict=True):
            self.update_cell(str(paper.id), column, cell)

    def _title_width(self, columns: list[str]) -> int:
        fixed = sum(FIXED_COLUMNS[c] for c in columns if c != "title")
        room = self.size.width - fixed - PADDING_PER_COLUMN * len(columns) - 1
        return max(room, 12)


def _cells(paper: Paper, selected: bool, title_width: int, columns: list[str]) -> list[Text]:
    style = "bold" if not paper.is_read else "dim"
    mark = "✓" if selected else ("●" if not paper.is_read else " ")
    title = Text(paper.title, style=style, no_wrap=True, overflow="ellipsis")
    title.truncate(title_width, overflow="ellipsis")
    author = Text(paper.first_author_short(), style="dim" if paper.is_read else "")
    author.truncate(FIXED_COLUMNS["author"], overflow="ellipsis")
    marks = Text(mark + " ", style="bold")
    marks.append(PRIORITY_MARKS[paper.priority], style="bold red")
    values = {
        "mark": marks,
        "date": Text(paper.published or "", style="dim"),
        "category": Text(paper.category or "", style="italic"),
        "title": title,
        "author": author,
        "score": Text("" if paper.score is None else f"{paper.score:g}", justify="right"),
        "code": Text("code" if paper.has_code else "", style="green"),
    }
    return [values[name] for name in columns]
