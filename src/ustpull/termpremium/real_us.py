"""U.S. inputs of the joint nominal-real model: the TIPS real zero curve and inflation accrual.

Real curve, month-ends, maturities 23..120 months (percent, continuously compounded):

* where the Federal Reserve Board's GSW TIPS curve parameters (FEDS 2008-05, ids
  ``us.gsw.tips.beta0..tau2``) exist on the month-end, their NSS curve;
* else a Nelson-Siegel level-and-slope curve fitted by least squares to the TIPS
  constant-maturity yields at 5, 7 and 10 years (``us.tips.{5,7,10}y``, DFII; the 5-year is
  ``us.cmt.5y - us.breakeven.5y`` where DFII5 is missing, which is FRED's definition of
  T5YIE), with the decay fixed at :data:`TIPS_DECAY_YEARS` (the median ``TAU1`` of the
  published GSW TIPS parameters 2022-10..2025-10). Two or three quotes carry no curvature,
  hence two free parameters; the semiannual par yields are converted to continuous
  compounding, ``200 ln(1 + y/200)``, and used as zero yields (the coupon effect is a few bp
  at these maturities). Months with fewer than two quotes are dropped.

Inflation accrual (percent per month): TIPS principal follows the reference CPI, the CPI-U
of three months earlier for the first of a month, so the accrual over month t (end of t-1 to
end of t) is ``100 ln(CPI_{t-2} / CPI_{t-3})``. The seasonally adjusted CPI (``us.cpi``,
CPIAUCSL) stands in for the unadjusted index TIPS use (the seasonal pattern adds noise to
monthly TIPS returns, not bias over a year).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ustpull.conventions import to_continuous
from ustpull.curves.nss import nss_zero_yield
from ustpull.errors import DataError
from ustpull.termpremium.inputs import value_in_month
from ustpull.termpremium.real import NominalRealACM, NominalRealResults

GSW_TIPS_PARAMETER_IDS: tuple[str, ...] = tuple(
    f"us.gsw.tips.{name}" for name in ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")
)
TIPS_CMT_IDS: tuple[str, ...] = ("us.tips.5y", "us.tips.7y", "us.tips.10y")
TIPS_CMT_YEARS = np.array([5.0, 7.0, 10.0])
#: Decay (years) of the Nelson-Siegel curve fitted to TIPS CMT yields (module docstring).
TIPS_DECAY_YEARS = 1.86
REAL_INPUT_IDS: tuple[str, ...] = (
    *GSW_TIPS_PARAMETER_IDS,
    *TIPS_CMT_IDS,
    "us.breakeven.5y",
    "us.cmt.5y",
    "us.cpi",
)


def _slope_loading(years: np.ndarray) -> np.ndarray:
    x = years / TIPS_DECAY_YEARS
    return np.asarray((1.0 - np.exp(-x)) / x, dtype=np.float64)


def tips_cmt_curve(quotes: pd.DataFrame, months: Sequence[int]) -> pd.DataFrame:
    """Level-and-slope Nelson-Siegel zero curve fitted to TIPS CMT quotes (module docstring).

    ``quotes`` has columns for 5, 7 and 10 years (percent, semiannual par), one row per date;
    rows with fewer than two quotes come back NaN.
    """
    continuous = to_continuous(quotes.to_numpy(dtype=np.float64), "semiannual")
    present = np.isfinite(continuous)
    design = np.column_stack([np.ones(3), _slope_loading(TIPS_CMT_YEARS)])
    params = np.full((len(quotes), 6), np.nan)
    for pattern in np.unique(present, axis=0):  # at most 8 layouts, not dates
        rows = (present == pattern).all(axis=1)
        if pattern.sum() < 2:
            continue
        betas, *_ = np.linalg.lstsq(design[pattern], continuous[np.ix_(rows, pattern)].T)
        params[rows, 0:2] = betas.T
    params[:, 2:4] = 0.0
    params[:, 4] = TIPS_DECAY_YEARS
    usable = np.isfinite(params[:, 0])
    values = np.full((len(quotes), len(months)), np.nan)
    years = np.asarray(months, dtype=np.float64) / 12.0
    values[usable] = nss_zero_yield(params[usable], years)
    return pd.DataFrame(values, index=quotes.index, columns=pd.Index(list(months)))


def us_real_zero_yields(
    data: pd.DataFrame, dates: pd.DatetimeIndex, months: Sequence[int] = tuple(range(23, 121))
) -> pd.DataFrame:
    """TIPS real zero yields on ``dates`` (month-ends) at ``months``; ``attrs["source"]`` says
    ``"gsw_tips"`` or ``"tips_cmt"`` per date (NaN rows where neither exists)."""
    missing = [i for i in REAL_INPUT_IDS if i not in data.columns]
    if missing:
        raise DataError(f"the real curve needs series {missing}, not in the data")
    params = np.column_stack([value_in_month(data[i], dates) for i in GSW_TIPS_PARAMETER_IDS])
    has_gsw = np.isfinite(params[:, [0, 1, 2, 4]]).all(axis=1)
    params[:, 3] = np.where(np.isfinite(params[:, 5]), params[:, 3], 0.0)
    quotes = pd.DataFrame(
        {
            years: value_in_month(data[i], dates)
            for years, i in zip((5, 7, 10), TIPS_CMT_IDS, strict=True)
        },
        index=dates,
    )
    implied = value_in_month(data["us.cmt.5y"], dates) - value_in_month(
        data["us.breakeven.5y"], dates
    )
    quotes[5] = quotes[5].fillna(pd.Series(implied, index=dates))
    values = tips_cmt_curve(quotes, months).to_numpy().copy()
    if has_gsw.any():
        years = np.asarray(months, dtype=np.float64) / 12.0
        values[has_gsw] = nss_zero_yield(params[has_gsw], years)
    frame = pd.DataFrame(values, index=dates, columns=pd.Index(list(months), name="maturity"))
    source = np.where(has_gsw, "gsw_tips", np.where(np.isfinite(values[:, 0]), "tips_cmt", ""))
    frame.attrs["source"] = pd.Series(source, index=dates, name="source")
    return frame


def tips_inflation_accrual(cpi: pd.Series, dates: pd.DatetimeIndex) -> pd.Series:
    """``100 ln(CPI_{t-2} / CPI_{t-3})`` for each month-end t of ``dates`` (module docstring)."""
    clean = cpi.dropna()
    monthly = pd.Series(
        clean.to_numpy(dtype=np.float64), index=pd.DatetimeIndex(clean.index).to_period("M")
    )
    months = dates.to_period("M")
    lagged = monthly.reindex(months - 2).to_numpy()
    earlier = monthly.reindex(months - 3).to_numpy()
    return pd.Series(100.0 * np.log(lagged / earlier), index=dates, name="inflation")


__all__ = [
    "GSW_TIPS_PARAMETER_IDS",
    "REAL_INPUT_IDS",
    "TIPS_CMT_IDS",
    "TIPS_DECAY_YEARS",
    "tips_cmt_curve",
    "tips_inflation_accrual",
    "us_nominal_real",
    "us_real_zero_yields",
]


def us_nominal_real(
    data: pd.DataFrame,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    liquidity: pd.DataFrame | None = None,
    liquidity_ids: Sequence[str] = (),
    n_nominal: int = 5,
    n_real: int = 2,
) -> NominalRealResults:
    """The joint nominal-real model on U.S. month-ends where a real curve exists.

    Nominal zero yields and the short rate are those of ``country_term_premium("US", ...)``
    (GSW curve, short rates by the book); the real curve and the inflation accrual follow the
    module docstring. ``data`` holds ``country_curve("US").series_ids`` and
    :data:`REAL_INPUT_IDS`. The sample starts at the first month-end with a real curve
    (2003-01 with the shared data) unless ``start`` is later. Liquidity factors are either
    ``liquidity`` (a frame on the model's month-ends) or the series ``liquidity_ids`` of
    ``data`` (their last value in each month); months without them are dropped.
    """
    from ustpull.termpremium.countries import country_curve, usable_rows, zero_yields
    from ustpull.termpremium.inputs import month_end, short_rate

    curve = country_curve("US")
    window = data.loc[start:end]
    rows = window.loc[usable_rows(curve, window), curve.curve_ids]
    if rows.empty:
        raise DataError(f"no U.S. curve data between {start or 'the start'} and {end or 'the end'}")
    month_ends = month_end(rows).index
    nominal = month_end(zero_yields(curve, window.loc[month_ends]))
    dates = pd.DatetimeIndex(nominal.index)
    real = us_real_zero_yields(window, dates)
    inflation = tips_inflation_accrual(data["us.cpi"], dates)
    if liquidity_ids:
        liquidity = pd.DataFrame(
            {i: value_in_month(data[i], dates) for i in liquidity_ids}, index=dates
        )
    complete = np.isfinite(real.to_numpy()).all(axis=1) & np.isfinite(inflation.to_numpy())
    if liquidity is not None:
        complete &= np.isfinite(liquidity.reindex(dates).to_numpy()).all(axis=1)
    if not complete.any():
        raise DataError("no U.S. month-end with both a real curve and CPI")
    first, last = np.flatnonzero(complete)[[0, -1]]
    keep = slice(first, last + 1)
    nominal, real, inflation = nominal.iloc[keep], real.iloc[keep], inflation.iloc[keep]
    rate = short_rate(nominal, window, curve.short_rates, country="US")
    return NominalRealACM(
        nominal,
        real,
        inflation,
        short_rate=rate,
        liquidity=liquidity,
        n_nominal=n_nominal,
        n_real=n_real,
    ).fit()
