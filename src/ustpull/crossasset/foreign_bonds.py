"""How U.S. Treasury yields move foreign government bond yields.

Four analyses of yields in percent (changes in percentage points), each a pure function of
pandas inputs returning a read-only results object with ``summary()``, ``plot()`` and
``to_dict()``:

* :func:`component_linkage` -- are yields linked across borders through their term premia
  rather than through expected policy rates? Correlations of monthly changes and of levels of
  the 10-year term premium versus those of the expected-rate (risk-neutral) part, with a test
  of the difference (Steiger 1980 for dependent correlations, and a moving-block bootstrap);
* :func:`yield_comovement` -- correlations of changes in 10-year yields, U.S. against each
  market, full sample, recent years and rolling (no cross-country average: the headline
  average over DE, JP and the UK is :mod:`ustpull.crossasset.comovement`'s);
* :func:`spillover_betas` -- regression of foreign on U.S. yield changes with Newey-West
  errors, full and rolling (cumulative sums), and the asymmetry between rising and falling
  U.S. yields;
* :func:`episode_analysis` -- yield changes and spreads to the U.S. by market over named
  windows, and the runs of an inverted U.S. curve (:func:`curve_inversions`).

Changes are always taken between consecutive dates on which *both* markets of a pair have a
quote (:func:`ustpull.crossasset.stats.align`); nothing is forward-filled across one market's
holiday. Monthly inputs are OECD monthly averages (``oecd.10y.*``); :func:`monthly_average`
turns a daily series into the same convention (dated the first of the month).

References
----------
Steiger, J. H. (1980), "Tests for comparing elements of a correlation matrix",
Psychological Bulletin 87(2), 245-251.
Künsch, H. R. (1989), "The jackknife and the bootstrap for general stationary observations",
Annals of Statistics 17(3), 1217-1241.
Newey, W. K. and K. D. West (1987), "A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix", Econometrica 55(3), 703-708.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ustpull._results import Results
from ustpull.crossasset.comovement import CoMovementResults
from ustpull.crossasset.connectedness import (
    ConnectednessResults,
    RollingConnectednessResults,
)
from ustpull.crossasset.events import Episode, get_episode
from ustpull.crossasset.intervals import CorrelationInterval
from ustpull.crossasset.stats import (
    align,
    block_bootstrap_correlation_difference,
    changes_across_rows,
    dependent_correlation_test,
    effective_sample_size,
    hac_ols,
    json_records,
    json_scalar,
    rolling_correlation,
)
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

Float = NDArray[np.float64]


@dataclass(frozen=True)
class Market:
    """A government bond market: display name, group and its 10-year series ids."""

    name: str
    group: str  # "base", "developed" or "emerging"
    monthly_id: str | None
    daily_id: str | None


#: Markets by code; the series ids are the canonical vocabulary of :mod:`ustpull.sources`.
MARKETS: dict[str, Market] = {
    "us": Market("United States", "base", "oecd.10y.us", "us.cmt.10y"),
    "de": Market("Germany", "developed", "oecd.10y.de", "de.govt.10y"),
    "jp": Market("Japan", "developed", "oecd.10y.jp", "jp.jgb.10y"),
    "gb": Market("United Kingdom", "developed", "oecd.10y.gb", None),
    "fr": Market("France", "developed", "oecd.10y.fr", "fr.govt.10y"),
    "ca": Market("Canada", "developed", "oecd.10y.ca", None),
    "au": Market("Australia", "developed", "oecd.10y.au", None),
    "ch": Market("Switzerland", "developed", "oecd.10y.ch", "ch.snb.zero.10y"),
    "ea": Market("Euro area", "developed", "oecd.10y.ea", None),
    "in": Market("India", "emerging", "oecd.10y.in", "in.govt.10y"),
    "mx": Market("Mexico", "emerging", "oecd.10y.mx", None),
    "kr": Market("Korea", "emerging", "oecd.10y.kr", None),
    "za": Market("South Africa", "emerging", "oecd.10y.za", None),
    "cl": Market("Chile", "emerging", "oecd.10y.cl", None),
}
#: Series every run needs; each other market joins when its series is in the data (a
#: market without daily data is left out of the daily statistics, e.g. France online,
#: where no official daily OAT yield is public and the monthly OECD series stands in).
REQUIRED_SERIES: tuple[str, ...] = ("oecd.10y.us", "us.cmt.10y")

#: Episodes for :func:`episode_analysis`: two of this analysis plus the 2022 tightening of the
#: shared library (:data:`ustpull.crossasset.events.EPISODES`).
EPISODES: tuple[Episode, ...] = (
    Episode(
        "fed-hikes-2015-2018",
        pd.Timestamp("2015-12-01"),
        pd.Timestamp("2018-12-31"),
        "Nine Fed hikes from 16 December 2015 to 19 December 2018 while ECB and BoJ policy "
        "held Bund and JGB yields near or below zero.",
    ),
    Episode(
        "inversion-2019",
        pd.Timestamp("2019-03-01"),
        pd.Timestamp("2019-10-31"),
        "The 10-year minus 3-month Treasury spread went negative (briefly in March, then "
        "from May to October 2019) as global yields fell; the Fed cut three times.",
    ),
    get_episode("hikes-2022"),
)

COMPONENTS = ("term_premium", "expected_rate", "yield")


def _market_label(code: str) -> str:
    market = MARKETS.get(code)
    return market.name if market else code


def _group(code: str) -> str:
    market = MARKETS.get(code)
    return market.group if market else "developed"


def _span(index: pd.Index) -> str:
    return f"{index[0]:%Y-%m-%d}..{index[-1]:%Y-%m-%d}" if len(index) else "(no data)"


def _check_columns(levels: pd.DataFrame, base: str) -> list[str]:
    """Foreign market columns of ``levels``; raises if ``base`` is missing."""
    if base not in levels.columns:
        raise DataError(f"base market {base!r} is not among the columns {list(levels.columns)}")
    foreign = [str(column) for column in levels.columns if column != base]
    if not foreign:
        raise DataError(f"no foreign market beside {base!r}")
    return foreign


def pair_changes(levels: pd.DataFrame, base: str, market: str) -> pd.DataFrame:
    """Changes of ``base`` and ``market`` between consecutive dates both have a quote.

    Changes that bridge a hole in either market's data are left out
    (:func:`~ustpull.crossasset.stats.changes_across_rows`).

    Raises
    ------
    DataError
        The two markets share fewer than three dates (the message gives both date spans).
    """
    pair = levels[[base, market]].dropna(how="any")
    if len(pair) < 3:
        raise DataError(
            f"{market} ({_span(levels[market].dropna().index)}) and {base} "
            f"({_span(levels[base].dropna().index)}) share {len(pair)} dates; need at least 3"
        )
    return changes_across_rows(pair)


def _pairs_with_base(
    levels: pd.DataFrame, base: str, start: str | pd.Timestamp | None
) -> Iterator[tuple[str, pd.DataFrame]]:
    """``(market, changes of base and market)`` for every foreign column, from ``start``."""
    foreign = _check_columns(levels, base)
    data = levels.loc[pd.Timestamp(start) :] if start is not None else levels
    for market in foreign:
        yield market, pair_changes(data, base, market)


def monthly_average(daily: pd.Series, *, min_days: int = 10) -> pd.Series:
    """Monthly mean of a daily series, dated the first of the month (the OECD convention).

    Months with fewer than ``min_days`` observations are dropped rather than averaged from a
    few days.
    """
    values = daily.dropna()
    months = pd.DatetimeIndex(values.index).to_period("M")
    grouped = values.groupby(months)
    average = grouped.mean()[grouped.count() >= min_days]
    average.index = pd.PeriodIndex(average.index).to_timestamp()
    average.index.name = "date"
    average.name = daily.name
    return average


def rolling_beta(y: pd.Series, x: pd.Series, window: int) -> pd.DataFrame:
    """Rolling OLS of ``y`` on a constant and ``x`` from cumulative sums.

    .. math:: \\hat\\beta_t = \\frac{S_{xy} - S_x S_y / n}{S_{xx} - S_x^2 / n}, \\qquad
              R^2_t = \\frac{(S_{xy} - S_x S_y/n)^2}{(S_{xx} - S_x^2/n)(S_{yy} - S_y^2/n)}

    with the sums over the ``window`` rows ending at ``t`` (both series demeaned over the full
    sample first, which leaves slope and fit unchanged and keeps the sums well conditioned).

    Returns
    -------
    DataFrame
        Columns ``beta`` and ``rsquared``, indexed by window end; windows where ``x`` is
        constant are NaN.
    """
    pair = align(y.rename("y"), x.rename("x"))
    if window < 3 or window > len(pair):
        raise DataError(
            f"rolling window of {window} observations does not fit the {len(pair)} common "
            f"observations of {y.name} and {x.name} ({_span(pair.index)})"
        )
    values = pair.to_numpy() - pair.to_numpy().mean(axis=0)
    products = np.column_stack(
        [
            values[:, 0],
            values[:, 1],
            values[:, 0] * values[:, 1],
            values[:, 1] ** 2,
            values[:, 0] ** 2,
        ]
    )
    cumulative = np.vstack([np.zeros(5), np.cumsum(products, axis=0)])
    sums = cumulative[window:] - cumulative[:-window]
    sum_y, sum_x, sum_xy, sum_xx, sum_yy = sums.T
    cov_xy = sum_xy - sum_x * sum_y / window
    var_x = sum_xx - sum_x**2 / window
    var_y = sum_yy - sum_y**2 / window
    with np.errstate(divide="ignore", invalid="ignore"):
        flat = var_x <= 1e-12 * np.maximum(sum_xx, 1e-300)
        beta = np.where(flat, np.nan, cov_xy / var_x)
        rsquared = np.where(flat, np.nan, cov_xy**2 / (var_x * var_y))
    return pd.DataFrame({"beta": beta, "rsquared": rsquared}, index=pair.index[window - 1 :])


# --------------------------------------------------------------------------------------------
# Shared results plumbing


def _series_dict(frame: pd.DataFrame) -> dict[str, Any]:
    """Time series as ``{"dates": [...], column: [...]}`` (NaN as None)."""
    return {
        "dates": [stamp.date().isoformat() for stamp in pd.DatetimeIndex(frame.index)],
        **{str(column): [json_scalar(v) for v in frame[column]] for column in frame.columns},
    }


def _rolling_figure(frame: pd.DataFrame, title: str, average: pd.Series | None = None) -> Figure:
    """One line per column of ``frame`` (and a bold ``average``) around a zero line."""
    figure, (ax,) = _figure()
    for column in frame.columns:
        ax.plot(frame.index, frame[column], linewidth=0.8, label=str(column))
    if average is not None:
        ax.plot(average.index, average, color="black", linewidth=2, label="average")
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.set_title(title)
    ax.legend(loc="best", ncol=3)
    figure.tight_layout()
    return figure


def _figure(rows: int = 1, height: float = 4.0) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, height * rows))
    return figure, figure.subplots(rows, 1, squeeze=False)[:, 0]


class _MarketTableResults(Results):
    """Shared plumbing of the per-market results: a table by market and rolling series."""

    def __init__(self, table: pd.DataFrame, rolling: pd.DataFrame, base: str, window: int) -> None:
        self._table = table
        self._rolling = rolling
        self._base = base
        self._window = window

    @property
    def window(self) -> int:
        """Rolling window, in observations (months for monthly data)."""
        return self._window

    @property
    def rolling(self) -> pd.DataFrame:
        """Rolling statistics by market, indexed by window end."""
        return self._rolling.copy()


# --------------------------------------------------------------------------------------------
# 1. Linkage by component


class LinkageResults(_MarketTableResults):
    """Cross-border correlation of term premia versus expected rates (read-only).

    ``rolling`` holds rolling correlations of monthly changes, columns ``(market, component)``.
    """

    @property
    def table(self) -> pd.DataFrame:
        """One row per foreign market.

        Columns: ``{term_premium,expected_rate,yield}_change`` (correlations of monthly
        changes with the base market's) with ``..._change_low`` / ``..._change_high`` (95%
        Newey-West HAC delta method on Fisher z, conditional on the decompositions),
        ``difference_change`` (term premium minus expected
        rate), ``steiger_z``/``steiger_pvalue``, ``bootstrap_low``/``bootstrap_high``/
        ``bootstrap_pvalue`` for that difference; the same correlations of levels
        (``*_level``, ``difference_level``, ``level_low``/``level_high``/``level_pvalue``,
        bootstrap only); ``nobs``, ``start``, ``end``; ``term_premium_dominates``: the change
        correlation of term premia exceeds that of expected rates at the 5 % level by the
        Steiger test and the bootstrap 95 % interval of the difference lies above zero.
        """
        return self._table.copy()

    @property
    def claim_supported(self) -> bool:
        """Whether the term-premium correlation is significantly higher in every market."""
        return bool(self._table["term_premium_dominates"].all())

    def summary(self) -> str:
        """Correlation table and the verdict on the term-premium channel."""
        shown = self._table[
            [
                "term_premium_change",
                "expected_rate_change",
                "yield_change",
                "steiger_pvalue",
                "bootstrap_pvalue",
                "term_premium_level",
                "expected_rate_level",
                "level_pvalue",
                "nobs",
            ]
        ]
        dominates = self._table["term_premium_dominates"].astype(bool)
        holds = ", ".join(str(m) for m in dominates.index[dominates]) or "no market"
        fails = ", ".join(str(m) for m in dominates.index[~dominates]) or "none"
        return (
            f"Linkage by component with {self._base}: correlations of monthly changes and levels\n"
            f"{shown.round(3).to_string()}\n"
            "Term premia significantly more correlated across borders than expected rates: "
            f"{holds} (not: {fails})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready table and rolling correlations."""
        rolling = self._rolling.copy()
        rolling.columns = [".".join(map(str, key)) for key in rolling.columns]
        return {
            "base": self._base,
            "window": self._window,
            "claim_supported": self.claim_supported,
            "table": json_records(self._table),
            "rolling": _series_dict(rolling),
        }

    def chart(self, market: str | None = None) -> Chart:
        """The report's chart for ``market`` (default the euro area if linked, else the first
        market): :func:`~ustpull.crossasset.charts.linkage_chart`."""
        from ustpull.crossasset.charts import linkage_chart

        markets = list(dict.fromkeys(self._rolling.columns.get_level_values(0)))
        return linkage_chart(self, market or ("ea" if "ea" in markets else markets[0]))

    def plot(self, market: str | None = None) -> Figure:
        """Rolling change correlations by component with the U.S. for ``market`` (default the
        euro area if linked, else the first market), from
        :func:`~ustpull.crossasset.charts.linkage_chart`."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import linkage_chart

        markets = list(dict.fromkeys(self._rolling.columns.get_level_values(0)))
        chosen = market or ("ea" if "ea" in markets else markets[0])
        return figure(linkage_chart(self, chosen))


def _change_intervals(changes: pd.DataFrame) -> dict[str, float]:
    """95% Newey-West HAC intervals (delta method on Fisher z) of the change correlation of
    each component with the base market's: ``{component}_change_low`` / ``_high``.

    They are conditional on the estimated decompositions: the ACM estimation error of the
    components is not in them (the bias-corrected re-estimation is the check on that).
    """
    bounds: dict[str, float] = {}
    for component in COMPONENTS:
        interval = CorrelationInterval(
            changes[f"base.{component}"], changes[f"foreign.{component}"]
        ).fit(method="hac")
        bounds[f"{component}_change_low"] = interval.ci_low
        bounds[f"{component}_change_high"] = interval.ci_high
    return bounds


def component_linkage(
    decompositions: Mapping[str, pd.DataFrame],
    *,
    base: str = "us",
    window: int = 36,
    block_length: int = 12,
    level_block_length: int = 36,
    replications: int = 2000,
    seed: int = 0,
) -> LinkageResults:
    """Are 10-year yields linked across borders through term premia or expected rates?

    Parameters
    ----------
    decompositions
        Market code -> monthly DataFrame with columns ``yield``, ``expected_rate``
        (the risk-neutral yield) and ``term_premium``, in percent, with
        ``yield = expected_rate + term_premium`` (e.g. from :mod:`ustpull.termpremium`).
    base
        The market every other one is compared with.
    window
        Rolling window in months.
    block_length, level_block_length
        Bootstrap block lengths in months for changes and for (persistent) levels.
    replications, seed
        Bootstrap replicates and seed.

    Notes
    -----
    For each foreign market ``f`` the sample is the months where both decompositions exist.
    The two correlations compared, :math:`\\rho(\\Delta tp^{us}, \\Delta tp^f)` and
    :math:`\\rho(\\Delta er^{us}, \\Delta er^f)`, come from the same months and are dependent:
    :func:`dependent_correlation_test` accounts for that, and the joint block bootstrap also
    for serial dependence. Correlations of levels of persistent series are descriptive; only
    the bootstrap (long blocks) is reported for them.
    """
    _check_decompositions(decompositions, base)
    need = max(window, 2 * level_block_length)
    rows: dict[str, dict[str, Any]] = {}
    rolling: dict[tuple[str, str], pd.Series] = {}
    for market in decompositions:
        if market == base:
            continue
        levels = _shared_months(decompositions, base, market, need=need)
        changes = levels.diff().iloc[1:]
        rows[market] = _linkage_row(
            changes,
            levels,
            block_length=block_length,
            level_block_length=level_block_length,
            replications=replications,
            seed=seed,
        )
        for component in ("term_premium", "expected_rate"):
            rolling[(market, component)] = rolling_correlation(
                changes[f"base.{component}"], changes[f"foreign.{component}"], window
            )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "market"
    rolling_frame = pd.concat(rolling, axis=1, sort=True)
    return LinkageResults(table, rolling_frame, base, window)


def _check_decompositions(decompositions: Mapping[str, pd.DataFrame], base: str) -> None:
    """Refuse a missing base market or a decomposition without the three components."""
    if base not in decompositions:
        raise DataError(f"no decomposition for the base market {base!r}")
    for code, frame in decompositions.items():
        missing = [c for c in COMPONENTS if c not in frame.columns]
        if missing:
            raise DataError(f"decomposition of {code} lacks the columns {missing}")


def _shared_months(
    decompositions: Mapping[str, pd.DataFrame], base: str, market: str, *, need: int
) -> pd.DataFrame:
    """The components of ``base`` (``base.*``) and ``market`` (``foreign.*``) on the months
    both have; more than ``need`` months are required."""
    frame = decompositions[market]
    pieces = [
        decompositions[base][list(COMPONENTS)].add_prefix("base."),
        frame[list(COMPONENTS)].add_prefix("foreign."),
    ]
    try:
        levels = align(*pieces)
    except DataError:
        raise DataError(
            f"term-premium decompositions of {market} ({_span(frame.dropna().index)}) and "
            f"{base} ({_span(decompositions[base].dropna().index)}) share no month"
        ) from None
    if len(levels) < need + 1:
        raise DataError(
            f"{market} and {base} decompositions share {len(levels)} months "
            f"({_span(levels.index)}); need more than {need}"
        )
    return levels


def _linkage_row(
    changes: pd.DataFrame,
    levels: pd.DataFrame,
    *,
    block_length: int,
    level_block_length: int,
    replications: int,
    seed: int,
) -> dict[str, Any]:
    """One market's row of :attr:`LinkageResults.table`: correlations of changes and levels
    by component, their intervals and the tests of term premium against expected rate."""
    row: dict[str, Any] = {
        f"{component}_{kind}": float(frame[f"base.{component}"].corr(frame[f"foreign.{component}"]))
        for kind, frame in (("change", changes), ("level", levels))
        for component in COMPONENTS
    }
    row |= _change_intervals(changes)
    row |= _difference_tests(
        changes,
        levels,
        block_length=block_length,
        level_block_length=level_block_length,
        replications=replications,
        seed=seed,
    )
    row |= {
        "nobs": len(changes),
        "start": changes.index[0],
        "end": changes.index[-1],
        "term_premium_dominates": bool(
            row["steiger_z"] > 0 and row["steiger_pvalue"] < 0.05 and row["bootstrap_low"] > 0
        ),
    }
    return row


def _difference_tests(
    changes: pd.DataFrame,
    levels: pd.DataFrame,
    *,
    block_length: int,
    level_block_length: int,
    replications: int,
    seed: int,
) -> dict[str, Any]:
    """Term-premium minus expected-rate correlation: Steiger's test and the block bootstrap
    on changes, the (long-block) bootstrap alone on levels."""
    order = [
        "base.term_premium",
        "foreign.term_premium",
        "base.expected_rate",
        "foreign.expected_rate",
    ]
    change_values = changes[order].to_numpy()
    level_values = levels[order].to_numpy()
    change_corr = np.corrcoef(change_values, rowvar=False)
    steiger = dependent_correlation_test(change_corr, len(changes))
    boot = block_bootstrap_correlation_difference(
        change_values, block_length=block_length, replications=replications, seed=seed
    )
    boot_level = block_bootstrap_correlation_difference(
        level_values, block_length=level_block_length, replications=replications, seed=seed
    )
    return {
        "difference_change": boot.difference,
        "steiger_z": steiger.z_statistic,
        "steiger_pvalue": steiger.pvalue,
        "bootstrap_low": boot.ci_low,
        "bootstrap_high": boot.ci_high,
        "bootstrap_pvalue": boot.pvalue,
        "difference_level": boot_level.difference,
        "level_low": boot_level.ci_low,
        "level_high": boot_level.ci_high,
        "level_pvalue": boot_level.pvalue,
    }


# --------------------------------------------------------------------------------------------
# 2. Co-movement of yield changes


class ComovementResults(_MarketTableResults):
    """Correlations of yield changes with the base market, one per market (read-only).

    No cross-country average: an average over every market of the table would put the
    euro-area aggregate beside its members (Germany, France) and mix OECD monthly averages
    with month-end yields. The headline average (DE, JP, UK, month-end yields of daily series,
    OECD monthly averages only as a labelled fallback, the euro area listed apart) is
    :class:`~ustpull.crossasset.comovement.CoMovementResults`.
    """

    def __init__(
        self,
        table: pd.DataFrame,
        rolling: pd.DataFrame,
        base: str,
        window: int,
        recent_years: int,
        basis: str = "",
    ) -> None:
        super().__init__(table, rolling, base, window)
        self._recent_years = recent_years
        self._basis = basis

    @property
    def basis(self) -> str:
        """What the yields are (e.g. "OECD monthly averages (fallback basis)"); "" unstated."""
        return self._basis

    @property
    def table(self) -> pd.DataFrame:
        """One row per market: ``name``, ``group``, ``correlation`` (full sample), ``nobs``,
        ``start``, ``end``, ``effective_n`` (Bartlett), ``recent`` (correlation over the last
        ``recent_years``), ``recent_nobs``, ``earlier`` (before that), ``change`` (recent
        minus earlier), each correlation and the change with its 95% interval (``ci_low``/
        ``ci_high``, ``recent_ci_*``, ``earlier_ci_*``, ``change_ci_*``; ``ci_method``)."""
        return self._table.copy()

    @property
    def correlations(self) -> pd.Series:
        """Full-sample correlation per market."""
        return self._table["correlation"].copy()

    def summary(self) -> str:
        """Correlation table, one row per market (no cross-country average: see the class)."""
        columns = ["name", "correlation", "nobs", "start", "end", "recent", "earlier", "change"]
        shown = self._table[[*columns, "change_ci_low", "change_ci_high"]].copy()
        for column in ("start", "end"):
            shown[column] = pd.DatetimeIndex(shown[column]).strftime("%Y-%m-%d")
        return (
            f"Correlation of yield changes with {self._base} (recent: the last "
            f"{self._recent_years} years; no cross-country average)\n"
            f"{shown.round(3).to_string()}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready table and rolling correlations, one per market (no average)."""
        return {
            "base": self._base,
            "window": self._window,
            "recent_years": self._recent_years,
            **({"basis": self._basis} if self._basis else {}),
            "table": json_records(self._table),
            "rolling": _series_dict(self._rolling),
        }

    def plot(self) -> Figure:
        """Rolling correlations by market
        (:func:`~ustpull.crossasset.charts.yield_comovement_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import yield_comovement_chart

        return figure(yield_comovement_chart(self))


def yield_comovement(
    levels: pd.DataFrame,
    *,
    base: str = "us",
    window: int = 36,
    start: str | pd.Timestamp | None = None,
    recent_years: int = 5,
    basis: str = "",
    seed: int = 0,
) -> ComovementResults:
    """Correlations of changes in 10-year yields of each market with the base market's.

    Every correlation and the change recent minus earlier carries a 95% interval
    (:func:`_comovement_intervals`: stationary block bootstrap, as the month-end co-movement
    of :mod:`ustpull.crossasset.comovement`).

    Parameters
    ----------
    levels
        Yields in percent, one column per market code (see :data:`MARKETS`), monthly or daily.
    base
        Column every other market is correlated with.
    window
        Rolling window in observations (36 months; 252 days for daily data).
    start
        First date of levels used (the first change is the one ending on the next date).
    recent_years
        Length of the recent subsample, counted back from each pair's last date.
    basis
        What the yields are, carried into :meth:`ComovementResults.to_dict` as a label.
    seed
        Seed of the intervals' bootstrap.

    Raises
    ------
    DataError
        A market shares fewer than ``window + 1`` dates with the base (names both spans).
    """
    rows: dict[str, dict[str, Any]] = {}
    rolling: dict[str, pd.Series] = {}
    for market, changes in _pairs_with_base(levels, base, start):
        if len(changes) <= window:
            raise DataError(
                f"{market} has {len(changes)} changes in common with {base} "
                f"({_span(changes.index)}), not more than the window of {window}"
            )
        base_changes, market_changes = changes[base], changes[market]
        cutoff = changes.index[-1] - pd.DateOffset(years=recent_years)
        recent = changes.index > cutoff
        recent_corr = float(base_changes[recent].corr(market_changes[recent]))
        earlier_corr = float(base_changes[~recent].corr(market_changes[~recent]))
        n_recent = int(recent.sum())
        rows[market] = {
            "name": _market_label(market),
            "group": _group(market),
            "correlation": float(base_changes.corr(market_changes)),
            "nobs": len(changes),
            "start": changes.index[0],
            "end": changes.index[-1],
            "effective_n": effective_sample_size(base_changes, market_changes),
            "recent": recent_corr,
            "recent_nobs": n_recent,
            "earlier": earlier_corr,
            "change": recent_corr - earlier_corr,
            **_comovement_intervals(base_changes, market_changes, recent, seed),
        }
        rolling[market] = rolling_correlation(market_changes, base_changes, window)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "market"
    rolling_frame = pd.concat(rolling, axis=1, sort=True)
    rolling_frame.index.name = "date"
    return ComovementResults(table, rolling_frame, base, window, recent_years, basis)


_INTERVAL_FIELDS = (
    "ci_low", "ci_high", "recent_ci_low", "recent_ci_high", "earlier_ci_low", "earlier_ci_high",
    "change_ci_low", "change_ci_high",
)  # fmt: skip


def _comovement_intervals(
    base: pd.Series, market: pd.Series, recent: NDArray[np.bool_], seed: int
) -> dict[str, Any]:
    """95% intervals of a market's full-sample, recent and earlier correlations with the base
    and of the change (recent minus earlier): stationary block bootstrap with the
    Politis-White block length, at least 10 blocks a sample, 999 replicates, percentile
    interval (:class:`~ustpull.crossasset.intervals.CorrelationInterval` and
    :class:`~ustpull.crossasset.intervals.CorrelationDifferenceInterval`, the methods of the
    month-end co-movement). A sample too short for the bootstrap (fewer than 20 changes)
    leaves its interval NaN; ``ci_method`` is :data:`COMOVEMENT_CI_METHOD`."""
    from ustpull.crossasset.intervals import CorrelationDifferenceInterval

    out: dict[str, Any] = dict.fromkeys(_INTERVAL_FIELDS, math.nan)
    fits = {
        "": lambda: CorrelationInterval(base, market),
        "recent_": lambda: CorrelationInterval(base[recent], market[recent]),
        "earlier_": lambda: CorrelationInterval(base[~recent], market[~recent]),
        "change_": lambda: CorrelationDifferenceInterval(
            base[~recent], market[~recent], base[recent], market[recent]
        ),
    }
    for prefix, model in fits.items():
        try:
            fit = model().fit(method="stationary", replications=999, seed=seed)
        except DataError:  # too few changes in the sample for the bootstrap
            continue
        out[f"{prefix}ci_low"], out[f"{prefix}ci_high"] = fit.ci_low, fit.ci_high
    out["ci_method"] = COMOVEMENT_CI_METHOD
    return out


COMOVEMENT_CI_METHOD = (
    "stationary block bootstrap (Politis-White block length of each sample, at least 10 "
    "blocks; the change resamples the two samples apart), 999 replicates, percentile 95% "
    "interval"
)
"""How :func:`yield_comovement`'s intervals are made (the month-end co-movement's method)."""


# --------------------------------------------------------------------------------------------
# 3. Spillover betas


class SpilloverBetaResults(_MarketTableResults):
    """Regressions of foreign on base-market yield changes (read-only)."""

    @property
    def table(self) -> pd.DataFrame:
        """One row per market.

        ``beta``, ``beta_se``, ``beta_t`` (Newey-West), ``rsquared``, ``nobs``, ``start``,
        ``end``; ``beta_up``/``beta_down`` (and ``_se``) from the split regression on
        ``max(dx, 0)`` and ``min(dx, 0)``; ``asymmetry = beta_up - beta_down`` with its HAC
        ``asymmetry_t``/``asymmetry_pvalue``; ``group`` and ``short_sample`` (fewer than half
        the observations of the longest market in the table) with ``sample_note``.
        """
        return self._table.copy()

    @property
    def betas(self) -> pd.Series:
        """Full-sample spillover beta per market."""
        return self._table["beta"].copy()

    def summary(self) -> str:
        """Beta table with the asymmetry and sample labels."""
        shown = self._table[
            [
                "beta",
                "beta_se",
                "rsquared",
                "beta_up",
                "beta_down",
                "asymmetry_pvalue",
                "nobs",
                "sample_note",
            ]
        ]
        return (
            f"Spillover betas: foreign yield change on {self._base} yield change "
            f"(Newey-West errors)\n{shown.round(3).to_string()}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready table and rolling betas."""
        return {
            "base": self._base,
            "window": self._window,
            "table": json_records(self._table),
            "rolling": _series_dict(self._rolling),
        }

    def plot(self) -> Figure:
        """Rolling betas by market."""
        return _rolling_figure(
            self._rolling, f"Rolling spillover beta on {self._base} ({self._window} obs)"
        )


