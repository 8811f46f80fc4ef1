"""Which data and which curve-building recipe each country's ACM estimate uses (a table).

ACM need zero yields at every monthly maturity 1..120. Each country's published curve is
turned into that grid by one of five recipes. Three fit a parametric curve:

* ``"gsw_parameters"`` (U.S.): the complete daily GSW Nelson-Siegel-Svensson parameter
  history (:func:`ustpull.curves.gsw.gsw_parameter_history`: published parameters, NSS
  fitted to the published zero yields where they are missing) evaluated at n/12 years;
* ``"nss_zero"``: an NS or NSS curve fitted to published zero yields on each date
  (:class:`ustpull.curves.nss.NelsonSiegelSvensson`, ``basis="zero"``), evaluated;
* ``"nss_par"``: an NS or NSS curve fitted to par yields (``basis="par"``, semiannual
  bond-equivalent) and evaluated as zero yields (par -> zero through the fitted curve).

Two grid recipes build curves from few quotes without a parametric extrapolation:

* ``"par_bootstrap"`` (Germany, Japan): par yields are turned into zero yields exactly with
  :func:`ustpull.curves.zero_curve.par_to_zero` (par yields linear in maturity on the
  coupon grid, every coupon bond repriced at par, ``ln D`` read between the grid nodes with
  the row's ``interpolation``). Japanese par yields are semiannual (the bootstrap's own
  convention). Bund par yields carry annual coupons; an annual bond of maturity ``T`` is a
  semiannual bond of maturity ``T/2`` on a clock running at half speed with twice the
  per-period coupon, so the bootstrap runs on ``(T/2, 2c)`` and zero yields come back as
  ``z(T) = z'(T/2) / 2``: the annual recursion
  ``D(k) = (1 - c_k sum_{j<k} D(j)) / (1 + c_k)`` exactly, no conversion of the quotes;
* ``"zero_interpolation"`` (Switzerland): published zero yields (annual compounding,
  converted to continuous) are interpolated in ``ln D`` with the row's ``interpolation``.

Both stop at the first quoted maturity: with ``short_end="flat"`` the zero yields at 1 month
up to that maturity repeat it (the 1-year zero in Germany and Japan, the 2-year in
Switzerland) and a :class:`~ustpull.errors.ShortEndWarning` says so. Japan's and
Switzerland's short rate is the OECD call money rate (FRED ``IRSTCI01JPM156N`` and
``IRSTCI01CHM156N``: ``oecd.call.jp``, ``oecd.call.ch``, monthly averages; yen call rate
act/365, franc act/360) when the store holds it: it is fetched online and no shared file has
it, so these rows are ``optional`` (:attr:`CountryCurve.optional_ids`), and months it does
not cover take the first quote, warned. Without it (offline) the model's short rate is that
first yield (the stated fallback), so the risk-neutral path starts from the 1- or 2-year
yield: the term premium is the premium over rolling 1- (2-) year bonds, and whatever premium
the 1- (2-) year yield holds over expected one-month rates is counted as expected short rate
(a premium in money-market maturities lowers the measured 10-year premium by about that
amount). Germany's short rate is the euro overnight rate (as the euro area's, below). For
such rows the ACM factors use maturities from the first quote to 120 months and the excess
returns the NY Fed's maturities from the first quote on (``CountryCurve.acm_options``).
Germany and Switzerland, with four and three quotes up to 10 years, use three factors, Japan
four: with five, the fourth and fifth components are the interpolation's wiggles and the
late-1980s kinks of the JGB curve (8-year par yield 70 bp above the 7-year in 1988), the
risk-neutral recursion explodes and the 10-year pricing errors reach hundreds of basis
points (Germany: millions). A date is used when it has the shortest quote and one at 10
years or beyond (a mask: Bund rows on weekends and holidays lack the 1-year yield); interior
maturities missing on a date (Bund 20- and 30-year before 1996 and 1994, JGB 15- to 40-year
before issuance) drop out of that date's bootstrap, one pass per distinct missing-data
layout. Samples: Germany from 2000-04 (the 1-year Bund is quoted from 1994-02 but missing
from 1999-01 to 2000-03; a 2-year anchor instead would change the short-rate proxy in mid-
sample), Japan from 1986-07 (the first 10-year JGB quote; before it the curve ends at 9
years), Switzerland from 1988-01.

For the NSS recipes, yields quoted with annual compounding are first converted to
continuous compounding, ``100 ln(1 + y/100)``; annual-coupon par yields are converted to
their semiannual bond-equivalent, ``200 ((1 + y/100)^(1/2) - 1)`` (exact for a flat curve,
an approximation otherwise). Dates whose curve cannot be fitted (too few quotes, or an RMSE
above the row's ``max_fit_rmse_bp``) before the first or after the last fitted date are
trimmed; gaps inside the sample are an error naming the dates. NS par fits to the Bund and
JGB par yields and NS fits to the four SNB spot yields extrapolate to one-month yields of
thousands of percent on some dates, hence the grid recipes.

Short rates by the book (the row's ``short_rates``,
:func:`ustpull.termpremium.inputs.short_rate`; quote conventions in
:mod:`ustpull.termpremium.inputs`; the U.S. options in :data:`US_SHORT_RATE_OPTIONS`). U.S.
(default ``"cmt_bills"``): the Treasury's constant-maturity bill yields, the series the Federal
Reserve's H.15 quotes on a bond-equivalent basis: the 1-month (``us.cmt.1m``, DGS1MO) from
2001-07-31; before it the 3-month (``us.cmt.3m``, DGS3MO, from 1981-09-01) sets the level of
the GSW curve at 3 months and GSW's own 1-3 month slope carries it to one month (no 1-month
yield is published before 2001); before 1981-09 the GSW one-month yield, with a
:class:`~ustpull.errors.ShortEndWarning`. ACM (Adrian, Crump and Moench 2013, Journal of
Financial Economics 110) price one-month holding-period excess returns over the one-month rate,
so the short rate must be the rate of the same Treasury curve at one month; the GSW curve is
fitted to notes and bonds only (Gurkaynak, Sack and Wright 2007, Journal of Monetary Economics
54: bills are excluded), and a secondary-market bill rate measured against it carries the
bill's own convenience and scarcity premium into the measured term premium. That premium was
largest before 1981 (DTB3 sits 15-23 bp below the GSW 3-month yield on average in each decade
from the 1960s to the 1980s, consistent with bills as the savers' substitute for deposits under
Regulation Q ceilings), and there the GSW 1-3 month slope is not measured either (GSW's 1-month
yield is 86 bp above its 3-month on average in the 1960s). From 1981-09 the discount (DTB3) and
bond-equivalent (DGS3MO) 3-month quotes give the same continuous rate to 0.6 bp on average, so
the two bill conventions differ only before 1981-09. Euro area and Germany: the overnight rate,
euro STR from 2019-10, EONIA's monthly average before it (act/360 -> continuous); months
without either take the curve's one-month yield with a warning (none in the shared data's
samples). Australia: the curve (the RBA zero curve starts at 3 months and no cash-rate series
is in the data).

Fidelity to the NY Fed's published term premia (``ACMTermPremium.xls``, sheet ``ACM Monthly``,
columns ``ACMTP10`` x 12 and ``ACMTP02`` x 6 month-ends, vintage 2025-07:
:data:`ustpull.termpremium.published.NYFED_ACM_CHECKS`), root mean square gap, sample
1961-06..2025-09 (targets of issue 17: 3 bp at 10 years, 6 bp at 2):

=====================================================  =======  =======  ======
U.S. short rate (``US_SHORT_RATE_OPTIONS``)            10-year  2-year   all 18
=====================================================  =======  =======  ======
``cmt_bills`` (default)                                3.0 bp   8.2 bp   5.3 bp
``discount_bills`` (previous default)                  7.7 bp   5.3 bp   7.0 bp
``curve_before_2001``                                  3.7 bp   11.1 bp  7.1 bp
``bill_3m_direct``                                     13.4 bp  13.3 bp  13.4 bp
``french_rf``                                          26.1 bp  22.1 bp  24.8 bp
GSW 1-month yield throughout (ACM's own curve)         15.0 bp  19.1 bp  16.5 bp
=====================================================  =======  =======  ======

No option meets both targets, and neither does any one-change variant of the default tried
(``tests/termpremium/test_real_us.py``, same curves):

=====================================================  =======  =======
variant of ``cmt_bills``                               10-year  2-year
=====================================================  =======  =======
sample from 1962-01 / to 2025-06                       3.0/3.3  9.0/8.3
excess returns at 12..120 by 12 / 3..120 by 3 months   3.3/3.2  7.0/8.6
factors from 1..120 months / on a 3-month grid         2.4/2.9  8.9/7.8
K = 4 / K = 6 factors                                  5.6/3.3  9.1/10.7
1-month CMT bill read semiannually (the old reading)   2.8      7.8
before 1981-09: GSW 2-month yield                      6.6      5.5
before 1981-09: GSW 1-month minus 10 bp / 15 bp        4.6/5.9  5.9/5.3
before 1981-09: 0.6 GSW 1-month + 0.4 DTB3 with slope  4.2      6.1
DTB3 with GSW slope before 1971-08, GSW to 1981-08     3.3      5.7
=====================================================  =======  =======

Why: the level of the short rate before 1981 sets the sample mean of the short rate, hence
the risk-neutral path at every date. Lowering it (a bill rate instead of GSW's 1-month point)
lifts every premium: it closes the 1975-03 2-year gap (-15.6 bp) and opens the 10-year gaps of
1974-1990 (1981-09: +6.6 bp at the default, +17.3 with ``discount_bills``); the variants with
10y <= 3.0 bp leave the 2-year at 7.8-9.0 bp, those with 2y <= 6 bp leave the 10-year at
3.3-7.7 bp. The 2019-08 2-year gap (-10.7 bp) sits in the DGS1MO period and moves little with
any choice. Before about 1990 GSW's 1-month point is an extrapolation of a curve fitted to
notes and bonds (GSW 1-month minus 3-month: mean +86 bp, standard deviation 226 bp in the
1960s; -22 and 102 bp in the 1970s), so the NY Fed's short rate there cannot be reproduced
from the data here. ``cmt_bills`` stays the default: it meets the 10-year target (3.01 bp),
uses the bill series by the book from 1981-09, and among the options of the table has the
smallest gap over all 18 values; the last row of the variants (4.3 bp over all 18) rests on a
cut date found by searching these 18 values, so it is not adopted. No 1-year or 5-year check
values are in the shared data (the NY Fed file is not there), so those targets are unmeasured
offline; with the published series in the store (``ustpull ingest`` of ``nyfed_acm``),
``ustpull termpremium --compare`` measures every month-end at 1..10 years
(:func:`ustpull.termpremium.published.nyfed_series_gaps`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ustpull._results import Results
from ustpull._typing import Basis, Compounding, CurveModel, CurveRecipe, DailyMonthly, ShortEnd
from ustpull.conventions import series_maturity_years, tenor_token, to_continuous
from ustpull.curves.zero_curve import Interpolation, interpolate_log_discount, par_to_zero
from ustpull.errors import DataError, FitError, SeriesNotFoundError, ShortEndWarning
from ustpull.termpremium import affine
from ustpull.termpremium.acm import ACM, NY_FED_RETURN_MATURITIES, ACMResults, Decomposition
from ustpull.termpremium.affine import FloatArray
from ustpull.termpremium.bands import TermPremiumBands
from ustpull.termpremium.inputs import (
    ONE_MONTH_DAYS,
    QuoteType,
    ShortRateSource,
    month_end,
    short_rate,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ustpull.store import Store

#: Coupons per year of par yields quoted with each compounding (``par_bootstrap``).
COUPONS_PER_YEAR: Mapping[str, int] = MappingProxyType({"annual": 1, "semiannual": 2})

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
    short_rates
        Money-market series giving the model's one-month short rate, in order of preference
        (:func:`ustpull.termpremium.inputs.short_rate`); months none covers use the curve's
        one-month yield, with a warning.
    max_fit_rmse_bp
        Fitted curves further than this from a date's quotes (RMSE, bp) are not used.
    short_end
        ``"curve"``: maturities below the first quote come from the curve;
        ``"flat"``: they repeat the zero yield at the first quoted maturity (module docstring).
    interpolation
        How the grid recipes read ``ln D`` between nodes
        (:mod:`ustpull.curves.zero_curve`).
    n_factors
        Principal components of the country's ACM model.
    first_date
        Default start of the sample when the data have a gap of whole months before it
        (``start=`` overrides it).
    """

    code: str
    name: str
    recipe: CurveRecipe
    yield_ids: tuple[str, ...]
    compounding: Compounding
    model: CurveModel = "nss"
    parameter_ids: tuple[str, ...] = ()
    short_rates: tuple[ShortRateSource, ...] = ()
    max_fit_rmse_bp: float = 10.0
    short_end: ShortEnd = "curve"
    interpolation: Interpolation = "monotone_convex"
    n_factors: int = 5
    first_date: str | None = None

    @property
    def curve_ids(self) -> list[str]:
        """The ids of the published curve (yields, and parameters where used)."""
        return [*self.yield_ids, *self.parameter_ids]

    @property
    def short_rate_ids(self) -> list[str]:
        """The ids of the required short-rate series (absent ones fall back to the curve,
        warned); ``optional`` rows are in :attr:`optional_ids`."""
        return [row.series_id for row in self.short_rates if not row.optional]

    @property
    def optional_ids(self) -> list[str]:
        """Short-rate ids used when the store has them (online-only series, no shared file)."""
        return [row.series_id for row in self.short_rates if row.optional]

    @property
    def series_ids(self) -> list[str]:
        """Every id to load for this country: ``curve_ids`` then ``short_rate_ids``."""
        return [*self.curve_ids, *self.short_rate_ids]

    @property
    def quoted_years(self) -> FloatArray:
        """Maturities (years) of ``yield_ids``."""
        return np.array([series_maturity_years(series) for series in self.yield_ids])

    @property
    def short_end_months(self) -> int:
        """First maturity (months) read from the curve; shorter ones repeat it if ``flat``."""
        if self.short_end == "curve":
            return 1
        return round(12 * float(self.quoted_years.min()))

    @property
    def acm_options(self) -> dict[str, Any]:
        """Keyword options of :class:`~ustpull.termpremium.acm.ACM` for this country.

        Factors come from maturities ``max(3, short_end_months)..120`` and excess returns
        from the NY Fed's maturities from ``short_end_months`` on (on a flat short end the
        shorter bonds only repeat the first quote); for a ``short_end="curve"`` row these
        are the ACM defaults.
        """
        first = self.short_end_months
        return {
            "n_factors": self.n_factors,
            "factor_maturities": tuple(range(max(3, first), 121)),
            "return_maturities": tuple(n for n in NY_FED_RETURN_MATURITIES if n >= first),
        }


