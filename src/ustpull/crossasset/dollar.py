"""Treasuries and the dollar: co-movement, relative prices, the dollar smile and the fiscal frown.

Conventions
-----------
- Dollar changes are log changes in percent (``100 ln(D_t / D_{t-1})``); a rise is a stronger
  dollar. For the euro the dollar's price is ``1 / (USD per EUR)``, so every FX leg reads as
  "dollar up".
- Yield changes are in basis points; yields and differentials in percent.
- Monthly data are dated on the first day of the month; a month's dollar and yield values are
  its last daily observations.

The dollar smile (Jen 2001 and the market folklore since): the dollar rises in U.S. recessions
(safe-haven demand) and in strong U.S. expansions (growth and rate differentials) and weakens
when U.S. growth merely slows. The fiscal frown: the dollar weakens when fiscal policy is very
loose (more bond supply, doubts about sustainability lift yields while the dollar falls) or very
tight, and does best in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import DollarIndexChoice, FiscalMeasure, GrowthRule
from ustpull._typing import SamplingFrequency as Frequency
from ustpull.charts import weekly
from ustpull.crossasset.events import EPISODES, Episode
from ustpull.crossasset.fiscal import FISCAL_COLUMNS, FiscalStance, FiscalStanceResults
from ustpull.crossasset.smile import (
    ShapeTest,
    ShapeTestResults,
    growth_signal,
    realtime_terciles,
    risk_off_state,
)
from ustpull.crossasset.stats import align, hac_ols, json_records, rolling_correlation
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "EX_POST_LABEL",
    "GROWTH_RULES",
    "GROWTH_SIGNALS",
    "RISK_OFF_INDICATORS",
    "DollarAnalysisResults",
    "DollarShapeResults",
    "DollarSmile",
    "DollarSmileResults",
    "DollarYieldComovement",
    "DollarYieldResults",
    "FiscalFrown",
    "FiscalFrownResults",
    "RelativePriceResults",
    "RelativePrices",
    "classify_fiscal_stance",
    "classify_growth_states",
    "dollar_index",
    "dollar_shape_tests",
    "month_end",
    "monthly_dollar_returns",
]


GROWTH_STATES = ("recession", "slowdown", "expansion")
FISCAL_STANCES = ("tight", "neutral", "loose")


def _rounded(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """Round the float columns only (dates and labels stay as they are)."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{str(c): frame[c].round(decimals) for c in floats})


