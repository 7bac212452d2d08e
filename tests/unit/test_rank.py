"""The "for you" ranking: learned from a few decisions about one topic, it puts
that topic's unread papers first, says why in that topic's words, and finds a
paper's like; with no decisions it orders by arrival."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from readq.library import Library
from readq.model import ParsedPaper
from readq.rank.ranking import rank, undecided

from ..conftest import run

TOPICS = {
    "graphs": "graph neural message passing node edge spectral convolution molecule",
    "proteins": "protein folding structure residue amino sequence alignment enzyme",
    "robots": "robot locomotion quadruped controller policy terrain gait actuator",
}
FILLER = "model data training evaluation benchmark large scale learning network task"


def _paper(topic: str, number: int, rnd: random.Random) -> ParsedPaper:
    words = TOPICS[topic].split()
    title = " ".join(rnd.sample(words, 3)).title() + f" {number}"
    abstract = " ".join(rnd.choice(words + FILLER.split()) for _ in range(60))
    return ParsedPaper(title=title, abstract=abstract, authors=[f"Author {topic} {number % 3}"])


@pytest.fixture
def topical(tmp_path: Path) -> Library:
    """60 papers, 20 on each topic, shuffled."""
    rnd = random.Random(7)
    entries = [_paper(topic, n, rnd) for topic in TOPICS for n in range(20)]
    rnd.shuffle(entries)
    library = Library.open(tmp_path / "library.json")
    library.add_many(entries)
    return library


def _topic(title: str) -> str:
    return next(t for t, words in TOPICS.items() if title.split()[0].lower() in words.split())


def test_a_few_decisions_put_the_topic_first_and_say_why(topical: Library) -> None:
    by_topic: dict[str, list[int]] = {}
    for paper in topical:
        by_topic.setdefault(_topic(paper.title), []).append(paper.id)
    topical.set_priority(by_topic["graphs"][:3], 3)  # three kept
    topical.set_status(by_topic["proteins"][:3], "read")  # type: ignore[arg-type]
    topical.set_status(by_topic["robots"][:3], "read")  # type: ignore[arg-type]
    ranking = rank(list(topical))
    ordered = ranking.ordered(undecided(topical))
    assert {_topic(p.title) for p in ordered[:10]} == {"graphs"}
    assert "unsure" in ranking.sureness
    up, _ = ranking.explain(ordered[0].id)
    assert any(term.split()[0] in TOPICS["graphs"].split() for term, _ in up)


def test_similar_papers_share_the_topic(topical: Library) -> None:
    ranking = rank(list(topical))
    first = next(iter(topical))
    found = ranking.similar(first.id, 5)
    assert len(found) == 5
    assert {_topic(topical.get(i).title) for i, _ in found} == {_topic(first.title)}


def test_no_decisions_ranks_by_arrival_and_one_kind_by_likeness(topical: Library) -> None:
    ranking = rank(list(topical))
    assert "newest first" in ranking.sureness
    graphs = [p.id for p in topical if _topic(p.title) == "graphs"]
    topical.change_tags(graphs[:2], add=["gnn"])  # kept only
    ranking = rank(list(topical))
    assert "likeness" in ranking.sureness
    ordered = ranking.ordered(undecided(topical))
    assert {_topic(p.title) for p in ordered[:8]} == {"graphs"}


def test_the_cli_ranks_explains_and_finds_like_papers(
    capsys: pytest.CaptureFixture[str], topical: Library
) -> None:
    path = str(topical.path)
    graphs = [p.id for p in topical if _topic(p.title) == "graphs"]
    proteins = [p.id for p in topical if _topic(p.title) == "proteins"]
    topical.set_priority(graphs[:3], 2)
    topical.set_status(proteins[:3], "read")  # type: ignore[arg-type]
    topical.close()
    code, out, _ = run(capsys, "rank", "--db", path, "--limit", "5")
    assert code == 0 and out.startswith("For you (unsure: 3 kept and 3 passed):")
    assert len(out.strip().splitlines()) == 6
    code, out, _ = run(capsys, "rank", "--db", path, "--explain", str(graphs[5]))
    assert code == 0 and "pushed up by:" in out
    code, out, _ = run(capsys, "similar", "--db", path, str(graphs[0]), "--limit", "3")
    assert code == 0 and len(out.strip().splitlines()) == 4
    code, _, err = run(capsys, "rank", "--db", path, "--explain", "abc")
    assert code == 2 and "not a paper id" in err


def test_starting_the_app_or_the_cli_does_not_import_numpy() -> None:
    import subprocess
    import sys

    code = "import sys, readq.cli, readq.tui.app; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
