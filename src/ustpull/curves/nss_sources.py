"""Yield sources an NSS curve can be fitted to: which series, on which basis (a table).

Each source names its series ids (canonical vocabulary), whether the yields are zero-coupon
(continuously compounded) or par, and the coupon frequency of its par bonds. Annual-coupon
par yields (Bunds) are restated as semiannual bond-equivalent yields,
``y_sa = 2 [(1 + y_a/100)^{1/2} - 1] 100``, before the semiannual par formula is fitted: the
same cash-flow yield quoted with the other compounding (the coupon timing difference
is not modelled; it is second order in the yield).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from ustpull.curves.nss import Basis, CurveFitResults, Model, NelsonSiegelSvensson
from ustpull.errors import DataError

__all__ = ["NSS_SOURCES", "YieldSource", "fit_nss_source", "yield_source"]


@dataclass(frozen=True)
class YieldSource:
    """A curve's series and conventions."""

    name: str
    ids: tuple[str, ...]
    basis: Basis
    coupon_frequency: int
    description: str


def _years(prefix: str, years: Sequence[int]) -> tuple[str, ...]:
    return tuple(f"{prefix}.{n}y" for n in years)


_CMT_TENORS = ("1m", "3m", "6m", "1y", "2y", "3y", "5y", "7y", "10y", "20y", "30y")
_TREASURY_PAR_TENORS = ("1m", "6w", "2m", "3m", "4m", *_CMT_TENORS[2:])

NSS_SOURCES: dict[str, YieldSource] = {
    source.name: source
    for source in (
        YieldSource("gsw", _years("us.gsw.zero", range(1, 31)), "zero", 2, "Fed GSW zero yields"),
        YieldSource(
            "cmt",
            tuple(f"us.cmt.{tenor}" for tenor in _CMT_TENORS),
            "par",
            2,
            "Treasury constant-maturity yields (FRED DGS*)",
        ),
        YieldSource(
            "treasury-par",
            tuple(f"us.tsy_par.{tenor}" for tenor in _TREASURY_PAR_TENORS),
            "par",
            2,
            "U.S. Treasury daily par yield curve",
        ),
        YieldSource(
            "ecb-aaa", _years("ea.aaa.zero", range(1, 31)), "zero", 1, "ECB euro-area AAA spot"
        ),
        YieldSource(
            "bund", _years("de.govt", (1, 2, 5, 10, 20, 30)), "par", 1, "German Bund yields"
        ),
        YieldSource(
            "jgb",
            _years("jp.mof.par", (*range(1, 11), 15, 20, 25, 30, 40)),
            "par",
            2,
            "Japan MoF JGB par curve",
        ),
    )
}
"""Sources by CLI name."""


def yield_source(name: str) -> YieldSource:
    """The source called ``name``; :class:`DataError` listing the known ones otherwise."""
    try:
        return NSS_SOURCES[name]
    except KeyError:
        raise DataError(
            f"unknown yield source {name!r}; choose one of {sorted(NSS_SOURCES)}"
        ) from None


def fit_nss_source(
    source: YieldSource,
    yields: pd.DataFrame,
    *,
    model: Model = "nss",
    executor: Executor | None = None,
) -> CurveFitResults:
    """Fit NS/NSS to a source's yields (columns = ``source.ids``), on its basis.

    Dates on which no series has a value are dropped; annual-coupon par yields are
    restated semiannually first (module docstring). ``executor`` runs the blocks of dates
    (:meth:`NelsonSiegelSvensson.fit`).
    """
    missing = [series for series in source.ids if series not in yields.columns]
    if missing:
        raise DataError(f"yields for source {source.name!r} lack series {missing}")
    panel = yields.loc[:, list(source.ids)].dropna(how="all")
    if panel.empty:
        raise DataError(f"no {source.name!r} yields in the requested dates")
    if source.basis == "par" and source.coupon_frequency == 1:
        panel = 200.0 * ((1.0 + panel / 100.0) ** 0.5 - 1.0)
    return NelsonSiegelSvensson(panel, model=model, basis=source.basis).fit(executor=executor)
