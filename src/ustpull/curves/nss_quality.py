"""Which NS/NSS model a day's quotes identify, whether its fit is acceptable, and its status.

Rules as data (module constants), applied per day:

* **Model choice** (as Gürkaynak, Sack and Wright 2007 did before long bonds were quoted):
  Svensson's six parameters only where the day has at least :data:`NSS_MIN_QUOTES` quotes
  (seven: one more than the parameters) and one beyond :data:`NSS_MIN_LONGEST_YEARS` years
  (the second hump describes the long end); Nelson-Siegel (four parameters) where the day
  has at least :data:`NS_MIN_QUOTES`; no curve below that (``too-few-quotes``).
* **The simplest acceptable model**: an NSS day whose NSS curve is not acceptable is
  refitted with NS, and NS wins where it is acceptable or closer; an NS day with at
  least :data:`NSS_ESCALATION_MIN_QUOTES` quotes whose NS curve is not acceptable is
  refitted with NSS (:func:`nss_identified`, whatever its longest maturity), and NSS wins
  where its curve passes the shape test and is closer. With a long bond seven quotes
  identify the six parameters (decays bounded inside the quotes' span,
  ``ustpull.curves.nss_optimiser``; the shape test holds the curve between the quotes);
  without one the second hump describes curvature inside the span and the refit needs
  eight (JGB 1978-1986: quotes
  from 1 to 9 years that bend twice, 1978-01-18 4-7 years 5.881, 5.918, 6.456, 6.558 %,
  where NS misses by 24 bp and NSS fits within 11 bp).
* **Acceptable fit**: every quote within ``tolerance_bp`` (default
  :data:`FIT_TOLERANCE_BP`), and the zero curve on the quotes' span, from the shortest
  quote to the longest (every :data:`SHAPE_STEP_YEARS`), finite and inside the quotes'
  range widened by :data:`SHAPE_MARGIN_PP` (:data:`SHAPE_MARGIN_SHARE` of the highest
  quote where that is more), and from :data:`SHAPE_JUMP_FROM_YEARS` on
  without a step larger than :data:`SHAPE_JUMP_PP` (:func:`curve_shape_ok`).
* **Extrapolation** (as the Fed's GSW file publishes a maturity only where bonds support
  it): outside the span the curve is judged by the same test, below down to
  :data:`EXTRAPOLATION_FROM_YEARS` and above up to :data:`EXTRAPOLATION_TO_YEARS`
  (:func:`supported_range`); from the first maturity where it fails outward, the stored
  curve is missing (NaN: :meth:`ustpull.curves.nss.CurveFitResults.zero_yields`, the
  ``curve_from_years`` and ``curve_to_years`` of its frame), and the day's fit on its span
  is kept (JGB
  1980-04-08: quotes from 2 to 9 years, an NS curve within 17.6 bp whose 1-year zero
  yield, 15.8 %, is not stored: the curve holds from 1.5 years).
* **Status**: ``ok``; ``ns-only`` (NSS asked, NS fitted: the quotes do not identify NSS, or
  the NSS curve failed the shape test and the NS curve passed it); ``poor-fit`` (the
  optimiser did not converge or the fit is not acceptable); ``too-few-quotes``. A day is
  ``converged`` only when its status is ``ok`` or ``ns-only``. A curve that fails the shape
  test is never stored: its parameters are NaN (its fitted quotes and errors are kept, so
  the quality table still counts it).

References
----------
Gürkaynak, R. S., Sack, B. and Wright, J. H. (2007), "The U.S. Treasury Yield Curve: 1961 to
the Present", Journal of Monetary Economics 54(8), 2291-2304 (section 3: Nelson-Siegel until
1980, Svensson once long bonds are in the sample).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ustpull.curves.nss_formulas import FloatArray, Model, _zero_yield_array

__all__ = [
    "EXTRAPOLATION_FROM_YEARS",
    "EXTRAPOLATION_TO_YEARS",
    "FIT_TOLERANCE_BP",
    "NSS_ESCALATION_MIN_QUOTES",
    "NSS_MIN_LONGEST_YEARS",
    "NSS_MIN_QUOTES",
    "NS_MIN_QUOTES",
    "SHAPE_JUMP_PP",
    "SHAPE_MARGIN_PP",
    "SHAPE_MARGIN_SHARE",
    "STATUSES",
    "Status",
    "curve_shape_ok",
    "day_models",
    "fit_quality",
    "nss_identified",
    "quote_span",
    "supported_range",
]

NSS_MIN_QUOTES = 7
"""Fewest quotes on a day with a long bond (beyond :data:`NSS_MIN_LONGEST_YEARS`) for an NSS
fit: six parameters and one degree of freedom, the decays bounded inside the quotes' span
and the curve held by the shape test (else NS). CMT 1976-77 (1 to 20 years, 7 quotes):
Nelson-Siegel misses the bend between 7 and 20 years (1976-09-02: NS within 7.7 bp, NSS
within 0.5 bp, a tame curve); nss-engine and QuantLib fit NSS there too."""

NSS_ESCALATION_MIN_QUOTES = 8
"""Fewest quotes on a day without a long bond for an NSS refit where NS misses
(:func:`nss_identified`): two degrees of freedom, since both humps then describe
curvature inside a span that ends before :data:`NSS_MIN_LONGEST_YEARS`."""

NSS_MIN_LONGEST_YEARS = 10.0
"""An NSS fit needs a quote beyond this maturity (years); otherwise the day gets NS."""

NS_MIN_QUOTES = 4
"""Fewest quotes on a day for an NS fit (four parameters); below, ``too-few-quotes``."""

FIT_TOLERANCE_BP = 20.0
"""Default largest quote error (basis points) of a fit flagged converged."""

SHAPE_STEP_YEARS = 0.25
"""Spacing of the maturities at which the zero curve's shape is checked (years)."""

