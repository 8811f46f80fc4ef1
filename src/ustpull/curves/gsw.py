"""The Gürkaynak-Sack-Wright (GSW) U.S. Treasury curve: series ids and a gap-free parameter history.

The Federal Reserve Board publishes the daily NSS parameters of its Treasury curve
(feds200628) together with the zero yields they imply. Parameter files are not always at
hand for every date (the shared data lack them from 2018-04-23 to 2022-10-10 while the zero
yields are there), so :func:`gsw_parameter_history` completes the history by fitting the
same NSS form to the published zero yields where the parameters are missing.

References
----------
Gürkaynak, R. S., Sack, B. and Wright, J. H. (2007), "The U.S. Treasury Yield Curve: 1961 to
the Present", Journal of Monetary Economics 54(8), 2291-2304 (FEDS 2006-28).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ustpull.curves.nss import (
    PARAM_NAMES,
    NelsonSiegelSvensson,
    maturity_years,
    nss_zero_yield,
    parameter_array,
)
from ustpull.errors import DataError

__all__ = [
    "GSW_MATURITIES",
    "GSW_PARAM_IDS",
    "GSW_PAR_IDS",
    "GSW_ZERO_IDS",
    "gsw_parameter_history",
]

GSW_MATURITIES: tuple[int, ...] = tuple(range(1, 31))
"""Maturities of the published GSW zero, par and forward series, in years."""

GSW_ZERO_IDS: tuple[str, ...] = tuple(f"us.gsw.zero.{n}y" for n in GSW_MATURITIES)
"""Zero-coupon yields SVENY01..SVENY30, percent continuously compounded."""

GSW_PAR_IDS: tuple[str, ...] = tuple(f"us.gsw.par.{n}y" for n in GSW_MATURITIES)
"""Par yields SVENPY01..SVENPY30, percent bond-equivalent."""

GSW_PARAM_IDS: tuple[str, ...] = tuple(f"us.gsw.{name}" for name in PARAM_NAMES)
"""Parameters BETA0..BETA3 (percent), TAU1, TAU2 (years; TAU2 NaN on Nelson-Siegel days)."""


def gsw_parameter_history(zero_yields: pd.DataFrame, params: pd.DataFrame) -> pd.DataFrame:
    """Daily GSW NSS parameters on every date with published parameters or zero yields.

    Parameters
    ----------
    zero_yields : DataFrame
        Published GSW zero yields, indexed by date; columns are the ids
        :data:`GSW_ZERO_IDS` (or anything :func:`~ustpull.curves.nss.maturity_years` reads,
        e.g. years as numbers), percent continuously compounded, NaN where not published.
    params : DataFrame
        Published parameters, indexed by date; columns ``beta0..tau2`` or the ids
        :data:`GSW_PARAM_IDS`. ``tau2`` NaN marks GSW's Nelson-Siegel days (``beta3`` 0 or
        NaN there); rows without ``beta0, beta1, beta2, tau1`` count as not published.

    Returns
    -------
    DataFrame
        Indexed by ``date`` (the sorted union of both inputs' dates), columns
        ``beta0, beta1, beta2, beta3, tau1, tau2`` (``beta3 = 0`` and ``tau2`` NaN on
        Nelson-Siegel days) and ``source``: ``"published"`` where GSW
        published the parameters (kept as published, even on the few days where a later
        vintage of the yields differs from them), ``"fitted"`` where the six-parameter NSS
        curve was fitted to that day's published zero yields by
        :class:`~ustpull.curves.nss.NelsonSiegelSvensson`. Two more columns report the
        fit: ``rmse_bp`` and ``max_error_bp``, the distance between the row's curve and the
        published zero yields of that day (NaN where no yields are published).

    Raises
    ------
    DataError
        Indexes that are not unique dates, or a date that has neither parameters nor any
        zero yield left unfilled (cannot happen with well-formed inputs; it is checked).

    Notes
    -----
    The fitted days minimise ``sum_n (y_NSS(n) - y_GSW(n))^2`` over the published maturities
    (see :func:`~ustpull.curves.nss_fit.fit_nss_yields`); on the 2022-2023 overlap of published
    parameters and yields such fits reproduce the yields to within a few hundredths of a
    basis point (tests/curves/test_gsw.py).
    """
    for name, frame in (("zero_yields", zero_yields), ("params", params)):
        if not isinstance(frame.index, pd.DatetimeIndex) or not frame.index.is_unique:
            raise DataError(f"{name} must be indexed by unique dates")
    published = pd.DataFrame(parameter_array(params), index=params.index, columns=PARAM_NAMES)
    published = published.loc[published[["beta0", "beta1", "beta2", "tau1"]].notna().all(axis=1)]
    # Nelson-Siegel days: GSW publish BETA3 = 0 with the TAU2 sentinel (loaded as NaN)
    published.loc[published["tau2"].isna(), "beta3"] = 0.0
    yields = zero_yields.astype(np.float64)
    dates = yields.index.union(published.index).sort_values()
    history = published.reindex(dates)
    source = pd.Series("published", index=dates, dtype="string", name="source")
    missing = dates.difference(published.index)
    to_fit = yields.reindex(missing)
    to_fit = to_fit.loc[to_fit.notna().any(axis=1)]
    if len(to_fit):
        fit = NelsonSiegelSvensson(to_fit, model="nss", basis="zero").fit()
        history.loc[to_fit.index] = fit.params.to_numpy()
        source.loc[to_fit.index] = "fitted"
    unfilled = history.index[history["beta0"].isna()]
    if len(unfilled):
        raise DataError(
            f"{len(unfilled)} dates have neither parameters nor zero yields, first "
            f"{unfilled[0]:%Y-%m-%d}"
        )
    history["source"] = source
    observed = yields.reindex(dates)
    maturities = [maturity_years(label) for label in observed.columns]
    curve = nss_zero_yield(history.loc[:, list(PARAM_NAMES)].to_numpy(), maturities)
    errors_bp = (curve - observed.to_numpy()) * 100.0
    counts = np.isfinite(errors_bp).sum(axis=1)
    squared = np.where(np.isfinite(errors_bp), errors_bp**2, 0.0).sum(axis=1)
    largest = np.where(np.isfinite(errors_bp), np.abs(errors_bp), -np.inf).max(axis=1)
    history["rmse_bp"] = np.where(counts > 0, np.sqrt(squared / np.maximum(counts, 1)), np.nan)
    history["max_error_bp"] = np.where(counts > 0, largest, np.nan)
    history.index.name = "date"
    return history
