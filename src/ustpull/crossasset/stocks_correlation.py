"""Stock-bond correlation: Treasury returns from the zero curve, rolling correlations, eras.

Treasury return of a zero-coupon bond with maturity ``n`` years held from date ``t-1`` to ``t``
(``dt`` years apart, ACT/365.25), from continuously compounded zero yields ``y`` in percent:

.. math::

    r_t = \\big[n\\, y_{t-1}(n) - (n - dt)\\, y_t(n - dt)\\big] / 100

the exact log return of ``P(t, n) = exp(-y(n) n / 100)`` (the bond is ``dt`` years shorter when
sold). ``y_t(n - dt)`` comes from the NSS curve with the day's GSW parameters
(:func:`ustpull.curves.nss.nss_zero_yield`) where they are published, otherwise from linear
interpolation of the zero yields in maturity between ``n - 1`` and ``n`` years. The NSS value
is anchored at the published yield, ``y_t(n) + [NSS_t(n - dt) - NSS_t(n)]``, because on a few
days the archived parameters and the published yields disagree by several basis points. Two simpler
measures sit beside it: the duration approximation ``r_t ~ -n [y_t(n) - y_{t-1}(n)] / 100``
(a zero's modified duration under continuous compounding is ``n``), and the yield change
itself (percentage points).

Stock returns are log returns of the S&P 500 close. Both markets are first aligned on common
trading days (:func:`ustpull.crossasset.stats.align`), so a return always spans the same
interval in both; nothing is forward-filled across one market's holiday.

References
----------
Gürkaynak, Sack and Wright (2007), "The U.S. Treasury Yield Curve: 1961 to the Present".
Hamilton (1989), "A New Approach to the Economic Analysis of Nonstationary Time Series and the
Business Cycle", Econometrica 57(2) (two-state Markov switching).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import CorrelationCurve as Curve
from ustpull._typing import DailyMonthly as Frequency
from ustpull._typing import ReturnMeasure as Measure
from ustpull.crossasset.inflation_threshold import InflationThreshold
from ustpull.crossasset.portfolio import (
    complete_month_ends,
    par_bond_duration,
    par_bond_returns,
)
from ustpull.crossasset.stats import (
    align,
    block_bootstrap_mean_difference,
    effective_sample_size,
    fisher_z_difference_test,
    hac_ols,
    json_records,
    log_returns,
    rolling_correlation,
)
from ustpull.curves.nss import PARAM_NAMES, nss_zero_yield
from ustpull.errors import DataError, FitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "DEFAULT_ERAS",
    "MEASURES",
    "RETIRED_NOTE",
    "InflationRegimeResults",
    "MarkovSwitchingSummary",
    "StockBondCorrelation",
    "StockBondCorrelationResults",
    "TermPremiumEquityResponse",
    "TermPremiumEquityResults",
    "duration_bond_returns",
    "era_table",
    "markov_switching_correlation",
    "zero_coupon_log_returns",
]

PandasT = TypeVar("PandasT", pd.Series, pd.DataFrame)

DAYS_PER_YEAR = 365.25
"""Day count for holding periods: ACT/365.25, as the GSW maturities are in years."""


MEASURES: tuple[Measure, ...] = ("exact", "duration", "yield_change")
"""Treasury legs: exact zero-coupon return, duration approximation, yield change."""

_CURVE_LABEL: dict[Curve, str] = {
    "zero": "zero-coupon Treasury (GSW)",
    "par": "constant-maturity par Treasury (CMT)",
}

DEFAULT_WINDOW: dict[Frequency, int] = {"daily": 252, "monthly": 36}
"""One year of trading days, three years of months."""

DEFAULT_ERAS: tuple[tuple[str, str | None, str | None], ...] = (
    ("1962-1999", None, "1999-12-31"),
    ("2000-2007", "2000-01-01", "2007-12-31"),
    ("2008-2019", "2008-01-01", "2019-12-31"),
    ("2020-latest", "2020-01-01", None),
)
"""(label, first date, last date) of the default eras; ``None`` = the sample's edge.