SHAPE_MARGIN_PP = 1.0
"""How far (percentage points) the zero curve may leave the range of the day's quotes
between the shortest and the longest: a steep par curve's zero curve lies up to about this
much beyond it at the long end."""

SHAPE_MARGIN_SHARE = 0.1
"""The margin grows with the level of rates: at least this share of the day's highest quote.
A zero curve lies below an inverted par curve at the long end by about the level times the
slope's reach, and at 12-16 % yields by more than 1 pp (CMT 1981-01-14: quotes 13.75 % at 1
year to 12.07 % at 30, Svensson fits within 2.8 bp with a zero yield of 10.98 % at 30 years;
nss-engine's and QuantLib's curves alike); at yields under 10 % the margin stays 1 pp."""

SHAPE_JUMP_PP = 1.0
"""Largest change (percentage points) of the zero curve over one :data:`SHAPE_STEP_YEARS`."""

SHAPE_JUMP_FROM_YEARS = 1.0
"""The step test starts at this maturity (years): below it real bill curves move more than
:data:`SHAPE_JUMP_PP` in a quarter year (CMT 1982-01-06: 3 months 12.16 %, 6 months
13.46 %), and the range test alone applies."""

Status = Literal["ok", "ns-only", "poor-fit", "too-few-quotes"]
STATUSES: tuple[Status, ...] = ("ok", "ns-only", "poor-fit", "too-few-quotes")
"""Every status a day can have, in the order of the quality table."""

EXTRAPOLATION_FROM_YEARS = 1.0 / 12.0
"""Shortest maturity (years) at which a stored curve is judged below its quotes' span: one
month, the shortest any consumer reads (the ACM grid's first maturity)."""

EXTRAPOLATION_TO_YEARS = 30.0
"""Longest maturity (years) at which a stored curve is judged above its quotes' span: 30
years, the longest the Fed's GSW file publishes."""

_SHAPE_GRID = np.concatenate(
    [[EXTRAPOLATION_FROM_YEARS], np.arange(SHAPE_STEP_YEARS, 50.0 + 1e-9, SHAPE_STEP_YEARS)]
)


def day_models(weights: FloatArray, times: FloatArray, model: Model) -> NDArray[np.int_]:
    """Parameters of the model each day identifies: 6 (NSS), 4 (NS) or 0 (too few quotes).

    ``weights`` is 1 where a quote is observed (dates, maturities); ``model="ns"`` never
    gives NSS.
    """
    observed = weights > 0
    count = observed.sum(axis=1)
    longest = np.max(np.where(observed, times[None, :], 0.0), axis=1)
    choice = np.where(count >= NS_MIN_QUOTES, 4, 0)
    if model == "nss":
        nss = (count >= NSS_MIN_QUOTES) & (longest > NSS_MIN_LONGEST_YEARS)
        choice = np.where(nss, 6, choice)
    return choice


