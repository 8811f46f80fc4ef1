"""Which data and which curve-building recipe each country's ACM estimate uses (a table).

ACM need zero yields at every monthly maturity 1..120. Each country's published curve is
turned into that grid by one of three recipes:

* ``"gsw_parameters"`` (U.S.): the complete daily GSW Nelson-Siegel-Svensson parameter
  history (:func:`ustpull.curves.gsw.gsw_parameter_history`: published parameters, NSS
  fitted to the published zero yields where they are missing) evaluated at n/12 years;
* ``"nss_zero"``: an NS or NSS curve fitted to published zero yields on each date
  (:class:`ustpull.curves.nss.NelsonSiegelSvensson`, ``basis="zero"``), evaluated;
* ``"nss_par"``: an NS or NSS curve fitted to par yields (``basis="par"``, semiannual
  bond-equivalent) and evaluated as zero yields (par -> zero through the fitted curve).

Yields quoted with annual compounding are first converted to continuous compounding,
``100 ln(1 + y/100)``; annual-coupon par yields (Bunds) are converted to their semiannual
bond-equivalent, ``200 ((1 + y/100)^(1/2) - 1)`` (exact for a flat curve, an approximation
otherwise). Dates whose curve cannot be fitted (too few quotes, or an RMSE above the row's
``max_fit_rmse_bp``) before the first or after the last fitted date are trimmed; gaps inside
the sample are an error naming the dates.

Not in the table yet: Germany (Bund par yields at 1..30y: the NS par fits of the curves layer
fail on 176 month-ends), Japan (MoF par curve: some par fits end with RMSE near 1,000 bp) and
Switzerland (SNB spot yields at 2, 5, 10, 20y only: an NS curve through them extrapolates to
one-month yields of thousands of percent). Each needs a robust par -> zero conversion or
short-end data first: with no quote under one or two years the one-month rate, and with it
the term premium, is set by the curve's extrapolation. A Nelson-Siegel curve with a fixed
decay (Diebold-Li) is stable but the answer then hinges on the assumed decay: the Swiss
10-year premium averages -2.35 % with tau = 1 year and +1.06 % with tau = 3 years.

The short rate is the curve's one-month yield, except in the U.S., where the Treasury
one-month bill (``us.cmt.1m``) is used from 2001-07-31 (see
:func:`ustpull.termpremium.inputs.spliced_short_rate`): with the bill the NY Fed's published
10-year term premium (vintage 2025-07, 12 check dates 1965-2025) is reproduced within 6.1 bp
at every date (root mean square gap 3.2 bp); with the GSW curve's one-month yield throughout
the gaps reach 21.1 bp (rms 14.6 bp), ours below theirs at every date from 2007 on, because
GSW's extrapolation to one month sits above the bill rate. Alternatives tried (on an earlier
build of the same input, where this default had rms 3.8 bp): the GSW 2- or
3-month yield before 2001 (rms 9.6 / 13.7 bp), the 3-month CMT bill from 1981 (rms 4.9 bp),
the "simple" bill conversion (rms 3.9 bp), a zero VAR intercept (rms 3.9 bp), estimation
samples ending 2025-06 or 2025-07 (rms 3.8 / 4.3 bp).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from ustpull.errors import DataError, FitError
from ustpull.sources.vocabulary import tenor_token, tenor_years
from ustpull.termpremium.acm import ACM, ACMResults, Decomposition
from ustpull.termpremium.bands import TermPremiumBands
from ustpull.termpremium.inputs import month_end, spliced_short_rate

CurveRecipe = Literal["gsw_parameters", "nss_zero", "nss_par"]
Compounding = Literal["continuous", "semiannual", "annual"]
Frequency = Literal["monthly", "daily"]

GSW_PARAMETERS: tuple[str, ...] = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")


@dataclass(frozen=True)
class CountryCurve:
    """One row of the country table.

    Attributes
    ----------
    code, name
        ISO-like code (``US``, ``EA``, ...) and a readable name.
    recipe
        How zero yields at monthly maturities are built (module docstring).
    yield_ids
        Series ids of the published yields (zero or par), in maturity order.
    compounding
        How those yields are quoted.
    model
        ``"nss"`` (six parameters) or ``"ns"`` (four, for curves with few maturities).
    parameter_ids
        GSW parameter ids (``gsw_parameters`` recipe only).
    bill_id
        One-month bill yield (bond-equivalent) spliced into the short rate, if any.
    max_fit_rmse_bp
        Fitted curves further than this from a date's quotes (RMSE, bp) are not used.
    """

    code: str
    name: str
    recipe: CurveRecipe
    yield_ids: tuple[str, ...]
    compounding: Compounding
    model: Literal["nss", "ns"] = "nss"
    parameter_ids: tuple[str, ...] = ()
    bill_id: str | None = None
    max_fit_rmse_bp: float = 10.0

    @property
    def series_ids(self) -> list[str]:
        """Every id to load for this country."""
        bill = [self.bill_id] if self.bill_id else []
        return [*self.yield_ids, *self.parameter_ids, *bill]


def _ids(template: str, tenors: Sequence[str]) -> tuple[str, ...]:
    return tuple(template.format(tenor=tenor) for tenor in tenors)


_YEARS_1_30 = tuple(f"{n}y" for n in range(1, 31))

COUNTRIES: Mapping[str, CountryCurve] = MappingProxyType(
    {
        "US": CountryCurve(
            "US",
            "United States (GSW Treasury curve)",
            "gsw_parameters",
            _ids("us.gsw.zero.{tenor}", _YEARS_1_30),
            "continuous",
            parameter_ids=_ids("us.gsw.{tenor}", GSW_PARAMETERS),
            bill_id="us.cmt.1m",
        ),
        "EA": CountryCurve(
            "EA",
            "Euro area (ECB AAA spot curve)",
            "nss_zero",
            _ids("ea.aaa.zero.{tenor}", _YEARS_1_30),
            "continuous",
        ),
        "AU": CountryCurve(
            "AU",
            "Australia (RBA zero-coupon curve)",
            "nss_zero",
            _ids("au.rba.zero.{tenor}", tuple(tenor_token(m) for m in range(3, 121, 3))),
            "annual",
        ),
    }
)


def country_curve(code: str) -> CountryCurve:
    """The table row of ``code`` (case-insensitive)."""
    try:
        return COUNTRIES[code.upper()]
    except KeyError:
        known = ", ".join(COUNTRIES)
        raise DataError(f"no term-premium recipe for country {code!r}; known: {known}") from None


def zero_yields(
    curve: CountryCurve, data: pd.DataFrame, *, max_maturity: int = 120
) -> pd.DataFrame:
    """Zero yields (percent, continuously compounded) at maturities 1..max_maturity months.

    Parameters
    ----------
    curve : CountryCurve
        The country's row of :data:`COUNTRIES`.
    data : DataFrame
        The series of ``curve.series_ids`` (e.g. from
        :func:`ustpull.sources.local.load_frame`), one row per date.

    Returns
    -------
    DataFrame
        One row per date on which the curve could be built, integer columns 1..max_maturity.
    """
    missing = [series for series in curve.series_ids if series not in data.columns]
    if missing:
        raise DataError(f"{curve.code} curve needs series {missing}, not in the data")
    years = np.arange(1, max_maturity + 1) / 12.0
    if curve.recipe == "gsw_parameters":
        params = _gsw_parameters(curve, data)
    else:
        params = _fitted_parameters(curve, data)
    from ustpull.curves.nss import nss_zero_yield

    values = nss_zero_yield(params.to_numpy(dtype=np.float64), years)
    frame = pd.DataFrame(
        values, index=params.index, columns=pd.Index(range(1, max_maturity + 1), name="maturity")
    )
    return _trimmed(frame, curve.code)


def _gsw_parameters(curve: CountryCurve, data: pd.DataFrame) -> pd.DataFrame:
    from ustpull.curves.gsw import gsw_parameter_history

    published = data.loc[:, list(curve.yield_ids + curve.parameter_ids)].dropna(how="all")
    history = gsw_parameter_history(
        published.loc[:, list(curve.yield_ids)], published.loc[:, list(curve.parameter_ids)]
    )
    return history.loc[:, list(GSW_PARAMETERS)]


def _fitted_parameters(curve: CountryCurve, data: pd.DataFrame) -> pd.DataFrame:
    from ustpull.curves.nss import NelsonSiegelSvensson

    quotes = data.loc[:, list(curve.yield_ids)].dropna(how="all")
    if quotes.empty:
        raise DataError(f"no {curve.code} yields in the data ({curve.yield_ids[0]}, ...)")
    if curve.compounding == "annual" and curve.recipe == "nss_zero":
        quotes = quotes.apply(lambda column: 100.0 * np.log1p(column / 100.0))
    elif curve.compounding == "annual":
        quotes = quotes.apply(lambda column: 200.0 * (np.sqrt(1.0 + column / 100.0) - 1.0))
    basis: Literal["zero", "par"] = "zero" if curve.recipe == "nss_zero" else "par"
    maturities = [tenor_years(series.rsplit(".", 1)[-1]) for series in curve.yield_ids]
    fit = NelsonSiegelSvensson(quotes, model=curve.model, basis=basis, maturities=maturities).fit()
    # a date counts as fitted when its curve is within max_fit_rmse_bp of the quotes, whether
    # or not the optimiser flagged convergence (a few RBA dates stop at the iteration limit
    # with RMSE below 1.5 bp)
    usable = fit.rmse_bp <= curve.max_fit_rmse_bp
    return fit.params.loc[:, list(GSW_PARAMETERS)].where(usable, axis=0)


def _trimmed(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Drop leading and trailing dates without a curve; interior gaps are an error."""
    complete = np.isfinite(frame.to_numpy()).all(axis=1)
    if not complete.any():
        raise FitError(f"no date with a complete {code} curve")
    first, last = np.flatnonzero(complete)[[0, -1]]
    inside = frame.iloc[first : last + 1]
    holes = inside.index[~complete[first : last + 1]]
    if len(holes):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in holes[:5])
        raise FitError(f"{code} curve could not be built on {len(holes)} dates: {shown}")
    return inside