The one table of era boundaries. Labels here are nominal; the stocks study names each era after
the data a fit uses (:func:`ustpull.studies.stocks.named_eras`: "1972-1999" for the GSW 10-year
zero, whose returns start 1971-08), and the era table's ``first`` and ``last`` columns give the
dates actually covered."""

BEFORE_WINDOW = ("2000-01-01", "2019-12-31")
AFTER_WINDOW = ("2020-01-01", None)
"""The two samples of the regime test: 2000-2019 against 2020-latest."""


# ---------------------------------------------------------------------------------------------
# Treasury returns
# ---------------------------------------------------------------------------------------------


def _year_fractions(index: pd.DatetimeIndex) -> np.ndarray:
    days = np.diff(index.to_numpy()).astype("timedelta64[s]").astype(np.float64) / 86400.0
    return days / DAYS_PER_YEAR


def _require_maturities(zero_yields: pd.DataFrame, needed: Sequence[float]) -> None:
    missing = [m for m in needed if m not in zero_yields.columns]
    if missing:
        raise DataError(
            f"zero yields lack maturities {missing} years (columns: {list(zero_yields.columns)})"
        )


def zero_coupon_log_returns(
    zero_yields: pd.DataFrame,
    *,
    maturity: int = 10,
    params: pd.DataFrame | None = None,
) -> pd.Series:
    """Exact log holding-period returns of an ``n``-year zero-coupon bond (decimal).

    Parameters
    ----------
    zero_yields
        Zero yields, percent continuously compounded, indexed by date, columns = maturities in
        years (numbers); needs ``maturity - 1`` and ``maturity``.
    maturity
        ``n`` in years.
    params
        Optional NSS parameters (columns ``beta0..beta3, tau1, tau2``, ``tau2`` NaN for
        Nelson-Siegel days) on the same dates; used for ``y_t(n - dt)`` (anchored at the
        published ``y_t(n)``) where ``beta0..tau1`` are present, linear interpolation between
        ``n - 1`` and ``n`` elsewhere.

    Returns
    -------
    Series
        ``r_t`` of the module docstring, named ``"exact"``, on every date but the first of the
        rows where ``y(n)`` is observed. Rows are consecutive observations: pass the yields on
        the dates you want returns between (e.g. the common trading days, or month ends).
    """
    _require_maturities(zero_yields, [maturity - 1, maturity])
    curve = zero_yields.loc[zero_yields[maturity].notna()]
    if len(curve) < 2:
        raise DataError(f"zero yields: fewer than two dates with the {maturity}-year yield")
    dt = _year_fractions(pd.DatetimeIndex(curve.index))
    long_end = curve[maturity].to_numpy(dtype=float)
    shorter = curve[maturity - 1].to_numpy(dtype=float)
    # Linear in maturity between n-1 and n: y(n - dt) = y(n) - dt [y(n) - y(n-1)].
    sold_yield = long_end[1:] - dt * (long_end[1:] - shorter[1:])
    if params is not None:
        missing = [name for name in PARAM_NAMES if name not in params.columns]
        if missing:
            raise DataError(f"NSS parameter frame lacks columns {missing}")
        theta = params.reindex(curve.index[1:]).loc[:, list(PARAM_NAMES)].to_numpy(dtype=float)
        # beta0..beta2 and tau1 always; beta3 only on Svensson days (tau2 NaN = Nelson-Siegel)
        usable = ~np.isnan(theta[:, [0, 1, 2, 4]]).any(axis=1) & (
            ~np.isnan(theta[:, 3]) | np.isnan(theta[:, 5])
        )
        if usable.any():
            sold = (maturity - dt[usable])[:, None]
            at_sale = nss_zero_yield(theta[usable], np.hstack([sold, np.full_like(sold, maturity)]))
            # anchored at the published n-year yield: the parameters give only the local slope,
            # so a day whose parameters disagree with the published yields adds no jump
            sold_yield[usable] = long_end[1:][usable] + at_sale[:, 0] - at_sale[:, 1]
    if np.isnan(sold_yield).any():
        where = int(np.flatnonzero(np.isnan(sold_yield))[0]) + 1
        raise DataError(
            f"zero yields: no {maturity - 1}-year yield or NSS parameters on "
            f"{curve.index[where]:%Y-%m-%d} to price the {maturity}-year bond a period later"
        )
    returns = (maturity * long_end[:-1] - (maturity - dt) * sold_yield) / 100.0
    return pd.Series(returns, index=curve.index[1:], name="exact")


def duration_bond_returns(yields: pd.Series, *, duration: float | np.ndarray) -> pd.Series:
    """Duration approximation ``r_t = -D [y_t - y_{t-1}] / 100`` (decimal; yields in percent).

    ``duration`` is a number or one value per return (``D`` at ``t-1``).
    """
    observed = yields.dropna()
    return (-duration * observed.diff().iloc[1:] / 100.0).rename("duration")


# ---------------------------------------------------------------------------------------------
# Eras and regimes
# ---------------------------------------------------------------------------------------------


def _between(data: PandasT, start: str | None, end: str | None) -> PandasT:
    """Rows dated within ``[start, end]`` (``None`` = open end)."""
    index = pd.DatetimeIndex(data.index)
    mask = np.ones(len(index), dtype=bool)
    if start is not None:
        mask &= index >= pd.Timestamp(start)
    if end is not None:
        mask &= index <= pd.Timestamp(end)
    return data.loc[mask]


def eras_from_breaks(
    breaks: Sequence[str | pd.Timestamp],
) -> tuple[tuple[str, str | None, str | None], ...]:
    """Eras between user-given break dates: ``[start, b1)``, ``[b1, b2)``, ..., ``[bk, end]``."""
    stamps = sorted(pd.Timestamp(b) for b in breaks)
    edges: list[pd.Timestamp | None] = [None, *stamps, None]
    eras = []
    for first, nxt in itertools.pairwise(edges):
        last = None if nxt is None else nxt - pd.Timedelta(days=1)
        label = f"{'start' if first is None else f'{first:%Y-%m-%d}'}.."
        label += "latest" if last is None else f"{last:%Y-%m-%d}"
        eras.append(
            (
                label,
                None if first is None else f"{first:%Y-%m-%d}",
                None if last is None else f"{last:%Y-%m-%d}",
            )
        )
    return tuple(eras)


def era_table(
    correlation: pd.Series,
    eras: Sequence[tuple[str, str | None, str | None]] = DEFAULT_ERAS,
    *,
    returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean, median and share of positive values of a rolling correlation by era.

    With ``returns`` (two columns: stock and bond returns) the table also gives the pooled
    correlation of the returns inside each era, the number of return pairs and the 95%
    Newey-West HAC interval of that correlation (``return_ci_low``/``return_ci_high``, delta
    method on Fisher z, :class:`~ustpull.crossasset.intervals.CorrelationInterval`; NaN with
    fewer than 20 pairs). The rolling-correlation statistics (mean, median, share positive) are
    descriptive: a mean of overlapping windows has no sampling interval of its own.
    """
    rows = []
    for label, start, end in eras:
        inside = _between(correlation.dropna(), start, end)
        row: dict[str, object] = {
            "era": label,
            "first": inside.index[0] if len(inside) else pd.NaT,
            "last": inside.index[-1] if len(inside) else pd.NaT,
            "n": len(inside),
            "mean": float(inside.mean()) if len(inside) else np.nan,
            "median": float(inside.median()) if len(inside) else np.nan,
            "share_positive": float((inside > 0).mean()) if len(inside) else np.nan,
        }
        if returns is not None:
            pair = _between(returns, start, end)
            row["return_correlation"] = (
                float(pair.iloc[:, 0].corr(pair.iloc[:, 1])) if len(pair) > 2 else np.nan
            )
            row["return_pairs"] = len(pair)
            row["return_ci_low"], row["return_ci_high"] = _hac_interval(pair)
        rows.append(row)
    return pd.DataFrame(rows).set_index("era")


