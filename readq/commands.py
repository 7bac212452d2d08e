"""What each CLI subcommand does; cli.py only parses arguments."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readq import (
    backups,
    exporters,
    feedstate,
    fetching,
    importers,
    indexed,
    plots,
    render,
    transfer,
    visits,
)
from readq.atomicfile import atomic_write
from readq.collector import collector_paused
from readq.config import config_path, edit_config, library_path, load_settings
from readq.demo import build_demo_library
from readq.editor import edit_in_editor
from readq.errors import ReadqError
from readq.exporters import markdown, readq_json
from readq.exporters.digest import render_digest
from readq.feeds import Feed, parse_feed, with_feed_added, with_feed_removed
from readq.library import Library
from readq.model import PRIORITY_HIGH, Status, now_iso, parse_iso_time
from readq.paths import typed_path
from readq.query import FOR_YOU, View, parsed, select
from readq.querylang import QueryError
from readq.querylang import parse as parse_query
from readq.readingstats import DEFAULT_WEEKS, MAX_WEEKS, reading_stats
from readq.sanitize import clean_line
from readq.sync import machine
from readq.sync import memory as sync_memory
from readq.sync.run import sync_library
from readq.sync.status import sync_status
from readq.views import SavedView

if TYPE_CHECKING:
    from readq.rank.ranking import Ranking


@contextlib.contextmanager
def library_location(args: argparse.Namespace) -> Iterator[Path]:
    """The library this run works on; with --demo a throwaway one, removed afterwards."""
    if not args.demo:
        yield library_path(getattr(args, "db", None))
        return
    with tempfile.TemporaryDirectory(prefix="readq-demo-") as folder:
        yield build_demo_library(Path(folder))


@contextlib.contextmanager
def opened(
    args: argparse.Namespace, *, writable: bool, only: Collection[int] | None = None
) -> Iterator[Library]:
    """The library for one command; ``only`` the papers it shows or changes, read
    without reading the rest (see Library.open)."""
    settings, _ = load_settings()
    library = Library.open(
        args.location, writable=writable, keep_backups=settings.backups, only=only
    )
    try:
        for notice in library.notices:
            print(f"readq: {notice}", file=sys.stderr)
        yield library
    finally:
        library.close()


def import_(args: argparse.Namespace) -> int:
    with collector_paused():
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    as_of = _parse_day(args.as_of) if args.as_of else date.today()
    parsed = transfer.read_and_parse(
        args.source, as_of=as_of, fmt=args.input_format, strict=args.strict
    )
    for line in parsed.problem_lines():
        print(line, file=sys.stderr)
    parsed.check()  # before opening: a refused import never creates or locks a library
    # Opened in part: the import reads only the papers its entries may be.
    with opened(args, writable=True, only=()) as library:
        report = transfer.commit(library, parsed)
    print(report.describe())
    return 0


def merge(args: argparse.Namespace) -> int:
    with collector_paused():
        return _merge(args)


def _merge(args: argparse.Namespace) -> int:
    name, text = importers.read_source(args.source)
    result = importers.parse(text, "readq-json", as_of=date.today())
    if result.errors:
        raise ReadqError(f"{name}: {result.errors[0]} (nothing was merged)")
    with opened(args, writable=True) as library:
        summary = library.merge(result.papers)
    print(f"{name}: {len(result.papers)} papers: {summary.describe()}.")
    for paper_id, fields in sorted(summary.updated.items()):
        print(f"  #{paper_id}: {', '.join(fields)}")
    return 0


def backup(args: argparse.Namespace) -> int:
    with opened(args, writable=True) as library:
        target = library.backup()
    print(f"backed up {len(library)} papers to {target}.")
    return 0


def restore(args: argparse.Namespace) -> int:
    if args.list:
        found = backups.existing(args.location)
        if not found:
            print(f"no backups of {args.location} yet.", file=sys.stderr)
        for entry in found:
            print(entry.describe())
        for stray in backups.strays(args.location):
            shown = clean_line(stray.name)
            print(f"readq: {shown} is not a readq backup's name; left as it is.", file=sys.stderr)
        return 0
    source = backups.find(args.location, None if args.latest else args.backup)
    with opened(args, writable=True) as library:
        count = library.restore(source)
    # A backup made of links is a folder: its name says when and why.
    in_folder = source.parent.parent == backups.folder(args.location)
    named = source.parent.name if in_folder else source.name
    print(f"restored {count} papers from {named}; the previous library was backed up first.")
    return 0


def list_(args: argparse.Namespace) -> int:
    (view, _), now = _view(args), _now(args)
    # A filter that matches few papers reads only them (indexed.py); the ranking
    # learns from every paper.
    ranked = view.sort == FOR_YOU
    only = None if ranked else indexed.chosen_ids(args.location, view, now=now)
    with opened(args, writable=False, only=only) as library:
        if ranked:
            view = view.with_(relevance=_ranking(library).as_relevance())
        papers = select(library, view, now=now)
        if args.json:
            sys.stdout.buffer.writelines(readq_json.list_chunks(papers))
        else:
            render.print_table(papers)
    return 0


def show(args: argparse.Namespace) -> int:
    with opened(args, writable=False, only=[args.id]) as library:
        paper = library.get(args.id)
        if args.json:
            sys.stdout.buffer.write(readq_json.dumps_list([paper])[2:-3] + b"\n")
        else:
            print(render.paper_details(paper))
    return 0


def mark(args: argparse.Namespace) -> int:
    *ids, word = args.ids
    if word not in ("read", "unread"):
        raise ReadqError(f"say `read` or `unread` after the ids, not {word!r}.")
    paper_ids = _paper_ids(ids)
    with opened(args, writable=True, only=paper_ids) as library:
        change = library.set_status(paper_ids, Status(word))
    print(f"{len(change.after)} of {len(paper_ids)} papers changed: now {word}.")
    return 0


def priority(args: argparse.Namespace) -> int:
    *ids, level = args.ids
    if not (level.isascii() and level.isdigit()) or not 0 <= int(level) <= PRIORITY_HIGH:
        raise ReadqError(f"the priority goes last and is 0 to 3, not {level!r}.")
    paper_ids = _paper_ids(ids)
    with opened(args, writable=True, only=paper_ids) as library:
        change = library.set_priority(paper_ids, int(level))
    print(f"{len(change.after)} of {len(paper_ids)} papers changed: now priority {level}.")
    return 0


def note(args: argparse.Namespace) -> int:
    with opened(args, writable=True, only=[args.id]) as library:
        current = library.get(args.id).notes
        if args.set is not None:
            change = library.set_note(args.id, args.set)
        elif args.append is not None:
            change = library.append_note(args.id, args.append)
        else:
            change = library.set_note(args.id, _edit_in_editor(current, args.id))
    print(f"note of #{args.id} {'saved' if change.after else 'unchanged'}.")
    return 0


def tag(args: argparse.Namespace) -> int:
    ids = [word for word in args.changes if not word.startswith(("+", "-"))]
    add = [word[1:] for word in args.changes if word.startswith("+")]
    remove = [word[1:] for word in args.changes if word.startswith("-")]
    if not ids or not (add or remove):
        raise ReadqError("give paper ids, then tags to add (+name) or remove (-name).")
    paper_ids = _paper_ids(ids)
    with opened(args, writable=True, only=paper_ids) as library:
        change = library.change_tags(paper_ids, add, remove)
        for paper_id in paper_ids:
            tags = library.get(paper_id).tags
            print(f"#{paper_id}: {' '.join(tags) if tags else '(no tags)'}")
    print(f"{len(change.after)} of {len(paper_ids)} papers changed.")
    return 0


def delete(args: argparse.Namespace) -> int:
    paper_ids = _paper_ids(args.ids)
    with opened(args, writable=True, only=paper_ids) as library:
        change = library.delete(paper_ids)
    count = len(change.after)
    what, back = ("1 paper", "it") if count == 1 else (f"{count} papers", "them")
    print(f"deleted {what}; `readq undelete ID...` brings {back} back.")
    return 0


def undelete(args: argparse.Namespace) -> int:
    paper_ids = _paper_ids(args.ids)
    with opened(args, writable=True, only=paper_ids) as library:
        change = library.undelete(paper_ids)
    print(f"{len(change.after)} of {len(paper_ids)} papers brought back.")
    return 0


def stats(args: argparse.Namespace) -> int:
    if not args.plot:
        if args.weeks is not None or args.as_of is not None:
            raise ReadqError("--weeks and --as-of go with --plot.")
        with opened(args, writable=False) as library:
            print(render.stats(library.stats()))
        return 0
    weeks = DEFAULT_WEEKS if args.weeks is None else args.weeks
    if not 1 <= weeks <= MAX_WEEKS:
        raise ReadqError(f"--weeks wants a number from 1 to {MAX_WEEKS}, not {weeks}.")
    as_of = _parse_day(args.as_of) if args.as_of else datetime.now(UTC).date()
    with opened(args, writable=False) as library:
        figures = reading_stats(library.papers_among(None), as_of, weeks=weeks)
    # Colour only for a person: a pipe or a file gets plain text (and NO_COLOR is heard).
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    print(plots.terminal_report(figures, shutil.get_terminal_size().columns, color=color))
    return 0


def path(args: argparse.Namespace) -> int:
    print(args.location)
    return 0


def config_check(args: argparse.Namespace) -> int:
    """Each problem in config.toml on stderr, as the app shows it at start; 2 if any."""
    # Textual only here: the check needs its theme names and the app's binding ids.
    from textual.theme import BUILTIN_THEMES

    from readq.tui.bindings import keymap_groups

    target = typed_path(args.file) if args.file else config_path()
    shown = clean_line(str(target))
    if args.file and not target.exists():
        raise ReadqError(f"{shown} does not exist.")
    _, problems = load_settings(target, themes=BUILTIN_THEMES, keymap_screens=keymap_groups())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"readq: {count} in {shown}; each line says what is used instead.", file=sys.stderr)
        return 2  # as for every other user mistake
    if target.exists():
        print(f"{shown} is fine.")
    else:
        print(f"no config file at {shown}: readq uses the defaults.")
    return 0


def config_location(args: argparse.Namespace) -> int:
    print(config_path())
    return 0


def config_keys(args: argparse.Namespace) -> int:
    """The binding ids [keymap] may name, by screen, with their default keys."""
    from readq.tui.bindings import keymap_groups  # imports Textual

    for screen, ids in keymap_groups().items():
        print(f"{screen}:")
        width = max(map(len, ids), default=0)
        for binding_id, keys in ids.items():
            print(f"  {binding_id:<{width}}  {keys}")
    return 0


def feeds_list(args: argparse.Namespace) -> int:
    settings, problems = load_settings()
    for problem in problems:
        print(f"readq: {problem}", file=sys.stderr)
    if not settings.feeds:
        print(f"no feeds: add one with `readq feeds add NAME URL` (in {config_path()}).")
        return 0
    states = feedstate.load(args.location)
    unread = _unread_by_feed(args)
    for feed in settings.feeds:
        state = states.get(feed.name)
        if state is None or state.fetched_at is None:
            fetched = "never fetched"
        else:
            fetched = f"fetched {_local_time(state.fetched_at)}: {state.result}"
        count = unread.get(feed.name, 0)
        source = clean_line(feed.source)
        print(f"{clean_line(feed.name)}: {count} unread · {clean_line(fetched)} · {source}")
    return 0


def _unread_by_feed(args: argparse.Namespace) -> Counter[str]:
    """How many unread papers each feed brought, from the search file if it can say."""
    rows: Sequence[Any] | None = Library.index_rows(args.location, search=True)
    if rows is None:
        with opened(args, writable=False) as library:
            rows = list(library)
    return Counter(name for row in rows if row.status is Status.UNREAD for name in row.feeds)


def _local_time(stamp: str) -> str:
    """``2026-12-02T08:14:00Z`` as this machine's local time, ``2026-12-02 09:14``."""
    moment = parse_iso_time(stamp)
    return stamp if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def feeds_add(args: argparse.Namespace) -> int:
    if (args.url is None) == (args.arxiv_query is None):
        raise ReadqError("give a feed's URL or --arxiv-query QUERY (one of them).")
    if args.url is not None and (args.max_results is not None or args.api is not None):
        raise ReadqError("--max-results and --api go with --arxiv-query.")
    entry: dict[str, object] = {"name": args.name}
    entry.update({"url": args.url} if args.url is not None else {"arxiv_query": args.arxiv_query})
    if args.max_results is not None:
        entry["max_results"] = args.max_results
    if args.api is not None:
        entry["api"] = args.api
    if args.tag:
        entry["tags"] = args.tag
    try:
        feed = parse_feed(entry)
    except ValueError as error:
        raise ReadqError(f"{error}.") from None
    edit_config(lambda text: with_feed_added(text, feed), "the feed was not added")
    print(f"added the feed {clean_line(feed.name)}: {clean_line(feed.source)}.")
    return 0


