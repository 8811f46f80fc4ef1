"""The Treasury-pull study: the report's dashboard (issue 19, point 1).

How a 10 bp move in the U.S. 10-year yield moves U.S. stocks, the dollar and foreign 10-year
yields, split into its expected-rate and term-premium parts
(:class:`~ustpull.crossasset.pull.TreasuryPull`). The U.S. split is the daily ACM estimate
that the term-premia study already computes (:func:`ustpull.studies.components`), so the
dashboard and the term-premium section show the same split.

Every asset with daily quotes is fitted on weekly synchronous changes; the U.K., whose only
yields in the data are OECD monthly averages, on monthly-average changes (the labelled
fallback of :data:`~ustpull.crossasset.pull_data.PULL_ASSETS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ustpull.crossasset.pull import PULL_ERAS, TreasuryPull
from ustpull.crossasset.pull_data import PULL_ASSETS, PULL_SERIES, PullFrequency, pull_asset_levels
from ustpull.crossasset.pull_results import TreasuryPullResults
from ustpull.errors import DataError
from ustpull.studies.settings import StudySettings

__all__ = ["PULL_STUDY_SERIES", "TreasuryPullStudy", "run_pull"]

PULL_STUDY_SERIES: tuple[str, ...] = PULL_SERIES
"""Store series the study reads (the U.S. split comes from the term-premia study)."""


@dataclass(frozen=True)
class TreasuryPullStudy:
    """Results of :func:`run_pull` (read-only).

    ``weekly`` holds every asset with daily quotes (weekly synchronous changes);
    ``monthly`` the assets available only as monthly averages (the U.K.), or ``None``;
    ``absent`` the assets without data; ``notes`` what was not estimated and why.
    """

    weekly: TreasuryPullResults
    monthly: TreasuryPullResults | None
    absent: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def parts(self) -> tuple[TreasuryPullResults, ...]:
        """The fitted results, weekly first."""
        return (self.weekly,) if self.monthly is None else (self.weekly, self.monthly)

    @property
    def assets(self) -> list[str]:
        """Estimated assets, in the order of :data:`PULL_ASSETS`."""
        fitted = {name for part in self.parts for name in part.data_through.index}
        return [name for name in PULL_ASSETS if name in fitted]

    def results_for(self, asset: str) -> TreasuryPullResults:
        """The results that hold ``asset``."""
        for part in self.parts:
            if asset in part.data_through.index:
                return part
        raise KeyError(f"no Treasury-pull estimate for {asset!r}")

    @property
    def estimates(self) -> pd.DataFrame:
        """Every estimate of both parts (index ``(asset, window, component)``)."""
        return pd.concat([part.estimates for part in self.parts])

    def rolling_table(self) -> pd.DataFrame:
        """The rolling responses of every asset in one long table (the chart's CSV)."""
        tables = [part.rolling_table() for part in self.parts]
        return pd.concat(tables, ignore_index=True)


def run_pull(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    us_components: pd.DataFrame,
    end: str | pd.Timestamp | None = None,
) -> TreasuryPullStudy:
    """Fit the Treasury pull on the stored levels ``data`` (columns = series ids).

    Parameters
    ----------
    data
        Daily (or monthly) levels of :data:`PULL_STUDY_SERIES`; a series that is absent or
        empty leaves its asset out (named in ``absent``).
    settings
        Study settings (the confidence level is the model's 95%).
    us_components
        The U.S. 10-year ``expected_rate`` and ``term_premium`` in percent, daily (the
        term-premia study's daily ACM estimate, :func:`ustpull.studies.components`).
    end
        Last date used (the report's as-of date).

    Raises
    ------
    DataError
        No asset has data, or the U.S. split is missing.
    """
    del settings  # the pull has no report setting of its own yet (windows: model defaults)
    levels, absent = pull_asset_levels(data)
    if levels.shape[1] == 0:
        raise DataError(f"Treasury pull: none of {list(PULL_STUDY_SERIES)} has data")
    levels = levels.astype(float)
    monthly_names = [n for n in levels.columns if PULL_ASSETS[n].fallback is not None]
    daily_names = [n for n in levels.columns if n not in monthly_names]
    notes: list[str] = []
    weekly = _fit_long_enough(levels[daily_names], us_components, "weekly", end, notes)
    if weekly is None:
        raise DataError(f"Treasury pull: no daily asset has enough changes up to {end}")
    notes.extend(weekly.notes)
    monthly = None
    if monthly_names:
        monthly = _fit_long_enough(
            levels[monthly_names], us_components, "monthly_average", end, notes
        )
        notes.extend([] if monthly is None else monthly.notes)
    return TreasuryPullStudy(weekly, monthly, tuple(absent), tuple(notes))


def _fit_long_enough(
    levels: pd.DataFrame,
    us_components: pd.DataFrame,
    frequency: PullFrequency,
    end: str | pd.Timestamp | None,
    notes: list[str],
) -> TreasuryPullResults | None:
    """The pull of the assets with at least a window of changes (an asset whose data begin
    shortly before an as-of date is left out, said in ``notes``); ``None`` if none has."""
    levels = levels.dropna(how="all")
    eras = eras_through(end)
    model = TreasuryPull.from_levels(
        levels, us_components, frequency=frequency, end=end, regimes=eras
    )
    sizes = model.sample_sizes()
    short = sizes[sizes < model.window]
    if short.empty:
        return model.fit()
    notes.extend(
        f"{name}: left out, {count} {frequency} changes with the U.S. parts up to the data's "
        f"last date, fewer than the window of {model.window}"
        for name, count in short.items()
    )
    kept = levels.drop(columns=list(short.index)).dropna(how="all")
    if kept.shape[1] == 0:
        return None
    return TreasuryPull.from_levels(
        kept, us_components, frequency=frequency, end=end, regimes=eras
    ).fit()


def eras_through(end: str | pd.Timestamp | None) -> tuple[tuple[str, str | None, str | None], ...]:
    """:data:`~ustpull.crossasset.pull.PULL_ERAS` as of ``end``: an era still running then
    ("2008-2019" as of 2012-12-31) is cut at ``end`` and named after its data ("2008-2012"),
    not labelled with years it has no data for; eras begun later stay (and stay empty)."""
    if end is None:
        return PULL_ERAS
    last = pd.Timestamp(end)
    eras = []
    for label, first, stop in PULL_ERAS:
        ongoing = stop is not None and pd.Timestamp(stop) > last >= pd.Timestamp(first or last)
        eras.append((f"{label[:5]}{last.year}", first, f"{last:%Y-%m-%d}") if ongoing
                    else (label, first, stop))  # fmt: skip
    return tuple(eras)