def _hac_interval(pair: pd.DataFrame) -> tuple[float, float]:
    """95% Newey-West HAC interval of the correlation of a two-column frame (NaN when short)."""
    from ustpull.crossasset.intervals import CorrelationInterval

    clean = pair.dropna()
    if len(clean) < 20:
        return np.nan, np.nan
    fit = CorrelationInterval(clean.iloc[:, 0], clean.iloc[:, 1]).fit(method="hac")
    return fit.ci_low, fit.ci_high


RETIRED_NOTE = (
    "retired with issue 16, kept for the record only (not findings): the Fisher-z tests adjust "
    "for autocorrelation but not volatility clustering; the moving-block bootstrap of the mean "
    "rolling correlation holds about five blocks after 2020; the Markov-switching model is "
    "fitted to the rolling correlation, so its durations mirror the window. Use instead: "
    "stock_bond_regimes.difference_recent_minus_2000_2019 (stationary block bootstrap "
    "interval), stock_bond_regimes.era_correlations and the eras' return_ci_low/return_ci_high "
    "(Newey-West HAC), stock_bond_regimes.regimes (regime switching on the returns)"
)
"""Why the payload's ``retired`` block is not a finding, and what supersedes it."""


@dataclass(frozen=True)
class MarkovSwitchingSummary:
    """Two-state Markov-switching mean/variance model of a correlation series.

    State 0 is the low-mean (negative-correlation) state, state 1 the high-mean state.
    """

    means: pd.Series
    volatilities: pd.Series
    transition: pd.DataFrame
    expected_duration: pd.Series
    high_state_probability: pd.Series
    loglikelihood: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "means": self.means.to_dict(),
            "volatilities": self.volatilities.to_dict(),
            "transition": self.transition.to_dict(),
            "expected_duration_periods": self.expected_duration.to_dict(),
            "loglikelihood": self.loglikelihood,
            "high_state_probability": json_records(self.high_state_probability.to_frame()),
        }


