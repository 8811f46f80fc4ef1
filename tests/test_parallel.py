"""The executor seam: same chunks, same seeds, same results on every executor."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from ustpull.errors import DataError, UstpullError
from ustpull.parallel import (
    ALIGNMENT,
    aligned_copy,
    chunk_bounds,
    executor_from_options,
    map_chunks,
    spawn_seeds,
)


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
    with pytest.raises(DataError, match="at least 1"), executor_from_options(workers=0):
        pass
    assert issubclass(DataError, UstpullError)


@pytest.mark.parametrize("offset", range(8))
def test_aligned_copy_starts_on_the_boundary(offset: int) -> None:
    """The same numbers placed at any of 8 addresses: every copy sums to the same bits."""
    data = np.random.default_rng(5).standard_normal(1_000)
    buffer = np.empty(data.size + 8)
    buffer[offset : offset + data.size] = data
    view = buffer[offset : offset + data.size]
    copy = aligned_copy(view)
    assert copy.ctypes.data % ALIGNMENT == 0
    assert copy.flags.c_contiguous and copy.flags.writeable
    np.testing.assert_array_equal(copy, data)
    assert np.sum(copy) == np.sum(aligned_copy(data))


def test_aligned_copy_of_strided_and_empty_arrays() -> None:
    matrix = np.arange(12.0).reshape(3, 4)
    copy = aligned_copy(matrix.T)
    assert copy.flags.c_contiguous and copy.ctypes.data % ALIGNMENT == 0
    np.testing.assert_array_equal(copy, matrix.T)
    assert aligned_copy(np.empty((0, 4))).shape == (0, 4)


def _blas_threads(_: int) -> int:
    return max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


def test_work_units_run_with_one_blas_thread() -> None:
    """As Dask workers do by default, so that BLAS sums split the same way everywhere."""
    assert map_chunks(_blas_threads, [0, 1]) == [1, 1]
    with ProcessPoolExecutor(2) as processes:
        assert map_chunks(_blas_threads, [0, 1], executor=processes) == [1, 1]


def test_unreachable_scheduler_is_named() -> None:
    """A closed local port: the error names the address instead of a Dask traceback."""
    import socket

    import dask

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(UstpullError, match=f"cannot reach the Dask scheduler at {address}"),
        executor_from_options(dask_scheduler=address),
    ):
        pass