def feeds_remove(args: argparse.Namespace) -> int:
    edit_config(lambda text: with_feed_removed(text, args.name), "no feed was removed")
    print(f"removed the feed {clean_line(args.name)}.")
    return 0


def export(args: argparse.Namespace) -> int:
    (view, sorted_as_asked), now = _view(args), _now(args)
    with opened(args, writable=False) as library:
        papers = select(library, view, now=now)
        if not sorted_as_asked:
            papers.sort(key=lambda paper: paper.id)  # no order asked for: the ids'

    if args.one_file_per_paper:
        if args.format != "markdown":
            raise ReadqError("--one-file-per-paper goes with --format markdown.")
        folder = typed_path(args.one_file_per_paper)
        written = markdown.write_one_file_per_paper(papers, folder, force=args.force)
        print(f"exported {len(written)} papers to {folder}.", file=sys.stderr)
        return 0
    if args.output is None:
        sys.stdout.buffer.write(exporters.export(papers, args.format))
        return 0
    target = typed_path(args.output)
    count = transfer.export_to(papers, target, fmt=args.format, force=args.force)
    print(f"exported {count} papers to {target}.", file=sys.stderr)
    return 0


def open_tui(args: argparse.Namespace) -> int:
    from readq.tui.launch import run_app  # Textual is imported only here

    return run_app(args.location)