def markov_switching_correlation(correlation: pd.Series) -> MarkovSwitchingSummary:
    """Fit a two-state Markov-switching model with switching mean and variance (Hamilton 1989).

    .. math:: c_t = \\mu_{s_t} + \\sigma_{s_t} \\varepsilon_t, \\quad
              P(s_t = j \\mid s_{t-1} = i) = p_{ij}

    via statsmodels ``MarkovRegression(k_regimes=2, trend="c", switching_variance=True)``;
    states are relabelled so that state 0 has the lower mean. Use a monthly-sampled rolling
    correlation (a few hundred points) to keep this fast.
    """
    from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

    observed = correlation.dropna()
    if len(observed) < 24:
        raise DataError(
            f"Markov switching needs at least 24 correlation observations, got {len(observed)}"
        )
    model = MarkovRegression(observed.to_numpy(), k_regimes=2, trend="c", switching_variance=True)
    try:
        fitted = model.fit(disp=False)
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise FitError(f"Markov-switching fit of the correlation failed: {exc}") from exc
    params = np.asarray(fitted.params)
    # Parameter order: p[0->0], p[1->0], const[0], const[1], sigma2[0], sigma2[1].
    stay = np.array([params[0], 1.0 - params[1]])
    means = params[2:4]
    variances = params[4:6]
    order = np.argsort(means)
    states = pd.Index(["low", "high"], name="state")
    p_stay = stay[order]
    transition = pd.DataFrame(
        [[p_stay[0], 1.0 - p_stay[0]], [1.0 - p_stay[1], p_stay[1]]],
        index=pd.Index(["low", "high"], name="from"),
        columns=pd.Index(["low", "high"], name="to"),
    )
    smoothed = np.asarray(fitted.smoothed_marginal_probabilities)[:, order[1]]
    return MarkovSwitchingSummary(
        means=pd.Series(means[order], index=states, name="mean"),
        volatilities=pd.Series(np.sqrt(variances[order]), index=states, name="volatility"),
        transition=transition,
        expected_duration=pd.Series(1.0 / (1.0 - p_stay), index=states, name="periods"),
        high_state_probability=pd.Series(
            smoothed, index=observed.index, name="high_state_probability"
        ),
        loglikelihood=float(fitted.llf),
    )


# ---------------------------------------------------------------------------------------------
# Stock-bond correlation model
# ---------------------------------------------------------------------------------------------