def nss_identified(weights: FloatArray, model: Model) -> NDArray[np.bool_]:
    """Per day, whether an NS day may be refitted with NSS: ``model="nss"`` and at least
    :data:`NSS_ESCALATION_MIN_QUOTES` quotes (``weights`` 1 where observed), whatever the
    longest.

    :func:`day_models` starts such a day on NS when it has no quote beyond
    :data:`NSS_MIN_LONGEST_YEARS`; it gets NSS only when NS is not acceptable.
    """
    return np.asarray((model == "nss") & ((weights > 0).sum(axis=1) >= NSS_ESCALATION_MIN_QUOTES))


def quote_span(weights: FloatArray, times: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Shortest and longest observed maturity per day (years; ``weights`` 1 where observed;
    ``inf``/``-inf`` on days without a quote)."""
    observed = weights > 0
    shortest = np.min(np.where(observed, times[None, :], np.inf), axis=1)
    longest = np.max(np.where(observed, times[None, :], -np.inf), axis=1)
    return shortest, longest


def _quote_range(yields: FloatArray, observed: NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """Per day, the range a zero curve may take: the quotes' range widened by
    ``max(SHAPE_MARGIN_PP, SHAPE_MARGIN_SHARE * highest quote)`` on each side."""
    highest = np.max(np.where(observed, yields, -np.inf), axis=1)
    margin = np.maximum(SHAPE_MARGIN_PP, SHAPE_MARGIN_SHARE * np.abs(highest))
    return np.min(np.where(observed, yields, np.inf), axis=1) - margin, highest + margin


def _shape_on(
    params: FloatArray,
    yields: FloatArray,
    weights: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
) -> NDArray[np.bool_]:
    """The shape test on the grid points in ``[lower, upper]`` of each day (years).

    Finite, within ``[min quote - margin, max quote + margin]`` (:func:`_quote_range`), and from
    :data:`SHAPE_JUMP_FROM_YEARS` on no step above :data:`SHAPE_JUMP_PP` between
    neighbouring grid points of the window. Dates without parameters are False.
    """
    observed = weights > 0
    low, high = _quote_range(yields, observed)
    inside = (_SHAPE_GRID[None, :] >= lower[:, None] - 1e-9) & (
        _SHAPE_GRID[None, :] <= upper[:, None] + 1e-9
    )
    fitted = np.isfinite(params).all(axis=1) | (
        np.isfinite(params[:, :5]).all(axis=1) & np.isnan(params[:, 5])
    )
    ok = np.zeros(len(params), dtype=bool)
    rows = np.flatnonzero(fitted)
    if rows.size == 0:
        return ok
    with np.errstate(all="ignore"):
        curve = _zero_yield_array(params[rows], _SHAPE_GRID)
    window = inside[rows]
    in_range = (curve >= low[rows, None]) & (curve <= high[rows, None])
    level_ok = np.all(np.where(window, np.isfinite(curve) & in_range, True), axis=1)
    steps = np.abs(np.diff(curve, axis=1)) <= SHAPE_JUMP_PP
    both = window[:, 1:] & window[:, :-1] & (_SHAPE_GRID[None, :-1] >= SHAPE_JUMP_FROM_YEARS)
    smooth = np.all(np.where(both, steps, True), axis=1)
    ok[rows] = level_ok & smooth
    return ok


def curve_shape_ok(
    params: FloatArray, yields: FloatArray, weights: FloatArray, times: FloatArray
) -> NDArray[np.bool_]:
    """True where the zero curve on the quotes' span is well behaved.

    The span is ``[shortest quote, longest quote]`` (:func:`quote_span`): the curve is
    checked on the grid points of :data:`SHAPE_STEP_YEARS` inside it (:func:`_shape_on`):
    finite, within ``[min quote - margin, max quote + margin]`` (:func:`_quote_range`), and from
    :data:`SHAPE_JUMP_FROM_YEARS` on no step above :data:`SHAPE_JUMP_PP`. Outside the span
    the curve is an extrapolation, judged apart by :func:`supported_range`. Dates without
    parameters are False.
    """
    shortest, longest = quote_span(weights, times)
    return _shape_on(params, yields, weights, shortest, longest)


def supported_range(
    params: FloatArray, yields: FloatArray, weights: FloatArray, times: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per day, the maturities (years) from and to which the stored curve holds.

    Inside the quotes' span the curve has passed :func:`curve_shape_ok`; outside it the
    same test runs grid point by grid point outward from the span, below down to
    :data:`EXTRAPOLATION_FROM_YEARS` and above up to :data:`EXTRAPOLATION_TO_YEARS`: a
    point is supported while it and every point between it and the span are finite,
    inside the quotes' range widened as in :func:`_quote_range`, and (from
    :data:`SHAPE_JUMP_FROM_YEARS` on) without a step above :data:`SHAPE_JUMP_PP` to its
    neighbour towards the span. Returns ``(curve_from, curve_to)``: the last supported grid
    point on each side, or the span's end where the first point outside it fails; NaN on
    days without parameters or quotes.
    """
    observed = weights > 0
    shortest, longest = quote_span(weights, times)
    curve_from = np.full(len(params), np.nan)
    curve_to = np.full(len(params), np.nan)
    rows = np.flatnonzero(np.isfinite(params[:, :5]).all(axis=1) & np.isfinite(shortest))
    if rows.size == 0:
        return curve_from, curve_to
    low, high = _quote_range(yields, observed)
    low, high = low[rows, None], high[rows, None]
    # only the grid up to EXTRAPOLATION_TO_YEARS can lie outside a span and be judged
    judged = _SHAPE_GRID[_SHAPE_GRID <= EXTRAPOLATION_TO_YEARS + 1e-9]
    with np.errstate(all="ignore"):
        curve = _zero_yield_array(params[rows], judged)
        point = np.isfinite(curve) & (curve >= low) & (curve <= high)
        step = (np.abs(np.diff(curve, axis=1)) <= SHAPE_JUMP_PP) | (
            judged[None, :-1] < SHAPE_JUMP_FROM_YEARS
        )
    grid = np.broadcast_to(judged, curve.shape)
    start, stop = shortest[rows, None], longest[rows, None]
    # below: a point with its step to the next (longer) point; accumulated from the span down
    below = (grid < start - 1e-9) & (grid >= EXTRAPOLATION_FROM_YEARS - 1e-9)
    good = np.where(below, point & np.c_[step, np.ones(len(rows), dtype=bool)], True)
    reach = np.logical_and.accumulate(good[:, ::-1], axis=1)[:, ::-1] & below
    lowest = np.min(np.where(reach, grid, np.inf), axis=1)
    curve_from[rows] = np.where(reach.any(axis=1), lowest, start[:, 0])
    # above: a point with its step from the previous (shorter) point; from the span up
    above = (grid > stop + 1e-9) & (grid <= EXTRAPOLATION_TO_YEARS + 1e-9)
    good = np.where(above, point & np.c_[np.ones(len(rows), dtype=bool), step], True)
    reach = np.logical_and.accumulate(good, axis=1) & above
    highest = np.max(np.where(reach, grid, -np.inf), axis=1)
    curve_to[rows] = np.where(reach.any(axis=1), highest, stop[:, 0])
    return curve_from, curve_to


def fit_quality(
    max_error_bp: pd.Series, status: pd.Series, *, tolerance_bp: float
) -> dict[str, float | int]:
    """The quality summary of a fit: day counts by status and max-error percentiles (bp).

    Percentiles are over the days with a curve (every status but ``too-few-quotes``).
    """
    counts = status.value_counts()
    errors = max_error_bp[status != "too-few-quotes"].dropna()
    summary: dict[str, float | int] = {"days": len(status)}
    for name in STATUSES:
        summary[name] = int(counts.get(name, 0))
    for q in (50, 95, 99):
        summary[f"p{q}_max_error_bp"] = float(np.percentile(errors, q)) if len(errors) else np.nan
    summary["max_error_bp"] = float(errors.max()) if len(errors) else np.nan
    summary["tolerance_bp"] = float(tolerance_bp)
    return summary
