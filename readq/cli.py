"""The command line: argparse subcommands over the same Library the TUI uses.

Textual is imported only when the TUI opens, so scripted commands start fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from readq import __version__, commands
from readq.errors import NotSaved, ReadqError
from readq.exporters import EXPORTERS
from readq.query import SORTS
from readq.querylang.guide import GUIDE
from readq.readingstats import DEFAULT_WEEKS
from readq.sanitize import clean_line

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, exit 2: a mistake on the command line is not worth a usage dump."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="library file or folder (default: $READQ_DB, else the platform's data folder)",
    )
    parser = _Parser(
        prog="readq",
        parents=[common],
        description="Triage research papers from the keyboard. "
        "With no command, opens the interactive app.",
    )
    parser.add_argument("--version", action="version", version=f"readq {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use a throwaway library of demo papers (never your own library)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, helptext: str, handler: Callable[[argparse.Namespace], int]) -> _Parser:
        command = sub.add_parser(name, parents=[common], help=helptext, description=helptext)
        command.set_defaults(handler=handler)
        return command

    imp = add("import", "import papers from a file, or - for standard input", commands.import_)
    imp.add_argument("source", metavar="FILE|-")
    imp.add_argument("--as-of", metavar="YYYY-MM-DD", help="day the listing was captured")
    imp.add_argument(
        "--strict", action="store_true", help="write nothing if any entry is malformed"
    )

    imp.add_argument("--format", dest="input_format", metavar="FORMAT", help="skip detection")

    mrg = add(
        "merge", "fold another machine's `readq export` JSON into this library", commands.merge
    )
    mrg.add_argument("source", metavar="OTHER.json|-")

    lst = add("list", "list papers", commands.list_)
    lst.epilog = SEARCH_HELP
    lst.formatter_class = argparse.RawDescriptionHelpFormatter
    _add_view_options(lst)
    lst.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = add("show", "show one paper in full", commands.show)
    show.add_argument("id", type=_paper_id)
    show.add_argument("--json", action="store_true", help="print JSON")

    mark = add("mark", "mark papers read or unread", commands.mark)
    mark.add_argument("ids", nargs="+", metavar="ID... read|unread")

    prio = add("priority", "set the priority of papers (0 none … 3 high)", commands.priority)
    prio.add_argument("ids", nargs="+", metavar="ID... N")

    note = add("note", "set, append to, or edit ($EDITOR) a paper's note", commands.note)
    note.add_argument("id", type=_paper_id)
    how = note.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="replace the note")
    how.add_argument("--append", metavar="TEXT", help="add a paragraph to the note")

    tag = add("tag", "add (+name) or remove (-name) tags on papers", commands.tag)
    tag.add_argument("changes", nargs=argparse.REMAINDER, metavar="ID... +name -name")

    dele = add(
        "delete", "delete papers (kept hidden: `undelete` brings them back)", commands.delete
    )
    dele.add_argument("ids", nargs="+", metavar="ID")
    undo = add("undelete", "bring deleted papers back, notes and all", commands.undelete)
    undo.add_argument("ids", nargs="+", metavar="ID")

    add("backup", "make a backup of the library now", commands.backup)
    rst = add("restore", "list backups, or replace the library with one", commands.restore)
    which = rst.add_mutually_exclusive_group(required=True)
    which.add_argument("--list", action="store_true", help="list the backups, newest first")
    which.add_argument("--latest", action="store_true", help="restore the newest backup")
    which.add_argument("backup", nargs="?", metavar="BACKUP", help="a backup's name or path")

    fetch = add(
        "fetch",
        "fetch the feeds in config.toml (all, or those named) into the library",
        commands.fetch,
    )
    fetch.add_argument("names", nargs="*", metavar="NAME", help="a feed's name (default: all)")
    fetch.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day the feeds are read on")
    dig = add("digest", "write a Markdown digest of the papers that arrived", commands.digest)
    dig.add_argument(
        "--since",
        default="1d",
        metavar="AGE|DAY",
        help="what arrived in the last AGE (12h, 1d, 2w) or since DAY (default: 1d)",
    )
    dig.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    dig.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _add_view_options(dig, default_sort="added")

    syn = add(
        "sync",
        "sync the library with other machines through a shared folder (sync_dir)",
        commands.sync,
    )
    syn.add_argument(
        "folder", nargs="?", metavar="DIR", help="the sync folder (default: sync_dir in config)"
    )
    syn.add_argument("--name", metavar="NAME", help="give this machine a name the others see")
    syn.add_argument(
        "--status", action="store_true", help="say what each machine last wrote, and when"
    )
    syn.add_argument(
        "--all",
        action="store_true",
        help="write every paper into this machine's files (a new folder, a machine retired)",
    )
    syn.add_argument(
        "--new-id",
        action="store_true",
        help="give this machine a new id (for a library copied from another machine)",
    )

    rnk = add("rank", "the unread papers by what your triage taught readq", commands.rank)
    rnk.add_argument(
        "--explain", metavar="ID", type=_paper_id, help="why one paper ranks where it does"
    )
    rnk.add_argument("--limit", type=int, default=20, metavar="N", help="how many (default 20)")
    sim = add("similar", "the papers most like one paper", commands.similar)
    sim.add_argument("id", metavar="ID", type=_paper_id)
    sim.add_argument("--limit", type=int, default=10, metavar="N", help="how many (default 10)")

    sts = add("stats", "counts by status, priority and tag; --plot: reading stats", commands.stats)
    sts.add_argument(
        "--plot",
        action="store_true",
        help="papers arrived, triaged and read per week, the unread backlog, days to read, "
        "top categories, tags and authors, drawn in the terminal",
    )
    sts.add_argument(
        "--weeks",
        type=int,
        default=None,
        metavar="N",
        help=f"with --plot: how many weeks (default {DEFAULT_WEEKS})",
    )
    sts.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="with --plot: the last day of the last week (default: today, UTC)",
    )
    add("path", "print where the library lives", commands.path)

    cfg = sub.add_parser("config", help="check config.toml", description="check config.toml")
    cfg_actions = cfg.add_subparsers(
        dest="config_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    check = cfg_actions.add_parser(
        "check",
        help="print each problem in config.toml; exit 2 if there is one",
        description="print each problem in config.toml; exit 2 if there is one",
    )
    check.add_argument("file", nargs="?", metavar="FILE", help="default: the one readq reads")
    check.set_defaults(handler=commands.config_check)
    cfg_actions.add_parser("path", help="print where config.toml lives").set_defaults(
        handler=commands.config_location
    )
    cfg_actions.add_parser(
        "keys", help="list the binding ids [keymap] may name, with their default keys"
    ).set_defaults(handler=commands.config_keys)

    feeds = sub.add_parser(
        "feeds",
        parents=[common],
        help="list the feeds in config.toml, or add or remove one",
        description="list the feeds in config.toml ([[feeds]]), or add or remove one",
    )
    feeds.set_defaults(handler=commands.feeds_list)
    feed_actions = feeds.add_subparsers(dest="feeds_action", metavar="ACTION", parser_class=_Parser)
    feed_add = feed_actions.add_parser(
        "add", help="add a feed: NAME URL, or NAME --arxiv-query QUERY"
    )
    feed_add.add_argument("name", metavar="NAME")
    feed_add.add_argument("url", metavar="URL", nargs="?", help="an RSS, Atom or arXiv RSS feed")
    feed_add.add_argument("--arxiv-query", metavar="QUERY", help="the arXiv API's search_query")
    feed_add.add_argument(
        "--max-results", type=int, metavar="N", help="with --arxiv-query: how many (default 100)"
    )
    feed_add.add_argument("--api", metavar="URL", help="with --arxiv-query: another API's address")
    feed_add.add_argument(
        "--tag", action="append", default=[], metavar="T", help="tag its new papers T (repeatable)"
    )
    feed_add.set_defaults(handler=commands.feeds_add)
    feed_remove = feed_actions.add_parser("remove", help="remove the feed NAME")
    feed_remove.add_argument("name", metavar="NAME")
    feed_remove.set_defaults(handler=commands.feeds_remove)

    exp = add("export", "export papers", commands.export)
    exp.add_argument("--format", choices=sorted(EXPORTERS), default="json")
    exp.add_argument(
        "--one-file-per-paper",
        metavar="DIR",
        help="with --format markdown: one note file per paper in DIR",
    )
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    exp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    exp.epilog = SEARCH_HELP
    exp.formatter_class = argparse.RawDescriptionHelpFormatter
    _add_view_options(exp, default_sort="id")
    return parser


SEARCH_HELP = "\n".join(
    [
        'searching: the same language as the app\'s / box (README.md, "Searching")',
        *(f"  {syntax:<32} {meaning}" for syntax, meaning in GUIDE),
        "e.g.  readq list --search 'author:kurin is:unread year:>=2019 -cat:CV'",
        'saved views: [views] in config.toml, e.g. to-read = "is:unread prio:>=2"',
    ]
)


def _add_view_options(parser: argparse.ArgumentParser, default_sort: str = "priority") -> None:
    parser.add_argument("--status", choices=["unread", "read", "all"], default="all")
    parser.add_argument("--min-priority", type=int, choices=range(4), default=0, metavar="N")
    parser.add_argument("--tag", metavar="T", help="only papers with this tag")
    parser.add_argument(
        "--search",
        "--query",
        dest="search",
        metavar="QUERY",
        default="",
        help="a query (see below), e.g. 'author:kurin is:unread'",
    )
    parser.add_argument(
        "--view", metavar="NAME", help="a saved view ([views] in config.toml), e.g. inbox"
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the day relative dates (added:<7d, today) count from (default: now)",
    )
    parser.add_argument(
        "--sort",
        choices=SORTS,
        default=None,
        help=f"order (default: the view's, else {default_sort})",
    )
    parser.add_argument("--reverse", action="store_true", help="reverse the sort")


def _paper_id(text: str) -> int:
    try:
        return commands.paper_id(text)
    except ReadqError as error:
        raise argparse.ArgumentTypeError(str(error).rstrip(".")) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with commands.library_location(args) as location:
            args.location = location
            if args.command is None:
                return commands.open_tui(args)
            return int(args.handler(args))
    except NotSaved as error:
        # The process ends here, so "kept in memory" means nothing to a script.
        cause = error.__cause__
        reason = cause.strerror if isinstance(cause, OSError) else str(error)
        print(f"readq: could not save ({reason}): the library is unchanged.", file=sys.stderr)
        return EXIT_USAGE
    except ReadqError as error:
        # Messages quote file names and imported text: never let them drive the terminal.
        print(f"readq: {clean_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `readq list | head`: the reader left; nothing to report.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            print(
                f"readq: the disk is full ({error.strerror}): nothing was saved, "
                "and the library is unchanged.",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(
            f"readq: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return EXIT_USAGE