class StockBondCorrelationResults(Results):
    """Rolling stock-bond correlations, the era table, the regime test and Markov switching."""

    def __init__(
        self,
        *,
        returns: pd.DataFrame,
        correlations: pd.DataFrame,
        eras: pd.DataFrame,
        regime_test: dict[str, dict[str, float | int]],
        markov: MarkovSwitchingSummary | None,
        frequency: Frequency,
        window: int,
        maturity: int,
        curve: Curve = "zero",
    ) -> None:
        self._curve = curve
        self._returns = returns
        self._correlations = correlations
        self._eras = eras
        self._regime_test = regime_test
        self._markov = markov
        self._frequency = frequency
        self._window = window
        self._maturity = maturity

    @property
    def returns(self) -> pd.DataFrame:
        """Stock log return and the Treasury legs (``exact``, ``duration``, ``yield_change``)."""
        return self._returns.copy()

    @property
    def correlations(self) -> pd.DataFrame:
        """Rolling correlation of stock returns with each Treasury leg (columns = measures)."""
        return self._correlations.copy()

    @property
    def eras(self) -> pd.DataFrame:
        """Era table of the exact-return rolling correlation (mean, median, share positive)."""
        return self._eras.copy()

    @property
    def regime_test(self) -> dict[str, dict[str, float | int]]:
        """2020-latest vs 2000-2019: Fisher z (nominal and effective n) and block bootstrap.

        Empty when either period has fewer than 24 returns; the bootstrap (blocks as long as
        the window) needs two windows of rolling correlations in each period.
        """
        return {key: dict(value) for key, value in self._regime_test.items()}

    @property
    def markov(self) -> MarkovSwitchingSummary | None:
        """Two-state Markov switching of the monthly-sampled rolling correlation."""
        return self._markov

    def summary(self) -> str:
        """Text summary: the era table and the regime test."""
        lines = [
            f"Stock-bond correlation ({self._frequency}, window {self._window}, "
            f"{self._maturity}-year {_CURVE_LABEL[self._curve]})",
            self._eras.to_string(float_format=lambda value: f"{value:.3f}"),
            "",
            "2020-latest vs 2000-2019 (retired tests, for the record; see RETIRED_NOTE):",
        ]
        for name, test in self._regime_test.items():
            fields = ", ".join(f"{k}={v:.4g}" for k, v in test.items())
            lines.append(f"  {name}: {fields}")
        if self._markov is not None:
            lines += [
                "",
                "Markov switching of the rolling correlation (retired: durations mirror the "
                "window):",
                pd.DataFrame(
                    {
                        "mean": self._markov.means,
                        "volatility": self._markov.volatilities,
                        "expected_duration": self._markov.expected_duration,
                    }
                )
                .round(3)
                .to_string(),
            ]
        return "\n".join(lines)

    @property
    def frequency(self) -> Frequency:
        """Return frequency of the correlations (``daily`` or ``monthly``)."""
        return self._frequency

    @property
    def window(self) -> int:
        """Rolling window, in observations of :attr:`frequency`."""
        return self._window

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.charts.stock_bond_correlation_chart`
        (``figure()`` draws it with plotly, :meth:`plot` with matplotlib)."""
        from ustpull.crossasset.charts import stock_bond_correlation_chart

        return stock_bond_correlation_chart(self)

    def plot(self) -> Figure:
        """Rolling correlations, eras shaded (one chart definition:
        :func:`ustpull.crossasset.charts.stock_bond_correlation_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import stock_bond_correlation_chart

        return figure(stock_bond_correlation_chart(self))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables."""
        return {
            "frequency": self._frequency,
            "window": self._window,
            "maturity_years": self._maturity,
            "curve": self._curve,
            "eras": json_records(self._eras),
            "eras_note": "mean, median and share_positive describe the rolling correlation "
            "(no sampling interval); return_correlation carries its 95% Newey-West HAC "
            "interval (return_ci_low, return_ci_high)",
            "retired": self._retired(),
            "rolling_correlation": json_records(self._correlations.rename_axis("date")),
        }

    def _retired(self) -> dict[str, object] | None:
        """The retired tests (2020-latest vs 2000-2019 Fisher z and mean-rolling bootstrap;
        Markov switching of the rolling correlation), labelled by :data:`RETIRED_NOTE`."""
        if not self._regime_test and self._markov is None:
            return None
        return {
            "status": "retired",
            "note": RETIRED_NOTE,
            "regime_test": self._regime_test,
            "markov_on_rolling_correlation": None
            if self._markov is None
            else self._markov.to_dict(),
        }


class StockBondCorrelation:
    """Rolling correlation of S&P 500 returns with 10-year Treasury returns.

    Parameters
    ----------
    stock_prices
        S&P 500 closes (index points), daily.
    yields
        ``curve="zero"``: GSW zero yields, percent continuously compounded, a DataFrame with
        columns = maturities in years (``maturity - 1`` and ``maturity``).
        ``curve="par"``: a constant-maturity par yield, percent bond-equivalent, a Series
        (e.g. ``us.cmt.10y``, from 1962 where the GSW 10-year zero starts only in 1971-08).
    curve
        ``"zero"``: exact zero-coupon returns (:func:`zero_coupon_log_returns`), duration
        ``n``. ``"par"``: exact par-bond repricing with the actual holding period
        (:func:`ustpull.crossasset.portfolio.par_bond_returns`, a simple return), duration
        approximation with the par bond's modified duration at ``y_{t-1}``
        (:func:`ustpull.crossasset.portfolio.par_bond_duration`).
    params
        Optional GSW NSS parameters (see :func:`zero_coupon_log_returns`), zero curve only.
    maturity
        Treasury maturity in years (10).
    frequency
        ``"daily"`` (common trading days) or ``"monthly"`` (last common trading day of each
        month; a final month whose last common day is before its last business day is
        incomplete and dropped, :func:`ustpull.crossasset.portfolio.complete_month_ends`).
    window
        Rolling window in observations; default 252 days or 36 months.
    eras
        (label, first, last) tuples; default :data:`DEFAULT_ERAS`. See :func:`eras_from_breaks`.
    markov
        Fit the two-state Markov-switching model to the month-end rolling correlation. Off by
        default: fitted to a rolling correlation, its regime durations mirror the window; the
        regime-switching model on the returns themselves is
        :class:`~ustpull.crossasset.regimes.RegimeSwitchingCorrelation` (issue 16).
    replications, seed
        Block bootstrap of the regime test (block length = window).
    """

    def __init__(
        self,
        stock_prices: pd.Series,
        yields: pd.DataFrame | pd.Series,
        *,
        curve: Curve = "zero",
        params: pd.DataFrame | None = None,
        maturity: int = 10,
        frequency: Frequency = "daily",
        window: int | None = None,
        eras: Sequence[tuple[str, str | None, str | None]] = DEFAULT_ERAS,
        markov: bool = False,
        replications: int = 1000,
        seed: int = 0,
    ) -> None:
        if frequency not in DEFAULT_WINDOW:
            raise DataError(f"frequency must be 'daily' or 'monthly', got {frequency!r}")
        if curve == "zero":
            if not isinstance(yields, pd.DataFrame):
                raise DataError("curve='zero' needs a DataFrame of zero yields by maturity")
            _require_maturities(yields, [maturity - 1, maturity])
        elif curve != "par" or not isinstance(yields, pd.Series):
            raise DataError("curve must be 'zero' (DataFrame) or 'par' (Series of par yields)")
        self.stock_prices = stock_prices
        self.yields = yields
        self.curve: Curve = curve
        self.params = params
        self.maturity = maturity
        self.frequency: Frequency = frequency
        self.window = DEFAULT_WINDOW[frequency] if window is None else window
        self.eras = tuple(eras)
        self.markov = markov
        self.replications = replications
        self.seed = seed

    def _levels(self) -> pd.DataFrame:
        stocks = self.stock_prices.rename("stock")
        if isinstance(self.yields, pd.Series):
            curve = self.yields.rename("long").to_frame()
        else:
            curve = self.yields[[self.maturity - 1, self.maturity]].rename(
                columns={self.maturity - 1: "shorter", self.maturity: "long"}
            )
        levels = align(stocks, curve)
        if self.frequency == "monthly":
            # a partial final month (data ending 2025-10-03) would enter as a short "month"
            levels = complete_month_ends(levels)
        return levels

    def returns(self) -> pd.DataFrame:
        """Stock log return and the three Treasury legs on common dates."""
        levels = self._levels()
        if self.curve == "par":
            exact = par_bond_returns(
                levels["long"], maturity=float(self.maturity), holding_years=None
            ).rename("exact")
            modified = par_bond_duration(levels["long"].to_numpy()[:-1], maturity=self.maturity)
            duration = duration_bond_returns(levels["long"], duration=modified)
        else:
            curve = levels[["shorter", "long"]].rename(
                columns={"shorter": self.maturity - 1, "long": self.maturity}
            )
            exact = zero_coupon_log_returns(curve, maturity=self.maturity, params=self.params)
            duration = duration_bond_returns(levels["long"], duration=float(self.maturity))
        change = levels["long"].diff().iloc[1:].rename("yield_change")
        return pd.concat([log_returns(levels["stock"]), exact, duration, change], axis=1, sort=True)

    def fit(self) -> StockBondCorrelationResults:
        """Compute the rolling correlations, era table, regime test and Markov switching."""
        returns = self.returns()
        correlations = pd.concat(
            {
                measure: rolling_correlation(returns["stock"], returns[measure], self.window)
                for measure in MEASURES
            },
            axis=1,
        )
        eras = era_table(correlations["exact"], self.eras, returns=returns[["stock", "exact"]])
        regime_test = self._regime_test(returns, correlations["exact"])
        markov = None
        if self.markov:
            markov = markov_switching_correlation(
                complete_month_ends(correlations["exact"].dropna())
            )
        return StockBondCorrelationResults(
            returns=returns,
            correlations=correlations,
            eras=eras,
            regime_test=regime_test,
            markov=markov,
            frequency=self.frequency,
            window=self.window,
            maturity=self.maturity,
            curve=self.curve,
        )

    def _regime_test(
        self, returns: pd.DataFrame, correlation: pd.Series
    ) -> dict[str, dict[str, float | int]]:
        before = _between(returns[["stock", "exact"]], *BEFORE_WINDOW)
        after = _between(returns[["stock", "exact"]], *AFTER_WINDOW)
        if min(len(before), len(after)) < 24:
            return {}  # the sample does not cover both periods: no test
        r_before = float(before["stock"].corr(before["exact"]))
        r_after = float(after["stock"].corr(after["exact"]))
        n_eff = (
            effective_sample_size(before["stock"], before["exact"]),
            effective_sample_size(after["stock"], after["exact"]),
        )
        nominal = fisher_z_difference_test(r_before, len(before), r_after, len(after))
        robust = fisher_z_difference_test(
            r_before, len(before), r_after, len(after), effective_n=n_eff
        )
        tests = {"fisher_z": nominal.to_dict(), "fisher_z_effective_n": robust.to_dict()}
        rolling_before = _between(correlation.dropna(), *BEFORE_WINDOW)
        rolling_after = _between(correlation.dropna(), *AFTER_WINDOW)
        # blocks as long as the window, and at least two of them in each period
        if min(len(rolling_before), len(rolling_after)) >= 2 * self.window:
            tests["block_bootstrap_mean_rolling"] = block_bootstrap_mean_difference(
                rolling_before,
                rolling_after,
                block_length=self.window,
                replications=self.replications,
                seed=self.seed,
            ).to_dict()
        return tests


# ---------------------------------------------------------------------------------------------
# Why it turned: inflation regimes and the term-premium split
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InflationRegimeResults(Results):
    """Stock-bond correlation in low- and high-inflation months."""

    table: pd.DataFrame
    test: dict[str, float]
    threshold: float

    def summary(self) -> str:
        """Text table and test."""
        fields = ", ".join(f"{k}={v:.4g}" for k, v in self.test.items())
        return (
            f"Stock-bond correlation by CPI inflation (year on year, threshold {self.threshold}%)\n"
            f"{self.table.round(3).to_string()}\nhigh vs low: {fields}"
        )

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.charts.inflation_regime_chart`
        (``figure()`` draws it with plotly, :meth:`plot` with matplotlib)."""
        from ustpull.crossasset.charts import inflation_regime_chart

        return inflation_regime_chart(self)

    def plot(self) -> Figure:
        """Return correlation (with its 95% interval) and mean rolling correlation in each
        inflation regime: the report's chart, :meth:`chart`, drawn with matplotlib."""
        from ustpull.charts import figure

        return figure(self.chart())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "threshold_pct": self.threshold,
            "table": json_records(self.table),
            "test": self.test,
        }


