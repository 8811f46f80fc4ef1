"""Every study at once: :func:`run_studies` returns the immutable :class:`Studies`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pandas as pd

from ustpull.crossasset.connectedness.global_yields import GlobalYieldsConnectedness
from ustpull.crossasset.dollar import DollarAnalysisResults
from ustpull.crossasset.events import EventStudyResults
from ustpull.crossasset.foreign_bonds import ForeignBondsResults, LinkageResults, component_linkage
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.errors import DataError, UstpullError
from ustpull.parallel import side_by_side
from ustpull.studies.cache import ResultCache, fingerprint
from ustpull.studies.connectedness import run_connectedness
from ustpull.studies.data import StudyData
from ustpull.studies.decomposition import components
from ustpull.studies.dollar import run_dollar
from ustpull.studies.events import run_events
from ustpull.studies.foreign_bonds import linkable, run_foreign_bonds
from ustpull.studies.pull import TreasuryPullStudy, run_pull
from ustpull.studies.series import STUDIES
from ustpull.studies.settings import StudySettings
from ustpull.studies.stocks import run_stocks
from ustpull.studies.term_premia import TermPremia, run_term_premia
from ustpull.termpremium.countries import CountryTermPremium

__all__ = ["Studies", "run_studies"]

WITHOUT_TERM_PREMIA = frozenset({"event studies"})
"""Studies that read nothing of the term-premia study (they may run beside it)."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class Studies:
    """Results of every study (``None`` where a study did not run, with the reason in
    ``gaps``), the settings and data they ran on, and the notes they made."""

    settings: StudySettings
    data: StudyData
    term_premia: TermPremia | None
    stocks: StocksAnalysisResults | None
    foreign: ForeignBondsResults | None
    linkage_bias_corrected: LinkageResults | None
    connectedness: GlobalYieldsConnectedness | None
    dollar: DollarAnalysisResults | None
    events: EventStudyResults | None
    gaps: tuple[str, ...]
    notes: tuple[str, ...]
    pull: TreasuryPullStudy | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    """Seconds each study took (in whichever process ran it)."""

    @property
    def frame(self) -> pd.DataFrame:
        """Every series loaded (canonical ids)."""
        return self.data.frame

    @property
    def as_of(self) -> str:
        """The last date of data used."""
        return self.data.as_of

    @property
    def us_monthly(self) -> CountryTermPremium | None:
        """The U.S. month-end ACM estimate with its bootstrap bands, if it ran."""
        return None if self.term_premia is None else self.term_premia.us_monthly

    @property
    def us_daily(self) -> CountryTermPremium | None:
        """The U.S. daily ACM estimate, if it ran."""
        return None if self.term_premia is None else self.term_premia.us_daily

    @property
    def decompositions(self) -> dict[str, pd.DataFrame]:
        """Monthly 10-year splits by lower-case country code (empty if none ran)."""
        return {} if self.term_premia is None else dict(self.term_premia.decompositions)


