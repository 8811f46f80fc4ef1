"""ustpull.termpremium layer: the ACM (Adrian, Crump and Moench 2013) term-premium model.

* :class:`ACM` / :class:`ACMResults`: the model on month-end zero yields, its fitted and
  risk-neutral yields, term premium, expected excess returns and pricing errors;
  :meth:`ACMResults.project` for daily values, :meth:`ACMResults.bands` for bootstrap bands.
* :func:`country_term_premium`: a country's estimate from its loaded series, following the
  country table :data:`COUNTRIES` (data and curve-building recipe per country).
* :func:`month_end`, :func:`spliced_short_rate`, :func:`bond_equivalent_to_continuous`:
  inputs.
"""

from ustpull.termpremium.acm import ACM, ACMParameters, ACMResults, Decomposition
from ustpull.termpremium.bands import TermPremiumBands, bootstrap_bands
from ustpull.termpremium.countries import (
    COUNTRIES,
    CountryCurve,
    CountryTermPremium,
    country_curve,
    country_term_premium,
    zero_yields,
)
from ustpull.termpremium.inputs import (
    bond_equivalent_to_continuous,
    month_end,
    spliced_short_rate,
)
from ustpull.termpremium.var import VARFit, estimate_var

__all__ = [
    "ACM",
    "COUNTRIES",
    "ACMParameters",
    "ACMResults",
    "CountryCurve",
    "CountryTermPremium",
    "Decomposition",
    "TermPremiumBands",
    "VARFit",
    "bond_equivalent_to_continuous",
    "bootstrap_bands",
    "country_curve",
    "country_term_premium",
    "estimate_var",
    "month_end",
    "spliced_short_rate",
    "zero_yields",
]
