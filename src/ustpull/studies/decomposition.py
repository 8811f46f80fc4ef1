"""The one split of a yield into expected short rates and the term premium.

Every study that needs it (the stocks' equity response, the dollar's co-movement, the
foreign-bond linkage, global connectedness) takes it from :func:`components`, which reads
:meth:`~ustpull.termpremium.countries.CountryTermPremium.components`.
"""

from __future__ import annotations

import pandas as pd

from ustpull.errors import DataError
from ustpull.termpremium.countries import CountryTermPremium

__all__ = ["components"]


def components(
    estimate: CountryTermPremium, *, years: int = 10, month_start: bool = False
) -> pd.DataFrame:
    """``yield``, ``expected_rate`` (risk-neutral yield) and ``term_premium`` at ``years``.

    Parameters
    ----------
    estimate
        A country's ACM estimate (:func:`~ustpull.termpremium.countries.country_term_premium`).
    years
        The maturity, in years.
    month_start
        Date month-end rows on the first of their month, so that countries whose last trading
        day of a month differs (holidays) meet on the same row (the linkage across countries).

    Returns
    -------
    DataFrame
        Percent, continuously compounded, on the estimate's dates.
    """
    out = estimate.components(years)
    if not month_start:
        return out
    months = pd.DatetimeIndex(out.index).to_period("M")
    if months.has_duplicates:
        repeated = months[months.duplicated()][0]
        raise DataError(f"term-premium table has more than one row in {repeated}")
    out.index = pd.DatetimeIndex(months.to_timestamp(), name="date")
    return out
