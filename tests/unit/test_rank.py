"""The "for you" ranking: learned from a few decisions about one topic, it puts
that topic's unread papers first, says why in that topic's words, and finds a
paper's like; with no decisions it orders by arrival."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from readq.library import Library
from readq.model import Paper, ParsedPaper
from readq.rank import cache, features, model, shown
from readq.rank.features import Stop
from readq.rank.ranking import rank, undecided

from ..conftest import run
from ..topics import TOPICS, decide_on_graphs, topic_of, topical_paper, topical_papers


@pytest.fixture
def topical(tmp_path: Path) -> Library:
    """60 papers, 20 on each topic, shuffled."""
    library = Library.open(tmp_path / "library.json")
    library.add_many(topical_papers())
    return library


def test_a_few_decisions_put_the_topic_first_and_say_why(topical: Library) -> None:
    by_topic: dict[str, list[int]] = {}
    for paper in topical:
        by_topic.setdefault(topic_of(paper.title), []).append(paper.id)
    topical.set_priority(by_topic["graphs"][:3], 3)  # three kept
    topical.set_status(by_topic["proteins"][:3], "read")  # type: ignore[arg-type]
    topical.set_status(by_topic["robots"][:3], "read")  # type: ignore[arg-type]
    ranking = rank(list(topical))
    ordered = ranking.ordered(undecided(topical))
    assert {topic_of(p.title) for p in ordered[:10]} == {"graphs"}
    assert "unsure" in ranking.sureness
    up, _ = ranking.explain(ordered[0])
    assert any(term.split()[0] in TOPICS["graphs"].split() for term, _ in up)


def test_similar_papers_share_thetopic_of(topical: Library) -> None:
    ranking = rank(list(topical))
    first = next(iter(topical))
    found = ranking.similar(first.id, 5)
    assert len(found) == 5
    assert {topic_of(topical.get(i).title) for i, _ in found} == {topic_of(first.title)}


def test_no_decisions_ranks_by_arrival_and_one_kind_by_likeness(topical: Library) -> None:
    ranking = rank(list(topical))
    assert "newest first" in ranking.sureness
    graphs = [p.id for p in topical if topic_of(p.title) == "graphs"]
    topical.change_tags(graphs[:2], add=["gnn"])  # kept only
    ranking = rank(list(topical))
    assert "likeness" in ranking.sureness
    ordered = ranking.ordered(undecided(topical))
    assert {topic_of(p.title) for p in ordered[:8]} == {"graphs"}


def test_the_cli_ranks_explains_and_finds_like_papers(
    capsys: pytest.CaptureFixture[str], topical: Library
) -> None:
    path = str(topical.path)
    graphs = [p.id for p in topical if topic_of(p.title) == "graphs"]
    proteins = [p.id for p in topical if topic_of(p.title) == "proteins"]
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

    code = "import sys, readq.cli, readq.tui.app, readq.rank.shown; print('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_list_sorts_for_you(capsys: pytest.CaptureFixture[str], topical: Library) -> None:
    graphs = decide_on_graphs(topical)
    path = str(topical.path)
    topical.close()
    code, out, _ = run(capsys, "list", "--db", path, "--sort", "for-you", "--status", "unread")
    assert code == 0
    shown = [int(line.split()[0]) for line in out.strip().splitlines()]
    assert set(shown[:10]) <= set(graphs)


def _every(library: Library) -> list[Paper]:
    return library.papers_among(None)


def test_the_vectors_and_the_model_are_cached_beside_the_library(
    topical: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide_on_graphs(topical)
    first = rank(_every(topical), library=topical.path)
    assert cache.vectors_path(topical.path).exists() and cache.model_path(topical.path).exists()

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("built or trained again")

    monkeypatch.setattr(features, "build", refused)
    monkeypatch.setattr(model, "train", refused)
    again = rank(_every(topical), library=topical.path)  # nothing changed: nothing redone
    assert again.relevance == pytest.approx(first.relevance)


def test_a_changed_or_new_paper_alone_is_vectorised_and_new_decisions_retrain(
    topical: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    graphs = decide_on_graphs(topical)
    rank(_every(topical), library=topical.path)
    vectorised: list[list[int]] = []
    real = features.vectorised

    def counted(papers: list[Paper], like: features.Features, stop: Stop) -> features.Features:
        vectorised.append([p.id for p in papers])
        return real(papers, like, stop)

    monkeypatch.setattr(features, "vectorised", counted)
    monkeypatch.setattr(features, "build", lambda *_, **__: pytest.fail("built again"))
    paper = topical.get(graphs[10])
    topical.add_many([ParsedPaper(title=paper.title, abstract=paper.abstract + " hypergraph")])
    trained: list[int] = []
    real_train = model.train
    monkeypatch.setattr(
        model, "train", lambda f, k, p, stop: trained.append(len(k)) or real_train(f, k, p, stop)
    )
    ranking = rank(_every(topical), library=topical.path)
    assert len(vectorised) == 1 and len(vectorised[0]) == 1  # the new paper only
    assert trained == []  # the same decisions: the saved model
    topical.set_priority([graphs[11]], 2)
    ranking = rank(_every(topical), library=topical.path)
    assert trained == [4]
    assert ranking.relevance[graphs[12]] > 0.5


def test_a_damaged_cache_is_built_again(topical: Library) -> None:
    decide_on_graphs(topical)
    first = rank(_every(topical), library=topical.path)
    cache.vectors_path(topical.path).write_bytes(b"PK\x03\x04 not a zip file")
    cache.model_path(topical.path).write_bytes(b"")
    again = rank(_every(topical), library=topical.path)
    assert again.relevance == pytest.approx(first.relevance, abs=1e-4)
    assert cache.load_features(cache.vectors_path(topical.path)) is not None


def test_many_new_papers_build_the_vocabulary_anew(tmp_path: Path, topical: Library) -> None:
    rank(_every(topical), library=topical.path)
    old = cache.load_features(cache.vectors_path(topical.path))
    assert old is not None
    rnd = random.Random(3)
    topical.add_many([topical_paper("robots", 100 + n, rnd) for n in range(20)])  # a third more
    rank(_every(topical), library=topical.path)
    new = cache.load_features(cache.vectors_path(topical.path))
    assert new is not None and new.build_id != old.build_id and new.built_rows == 80


def test_what_the_app_shows_is_read_without_numpy_and_says_why(topical: Library) -> None:
    graphs = decide_on_graphs(topical)
    ranking = rank(_every(topical), library=topical.path)
    path = shown.shown_path(topical.path)
    found = shown.read(path)
    assert found is not None and found.learned and found.sureness == ranking.sureness
    for paper_id, score in ranking.relevance.items():
        assert found.relevance_of(paper_id) == pytest.approx(score, abs=1e-6)
    paper = topical.get(graphs[5])
    up, _ = found.why(paper)
    explained, _ = ranking.explain(paper)
    assert up and up == [term for term, _ in explained][: len(up)]
    path.write_bytes(path.read_bytes()[:-3])  # cut short
    assert shown.read(path) is None
    path.write_bytes(b"not json\n")
    assert shown.read(path) is None