# --- helpers ---------------------------------------------------------------------


def _view(args: argparse.Namespace) -> tuple[View, bool]:
    """The view the options ask for, and whether they (or the saved view) ask for
    an order: a saved view (``--view``) and a search are both applied; the
    shorthand filters (``--status``...) too. QueryError for a search that
    cannot be read, before the library is opened."""
    search, sort, reverse, name = args.search, args.sort, args.reverse, None
    if args.view is not None:
        saved = _saved_view(args.view)
        name = saved.name
        search = f"({saved.query}) ({search})" if search.strip() else saved.query
        if sort is None and saved.sort is not None:
            sort, reverse = saved.sort, saved.reverse != reverse
    view = View(
        status=args.status,
        min_priority=args.min_priority,
        tag=args.tag,
        search=search,
        sort=sort or "priority",
        reverse=reverse,
        name=name,
        new_since=visits.last_closed(args.location),
    )
    parsed(view)  # a mistake in the query: one line, exit 2, before the library is read
    return view, sort is not None


def _saved_view(name: str) -> SavedView:
    settings, _ = load_settings()
    saved = settings.views.get(name)
    if saved is None:
        known = ", ".join(sorted(settings.views)) or "none"
        raise ReadqError(f"there is no view called {name!r} (the views: {known}).")
    return saved


