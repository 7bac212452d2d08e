"""How good the "for you" ranking is on real papers (issue 16, part 5).

    python tests/perf/rank_eval.py [--users N] [--pages N] [--papers N] [--data PATH] [--seed N]

Simulated users triage a library of real arXiv papers the way readq shows it:
the unread list in the order a method gives, first pages first, PAGE_SIZE
papers a page. Every paper a user looks at is a decision: *kept* (priority 2)
if it matches the user's interest, *passed* (marked read, priority 0) if not.
After each page the method orders the remaining unread papers again, and the
figure is the precision of that order: the share of its first 10 (and 20)
papers that match the interest, before any decision and after 1, 2, ... pages,
averaged over the users.

The users (deterministic, from --seed) are of three kinds, in turn:

- *category*: one or two arXiv categories (a paper matches if it is listed in
  one), among those that 1.5% to 25% of the library has (so not cs.CV, cs.CL or
  cs.AI, which 33-40% of these papers are in);
- *topic*: the words of one topic in the title (``TOPICS``: diffusion models,
  retrieval, speech, ...);
- *author*: four of the most prolific author names (a paper matches if one of
  them is an author; a name is a string here, as it is to readq).

Each user's library is PAPERS papers drawn from the data (seeded per user), all
unread, ``added_at`` the day arXiv listed the paper at a seeded time of day.

The methods: *readq* is ``rank(papers).ordered(unread)`` with the decisions set
on the papers as the app sets them (only ``rank``, ``relevance`` and
``ordered``: the ranking's internals are free to change); *recency* is newest
``added_at`` first, what readq shows without ranking (and what readq's ranking
does before any decision); *keywords* ranks the unread papers by the
KEYWORDS most frequent title words of the papers kept so far, each counted by
how many kept titles have it: a paper scores the sum of the counts of those
words in its title and abstract (newest first among equals, and newest first
before any keep). The *base rate* is the share of the library that matches: the
precision of a random order.

The data: real papers, from ``--data``. readq's repository holds none: what
tools bring from other repositories is not committed here. ``--data`` reads
gzipped JSON lines (``*.jsonl.gz``) with ``id``, ``date``, ``title``,
``authors``, ``categories`` and ``abstract``, or any file readq imports (an
arXiv API result or feed, BibTeX, readq's own export of a library: ``readq
export library.json``); default ``DATA`` beside this script. The figures in
the README came from 5,326 real arXiv papers (arXiv's metadata, CC0 1.0): the
raw daily listing files of the public GitHub repository
dw-dengwei/daily-arXiv-ai-enhanced (branch ``data`` at commit b4c542b7d61b,
listings of 2025-03-18 to 2026-07-01, 74,728 distinct papers, mostly cs.CV,
cs.CL and cs.AI), ``round(6 * sqrt(n))`` papers of each primary category of n
(all of a smaller one) plus up to 25 papers of each of the 30 most prolific
author names, seeded; whitespace folded, nothing else changed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from readq.model import Paper, Status, iso_time
from readq.rank.ranking import rank

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "real-papers.jsonl.gz"
PAGE_SIZE = 20
PRECISION_AT = (10, 20)
KEYWORDS = 20
SEED = 16
DEFAULT_USERS = 30
DEFAULT_PAGES = 5
DEFAULT_PAPERS = 2000
KINDS = ("category", "topic", "author")
BASE_RATE = (0.015, 0.25)  # how much of the library a user's interest may be
FOLLOWED = 4  # authors an author-user follows
# Topics as words of a title (case-insensitive): each in 2-9% of the papers.
TOPICS = {
    "diffusion models": r"\bdiffusion\b",
    "reinforcement learning": r"\breinforcement\b|\bRL\b|\bpolicy optimi[sz]ation\b",
    "retrieval": r"\bretrieval\b|\bRAG\b",
    "speech and audio": r"\bspeech\b|\baudio\b|\bspeaker\b|\bASR\b",
    "medicine": r"\bmedical\b|\bclinical\b|\bpatients?\b|\bradiology\b|\bsurgical\b",
    "graphs": r"\bgraphs?\b|\bGNNs?\b",
    "3D": r"\b3D\b|\bpoint clouds?\b|\bgaussian splatting\b|\bNeRFs?\b",
    "agents": r"\bagents?\b|\bagentic\b|\bmulti-agent\b",
    "video": r"\bvideos?\b",
    "safety": r"\bsafety\b|\bjailbreak\w*|\bharmful\b|\badversarial\b|\battacks?\b",
    "translation": r"\btranslation\b|\bmultilingual\b|\bcross-lingual\b|\blow-resource\b",
    "wireless": r"\bwireless\b|\bMIMO\b|\bchannels?\b|\bcommunications?\b",
    "reasoning": r"\breasoning\b",
    "vision-language": r"\bvision-language\b|\bVLMs?\b|\bmultimodal\b|\bMLLMs?\b",
    "segmentation": r"\bsegmentation\b",
    "efficiency": r"\bquantization\b|\bpruning\b|\bcompression\b|\befficient\b",
}


@dataclass(frozen=True, slots=True)
class Record:
    """One real paper, as the data file holds it."""

    arxiv_id: str
    date: str  # the day arXiv listed it, YYYY-MM-DD
    title: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # the primary one first
    abstract: str


def load(path: Path = DATA) -> list[Record]:
    """The papers of ``path``: JSON lines (gzipped), or any file readq imports."""
    if not path.name.endswith(".jsonl.gz"):
        return _imported(path)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [_record(json.loads(line)) for line in lines if line.strip()]


def _imported(path: Path) -> list[Record]:
    from readq.transfer import read_and_parse

    parsed = read_and_parse(str(path), as_of=datetime.now(UTC).date())
    return [
        Record(
            arxiv_id=entry.arxiv_id or entry.doi or str(number),
            date=(entry.published or "2000-01-01")[:10],
            title=entry.title,
            authors=tuple(entry.authors),
            categories=tuple(entry.categories or ([entry.category] if entry.category else [])),
            abstract=entry.abstract,
        )
        for number, entry in enumerate(parsed.papers)
    ]


def _record(item: dict[str, object]) -> Record:
    authors, categories = item["authors"], item["categories"]
    assert isinstance(authors, list) and isinstance(categories, list)
    return Record(
        arxiv_id=str(item["id"]),
        date=str(item["date"]),
        title=str(item["title"]),
        authors=tuple(str(a) for a in authors),
        categories=tuple(str(c) for c in categories),
        abstract=str(item["abstract"]),
    )


@dataclass(frozen=True, slots=True)
class User:
    name: str  # what the interest is, for the report
    kind: str
    matches: Callable[[Record], bool]
    library: tuple[Record, ...]  # in the order the papers arrived
    times: tuple[str, ...]  # each paper's added_at


def make_users(records: Sequence[Record], count: int, papers: int, seed: int) -> list[User]:
    """``count`` users, the kinds in turn; each with a library of ``papers`` of
    ``records`` and an interest that 1.5-25% of that library matches (a kind
    with no such interest there gives way to the next)."""
    users = []
    for number in range(count):
        rng = random.Random(f"{seed}-user-{number}")
        chosen = rng.sample(range(len(records)), min(papers, len(records)))
        library = tuple(sorted((records[i] for i in chosen), key=lambda r: (r.date, r.arxiv_id)))
        times = tuple(
            f"{r.date}T{rng.randrange(24):02}:{rng.randrange(60):02}:00Z" for r in library
        )
        kinds = KINDS[number % len(KINDS) :] + KINDS[: number % len(KINDS)]
        for kind in kinds:
            interest = _interest(kind, library, rng)
            if interest is not None:
                users.append(User(interest[0], kind, interest[1], library, times))
                break
        else:
            raise ValueError(f"user {number}: no interest matches 1.5-25% of the library")
    return users


def _interest(
    kind: str, library: Sequence[Record], rng: random.Random
) -> tuple[str, Callable[[Record], bool]] | None:
    low, high = (share * len(library) for share in BASE_RATE)
    if kind == "category":
        counts = Counter(c for r in library for c in set(r.categories))
        fit = sorted(c for c, n in counts.items() if low <= n <= high)
        if not fit:
            return None
        wanted = set(rng.sample(fit, min(len(fit), rng.choice((1, 2)))))
        if sum(1 for r in library if wanted & set(r.categories)) > high:
            wanted = set(sorted(wanted)[:1])
        return " or ".join(sorted(wanted)), lambda r: bool(wanted & set(r.categories))
    if kind == "topic":
        fit = [
            name
            for name, pattern in TOPICS.items()
            if low <= sum(1 for r in library if re.search(pattern, r.title, re.I)) <= high
        ]
        if not fit:
            return None
        name = rng.choice(fit)
        compiled = re.compile(TOPICS[name], re.I)
        return f"“{name}” in the title", lambda r: compiled.search(r.title) is not None
    names = Counter(a for r in library for a in r.authors)
    prolific = sorted(names, key=lambda a: (-names[a], a))[: FOLLOWED * 5]
    followed = set(rng.sample(prolific, min(FOLLOWED, len(prolific))))
    if not low <= sum(1 for r in library if followed & set(r.authors)) <= high:
        return None
    return ", ".join(sorted(followed)), lambda r: bool(followed & set(r.authors))


# --- the methods: each orders the unread papers, knowing every paper's state ---

Method = Callable[[Sequence[Paper], list[Paper]], list[Paper]]


def by_readq(papers: Sequence[Paper], unread: list[Paper]) -> list[Paper]:
    return rank(papers).ordered(unread)


def by_recency(papers: Sequence[Paper], unread: list[Paper]) -> list[Paper]:
    return sorted(unread, key=lambda p: (p.added_at, p.id), reverse=True)


_TOKEN = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_STOPWORD_TEXT = """a an and are as at be by can for from how in into is it its of on or our over
    the their this to towards toward under using via vs what when which while with without
    new novel based study approach method methods model models framework towards
    learning large data through beyond more than not do does"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS}


