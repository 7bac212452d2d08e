"""The query language in brief, for the app's help and ``readq list --help``
(README.md, "Searching", says the same at length)."""

from __future__ import annotations

from typing import Final

GUIDE: Final = (
    (
        'mamba  "state space"',
        "words and phrases: title, authors, orgs, category, tags, notes, abstract",
    ),
    ("bohmer  oneill", "case, accents, LaTeX ($\\lambda$), ' and . do not matter; - is a space"),
    ("title: author: org:", 'in one field: author:kurin, author:"de la Cruz"'),
    ("abstract: note:", "in the abstract, in the note"),
    ("tag:moe  cat:LG", "a tag; a category (cat:LG, cat:cs.LG, cat:cs)"),
    ("id:12  arxiv:2401.  doi:10.1145", "ids (arXiv ids and DOIs by their start)"),
    ("is:unread  is:read", "status (is:selected: the papers selected with v)"),
    ("is:new  feed:cs.LG", "arrived since the app was last closed; seen in a feed"),
    ("has:note  has:tags  has:code", "also has:doi, has:arxiv, has:abstract, has:url, has:score"),
    ("prio:2  prio:>=2  prio:<2", "priority (0 to 3); also =, >, <=, and a range 1..2"),
    ("score:>50", "score"),
    ("year:2021  year:2019..2022", "year published"),
    ("published:>=2026-11-01", "published (a day, a month 2026-11, a year)"),
    ("added:<7d  added:today", "arrived less than 7 days ago, today (also h, w, m, y; yesterday)"),
    ("read:<30d  read:>1y", "read in the last 30 days, more than a year ago"),
    ("-cat:CV  NOT cat:CV", "not"),
    (
        "cat:LG OR cat:CV",
        "either (OR binds tighter than AND: is:unread a OR b is unread and a-or-b)",
    ),
    ("( )", "grouping: -(cat:CV OR cat:RO) year:>=2024"),
)
