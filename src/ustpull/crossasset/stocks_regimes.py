"""Stock-bond correlation with intervals, estimated breaks, regimes and DCC (issue 16, 2-3).

From the daily stock and exact 10-year zero returns of
:class:`~ustpull.crossasset.stocks_correlation.StockBondCorrelationResults` (both U.S. closes, so
synchronous) this runs

* the correlation of returns in each era with a 95% interval (Newey-West HAC delta method on
  Fisher z, :class:`~ustpull.crossasset.intervals.CorrelationInterval`), the 2020-latest minus
  2000-2019 difference by stationary block bootstrap (Politis-Romano; at least ten blocks per
  sample), the monthly-return correlation since 2020 and the last rolling window's correlation
  (both HAC);
* Bai-Perron breaks (LWZ) in the monthly correlation of daily returns, with Bai (1997) break-date
  intervals, to stand beside the imposed eras (:class:`~ustpull.crossasset.breaks.BaiPerron`);
* DCC-GARCH(1,1) on daily returns from ``dcc_start`` (Engle 2002,
  :class:`~ustpull.crossasset.dcc.DCCGarch`; daily since 1990 keeps the fit under a second);
* a two-state bivariate regime-switching model on weekly sums of the GARCH-standardised daily
  returns (:class:`~ustpull.crossasset.regimes.RegimeSwitchingCorrelation`), so the regimes
  describe the correlation rather than calm and turbulent volatility;
* the correlation below and above CPI inflation thresholds (2, 2.5, 3, 3.5 and 4% by default;
  :class:`~ustpull.crossasset.inflation_threshold.InflationThreshold`, HAC intervals).

On data that end before 2020 (an as-of run) everything is fitted on the eras that have data;
the parts that need the 2020-latest sample (the difference and the monthly correlation since
2020) are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.breaks import BaiPerron, BaiPerronResults
from ustpull.crossasset.dcc import DCCGarch, DCCGarchResults
from ustpull.crossasset.inflation_threshold import (
    DEFAULT_THRESHOLDS,
    InflationThreshold,
    InflationThresholdResults,
)
from ustpull.crossasset.intervals import (
    CorrelationDifferenceInterval,
    CorrelationInterval,
    CorrelationIntervalResults,
)
from ustpull.crossasset.regimes import RegimeSwitchingCorrelation, RegimeSwitchingResults
from ustpull.crossasset.stats import json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StockBondRegimes", "StockBondRegimesResults", "standardised_weekly"]

BEFORE = ("2000-01-01", "2019-12-31")
RECENT_START = "2020-01-01"


@dataclass(frozen=True)
class StockBondRegimesResults(Results):
    """Era correlations with intervals, the era difference, breaks, regimes, DCC, thresholds."""

    era_correlations: pd.DataFrame
    before: CorrelationIntervalResults | None
    """The 2000-2019 correlation; ``None`` on data that end before December 2019."""
    difference: CorrelationIntervalResults | None
    monthly_recent: CorrelationIntervalResults | None
    latest_window: CorrelationIntervalResults
    breaks: BaiPerronResults
    dcc: DCCGarchResults
    regimes: RegimeSwitchingResults
    thresholds: InflationThresholdResults
    sample: tuple[pd.Timestamp, pd.Timestamp] | None = None
    """First and last date of the daily returns (the thresholds' and breaks' sample)."""

    @property
    def dcc_correlation(self) -> pd.Series:
        """The DCC daily stock-bond correlation."""
        return self.dcc.conditional_correlation.iloc[:, 0].rename("dcc")

    def summary(self) -> str:
        """Every part, one after another."""
        return "\n\n".join(
            [
                "Correlation of daily returns by era (95% HAC intervals):",
                self.era_correlations.round(4).to_string(),
                "no 2020-latest sample" if self.difference is None else self.difference.summary(),
                "" if self.monthly_recent is None else self.monthly_recent.summary(),
                self.latest_window.summary(),
                self.breaks.summary(),
                self.dcc.summary(),
                self.regimes.summary(),
                self.thresholds.summary(),
            ]
        )

    def plot(self) -> Figure:
        """The DCC correlation."""
        return self.dcc.plot()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables (the DCC path is in the report's chart, not here)."""
        latest = self.dcc_correlation
        return {
            "era_correlations": json_records(self.era_correlations),
            "before": None if self.before is None else self.before.to_dict(),
            "difference_recent_minus_2000_2019": None
            if self.difference is None
            else self.difference.to_dict(),
            "monthly_recent": None
            if self.monthly_recent is None
            else self.monthly_recent.to_dict(),
            "latest_window": self.latest_window.to_dict(),
            "breaks": json_records(self.breaks.breaks),
            "break_regimes": json_records(self.breaks.regimes),
            "dcc_params": json_records(self.dcc.params),
            "dcc_latest": {"date": f"{latest.index[-1]:%Y-%m-%d}", "value": float(latest.iloc[-1])},
            "regimes": json_records(self.regimes.regimes),
            "inflation_thresholds": json_records(self.thresholds.table),
        }