def by_keywords(papers: Sequence[Paper], unread: list[Paper]) -> list[Paper]:
    counts = Counter(w for p in papers if p.priority >= 2 for w in _words(p.title))
    if not counts:
        return by_recency(papers, unread)
    top = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:KEYWORDS])

    def score(paper: Paper) -> int:
        return sum(top.get(w, 0) for w in _words(f"{paper.title} {paper.abstract}"))

    return sorted(unread, key=lambda p: (score(p), p.added_at, p.id), reverse=True)


METHODS: dict[str, Method] = {"readq": by_readq, "recency": by_recency, "keywords": by_keywords}


# --- the simulation ---


@dataclass
class Run:
    """One user's triage with one method: precision after 0, 1, ... pages."""

    precision: dict[int, list[float]] = field(default_factory=dict)  # k -> one per page count
    kept: list[int] = field(default_factory=list)  # papers kept so far, one per page count
    seconds: list[float] = field(default_factory=list)  # each ordering's


def papers_of(user: User) -> list[Paper]:
    """The user's library as readq papers, all unread."""
    return [
        Paper(
            id=number,
            title=record.title,
            authors=list(record.authors),
            category=record.categories[0],
            categories=list(record.categories),
            abstract=record.abstract,
            published=record.date,
            arxiv_id=record.arxiv_id,
            source="arxiv",
            added_at=added,
            updated_at=added,
        )
        for number, (record, added) in enumerate(zip(user.library, user.times, strict=True), 1)
    ]