def spillover_betas(
    levels: pd.DataFrame,
    *,
    base: str = "us",
    window: int = 36,
    start: str | pd.Timestamp | None = None,
    hac_lags: int | None = None,
) -> SpilloverBetaResults:
    """Spillover of base-market yield changes to each foreign market.

    For each market ``f`` with changes :math:`\\Delta y^f_t` and base changes
    :math:`\\Delta x_t` on common dates:

    .. math::

        \\Delta y^f_t = a + \\beta \\Delta x_t + u_t, \\qquad
        \\Delta y^f_t = a + \\beta^{+} \\max(\\Delta x_t, 0) + \\beta^{-} \\min(\\Delta x_t, 0)
        + u_t,

    with Newey-West standard errors (:func:`ustpull.crossasset.stats.hac_ols`). The asymmetry
    :math:`\\beta^+ - \\beta^-` is tested as the coefficient ``d`` of the equivalent
    :math:`\\Delta y^f_t = a + \\beta^- \\Delta x_t + d \\max(\\Delta x_t, 0) + u_t`. The rolling
    beta uses :func:`rolling_beta`.

    Parameters
    ----------
    levels
        Yields in percent, columns = market codes (include an emerging market such as ``in``
        built with :func:`monthly_average`; it is labelled with its sample).
    base, window, start
        As in :func:`yield_comovement`.
    hac_lags
        Newey-West lags (default: the Newey-West rule for each sample size).
    """
    rows: dict[str, dict[str, Any]] = {}
    rolling: dict[str, pd.Series] = {}
    for market, changes in _pairs_with_base(levels, base, start):
        rows[market] = _spillover_row(changes, base, market, hac_lags=hac_lags)
        if len(changes) > window:
            rolling[market] = rolling_beta(changes[market], changes[base], window)["beta"]
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "market"
    _label_samples(table)
    rolling_frame = pd.concat(rolling, axis=1, sort=True) if rolling else pd.DataFrame()
    rolling_frame.index.name = "date"
    return SpilloverBetaResults(table, rolling_frame, base, window)