@dataclass(frozen=True)
class CountryTermPremium:
    """A country's ACM estimate and its decomposition on the requested dates.

    ``results`` holds the monthly estimation; ``decomposition`` the yields, risk-neutral
    yields and term premium on the output dates (month-ends, or every day for daily output);
    ``bands`` the bootstrap bands when requested.
    """

    country: CountryCurve
    results: ACMResults
    decomposition: Decomposition
    bands: TermPremiumBands | None

    def to_frame(self, years: Sequence[int] = tuple(range(1, 11))) -> pd.DataFrame:
        """``yield_{n}y``, ``risk_neutral_{n}y``, ``term_premium_{n}y`` (percent) by date.

        With bands, ``term_premium_{n}y_lower`` and ``_upper`` follow each term premium.
        """
        months = [12 * n for n in years]
        parts: dict[str, pd.Series] = {}
        for n, m in zip(years, months, strict=True):
            parts[f"yield_{n}y"] = self.decomposition.fitted_yields[m]
            parts[f"risk_neutral_{n}y"] = self.decomposition.risk_neutral_yields[m]
            parts[f"term_premium_{n}y"] = self.decomposition.term_premium[m]
            if self.bands is not None and m in self.bands.lower.columns:
                parts[f"term_premium_{n}y_lower"] = self.bands.lower[m]
                parts[f"term_premium_{n}y_upper"] = self.bands.upper[m]
        frame = pd.DataFrame(parts)
        frame.index.name = "date"
        return frame


