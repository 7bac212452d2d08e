"""Editing tags and notes, the same way from the list and from card triage.

Each opens its dialog (or $EDITOR) and hands the Library change it made to
``done``, so that the screen that asked can show it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SuspendNotSupported

from readq.editor import edit_in_editor
from readq.errors import ReadqError
from readq.history import Change
from readq.model import Paper
from readq.tui.screens.note_editor import NoteEditor
from readq.tui.screens.prompt import Prompt
from readq.userstate import note_versions_of

if TYPE_CHECKING:
    from readq.tui.app import ReadqApp

Done = Callable[[Change], None]


def tag_change(
    app: ReadqApp, targets: Sequence[int], words: list[str], shown: Sequence[str] | None = None
) -> Change | None:
    """``+name`` adds and ``-name`` removes. For one paper, plain names are its tags
    (the tag box shows them: what is left in the box stays); with only ``+``/``-``
    words (``:tag +rl -old``) its other tags stay too. On several papers plain
    names are added. ``shown``: the tags the box opened with; what the user took
    out of them is removed, and a tag a sync brought in meanwhile stays."""
    library = app.library
    plain = [word for word in words if not word.startswith(("+", "-"))]
    add = [word[1:] for word in words if word.startswith("+")]
    remove = {word[1:] for word in words if word.startswith("-")}
    if len(targets) == 1 and plain:
        tags = [tag for tag in [*plain, *add] if tag not in remove]
        before = list(shown) if shown is not None else library.get(targets[0]).tags
        taken_out = [tag for tag in before if tag not in tags]
        return app.run_change(lambda: library.change_tags(targets, tags, taken_out))
    return app.run_change(lambda: library.change_tags(targets, [*plain, *add], remove))


def edit_tags(app: ReadqApp, targets: Sequence[int], done: Done) -> None:
    if not targets:
        return
    targets = list(targets)
    if len(targets) == 1:
        paper = app.library.get(targets[0])
        title = Text("Tags for ")
        title.append(paper.title, style="bold")
        title.append("\nspace-separated; +name adds, -name removes", style="dim")
        # The cursor after the tags, not on them: what is typed adds a tag, and
        # removing one takes a deliberate backspace.
        value, placeholder = "".join(f"{tag} " for tag in paper.tags), "tags"
        shown: list[str] | None = list(paper.tags)
    else:
        title = Text(f"Tags for {len(targets)} papers: +name (or name) adds, -name removes")
        value, placeholder, shown = "", "+tag -tag", None

    def save(answer: str | None) -> None:
        if answer is not None:
            change = tag_change(app, targets, answer.split(), shown)
            if change is not None:
                done(change)

    app.push_screen(Prompt(title, value, placeholder, answer=save, select_on_focus=False))


def edit_note(app: ReadqApp, paper: Paper, done: Done) -> None:
    # What the edit starts from: a sync may merge another machine's note meanwhile.
    based_on = note_versions_of(paper)

    def save(text: str | None) -> None:
        if text is None:
            return
        change = app.run_change(lambda: app.library.set_note(paper.id, text, based_on=based_on))
        if change is not None:
            _discard_once_saved(app, paper.id)
            done(change)

    app.push_screen(NoteEditor(paper, app.drafts, answer=save))


def _discard_once_saved(app: ReadqApp, paper_id: int, *, editor_file: bool = False) -> None:
    """Drop the draft of a note just saved, unless the disk refused the save: then the
    draft is the note's only copy on disk, and the next edit offers it again."""
    if app.library.pending:
        return
    try:
        app.drafts.discard(paper_id)
        if editor_file:
            app.drafts.discard_editor_file(paper_id)
    except OSError:
        pass  # a draft equal to the note is harmless: the editor opens on the note
    app.notify("Note saved.")


def edit_note_outside(app: ReadqApp, paper: Paper, done: Done) -> None:
    """The note in $VISUAL / $EDITOR, the app suspended meanwhile.

    The text is edited in a file beside the library, not in a temporary folder:
    if the terminal closes while the editor is open, the file is still there,
    and the next edit of that note starts from it.
    """
    drafts = app.drafts
    file = drafts.editor_file(paper.id)
    start = drafts.leftover_edit(paper.id)
    if start is None:
        start = drafts.get(paper.id)
    failure: ReadqError | None = None
    text = paper.notes
    based_on = note_versions_of(paper)
    try:
        with app.suspend():
            # Nothing may escape this block: Textual resumes the app only when it
            # ends normally, and an editor that fails to start would leave the
            # terminal to nobody.
            try:
                text = edit_in_editor(start if start is not None else paper.notes, file)
            except ReadqError as error:
                failure = error
    except SuspendNotSupported:
        app.notify("This terminal cannot be handed to an editor; n edits the note here.")
        return
    if failure is not None:
        app.notify(f"Note not saved: {failure}", severity="error", markup=False)
        return
    if text == paper.notes:
        with contextlib.suppress(OSError):
            drafts.discard_editor_file(paper.id)
        return
    change = app.run_change(lambda: app.library.set_note(paper.id, text, based_on=based_on))
    if change is not None:
        _discard_once_saved(app, paper.id, editor_file=True)  # until then, the file is kept
        done(change)