def inflation_regimes(
    returns: pd.DataFrame,
    cpi: pd.Series,
    *,
    threshold: float = 3.0,
    correlation: pd.Series | None = None,
    lag_months: int = 1,
) -> InflationRegimeResults:
    """Correlation of stock and Treasury returns when CPI inflation is below/above a threshold.

    Each return is classed by the year-on-year CPI inflation ``100 (CPI_m / CPI_{m-12} - 1)``
    of the month ``lag_months`` before its own (default 1: CPI for month m is published in
    the middle of month m+1), as :class:`~ustpull.crossasset.inflation_threshold.
    InflationThreshold` does, so the chart and the threshold table agree at the same
    threshold (the correlations and intervals are that class's at ``threshold``). Each
    regime's correlation and the difference (high minus low) carry 95% Newey-West HAC
    intervals (delta method on Fisher z; the regime's returns in date order, joining its
    separate spells), robust to volatility clustering.

    Parameters
    ----------
    returns
        Two columns: stock return, Treasury return (e.g. ``StockBondCorrelationResults.returns``
        ``[["stock", "exact"]]``).
    cpi
        Monthly CPI index level.
    threshold
        Inflation threshold in percent.
    correlation
        Optional rolling correlation to summarise by regime as well.
    lag_months
        Months between the CPI reference month and the classified return's month.
    """
    model = InflationThreshold(
        returns, cpi, thresholds=(threshold,), lag_months=lag_months, method="hac"
    )
    row = model.fit().table.iloc[0]
    labelled = returns.assign(inflation=model.inflation_of_returns()).dropna()
    high = labelled["inflation"] > threshold
    rows = {}
    for label, part in (("low", labelled.loc[~high]), ("high", labelled.loc[high])):
        rows[label] = {
            "n": len(part),
            "mean_inflation": float(part["inflation"].mean()),
            "return_correlation": float(row[f"corr_{label}"]),
            "ci_low": float(row[f"corr_{label}_ci_low"]),
            "ci_high": float(row[f"corr_{label}_ci_high"]),
        }
        if correlation is not None:
            rolling = correlation.reindex(part.index).dropna()
            rows[label]["mean_rolling_correlation"] = float(rolling.mean())
            rows[label]["share_positive"] = float((rolling > 0).mean())
    test = {
        "difference": float(row["difference"]),
        "ci_low": float(row["difference_ci_low"]),
        "ci_high": float(row["difference_ci_high"]),
        "pvalue": float(row["pvalue"]),
    }
    table = pd.DataFrame(rows).T.rename_axis("inflation")
    return InflationRegimeResults(table=table, test=test, threshold=threshold)


