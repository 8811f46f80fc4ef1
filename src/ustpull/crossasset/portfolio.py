"""The 60/40 portfolio: monthly rebalanced S&P 500 total return and 10-year Treasury total return.

Returns are simple monthly returns (decimal):

* stocks, Shiller's convention: ``R_t = (P_t + D_t / 12) / P_{t-1} - 1`` with ``P`` the monthly
  price and ``D`` the trailing 12-month dividend (annual rate) (Shiller, *Irrational
  Exuberance*, data notes);
* bonds: a constant-maturity 10-year par bond, bought at par at the end of month ``t-1`` with
  coupon ``c = y_{t-1}`` and repriced a month later at ``y_t`` as a ``10 - 1/12``-year bond
  (:func:`par_bond_returns`: full price, semiannual bond-equivalent discounting with
  fractional periods, so accrued coupon counts as income);
* risk-free: the bill yield of the previous month ``y_{t-1} / 1200`` (3-month CMT, bond-equivalent
  percent; the caller splices the effective fed funds rate before 1981-09).

Portfolio: ``R^p_t = w R^s_t + (1 - w) R^b_t`` (rebalanced to ``w`` every month). Rolling
statistics over ``window`` months: annualised geometric return, annualised volatility
``sqrt(12) sd``, Sharpe ratio ``12 mean(R - R^f) / (sqrt(12) sd(R - R^f))``, maximum drawdown of
the wealth index, and the diversification benefit ``w sd_s + (1-w) sd_b - sd_p`` (annualised),
zero when stocks and bonds are perfectly correlated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull.crossasset.stats import align, json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PortfolioResults",
    "SixtyForty",
    "max_drawdown",
    "par_bond_duration",
    "par_bond_returns",
    "risk_free_monthly",
    "rolling_max_drawdown",
    "total_returns_from_dividends",
]

MONTHS_PER_YEAR = 12

PORTFOLIO_ERAS: tuple[tuple[str, str | None, str | None], ...] = (
    ("start-1999", None, "1999-12-31"),
    ("2000-2007", "2000-01-01", "2007-12-31"),
    ("2008-2019", "2008-01-01", "2019-12-31"),
    ("2020-latest", "2020-01-01", None),
)
"""Eras of :meth:`PortfolioResults.performance_by_era` (those of the correlation table)."""


def total_returns_from_dividends(price: pd.Series, dividend: pd.Series) -> pd.Series:
    """Monthly total return ``(P_t + D_t / 12) / P_{t-1} - 1`` (decimal).

    Raises
    ------
    DataError
        A zero or negative price, or a negative dividend (named with its month).
    """
    data = align(price.rename("price"), dividend.rename("dividend"))
    for column, bad in (("price", data["price"] <= 0.0), ("dividend", data["dividend"] < 0.0)):
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            date, value = data.index[position], float(data[column].to_numpy()[position])
            raise DataError(f"total return: {column} {value!r} on {date:%Y-%m-%d} is invalid")
    previous = data["price"].shift(1)
    returns = (data["price"] + data["dividend"] / MONTHS_PER_YEAR) / previous - 1.0
    return returns.iloc[1:].rename("stocks")


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


class PortfolioResults:
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

    def __str__(self) -> str:
        return self.summary()

    def plot(self) -> Figure:
        """Rolling Sharpe ratios, and the diversification benefit against the correlation."""
        import matplotlib.pyplot as plt

        rolling = self.rolling()
        fig, axes = plt.subplots(1, 2, figsize=(12, 4))
        rolling[["sharpe_portfolio", "sharpe_stocks"]].plot(ax=axes[0])
        axes[0].set_title(f"Rolling {self._window}-month Sharpe ratio")
        axes[1].scatter(
            rolling["stock_bond_correlation"], rolling["diversification_benefit_pct"], s=4
        )
        axes[1].set_xlabel("stock-bond correlation")
        axes[1].set_ylabel("diversification benefit (pp of volatility)")
        axes[1].set_title("Diversification benefit vs correlation")
        fig.tight_layout()
        return fig

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables."""
        return {
            "stock_weight": self._weight,
            "window_months": self._window,
            "performance": json_records(self.performance()),
            "performance_by_era": json_records(self.performance_by_era()),
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