def _now(args: argparse.Namespace) -> datetime | None:
    """When relative dates count from: noon of ``--as-of``'s day, else now."""
    if args.as_of is None:
        return None
    day = _parse_day(args.as_of)
    return datetime.combine(day, time(12)).astimezone()


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReadqError(f"--as-of wants a date as YYYY-MM-DD, not {text!r}.") from None


def paper_id(word: str) -> int:
    """``12`` or ``#12`` as the id 12."""
    try:
        return int(word.lstrip("#"))
    except ValueError:
        raise ReadqError(f"{word!r} is not a paper id.") from None


def _paper_ids(words: list[str]) -> list[int]:
    if not words:
        raise ReadqError("give at least one paper id.")
    return [paper_id(word) for word in words]


def _edit_in_editor(text: str, paper_id: int) -> str:
    with tempfile.TemporaryDirectory(prefix="readq-note-") as folder:
        return edit_in_editor(text, Path(folder) / f"note-{paper_id}.md")


# --- subscriptions ------------------------------------------------------------------


def fetch(args: argparse.Namespace) -> int:
    settings, problems = load_settings()
    for problem in problems:
        print(f"readq: {problem}", file=sys.stderr)
    feeds = _chosen_feeds(settings.feeds, args.names)
    if not visits.last_closed(args.location):
        # Never opened in the app (a library from before feeds, or fetched from cron
        # alone): what is already there is not new, what this fetch brings is.
        with contextlib.suppress(OSError):
            visits.save_closed(args.location, now_iso())
    states = feedstate.load(args.location)
    as_of = _parse_day(args.as_of) if args.as_of else date.today()
    downloads = fetching.fetch_all(feeds, states, as_of=as_of)
    if any(download.papers for download in downloads):
        # The one write of this fetch, into a library opened in part (as an import:
        # only the papers its entries may be are read).
        with opened(args, writable=True, only=()) as library:
            reports = fetching.commit(library, downloads)
    else:
        reports = fetching.commit(None, downloads)
    try:
        fetching.remember(args.location, states, downloads, reports)
    except OSError as error:  # the papers are in: the next fetch downloads them again
        print(f"readq: could not remember the feeds' state ({error.strerror}).", file=sys.stderr)
    for report in reports:
        print(report.line())
    return 0 if all(report.ok for report in reports) else 1