class _Runner:
    """Runs the studies in order; each failure is a gap (``allow_partial``) or raised."""

    def __init__(
        self,
        data: StudyData,
        settings: StudySettings,
        executor: Executor | None,
        allow_partial: bool,
        progress: Callable[[str], None] | None,
        cache: ResultCache | None = None,
    ) -> None:
        self.data, self.settings, self.executor = data, settings, executor
        self.allow_partial, self.progress = allow_partial, progress
        self.gaps: list[str] = list(data.gaps)
        self.notes: list[str] = list(data.notes)
        self.results: dict[str, object] = {}
        self.cache = cache
        self.keys: dict[str, str] = {}
        self.timings: dict[str, float] = {}

    def run(self, name: str, study: Callable[[pd.DataFrame], object]) -> None:
        if self.progress is not None:
            self.progress(name)
        if name in self.data.blocked:
            return
        before = (len(self.gaps), len(self.notes), set(self.results))
        try:
            frame = self.data.columns(name)
            key = self._key(name, frame)
            if self._replay(name, key):
                return
            self.results[name] = study(frame)
        except (UstpullError, ValueError) as error:
            if not self.allow_partial:
                raise
            self.gaps.append(f"{name}: left out, {type(error).__name__}: {error}")
            return  # a failure is not cached
        self._record(name, key, before)

    def timed(self, name: str) -> None:
        """Run study ``name``, timing it."""
        started = time.perf_counter()
        self.run(name, dict(zip(STUDIES, _steps(self), strict=True))[name])
        self.timings[name] = time.perf_counter() - started

    def delta(self, name: str) -> dict[str, Any]:
        """Run study ``name`` and return what it added (results, gaps, notes, fingerprint,
        seconds), leaving this runner as it was: applied later, in order (:meth:`apply`)."""
        gaps, notes, names = len(self.gaps), len(self.notes), set(self.results)
        self.timed(name)
        added = {k: v for k, v in self.results.items() if k not in names}
        change = {
            "results": added, "gaps": self.gaps[gaps:], "notes": self.notes[notes:],
            "key": self.keys.get(name), "seconds": self.timings.pop(name),
        }  # fmt: skip
        del self.gaps[gaps:], self.notes[notes:]
        for k in added:
            del self.results[k]
        return change

    def apply(self, name: str, change: dict[str, Any]) -> None:
        if self.progress is not None:
            self.progress(name)
        self.results.update(change["results"])
        self.gaps.extend(change["gaps"])
        self.notes.extend(change["notes"])
        self.timings[name] = change["seconds"]
        if change["key"] is not None:
            self.keys[name] = change["key"]

    def run_side_by_side(self) -> None:
        """The term premia here while a forked helper runs the studies that do not read them,
        then the other studies in the helper and here at once (each reads only its data and
        the term premia); every study's outcome is applied in the order of STUDIES."""
        first, *rest = STUDIES
        alongside = [name for name in rest if name in WITHOUT_TERM_PREMIA]
        after = [name for name in rest if name not in alongside]
        if self.progress is not None:
            self.progress(first)
        progress, self.progress = self.progress, None  # no progress from the helper
        try:
            # the helper takes items from the first, this process from the last
            early = side_by_side(self.delta, [*alongside, first])
            self.apply(first, early[-1])  # the later studies read the term premia
            changes = dict(zip(alongside, early, strict=False))
            changes.update(zip(after, side_by_side(self.delta, after), strict=True))
        finally:
            self.progress = progress
        for name in rest:
            self.apply(name, changes[name])

    def _key(self, name: str, frame: pd.DataFrame) -> str | None:
        """The fingerprint of everything study ``name`` reads (:mod:`ustpull.studies.cache`):
        its columns, the as-of date, its recipe's choices, the settings and, for the studies
        built on the term premia, that study's fingerprint (or its absence)."""
        if self.cache is None:
            return None
        resolution = self.data.resolutions.get(name)
        reads_premia = name != "term premia" and name not in WITHOUT_TERM_PREMIA
        upstream = self.keys.get("term premia", "absent") if reads_premia else ""
        return fingerprint((name, frame, self.data.as_of, resolution, self.settings, upstream))

    def _replay(self, name: str, key: str | None) -> bool:
        """Apply a cached run of study ``name`` (its results, gaps and notes) if stored."""
        stored = None if key is None or self.cache is None else self.cache.get(key)
        if not isinstance(stored, dict):
            return False
        self.results.update(stored["results"])
        self.gaps.extend(stored["gaps"])
        self.notes.extend(stored["notes"])
        self.keys[name] = key  # type: ignore[assignment]
        return True

    def _record(self, name: str, key: str | None, before: tuple[int, int, set[str]]) -> None:
        """Store what study ``name`` added: its results, gaps and notes."""
        if key is None or self.cache is None:
            return
        gaps, notes, names = before
        self.cache.put(
            key,
            {
                "results": {k: v for k, v in self.results.items() if k not in names},
                "gaps": self.gaps[gaps:],
                "notes": self.notes[notes:],
            },
        )
        self.keys[name] = key

    def term_premia(self, frame: pd.DataFrame) -> TermPremia:
        result = run_term_premia(frame, self.settings, executor=self.executor)
        self.notes.extend(result.notes)
        self.gaps.extend(result.gaps)
        return result

    def _us(self, attribute: str) -> pd.DataFrame | None:
        """The U.S. 10-year split of the term-premia study (``None`` if it did not run)."""
        premia = self.results.get("term premia")
        estimate = getattr(premia, attribute, None) if isinstance(premia, TermPremia) else None
        return None if estimate is None else components(estimate)

    def _split_settings(self, split: pd.DataFrame | None) -> StudySettings:
        # without the term-premia study's split, a study runs without one (not its own)
        return self.settings if split is not None else replace(self.settings, term_premium=False)

    def pull(self, frame: pd.DataFrame) -> TreasuryPullStudy:
        split = self._us("us_daily")
        if split is None:
            raise DataError("Treasury pull: no U.S. daily term-premium split (term premia)")
        result = run_pull(frame, self.settings, us_components=split, end=self.data.as_of)
        self.notes.extend(f"Treasury pull: {note}" for note in result.notes)
        return result

    def stocks(self, frame: pd.DataFrame) -> StocksAnalysisResults:
        split = self._us("us_monthly")
        return run_stocks(
            frame,
            self._split_settings(split),
            decomposition=split,
            equity_includes_dividends=self.data.resolutions["stocks"].includes_dividends,
            executor=self.executor,
        )

    def _decompositions(self, attribute: str) -> dict[str, pd.DataFrame]:
        premia = self.results.get("term premia")
        return dict(getattr(premia, attribute)) if isinstance(premia, TermPremia) else {}

    def foreign(self, frame: pd.DataFrame) -> ForeignBondsResults:
        splits = self._decompositions("decompositions")
        results = run_foreign_bonds(frame, self.settings, decompositions=splits,
                                    executor=self.executor)  # fmt: skip
        _, short = linkable(splits, self.settings.correlation_window_months)
        self.notes.extend(f"Linkage by component: left out {market}" for market in short)
        robust, short = linkable(self._decompositions("decompositions_bias_corrected"), 36)
        self.notes.extend(f"Linkage, bias-corrected VARs: left out {m}" for m in short)
        if robust is not None:
            try:
                self.results["linkage bias-corrected"] = component_linkage(
                    robust,
                    window=36,
                    replications=self.settings.term_premium_replications,
                    seed=self.settings.seed,
                )
            except DataError as error:
                self.gaps.append(f"linkage with bias-corrected VARs: not estimated ({error})")
        return results

    def connectedness(self, frame: pd.DataFrame) -> GlobalYieldsConnectedness:
        return run_connectedness(
            frame,
            self.settings,
            decompositions=self._decompositions("decompositions"),
            executor=self.executor,
        )

    def dollar(self, frame: pd.DataFrame) -> DollarAnalysisResults:
        split = self._us("us_daily")
        results, notes = run_dollar(
            frame, self._split_settings(split), decomposition=split, executor=self.executor
        )
        self.notes.extend(notes)
        return results

    def events(self, frame: pd.DataFrame) -> EventStudyResults:
        return run_events(frame, self.settings, executor=self.executor)


