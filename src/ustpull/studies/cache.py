"""Results cached beside the store, keyed by a fingerprint of exactly the inputs they read.

A study's result is a pure function of the columns it reads (dates, names, dtypes and every
value, as loaded from the store at its as-of vintage), the as-of date, the series its recipe
chose, the :class:`~ustpull.studies.StudySettings`, the results of the studies it builds on
(the term premia) and the code that computes it (ustpull's own source files and the versions
of numpy, pandas, scipy, statsmodels, matplotlib and Python). :class:`ResultCache` stores a
result under the SHA-256 of these (:func:`fingerprint`), so any change of an input -- one
observation revised, a setting, a line of code -- gives another key and the stale entry is
never read. Entries are pickles written atomically into ``<store>.cache/<kind>/`` (the
store's folder is trusted like the store itself); the least recently used beyond
:data:`KEEP` per kind are pruned. ``ustpull report --no-cache`` bypasses the cache.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import platform
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KEEP",
    "ResultCache",
    "cache_folder",
    "canonical",
    "code_digest",
    "fingerprint",
    "frame_digest",
]

KEEP = 64
"""Entries kept per kind by default (least recently used pruned first)."""

_LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "duckdb")


def _feed(digest: Any, chunk: bytes) -> None:
    """Length-prefixed, so that two different sequences of chunks never hash alike."""
    digest.update(len(chunk).to_bytes(8, "little"))
    digest.update(chunk)


def _feed_array(digest: Any, values: Any) -> None:
    array = np.asarray(values)
    _feed(digest, f"{array.dtype.str}{array.shape}".encode())
    if array.dtype.kind in "biufcmM":
        _feed(digest, np.ascontiguousarray(array).tobytes())
    else:  # objects, strings, nullable dtypes: their exact text
        _feed(digest, repr(array.tolist()).encode())


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's labels, dtypes and every value (bit for bit)."""
    digest = hashlib.sha256()
    _feed(digest, repr((frame.index.name, frame.columns.name)).encode())
    _feed_array(digest, frame.index)
    _feed_array(digest, frame.columns)
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        _feed(digest, str(column.dtype).encode())
        _feed_array(digest, column.to_numpy())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of ustpull's source files and the versions of the libraries it computes with."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        _feed(digest, str(path.relative_to(root)).encode())
        _feed(digest, path.read_bytes())
    versions = [platform.python_version(), platform.machine()]
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=absent")
    _feed(digest, " ".join(versions).encode())
    return digest.hexdigest()


def canonical(value: object) -> str:
    """A text of ``value`` that is the same in every process: frames by
    :func:`frame_digest`, dataclasses field by field, sets sorted (their ``repr`` follows
    the per-process string hash), anything else by ``repr``."""
    if isinstance(value, pd.DataFrame):
        return frame_digest(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (
            f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__qualname__}({', '.join(fields)})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[{', '.join(canonical(item) for item in value)}]"
    if isinstance(value, Mapping):
        items = (f"{canonical(k)}: {canonical(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return repr(value)


def fingerprint(parts: Iterable[object]) -> str:
    """SHA-256 of :func:`code_digest` and the :func:`canonical` text of each of ``parts``
    (frames, settings, dates, resolutions, upstream fingerprints)."""
    digest = hashlib.sha256()
    _feed(digest, code_digest().encode())
    for part in parts:
        _feed(digest, canonical(part).encode())
    return digest.hexdigest()


def cache_folder(store_path: Path | str) -> Path | None:
    """``<store>.cache`` beside a store file (``None`` for an in-memory store)."""
    path = Path(store_path)
    if str(store_path) in ("", ":memory:") or not path.parent.is_dir():
        return None
    return path.with_name(path.name + ".cache")


class ResultCache:
    """Pickled results under ``folder/<kind>/<key>.pickle``.

    Parameters
    ----------
    folder
        The cache folder (:func:`cache_folder`); ``None`` disables the cache.
    kind
        Sub-folder, one per kind of result (``studies``, ``png``).
    keep
        Entries kept (:meth:`prune`).
    """

    def __init__(self, folder: Path | None, kind: str, *, keep: int = KEEP) -> None:
        self.folder = None if folder is None else folder / kind
        self.keep = keep
        self.hits = 0
        self.misses = 0

    def path(self, key: str, suffix: str = ".pickle") -> Path | None:
        """Where the entry of ``key`` lives (``None`` when disabled)."""
        return None if self.folder is None else self.folder / f"{key}{suffix}"

    def get(self, key: str) -> Any | None:
        """The stored value of ``key`` (``None`` when absent, disabled or unreadable)."""
        path = self.path(key)
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            value = pickle.loads(path.read_bytes())
        except Exception:  # a truncated or foreign file is a miss, and is replaced
            self.misses += 1
            return None
        os.utime(path)  # recently used: pruned last
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically); errors writing it are ignored."""
        self.put_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, key: str, payload: bytes, suffix: str = ".pickle") -> None:
        """Store raw bytes under ``key`` (atomically: a reader never sees half a file)."""
        path = self.path(key, suffix)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
            os.replace(temporary, path)
        except OSError:
            return
        self.prune()

    def prune(self) -> None:
        """Delete all but the :attr:`keep` most recently used entries."""
        keep = self.keep
        if self.folder is None or not self.folder.is_dir():
            return
        entries = sorted(
            (entry for entry in self.folder.iterdir() if entry.suffix != ".partial"),
            key=lambda entry: entry.stat().st_mtime,
            reverse=True,
        )
        for entry in entries[keep:]:
            entry.unlink(missing_ok=True)