def _require_columns(data: pd.DataFrame, columns: Sequence[str], who: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise DataError(f"{who}: missing series {missing}; got {list(data.columns)}")


def dollar_index(data: pd.DataFrame, *, index: DollarIndexChoice = "spliced") -> pd.Series:
    """The dollar index to use.

    Parameters
    ----------
    data
        Columns ``fx.dxy`` (ICE DXY) and/or ``fx.usd_broad`` (Fed nominal broad index).
    index
        ``dxy``, ``broad``, or ``spliced``: DXY up to its last observation, then the broad
        index's log changes chained onto DXY's last level (so the level stays in DXY units and
        every change after the splice is the broad index's); DXY alone when the broad index
        has no observation from DXY's last date on (data as of a date before the broad index
        begins, or ending with DXY).
    """
    if index == "dxy":
        _require_columns(data, ["fx.dxy"], "dollar_index")
        return data["fx.dxy"].dropna().rename("dollar")
    if index == "broad":
        _require_columns(data, ["fx.usd_broad"], "dollar_index")
        return data["fx.usd_broad"].dropna().rename("dollar")
    _require_columns(data, ["fx.dxy", "fx.usd_broad"], "dollar_index")
    dxy = data["fx.dxy"].dropna()
    broad = data["fx.usd_broad"].dropna()
    splice_date = dxy.index[-1]
    after = broad.loc[splice_date:]
    if after.empty:  # nothing to chain after DXY's last date
        return dxy.rename("dollar")
    if after.index[0] != splice_date:
        raise DataError(
            f"dollar_index: the broad index has no observation on DXY's last date "
            f"{splice_date:%Y-%m-%d}, so the two cannot be spliced there"
        )
    chained = dxy.iloc[-1] * after / after.iloc[0]
    return pd.concat([dxy, chained.iloc[1:]]).rename("dollar")


def _months(index: pd.Index) -> pd.PeriodIndex:
    return pd.DatetimeIndex(index).to_period("M")


def month_end(series: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Last observation of each month, dated on the first of that month."""
    sampled = series.groupby(_months(series.index)).last()
    sampled.index = pd.PeriodIndex(sampled.index).to_timestamp()
    sampled.index.name = "date"
    return sampled


def _monthly(series: pd.Series) -> pd.Series:
    """A monthly series re-dated on the first of its month (publisher dates vary)."""
    clean = series.dropna()
    if _months(clean.index).has_duplicates:
        result = month_end(clean)
        assert isinstance(result, pd.Series)
        return result
    out = clean.copy()
    out.index = _months(clean.index).to_timestamp()
    out.index.name = "date"
    return out


def _quarterly_to_monthly(quarterly: pd.Series) -> pd.Series:
    """Give each of a quarter's three months the quarter's value (dated on month starts)."""
    first_months = pd.DatetimeIndex(quarterly.index).to_period("Q").asfreq("M", how="S")
    parts = [
        pd.Series(quarterly.to_numpy(), index=(first_months + k).to_timestamp()) for k in range(3)
    ]
    monthly = pd.concat(parts).sort_index()
    monthly.index.name = "date"
    return monthly


def _sample(series: pd.Series, frequency: Frequency) -> pd.Series:
    clean = series.dropna()
    if frequency == "daily":
        return clean
    if frequency == "weekly":
        return weekly(clean)
    result = month_end(clean)
    assert isinstance(result, pd.Series)
    return result


def _log_change_pct(level: pd.Series) -> pd.Series:
    if (level.dropna() <= 0).any():
        bad = level[level <= 0].index[0]
        raise DataError(f"{level.name!r} has a non-positive level on {bad:%Y-%m-%d}")
    return 100.0 * np.log(level).diff()


# --------------------------------------------------------------------------- co-movement


@dataclass(frozen=True)
class DollarYieldResults(Results):
    """Dollar vs yield co-movement (read-only)."""

    rolling_correlation: pd.DataFrame
    full_sample_correlation: pd.Series
    divergences: pd.DataFrame
    changes: pd.DataFrame
    frequency: str
    window: int

    def summary(self) -> str:
        lines = [
            f"Dollar vs 10-year yield ({self.frequency} changes, rolling window {self.window})",
            "Full-sample correlation of dollar changes with:",
        ]
        for name, value in self.full_sample_correlation.items():
            lines.append(f"  {name:<16} {value:+.3f}")
        lines.append("Latest rolling correlation:")
        for name in self.rolling_correlation.columns:
            known = self.rolling_correlation[name].dropna()
            if not known.empty:
                lines.append(f"  {name:<16} {known.iloc[-1]:+.3f} ({known.index[-1]:%Y-%m-%d})")
        lines.append(f"Divergences (yields up, dollar down): {len(self.divergences)}")
        for _, row in self.divergences.tail(8).iterrows():
            lines.append(
                f"  {row['start']:%Y-%m-%d}..{row['end']:%Y-%m-%d}: yield "
                f"{row['yield_change_bp']:+.0f} bp, dollar {row['dollar_change_pct']:+.1f}%"
            )
        return "\n".join(lines)

    def full_sample_intervals(self, *, seed: int = 0) -> pd.DataFrame:
        """Full-sample correlation of dollar changes with each yield column and its 95%
        interval, as the report's ``dollar.corr_yield`` finding: stationary block bootstrap
        with the Politis-White block length (:class:`~ustpull.crossasset.intervals.
        CorrelationInterval`, 999 replicates, ``seed``), on the common non-missing changes.

        One row per column of :attr:`full_sample_correlation`: ``correlation``, ``ci_low``,
        ``ci_high``, ``ci_method``, ``nobs``, ``data_through``.
        """
        from ustpull.crossasset.intervals import CorrelationInterval

        rows = {}
        for name in self.full_sample_correlation.index:
            pair = self.changes[["dollar_pct", name]].dropna()
            fit = CorrelationInterval(pair["dollar_pct"], pair[name]).fit(seed=seed)
            rows[name] = {
                "correlation": fit.estimate,
                "ci_low": fit.ci_low,
                "ci_high": fit.ci_high,
                "ci_method": fit.ci_method,
                "nobs": len(pair),
                "data_through": f"{fit.data_through:%Y-%m-%d}",
            }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("component")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields: each full-sample correlation with its 95% interval
        (:meth:`full_sample_intervals`, the report's method) and the divergences."""
        intervals = self.full_sample_intervals()
        return {
            "frequency": self.frequency,
            "window": self.window,
            "full_sample_correlation": {
                k: round(float(v), 6) for k, v in self.full_sample_correlation.items()
            },
            "full_sample_intervals": {
                str(name): {
                    "value": float(row["correlation"]),
                    "ci": [float(row["ci_low"]), float(row["ci_high"])],
                    "ci_method": str(row["ci_method"]),
                    "confidence": 0.95,
                    "nobs": int(row["nobs"]),
                    "data_through": str(row["data_through"]),
                }
                for name, row in intervals.iterrows()
            },
            "divergences": json_records(self.divergences.set_index("start")),
        }

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.charts.dollar_correlation_chart`
        (``figure()`` draws it with plotly, :meth:`plot` with matplotlib)."""
        from ustpull.crossasset.charts import dollar_correlation_chart

        return dollar_correlation_chart(self)

    def plot(self) -> Figure:
        """Rolling correlations, divergences shaded (one chart definition:
        :func:`~ustpull.crossasset.charts.dollar_correlation_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import dollar_correlation_chart

        return figure(dollar_correlation_chart(self))


class DollarYieldComovement:
    """Rolling correlation of dollar changes with 10-year yield changes and their parts.

    Parameters
    ----------
    dollar
        Dollar index levels (daily).
    ten_year_yield
        10-year yield, percent (daily).
    decomposition
        Optional frame with columns ``expected_rate`` and ``term_premium`` (percent) for the
        10-year, from the term-premium model, at the chosen frequency or finer.
    frequency
        Sampling of changes: ``daily``, ``weekly`` (Friday) or ``monthly``.
    window
        Rolling window in observations at that frequency.
    divergence_window
        Length, in daily observations, of the change windows that flag divergences.
    yield_threshold_bp, dollar_threshold_pct
        A divergence: the yield up by at least ``yield_threshold_bp`` while the dollar is down
        by at least ``dollar_threshold_pct`` percent over ``divergence_window`` days.
    """

    def __init__(
        self,
        dollar: pd.Series,
        ten_year_yield: pd.Series,
        *,
        decomposition: pd.DataFrame | None = None,
        frequency: Frequency = "weekly",
        window: int = 52,
        divergence_window: int = 21,
        yield_threshold_bp: float = 20.0,
        dollar_threshold_pct: float = 1.5,
    ) -> None:
        if decomposition is not None:
            _require_columns(
                decomposition, ["expected_rate", "term_premium"], "DollarYieldComovement"
            )
        self._dollar = dollar.rename("dollar")
        self._yield = ten_year_yield.rename("yield")
        self._decomposition = decomposition
        self._frequency: Frequency = frequency
        self._window = window
        self._divergence_window = divergence_window
        self._yield_threshold = yield_threshold_bp
        self._dollar_threshold = dollar_threshold_pct

    def fit(self) -> DollarYieldResults:
        levels = align(self._dollar, self._yield)
        sampled = pd.DataFrame(
            {
                "dollar": _sample(levels["dollar"], self._frequency),
                "yield": _sample(levels["yield"], self._frequency),
            }
        )
        changes = pd.DataFrame(
            {
                "dollar_pct": _log_change_pct(sampled["dollar"]),
                "yield": sampled["yield"].diff() * 100.0,
            }
        )
        if self._decomposition is not None:
            parts = self._decomposition[["expected_rate", "term_premium"]]
            parts_sampled = parts.apply(lambda s: _sample(s, self._frequency))
            changes = changes.join(parts_sampled.diff() * 100.0, how="left")
        changes = changes.iloc[1:]
        rolling = {}
        full = {}
        for column in [c for c in changes.columns if c != "dollar_pct"]:
            pair = changes[["dollar_pct", column]].dropna()
            if len(pair) <= self._window:
                continue
            rolling[column] = rolling_correlation(pair["dollar_pct"], pair[column], self._window)
            full[column] = float(pair["dollar_pct"].corr(pair[column]))
        if not rolling:
            raise DataError(
                f"DollarYieldComovement: fewer {self._frequency} observations than the "
                f"window of {self._window}"
            )
        divergences = self._divergences(levels)
        return DollarYieldResults(
            pd.DataFrame(rolling),
            pd.Series(full, name="correlation"),
            divergences,
            changes,
            self._frequency,
            self._window,
        )

    def _divergences(self, levels: pd.DataFrame) -> pd.DataFrame:
        window = self._divergence_window
        yield_change = levels["yield"].diff(window) * 100.0
        dollar_change = 100.0 * np.log(levels["dollar"]).diff(window)
        flagged = (
            (yield_change >= self._yield_threshold) & (dollar_change <= -self._dollar_threshold)
        ).to_numpy()
        edges = np.diff(np.concatenate([[0], flagged.astype(np.int8), [0]]))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1) - 1
        # A run's change window opens `window` days before its first flagged day; runs whose
        # windows overlap the previous run are one episode.
        first = np.maximum(starts - window, 0)
        new_episode = np.concatenate([[True], first[1:] > ends[:-1]]) if len(starts) else starts
        episode_id = np.cumsum(new_episode) - 1
        first = np.asarray(pd.Series(first).groupby(episode_id).min(), dtype=np.int64)
        ends = np.asarray(pd.Series(ends).groupby(episode_id).max(), dtype=np.int64)
        flagged_days = (
            pd.Series(np.flatnonzero(edges == -1) - starts).groupby(episode_id).sum().to_numpy()
        )
        dates = pd.DatetimeIndex(levels.index)
        yields = levels["yield"].to_numpy()
        dollar = levels["dollar"].to_numpy()
        rows = pd.DataFrame(
            {
                "start": dates.take(first),
                "end": dates.take(ends),
                "flagged_days": flagged_days.astype(int),
                "yield_change_bp": (yields[ends] - yields[first]) * 100.0,
                "dollar_change_pct": 100.0 * np.log(dollar[ends] / dollar[first]),
            }
        )
        return rows


# --------------------------------------------------------------------------- relative prices

_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    # (label, fx column, U.S. yield, foreign yield)
    ("EUR: US-DE 2y", "fx.usd_per_eur", "us.cmt.2y", "de.govt.2y"),
    ("EUR: US-DE 10y", "fx.usd_per_eur", "us.cmt.10y", "de.govt.10y"),
    ("JPY: US-JP 2y", "fx.jpy_per_usd", "us.cmt.2y", "jp.jgb.2y"),
    ("JPY: US-JP 10y", "fx.jpy_per_usd", "us.cmt.10y", "jp.jgb.10y"),
)
# +1: the column is already the dollar's price; -1: the column is the foreign currency's price.
_DOLLAR_SIGN = {"fx.usd_per_eur": -1.0, "fx.jpy_per_usd": 1.0}