def run_studies(
    data: StudyData,
    settings: StudySettings = StudySettings(),
    *,
    executor: Executor | None = None,
    allow_partial: bool = False,
    progress: Callable[[str], None] | None = None,
    cache: ResultCache | None = None,
    side_by_side_ok: bool = False,
) -> Studies:
    """Run every study on ``data`` (:func:`ustpull.studies.load_study_data`).

    Parameters
    ----------
    data
        The loaded series with each study's recipe resolution.
    settings
        Model settings of every study.
    executor
        Reaches every study that splits its work (the countries of the term premia, their
        bootstrap, the rolling connectedness blocks); results are bit-identical to serial.
    allow_partial
        A study that fails (or a country that cannot be estimated) is left out and stated in
        ``gaps`` instead of stopping the run. Countries are always caught one by one.
    progress
        Called with each study's name (:data:`~ustpull.studies.series.STUDIES`) as it starts.
    cache
        Reuse each study's stored result when every input it reads is unchanged
        (:class:`~ustpull.studies.cache.ResultCache`, keyed by
        :func:`~ustpull.studies.cache.fingerprint`); ``None`` computes everything.
    side_by_side_ok
        Without an ``executor``, run the studies that follow the term premia (each reads
        only its data and the term premia) in a forked helper process and this one at once
        (:func:`ustpull.parallel.side_by_side`); their results, gaps and notes are applied
        in the order of :data:`STUDIES`, so the outcome is that of the serial run.
    """
    runner = _Runner(data, settings, executor, allow_partial, progress, cache)
    if side_by_side_ok and executor is None:
        runner.run_side_by_side()
    else:
        for name in STUDIES:
            runner.timed(name)
    get = runner.results.get
    return Studies(
        settings=settings,
        data=data,
        term_premia=_typed(get("term premia"), TermPremia),
        pull=_typed(get("Treasury pull"), TreasuryPullStudy),
        stocks=_typed(get("stocks"), StocksAnalysisResults),
        foreign=_typed(get("foreign bonds"), ForeignBondsResults),
        linkage_bias_corrected=_typed(get("linkage bias-corrected"), LinkageResults),
        connectedness=_typed(get("connectedness"), GlobalYieldsConnectedness),
        dollar=_typed(get("dollar"), DollarAnalysisResults),
        events=_typed(get("event studies"), EventStudyResults),
        gaps=tuple(runner.gaps),
        notes=tuple(dict.fromkeys(runner.notes)),
        timings=dict(runner.timings),
    )


def _steps(runner: _Runner) -> tuple[Callable[[pd.DataFrame], object], ...]:
    """One callable per study, in the order of :data:`STUDIES`."""
    return (
        runner.term_premia,
        runner.pull,
        runner.stocks,
        runner.foreign,
        runner.connectedness,
        runner.dollar,
        runner.events,
    )


def _typed(value: object, kind: type[_T]) -> _T | None:
    return value if isinstance(value, kind) else None