def _spillover_row(
    changes: pd.DataFrame, base: str, market: str, *, hac_lags: int | None
) -> dict[str, Any]:
    """One market's row of :attr:`SpilloverBetaResults.table`: the linear, the split
    (up/down) and the asymmetry regressions of ``market`` on ``base`` changes."""
    dx, dy = changes[base], changes[market]
    linear = hac_ols(dy, dx.rename("dx"), lags=hac_lags)
    split = pd.DataFrame({"up": dx.clip(lower=0.0), "down": dx.clip(upper=0.0)})
    asymmetric = hac_ols(dy, split, lags=hac_lags)
    difference = hac_ols(dy, pd.DataFrame({"dx": dx, "up": dx.clip(lower=0.0)}), lags=hac_lags)
    return {
        "name": _market_label(market),
        "group": _group(market),
        "beta": float(linear.params["dx"]),
        "beta_se": float(linear.bse["dx"]),
        "beta_t": float(linear.tvalues["dx"]),
        "rsquared": linear.rsquared,
        "beta_up": float(asymmetric.params["up"]),
        "beta_up_se": float(asymmetric.bse["up"]),
        "beta_down": float(asymmetric.params["down"]),
        "beta_down_se": float(asymmetric.bse["down"]),
        "asymmetry": float(difference.params["up"]),
        "asymmetry_t": float(difference.tvalues["up"]),
        "asymmetry_pvalue": float(difference.pvalues["up"]),
        "nobs": linear.nobs,
        "start": changes.index[0],
        "end": changes.index[-1],
    }