@dataclass(frozen=True)
class RelativePriceResults(Results):
    """Euro and yen against U.S.-foreign yield differentials (read-only)."""

    table: pd.DataFrame
    rolling_correlation: pd.DataFrame
    rolling_beta: pd.DataFrame
    differentials: pd.DataFrame
    legs: pd.DataFrame

    def summary(self) -> str:
        lines = ["Dollar against yield differentials (dollar up = positive)", ""]
        lines.append(_rounded(self.table).to_string())
        lines += ["", "Which leg moved (bp), by episode:", _rounded(self.legs, 1).to_string()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": json_records(self.table),
            "legs": json_records(self.legs),
        }

    def plot(self) -> Figure:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4.5))
        for column in self.rolling_correlation.columns:
            line = self.rolling_correlation[column].dropna()
            ax.plot(line.index, line.to_numpy(), lw=1.0, label=column)
        ax.axhline(0.0, color="0.4", lw=0.8, ls=":")
        ax.set_ylabel("rolling correlation: dollar vs differential changes")
        ax.legend(fontsize=8)
        return fig


class RelativePrices:
    """The euro and the yen against U.S.-German and U.S.-Japanese yield differentials.

    For each pair: the correlation of levels (dollar log level vs differential), of changes
    (dollar % change vs differential change in bp), the HAC beta of dollar changes on
    differential changes (percent per 100 bp), and their rolling versions; and for each
    episode the change in the U.S. and the foreign yield, to say which leg moved.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        frequency: Frequency = "weekly",
        window: int = 52,
        episodes: Sequence[Episode] = EPISODES,
    ) -> None:
        self._data = data
        self._frequency: Frequency = frequency
        self._window = window
        self._episodes = tuple(episodes)

    def fit(self) -> RelativePriceResults:
        rows = []
        rolling_corr = {}
        rolling_beta = {}
        differentials = {}
        legs = []
        available = [p for p in _PAIRS if all(c in self._data.columns for c in p[1:])]
        if not available:
            raise DataError(
                "RelativePrices: no currency pair has its FX rate and both yields; need e.g. "
                + ", ".join(p[1:][0] + "+" + p[2] + "+" + p[3] for p in _PAIRS)
            )
        for label, fx, home, foreign in available:
            levels = align(self._data[fx], self._data[home], self._data[foreign])
            sampled = levels.apply(lambda s: _sample(s, self._frequency))
            dollar_log = _DOLLAR_SIGN[fx] * 100.0 * np.log(sampled[fx])
            differential = sampled[home] - sampled[foreign]
            differentials[label] = differential
            dollar_change = dollar_log.diff().iloc[1:].rename("dollar")
            differential_change = (differential.diff().iloc[1:] * 100.0).rename("differential")
            fit = hac_ols(dollar_change, differential_change)
            rows.append(
                {
                    "pair": label,
                    "start": sampled.index[0],
                    "end": sampled.index[-1],
                    "observations": len(dollar_change),
                    "level_correlation": float(dollar_log.corr(differential)),
                    "change_correlation": float(dollar_change.corr(differential_change)),
                    "beta_pct_per_100bp": float(fit.params["differential"]) * 100.0,
                    "beta_t": float(fit.tvalues["differential"]),
                }
            )
            rolling_corr[label] = rolling_correlation(
                dollar_change, differential_change, self._window
            )
            rolling_beta[label] = _rolling_beta(dollar_change, differential_change, self._window)
            legs.extend(self._legs(label, levels[home], levels[foreign]))
        return RelativePriceResults(
            pd.DataFrame(rows).set_index("pair"),
            pd.DataFrame(rolling_corr),
            pd.DataFrame(rolling_beta) * 100.0,
            pd.DataFrame(differentials),
            pd.DataFrame(legs).set_index(["episode", "pair"])
            if legs
            else pd.DataFrame(columns=["us_bp", "foreign_bp", "differential_bp", "leg"]),
        )

    def _legs(self, label: str, home: pd.Series, foreign: pd.Series) -> list[dict[str, Any]]:
        out = []
        for episode in self._episodes:
            window = home.loc[: episode.end]
            inside = window.loc[episode.start :]
            if inside.empty or window.loc[: episode.start].empty:
                continue
            start = window.loc[: episode.start].index[-1]
            end = inside.index[-1]
            us_change = (home[end] - home[start]) * 100.0
            foreign_change = (foreign[end] - foreign[start]) * 100.0
            out.append(
                {
                    "episode": episode.name,
                    "pair": label,
                    "us_bp": us_change,
                    "foreign_bp": foreign_change,
                    "differential_bp": us_change - foreign_change,
                    "leg": "U.S." if abs(us_change) >= abs(foreign_change) else "foreign",
                }
            )
        return out


def _rolling_beta(y: pd.Series, x: pd.Series, window: int) -> pd.Series:
    """OLS slope of y on x over rolling windows: cov/var from rolling moments (no loop)."""
    covariance = y.rolling(window).cov(x)
    variance = x.rolling(window).var()
    return (covariance / variance.where(variance > 0)).iloc[window - 1 :]


# --------------------------------------------------------------------------- dollar smile


@dataclass(frozen=True)
class _GrowthRule:
    series: str
    description: str


GROWTH_RULES: Mapping[str, _GrowthRule] = {
    "gdp_trend": _GrowthRule(
        "us.gdp.real",
        "real GDP growth over four quarters above (expansion) or below (slowdown) its trailing "
        "10-year average; quarters map to their three months",
    ),
    "indpro_trend": _GrowthRule(
        "us.indpro",
        "industrial production growth over 12 months above (expansion) or below (slowdown) its "
        "trailing 10-year average",
    ),
    "unemployment_change": _GrowthRule(
        "us.unrate",
        "unemployment rate falling or flat over 12 months (expansion) or rising (slowdown)",
    ),
}


def classify_growth_states(
    macro: pd.DataFrame, *, rule: GrowthRule = "gdp_trend", trend_years: int = 10
) -> pd.Series:
    """Monthly U.S. growth state: ``recession``, ``slowdown`` or ``expansion``.

    NBER recession months (``us.recession`` = 1) are ``recession`` whatever the rule says;
    the other months are split by ``rule`` (see :data:`GROWTH_RULES`). Months before the rule
    has a trailing trend are left out.
    """
    if rule not in GROWTH_RULES:
        raise DataError(f"unknown growth rule {rule!r}; known: {', '.join(GROWTH_RULES)}")
    spec = GROWTH_RULES[rule]
    _require_columns(macro, ["us.recession", spec.series], "classify_growth_states")
    recession = _monthly(macro["us.recession"])
    indicator = macro[spec.series].dropna()
    if rule == "gdp_trend":
        growth = 100.0 * np.log(indicator).diff(4)
        trend = growth.rolling(4 * trend_years, min_periods=4 * trend_years).mean()
        strong = (growth > trend).where(trend.notna())
        strong_monthly = _quarterly_to_monthly(strong.dropna())
    elif rule == "indpro_trend":
        monthly = _monthly(indicator)
        growth = 100.0 * np.log(monthly).diff(12)
        trend = growth.rolling(12 * trend_years, min_periods=12 * trend_years).mean()
        strong_monthly = (growth > trend).where(trend.notna()).dropna()
    else:
        monthly = _monthly(indicator)
        strong_monthly = (monthly.diff(12) <= 0).where(monthly.diff(12).notna()).dropna()
    strong_monthly.index.name = "date"
    common = recession.index.intersection(strong_monthly.index)
    if common.empty:
        raise DataError(f"classify_growth_states: {spec.series} and us.recession share no month")
    state = np.where(
        recession.loc[common].to_numpy() >= 0.5,
        "recession",
        np.where(strong_monthly.loc[common].astype(bool).to_numpy(), "expansion", "slowdown"),
    )
    return pd.Series(state, index=common, name="growth_state")


def _state_table(
    dollar_change: pd.Series, yield_change: pd.Series, states: pd.Series, order: Sequence[str]
) -> pd.DataFrame:
    frame = pd.concat(
        [dollar_change.rename("dollar"), yield_change.rename("yield"), states.rename("state")],
        axis=1,
        join="inner",
    ).dropna()
    rows = []
    for state in order:
        block = frame[frame["state"] == state]
        n = len(block)
        mean = float(block["dollar"].mean()) if n else np.nan
        standard_error = float(block["dollar"].std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
        rows.append(
            {
                "state": state,
                "months": n,
                "dollar_mean_pct": mean,
                "dollar_annualised_pct": mean * 12.0,
                "t_stat": mean / standard_error if standard_error and n > 1 else np.nan,
                "share_dollar_up": float((block["dollar"] > 0).mean()) if n else np.nan,
                "corr_dollar_yield": float(block["dollar"].corr(block["yield"]))
                if n > 2
                else np.nan,
            }
        )
    table = pd.DataFrame(rows).set_index("state")
    return table.astype({"months": "int64"})


def _state_bars(table: pd.DataFrame, title: str) -> Figure:
    """Bar chart of the annualised dollar return by state (smile and frown)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    values = table["dollar_annualised_pct"]
    ax.bar([str(label) for label in values.index], values.to_numpy(), color="tab:blue")
    ax.axhline(0.0, color="0.3", lw=0.8)
    ax.set_ylabel("dollar return, % a year")
    ax.set_title(title)
    return fig


