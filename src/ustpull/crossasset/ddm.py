"""The dividend-discount view of the S&P 500 from Shiller's monthly data.

Yields (all percent): dividend yield ``DY = 100 D/P``, earnings yield ``EY = 100 E/P`` (``D``
and ``E`` trailing 12-month, ``P`` the monthly average of closes), real 10-year yield ``r``
and the equity risk premium ``ERP = EY - r``.

Real yield: the 10-year TIPS yield (monthly average of ``us.tips.10y``) where available (from
2003), before that the nominal 10-year yield (Shiller's GS10, percent) minus an inflation proxy:
``"trailing_12m"`` CPI inflation ``100 (CPI_t / CPI_{t-12} - 1)`` (default) or
``"trailing_36m"``, the annualised three-year rate ``100 ((CPI_t / CPI_{t-36})^{1/3} - 1)``.

Price decomposition over a window ``t0 -> t1`` (log points, sums exactly to ``ln P1 - ln P0``)::

    ln P = ln E + ln(P/E),   ln(P/E) = -ln(EY)   and   EY = r + ERP

    d ln P = d ln E                   (earnings: the numerator)
           - d r   / L(EY0, EY1)      (real rate: the denominator)
           - d ERP / L(EY0, EY1)      (risk premium: the denominator)

with ``L(a, b) = (b - a) / (ln b - ln a)`` the logarithmic mean (``L(a, a) = a``). Because
``d EY = d r + d ERP`` and ``d ln EY = d EY / L``, the two parts add up to ``-d ln EY`` exactly;
the split depends only on the end points (path independent), the additive log-mean Divisia
(Sato-Vartia) rule (Ang 2004; Vartia 1976).

Sensitivity (Gordon 1962): ``P = D1 / (r + ERP - g)``, so with the current cash yield
``k = D1 / P`` a change ``dr`` at constant ERP and growth moves the price by
``k / (k + dr) - 1``.

References
----------
Shiller, R. J., *Irrational Exuberance*, data at http://www.econ.yale.edu/~shiller/data.htm.
Ang, B. W. (2004), "Decomposition analysis for policymaking in energy", Energy Policy 32.
Gordon, M. J. (1962), *The Investment, Financing, and Valuation of the Corporation*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import InflationProxy
from ustpull.crossasset.stats import json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "DividendDiscount",
    "DividendDiscountResults",
    "InflationProxy",
    "consistent_real_yield",
    "dividend_discount_identity",
    "gordon_price_change",
    "growth_price_decomposition",
    "log_mean",
    "price_decomposition",
    "real_earnings_growth",
    "smoothed_earnings",
]

_PROXY_MONTHS: dict[str, int] = {"trailing_12m": 12, "trailing_36m": 36}

DECOMPOSITION_PARTS = ("earnings", "real_rate", "risk_premium")


def log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean ``(b - a) / (ln b - ln a)``, ``a`` where ``a == b`` (positive inputs)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    same = np.isclose(a, b, rtol=1e-12, atol=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (b - a) / (np.log(b) - np.log(a))
    return np.where(same, a, mean)


def price_decomposition(
    price: np.ndarray,
    earnings: np.ndarray,
    real_yield: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> dict[str, np.ndarray]:
    """Split ``ln P[end] - ln P[start]`` into earnings, real-rate and risk-premium parts.

    Vectorised over windows: ``start`` and ``end`` are integer positions into the monthly
    arrays. ``real_yield`` is in percent; the earnings yield is ``100 E / P`` and
    ``ERP = EY - r``. Formulas in the module docstring; parts are in log points (decimal).
    """
    p0, p1 = price[start], price[end]
    e0, e1 = earnings[start], earnings[end]
    ey0, ey1 = 100.0 * e0 / p0, 100.0 * e1 / p1
    r0, r1 = real_yield[start], real_yield[end]
    weight = log_mean(ey0, ey1)
    return {
        "total": np.log(p1) - np.log(p0),
        "earnings": np.log(e1) - np.log(e0),
        "real_rate": -(r1 - r0) / weight,
        "risk_premium": -((ey1 - r1) - (ey0 - r0)) / weight,
    }


def gordon_price_change(cash_yield: np.ndarray | float, shock_pp: float = 1.0) -> np.ndarray:
    """Gordon-model price change (decimal) for a rise of ``shock_pp`` pp in the discount rate.

    ``P = D1 / k`` with ``k = r + ERP - g`` (percent); at constant ERP and ``g`` a shock ``s``
    gives ``P'/P - 1 = k / (k + s) - 1``. ``cash_yield`` is the current ``k`` in percent.
    """
    k = np.asarray(cash_yield, dtype=float)
    if np.any(k <= 0.0):
        raise DataError("Gordon sensitivity: the cash yield must be positive")
    return k / (k + shock_pp) - 1.0


class DividendDiscountResults(Results):
    """Yields, the equity risk premium and price decompositions."""

    def __init__(self, yields: pd.DataFrame, proxy: InflationProxy) -> None:
        self._yields = yields
        self._proxy = proxy

    @property
    def yields(self) -> pd.DataFrame:
        """Monthly: price, earnings, dividend_yield, earnings_yield, nominal_yield, real_yield,
        real_yield_source (``"tips"``/``"proxy"``), equity_risk_premium (percent)."""
        return self._yields.copy()

    @property
    def equity_risk_premium(self) -> pd.Series:
        """``EY - r`` in percent."""
        return self._yields["equity_risk_premium"].copy()

    def _positions(self, start: str | pd.Timestamp, end: str | pd.Timestamp) -> tuple[int, int]:
        months = pd.DatetimeIndex(self._yields.index).to_period("M")
        first, last = pd.Period(start, "M"), pd.Period(end, "M")
        if first >= last:
            raise DataError(f"decomposition window {first}..{last} is empty")
        found = []
        for month in (first, last):
            hits = np.flatnonzero(months == month)
            if not len(hits):
                raise DataError(
                    f"decomposition: no complete Shiller data (price, earnings, real yield) for "
                    f"{month} (available {months[0]}..{months[-1]})"
                )
            found.append(int(hits[0]))
        return found[0], found[1]

    def decompose(self, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.Series:
        """Log price change from month ``start`` to month ``end`` split into its parts.

        Returns a Series with ``total``, ``earnings``, ``real_rate``, ``risk_premium`` (log
        points), the residual (zero up to rounding) and the end-point yields.
        """
        i, j = self._positions(start, end)
        table = self.decompose_many(np.array([i]), np.array([j]))
        return table.iloc[0]

    def decompose_many(self, start: np.ndarray, end: np.ndarray) -> pd.DataFrame:
        """Decompositions for many windows at once (positions into :attr:`yields`)."""
        frame = self._yields
        parts = price_decomposition(
            frame["price"].to_numpy(),
            frame["earnings"].to_numpy(),
            frame["real_yield"].to_numpy(),
            start,
            end,
        )
        table = pd.DataFrame(parts)
        table["residual"] = table["total"] - table[list(DECOMPOSITION_PARTS)].sum(axis=1)
        index = pd.DatetimeIndex(frame.index)
        table.insert(0, "start", index[start].to_period("M").astype(str))
        table.insert(1, "end", index[end].to_period("M").astype(str))
        for column in ("real_yield", "equity_risk_premium", "earnings_yield"):
            table[f"{column}_start"] = frame[column].to_numpy()[start]
            table[f"{column}_end"] = frame[column].to_numpy()[end]
        return table

    def calendar_years(self) -> pd.DataFrame:
        """Decomposition of every complete calendar year (December to December)."""
        index = pd.DatetimeIndex(self._yields.index)
        december = np.flatnonzero(index.month == 12)
        consecutive = np.diff(index.year[december]) == 1
        start, end = december[:-1][consecutive], december[1:][consecutive]
        table = self.decompose_many(start, end)
        table.index = pd.Index(index.year[end], name="year")
        return table

    def sensitivity(self, shock_pp: float = 1.0) -> pd.DataFrame:
        """Gordon price change for ``+shock_pp`` in the 10-year yield, latest month.

        Two cash yields: the dividend yield (dividends only) and the earnings yield (all
        earnings paid out or reinvested at ``r + ERP``); the truth lies between when buybacks
        matter. Implied duration = ``100 / k`` years.
        """
        latest = self._yields.iloc[-1]
        rows = {}
        for name in ("dividend_yield", "earnings_yield"):
            k = float(latest[name])
            rows[name] = {
                "month": f"{self._yields.index[-1]:%Y-%m}",
                "cash_yield_pct": k,
                "shock_pp": shock_pp,
                "price_change_pct": 100.0 * float(gordon_price_change(k, shock_pp)),
                "duration_years": 100.0 / k,
            }
        return pd.DataFrame(rows).T.rename_axis("basis")

    def summary(self) -> str:
        """Latest yields and the last calendar years' decomposition."""
        latest = self._yields.iloc[-1]
        lines = [
            f"Dividend-discount view (Shiller monthly; real yield: TIPS from 2003, before GS10 "
            f"minus {self._proxy} CPI inflation), latest {self._yields.index[-1]:%Y-%m}:",
            f"  dividend yield {latest['dividend_yield']:.2f}%, earnings yield "
            f"{latest['earnings_yield']:.2f}%, real 10y {latest['real_yield']:.2f}%, "
            f"ERP {latest['equity_risk_premium']:.2f}%",
            "Calendar-year log price change and its parts:",
            self.calendar_years().tail(6)[["total", *DECOMPOSITION_PARTS]].round(4).to_string(),
            "Gordon sensitivity:",
            self.sensitivity().to_string(),
        ]
        return "\n".join(lines)

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.charts.ddm_yields_chart`
        (``figure()`` draws it with plotly, :meth:`plot` with matplotlib)."""
        from ustpull.crossasset.charts import ddm_yields_chart

        return ddm_yields_chart(self)

    def plot(self) -> Figure:
        """Earnings yield, real yield and equity risk premium (one chart definition:
        :func:`~ustpull.crossasset.charts.ddm_yields_chart`)."""
        from ustpull.charts import figure
        from ustpull.crossasset.charts import ddm_yields_chart

        return figure(ddm_yields_chart(self))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables."""
        return {
            "inflation_proxy": self._proxy,
            "yields": json_records(self._yields),
            "calendar_years": json_records(self.calendar_years()),
            "sensitivity": json_records(self.sensitivity()),
        }


class DividendDiscount:
    """Dividend-discount view from Shiller's monthly price, dividends, earnings, CPI and GS10.

    Parameters
    ----------
    shiller
        Monthly frame with columns ``price``, ``dividend``, ``earnings``, ``cpi``, ``gs10``
        (Shiller's P, D, E, CPI, GS10).
    tips_10y
        Optional 10-year TIPS yield (percent, daily or monthly); its monthly average replaces
        the proxy wherever it exists.
    inflation_proxy
        ``"trailing_12m"`` or ``"trailing_36m"`` CPI inflation (module docstring).
    real_yield
        Optional monthly real 10-year yield from :func:`consistent_real_yield` (period index,
        columns ``real_yield`` and ``source``): used instead of the unadjusted splice, so a
        window across 2003 books no level gap as a real-rate move.
    """

    def __init__(
        self,
        shiller: pd.DataFrame,
        *,
        tips_10y: pd.Series | None = None,
        inflation_proxy: InflationProxy = "trailing_12m",
        real_yield: pd.DataFrame | None = None,
    ) -> None:
        missing = {"price", "dividend", "earnings", "cpi", "gs10"} - set(shiller.columns)
        if missing:
            raise DataError(f"Shiller frame lacks columns {sorted(missing)}")
        if inflation_proxy not in _PROXY_MONTHS:
            raise DataError(
                f"inflation_proxy must be one of {sorted(_PROXY_MONTHS)}, got {inflation_proxy!r}"
            )
        self.shiller = shiller
        self.tips_10y = tips_10y
        self.inflation_proxy: InflationProxy = inflation_proxy
        self.real_yield = real_yield

    def _real_yield(self, data: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """Real yield and its source on the months of ``data``."""
        months = pd.DatetimeIndex(data.index).to_period("M")
        if self.real_yield is not None:
            given = self.real_yield.reindex(months)
            return (
                pd.Series(given["real_yield"].to_numpy(dtype=float), index=data.index),
                pd.Series(given["source"].to_numpy(dtype=object), index=data.index),
            )
        proxy_months = _PROXY_MONTHS[self.inflation_proxy]
        cpi = self.shiller["cpi"].dropna()
        inflation = 100.0 * ((cpi / cpi.shift(proxy_months)) ** (12.0 / proxy_months) - 1.0)
        real = data["gs10"] - inflation.reindex(data.index)
        source = pd.Series("proxy", index=data.index, dtype=object)
        if self.tips_10y is not None:
            tips = self.tips_10y.dropna()
            monthly_tips = tips.groupby(pd.DatetimeIndex(tips.index).to_period("M")).mean()
            tips_on_months = monthly_tips.reindex(months)
            has_tips = tips_on_months.notna().to_numpy()
            real.loc[has_tips] = tips_on_months.to_numpy()[has_tips]
            source.loc[has_tips] = "tips"
        return real, source

    def fit(self) -> DividendDiscountResults:
        """Compute the yields and the equity risk premium on every complete month."""
        data = self.shiller[["price", "dividend", "earnings", "cpi", "gs10"]].dropna()
        for column in ("price", "dividend", "earnings", "cpi"):
            bad = data[column] <= 0.0
            if bad.any():
                position = int(np.flatnonzero(bad.to_numpy())[0])
                date, value = data.index[position], float(data[column].to_numpy()[position])
                raise DataError(f"Shiller {column} is not positive on {date:%Y-%m}: {value!r}")
        real, source = self._real_yield(data)
        yields = pd.DataFrame(
            {
                "price": data["price"],
                "earnings": data["earnings"],
                "dividend_yield": 100.0 * data["dividend"] / data["price"],
                "earnings_yield": 100.0 * data["earnings"] / data["price"],
                "nominal_yield": data["gs10"],
                "real_yield": real,
                "real_yield_source": source,
            }
        ).dropna(subset=["real_yield"])
        yields["equity_risk_premium"] = yields["earnings_yield"] - yields["real_yield"]
        if len(yields) < 2:
            raise DataError("dividend-discount view: fewer than two complete months")
        return DividendDiscountResults(yields.rename_axis("date"), self.inflation_proxy)


# ---------------------------------------------------------------------------------------------
# Consistent real rate, smoothed earnings and the growth term (issue 16)
# ---------------------------------------------------------------------------------------------


def _monthly(series: pd.Series) -> pd.Series:
    """Monthly average of a daily or monthly series, indexed by month period."""
    clean = series.dropna().astype(float)
    return clean.groupby(pd.DatetimeIndex(clean.index).to_period("M")).mean()


def consistent_real_yield(
    nominal_10y: pd.Series,
    cpi: pd.Series,
    tips_10y: pd.Series,
    *,
    inflation_months: int = 36,
    publication_lag: int = 1,
    splice_months: int = 24,
) -> pd.DataFrame:
    """One monthly real 10-year yield: TIPS where they exist, before them a level-matched proxy.

    Proxy (ex ante, known at the time): the nominal 10-year yield minus expected inflation,
    taken as the annualised CPI inflation of the ``inflation_months`` months ending
    ``publication_lag`` months earlier (CPI for month m is published in month m+1):

    .. math:: r^{proxy}_t = y_t - 100 \\big[(CPI_{t-L} / CPI_{t-L-k})^{12/k} - 1\\big]

    The TIPS yield (``DFII10``, monthly average, from 2003-01) replaces the proxy wherever it
    exists. The proxy is shifted by the mean gap ``TIPS - proxy`` over the first
    ``splice_months`` TIPS months, so the series has no level jump at the splice and a window
    across 2003 does not book the gap as a real-rate move. All in percent.

    Returns
    -------
    DataFrame
        Monthly (period index): ``real_yield``, ``source`` (``"tips"`` / ``"proxy"``),
        ``proxy_unadjusted``, ``expected_inflation``; ``attrs["splice_adjustment"]`` holds the
        level shift in percentage points.

    Raises
    ------
    DataError
        The TIPS and the proxy share fewer than ``splice_months`` months.
    """
    nominal = _monthly(nominal_10y)
    tips = _monthly(tips_10y)
    index_level = _monthly(cpi)
    lagged = index_level.shift(publication_lag, freq="M")
    expected = 100.0 * (
        (lagged / lagged.shift(inflation_months, freq="M")) ** (12.0 / inflation_months) - 1.0
    )
    proxy = (nominal - expected.reindex(nominal.index)).dropna()
    overlap = proxy.index.intersection(tips.index)[:splice_months]
    if len(overlap) < splice_months:
        raise DataError(
            f"consistent_real_yield: TIPS and the proxy share {len(overlap)} months, "
            f"need {splice_months} to match levels"
        )
    adjustment = float((tips.loc[overlap] - proxy.loc[overlap]).mean())
    first_tips = tips.index[0]
    before = proxy.loc[proxy.index < first_tips] + adjustment
    real = pd.concat([before, tips]).sort_index()
    frame = pd.DataFrame(
        {
            "real_yield": real,
            "source": np.where(real.index < first_tips, "proxy", "tips"),
            "proxy_unadjusted": proxy.reindex(real.index),
            "expected_inflation": expected.reindex(real.index),
        }
    ).rename_axis("month")
    frame.attrs["splice_adjustment"] = adjustment
    return frame


def smoothed_earnings(earnings: pd.Series, cpi: pd.Series, *, years: int = 10) -> pd.Series:
    """Ten-year average of real earnings in today's dollars (the CAPE denominator, Shiller).

    .. math:: \\bar E_t = CPI_t \\cdot \\frac{1}{12 Y} \\sum_{s=t-12Y+1}^{t} E_s / CPI_s

    Monthly inputs (trailing 12-month earnings ``E`` and the CPI, same index); the first
    ``12 Y - 1`` months are missing. A smoothed yield ``E10/P`` does not collapse when one
    year's earnings do (GAAP earnings fell about 90% in 2008-09).
    """
    window = 12 * years
    data = pd.concat([earnings.rename("e"), cpi.rename("cpi")], axis=1, sort=True).dropna()
    real = data["e"] / data["cpi"]
    return (data["cpi"] * real.rolling(window).mean()).rename(f"earnings_{years}y_avg")


def real_earnings_growth(
    earnings: pd.Series, cpi: pd.Series, *, years: int = 20, smoothing_years: int = 10
) -> pd.Series:
    """Trend real earnings growth ``g`` (percent a year), from data up to each month.

    ``g_t = 100 [ln(Ebar_t / CPI_t) - ln(Ebar_{t-12Y} / CPI_{t-12Y})] / Y`` with ``Ebar`` the
    :func:`smoothed_earnings`: the annualised log growth of ten-year-average real earnings
    over the past ``Y = 20`` years. Long windows because ``g`` is a long-run expectation.
    """
    smooth = smoothed_earnings(earnings, cpi, years=smoothing_years)
    ratio = smooth / cpi.reindex(smooth.index)
    real = pd.Series(np.log(ratio.to_numpy(dtype=float)), index=ratio.index)
    return (100.0 * (real - real.shift(12 * years)) / years).rename("real_earnings_growth")


def dividend_discount_identity(
    earnings_yield: pd.Series, real_yield: pd.Series, growth: pd.Series | float
) -> pd.DataFrame:
    """Split the earnings yield by ``E/P = r + ERP - g``; the ERP is the residual.

    All in percent. ``growth`` is the expected real growth of earnings (e.g.
    :func:`real_earnings_growth`, or a constant). With a growth term the ERP is no longer
    ``E/P - r``: ``ERP = E/P - r + g``. The ERP is the part the identity solves for, not an
    observation, so a change in it must be reported as the residual of the identity.

    Returns
    -------
    DataFrame
        ``earnings_yield``, ``real_yield``, ``growth``, ``equity_risk_premium`` on common
        months; ``attrs["residual"] = "equity_risk_premium"``.
    """
    if isinstance(growth, int | float):
        growth = pd.Series(float(growth), index=earnings_yield.index)
    frame = pd.concat(
        [
            earnings_yield.rename("earnings_yield"),
            real_yield.rename("real_yield"),
            growth.rename("growth"),
        ],
        axis=1,
        sort=True,
    ).dropna()
    if frame.empty:
        raise DataError("dividend_discount_identity: the inputs share no month")
    frame["equity_risk_premium"] = frame["earnings_yield"] - frame["real_yield"] + frame["growth"]
    frame.attrs["residual"] = "equity_risk_premium"
    return frame


def growth_price_decomposition(
    price: np.ndarray,
    earnings: np.ndarray,
    real_yield: np.ndarray,
    growth: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> dict[str, np.ndarray]:
    """:func:`price_decomposition` with a growth term: ``E/P = r + ERP - g``.

    With ``EY = 100 E / P`` (percent; ``E`` trailing or smoothed earnings) and ``L`` the
    logarithmic mean of the end-point earnings yields::

        d ln P = d ln E  -  d r / L  +  d g / L  -  d ERP / L,   ERP = EY - r + g

    The four parts add up to ``ln P1 - ln P0`` exactly; ``risk_premium`` is the residual of
    the identity (whatever earnings, the real rate and growth leave), not an observation.
    ``real_yield`` and ``growth`` in percent; parts in log points (decimal).
    """
    parts = price_decomposition(price, earnings, real_yield, start, end)
    ey0 = 100.0 * earnings[start] / price[start]
    ey1 = 100.0 * earnings[end] / price[end]
    weight = log_mean(ey0, ey1)
    growth_part = (growth[end] - growth[start]) / weight
    parts["growth"] = growth_part
    parts["risk_premium"] = parts["risk_premium"] - growth_part
    return parts
