"""One executor seam for work that splits into independent pieces.

Every parallel API in ustpull takes ``executor=``: any :class:`concurrent.futures.Executor`
(``None`` runs serially in-process). A ``ProcessPoolExecutor`` and a Dask
``distributed.Client(...).get_executor()`` work unchanged. Work is cut into chunks large
enough to beat the scheduling overhead, and every chunk that draws random numbers gets its
own child of ``numpy.random.SeedSequence(seed).spawn(n_chunks)``: the chunking depends only
on the problem size, never on the executor, so results are bit-identical whichever executor
ran them. Two machine details would otherwise leak into the last bit: multi-threaded BLAS
splits its sums differently with the thread count (Dask workers run one BLAS thread, this
process as many as cores), so :func:`map_chunks` runs every work unit with one BLAS thread (the
executor supplies the parallelism); and numpy's SIMD loops round differently with the memory
alignment of their input, so a work unit that receives a slice copies it with
:func:`aligned_copy` first. Bit identity across machines further needs the same numpy/BLAS
versions and CPU instruction set (numpy picks its SIMD kernels at run time).

The CLI maps ``--workers N`` to a local process pool and ``--dask-scheduler ADDRESS`` to a
Dask client (``pip install 'ustpull[dask]'``); ``--dask-scheduler local`` starts a
``LocalCluster`` on this machine.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

from ustpull.errors import DataError, UstpullError

__all__ = [
    "aligned_copy",
    "chunk_bounds",
    "executor_from_options",
    "fork_helpers",
    "map_chunks",
    "side_by_side",
    "spawn_seeds",
]

ChunkT = TypeVar("ChunkT")
ResultT = TypeVar("ResultT")


ALIGNMENT = 64
"""Bytes: the widest SIMD register (AVX-512) and a cache line."""


def aligned_copy(array: ArrayLike) -> NDArray[Any]:
    """A C-contiguous copy of ``array`` whose data starts on a :data:`ALIGNMENT` boundary.

    Sums, cumulative sums and ``einsum`` peel a number of leading elements that depends on
    the address of the data before their vector loop, so the same values at another address
    can differ in the last bit. Work units copy their array inputs with this function so
    that the result does not depend on where the executor put them.
    """
    source = np.asarray(array)
    buffer = np.empty(source.nbytes + ALIGNMENT, dtype=np.uint8)
    offset = -buffer.ctypes.data % ALIGNMENT
    copy = buffer[offset : offset + source.nbytes].view(source.dtype).reshape(source.shape)
    copy[...] = source
    return copy


def chunk_bounds(total: int, *, chunk_size: int) -> list[tuple[int, int]]:
    """``[start, stop)`` bounds cutting ``range(total)`` into chunks of ``chunk_size``.

    The last chunk may be shorter. Depends on ``total`` and ``chunk_size`` only, so the
    same problem is always cut the same way.
    """
    if total < 0 or chunk_size < 1:
        raise ValueError(f"chunk_bounds: total={total}, chunk_size={chunk_size}")
    count = math.ceil(total / chunk_size) if total else 0
    return [(k * chunk_size, min(total, (k + 1) * chunk_size)) for k in range(count)]


def spawn_seeds(seed: int | np.random.SeedSequence, count: int) -> list[np.random.SeedSequence]:
    """``count`` independent child seeds of ``seed`` (one per chunk)."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return list(root.spawn(count))


def map_chunks(
    function: Callable[..., ResultT],
    chunks: Sequence[ChunkT],
    *args: Any,
    executor: Executor | None = None,
) -> list[ResultT]:
    """``[function(chunk, *args) for chunk in chunks]``, on ``executor`` when given.

    Results come back in chunk order. Each call runs with one BLAS thread wherever it runs
    (module docstring). ``function`` and its arguments must be picklable for process pools
    and Dask (module-level functions, plain data).
    """
    if executor is None:
        return [_work_unit(function, chunk, *args) for chunk in chunks]
    futures = [executor.submit(_work_unit, function, chunk, *args) for chunk in chunks]
    return [future.result() for future in futures]