def triage(user: User, method: Method, pages: int) -> Run:
    papers = papers_of(user)
    wanted = {p.id for p, r in zip(papers, user.library, strict=True) if user.matches(r)}
    run = Run({k: [] for k in PRECISION_AT})
    kept = 0
    clock = datetime(2027, 1, 1, tzinfo=UTC)  # after every paper arrived
    for page in range(pages + 1):
        unread = [p for p in papers if p.status is Status.UNREAD and p.priority < 2]
        started = time.perf_counter()
        order = method(papers, unread)
        run.seconds.append(time.perf_counter() - started)
        for k in PRECISION_AT:
            run.precision[k].append(sum(p.id in wanted for p in order[:k]) / k)
        run.kept.append(kept)
        if page == pages:
            break
        for paper in order[:PAGE_SIZE]:  # the user's decisions on this page
            clock += timedelta(minutes=1)
            paper.updated_at = iso_time(clock)
            if paper.id in wanted:
                paper.priority = 2
                kept += 1
            else:
                paper.status = Status.READ
                paper.read_at = paper.updated_at
    return run


@dataclass
class Results:
    users: list[User]
    pages: int
    runs: dict[str, list[Run]]  # method -> one per user
    seconds: float

    def precision(self, method: str, k: int, page: int, kind: str | None = None) -> float:
        chosen = [
            run.precision[k][page]
            for run, user in zip(self.runs[method], self.users, strict=True)
            if kind in (None, user.kind)
        ]
        return statistics.fmean(chosen)

    def kept(self, method: str, page: int) -> float:
        return statistics.fmean(run.kept[page] for run in self.runs[method])

    def matching(self, kind: str | None = None) -> list[int]:
        """How many papers of each user's library match the interest."""
        return [
            sum(map(user.matches, user.library)) for user in self.users if kind in (None, user.kind)
        ]

    def base_rate(self, kind: str | None = None) -> float:
        libraries = [len(user.library) for user in self.users if kind in (None, user.kind)]
        return statistics.fmean(
            n / size for n, size in zip(self.matching(kind), libraries, strict=True)
        )


