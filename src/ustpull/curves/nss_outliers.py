"""Quotes that do not price like the rest of the day's curve: a documented exclusion rule.

Gürkaynak, Sack and Wright (2007, section 2) fit their curve only to securities that price
like the rest: they drop bills, on-the-run and first off-the-run issues and issues with
specific premia. A yield panel such as the MoF's JGB par curve carries the same effects
inside its tenors (in 1978-1990 the benchmark issue's yield sits tens of basis points off
any smooth curve: 1988-06-24, 10 years 5.384 % between 4.837 % at 9 years and 5.222 % at
20). The rule, applied to every source alike (no source-specific list), per day and at
most :data:`OUTLIER_MAX_PER_DAY` times:

1. Only a day whose fit misses the tolerance (largest error over its kept quotes above
   ``tolerance_bp``) is examined: a day within the tolerance never loses a quote, so
   exact or near-exact curves (GSW, ECB) are untouched.
2. Each of its kept quotes but the shortest and the longest is left out in turn and the
   curve refitted without it (the same fit, model choice included; the two ends are
   never excluded: their deleted residual is an extrapolation, not a sign of an
   off-curve quote, and the curve must keep its span). Its *deleted residual* ``d_i`` is
   the left-out quote's distance from that curve; the spread of the remaining quotes is
   their robust standard deviation ``s_i = 1.4826 median |r_j|``, at least
   :data:`OUTLIER_SCALE_FLOOR_BP`.
3. The quote with the largest ``|d_i| / s_i`` is excluded when that ratio exceeds
   :data:`OUTLIER_K` (Leys et al. 2013: 2.5 median absolute deviations) and ``|d_i|``
   exceeds ``tolerance_bp``; the day then takes the refit, and step 1 applies again to it.
   Never below :data:`OUTLIER_MIN_KEPT` quotes (the four parameters of
   Nelson-Siegel plus a margin of two; an NSS day needs seven anyway,
   :data:`ustpull.curves.nss_quality.NSS_MIN_QUOTES`).

Excluded quotes are reported per day (a mask beside the fit), never dropped silently: the
fitted yield at an excluded maturity is the curve's, so its residual shows how far the
quote sits off the curve.

References
----------
Gürkaynak, R. S., Sack, B. and Wright, J. H. (2007), "The U.S. Treasury Yield Curve: 1961 to
the Present", Journal of Monetary Economics 54(8), 2291-2304.
Leys, C., Ley, C., Klein, O., Bernard, P. and Licata, L. (2013), "Detecting outliers: Do not
use standard deviation around the mean, use absolute deviation around the median", Journal
of Experimental Social Psychology 49(4), 764-766.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ustpull._typing import Outliers
from ustpull.curves.nss_formulas import FloatArray

__all__ = [
    "OUTLIER_K",
    "OUTLIER_MAX_PER_DAY",
    "OUTLIER_MIN_KEPT",
    "OUTLIER_SCALE_FLOOR_BP",
    "Outliers",
    "exclude_outliers",
]


OUTLIER_K = 2.5
"""Deleted residual, in robust standard deviations of the other quotes, beyond which a
quote is excluded (Leys et al. 2013's recommended cut-off)."""

OUTLIER_MAX_PER_DAY = 3
"""Most quotes excluded on one day."""

OUTLIER_MIN_KEPT = 6
"""Fewest quotes a day keeps: Nelson-Siegel's four parameters plus two."""

OUTLIER_SCALE_FLOOR_BP = 1.0
"""Smallest robust standard deviation (bp): where the other quotes fit almost exactly, a
ratio to a near-zero spread would exclude a quote for a rounding-sized miss."""

_MAD_TO_SD = 1.4826
"""Standard deviation of a normal sample per median absolute deviation."""

Fit = Callable[[FloatArray], tuple[FloatArray, NDArray[np.bool_], FloatArray]]
"""``yields (rows, maturities; NaN missing) -> (params, converged, fitted)``: the day fit."""


def _leave_one_out(
    fit: Fit, yields: FloatArray, times: FloatArray, days: NDArray[np.intp]
) -> tuple[
    NDArray[np.intp], NDArray[np.intp], FloatArray, tuple[FloatArray, NDArray[np.bool_], FloatArray]
]:
    """Refit each day in ``days`` once per interior quote, that quote left out (one batch).

    Interior: neither the day's shortest nor its longest quote. Returns the day and the
    left-out column of each refit, the refit's yields and its ``(params, converged,
    fitted)``; a day's refits are consecutive.
    """
    observed = np.isfinite(yields[days])
    shortest = np.min(np.where(observed, times[None, :], np.inf), axis=1)
    longest = np.max(np.where(observed, times[None, :], -np.inf), axis=1)
    observed &= (times[None, :] > shortest[:, None]) & (times[None, :] < longest[:, None])
    rows = np.repeat(days, observed.sum(axis=1))
    columns = np.nonzero(observed)[1]
    trial = yields[rows].copy()
    trial[np.arange(rows.size), columns] = np.nan
    return rows, columns, trial, fit(trial)


def _row_median(values: FloatArray, kept: NDArray[np.bool_]) -> FloatArray:
    """Median of each row's ``kept`` values (NaN values sort last; no All-NaN warning)."""
    count = kept.sum(axis=1)
    ordered = np.sort(np.where(kept, values, np.inf), axis=1)
    lower = np.take_along_axis(ordered, ((count - 1) // 2)[:, None], axis=1)[:, 0]
    upper = np.take_along_axis(ordered, (count // 2)[:, None], axis=1)[:, 0]
    return 0.5 * (lower + upper)


def _deleted_scores(
    trial: FloatArray,
    params: FloatArray,
    fitted: FloatArray,
    left_out: FloatArray,
    columns: NDArray[np.intp],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per refit: ``|d_i| / s_i``, ``|d_i|`` and the largest error over its kept quotes (bp).

    A refit without a curve (parameters NaN) scores ``-inf``: it never wins.
    """
    kept = np.isfinite(trial)
    error = np.abs(fitted - np.where(kept, trial, 0.0)) * 100.0
    spread = np.maximum(_MAD_TO_SD * _row_median(error, kept), OUTLIER_SCALE_FLOOR_BP)
    deleted = np.abs(fitted[np.arange(columns.size), columns] - left_out) * 100.0
    usable = np.isfinite(params[:, 0]) & np.isfinite(deleted) & np.isfinite(spread)
    ratio = np.where(usable, deleted / spread, -np.inf)
    return ratio, deleted, np.max(np.where(kept, error, 0.0), axis=1)


def _first_argmax_per_day(ratio: FloatArray, rows: NDArray[np.intp]) -> NDArray[np.intp]:
    """Index of each day's largest ``ratio`` (a day's refits are consecutive in ``rows``)."""
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    day = np.cumsum(np.r_[True, rows[1:] != rows[:-1]]) - 1
    top = np.maximum.reduceat(ratio, starts)
    hits = np.flatnonzero(ratio == top[day])
    _, first = np.unique(day[hits], return_index=True)
    return hits[first]


def exclude_outliers(
    fit: Fit,
    yields: FloatArray,
    times: FloatArray,
    result: tuple[FloatArray, NDArray[np.bool_], FloatArray],
    *,
    tolerance_bp: float,
) -> NDArray[np.bool_]:
    """Apply the module's rule to a fitted panel; update ``result`` in place.

    Parameters
    ----------
    fit : callable
        The day fit (:data:`Fit`), e.g. :func:`ustpull.curves.nss_fit.fit_nss_yields` without
        exclusion; it must treat each row on its own.
    yields : ndarray, shape (dates, maturities)
        The quotes, percent, NaN where missing.
    times : ndarray, shape (maturities,)
        Maturities in years.
    result : tuple
        ``(params, converged, fitted)`` of ``fit(yields)``; rows of days that exclude a
        quote are replaced by the refit without it.
    tolerance_bp : float
        A day is examined only when its largest error exceeds this (bp), and a quote is
        excluded only when its deleted residual does too.

    Returns
    -------
    ndarray of bool, shape (dates, maturities)
        True where a quote was excluded.
    """
    params, converged, fitted = result
    quotes = yields.copy()
    excluded = np.zeros(yields.shape, dtype=bool)
    observed = np.isfinite(quotes)
    with np.errstate(all="ignore"):  # NaN fits (no curve) compare False below
        largest = np.max(np.where(observed, np.abs(fitted - quotes), 0.0), axis=1) * 100.0
    examined = np.ones(len(quotes), dtype=bool)  # a day that kept all its quotes is done
    for _ in range(OUTLIER_MAX_PER_DAY):
        count = np.isfinite(quotes).sum(axis=1)
        days = np.flatnonzero(examined & (largest > tolerance_bp) & (count > OUTLIER_MIN_KEPT))
        if days.size == 0:
            break
        rows, columns, trial, (t_params, t_converged, t_fitted) = _leave_one_out(
            fit, quotes, times, days
        )
        with np.errstate(all="ignore"):
            ratio, deleted, refit_largest = _deleted_scores(
                trial, t_params, t_fitted, quotes[rows, columns], columns
            )
        best = _first_argmax_per_day(ratio, rows)
        take = best[(ratio[best] > OUTLIER_K) & (deleted[best] > tolerance_bp)]
        if take.size == 0:
            break
        day = rows[take]
        examined[:] = False
        examined[day] = True
        quotes[day] = trial[take]
        excluded[day, columns[take]] = True
        params[day], converged[day], fitted[day] = t_params[take], t_converged[take], t_fitted[take]
        largest[day] = refit_largest[take]
    return excluded