@dataclass(frozen=True)
class DollarSmileResults(Results):
    """Dollar returns and dollar-yield correlation by U.S. growth state."""

    table: pd.DataFrame
    states: pd.Series
    rule: str
    #: Whether the point means are ordered as a smile (recession and expansion above
    #: slowdown): descriptive, not a test; the verdict is :class:`ShapeTest`'s interval.
    means_ordered: bool

    def summary(self) -> str:
        verdict = "yes" if self.means_ordered else "no"
        return "\n".join(
            [
                f"Dollar smile by U.S. growth state (rule: {self.rule}; "
                f"{GROWTH_RULES[self.rule].description})",
                _rounded(self.table).to_string(),
                "Point means ordered as a smile (recession and expansion above slowdown; "
                f"descriptive, no test: the verdict is the shape test's): {verdict}",
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "means_ordered": self.means_ordered,
            "table": json_records(self.table),
        }

    def plot(self) -> Figure:
        return _state_bars(self.table, "Dollar smile")


class DollarSmile:
    """Monthly dollar returns by U.S. growth state.

    Parameters
    ----------
    dollar
        Dollar index levels (daily or monthly).
    ten_year_yield
        10-year yield, percent.
    macro
        Columns ``us.recession`` and the rule's series (see :data:`GROWTH_RULES`).
    rule
        How non-recession months are split into slowdown and expansion.
    """

    def __init__(
        self,
        dollar: pd.Series,
        ten_year_yield: pd.Series,
        macro: pd.DataFrame,
        *,
        rule: GrowthRule = "gdp_trend",
        trend_years: int = 10,
    ) -> None:
        self._dollar = dollar
        self._yield = ten_year_yield
        self._macro = macro
        self._rule: GrowthRule = rule
        self._trend_years = trend_years

    def fit(self) -> DollarSmileResults:
        states = classify_growth_states(self._macro, rule=self._rule, trend_years=self._trend_years)
        dollar_m = _sample(self._dollar.rename("dollar"), "monthly")
        yield_m = _sample(self._yield.rename("yield"), "monthly")
        table = _state_table(
            _log_change_pct(dollar_m), yield_m.diff() * 100.0, states, GROWTH_STATES
        )
        means = table["dollar_mean_pct"]
        holds = bool(
            means["recession"] > means["slowdown"] and means["expansion"] > means["slowdown"]
        )
        return DollarSmileResults(table, states, self._rule, holds)


# --------------------------------------------------------------------------- fiscal frown


def classify_fiscal_stance(
    fiscal: pd.DataFrame,
    *,
    measure: FiscalMeasure = "impulse",
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Quarterly fiscal stance: ``tight``, ``neutral`` or ``loose``.

    With ``B_t = (receipts - expenditure) / GDP`` in percent of GDP (negative: deficit):

    - ``impulse``: the fiscal impulse ``-(B_t - B_{t-4})``, the loosening over four quarters;
      loose above ``threshold`` percentage points, tight below ``-threshold``;
    - ``balance_gap``: the balance against its trailing 10-year mean, ``-(B_t - mean)``.

    Returns a quarterly frame (dated at quarter start) with ``balance_pct_gdp``,
    ``debt_pct_gdp`` (total public debt, USD mn / 1000 / GDP in USD bn), ``impulse`` and
    ``stance``.
    """
    _require_columns(
        fiscal,
        ["us.fiscal.receipts", "us.fiscal.expenditure", "us.fiscal.gdp"],
        "classify_fiscal_stance",
    )
    frame = fiscal.dropna(subset=["us.fiscal.receipts", "us.fiscal.expenditure", "us.fiscal.gdp"])
    gdp = frame["us.fiscal.gdp"]
    if (gdp <= 0).any():
        raise DataError(f"us.fiscal.gdp is not positive on {gdp[gdp <= 0].index[0]:%Y-%m-%d}")
    balance = 100.0 * (frame["us.fiscal.receipts"] - frame["us.fiscal.expenditure"]) / gdp
    if measure == "impulse":
        loosening = -(balance - balance.shift(4))
    else:
        loosening = -(balance - balance.rolling(40, min_periods=40).mean())
    stance = np.where(
        loosening > threshold, "loose", np.where(loosening < -threshold, "tight", "neutral")
    )
    out = pd.DataFrame(
        {
            "balance_pct_gdp": balance,
            "impulse": loosening,
            "stance": pd.Series(stance, index=frame.index).where(loosening.notna()),
        }
    )
    if "us.fiscal.debt" in frame.columns:
        out["debt_pct_gdp"] = frame["us.fiscal.debt"] / 1000.0 / gdp * 100.0
    return out.dropna(subset=["stance"])


@dataclass(frozen=True)
class FiscalFrownResults(Results):
    """Dollar by fiscal stance, and the "high yields, weak dollar" months."""

    table: pd.DataFrame
    stance: pd.DataFrame
    high_yield_weak_dollar: pd.DataFrame
    term_premium_rising_share: float
    #: Whether the point means are ordered as a frown (neutral above tight and loose):
    #: descriptive, not a test; the verdict is :class:`ShapeTest`'s interval.
    means_ordered: bool

    def summary(self) -> str:
        verdict = "yes" if self.means_ordered else "no"
        share = (
            "n/a"
            if not np.isfinite(self.term_premium_rising_share)
            else f"{self.term_premium_rising_share:.0%}"
        )
        return "\n".join(
            [
                "Fiscal frown: dollar by fiscal stance",
                _rounded(self.table).to_string(),
                "Point means ordered as a frown (neutral above tight and loose; descriptive, "
                f"no test: the verdict is the shape test's): {verdict}",
                f"'High yields, weak dollar' months: {len(self.high_yield_weak_dollar)}; "
                f"term premium rising in {share} of them",
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        share = self.term_premium_rising_share
        return {
            "means_ordered": self.means_ordered,
            "table": json_records(self.table),
            "high_yield_weak_dollar_months": len(self.high_yield_weak_dollar),
            "term_premium_rising_share": None if not np.isfinite(share) else share,
            "recent_high_yield_weak_dollar": json_records(self.high_yield_weak_dollar.tail(24)),
        }

    def plot(self) -> Figure:
        return _state_bars(self.table, "Fiscal frown")


class FiscalFrown:
    """Monthly dollar returns by fiscal stance; months of rising yields and a falling dollar.

    A "high yields, weak dollar" month: the 10-year yield rose, stood above its trailing
    ``yield_lookback``-month mean, and the dollar fell. With a term premium given, the share
    of those months in which the term premium rose says whether supply/risk premia drove them.
    """

    def __init__(
        self,
        dollar: pd.Series,
        ten_year_yield: pd.Series,
        fiscal: pd.DataFrame,
        *,
        term_premium: pd.Series | None = None,
        measure: FiscalMeasure = "impulse",
        threshold: float = 1.0,
        yield_lookback: int = 36,
    ) -> None:
        self._dollar = dollar
        self._yield = ten_year_yield
        self._fiscal = fiscal
        self._term_premium = term_premium
        self._measure: FiscalMeasure = measure
        self._threshold = threshold
        self._lookback = yield_lookback

    def fit(self) -> FiscalFrownResults:
        stance_q = classify_fiscal_stance(
            self._fiscal, measure=self._measure, threshold=self._threshold
        )
        monthly_stance = _quarterly_to_monthly(stance_q["stance"])
        dollar_m = _sample(self._dollar.rename("dollar"), "monthly")
        yield_m = _sample(self._yield.rename("yield"), "monthly")
        dollar_change = _log_change_pct(dollar_m)
        yield_change = yield_m.diff() * 100.0
        table = _state_table(dollar_change, yield_change, monthly_stance, FISCAL_STANCES)
        means = table["dollar_mean_pct"]
        holds = bool(means["neutral"] > means["tight"] and means["neutral"] > means["loose"])
        high_yield = yield_m > yield_m.rolling(self._lookback).mean()
        months = pd.DataFrame(
            {
                "yield": yield_m,
                "yield_change_bp": yield_change,
                "dollar_change_pct": dollar_change,
                "stance": monthly_stance.reindex(yield_m.index),
            }
        )
        if self._term_premium is not None:
            tp = _sample(self._term_premium.rename("tp"), "monthly")
            months["term_premium_change_bp"] = tp.diff().reindex(months.index) * 100.0
        selected = months[
            (months["yield_change_bp"] > 0) & high_yield & (months["dollar_change_pct"] < 0)
        ]
        if (
            "term_premium_change_bp" in selected
            and selected["term_premium_change_bp"].notna().any()
        ):
            known = selected["term_premium_change_bp"].dropna()
            share = float((known > 0).mean())
        else:
            share = float("nan")
        return FiscalFrownResults(table, stance_q, selected, share, holds)


# --------------------------------------------------------------------------- everything


@dataclass(frozen=True)
class DollarAnalysisResults(Results):
    """Every dollar table: co-movement, relative prices and the smile and frown shape tests on
    states known at the time (``shapes``).

    ``smile`` and ``frown`` are the descriptive, ex-post state tables (NBER recession dates and
    final GDP; the headline fiscal balance): ``None`` unless asked for
    (``DollarAnalysis(..., ex_post_tables=True)``), and labelled so when present -- they use
    data not known at the time and carry no test.
    """

    comovement: DollarYieldResults
    relative_prices: RelativePriceResults
    smile: DollarSmileResults | None
    frown: FiscalFrownResults | None
    index_choice: DollarIndexChoice
    shapes: DollarShapeResults | None = None

    def _ex_post(self) -> dict[str, DollarSmileResults | FiscalFrownResults]:
        parts = {"smile": self.smile, "frown": self.frown}
        return {name: part for name, part in parts.items() if part is not None}

    def summary(self) -> str:
        ex_post = [f"{EX_POST_LABEL}:\n{part.summary()}" for part in self._ex_post().values()]
        return "\n\n".join(
            [
                f"Dollar index: {self.index_choice}",
                self.comovement.summary(),
                self.relative_prices.summary(),
                *([] if self.shapes is None else [self.shapes.summary()]),
                *ex_post,
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        ex_post = {
            name: {"label": EX_POST_LABEL, **part.to_dict()}
            for name, part in self._ex_post().items()
        }
        return {
            "dollar_index": self.index_choice,
            "comovement": self.comovement.to_dict(),
            "relative_prices": self.relative_prices.to_dict(),
            **({} if self.shapes is None else {"shape_tests": self.shapes.to_dict()}),
            **({"ex_post_tables": ex_post} if ex_post else {}),
        }

    def plot(self) -> Figure:
        return self.comovement.plot()


#: Label of the state tables built from data known only after the fact.
EX_POST_LABEL = (
    "descriptive, ex post: NBER recession dates and final GDP (smile), the headline fiscal "
    "balance (frown) were not known at the time; point means, no test (the verdicts are the "
    "shape tests on real-time states)"
)


# --------------------------------------------------------------------------- shape tests

#: Stress indicators for the risk-off state, in order of preference: column, fixed threshold
#: (``None``: above its own expanding 80th percentile) and label (docs/methodology.md §6).
RISK_OFF_INDICATORS: tuple[tuple[str, float | None, str], ...] = (
    ("us.vix", None, "VIX above its expanding 80th percentile"),
    ("us.nfci", 0.0, "NFCI above 0"),
    ("us.hy_oas", None, "high-yield OAS above its expanding 80th percentile"),
)
#: Activity series for the real-time growth state, in order of preference.
GROWTH_SIGNALS: tuple[tuple[str, str], ...] = (
    ("us.payrolls", "nonfarm payrolls"),
    ("us.indpro", "industrial production"),
)


def _present(data: pd.DataFrame, column: str) -> pd.Series | None:
    if column not in data.columns or data[column].notna().sum() == 0:
        return None
    return data[column].dropna()


def monthly_dollar_returns(dollar: pd.Series) -> pd.Series:
    """Month-end log returns of the dollar index x 100 (percent a month), by month period."""
    clean = dollar.dropna()
    ends = clean.groupby(pd.DatetimeIndex(clean.index).to_period("M")).last()
    logs = pd.Series(np.log(ends.to_numpy(dtype=float)), index=ends.index)
    return (100.0 * logs.diff()).dropna().rename("dollar_return")


@dataclass(frozen=True)
class DollarShapeResults(Results):
    """Smile and frown tested (:class:`~ustpull.crossasset.smile.ShapeTest`).

    ``growth``: dollar return across real-time growth terciles (low/mid/high); ``risk_off``:
    risk-off months as the left side, calm months of low or mid growth as the middle, calm
    high-growth months as the right side; ``fiscal``: across the discretionary fiscal stance
    (tight/neutral/loose as low/mid/high, :class:`~ustpull.crossasset.fiscal.FiscalStance`).
    Each is ``None`` when its data are missing; ``growth_source``/``risk_source`` say which
    series made the states.
    """

    growth: ShapeTestResults | None
    risk_off: ShapeTestResults | None
    fiscal: ShapeTestResults | None
    stance: FiscalStanceResults | None
    growth_source: str
    risk_source: str
    window: str

    def _parts(self) -> dict[str, ShapeTestResults]:
        parts = {"growth": self.growth, "risk_off": self.risk_off, "fiscal": self.fiscal}
        return {name: part for name, part in parts.items() if part is not None}

    def summary(self) -> str:
        return "\n\n".join(
            f"== {name} ==\n{part.summary()}" for name, part in self._parts().items()
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "growth_source": self.growth_source,
            "risk_source": self.risk_source,
            "window": self.window,
        }
        for name, part in self._parts().items():
            out[name] = {
                "verdict": part.verdict,
                "method": part.method,
                "means": json_records(part.means),
                "contrasts": json_records(part.contrasts),
            }
        return out


def _growth_states(data: pd.DataFrame, min_history: int) -> tuple[pd.Series | None, str]:
    for column, label in GROWTH_SIGNALS:
        levels = _present(data, column)
        if levels is not None:
            signal = growth_signal(levels)
            states = realtime_terciles(signal, min_history=min_history).dropna()
            return states, f"{label} ({column}), 6-month growth published one month later"
    return None, "no activity series"


def _risk_states(data: pd.DataFrame, growth: pd.Series) -> tuple[pd.Series | None, str]:
    for column, threshold, label in RISK_OFF_INDICATORS:
        indicator = _present(data, column)
        if indicator is not None:
            risk = risk_off_state(indicator, threshold=threshold)
            both = pd.concat([risk, growth], axis=1, join="inner")
            states = np.where(
                both.iloc[:, 0].astype(bool),
                "low",
                np.where(both.iloc[:, 1] == "high", "high", "mid"),
            )
            return pd.Series(states, index=both.index, name="risk_state"), label
    return None, "no stress indicator"


def _fiscal_stance(data: pd.DataFrame) -> FiscalStanceResults | None:
    columns = list(FISCAL_COLUMNS.values())
    real = _present(data, "us.gdp.real")
    if real is None or any(_present(data, c) is None for c in columns):
        return None
    fiscal = data[columns].dropna(how="all")
    fiscal = fiscal.groupby(pd.DatetimeIndex(fiscal.index).to_period("Q")).last()
    quarters = pd.DatetimeIndex(real.index).to_period("Q")
    return FiscalStance(fiscal, real.groupby(quarters).last()).fit()


def dollar_shape_tests(
    dollar: pd.Series,
    data: pd.DataFrame,
    *,
    replications: int = 1999,
    seed: int = 0,
    min_history: int = 120,
) -> DollarShapeResults:
    """Smile (growth and risk-off states known at the time) and frown (discretionary fiscal
    stance) of monthly dollar returns, each with the episode-bootstrap shape test.

    ``data`` holds the activity series of :data:`GROWTH_SIGNALS`, a stress indicator of
    :data:`RISK_OFF_INDICATORS` and the fiscal columns
    (:data:`~ustpull.crossasset.fiscal.FISCAL_COLUMNS`, ``us.gdp.real``); whatever is missing
    leaves its test ``None``. Verdict rule: docs/methodology.md, section 6.
    """
    returns = monthly_dollar_returns(dollar)

    def test(states: pd.Series | None) -> ShapeTestResults | None:
        if states is None:
            return None
        try:
            return ShapeTest(returns, states).fit(replications=replications, seed=seed)
        except DataError:
            return None

    growth, growth_source = _growth_states(data, min_history)
    risk, risk_source = (None, "no growth state") if growth is None else _risk_states(data, growth)
    stance = _fiscal_stance(data)
    window = f"{returns.index[0]} .. {returns.index[-1]}"
    return DollarShapeResults(
        test(growth),
        test(risk),
        None if stance is None else test(stance.shape_states()),
        stance,
        growth_source,
        risk_source,
        window,
    )
