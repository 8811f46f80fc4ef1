"""The report's PNG figures: rendered on two cores, and reused when a chart is unchanged.

Rendering a chart with matplotlib (:func:`ustpull.charts.figure`) is most of the time of
writing the report (~0.2 s a chart, some 26 charts). :class:`PngWriter` starts a helper
process on the charts, first to last, while this process writes the CSVs and the HTML page
and then takes charts from the end of the list -- each chart is drawn once, by whichever
process gets to it first (work stealing through ``Future.cancel``). Agg draws the same pixels
in either process. The helper is forked (Linux only; elsewhere, and with one core, every
chart is drawn here).

With a cache (:class:`~ustpull.studies.cache.ResultCache`, kind ``png``) a chart's PNG is
stored under :func:`chart_key`: the SHA-256 of everything the picture is drawn from (the
chart's data bit for bit, its titles, units, shading, intervals and notes, matplotlib's
settings, and the code and library versions of :func:`~ustpull.studies.cache.code_digest`);
an unchanged chart is copied instead of drawn.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from ustpull.charts import Chart, figure
from ustpull.parallel import fork_helpers
from ustpull.studies.cache import ResultCache, fingerprint

__all__ = ["PngWriter", "chart_key", "render_png"]


_NOT_DRAWN = ("backend", "interactive", "toolbar", "webagg", "savefig.directory", "figure.raise")
"""matplotlib settings that do not change a saved picture (the backend is Agg once drawing)."""


def chart_key(chart: Chart) -> str:
    """The fingerprint of everything a chart's PNG is drawn from."""
    import matplotlib

    fields = [
        (field.name, getattr(chart, field.name))
        for field in dataclasses.fields(chart)
        if field.name != "data"
    ]
    settings = sorted(
        (key, repr(value))
        for key, value in matplotlib.rcParams.items()
        if not key.startswith(_NOT_DRAWN)
    )
    return fingerprint(("png", chart.data, fields, settings))


def _agg() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot


def render_png(chart: Chart, path: Path) -> Path:
    """Draw ``chart`` into ``path`` (Agg, the report's size and resolution)."""
    _agg()
    import matplotlib.pyplot as plt

    fig = figure(chart)
    try:
        # figure() laid the chart out (tight_layout); the placeholder layout engine that
        # leaves behind would make savefig draw the whole figure once more before drawing it
        # (~40% of a chart's time) for the same pixels
        fig.set_layout_engine(None)
        fig.savefig(path)
    finally:
        plt.close(fig)
    return path


class PngWriter:
    """Writes the PNGs of ``charts`` into ``folder``; a context manager.

    On entry the charts not in the cache are handed to helper processes; :meth:`finish`
    (called on exit if not before) draws, in this process, every chart no helper has started,
    waits for the rest and stores the new PNGs in the cache.
    """

    def __init__(
        self, charts: Sequence[Chart], folder: Path, *, cache: ResultCache | None = None
    ) -> None:
        self.folder, self.cache = folder, cache
        self.charts = list(charts)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[tuple[Chart, Path, str | None, Future[Path] | None]] = []

    def __enter__(self) -> PngWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        helpers = fork_helpers()
        if helpers and len(self.charts) > 1:
            _agg()  # imported once, before the fork: the helpers inherit it
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(max_workers=helpers, mp_context=context)
        for chart in self.charts:
            path = self.folder / f"{chart.chart_id}.png"
            key = None if self.cache is None else chart_key(chart)
            stored = None if key is None or self.cache is None else self.cache.path(key, ".png")
            if stored is not None and stored.is_file():
                shutil.copyfile(stored, path)
                os.utime(stored)
                continue
            future = None if self.pool is None else self.pool.submit(render_png, chart, path)
            self.pending.append((chart, path, key, future))
        return self

    def finish(self) -> Path:
        """Draw what no helper took (from the last chart back), wait for the rest."""
        for chart, path, _, future in reversed(self.pending):
            if future is None or future.cancel():
                render_png(chart, path)
            else:
                break  # the helpers draw in order: every earlier chart is taken too
        for _, _, _, future in self.pending:
            if future is not None and not future.cancelled():
                future.result()
        self._close()
        if self.cache is not None:
            for _, path, key, _ in self.pending:
                if key is not None:
                    self.cache.put_bytes(key, path.read_bytes(), ".png")
        self.pending = []
        return self.folder

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None and self.pending:
            self.finish()
        self._close()
