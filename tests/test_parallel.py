"""The executor seam: same chunks, same seeds, same results on every executor."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from ustpull.errors import UstpullError
from ustpull.parallel import chunk_bounds, executor_from_options, map_chunks, spawn_seeds


def _draw(bounds: tuple[int, int], seed: np.random.SeedSequence) -> np.ndarray:
    start, stop = bounds
    return np.random.default_rng(seed).standard_normal(stop - start)


def _draw_chunk(job: tuple[tuple[int, int], np.random.SeedSequence]) -> np.ndarray:
    return _draw(*job)


def _draws(executor: object | None) -> np.ndarray:
    bounds = chunk_bounds(1_000, chunk_size=128)
    jobs = list(zip(bounds, spawn_seeds(42, len(bounds)), strict=True))
    return np.concatenate(map_chunks(_draw_chunk, jobs, executor=executor))  # type: ignore[arg-type]


def test_chunk_bounds_cover_the_range_once() -> None:
    assert chunk_bounds(10, chunk_size=4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(0, chunk_size=4) == []
    with pytest.raises(ValueError, match="chunk_size=0"):
        chunk_bounds(10, chunk_size=0)


def test_results_are_bit_identical_across_executors() -> None:
    serial = _draws(None)
    assert serial.shape == (1_000,)
    with ThreadPoolExecutor(2) as threads:
        np.testing.assert_array_equal(_draws(threads), serial)
    with ProcessPoolExecutor(2) as processes:
        np.testing.assert_array_equal(_draws(processes), serial)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_bits() -> None:
    serial = _draws(None)
    with executor_from_options(workers=2, dask_scheduler="local") as executor:
        assert executor is not None
        np.testing.assert_array_equal(_draws(executor), serial)


def test_executor_options() -> None:
    with executor_from_options() as executor:
        assert executor is None
    with executor_from_options(workers=2) as executor:
        assert isinstance(executor, ProcessPoolExecutor)
    with pytest.raises(UstpullError, match="at least 1"), executor_from_options(workers=0):
        pass