def _label_samples(table: pd.DataFrame) -> None:
    """Add ``short_sample`` (fewer than half the observations of the longest market) and
    ``sample_note`` to ``table`` in place."""
    longest = int(table["nobs"].max())
    table["short_sample"] = table["nobs"] < longest / 2
    table["sample_note"] = [
        f"{'SHORT SAMPLE ' if short else ''}{group}: {start:%Y-%m}..{end:%Y-%m}, {nobs} obs"
        for short, group, start, end, nobs in zip(
            table["short_sample"],
            table["group"],
            table["start"],
            table["end"],
            table["nobs"],
            strict=True,
        )
    ]


# --------------------------------------------------------------------------------------------
# 5. Episodes


def curve_inversions(long: pd.Series, short: pd.Series) -> pd.DataFrame:
    """Runs of consecutive common dates on which ``long - short`` is negative.

    Parameters
    ----------
    long, short
        Yields in percent (e.g. ``us.cmt.10y`` and ``us.cmt.3m``), aligned on common dates.

    Returns
    -------
    DataFrame
        One row per run: ``start``, ``end`` (first and last negative date), ``days`` (quoted
        dates in the run), ``min_spread`` (percentage points) and ``min_date``.
    """
    pair = align(long.rename("long"), short.rename("short"))
    spread = (pair["long"] - pair["short"]).to_numpy()
    negative = spread < 0.0
    edges = np.diff(np.concatenate([[0], negative.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    if starts.size == 0:
        return pd.DataFrame(columns=["start", "end", "days", "min_spread", "min_date"])
    labels = np.cumsum(edges[:-1] == 1)[negative]  # run number of each negative date
    negative_spread = pd.Series(spread[negative], index=pair.index[negative])
    by_run = negative_spread.groupby(labels)
    return pd.DataFrame(
        {
            "start": pair.index[starts],
            "end": pair.index[ends],
            "days": ends - starts + 1,
            "min_spread": by_run.min().to_numpy(),
            "min_date": pd.DatetimeIndex(by_run.idxmin().to_numpy()),
        }
    )


class EpisodeResults(Results):
    """Yield changes and spreads by market over episodes (read-only)."""

    def __init__(
        self,
        changes: pd.DataFrame,
        skipped: dict[str, str],
        inversions: pd.DataFrame | None,
        base: str,
    ) -> None:
        self._changes = changes
        self._skipped = skipped
        self._inversions = inversions
        self._base = base

    @property
    def changes(self) -> pd.DataFrame:
        """Rows ``(episode, market)``: ``start``/``end`` (first and last common date with the
        base), ``yield_start``, ``yield_end``, ``change_bp``, ``base_change_bp``,
        ``spread_start_bp``/``spread_end_bp`` (market minus base) and ``spread_change_bp``."""
        return self._changes.copy()

    @property
    def skipped(self) -> dict[str, str]:
        """``"episode/market"`` -> why it has no row (no common data in the window)."""
        return dict(self._skipped)

    @property
    def inversions(self) -> pd.DataFrame | None:
        """Runs of an inverted base curve (:func:`curve_inversions`), if a spread was given."""
        return None if self._inversions is None else self._inversions.copy()

    def summary(self) -> str:
        """Change table, skipped markets and inversion runs."""
        shown = self._changes[
            [
                "yield_start",
                "yield_end",
                "change_bp",
                "base_change_bp",
                "spread_start_bp",
                "spread_end_bp",
            ]
        ]
        text = f"Episodes: yield changes and spreads to {self._base}\n{shown.round(1).to_string()}"
        if self._skipped:
            text += "\nSkipped: " + "; ".join(f"{k} ({v})" for k, v in self._skipped.items())
        if self._inversions is not None:
            text += f"\nInversions of the base curve:\n{self._inversions.to_string()}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables."""
        return {
            "base": self._base,
            "changes": json_records(self._changes),
            "skipped": self._skipped,
            "inversions": None
            if self._inversions is None
            else json_records(self._inversions.set_index("start")),
        }

    def plot(self) -> Figure:
        """Bar chart of yield changes (bp) by market, one panel per episode."""
        episodes = list(dict.fromkeys(self._changes.index.get_level_values("episode")))
        if not episodes:
            raise DataError("EpisodeResults.plot: no episode was measured")
        figure, axes = _figure(len(episodes), 3.0)
        for ax, episode in zip(axes, episodes, strict=True):
            block = self._changes.loc[episode]
            ax.bar(block.index, block["change_bp"])
            ax.axhline(0.0, color="black", linewidth=0.6)
            ax.set_ylabel("bp")
            ax.set_title(f"{episode}: 10-year yield change")
        figure.tight_layout()
        return figure


#: Columns of :attr:`EpisodeResults.changes` measured in each window (before the spread change).
_EPISODE_COLUMNS = (
    "start",
    "end",
    "yield_start",
    "yield_end",
    "change_bp",
    "base_change_bp",
    "spread_start_bp",
    "spread_end_bp",
)


def episode_analysis(
    levels: pd.DataFrame,
    *,
    episodes: Sequence[Episode] = EPISODES,
    base: str = "us",
    curve_spread: tuple[pd.Series, pd.Series] | None = None,
) -> EpisodeResults:
    """Yield changes by market and spreads to the base market over named windows.

    Parameters
    ----------
    levels
        Yields in percent, columns = market codes, daily or monthly.
    episodes
        Windows, inclusive of both ends (default :data:`EPISODES`); a user window is an
        :class:`~ustpull.crossasset.events.Episode` (which rejects an end before the start).
        None (an as-of date before every window's end) gives an empty change table.
    base
        Market the spreads are taken against.
    curve_spread
        ``(long, short)`` base-curve yields, e.g. ``us.cmt.10y`` and ``us.cmt.3m``, whose
        inversion runs (:func:`curve_inversions`) that overlap a window are reported.

    Notes
    -----
    Levels are read on the first and last dates inside the window on which both the market
    and the base have a quote, so every spread is a same-day spread.

    Raises
    ------
    DataError
        No market has data in common with the base in a window (names the window).
    """
    foreign = _check_columns(levels, base)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    for item in episodes:
        episode, begin, finish = item.name, item.start, item.end
        window = levels.loc[begin:finish]
        for market in foreign:
            pair = window[[base, market]].dropna(how="any")
            if len(pair) < 2:
                skipped[f"{episode}/{market}"] = (
                    f"{market} has data {_span(levels[market].dropna().index)}, "
                    f"not with {base} in {begin:%Y-%m-%d}..{finish:%Y-%m-%d}"
                )
                continue
            start_row, end_row = pair.iloc[0], pair.iloc[-1]
            rows[(episode, market)] = {
                "start": pair.index[0],
                "end": pair.index[-1],
                "yield_start": float(start_row[market]),
                "yield_end": float(end_row[market]),
                "change_bp": 100.0 * float(end_row[market] - start_row[market]),
                "base_change_bp": 100.0 * float(end_row[base] - start_row[base]),
                "spread_start_bp": 100.0 * float(start_row[market] - start_row[base]),
                "spread_end_bp": 100.0 * float(end_row[market] - end_row[base]),
            }
        if not any(key[0] == episode for key in rows):
            raise DataError(
                f"no market has data in common with {base} in episode {episode!r} "
                f"({begin:%Y-%m-%d}..{finish:%Y-%m-%d})"
            )
    # no episode (an as-of run before every window's end) leaves an empty table, with columns
    table = pd.DataFrame(list(rows.values()), columns=_EPISODE_COLUMNS)
    table.index = pd.MultiIndex.from_tuples(list(rows), names=["episode", "market"])
    table["spread_change_bp"] = table["spread_end_bp"] - table["spread_start_bp"]
    inversions = None
    if curve_spread is not None:
        runs = curve_inversions(*curve_spread)
        inside = np.zeros(len(runs), dtype=bool)
        for item in episodes:
            inside |= (runs["end"] >= item.start).to_numpy() & (
                runs["start"] <= item.end
            ).to_numpy()
        inversions = runs[inside].reset_index(drop=True)
    return EpisodeResults(table, skipped, inversions, base)


#: Replications of the residual bootstrap of the total connectedness index.
CONNECTEDNESS_REPLICATIONS = 999
#: How the interval of the total connectedness index is formed.
CONNECTEDNESS_CI_METHOD = (
    "residual bootstrap of the VAR (i.i.d. residuals, coefficients and covariance refitted, "
    f"{CONNECTEDNESS_REPLICATIONS} draws), percentile 95% interval for the TCI of the VAR at "
    "the sample's realised error covariance (as connectedness.tci_change); measured coverage "
    "under GARCH errors 95.8% of that, 70.8% of the unconditional population TCI "
    "(tests/crossasset/test_coverage_tci_bootstrap.py)"
)


class ForeignBondsResults(Results):
    """All the foreign-bond analyses of :func:`ustpull.studies.run_foreign_bonds` (read-only).

    Attributes
    ----------
    comovement_monthly, comovement_daily
        :class:`ComovementResults` of monthly (OECD monthly averages: the labelled fallback
        basis) and weekly/daily 10-year yield changes, one correlation per market, no average.
    betas
        :class:`SpilloverBetaResults` on monthly changes, India (monthly average of daily
        quotes) labelled as the emerging-market case with its sample.
    connectedness, rolling_connectedness
        Diebold-Yilmaz results on the markets with daily data
        (:mod:`ustpull.crossasset.connectedness`).
    episodes
        :class:`EpisodeResults` on daily yields with the U.S. 10-year minus 3-month inversions.
    linkage
        :class:`LinkageResults` when term-premium decompositions were given, else ``None``.
    comovement_us
        :class:`~ustpull.crossasset.comovement.CoMovementResults`: month-end co-movement with
        the U.S., headline over DE, JP and the UK, with intervals (``None`` without the data).
    connectedness_interval
        ``estimate``, ``lower``, ``upper`` of the total connectedness index (95%, residual
        bootstrap of the VAR), or ``None``.
    """

    def __init__(
        self,
        *,
        comovement_monthly: ComovementResults,
        comovement_daily: ComovementResults,
        betas: SpilloverBetaResults,
        connectedness: ConnectednessResults,
        rolling_connectedness: RollingConnectednessResults,
        episodes: EpisodeResults,
        linkage: LinkageResults | None,
        comovement_us: CoMovementResults | None = None,
        connectedness_interval: pd.Series | None = None,
    ) -> None:
        self.comovement_monthly = comovement_monthly
        self.comovement_daily = comovement_daily
        self.betas = betas
        self.connectedness = connectedness
        self.rolling_connectedness = rolling_connectedness
        self.episodes = episodes
        self.linkage = linkage
        self.comovement_us = comovement_us
        self.connectedness_interval = connectedness_interval

    def _parts(self) -> dict[str, Any]:
        parts: dict[str, Any] = {
            "comovement_monthly": self.comovement_monthly,
            "comovement_daily": self.comovement_daily,
            "betas": self.betas,
            "connectedness": self.connectedness,
            "rolling_connectedness": self.rolling_connectedness,
            "episodes": self.episodes,
        }
        if self.linkage is not None:
            parts["linkage"] = self.linkage
        return parts

    def summary(self) -> str:
        """Every part's summary, one after the other."""
        parts = {name: part.summary() for name, part in self._parts().items()}
        if self.comovement_us is not None:
            parts["comovement_us"] = self.comovement_us.summary()
        return "\n\n".join(f"== {name} ==\n{text}" for name, text in parts.items())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables of every part (the CLI's ``--output FILE.json``); the month-end
        co-movement as its findings (value, ``ci``, ``ci_method``, ...)."""
        out = {name: part.to_dict() for name, part in self._parts().items()}
        if self.connectedness_interval is not None:
            interval = self.connectedness_interval
            out["connectedness"]["total_ci"] = [float(interval["lower"]), float(interval["upper"])]
            out["connectedness"]["total_ci_method"] = CONNECTEDNESS_CI_METHOD
        if self.comovement_us is not None:
            out["comovement_us"] = {"findings": self.comovement_us.findings()}
        return out

    def plot(self) -> Figure:
        """Rolling headline co-movement (DE, JP, UK, month-end) and the rolling total
        connectedness index (generalized FEVD shares)."""
        figure, (correlation_ax, connectedness_ax) = _figure(2, 3.5)
        if self.comovement_us is not None:
            rolling = self.comovement_us.rolling
            names = "+".join(self.comovement_us.headline)
            correlation_ax.plot(rolling.index, rolling["headline_average"], color="black")
            correlation_ax.set_title(
                f"Rolling month-end correlation of 10-year yield changes with the U.S., "
                f"average {names}"
            )
        correlation_ax.set_ylabel("correlation")
        total = self.rolling_connectedness.total
        connectedness_ax.plot(total.index, total, color="tab:blue")
        connectedness_ax.set_ylabel("percent")
        connectedness_ax.set_title("Total connectedness index (Diebold-Yilmaz), 10-year yields")
        figure.tight_layout()
        return figure
