"""A linear classifier learned from the user's decisions (decisions.py).

Logistic regression over the papers' TF-IDF vectors (features.py), each class
weighted by how rare it is (three keeps and thirty passes teach as much of
each), with an L2 penalty, fitted by full-batch gradient descent (Adam): the
decisions are hundreds, not millions, and numpy does it in a blink. With
decisions of one kind only, the papers are ordered by their likeness to them
(cosine to their centroid); with none, by when they arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from readq.rank.features import Features, Stop, Stopped, centroid, never, spans
from readq.rank.terms import BUCKETS

STEPS: Final = 200
LEARNING_RATE: Final = 0.1
L2: Final = 1e-3

How = Literal["model", "likeness", "recency"]


@dataclass(slots=True)
class Model:
    weights: np.ndarray  # float32, one per feature bucket
    bias: float
    kept: int
    passed: int
    how: How

    @property
    def sureness(self) -> str:
        """How sure the ranking is, in words: it grows with the rarer kind."""
        fewer = min(self.kept, self.passed)
        if self.how == "recency":
            return "no decisions yet: newest first"
        if self.how == "likeness":
            kind = "kept" if self.kept else "passed"
            return f"unsure: only papers you {kind} so far; ordered by likeness to them"
        if fewer < 5:
            return f"unsure: {self.kept} kept and {self.passed} passed"
        if fewer < 20:
            return f"fairly sure: {self.kept} kept and {self.passed} passed"
        return f"sure: {self.kept} kept and {self.passed} passed"


def train(features: Features, kept: list[int], passed: list[int], stop: Stop = never) -> Model:
    """The model learned from the rows ``kept`` (1) and ``passed`` (0); Stopped
    when ``stop`` says so."""
    size = BUCKETS
    if not kept and not passed:
        return Model(np.zeros(size, dtype=np.float32), 0.0, 0, 0, "recency")
    if not kept or not passed:
        sign = 1.0 if kept else -1.0
        weights = sign * centroid(features, kept or passed)
        return Model(weights.astype(np.float32), 0.0, len(kept), len(passed), "likeness")
    rows = np.array([*kept, *passed], dtype=np.int64)
    labels = np.array([1.0] * len(kept) + [0.0] * len(passed), dtype=np.float32)
    total = len(rows)
    balance = np.where(labels == 1.0, total / (2 * len(kept)), total / (2 * len(passed)))
    at = spans(features.indptr, rows)
    owner = np.repeat(np.arange(total), np.diff(features.indptr)[rows])  # each entry's example
    values = features.data[at].astype(np.float64)
    # Only the terms the decided papers have get weights (the others' gradient is
    # zero): a few tens of thousands, not the million buckets.
    used, local = np.unique(features.indices[at], return_inverse=True)
    count = len(used)
    theta = np.zeros(count + 1)  # the terms' weights, and last the bias
    penalty = np.full(count + 1, L2)
    penalty[-1] = 0.0  # the bias is not pulled to zero
    moment, square = np.zeros(count + 1), np.zeros(count + 1)
    gradient = np.empty(count + 1)
    for step in range(1, STEPS + 1):
        if stop():
            raise Stopped
        margins = np.bincount(owner, weights=values * theta[local], minlength=total) + theta[-1]
        errors = (1 / (1 + np.exp(-margins)) - labels) * balance / total
        gradient[:-1] = np.bincount(local, weights=values * errors[owner], minlength=count)
        gradient[-1] = errors.sum()
        gradient += penalty * theta
        moment = 0.9 * moment + 0.1 * gradient
        square = 0.999 * square + 0.001 * gradient * gradient
        theta -= LEARNING_RATE * _adam(moment, square, step)
    weights = np.zeros(size, dtype=np.float32)
    weights[used] = theta[:-1]
    bias = float(theta[-1])
    return Model(weights, bias, len(kept), len(passed), "model")


def _adam(moment: np.ndarray, square: np.ndarray, step: int) -> np.ndarray:
    corrected = moment / (1 - 0.9**step)
    scale = np.sqrt(square / (1 - 0.999**step)) + 1e-8
    return corrected / scale


def scores(features: Features, model: Model) -> np.ndarray:
    """Each row's relevance from 0 to 1 (the model's probability of a keep; for
    likeness, the cosine mapped to 0..1)."""
    margins = features.dot(model.weights) + model.bias
    if model.how == "likeness":
        return (margins + 1) / 2
    return 1 / (1 + np.exp(-margins))


def explain(
    features: Features, model: Model, row: int, names: dict[int, str], count: int = 5
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The features of ``row`` that pushed it up most, and down most, by the
    names the paper's own words give them (features.named)."""
    indices, data = features.row(row)
    pushes = data * model.weights[indices]
    order = np.argsort(-pushes, kind="stable")
    named = [(names.get(int(indices[i]), "?"), float(pushes[i])) for i in order]
    up = [(name, push) for name, push in named if push > 0]
    down = [(name, push) for name, push in reversed(named) if push < 0]
    return up[:count], down[:count]


def strongest_pushes(features: Features, model: Model, count: int) -> tuple[np.ndarray, np.ndarray]:
    """For every row, the ``count`` features that pushed it up most and down
    most (their buckets, -1 where there are fewer): rows x count each."""
    rows = len(features.ids)
    up, down = np.full((rows, count), -1, dtype=np.int32), np.full((rows, count), -1, np.int32)
    if model.how == "recency" or not len(features.indices):
        return up, down
    owner = np.repeat(np.arange(rows), np.diff(features.indptr))
    pushes = (features.data * model.weights[features.indices]).astype(np.float64)
    span = 2 * float(np.abs(pushes).max()) + 1  # keeps rows apart in one sort key
    starts = features.indptr[:-1]
    for chosen, sign in ((up, -1.0), (down, 1.0)):
        order = np.argsort(owner * span + sign * pushes, kind="stable")
        place = np.arange(len(order)) - starts[owner[order]]
        wanted = (place < count) & (sign * pushes[order] < 0)
        picked = order[wanted]
        chosen[owner[picked], place[wanted]] = features.indices[picked]
    return up, down
