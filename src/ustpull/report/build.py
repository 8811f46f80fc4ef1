"""``ustpull report``: from raw data to the HTML report, findings.json, CSVs and PNGs.

:func:`build_report` loads the studies' data through :func:`ustpull.studies.load_study_data`
(ingest online or from a local folder, then the store, optionally as known at ``as_of``),
runs :func:`ustpull.studies.run_studies` and renders the :class:`~ustpull.studies.Studies`
(:mod:`ustpull.report.sections`) into a
:class:`~ustpull.report.document.ReportDocument` that it writes.

A required series that is missing stops the run with an error naming it, unless
``allow_partial=True``: then each study that cannot run is left out and the gap is stated
in the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from ustpull.report.output import check_out_dir, write_report
from ustpull.report.sections import assemble_document
from ustpull.studies import StudySettings, load_study_data, run_studies
from ustpull.studies.cache import ResultCache, cache_folder
from ustpull.studies.data import IngestSummary, source_plan
from ustpull.studies.recipes import PlanRow
from ustpull.studies.series import STUDIES

__all__ = ["REPORT_STEPS", "ReportOutcome", "build_report", "report_plan"]

Progress = Callable[[str, int, int], None]
"""Called as each step starts: ``(step, steps done, steps in total)``."""

REPORT_STEPS: tuple[str, ...] = ("ingest", "load", *STUDIES, "write")


def report_plan(
    *,
    store: Path | str | None = None,
    data_dir: Path | str | None = None,
    settings: StudySettings = StudySettings(),
) -> list[PlanRow]:
    """Where every series of the report will come from, without downloading anything
    (:func:`ustpull.studies.data.source_plan`)."""
    return source_plan(store=store, data_dir=data_dir, settings=settings)


@dataclass(frozen=True)
class ReportOutcome:
    """What :func:`build_report` wrote and how long each step took."""

    out_dir: Path
    paths: dict[str, Path]
    timings: dict[str, float]
    gaps: list[str]
    findings: int
    ingest: IngestSummary | None = None


class _Steps:
    """Times each step and reports it to ``progress``."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.current = ""
        self.started = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.current:
            self.timings[self.current] = now - self.started
        self.current, self.started = name, now
        if self.progress is not None:
            self.progress(name, REPORT_STEPS.index(name), len(REPORT_STEPS))

    def done(self) -> dict[str, float]:
        self.timings[self.current] = time.perf_counter() - self.started
        if self.progress is not None:
            self.progress("done", len(REPORT_STEPS), len(REPORT_STEPS))
        return self.timings


def _private(store_path: Path, data_dir: Path | str | None) -> list[tuple[Path | str, str]]:
    """Local folders replaced by placeholders in the shared files."""
    private: list[tuple[Path | str, str]] = [(store_path.parent, "<store folder>")]
    if data_dir is not None:
        private += [(Path(data_dir).expanduser().resolve(), "<data-dir>"), (data_dir, "<data-dir>")]
    return private


def build_report(
    out_dir: Path | str,
    *,
    data_dir: Path | str | None = None,
    store: Path | str | None = None,
    as_of: str | None = None,
    allow_partial: bool = False,
    ingest: bool = True,
    attempts: int | None = None,
    settings: StudySettings = StudySettings(),
    progress: Progress | None = None,
    png: bool = True,
    timeout: float | None = None,
    executor: Executor | None = None,
    cache: bool = False,
) -> ReportOutcome:
    """Ingest, run every study and write the report into ``out_dir``.

    Parameters
    ----------
    out_dir
        Output folder: ``index.html``, ``findings.json``, ``data/*.csv``,
        ``figures/*.png``. Written atomically (:func:`ustpull.report.output.write_report`):
        an earlier report there is replaced whole, or left intact if writing fails.
    data_dir, store, as_of, ingest, attempts, timeout
        The data route (:func:`ustpull.studies.load_study_data`): ingest the catalogued
        files of ``data_dir`` (offline) or download every online source, into ``store``
        (default the user's store); ``as_of`` the store's vintage and last date used.
    allow_partial
        Leave out studies whose series are missing or that fail, stating the gaps, instead
        of stopping with an error.
    settings
        Model settings of every study.
    progress, png
        Callback as each step starts; also write static PNG figures.
    executor
        Reaches every study that splits its work (:func:`ustpull.studies.run_studies`).
    cache
        Reuse (and store) study results and PNGs whose inputs are all unchanged, in
        ``<store>.cache`` (:mod:`ustpull.studies.cache`); the CLI's default (``--no-cache``).

    Raises
    ------
    SeriesNotFoundError
        A required series is missing (named), without ``allow_partial``.
    """
    check_out_dir(out_dir)
    step = _Steps(progress)
    data = load_study_data(
        settings,
        store=store,
        data_dir=data_dir,
        as_of=as_of,
        ingest=ingest,
        allow_partial=allow_partial,
        attempts=attempts,
        timeout=timeout,
        progress=step,
    )
    folder = cache_folder(data.store_path) if cache else None
    studies = run_studies(
        data,
        settings,
        executor=executor,
        allow_partial=allow_partial,
        progress=step,
        cache=None if folder is None else ResultCache(folder, "studies", keep=21),
        side_by_side_ok=True,
    )
    step("write")
    document = assemble_document(studies)
    pngs = None if folder is None else ResultCache(folder, "png", keep=128)
    roots = _private(data.store_path, data_dir)
    paths = write_report(
        document, out_dir, png=png, private_roots=roots, data_dir=data_dir, png_cache=pngs
    )
    timings = {**step.done(), **studies.timings}  # each study's own time, wherever it ran
    return ReportOutcome(
        Path(out_dir), paths, timings, list(studies.gaps), len(document.findings), data.ingest
    )
