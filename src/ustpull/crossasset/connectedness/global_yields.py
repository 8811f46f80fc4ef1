"""Time-varying connectedness of 10-year government yields: U.S., Germany, Japan and the UK.

The question: how strongly do U.S. Treasury yields transmit to foreign government yields, and
has that changed? :func:`global_yields_connectedness` answers it with the TVP-VAR connectedness of
Antonakakis, Chatziantoniou and Gabauer (2020) on

* weekly changes (Friday to Friday, common trading days) of the daily 10-year yields that exist
  offline: U.S. CMT, German Bund and Japanese JGB (MoF), with the U.S. NET over time and its
  credible band (coefficient draws), and the frequency split (Barunik-Krehlik) into
  short-lived spillovers (cycles under 4 weeks) and persistent ones;
* monthly changes of OECD monthly-average 10-year yields, the only panel that includes the UK
  (no daily gilt yields are available offline: the BoE archive holds 1985-89 only);
* monthly changes of the ACM term premium and of the expected-rate part of the 10-year yield
  of the U.S., Germany and Japan.

No panel holds the euro-area aggregate beside one of its members (issue 16): the ECB AAA
curve and the OECD euro-area yield are averages that include the Bund, so a VAR with both books
part of Germany's own variance as connectedness (:data:`AGGREGATE_MEMBERS`,
:func:`check_no_aggregate_with_members`). Germany, the member with the longest daily history,
stays; the euro area is left out (:data:`LEFT_OUT`).

Units: yields in percent, changes in percentage points; connectedness in percent of forecast
error variance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.comovement import EURO_AREA, EURO_AREA_MEMBERS
from ustpull.crossasset.connectedness.diebold_yilmaz import yield_changes
from ustpull.crossasset.connectedness.inference import ChangeTest
from ustpull.crossasset.connectedness.model import ConnectednessModel
from ustpull.crossasset.connectedness.period_change import PeriodChange, period_tci_change
from ustpull.crossasset.connectedness.results import ConnectednessModelResults
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Daily 10-year yields by market label (canonical series ids of :mod:`ustpull.sources`).
DAILY_TEN_YEAR: dict[str, str] = {
    "US": "us.cmt.10y",
    "DE": "de.govt.10y",
    "JP": "jp.jgb.10y",
}
#: OECD monthly-average 10-year yields, the panel with the UK.
MONTHLY_TEN_YEAR: dict[str, str] = {
    "US": "oecd.10y.us",
    "DE": "oecd.10y.de",
    "JP": "oecd.10y.jp",
    "UK": "oecd.10y.gb",
}
#: Markets of the ACM term-premium panels (lower-case codes of the decompositions).
COMPONENT_MARKETS: tuple[str, ...] = ("us", "de", "jp")
#: Markets missing from the weekly panel and why.
WEEKLY_GAPS: dict[str, str] = {
    "UK": "no daily gilt yields offline; the UK enters the monthly OECD panel only",
}
#: Aggregates and their members: no connectedness panel holds both.
AGGREGATE_MEMBERS: dict[str, frozenset[str]] = {EURO_AREA: EURO_AREA_MEMBERS}
#: Markets left out of every panel and why.
LEFT_OUT: dict[str, str] = {
    EURO_AREA: "an aggregate that includes Germany (ECB AAA curve, OECD euro-area average): "
    "beside the Bund it would book part of Germany's own variance as connectedness",
}


def check_no_aggregate_with_members(markets: Iterable[object]) -> None:
    """Raise :class:`~ustpull.errors.DataError` when a panel holds an aggregate of
    :data:`AGGREGATE_MEMBERS` beside one of its members (market labels, any case)."""
    names = {str(market).upper() for market in markets}
    for aggregate, members in AGGREGATE_MEMBERS.items():
        both = sorted(members & names)
        if aggregate in names and both:
            raise DataError(
                f"connectedness panel holds the aggregate {aggregate} beside its members "
                f"{both}: their connectedness would be partly mechanical"
            )


#: Periods of the test of a change in weekly total connectedness (before and after 2022).
CHANGE_PERIODS: tuple[tuple[str, str], tuple[str, str]] = (
    ("2010-01-01", "2019-12-31"),
    ("2022-01-01", "2099-12-31"),
)


@dataclass(frozen=True)
class GlobalYieldsConnectedness(Results):
    """Results of :func:`global_yields_connectedness` (read-only).

    Attributes
    ----------
    weekly
        TVP-VAR connectedness of weekly 10-year yield changes (time domain), with draws.
    weekly_bands
        The same model with the frequency split (``total`` and two bands).
    monthly
        Monthly OECD panel with the UK (``None`` when those series are missing).
    components
        ``term_premium`` and ``expected_rate`` panels (monthly ACM parts), when available.
    change
        Test of a change in the mean of the weekly TVP-VAR TCI between :data:`CHANGE_PERIODS`
        (EWC; the filtered series barely identifies a 117-week period's mean).
    period_change
        Change in total connectedness between :data:`CHANGE_PERIODS` from a constant VAR per
        period with a block bootstrap (:mod:`.period_change`): the report's finding.
    notes
        What was left out and why.
    """

    weekly: ConnectednessModelResults
    weekly_bands: ConnectednessModelResults
    monthly: ConnectednessModelResults | None
    components: dict[str, ConnectednessModelResults]
    change: ChangeTest | None
    notes: list[str] = field(default_factory=list)
    period_change: PeriodChange | None = None

    def summary(self) -> str:
        """The weekly model's summary, the change test and the notes."""
        parts = [self.weekly.summary()]
        if self.change is not None:
            parts.append(str(self.change))
        if self.period_change is not None:
            parts.append(str(self.period_change))
        parts += [f"note: {note}" for note in self.notes]
        return "\n\n".join(parts)

    def plot(self) -> Figure:
        """Weekly total connectedness with its band (one chart definition:
        :func:`ustpull.crossasset.charts.connectedness_tci_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import connectedness_tci_chart

        return figure(connectedness_tci_chart(self.weekly))


def global_yields_series_ids() -> list[str]:
    """Series ids :func:`global_yields_connectedness` reads."""
    return [*DAILY_TEN_YEAR.values(), *MONTHLY_TEN_YEAR.values()]


def _tvp(
    changes: pd.DataFrame, *, prior_window: int, horizon: int, bands: str | None = None
) -> ConnectednessModel:
    check_no_aggregate_with_members(changes.columns)
    return ConnectednessModel(
        changes, model="tvp-var", lags=1, horizon=horizon, window=prior_window, bands=bands
    )


def global_yields_connectedness(
    data: pd.DataFrame,
    *,
    decompositions: Mapping[str, pd.DataFrame] | None = None,
    weekly_prior: int = 104,
    monthly_prior: int = 60,
    horizon: int = 10,
    band_horizon: int = 100,
    draws: int = 200,
    seed: int = 0,
) -> GlobalYieldsConnectedness:
    """TVP-VAR connectedness of global 10-year yields and of their ACM parts.

    Parameters
    ----------
    data
        Canonical series (columns of :func:`global_yields_series_ids`), yields in percent.
    decompositions
        Monthly ACM decompositions by lower-case market code (:data:`COMPONENT_MARKETS`;
        others, such as ``ea``, are ignored) with ``term_premium`` and ``expected_rate``
        columns (``ustpull.studies.run_term_premia``).
    weekly_prior, monthly_prior
        Rows of the BayesPrior window (two years of weeks, five years of months).
    horizon
        FEVD horizon in periods of the data.
    band_horizon
        Horizon of the frequency decomposition (long, so that the MA is complete).
    draws
        Coefficient draws for the bands of the weekly TCI and NET.
    seed
        Seed of the draws.
    """
    check_no_aggregate_with_members(DAILY_TEN_YEAR)  # before any data are touched
    missing = [series for series in DAILY_TEN_YEAR.values() if series not in data.columns]
    if missing:
        raise DataError(f"global yields connectedness needs the daily series {missing}")
    levels = data[list(DAILY_TEN_YEAR.values())].set_axis(list(DAILY_TEN_YEAR), axis=1)
    # a market without any quote (as of a date before its data begin) is left out, said so
    absent = [str(market) for market in levels.columns if levels[market].isna().all()]
    if len(absent) > len(DAILY_TEN_YEAR) - 2:
        raise DataError(
            f"global yields connectedness: fewer than two markets have data ({', '.join(absent)} "
            "have none)"
        )
    levels = levels.drop(columns=absent)
    weekly_changes = yield_changes(levels.dropna(how="all"), frequency="weekly")
    late = []
    while len(weekly_changes) <= weekly_prior and weekly_changes.shape[1] > 2:
        # a market whose data begin shortly before an as-of date: the others' longer sample
        firsts = pd.Series({str(m): pd.Timestamp(levels[m].dropna().index[0]) for m in levels})
        newest = str(firsts.idxmax())
        late.append(f"{newest}: its data begin {firsts[newest]:%Y-%m-%d}, too late for the "
                    "prior window of the common sample; left out")  # fmt: skip
        levels = levels.drop(columns=[newest])
        weekly_changes = yield_changes(levels.dropna(how="all"), frequency="weekly")
    weekly = _tvp(weekly_changes, prior_window=weekly_prior, horizon=horizon)
    weekly_results = weekly.fit(draws=draws, seed=seed)
    banded = _tvp(weekly_changes, prior_window=weekly_prior, horizon=band_horizon, bands="1,4,inf")
    notes = [f"{market}: no observation in the data, left out" for market in absent]
    notes += late + [f"{market}: {why}" for market, why in {**WEEKLY_GAPS, **LEFT_OUT}.items()]
    notes.append(
        "closes are not synchronous (Tokyo and Frankfurt close before New York): part of a "
        "Friday U.S. move reaches the others in the next week, which weekly changes keep "
        "small but which tilts lagged spillovers toward the U.S."
    )
    try:
        change: ChangeTest | None = weekly_results.test_change(*CHANGE_PERIODS)
    except ValueError as error:
        change = None
        notes.append(f"change test not run: {error}")
    period_change = _period_change(weekly_changes, horizon, seed, notes)
    return GlobalYieldsConnectedness(
        weekly=weekly_results,
        weekly_bands=banded.fit(),
        monthly=_monthly_panel(data, monthly_prior, horizon, notes),
        components=_component_panels(decompositions or {}, monthly_prior, horizon, notes),
        change=change,
        notes=notes,
        period_change=period_change,
    )


def _period_change(
    changes: pd.DataFrame, horizon: int, seed: int, notes: list[str]
) -> PeriodChange | None:
    """Constant-VAR change in TCI between :data:`CHANGE_PERIODS` (same lags and horizon as
    the TVP-VAR), or ``None`` with a note when a period is too short."""
    try:
        return period_tci_change(changes, *CHANGE_PERIODS, lags=1, horizon=horizon, seed=seed)
    except ValueError as error:
        notes.append(f"constant-VAR change in TCI not run: {error}")
        return None


def _monthly_panel(
    data: pd.DataFrame, prior: int, horizon: int, notes: list[str]
) -> ConnectednessModelResults | None:
    ids = list(MONTHLY_TEN_YEAR.values())
    if any(series not in data.columns for series in ids):
        notes.append("monthly OECD panel (with the UK) not run: series missing")
        return None
    levels = data[ids].set_axis(list(MONTHLY_TEN_YEAR), axis=1).dropna()
    changes = levels.diff().dropna()
    return _tvp(changes, prior_window=prior, horizon=horizon).fit()


def _component_panels(
    decompositions: Mapping[str, pd.DataFrame], prior: int, horizon: int, notes: list[str]
) -> dict[str, ConnectednessModelResults]:
    markets = [code for code in COMPONENT_MARKETS if code in decompositions]
    if "us" not in markets or len(markets) < 2:
        notes.append("term-premium / expected-rate panels not run: ACM estimates missing")
        return {}
    absent = sorted(set(COMPONENT_MARKETS) - set(markets))
    if absent:
        notes.append(f"ACM parts without {', '.join(code.upper() for code in absent)}")
    panels = {}
    for part in ("term_premium", "expected_rate"):
        frame = pd.concat(
            {code.upper(): decompositions[code][part] for code in markets}, axis=1
        ).dropna()
        changes = frame.diff().dropna()
        if len(changes) < prior + 24 or not np.isfinite(changes.to_numpy()).all():
            notes.append(f"{part} panel not run: {len(changes)} common months")
            continue
        panels[part] = _tvp(changes, prior_window=prior, horizon=horizon).fit()
    return panels