def country_term_premium(
    code: str,
    data: pd.DataFrame,
    *,
    freq: Frequency = "monthly",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    bands: bool = False,
    replications: int = 1000,
    seed: int = 0,
    executor: Executor | None = None,
    model_options: Mapping[str, Any] | None = None,
) -> CountryTermPremium:
    """Estimate ACM for a country from its loaded series.

    The model is estimated on month-end curves between ``start`` and ``end``; daily output
    applies the monthly estimates to every day's curve (the NY Fed's daily series).

    Parameters
    ----------
    code : str
        A key of :data:`COUNTRIES`.
    data : DataFrame
        The country's ``series_ids`` by date (e.g. ``load_frame(curve.series_ids, dir)``).
    freq : {"monthly", "daily"}
        Output dates.
    start, end : date-like, optional
        Sample limits (inclusive).
    bands : bool
        Add bootstrap bands (``replications`` replications, seeded by ``seed``, run on
        ``executor``).
    model_options : mapping, optional
        Keyword options of :class:`~ustpull.termpremium.acm.ACM` (e.g. ``var_bias="pope"``,
        ``eigenvalue_cap=0.995``, ``n_factors=3``); the short rate comes from the table.
    """
    curve = country_curve(code)
    window = data.loc[start:end]
    if window.empty:
        raise DataError(f"no {curve.code} data between {start} and {end}")
    if freq == "monthly":
        curve_rows = window.loc[:, list(curve.yield_ids + curve.parameter_ids)]
        window = window.loc[month_end(curve_rows).index]
    daily = zero_yields(curve, window)
    monthly = month_end(daily)
    bill = window[curve.bill_id] if curve.bill_id else None
    short_rate = spliced_short_rate(monthly[1], bill)
    results = ACM(monthly, short_rate=short_rate, **dict(model_options or {})).fit()
    decomposition = results.project(daily) if freq == "daily" else results.project(monthly)
    band = None
    if bands:
        band = results.bands(
            replications,
            maturities=tuple(range(12, 121, 12)),
            seed=seed,
            executor=executor,
            yields=daily if freq == "daily" else None,
        )
    return CountryTermPremium(curve, results, decomposition, band)
