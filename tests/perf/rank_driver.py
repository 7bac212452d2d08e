"""The ranking's costs inside one process, for bench.py (not a test):

    python tests/perf/rank_driver.py LIBRARY [--runs N]

Prints one JSON object: milliseconds per run of a full build of the vectors,
of training on the library's decisions (at most 10,000 of each kind), of
scoring every paper, of the papers most like one, of a whole ranking from the
cache with nothing changed, and the sizes of the two cache files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from readq.library import Library
    from readq.rank import cache, features, model
    from readq.rank.decisions import decisions_of
    from readq.rank.ranking import _newest, _rows, rank

    library = Library.open(Path(args.library), writable=False, abstracts_on_disk=True)
    papers = library.papers_among(None)
    build, space = timed(lambda: features.build(papers), args.runs)
    decided = decisions_of(papers)
    kept, passed = _rows(space, _newest(decided.kept)), _rows(space, _newest(decided.passed))
    train, learned = timed(lambda: model.train(space, kept, passed), args.runs)
    score, _ = timed(lambda: model.scores(space, learned), args.runs)
    like, _ = timed(lambda: features.similar(space, 100, 15), args.runs)
    rank(papers, library=library.path)  # fills the cache
    cached, _ = timed(lambda: rank(papers, library=library.path), args.runs)
    sizes = {
        name: path.stat().st_size / 1e6
        for name, path in (
            ("vectors_mb", cache.vectors_path(library.path)),
            ("model_mb", cache.model_path(library.path)),
        )
    }
    report = {
        "build_ms": build,
        "train_ms": train,
        "score_ms": score,
        "similar_ms": like,
        "rank_cached_ms": cached,
        "kept": len(kept),
        "passed": len(passed),
        **sizes,
    }
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