class StockBondRegimes:
    """Intervals, breaks, regimes and DCC of the stock-bond correlation (module docstring).

    Parameters
    ----------
    daily, monthly
        Two columns (stock, bond) of daily and monthly log returns.
    cpi
        Monthly CPI index (for the inflation thresholds).
    eras
        (label, first date, last date) of the imposed eras.
    window
        Trading days of the rolling window whose last value the report quotes.
    thresholds, dcc_start
        Inflation thresholds (percent) and the first date of the DCC sample.
    """

    def __init__(
        self,
        daily: pd.DataFrame,
        monthly: pd.DataFrame,
        cpi: pd.Series,
        *,
        eras: Sequence[tuple[str, str | None, str | None]],
        window: int = 252,
        thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
        dcc_start: str = "1990-01-01",
    ) -> None:
        if daily.shape[1] != 2 or monthly.shape[1] != 2:
            raise DataError("stock-bond regimes need two return columns (stock, bond)")
        self.daily = daily.dropna()
        self.monthly = monthly.dropna()
        self.cpi = cpi
        self.eras = tuple(eras)
        self.window = window
        self.thresholds = tuple(thresholds)
        self.dcc_start = dcc_start

    def _interval(self, start: str | None, end: str | None) -> CorrelationIntervalResults:
        part = self.daily.loc[start:end]
        return CorrelationInterval(part.iloc[:, 0], part.iloc[:, 1]).fit(method="hac")

    def _era_table(self) -> pd.DataFrame:
        rows = {}
        for label, start, end in self.eras:
            part = self.daily.loc[start:end]
            if part.empty:  # an era the data do not reach (as of an earlier date)
                continue
            fit = self._interval(start, end)
            rows[label] = {
                "first": part.index[0],
                "last": part.index[-1],
                "n": len(part),
                "correlation": fit.estimate,
                "ci_low": fit.ci_low,
                "ci_high": fit.ci_high,
            }
        return pd.DataFrame(rows).T.rename_axis("era")

    def fit(self, *, replications: int = 999, seed: int = 0) -> StockBondRegimesResults:
        """Every part; ``replications`` and ``seed`` of the era-difference bootstrap."""
        before, recent = self.daily.loc[BEFORE[0] : BEFORE[1]], self.daily.loc[RECENT_START:]
        difference = None
        if not recent.empty:  # data that end before 2020: no 2020-latest sample to compare
            difference = CorrelationDifferenceInterval(
                before.iloc[:, 0], before.iloc[:, 1], recent.iloc[:, 0], recent.iloc[:, 1]
            ).fit(method="stationary", replications=replications, seed=seed)
        monthly = self.monthly.loc[RECENT_START:]
        last = self.daily.iloc[-self.window :]
        dcc = DCCGarch(self.daily.loc[self.dcc_start :]).fit()
        return StockBondRegimesResults(
            era_correlations=self._era_table(),
            # the 2000-2019 sample only once it is complete (an as-of run measures no part)
            before=self._interval(*BEFORE) if _complete_by(self.daily, BEFORE[1]) else None,
            difference=difference,
            monthly_recent=None
            if monthly.empty
            else CorrelationInterval(monthly.iloc[:, 0], monthly.iloc[:, 1]).fit(method="hac"),
            latest_window=CorrelationInterval(last.iloc[:, 0], last.iloc[:, 1]).fit(method="hac"),
            breaks=BaiPerron(self._monthly_correlation()).fit(),
            dcc=dcc,
            regimes=RegimeSwitchingCorrelation(self._standardised_weekly(dcc)).fit(),
            thresholds=InflationThreshold(
                self.daily, self.cpi, thresholds=self.thresholds, method="hac"
            ).fit(),
            sample=(self.daily.index[0], self.daily.index[-1]),
        )

    def _monthly_correlation(self) -> pd.Series:
        """Correlation of the daily returns within each calendar month (the break series)."""
        x, y = self.daily.iloc[:, 0], self.daily.iloc[:, 1]
        month = pd.DatetimeIndex(self.daily.index).to_period("M")
        frame = pd.DataFrame({"x": x, "y": y, "xy": x * y, "xx": x * x, "yy": y * y})
        sums = frame.groupby(month).agg(["sum", "count"])
        n = sums[("x", "count")]
        cov = sums[("xy", "sum")] - sums[("x", "sum")] * sums[("y", "sum")] / n
        var_x = sums[("xx", "sum")] - sums[("x", "sum")] ** 2 / n
        var_y = sums[("yy", "sum")] - sums[("y", "sum")] ** 2 / n
        corr = (cov / (var_x * var_y) ** 0.5).dropna()
        corr.index = pd.PeriodIndex(corr.index).to_timestamp("M")
        return pd.Series(corr, name="monthly_correlation")

    def _standardised_weekly(self, dcc: DCCGarchResults) -> pd.DataFrame:
        return standardised_weekly(self.daily, dcc.conditional_volatility)


def _complete_by(data: pd.DataFrame, end: str) -> bool:
    """Whether ``data`` reach the month of ``end`` (a sample ending then is complete)."""
    return bool(len(data)) and pd.Timestamp(data.index[-1]).to_period("M") >= pd.Period(end, "M")


def standardised_weekly(daily: pd.DataFrame, volatility: pd.DataFrame) -> pd.DataFrame:
    """Weekly (Saturday-Friday) sums of the daily returns, demeaned and divided by their
    GARCH(1,1) ``volatility`` (same columns, on the volatility's dates), each week dated by its
    last trading day: the input of the return regimes."""
    sample = daily.loc[volatility.index]
    z = (sample - sample.mean()).div(volatility.to_numpy())
    weekly = pd.DataFrame(z).resample("W-FRI").sum(min_count=1)
    # each week dated by its last observation, not the coming Friday (data through)
    last_day = pd.Series(z.index, index=z.index).resample("W-FRI").max()
    weekly.index = pd.DatetimeIndex(last_day.reindex(weekly.index))
    return weekly.dropna()
