"""Shared fixtures: the shared public-data folder and the executors of the parallel seams.

Tests read real data from ``$USTPULL_SHARED_DATA`` (default ``../shared/data``). Outside CI
a missing folder skips the tests that need it; with ``CI=true`` it is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import pytest

from ustpull.config import shared_data_dir
from ustpull.parallel import executor_from_options


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; fails in CI and skips elsewhere when it is missing."""
    path = shared_data_dir()
    if not (path / "MANIFEST.md").is_file():
        message = f"shared data not found at {path} (set USTPULL_SHARED_DATA)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True, scope="session")
def _no_user_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test away from the user's own store: the default store is a fresh file."""
    previous = os.environ.get("USTPULL_STORE")
    os.environ["USTPULL_STORE"] = str(tmp_path_factory.mktemp("user") / "default.duckdb")
    yield
    if previous is None:
        os.environ.pop("USTPULL_STORE", None)
    else:
        os.environ["USTPULL_STORE"] = previous


@pytest.fixture
def tmp_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store path, also exported as USTPULL_STORE for CLI calls."""
    store = tmp_path / "store.duckdb"
    monkeypatch.setenv("USTPULL_STORE", str(store))
    return store


@pytest.fixture(scope="session")
def process_executor() -> Iterator[ProcessPoolExecutor]:
    """A 2-process pool shared by the executor bit-identity tests."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        yield pool


@pytest.fixture(scope="session")
def dask_executor() -> Iterator[Executor]:
    """One Dask ``LocalCluster`` (2 worker processes) for the whole session, as an executor."""
    with executor_from_options(workers=2, dask_scheduler="local") as executor:
        assert executor is not None
        yield executor
