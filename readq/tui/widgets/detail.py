"""The detail pane: the whole paper, its state, and the note rendered as Markdown."""

from __future__ import annotations

from urllib.parse import urlparse

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from readq.model import PRIORITY_LABELS, Paper


class DetailPane(VerticalScroll):
    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="detail-text")
        yield Markdown(id="detail-notes", open_links=False)

    def show(self, paper: Paper | None) -> None:
        self.query_one("#detail-text", Static).update(describe(paper) if paper else Text(""))
        notes = self.query_one("#detail-notes", Markdown)
        notes.display = bool(paper and paper.notes)
        notes.update(paper.notes if paper else "")
        self.scroll_home(animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Open only web links from a note; anything else (file:, javascript:) does nothing."""
        event.prevent_default()
        if urlparse(event.href).scheme in ("http", "https"):
            self.app.open_url(event.href)
        else:
            self.notify("Only http and https links are opened.", severity="warning")


def describe(paper: Paper) -> Text:
    """Everything but the notes, built as Text so that imported text stays literal."""
    text = Text()
    text.append(paper.title + "\n", style="bold")
    if paper.authors:
        text.append(", ".join(paper.authors))
        if paper.authors_truncated:
            text.append(" et al. (list cut short)", style="italic")
        text.append("\n")
    if paper.orgs:
        text.append(", ".join(paper.orgs) + "\n", style="italic")
    text.append("\n")
    facts = [
        ("Category", paper.category or "—"),
        ("Published", paper.published or "—"),
        ("Score", "—" if paper.score is None else f"{paper.score:g}"),
        ("Code", "yes" if paper.has_code else "no"),
        ("Status", paper.status.value),
        ("Priority", f"{paper.priority} ({PRIORITY_LABELS[paper.priority]})"),
        ("Tags", " ".join(f"#{t}" for t in paper.tags) or "—"),
    ]
    if paper.url:
        facts.append(("URL", paper.url))
    if paper.arxiv_id:
        facts.append(("arXiv", paper.arxiv_id))
    if paper.doi:
        facts.append(("DOI", paper.doi))
    for name, value in facts:
        text.append(f"{name:<10}", style="dim")
        text.append(value + "\n")
    if paper.abstract:
        text.append("\n" + paper.abstract + "\n")
    if paper.notes:
        text.append("\nNotes", style="bold underline")
    return text