def _ids(template: str, tenors: Sequence[str]) -> tuple[str, ...]:
    return tuple(template.format(tenor=tenor) for tenor in tenors)


_YEARS_1_30 = tuple(f"{n}y" for n in range(1, 31))

_US_CMT_1M = ShortRateSource(
    "us.cmt.1m", "bond_equivalent", ONE_MONTH_DAYS, note="1-month CMT bill"
)
#: U.S. short-rate conventions (a table; ``short_rates=US_SHORT_RATE_OPTIONS[name]``), each in
#: order of preference, months none covers taking the GSW one-month yield (warned):
#:
#: * ``"cmt_bills"`` (default): the Treasury's constant-maturity bill yields (H.15,
#:   bond-equivalent): the 1-month (DGS1MO) from 2001-07-31; before it the 3-month (DGS3MO,
#:   from 1981-09-01) fixes the GSW curve's level at 3 months and GSW's 1-3 month slope
#:   carries it to one month; before 1981-09 the GSW one-month yield;
#: * ``"discount_bills"``: the same, with the secondary-market 3-month bill on a discount basis
#:   (DTB3 from 1954, the monthly average TB3MS where a month has no daily quote) before
#:   2001-07 (the default of the previous release);
#: * ``"curve_before_2001"``: the 1-month CMT bill from 2001-07, the GSW one-month yield before;
#: * ``"bill_3m_direct"``: as ``discount_bills`` with the 3-month bill's rate taken as the
#:   one-month rate (no slope);
#: * ``"french_rf"``: Kenneth French's RF (the Ibbotson one-month bill return of the next
#:   month, ``1200 ln(1 + RF/100)``, to 2024-08), the 1-month CMT bill after.
US_SHORT_RATE_OPTIONS: Mapping[str, tuple[ShortRateSource, ...]] = MappingProxyType(
    {
        "cmt_bills": (
            _US_CMT_1M,
            ShortRateSource(
                "us.cmt.3m", "bond_equivalent", 365.0 / 4, "curve_slope", 3, "3-month CMT bill"
            ),
        ),
        "discount_bills": (
            _US_CMT_1M,
            ShortRateSource(
                "us.tbill.3m", "discount", 91.0, "curve_slope", 3, "3-month bill, daily"
            ),
            ShortRateSource(
                "us.tbill.monthly.3m", "discount", 91.0, "curve_slope", 3,
                "3-month bill, monthly average",
            ),
        ),
        "curve_before_2001": (
            _US_CMT_1M,
        ),
        "bill_3m_direct": (
            _US_CMT_1M,
            ShortRateSource("us.tbill.3m", "discount", 91.0, note="3-month bill, daily"),
            ShortRateSource("us.tbill.monthly.3m", "discount", 91.0, note="3-month bill, monthly"),
        ),
        "french_rf": (
            ShortRateSource(
                "us.ff.rf.monthly", "holding_return", ONE_MONTH_DAYS,
                note="French RF (Ibbotson 1-month bill return, next month)", lead_months=1,
            ),
            _US_CMT_1M,
        ),
    }
)  # fmt: skip
#: The default U.S. short rate: ``US_SHORT_RATE_OPTIONS["cmt_bills"]`` (module docstring).
US_SHORT_RATES: tuple[ShortRateSource, ...] = US_SHORT_RATE_OPTIONS["cmt_bills"]
#: Euro area: the overnight rate, €STR from 2019-10, before it EONIA's monthly average (the
#: month's average, not its last day; EONIA = €STR + 8.5 bp from 2019-10 to 2021-12).
EA_SHORT_RATES: tuple[ShortRateSource, ...] = (
    ShortRateSource("ea.estr", "simple_360", 1.0, note="euro short-term rate"),
    ShortRateSource("ea.eonia.monthly", "simple_360", 1.0, note="EONIA, monthly average"),
)