def _work_unit(function: Callable[..., ResultT], chunk: Any, *args: Any) -> ResultT:
    """``function(chunk, *args)`` with one BLAS thread, as Dask workers run by default."""
    with threadpool_limits(limits=1, user_api="blas"):
        return function(chunk, *args)


@contextlib.contextmanager
def executor_from_options(
    *, workers: int | None = None, dask_scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor that the CLI options ask for; closed on exit.

    Parameters
    ----------
    workers
        Local worker processes (``ProcessPoolExecutor``); ``None`` or 1 runs serially.
    dask_scheduler
        Address of a Dask scheduler (``tcp://host:8786``), or ``local`` for a
        ``LocalCluster`` on this machine with ``workers`` single-threaded processes
        (default 2). With an address ``workers`` is ignored (the cluster has its own). On a
        real cluster start the workers with ``--nthreads 1`` and without Dask's
        ``MALLOC_TRIM_THRESHOLD_`` (README, section Scale).
    """
    if workers is not None and workers < 1:
        raise DataError(f"--workers must be at least 1, got {workers}")
    if dask_scheduler:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:  # pragma: no cover - depends on the install
            raise UstpullError(
                "Dask is not installed: pip install 'ustpull[dask]' to use --dask-scheduler"
            ) from error
        if dask_scheduler == "local":
            import dask

            # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536: glibc then returns every
            # freed block to the OS and numpy's large temporaries are page-faulted afresh on
            # each use (NSS date blocks measured 3x slower than in this process)
            environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
            environ.pop("MALLOC_TRIM_THRESHOLD_", None)
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
                cluster = LocalCluster(
                    n_workers=workers or 2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
            client = Client(cluster)
        else:
            cluster = None
            try:
                client = Client(dask_scheduler)
            except OSError as error:  # refused, unresolvable or timed out
                raise UstpullError(
                    f"cannot reach the Dask scheduler at {dask_scheduler}: {error}"
                ) from error
        try:
            # pure=False: every submission runs (no reuse of an identical earlier task)
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    if workers is None or workers == 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def fork_helpers() -> int:
    """Helper processes that :func:`side_by_side` may fork: the cores this process may use
    but one, at most 3; 0 off Linux (forking is safe there only) and in a daemonic process
    (a pool's worker, which may not have children)."""
    if not sys.platform.startswith("linux") or multiprocessing.current_process().daemon:
        return 0
    return max(0, min(3, len(os.sched_getaffinity(0)) - 1))


_JOB: Callable[[Any], Any] | None = None
"""The job of :func:`side_by_side`, inherited by its forked helpers (never pickled)."""


def _helper_job(item: Any) -> Any:
    if _JOB is None:  # pragma: no cover - only set in a forked helper
        raise RuntimeError("side_by_side: no job in this helper")
    return _JOB(item)


def side_by_side(job: Callable[[ChunkT], ResultT], items: Sequence[ChunkT]) -> list[ResultT]:
    """``[job(item) for item in items]``, run by forked helpers and this process at once.

    The helpers (:func:`fork_helpers`) inherit ``job`` and everything it reads by ``fork``
    (nothing is pickled on the way in; each result is pickled back); they take the items from
    the first, this process from the last, until they meet, so each item runs exactly once.
    The results come back in item order; the first item (in order) that raised raises here.
    Without helpers (one core, not Linux, fewer than two items) every item runs here in
    order. ``job`` must not use an executor (the pool of a parent does not work in a fork).
    """
    helpers = fork_helpers()
    if helpers == 0 or len(items) < 2:
        return [job(item) for item in items]
    global _JOB
    _JOB = job
    here: dict[int, tuple[bool, Any]] = {}
    pool = ProcessPoolExecutor(max_workers=helpers, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = [pool.submit(_helper_job, item) for item in items]
        for position in reversed(range(len(items))):
            if not futures[position].cancel():
                break  # the helpers take items in order: every earlier one is taken
            try:
                here[position] = (True, job(items[position]))
            except Exception as error:  # re-raised below, in item order
                here[position] = (False, error)
        results: list[ResultT] = []
        for position, future in enumerate(futures):
            if position not in here:
                results.append(future.result())
                continue
            done, value = here[position]
            if not done:
                raise value
            results.append(value)
        return results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _JOB = None
