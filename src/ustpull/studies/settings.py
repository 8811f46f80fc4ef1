"""Settings of every study: one frozen object read by the studies, the CLI and the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:  # annotations only: the settings do not import the models (scipy)
    from ustpull.crossasset.ddm import InflationProxy
    from ustpull.crossasset.dollar import (
        DollarIndexChoice,
        FiscalMeasure,
        Frequency,
        GrowthRule,
    )
    from ustpull.crossasset.events import Episode

__all__ = ["EVENT_SERIES", "LINKAGE_COUNTRIES", "StudySettings", "finished_by", "last_date"]

#: Countries of :mod:`ustpull.termpremium.countries` whose term premia the studies estimate:
#: every country of that table. Germany, Japan and Switzerland have no quote under one or two
#: years, so their "expected rate" is the expected 1- (2-) year yield (``ShortEndWarning``).
LINKAGE_COUNTRIES: tuple[str, ...] = ("US", "EA", "AU", "DE", "JP", "CH")

EVENT_SERIES: tuple[str, ...] = (
    "us.tips.10y",
    "us.cmt.10y",
    "us.cmt.2y",
    "us.sp500",
    "fx.dxy",
    "fx.usd_broad",
    "de.govt.10y",
    "jp.jgb.10y",
)
"""Series of the report's event-study table (taper tantrum first)."""


@dataclass(frozen=True)
class StudySettings:
    """Model settings of the studies (the report shows each in its methodology section).

    Windows: ``correlation_window_days`` (trading days) and ``correlation_window_months``
    serve the stock-bond and the foreign co-movement correlations alike; the portfolio has
    its own ``portfolio_window_months``.
    """

    correlation_window_days: int = 252
    correlation_window_months: int = 36
    inflation_threshold: float = 3.0
    inflation_proxy: InflationProxy = "trailing_12m"
    stock_weight: float = 0.6
    portfolio_window_months: int = 36
    era_breaks: tuple[str, ...] = ()
    term_premium: bool = True
    term_premium_replications: int = 500
    linkage_countries: tuple[str, ...] = LINKAGE_COUNTRIES
    foreign_start: str = "1990-01-01"
    recent_years: int = 5
    comovement_window_months: int = 60
    connectedness_window: int = 200
    connectedness_lags: int = 2
    connectedness_horizon: int = 10
    connectedness_frequency: Literal["daily", "weekly"] = "weekly"
    extra_episodes: tuple[Episode, ...] = ()
    dollar_index: DollarIndexChoice = "spliced"
    growth_rule: GrowthRule = "gdp_trend"
    fiscal_measure: FiscalMeasure = "impulse"
    fiscal_threshold: float = 1.0
    dollar_frequency: Frequency = "weekly"
    dollar_window: int = 52
    #: Also build the descriptive ex-post state tables (NBER dates, final GDP; headline
    #: fiscal balance) beside the real-time shape tests (off: the CLI's --ex-post-tables).
    dollar_ex_post_tables: bool = False
    event_series: tuple[str, ...] = EVENT_SERIES
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Settings for the methodology table and findings.json."""
        return {
            "stock-bond correlation window (trading days)": self.correlation_window_days,
            "stock-bond correlation window (months)": self.correlation_window_months,
            "CPI inflation threshold (% y/y)": self.inflation_threshold,
            "portfolio stock weight": self.stock_weight,
            "ACM": "K=5 PCs of month-end zero yields at 3..120 months; VAR(1); "
            "returns at 6,12,24..120 months; U.S. short rate: 1-month bill from 2001-07-31",
            "term-premium countries": list(self.linkage_countries),
            "Diebold-Yilmaz": f"VAR({self.connectedness_lags}), horizon "
            f"{self.connectedness_horizon}, rolling window {self.connectedness_window} "
            f"{'days' if self.connectedness_frequency == 'daily' else 'weeks'} of "
            f"{self.connectedness_frequency} changes",
            "co-movement with the U.S.": "month-end 10-year yield changes (OECD monthly "
            "averages only as a labelled fallback); headline mean over DE, JP, UK; rolling "
            f"{self.comovement_window_months} months; stationary block bootstrap, 999 draws",
            "TVP-VAR connectedness": "weekly 10-year yield changes, VAR(1), kappa 0.99/0.99, "
            "BayesPrior 104 weeks, horizon 10 (bands 1-4 / 4+ weeks at horizon 100)",
            "dollar index": self.dollar_index,
            "dollar-yield correlation": f"{self.dollar_frequency} changes, rolling window "
            f"{self.dollar_window} observations",
            "growth-state rule": "smile test: real-time payroll-growth terciles (published "
            "one month later), VIX risk-off; descriptive ex-post table (NBER dates, final GDP): "
            + (f"{self.growth_rule}" if self.dollar_ex_post_tables else "not built"),
            "fiscal stance": "frown test: discretionary impulse net of automatic stabilisers "
            "(epsilon 0.35, threshold 0.5 pp); descriptive ex-post table (headline balance): "
            + (
                f"{self.fiscal_measure}, threshold {self.fiscal_threshold} pp of GDP"
                if self.dollar_ex_post_tables
                else "not built"
            ),
            "bootstrap seed": self.seed,
        }


def last_date(data: pd.DataFrame) -> pd.Timestamp | None:
    """The last date with any observation in ``data`` (``None`` when it has none): the
    "today" of a study, so that a run ``--as-of`` a past date counts from that date."""
    last = data.dropna(how="all").index.max()
    return None if pd.isna(last) else pd.Timestamp(last)


def finished_by(ends: Sequence[pd.Timestamp | str], data: pd.DataFrame) -> list[bool]:
    """Whether each window ending at ``ends`` (a month ``YYYY-MM`` means its last day) had
    ended by the last date of ``data``: windows still open then are left out of a study,
    which would otherwise measure them on part of their span (or fail)."""
    last = last_date(data)
    if last is None:
        return [False] * len(ends)
    return [
        (pd.Timestamp(end) + pd.offsets.MonthEnd(0) if len(str(end)) == 7 else pd.Timestamp(end))
        <= last
        for end in ends
    ]
