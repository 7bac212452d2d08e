"""The ranking's two files beside the library, both caches (safe to delete: the
next ranking builds them again):

- ``library.json.rank-vectors.npz``: every paper's vector (features.py) with
  the digest of the text it was made from, so that a later ranking vectorises
  only the papers that arrived or changed since;
- ``library.json.rank-model.npz``: the model learned from the decisions
  (model.py), with the fingerprint of the decisions it learned from, so that it
  is retrained only when they changed.

They are numpy's own format, not TinyDB's like readq's other files: millions of
numbers, which JSON would make ten times the size and a hundred times slower to
read. numpy reads them without pickle (``allow_pickle=False``): a cache file
is data, never code. A file that cannot be read whole, or of another format,
reads as None.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Final

import numpy as np

from readq.atomicfile import atomic_write_chunks
from readq.rank.features import Features
from readq.rank.model import Model
from readq.rank.terms import BUCKETS
from readq.sidefile import beside

FORMAT: Final = 3  # 2: hashed features, no vocabulary; 3: authors count twice


def vectors_path(library: Path) -> Path:
    return beside(library, "rank-vectors.npz")


def model_path(library: Path) -> Path:
    return beside(library, "rank-model.npz")


def save_features(path: Path, features: Features) -> None:
    """Replace the vectors file; OSError when the disk refuses."""
    _save(
        path,
        format=np.array([FORMAT, features.built_rows, features.added_rows, features.build_id]),
        idf=features.idf,
        ids=features.ids,
        indptr=features.indptr,
        indices=features.indices,
        data=features.data,
        digests=features.digests,
    )


def load_features(path: Path) -> Features | None:
    arrays = _load(path)
    if arrays is None:
        return None
    try:
        header = arrays["format"]
        if len(header) != 4 or int(header[0]) != FORMAT:
            return None
        features = Features(
            idf=arrays["idf"].astype(np.float32),
            ids=arrays["ids"].astype(np.int64),
            indptr=arrays["indptr"].astype(np.int64),
            indices=arrays["indices"].astype(np.int32),
            data=arrays["data"].astype(np.float32),
            digests=arrays["digests"].astype(np.uint32),
            built_rows=int(header[1]),
            added_rows=int(header[2]),
            build_id=int(header[3]),
        )
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    return features if _consistent(features) else None


def _consistent(features: Features) -> bool:
    rows, entries = len(features.ids), len(features.indices)
    indptr = features.indptr
    return (
        len(features.idf) == BUCKETS
        and len(features.digests) == rows
        and len(indptr) == rows + 1
        and len(features.data) == entries
        and int(indptr[0]) == 0
        and int(indptr[-1]) == entries
        and bool(np.all(np.diff(indptr) >= 0))
        and (entries == 0 or int(features.indices.min()) >= 0)
        and (entries == 0 or int(features.indices.max()) < BUCKETS)
    )


def fingerprint(features: Features, kept: list[int], passed: list[int]) -> int:
    """Which decisions (rows kept and passed) a model learned from, in which
    full build of the features: a model is used again only for the same."""
    papers = features.ids
    kept_ids = np.sort(papers[np.array(kept, dtype=np.int64)])
    passed_ids = np.sort(papers[np.array(passed, dtype=np.int64)])
    mixed = zlib.crc32(kept_ids.tobytes(), features.build_id & 0xFFFFFFFF)
    return zlib.crc32(passed_ids.tobytes(), mixed) ^ (len(kept_ids) << 32)


def save_model(path: Path, model: Model, decisions: int) -> None:
    _save(
        path,
        format=np.array([FORMAT, decisions, model.kept, model.passed], dtype=np.int64),
        how=_packed([model.how]),
        weights=model.weights,
        bias=np.array([model.bias], dtype=np.float64),
    )


def load_model(path: Path, decisions: int) -> Model | None:
    """The saved model when it learned from ``decisions`` (fingerprint()); None
    otherwise."""
    arrays = _load(path)
    if arrays is None:
        return None
    try:
        header = arrays["format"]
        how = _unpacked(arrays["how"])
        weights = arrays["weights"].astype(np.float32)
        bias = float(arrays["bias"][0])
    except (KeyError, ValueError, IndexError, UnicodeDecodeError):
        return None
    if (
        len(header) != 4
        or int(header[0]) != FORMAT
        or int(header[1]) != decisions
        or how not in (["model"], ["likeness"], ["recency"])
        or len(weights) != BUCKETS
    ):
        return None
    return Model(weights, bias, int(header[2]), int(header[3]), how[0])  # type: ignore[arg-type]


def _save(path: Path, **arrays: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    atomic_write_chunks(path, [buffer.getbuffer()])


def _load(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as found:
            return {name: found[name] for name in found.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def _packed(texts: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def _unpacked(packed: np.ndarray) -> list[str]:
    text = packed.astype(np.uint8).tobytes().decode("utf-8")
    return text.split("\n") if text else []