def _chosen_feeds(feeds: tuple[Feed, ...], names: list[str]) -> list[Feed]:
    if not feeds:
        raise ReadqError(
            f"no feeds to fetch: add one with `readq feeds add NAME URL` ({config_path()})."
        )
    if not names:
        return list(feeds)
    by_name = {feed.name: feed for feed in feeds}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        known = ", ".join(clean_line(feed.name) for feed in feeds)
        raise ReadqError(f"there is no feed called {unknown[0]!r} (the feeds: {known}).")
    return [by_name[name] for name in dict.fromkeys(names)]


def digest(args: argparse.Namespace) -> int:
    since = args.since.strip()
    if since[:1].isdigit() and since[-1:].isalpha():  # an age: 12h, 1d, 2w
        window, said = f"added:<{since}", f"in the last {since}"
    else:  # a day: 2026-12-01, today, yesterday
        window, said = f"added:>={since}", f"since {since}"
    try:
        parse_query(window)
    except QueryError:
        raise ReadqError(
            f"--since takes an age (12h, 1d, 2w) or a day (2026-12-01, today, yesterday), "
            f"not {since!r}."
        ) from None
    args.search = f"{window} ({args.search})" if args.search.strip() else window
    args.sort = args.sort or "added"
    (view, _), now = _view(args), _now(args)
    settings, _ = load_settings()
    only = indexed.chosen_ids(args.location, view, now=now)  # as list: only those read
    with opened(args, writable=False, only=only) as library:
        papers = select(library, view, now=now)
    title = f"readq digest: what arrived {said}" + (f" (view {view.name})" if view.name else "")
    feeds = [feed.name for feed in settings.feeds]
    text = render_digest(papers, title, feeds).encode("utf-8")
    if args.output is None:
        sys.stdout.buffer.write(text)
        return 0
    target = typed_path(args.output)
    if target.exists() and not args.force:
        raise transfer.TargetExists(target)
    atomic_write(target, text)
    print(f"wrote a digest of {len(papers)} papers to {target}.", file=sys.stderr)
    return 0


# --- syncing -----------------------------------------------------------------------


def sync(args: argparse.Namespace) -> int:
    folder = _sync_folder(args)
    if args.new_id:
        lock = Library.take_writer_lock(args.location)  # not under a running app
        try:
            renewed = machine.new_id(args.location)
        finally:
            lock.release()
        print(
            f"this machine is now {renewed.name} ({renewed.id}) to the others; "
            "give it a name of its own with --name."
        )
    if args.name is not None:
        named = machine.rename(args.location, args.name, sync_memory.known_names(args.location))
        print(f"this machine is called {named.name} ({named.id}).")
    if (args.name is not None or args.new_id) and (folder is None or args.status):
        return 0 if folder is None else _sync_status(args.location, folder)
    if folder is None:
        raise ReadqError(
            f'no sync folder: set sync_dir = "~/Sync/readq" in {config_path()}, '
            "or name one: readq sync DIR."
        )
    if args.status:
        return _sync_status(args.location, folder)
    with collector_paused(), opened(args, writable=True, only=()) as library:
        report = sync_library(library, folder, everything=args.all)
    for problem in report.problems:
        print(f"readq: {clean_line(problem)}", file=sys.stderr)
    print(report.describe())
    return 0 if report.ok else 1


def _sync_folder(args: argparse.Namespace) -> Path | None:
    if args.folder:
        return typed_path(args.folder).expanduser()
    settings, problems = load_settings()
    for problem in problems:
        print(f"readq: {problem}", file=sys.stderr)
    return settings.sync_dir


def _sync_status(location: Path, folder: Path) -> int:
    for line in sync_status(location, folder):
        print(line)
    return 0


# --- ranking -------------------------------------------------------------------------


def _ranking(library: Library) -> Ranking:
    """The library's "for you" ranking (numpy: only when ranking is asked for)."""
    from readq.rank.ranking import rank as rank_papers

    return rank_papers(library.papers_among(None), library=library.path)


def rank(args: argparse.Namespace) -> int:
    from readq.rank import report
    from readq.rank.ranking import undecided

    with opened(args, writable=False) as library:
        ranking = _ranking(library)
        if args.explain is not None:
            lines = report.explanation_lines(ranking, library.get(args.explain))
        else:
            shown = [p for p in ranking.ordered(undecided(library)) if p.status is Status.UNREAD]
            lines = report.ranked_lines(ranking, shown[: args.limit])
        for line in lines:
            print(line)
    return 0


def similar(args: argparse.Namespace) -> int:
    from readq.rank import report

    with opened(args, writable=False) as library:
        paper = library.get(args.id)
        ranking = _ranking(library)
        found = [(library.get(i), cosine) for i, cosine in ranking.similar(paper.id, args.limit)]
        for line in report.similar_lines(paper, found):
            print(line)
    return 0