class TermPremiumEquityResults(Results):
    """Equity response to the expected-rate and term-premium parts of the 10-year yield."""

    def __init__(
        self,
        *,
        full: pd.DataFrame,
        by_era: dict[str, pd.DataFrame],
        rolling: pd.DataFrame,
        correlations: pd.DataFrame,
        nobs: int,
    ) -> None:
        self._full = full
        self._by_era = by_era
        self._rolling = rolling
        self._correlations = correlations
        self._nobs = nobs

    @property
    def full_sample(self) -> pd.DataFrame:
        """Coefficients with Newey-West errors: stock return (%) on the two changes (pp)."""
        return self._full.copy()

    @property
    def by_era(self) -> dict[str, pd.DataFrame]:
        """The same regression per era."""
        return {k: v.copy() for k, v in self._by_era.items()}

    @property
    def rolling(self) -> pd.DataFrame:
        """Rolling-window slopes on the expected-rate and term-premium changes."""
        return self._rolling.copy()

    @property
    def correlations(self) -> pd.DataFrame:
        """Correlation of stock returns with each yield component's change, by era."""
        return self._correlations.copy()

    def summary(self) -> str:
        """Text tables."""
        parts = [
            f"S&P 500 monthly log return (%) on changes in the 10-year expected-rate and "
            f"term-premium parts (pp); Newey-West errors; {self._nobs} months",
            self._full.round(3).to_string(),
        ]
        for era, table in self._by_era.items():
            parts += [f"[{era}]", table.round(3).to_string()]
        parts += ["Correlations with the changes:", self._correlations.round(3).to_string()]
        return "\n".join(parts)

    def plot(self) -> Figure:
        """Rolling slopes."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4))
        self._rolling.plot(ax=ax)
        ax.axhline(0.0, color="black", linewidth=0.5)
        ax.set_ylabel("% stock return per pp")
        ax.set_title("Equity response to the two parts of the 10-year yield (rolling)")
        fig.tight_layout()
        return fig

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables."""
        return {
            "nobs": self._nobs,
            "full_sample": json_records(self._full),
            "by_era": {era: json_records(t) for era, t in self._by_era.items()},
            "correlations": json_records(self._correlations),
            "rolling": json_records(self._rolling.rename_axis("date")),
        }


