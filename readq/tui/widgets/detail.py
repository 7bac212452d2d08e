"""The detail pane: the whole paper, its state, and the note rendered as Markdown.

It is also a pager: focused (tab), it scrolls with j/k, space/b, pageup/pagedown
and g/G, so that a long abstract never hides the note below it.
"""

from __future__ import annotations

from urllib.parse import urlparse

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Markdown, Static

from readq.model import PRIORITY_LABELS, Paper
from readq.querylang.highlight import NOTHING_FOUND, Highlights
from readq.rank.bars import bar, readable
from readq.sanitize import clean_block, clean_line
from readq.tui.highlighting import highlighted
from readq.tui.ranker import Why
from readq.tui.widgets.pager import Pager


class DetailPane(Pager):
    """Three plain-text parts and the note, each redrawn only when it changed:
    marking a paper read redraws the few lines of facts, not the abstract."""

    PARTS = ("detail-head", "detail-facts", "detail-body")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_id: int | None = None
        self._shown_texts: list[Text] = [Text() for _ in self.PARTS]
        self._shown_notes = ""

    def compose(self) -> ComposeResult:
        for part in self.PARTS:
            yield Static(id=part)
        yield Markdown(id="detail-notes", open_links=False)

    def show(
        self, paper: Paper | None, found: Highlights | None = None, why: Why | None = None
    ) -> None:
        """Show ``paper``, the words of ``found`` (a search's) marked in it, and
        ``why`` it ranks where it does for you."""
        if paper is None:
            texts = [Text() for _ in self.PARTS]
        else:
            texts = describe(paper, found or NOTHING_FOUND, why)
        for part, text, shown in zip(self.PARTS, texts, self._shown_texts, strict=True):
            if text != shown:
                widget = self.query_one(f"#{part}", Static)
                widget.update(text)
                widget.display = bool(text.plain)
        self._shown_texts = texts
        notes = clean_block(paper.notes) if paper else ""  # see describe()
        if notes != self._shown_notes:  # rebuilding a Markdown document is slow
            markdown = self.query_one("#detail-notes", Markdown)
            markdown.display = bool(notes)
            markdown.update(notes)
            self._shown_notes = notes
        paper_id = paper.id if paper else None
        if paper_id != self._shown_id:
            self.scroll_home(animate=False)
            self._shown_id = paper_id

    @property
    def texts(self) -> list[Text]:
        """The head, facts and body shown, styles and all (for tests and tools)."""
        return list(self._shown_texts)

    @property
    def plain(self) -> str:
        """Everything shown but the note, as plain text (for tests and tools)."""
        return "".join(text.plain for text in self._shown_texts)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Open only web links from a note; anything else (file:, javascript:) does nothing."""
        event.prevent_default()
        if urlparse(event.href).scheme in ("http", "https"):
            self.app.open_url(event.href)
        else:
            self.notify("Only http and https links are opened.", severity="warning")


def describe(paper: Paper, found: Highlights = NOTHING_FOUND, why: Why | None = None) -> list[Text]:
    """Head (title, authors), facts (with the user's state) and body (abstract), built
    as Text so that imported text stays literal.

    Each value is cleaned again here: imports clean what they store, but a library
    edited by hand may hold an escape sequence (a new window title, OSC 52 to the
    clipboard), and Textual passes those on to the terminal.
    """
    head = Text()
    head.append_text(highlighted(Text(clean_line(paper.title), style="bold"), "title", found))
    head.append("\n")
    if paper.authors:
        head.append_text(highlighted(Text(clean_line(", ".join(paper.authors))), "authors", found))
        if paper.authors_truncated:
            head.append(" et al. (list cut short)", style="italic")
        head.append("\n")
    if paper.orgs:
        orgs = Text(clean_line(", ".join(paper.orgs)), style="italic")
        head.append_text(highlighted(orgs, "orgs", found))
        head.append("\n")
    facts = [
        ("Category", paper.category or "—"),
        ("Published", paper.published or "—"),
        ("Score", "—" if paper.score is None else f"{paper.score:g}"),
        ("Code", "yes" if paper.has_code else "no"),
        ("Status", paper.status.value),
        ("Priority", f"{paper.priority} ({PRIORITY_LABELS[paper.priority]})"),
        ("Tags", " ".join(f"#{t}" for t in paper.tags) or "—"),
        ("Added", paper.added_at[:10] or "—"),
    ]
    if paper.arrived_from or paper.feeds:
        facts.append(("From", came_from(paper)))
    if paper.read_at:
        facts.append(("Read", paper.read_at[:10]))
    if paper.url:
        facts.append(("URL", paper.url))
    if paper.arxiv_id:
        facts.append(("arXiv", paper.arxiv_id))
    if paper.doi:
        facts.append(("DOI", paper.doi))
    if why is not None:
        facts.extend(for_you(why))
    state = Text()
    for name, value in facts:
        state.append(f"{name:<10}", style="dim")
        state.append(clean_line(value) + "\n")
    body = highlighted(Text(clean_block(paper.abstract)), "abstract", found)
    if paper.notes:
        body.append("\n\nNotes" if paper.abstract else "Notes", style="bold underline")
    for text in (head, state, body):
        text.rstrip()  # the gaps between the parts are margins (app.tcss)
    return [head, state, body]


def for_you(why: Why) -> list[tuple[str, str]]:
    """The ranking's facts: how relevant, how sure, and the features that pushed
    the paper up or down (the model's words, authors and categories)."""
    facts = [("For you", f"{why.relevance:.2f} {bar(why.relevance, 6).rstrip()}  {why.sureness}")]
    if why.up:
        facts.append(("Up by", ", ".join(map(readable, why.up))))
    if why.down:
        facts.append(("Down by", ", ".join(map(readable, why.down))))
    return facts


def came_from(paper: Paper) -> str:
    """``feed cs.LG, also mamba`` or ``listing.txt``: where the paper arrived from
    (a file by its name alone), then the other feeds it was seen in."""
    first = paper.arrived_from or ""
    if first in paper.feeds:
        first = f"feed {first}"
    elif "://" not in first:
        first = first.replace("\\", "/").rsplit("/", 1)[-1]
    others = [name for name in paper.feeds if name != paper.arrived_from]
    if not first:
        return "feeds " + ", ".join(others)
    return first + (f", also {', '.join(others)}" if others else "")
