"""Every study at once: :func:`run_studies` returns the immutable :class:`Studies`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import TypeVar

import pandas as pd

from ustpull.crossasset.connectedness.global_yields import GlobalYieldsConnectedness
from ustpull.crossasset.dollar import DollarAnalysisResults
from ustpull.crossasset.events import EventStudyResults
from ustpull.crossasset.foreign_bonds import ForeignBondsResults, LinkageResults, component_linkage
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.errors import DataError, UstpullError
from ustpull.studies.connectedness import run_connectedness
from ustpull.studies.data import StudyData
from ustpull.studies.decomposition import components
from ustpull.studies.dollar import run_dollar
from ustpull.studies.events import run_events
from ustpull.studies.foreign_bonds import run_foreign_bonds
from ustpull.studies.pull import TreasuryPullStudy, run_pull
from ustpull.studies.series import STUDIES
from ustpull.studies.settings import StudySettings
from ustpull.studies.stocks import run_stocks
from ustpull.studies.term_premia import TermPremia, run_term_premia
from ustpull.termpremium.countries import CountryTermPremium

__all__ = ["Studies", "run_studies"]

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
    ) -> None:
        self.data, self.settings, self.executor = data, settings, executor
        self.allow_partial, self.progress = allow_partial, progress
        self.gaps: list[str] = list(data.gaps)
        self.notes: list[str] = list(data.notes)
        self.results: dict[str, object] = {}

    def run(self, name: str, study: Callable[[pd.DataFrame], object]) -> None:
        if self.progress is not None:
            self.progress(name)
        if name in self.data.blocked:
            return
        try:
            self.results[name] = study(self.data.columns(name))
        except (UstpullError, ValueError) as error:
            if not self.allow_partial:
                raise
            self.gaps.append(f"{name}: left out, {type(error).__name__}: {error}")

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
        results = run_foreign_bonds(
            frame,
            self.settings,
            decompositions=self._decompositions("decompositions"),
            executor=self.executor,
        )
        robust = self._decompositions("decompositions_bias_corrected")
        if len(robust) > 1:
            try:
                self.results["linkage bias-corrected"] = component_linkage(
                    robust,
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
    """
    runner = _Runner(data, settings, executor, allow_partial, progress)
    for name, study in zip(STUDIES, _steps(runner), strict=True):
        runner.run(name, study)
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
