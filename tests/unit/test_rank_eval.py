"""The ranking evaluation (tests/perf/rank_eval.py) runs on a tiny slice: 2 users,
1 page, libraries of 300 papers. On the real papers when tests/perf/data holds
them, else on the benchmark's synthetic papers.

It does not check that readq's ranking beats recency here, as that is not
robust on so few papers: a page of 20 decisions holds 0 to 3 keeps, and over 40
seeds readq's precision at 20 after one page was behind recency's in 5 (real
papers) and 20 (synthetic); averaged over 3 pages, not ahead in 1 and 12. The
full run (2,000 papers a user, 30 users, 5 pages) is where methods are compared."""

from __future__ import annotations

import pytest

from ..perf import rank_eval, synthetic


def _papers() -> list[rank_eval.Record]:
    if rank_eval.DATA.is_file():
        return rank_eval.load()
    return [
        rank_eval.Record(
            arxiv_id=f"synthetic.{number}",
            date=paper.published.isoformat(),
            title=paper.title,
            authors=tuple(paper.authors),
            categories=(f"cs.{paper.category}",),
            abstract=paper.abstract,
        )
        for number, paper in enumerate(synthetic.papers(600))
    ]


@pytest.fixture(scope="module")
def records() -> list[rank_eval.Record]:
    return _papers()


@pytest.fixture(scope="module")
def results(records: list[rank_eval.Record]) -> rank_eval.Results:
    return rank_eval.evaluate(records, users=2, pages=1, papers=300)


def test_every_figure_is_a_share(results: rank_eval.Results) -> None:
    assert results.users[0].kind == "category"
    assert {len(user.library) for user in results.users} == {300}
    for method in rank_eval.METHODS:
        for k in rank_eval.PRECISION_AT:
            for page in (0, 1):
                assert 0.0 <= results.precision(method, k, page) <= 1.0
        assert 0 <= results.kept(method, 1) <= rank_eval.PAGE_SIZE
    assert 0.015 <= results.base_rate() <= 0.25
    report = rank_eval.report(results, 600)
    assert "| readq | " in report and "| base rate | " in report and "Took " in report


def test_before_any_decision_every_method_shows_the_newest_first(
    results: rank_eval.Results,
) -> None:
    for k in rank_eval.PRECISION_AT:
        assert len({results.precision(method, k, 0) for method in rank_eval.METHODS}) == 1


def test_the_same_seed_gives_the_same_figures(
    records: list[rank_eval.Record], results: rank_eval.Results
) -> None:
    again = rank_eval.evaluate(records, users=2, pages=1, papers=300, methods=["readq"])
    assert [u.name for u in again.users] == [u.name for u in results.users]
    assert again.runs["readq"][0].precision == results.runs["readq"][0].precision
