"""ustpull.termpremium layer: the ACM (Adrian, Crump and Moench 2013) term-premium model.

* :class:`ACM` / :class:`ACMResults`: the model on month-end zero yields, its fitted and
  risk-neutral yields, term premium, expected excess returns and pricing errors;
  :meth:`ACMResults.project` for daily values, :meth:`ACMResults.bands` for bootstrap bands.
* :func:`country_term_premium`: a country's estimate from its loaded series, following the
  country table :data:`COUNTRIES` (data and curve-building recipe per country);
  :data:`US_SHORT_RATE_OPTIONS`: the U.S. short-rate conventions, each measured against the
  NY Fed.
* :func:`month_end`, :func:`short_rate` (money-market quotes by the book,
  :func:`ustpull.conventions.money_market_to_continuous`), :func:`spliced_short_rate`,
  :func:`bond_equivalent_to_continuous`:
  inputs.
* :class:`NominalRealACM` / :func:`us_nominal_real`: the joint nominal-real model (real term
  premium, inflation risk premium, expected inflation, TIPS liquidity premium);
  :func:`var_uncertainty_bands` for its bands.
* :func:`expanding_term_premium`: real-time (expanding-window) term premia.
* :func:`nyfed_gaps`, :func:`fidelity_table`, :func:`compare_series`: published comparisons;
  :mod:`ustpull.termpremium.diagnostics`: factor counts, VAR eigenvalues, unspanned factors.
"""

from ustpull.termpremium.acm import ACM, ACMParameters, ACMResults, Decomposition
from ustpull.termpremium.bands import TermPremiumBands, bootstrap_bands
from ustpull.termpremium.countries import (
    COUNTRIES,
    US_SHORT_RATE_OPTIONS,
    CountryCurve,
    CountryTermPremium,
    country_curve,
    country_term_premium,
    zero_yields,
)
from ustpull.termpremium.inputs import (
    ShortRateSource,
    bond_equivalent_to_continuous,
    month_end,
    short_rate,
    spliced_short_rate,
)
from ustpull.termpremium.published import compare_series, fidelity_table, nyfed_gaps
from ustpull.termpremium.real import NominalRealACM, NominalRealResults
from ustpull.termpremium.real_bands import NominalRealBands, var_uncertainty_bands
from ustpull.termpremium.real_us import us_nominal_real
from ustpull.termpremium.realtime import RealTimeTermPremium, expanding_term_premium
from ustpull.termpremium.var import VARFit, estimate_var

__all__ = [
    "ACM",
    "COUNTRIES",
    "US_SHORT_RATE_OPTIONS",
    "ACMParameters",
    "ACMResults",
    "CountryCurve",
    "CountryTermPremium",
    "Decomposition",
    "NominalRealACM",
    "NominalRealBands",
    "NominalRealResults",
    "RealTimeTermPremium",
    "ShortRateSource",
    "TermPremiumBands",
    "VARFit",
    "bond_equivalent_to_continuous",
    "bootstrap_bands",
    "compare_series",
    "country_curve",
    "country_term_premium",
    "estimate_var",
    "expanding_term_premium",
    "fidelity_table",
    "month_end",
    "nyfed_gaps",
    "short_rate",
    "spliced_short_rate",
    "us_nominal_real",
    "var_uncertainty_bands",
    "zero_yields",
]