class TermPremiumEquityResponse:
    """Regress monthly S&P 500 returns on changes in the 10-year expected rate and term premium.

    .. math:: 100\\,\\Delta \\ln P_t = \\alpha + \\beta_{ER} \\Delta ER_t
              + \\beta_{TP} \\Delta TP_t + u_t

    with ``ER`` the risk-neutral (expected average short rate) part and ``TP`` the term premium
    of the 10-year yield (percent, ``yield = ER + TP``), Newey-West standard errors
    (:func:`ustpull.crossasset.stats.hac_ols`), full sample, by era and over a rolling window.

    Parameters
    ----------
    stock_prices
        S&P 500 closes (daily or monthly); sampled at the last close of each month.
    decomposition
        Monthly frame with columns ``expected_rate`` and ``term_premium`` (percent).
    window
        Rolling window in months.
    eras
        (label, first, last) tuples.
    """

    def __init__(
        self,
        stock_prices: pd.Series,
        decomposition: pd.DataFrame,
        *,
        window: int = 60,
        eras: Sequence[tuple[str, str | None, str | None]] = (
            ("2000-2019", "2000-01-01", "2019-12-31"),
            ("2020-latest", "2020-01-01", None),
        ),
    ) -> None:
        missing = {"expected_rate", "term_premium"} - set(decomposition.columns)
        if missing:
            raise DataError(f"term-premium decomposition lacks columns {sorted(missing)}")
        self.stock_prices = stock_prices
        self.decomposition = decomposition
        self.window = window
        self.eras = tuple(eras)

    def data(self) -> pd.DataFrame:
        """Monthly stock return (%) and the changes of the two parts (pp), on common months."""
        prices = self.stock_prices.dropna()
        month = pd.DatetimeIndex(prices.index).to_period("M")
        month_end = prices.loc[~month.duplicated(keep="last")]
        month_end.index = pd.DatetimeIndex(month_end.index).to_period("M")
        parts = self.decomposition[["expected_rate", "term_premium"]].dropna()
        parts.index = pd.DatetimeIndex(parts.index).to_period("M")
        parts = parts.loc[~parts.index.duplicated(keep="last")]
        levels = pd.concat([month_end.rename("stock"), parts], axis=1, join="inner", sort=True)
        # consecutive months only: a gap month would turn two months' changes into one
        months = pd.PeriodIndex(levels.index)
        consecutive = np.r_[False, np.diff(months.asi8) == 1]
        changes = pd.DataFrame(
            {
                "stock_return": 100.0 * np.log(levels["stock"]).diff(),
                "d_expected_rate": levels["expected_rate"].diff(),
                "d_term_premium": levels["term_premium"].diff(),
            }
        ).loc[consecutive]
        changes.index = months[consecutive].to_timestamp(how="end").normalize()
        if len(changes) < self.window:
            raise DataError(
                f"term-premium regression: {len(changes)} common months, fewer than the "
                f"rolling window of {self.window}"
            )
        return changes.rename_axis("date")

    def fit(self) -> TermPremiumEquityResults:
        """Estimate full-sample, per-era and rolling regressions."""
        from statsmodels.regression.rolling import RollingOLS

        data = self.data()
        regressors = ["d_expected_rate", "d_term_premium"]
        full = hac_ols(data["stock_return"], data[regressors])
        by_era = {}
        correlation_rows = {}
        for label, start, end in (("full", None, None), *self.eras):
            part = _between(data, start, end)
            if label != "full" and len(part) > len(regressors) + 2:
                by_era[label] = hac_ols(part["stock_return"], part[regressors]).to_frame()
            correlation_rows[label] = {
                name: float(part["stock_return"].corr(part[name])) for name in regressors
            } | {"months": len(part)}
        design = np.column_stack([np.ones(len(data)), data[regressors].to_numpy()])
        rolling_fit = RollingOLS(data["stock_return"].to_numpy(), design, window=self.window).fit(
            params_only=True
        )
        rolling = pd.DataFrame(
            np.asarray(rolling_fit.params)[:, 1:], index=data.index, columns=regressors
        ).dropna()
        return TermPremiumEquityResults(
            full=full.to_frame(),
            by_era=by_era,
            rolling=rolling,
            correlations=pd.DataFrame(correlation_rows).T.rename_axis("sample"),
            nobs=full.nobs,
        )