def _oecd_call(country: str, quote: QuoteType) -> ShortRateSource:
    """The OECD call money rate of ``country`` (FRED, monthly average; online only)."""
    return ShortRateSource(
        f"oecd.call.{country}", quote, 1.0, note="OECD call money rate", optional=True
    )


COUNTRIES: Mapping[str, CountryCurve] = MappingProxyType(
    {
        "US": CountryCurve(
            "US",
            "United States (GSW Treasury curve)",
            "gsw_parameters",
            _ids("us.gsw.zero.{tenor}", _YEARS_1_30),
            "continuous",
            parameter_ids=_ids("us.gsw.{tenor}", GSW_PARAMETERS),
            short_rates=US_SHORT_RATES,
        ),
        "EA": CountryCurve(
            "EA",
            "Euro area (ECB AAA spot curve)",
            "nss_zero",
            _ids("ea.aaa.zero.{tenor}", _YEARS_1_30),
            "continuous",
            short_rates=EA_SHORT_RATES,
        ),
        "AU": CountryCurve(
            "AU",
            "Australia (RBA zero-coupon curve)",
            "nss_zero",
            _ids("au.rba.zero.{tenor}", tuple(tenor_token(m) for m in range(3, 121, 3))),
            "annual",
        ),
        "DE": CountryCurve(
            "DE",
            "Germany (Bund benchmark par yields)",
            "par_bootstrap",
            _ids("de.govt.{tenor}", ("1y", "2y", "5y", "10y", "20y", "30y")),
            "annual",
            short_end="flat",
            n_factors=3,
            first_date="2000-04-01",  # no 1-year Bund quote 1999-01 .. 2000-03
            short_rates=EA_SHORT_RATES,
        ),
        "JP": CountryCurve(
            "JP",
            "Japan (MoF JGB par curve)",
            "par_bootstrap",
            _ids("jp.mof.par.{tenor}", tuple(f"{n}y" for n in (*range(1, 11), 15, 20, 25, 30, 40))),
            "semiannual",
            short_end="flat",
            n_factors=4,
            short_rates=(_oecd_call("jp", "simple_365"),),
        ),
        "CH": CountryCurve(
            "CH",
            "Switzerland (SNB Confederation spot yields)",
            "zero_interpolation",
            _ids("ch.snb.zero.{tenor}", ("2y", "5y", "10y", "20y")),
            "annual",
            short_end="flat",
            n_factors=3,
            short_rates=(_oecd_call("ch", "simple_360"),),
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


def stored_optional_series(
    curve: CountryCurve, store: Store | Path | str | None = None
) -> pd.DataFrame:
    """The ``curve.optional_ids`` series the store holds, by date (no columns when none).

    ``store``: a :class:`~ustpull.store.Store` or database path (default the user's store).
    Join them to the loaded ``curve.series_ids`` before :func:`country_term_premium`.
    """
    from ustpull.store import Store, load

    target = store if isinstance(store, Store) else Store(store, read_only=True)
    found = []
    if target.path.exists():
        for series_id in curve.optional_ids:
            try:
                found.append(load([series_id], store=target))
            except SeriesNotFoundError:
                continue
    if not found:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    return pd.concat(found, axis=1).sort_index()


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

    Warns
    -----
    ShortEndWarning
        For rows with ``short_end="flat"``: the yields below the first quote are a proxy.
    """
    missing = [series for series in curve.curve_ids if series not in data.columns]
    if missing:
        raise DataError(f"{curve.code} curve needs series {missing}, not in the data")
    months = np.arange(1, max_maturity + 1, dtype=np.float64)
    values, index = _BUILDERS[curve.recipe](curve, data, months)
    first = curve.short_end_months
    if curve.short_end == "flat":
        # the grid builders return maturities first..max; shorter ones repeat the first
        values = np.column_stack([np.repeat(values[:, :1], first - 1, axis=1), values])
        tenor = tenor_token(first)
        rates = [row.series_id for row in curve.short_rates if row.series_id in data.columns]
        warnings.warn(
            f"{curve.code}: no quote under {tenor}; the zero yields at 1 month to {tenor} "
            f"repeat the {tenor} zero yield"
            + (
                f" (the model's short rate comes from {', '.join(rates)})"
                if rates
                else f", so the model's short rate is the {tenor} yield and the term premium "
                f"is measured over rolling {tenor} bonds (no public overnight or bill rate in "
                "the data: the stated fallback)"
            ),
            ShortEndWarning,
            stacklevel=2,
        )
    frame = pd.DataFrame(
        values, index=index, columns=pd.Index(range(1, max_maturity + 1), name="maturity")
    )
    return _trimmed(frame, curve.code)


def usable_rows(curve: CountryCurve, data: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Dates of ``data`` on which ``curve`` can be built (a boolean mask).

    NSS recipes need any quote (the fit decides); grid recipes need the shortest quoted
    maturity (the short end) and one at 10 years or beyond.
    """
    quotes = data.loc[:, list(curve.yield_ids + curve.parameter_ids)].notna().to_numpy()
    if curve.recipe not in _GRID_RECIPES:
        return np.asarray(quotes.any(axis=1))
    years = curve.quoted_years
    shortest = quotes[:, int(np.argmin(years))]
    return np.asarray(shortest & quotes[:, years >= 10.0].any(axis=1))


def _grid_quotes(curve: CountryCurve, data: pd.DataFrame) -> pd.DataFrame:
    quotes = data.loc[usable_rows(curve, data), list(curve.yield_ids)]
    if quotes.empty:
        raise DataError(
            f"no date with both the shortest ({curve.yield_ids[0]}) and a 10-year or longer "
            f"{curve.code} quote in the data"
        )
    return quotes


def _bootstrapped_zero(
    curve: CountryCurve, data: pd.DataFrame, months: FloatArray
) -> tuple[FloatArray, pd.Index]:
    """Exact par -> zero (module docstring); maturities ``short_end_months..`` only."""
    quotes = _grid_quotes(curve, data)
    coupons = COUPONS_PER_YEAR.get(curve.compounding)
    if coupons is None:
        raise DataError(f"{curve.code}: par yields must be annual or semiannual")
    # an annual bond of maturity T is a semiannual one of maturity T/2 with coupon 2c
    clock = coupons / 2.0
    par = pd.DataFrame(
        quotes.to_numpy(dtype=np.float64) / clock,
        index=quotes.index,
        columns=curve.quoted_years * clock,
    )
    wanted = months[months >= curve.short_end_months] / 12.0
    zero = par_to_zero(par, maturities=wanted * clock, interpolation=curve.interpolation)
    return zero.to_numpy() * clock, quotes.index


def _interpolated_zero(
    curve: CountryCurve, data: pd.DataFrame, months: FloatArray
) -> tuple[FloatArray, pd.Index]:
    """Published zero yields interpolated in ``ln D``; maturities ``short_end_months..``."""
    quotes = _grid_quotes(curve, data)
    years = curve.quoted_years
    continuous = to_continuous(quotes.to_numpy(np.float64), curve.compounding)
    log_discount = -continuous / 100.0 * years
    wanted = months[months >= curve.short_end_months] / 12.0
    zero = np.full((len(quotes), wanted.size), np.nan)
    present = np.isfinite(log_discount)
    layouts, layout_of = np.unique(present, axis=0, return_inverse=True)
    for layout, pattern in enumerate(layouts):  # distinct missing-data layouts, not dates
        rows = layout_of.ravel() == layout
        reach = wanted <= years[pattern].max()
        values, _ = interpolate_log_discount(
            years[pattern],
            log_discount[np.ix_(rows, pattern)],
            wanted[reach][None, :],
            interpolation=curve.interpolation,
        )
        zero[np.ix_(rows, reach)] = -100.0 * values / wanted[reach]
    return zero, quotes.index


def _nss_zero(
    curve: CountryCurve, data: pd.DataFrame, months: FloatArray
) -> tuple[FloatArray, pd.Index]:
    """NSS parameters (published or fitted) evaluated at every maturity."""
    from ustpull.curves.nss import nss_zero_yield

    if curve.recipe == "gsw_parameters":
        params = _gsw_parameters(curve, data)
    else:
        params = _fitted_parameters(curve, data)
    return nss_zero_yield(params.to_numpy(dtype=np.float64), months / 12.0), params.index


_GRID_RECIPES = ("par_bootstrap", "zero_interpolation")
_BUILDERS = {
    "gsw_parameters": _nss_zero,
    "nss_zero": _nss_zero,
    "nss_par": _nss_zero,
    "par_bootstrap": _bootstrapped_zero,
    "zero_interpolation": _interpolated_zero,
}


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
    if curve.recipe == "nss_zero":
        quotes = to_continuous(quotes, curve.compounding)
    elif curve.compounding == "annual":
        quotes = quotes.apply(lambda column: 200.0 * (np.sqrt(1.0 + column / 100.0) - 1.0))
    basis: Basis = "zero" if curve.recipe == "nss_zero" else "par"
    maturities = [series_maturity_years(series) for series in curve.yield_ids]
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
class CountryTermPremium(Results):
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

        With bands, ``term_premium_{n}y_lower`` and ``_upper`` follow each term premium. When
        ``years`` holds 5 and 10, ``term_premium_5y5y`` is the 5-year-5-year forward term
        premium ``2 tp(10y) - tp(5y)`` (percent; :func:`~ustpull.termpremium.affine.forward_rate`).
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
        if 5 in years and 10 in years:
            parts["term_premium_5y5y"] = pd.Series(
                affine.forward_rate(
                    self.decomposition.term_premium[60].to_numpy(),
                    self.decomposition.term_premium[120].to_numpy(),
                    60.0,
                    120.0,
                ),
                index=self.decomposition.term_premium.index,
            )
        frame = pd.DataFrame(parts)
        frame.index.name = "date"
        return frame

    def components(self, years: int = 10) -> pd.DataFrame:
        """``yield``, ``expected_rate`` (risk-neutral yield) and ``term_premium`` at ``years``."""
        return maturity_components(self.to_frame((years,)), years=years)

    def summary(self) -> str:
        """The output dates, the latest 10-year split (percent) and the ACM summary."""
        split = self.components(10).dropna()
        dates = self.decomposition.term_premium.index
        lines = [
            f"{self.country.code} ACM term premium: {len(dates)} dates "
            f"{dates[0]:%Y-%m-%d}..{dates[-1]:%Y-%m-%d}"
            + ("" if self.bands is None else f", {self.bands.confidence:.0%} bootstrap bands"),
        ]
        if not split.empty:
            last = split.iloc[-1]
            lines.append(
                f"10y on {split.index[-1]:%Y-%m-%d}: yield {last['yield']:.2f} % = expected "
                f"{last['expected_rate']:.2f} % + term premium {last['term_premium']:.2f} %"
            )
        return "\n".join([*lines, "", self.results.summary()])


def maturity_components(table: pd.DataFrame, *, years: int = 10) -> pd.DataFrame:
    """One maturity of a :meth:`CountryTermPremium.to_frame` table as named components.

    Returns the columns ``yield``, ``expected_rate`` (the risk-neutral yield: the expected
    average short rate) and ``term_premium``, in percent, on the table's dates.
    """
    names = {
        f"yield_{years}y": "yield",
        f"risk_neutral_{years}y": "expected_rate",
        f"term_premium_{years}y": "term_premium",
    }
    missing = [column for column in names if column not in table.columns]
    if missing:
        raise DataError(f"term-premium table lacks columns {missing}")
    return table[list(names)].rename(columns=names)


def _day(value: str | pd.Timestamp | None, otherwise: str) -> str:
    """A sample limit in words (``otherwise`` when there is none)."""
    return otherwise if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def country_term_premium(
    code: str,
    data: pd.DataFrame,
    *,
    frequency: DailyMonthly = "monthly",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    bands: bool = False,
    replications: int = 1000,
    seed: int = 0,
    executor: Executor | None = None,
    model_options: Mapping[str, Any] | None = None,
    short_rates: Sequence[ShortRateSource] | None = None,
    freq: DailyMonthly | None = None,
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
    frequency : {"monthly", "daily"}
        Output dates.
    start, end : date-like, optional
        Sample limits (inclusive); ``start`` defaults to the row's ``first_date``.
    bands : bool
        Add bootstrap bands (``replications`` replications, seeded by ``seed``, run on
        ``executor``).
    model_options : mapping, optional
        Keyword options of :class:`~ustpull.termpremium.acm.ACM` (e.g. ``var_bias="pope"``,
        ``eigenvalue_cap=0.995``, ``n_factors=3``), on top of the row's
        ``acm_options``.
    short_rates : sequence of ShortRateSource, optional
        The money-market series of the short rate, in order of preference; default the
        row's ``short_rates`` (e.g. ``US_SHORT_RATES[:1]``: the 1-month bill from 2001-07,
        the GSW 1-month yield before it).
    freq : {"monthly", "daily"}, optional
        Deprecated name of ``frequency`` (one name per idea across ustpull).
    """
    if freq is not None:
        warnings.warn("freq= is deprecated: use frequency=", DeprecationWarning, stacklevel=2)
        frequency = freq
    curve = country_curve(code)
    first = curve.first_date if start is None else start
    window = data.loc[first:end]
    if window.empty:
        last = data.dropna(how="all").index.max() if end is None else end
        raise DataError(
            f"no {curve.code} data between {_day(first, 'the start')} and {_day(last, 'the end')}"
        )
    money_market = window  # every row: monthly averages sit on the first of the month
    if frequency == "monthly":
        curve_rows = window.loc[
            usable_rows(curve, window), list(curve.yield_ids + curve.parameter_ids)
        ]
        window = window.loc[month_end(curve_rows).index]
    daily = zero_yields(curve, window)
    monthly = month_end(daily)
    sources = tuple(
        row
        for row in (curve.short_rates if short_rates is None else short_rates)
        if not row.optional or row.series_id in money_market.columns
    )
    rate = short_rate(monthly, money_market, sources, country=curve.code)
    options = curve.acm_options | dict(model_options or {})
    results = ACM(monthly, short_rate=rate, **options).fit()
    decomposition = results.project(daily) if frequency == "daily" else results.project(monthly)
    band = None
    if bands:
        band = results.bands(
            replications,
            maturities=tuple(range(12, 121, 12)),
            seed=seed,
            executor=executor,
            yields=daily if frequency == "daily" else None,
        )
    return CountryTermPremium(curve, results, decomposition, band)
