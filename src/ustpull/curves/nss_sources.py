"""Yield sources an NSS curve can be fitted to: which series, on which basis (a table).

Each source names its series ids (canonical vocabulary), whether the yields are zero-coupon
(continuously compounded) or par, and for par yields the bond market whose conventions
(coupon frequency, day count, bill yield: :data:`ustpull.curves.conventions.MARKETS`) the
par formula uses: CMT and the Treasury par curve semiannual bond-equivalent with
bond-equivalent bills, JGB par yields semiannual, Bund yields annual (annual coupons,
annually compounded), each fitted on its own basis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from ustpull._typing import YieldSourceName
from ustpull.curves.conventions import market_convention
from ustpull.curves.nss import Basis, CurveFitResults, Model, NelsonSiegelSvensson
from ustpull.curves.nss_outliers import Outliers
from ustpull.curves.nss_quality import FIT_TOLERANCE_BP
from ustpull.errors import DataError

__all__ = ["NSS_SOURCES", "YieldSource", "fit_nss_source", "yield_source"]


@dataclass(frozen=True)
class YieldSource:
    """A curve's series and conventions."""

    name: str
    ids: tuple[str, ...]
    basis: Basis
    market: str | None
    description: str

    @property
    def coupon_frequency(self) -> int | None:
        """Coupons a year of the par bonds (from the conventions table); None for zeros."""
        if self.market is None:
            return None
        return market_convention(self.market).coupon_frequency


def _years(prefix: str, years: Sequence[int]) -> tuple[str, ...]:
    return tuple(f"{prefix}.{n}y" for n in years)


_CMT_TENORS = ("1m", "3m", "6m", "1y", "2y", "3y", "5y", "7y", "10y", "20y", "30y")
_TREASURY_PAR_TENORS = ("1m", "6w", "2m", "3m", "4m", *_CMT_TENORS[2:])

NSS_SOURCES: dict[str, YieldSource] = {
    source.name: source
    for source in (
        YieldSource(
            "gsw", _years("us.gsw.zero", range(1, 31)), "zero", None, "Fed GSW zero yields"
        ),
        YieldSource(
            "cmt",
            tuple(f"us.cmt.{tenor}" for tenor in _CMT_TENORS),
            "par",
            "us_treasury",
            "Treasury constant-maturity yields (FRED DGS*)",
        ),
        YieldSource(
            "treasury-par",
            tuple(f"us.tsy_par.{tenor}" for tenor in _TREASURY_PAR_TENORS),
            "par",
            "us_treasury",
            "U.S. Treasury daily par yield curve",
        ),
        YieldSource(
            "ecb-aaa", _years("ea.aaa.zero", range(1, 31)), "zero", None, "ECB euro-area AAA spot"
        ),
        YieldSource(
            "bund", _years("de.govt", (1, 2, 5, 10, 20, 30)), "par", "bund", "German Bund yields"
        ),
        YieldSource(
            "jgb",
            _years("jp.mof.par", (*range(1, 11), 15, 20, 25, 30, 40)),
            "par",
            "jgb",
            "Japan MoF JGB par curve",
        ),
    )
}
"""Sources by CLI name."""


def yield_source(name: YieldSourceName) -> YieldSource:
    """The source called ``name`` (the keys of :data:`NSS_SOURCES`, which are the values of
    :data:`ustpull._typing.YieldSourceName`); :class:`DataError` listing them otherwise."""
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
    tolerance_bp: float = FIT_TOLERANCE_BP,
    progress: Callable[[int], None] | None = None,
    outliers: Outliers = "exclude",
) -> CurveFitResults:
    """Fit NS/NSS to a source's yields (columns = ``source.ids``), on its basis.

    Dates on which no series has a value are dropped; par yields are fitted with the par
    formula of the source's market (module docstring). ``executor``, ``tolerance_bp`` and
    ``progress`` as in :meth:`NelsonSiegelSvensson.fit`; ``outliers`` as in
    :class:`NelsonSiegelSvensson` (the same rule on every source).
    """
    missing = [series for series in source.ids if series not in yields.columns]
    if missing:
        raise DataError(f"yields for source {source.name!r} lack series {missing}")
    panel = yields.loc[:, list(source.ids)].dropna(how="all")
    if panel.empty:
        raise DataError(f"no {source.name!r} yields in the requested dates")
    market = source.market or "us_treasury"  # zero yields: the market plays no part
    spec = NelsonSiegelSvensson(
        panel, model=model, basis=source.basis, market=market, outliers=outliers
    )
    return spec.fit(executor=executor, tolerance_bp=tolerance_bp, progress=progress)
