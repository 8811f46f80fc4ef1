"""The 60/40 portfolio: monthly rebalanced S&P 500 total return and 10-year Treasury total return.

Returns are simple monthly returns (decimal) between month-end observations. Month-end levels,
not monthly averages: averaging a month's daily closes (Shiller's ``P``, FRED's ``GS10``) smooths
the series, which lowers the measured volatility (S&P 500 1962-2025: 12.3% a year from Shiller
``P`` against 14.7% from month-end closes), adds spurious lag-1 autocorrelation (0.22 against
0.02), inflates Sharpe ratios and understates drawdowns (Working, 1960, "Note on the correlation
of first differences of averages in a random chain", Econometrica 28(4)).

* stocks: ``R_t = (P_t + D_t / 12) / P_{t-1} - 1`` with ``P`` the last S&P 500 close of the month
  and ``D_t`` Shiller's dividend of month ``t`` (an annual rate, so ``D_t / 12`` is the month's
  dividend) (Shiller, *Irrational Exuberance*, data notes, with his monthly-average price
  replaced by the month-end close) (:func:`month_end_total_returns`);
* bonds: a constant-maturity 10-year par bond, bought at par at the end of month ``t-1`` with
  coupon ``c = y_{t-1}`` (the month-end 10-year CMT yield) and repriced at the end of month
  ``t`` at ``y_t`` as a bond ``h`` years shorter, ``h`` the actual days between the two
  month-ends / 365.25 (:func:`par_bond_returns`: full price, semiannual bond-equivalent
  discounting with fractional periods, so accrued coupon counts as income);
* risk-free: the bill yield of the previous month ``y_{t-1} / 1200`` (3-month CMT, bond-equivalent
  percent; the caller splices the effective fed funds rate before 1981-09).

Month-ends are the last observation of each month (:func:`complete_month_ends`); a final month
whose last observation falls before that month's last business day is incomplete and dropped, so a
return never spans a part of a month.

Portfolio: ``R^p_t = w R^s_t + (1 - w) R^b_t`` (rebalanced to ``w`` every month). Rolling
statistics over ``window`` months: annualised geometric return, annualised volatility
``sqrt(12) sd``, Sharpe ratio ``12 mean(R - R^f) / (sqrt(12) sd(R - R^f))``, maximum drawdown of
the wealth index, and the diversification benefit ``w sd_s + (1-w) sd_b - sd_p`` (annualised),
zero when stocks and bonds are perfectly correlated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.stats import align, json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "PortfolioResults",
    "SixtyForty",
    "complete_month_ends",
    "max_drawdown",
    "month_end_par_bond_returns",
    "month_end_total_returns",
    "par_bond_duration",
    "par_bond_returns",
    "risk_free_monthly",
    "rolling_max_drawdown",
    "total_returns_from_dividends",
]

MONTHS_PER_YEAR = 12

PandasT = TypeVar("PandasT", pd.Series, pd.DataFrame)

PORTFOLIO_ERAS: tuple[tuple[str, str | None, str | None], ...] = (
    ("start-1999", None, "1999-12-31"),
    ("2000-2007", "2000-01-01", "2007-12-31"),
    ("2008-2019", "2008-01-01", "2019-12-31"),
    ("2020-latest", "2020-01-01", None),
)
"""Eras of :meth:`PortfolioResults.performance_by_era` (those of the correlation table)."""


def complete_month_ends(data: PandasT) -> PandasT:
    """The last row of each month, without an incomplete final month.

    The final month is kept only when its last row is dated on or after that month's last
    business day (:class:`pandas.offsets.BMonthEnd`, Monday to Friday); a sample that ends on
    2025-10-03 thus ends with September. A market holiday on the last weekday of the final month
    (a Good Friday month-end) drops that month too; months inside the sample are always kept.

    Parameters
    ----------
    data
        Series or DataFrame on a sorted DatetimeIndex (pass the rows you want sampled, e.g. the
        common trading days of two markets).

    Raises
    ------
    DataError
        No complete month.
    """
    index = pd.DatetimeIndex(data.index)
    month_end = data.loc[~index.to_period("M").duplicated(keep="last")]
    if len(month_end):
        last = pd.Timestamp(month_end.index[-1])
        if last.normalize() < pd.offsets.BMonthEnd().rollforward(last.normalize()):
            month_end = month_end.iloc[:-1]
    if month_end.empty:
        raise DataError(
            f"month-ends: no complete month in {len(data)} rows"
            + (f" ({index[0]:%Y-%m-%d}..{index[-1]:%Y-%m-%d})" if len(index) else "")
        )
    return month_end


def _by_month(series: pd.Series, name: str) -> pd.Series:
    """The series on a monthly PeriodIndex (the last value of each month)."""
    clean = series.dropna()
    periods = pd.DatetimeIndex(clean.index).to_period("M")
    keep = ~periods.duplicated(keep="last")
    return pd.Series(clean.to_numpy()[keep], index=periods[keep], name=name)


def total_returns_from_dividends(price: pd.Series, dividend: pd.Series) -> pd.Series:
    """Monthly total return ``(P_t + D_t / 12) / P_{t-1} - 1`` (decimal).

    ``price`` and ``dividend`` (an annual rate) are matched by calendar month, whatever day of the
    month they are dated; ``P_{t-1}`` is the price of the previous calendar month, so a month
    missing from either series yields no return rather than a two-month one. Indexed by the first
    day of month ``t``.

    Raises
    ------
    DataError
        A zero or negative price, or a negative dividend (named with its month).
    """
    data = pd.concat(
        [_by_month(price, "price"), _by_month(dividend, "dividend")], axis=1, join="inner"
    ).sort_index()
    for column, bad in (("price", data["price"] <= 0.0), ("dividend", data["dividend"] < 0.0)):
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            month, value = data.index[position], float(data[column].to_numpy()[position])
            raise DataError(
                f"total return: {column} {value!r} on {month.to_timestamp():%Y-%m-%d} is invalid"
            )
    previous = _by_month(price, "price").shift(1, freq="M").reindex(data.index)
    returns = ((data["price"] + data["dividend"] / MONTHS_PER_YEAR) / previous - 1.0).dropna()
    returns.index = pd.PeriodIndex(returns.index).to_timestamp()
    return returns.rename("stocks").rename_axis("date")


def month_end_total_returns(close: pd.Series, dividend: pd.Series) -> pd.Series:
    """Monthly total return from month-end closes and a monthly dividend rate (decimal).

    ``R_t = (P_t + D_t / 12) / P_{t-1} - 1`` with ``P`` the last close of each complete month
    (:func:`complete_month_ends`; e.g. ``us.sp500``) and ``D_t`` the annual dividend rate of
    month ``t`` (e.g. ``us.shiller.dividend``); see :func:`total_returns_from_dividends`.
    """
    return total_returns_from_dividends(complete_month_ends(close.dropna()), dividend)


def month_end_par_bond_returns(yields: pd.Series, *, maturity: float = 10.0) -> pd.Series:
    """Monthly total return of a constant-maturity par bond from month-end yields (decimal).

    :func:`par_bond_returns` between the last yields of consecutive complete months
    (:func:`complete_month_ends`; e.g. the daily ``us.cmt.10y``), held for the actual days
    between them (ACT/365.25). Indexed by the month-end date of ``t``.
    """
    month_end = complete_month_ends(yields.dropna())
    periods = pd.DatetimeIndex(month_end.index).to_period("M")
    if (np.diff(periods.asi8) != 1).any():
        gap = int(np.flatnonzero(np.diff(periods.asi8) != 1)[0])
        raise DataError(
            f"month-end par bond returns: {yields.name or 'the yields'} skip from "
            f"{periods[gap]} to {periods[gap + 1]}"
        )
    return par_bond_returns(month_end, maturity=maturity, holding_years=None)


def par_bond_returns(
    yields: pd.Series,
    *,
    maturity: float = 10.0,
    holding_years: float | None = 1.0 / MONTHS_PER_YEAR,
) -> pd.Series:
    """One-period total return of a constant-maturity par bond from its yields (decimal).

    A par bond bought at ``t-1`` pays coupon ``c = y_{t-1}`` (percent per year, semiannual). At
    ``t`` it has ``m = maturity - h`` left and its full price at yield ``y_t``
    (bond-equivalent) is

    .. math:: P_t = \\sum_{k} \\frac{c/2}{(1 + y_t/200)^{2 (m - k/2)}}
              + \\frac{100}{(1 + y_t/200)^{2 m}}, \\quad m - k/2 > 0

    so ``R_t = P_t / 100 - 1`` (no coupon is paid within a holding period under six months).
    ``holding_years`` is ``h``; ``None`` takes it from the dates, ACT/365.25 (daily data).
    """
    observed = yields.dropna()
    if (observed <= -100.0).any():
        raise DataError("par bond returns: a yield at or below -100% cannot be discounted")
    if holding_years is None:
        days = np.diff(pd.DatetimeIndex(observed.index).to_numpy()).astype("timedelta64[D]")
        holding = days.astype(np.float64) / 365.25
    else:
        holding = np.full(len(observed) - 1, holding_years)
    remaining = maturity - holding
    if np.any(remaining <= 0.0):
        raise DataError(f"par bond returns: holding periods reach the {maturity}-year maturity")
    coupon_times = remaining[:, None] - 0.5 * np.arange(math.ceil(2 * float(remaining.max())))
    coupon = observed.to_numpy()[:-1]
    growth = 1.0 + observed.to_numpy()[1:] / 200.0
    discount = np.where(coupon_times > 0.0, growth[:, None] ** (-2.0 * coupon_times), 0.0)
    price = (coupon / 2.0) * discount.sum(axis=1) + 100.0 * growth ** (-2.0 * remaining)
    return pd.Series(price / 100.0 - 1.0, index=observed.index[1:], name="bonds")


def par_bond_duration(yields: np.ndarray, *, maturity: float = 10.0) -> np.ndarray:
    """Modified duration (years) of a par bond, semiannual coupons, yield in percent.

    ``D = (1 - (1 + y/2)^{-2n}) / y`` with ``y`` decimal (Fabozzi, *Bond Markets*, the
    closed form for a bond priced at par); ``n`` as ``y -> 0``.
    """
    y = np.asarray(yields, dtype=float) / 100.0
    small = np.abs(y) < 1e-10
    safe = np.where(small, 1.0, y)
    return np.where(small, maturity, (1.0 - (1.0 + safe / 2.0) ** (-2.0 * maturity)) / safe)


def risk_free_monthly(bill_yield: pd.Series, fallback_yield: pd.Series | None = None) -> pd.Series:
    """Monthly risk-free return: last month's average yield ``/ 1200`` (decimal).

    Indexed by the first day of the month the return is earned in.

    ``bill_yield`` (e.g. the 3-month CMT, daily or monthly, percent) is averaged by month;
    ``fallback_yield`` (e.g. effective fed funds) fills months before the bill series starts.
    """

    def monthly(series: pd.Series) -> pd.Series:
        clean = series.dropna()
        return clean.groupby(pd.DatetimeIndex(clean.index).to_period("M")).mean()

    rate = monthly(bill_yield)
    if fallback_yield is not None:
        fallback = monthly(fallback_yield)
        rate = pd.concat([fallback.loc[fallback.index < rate.index[0]], rate])
    monthly_return = (rate.shift(1) / 1200.0).iloc[1:].rename("risk_free")
    monthly_return.index = pd.PeriodIndex(monthly_return.index).to_timestamp()
    return monthly_return.rename_axis("date")


def rolling_max_drawdown(returns: pd.Series, window: int) -> pd.Series:
    """Maximum drawdown inside each trailing ``window`` of returns (decimal, vectorised).

    The wealth at the start of the window counts as a peak, as in :func:`max_drawdown`.
    """
    log_wealth = np.concatenate([[0.0], np.cumsum(np.log1p(returns.to_numpy(dtype=float)))])
    if len(log_wealth) <= window:
        raise DataError(f"rolling drawdown: {len(returns)} returns, window of {window}")
    spans = np.lib.stride_tricks.sliding_window_view(log_wealth, window + 1)
    drawdown = np.expm1(spans - np.maximum.accumulate(spans, axis=1)).min(axis=1)
    return pd.Series(drawdown, index=returns.index[window - 1 :], name=returns.name)


def max_drawdown(returns: pd.Series | pd.DataFrame) -> pd.Series:
    """Maximum drawdown ``min_t (W_t / max_{s<=t} W_s - 1)`` of wealth ``W = prod(1 + R)``."""
    frame = returns.to_frame() if isinstance(returns, pd.Series) else returns
    wealth = (1.0 + frame).cumprod()
    peak = np.maximum(wealth.cummax(), 1.0)  # the start (wealth 1) is a peak too
    return (wealth / peak - 1.0).min()


class PortfolioResults(Results):
    """Monthly returns, performance tables and rolling statistics of 60/40 vs stocks."""

    def __init__(self, returns: pd.DataFrame, *, stock_weight: float, window: int) -> None:
        self._returns = returns
        self._weight = stock_weight
        self._window = window

    @property
    def returns(self) -> pd.DataFrame:
        """Monthly simple returns: stocks, bonds, portfolio, risk_free (decimal)."""
        return self._returns.copy()

    @property
    def wealth(self) -> pd.DataFrame:
        """Growth of 1 in stocks, bonds and the portfolio."""
        return (1.0 + self._returns[["stocks", "bonds", "portfolio"]]).cumprod()

    def performance(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Annualised return, volatility, Sharpe ratio and maximum drawdown (percent, ratio)."""
        data = self._returns.loc[start:end]
        if len(data) < 2:
            raise DataError(f"performance: fewer than two months between {start} and {end}")
        rows = {}
        for name in ("portfolio", "stocks", "bonds"):
            excess = data[name] - data["risk_free"]
            volatility = data[name].std() * np.sqrt(MONTHS_PER_YEAR)
            rows[name] = {
                "annual_return_pct": 100.0
                * (np.exp(np.log1p(data[name]).mean() * MONTHS_PER_YEAR) - 1.0),
                "volatility_pct": 100.0 * volatility,
                "sharpe": excess.mean()
                * MONTHS_PER_YEAR
                / (excess.std() * np.sqrt(MONTHS_PER_YEAR)),
                "max_drawdown_pct": 100.0 * float(max_drawdown(data[name]).iloc[0]),
                "months": len(data),
            }
        return pd.DataFrame(rows).T.rename_axis("strategy")

    def performance_by_era(
        self, eras: Sequence[tuple[str, str | None, str | None]] = PORTFOLIO_ERAS
    ) -> pd.DataFrame:
        """:meth:`performance` for each (label, first, last) era, stacked."""
        tables = {
            label: self.performance(start, end)
            for label, start, end in eras
            if len(self._returns.loc[start:end]) >= 2
        }
        return pd.concat(tables, names=["era"])

    def rolling(self) -> pd.DataFrame:
        """Rolling ``window``-month statistics (annualised, percent) and stock-bond correlation."""
        window = self._window
        data = self._returns
        log_growth = data[["portfolio", "stocks"]].apply(np.log1p)
        annual = 100.0 * ((log_growth.rolling(window).mean() * MONTHS_PER_YEAR).apply(np.exp) - 1.0)
        sd = data[["portfolio", "stocks", "bonds"]].rolling(window).std() * np.sqrt(MONTHS_PER_YEAR)
        excess = data[["portfolio", "stocks"]].sub(data["risk_free"], axis=0)
        sharpe = (
            excess.rolling(window).mean()
            * MONTHS_PER_YEAR
            / (excess.rolling(window).std() * np.sqrt(MONTHS_PER_YEAR))
        )
        weighted = self._weight * sd["stocks"] + (1.0 - self._weight) * sd["bonds"]
        table = pd.DataFrame(
            {
                "return_portfolio_pct": annual["portfolio"],
                "return_stocks_pct": annual["stocks"],
                "volatility_portfolio_pct": 100.0 * sd["portfolio"],
                "volatility_stocks_pct": 100.0 * sd["stocks"],
                "sharpe_portfolio": sharpe["portfolio"],
                "sharpe_stocks": sharpe["stocks"],
                "max_drawdown_portfolio_pct": 100.0
                * rolling_max_drawdown(data["portfolio"], window),
                "max_drawdown_stocks_pct": 100.0 * rolling_max_drawdown(data["stocks"], window),
                "stock_bond_correlation": data["stocks"].rolling(window).corr(data["bonds"]),
                "diversification_benefit_pct": 100.0 * (weighted - sd["portfolio"]),
            }
        )
        return table.iloc[window - 1 :]

    def summary(self) -> str:
        """Full-sample performance and the last rolling values."""
        latest = self.rolling().iloc[-1]
        return "\n".join(
            [
                f"{round(100 * self._weight)}/{round(100 * (1 - self._weight))} vs 100% stocks, "
                f"monthly, {self._returns.index[0]:%Y-%m}..{self._returns.index[-1]:%Y-%m}",
                self.performance().round(3).to_string(),
                "By era:",
                self.performance_by_era().round(3).to_string(),
                f"Latest {self._window}-month window:",
                latest.round(3).to_string(),
            ]
        )

    @property
    def stock_weight(self) -> float:
        """Stock weight of the portfolio."""
        return self._weight

    @property
    def window(self) -> int:
        """Rolling window, months."""
        return self._window

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.charts.sharpe_chart`
        (``figure()`` draws it with plotly, :meth:`plot` with matplotlib)."""
        from ustpull.crossasset.charts import sharpe_chart

        return sharpe_chart(self)

    def plot(self) -> Figure:
        """Rolling Sharpe ratios (:func:`~ustpull.crossasset.charts.sharpe_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import sharpe_chart

        return figure(sharpe_chart(self))

    def sharpe_intervals(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """95% Lo (2002) intervals (``sharpe_ci_low``, ``sharpe_ci_high``) of the Sharpe
        ratios of :meth:`performance` over the same months
        (:func:`~ustpull.crossasset.stocks_sharpe.sharpe_interval`: i.i.d. monthly returns,
        Student-t critical value); NaN with fewer than three months."""
        from ustpull.crossasset.stocks_sharpe import sharpe_interval

        data = self._returns.loc[start:end]
        rows = {}
        for name in ("portfolio", "stocks", "bonds"):
            try:
                fit = sharpe_interval(data[name] - data["risk_free"])
            except DataError:
                fit = {"ci_low": np.nan, "ci_high": np.nan}
            rows[name] = {"sharpe_ci_low": fit["ci_low"], "sharpe_ci_high": fit["ci_high"]}
        return pd.DataFrame(rows).T.rename_axis("strategy")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables; each Sharpe ratio with its 95% interval
        (:meth:`sharpe_intervals`)."""
        by_era = {
            label: self.performance(start, end).join(self.sharpe_intervals(start, end))
            for label, start, end in PORTFOLIO_ERAS
            if len(self._returns.loc[start:end]) >= 2
        }
        return {
            "stock_weight": self._weight,
            "window_months": self._window,
            "performance": json_records(self.performance().join(self.sharpe_intervals())),
            "performance_by_era": json_records(pd.concat(by_era, names=["era"])),
            "rolling": json_records(self.rolling().rename_axis("date")),
        }


class SixtyForty:
    """A monthly rebalanced stock/bond portfolio against 100% stocks.

    Parameters
    ----------
    stock_returns, bond_returns, risk_free
        Monthly simple returns (decimal), indexed by month (any day in the month).
    stock_weight
        ``w`` (0.6).
    window
        Rolling window in months (36).
    """

    def __init__(
        self,
        stock_returns: pd.Series,
        bond_returns: pd.Series,
        risk_free: pd.Series,
        *,
        stock_weight: float = 0.6,
        window: int = 36,
    ) -> None:
        if not 0.0 <= stock_weight <= 1.0:
            raise DataError(f"stock_weight must be in [0, 1], got {stock_weight}")
        self.stock_returns = stock_returns
        self.bond_returns = bond_returns
        self.risk_free = risk_free
        self.stock_weight = stock_weight
        self.window = window

    def fit(self) -> PortfolioResults:
        """Build the portfolio on the common months."""

        def by_month(series: pd.Series, name: str) -> pd.Series:
            clean = series.dropna()
            index = pd.DatetimeIndex(clean.index).to_period("M").to_timestamp()
            return pd.Series(clean.to_numpy(), index=index, name=name)

        data = align(
            by_month(self.stock_returns, "stocks"),
            by_month(self.bond_returns, "bonds"),
            by_month(self.risk_free, "risk_free"),
        )
        if len(data) <= self.window:
            raise DataError(
                f"60/40: {len(data)} common months, not more than the window of {self.window}"
            )
        data.insert(
            2,
            "portfolio",
            self.stock_weight * data["stocks"] + (1.0 - self.stock_weight) * data["bonds"],
        )
        return PortfolioResults(
            data.rename_axis("date"), stock_weight=self.stock_weight, window=self.window
        )