def evaluate(
    records: Sequence[Record],
    *,
    users: int = DEFAULT_USERS,
    pages: int = DEFAULT_PAGES,
    papers: int = DEFAULT_PAPERS,
    seed: int = SEED,
    methods: Iterable[str] = tuple(METHODS),
    progress: Callable[[str], None] | None = None,
) -> Results:
    started = time.perf_counter()
    people = make_users(records, users, papers, seed)
    runs: dict[str, list[Run]] = {name: [] for name in methods}
    for number, user in enumerate(people, 1):
        for name in runs:
            runs[name].append(triage(user, METHODS[name], pages))
        if progress:
            progress(f"user {number}/{len(people)} ({user.kind}: {user.name})")
    return Results(people, pages, runs, time.perf_counter() - started)


def table(results: Results, kind: str | None = None) -> str:
    """Markdown: a row per method, a column per number of pages triaged, each
    cell precision at 10 / at 20."""
    header = ["method", *(f"{n} page{'s' * (n != 1)}" for n in range(results.pages + 1))]
    rows = [header, ["---"] * len(header)]
    for method in results.runs:
        cells = [
            " / ".join(f"{results.precision(method, k, page, kind):.2f}" for k in PRECISION_AT)
            for page in range(results.pages + 1)
        ]
        rows.append([method, *cells])
    rate = f"{results.base_rate(kind):.2f}"
    rows.append(["base rate", *([f"{rate} / {rate}"] * (results.pages + 1))])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def report(results: Results, records: int) -> str:
    users = results.users
    library = len(users[0].library) if users else 0
    kinds = Counter(user.kind for user in users)
    lines = [
        f"Precision at 10 / at 20 of the unread list after N pages of {PAGE_SIZE} decisions;"
        f" {len(users)} users ({', '.join(f'{n} {k}' for k, n in kinds.items())}),"
        f" a library of {library} of {records} real papers each:",
        "",
        table(results),
    ]
    for kind in KINDS:
        if kinds[kind]:
            lines += ["", f"The {kinds[kind]} users of the {kind} kind:", "", table(results, kind)]
    pages = range(1, results.pages + 1)
    lines += [
        "",
        f"Papers kept after N pages (a library has {statistics.fmean(results.matching()):.0f}"
        " matching papers on average):",
        "",
        "| method | " + " | ".join(f"{n} page{'s' * (n != 1)}" for n in pages) + " |",
        "| --- |" + " --- |" * len(pages),
        *(
            f"| {method} | " + " | ".join(f"{results.kept(method, n):.1f}" for n in pages) + " |"
            for method in results.runs
        ),
    ]
    readq = [s for run in results.runs.get("readq", []) for s in run.seconds[1:]]
    lines += ["", f"Took {results.seconds:.0f} s"]
    if readq:
        lines[-1] += (
            f"; readq's order (rank and ordered) of {library} papers: median"
            f" {statistics.median(readq):.2f} s, slowest {max(readq):.2f} s"
            f" ({len(readq)} with decisions)"
        )
    return "\n".join(lines) + "."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--papers", type=int, default=DEFAULT_PAPERS, help="each user's library")
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA,
        help="the papers: JSON lines (gzip), or a file readq imports",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"rank_eval: no data at {args.data} (see this script's docstring)", file=sys.stderr)
        return 2
    records = load(args.data)
    try:
        results = evaluate(
            records,
            users=args.users,
            pages=args.pages,
            papers=args.papers,
            seed=args.seed,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except ValueError as error:  # too few papers, or too alike, for the users asked
        print(f"rank_eval: {error} ({len(records)} papers in {args.data})", file=sys.stderr)
        return 2
    print(report(results, len(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
