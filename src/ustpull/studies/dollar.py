"""The dollar study: the dollar against Treasuries, all four views on one data set.

Co-movement with the 10-year yield and its parts, relative prices against yield
differentials, the dollar smile by growth state and the fiscal frown
(:mod:`ustpull.crossasset.dollar` holds the models).
"""

from __future__ import annotations

from concurrent.futures import Executor

import pandas as pd

from ustpull.crossasset.dollar import (
    DollarAnalysisResults,
    DollarIndexChoice,
    DollarSmile,
    DollarSmileResults,
    DollarYieldComovement,
    FiscalFrown,
    FiscalFrownResults,
    FiscalMeasure,
    Frequency,
    GrowthRule,
    RelativePrices,
    dollar_index,
    dollar_shape_tests,
)
from ustpull.errors import DataError
from ustpull.studies.decomposition import components
from ustpull.studies.settings import StudySettings
from ustpull.studies.term_premia import us_term_premium
from ustpull.termpremium.countries import country_curve

__all__ = ["DOLLAR_OPTIONAL", "DOLLAR_SERIES", "DollarAnalysis", "dollar_series_ids", "run_dollar"]

DOLLAR_SERIES: tuple[str, ...] = (
    "fx.dxy",
    "fx.usd_broad",
    "fx.usd_per_eur",
    "fx.jpy_per_usd",
    "us.cmt.2y",
    "us.cmt.10y",
    "de.govt.2y",
    "de.govt.10y",
    "jp.jgb.2y",
    "jp.jgb.10y",
    "us.recession",
    "us.gdp.real",
    "us.indpro",
    "us.unrate",
    "us.fiscal.receipts",
    "us.fiscal.expenditure",
    "us.fiscal.gdp",
    "us.fiscal.debt",
    "us.fiscal.interest",
    "us.payrolls",
    "us.vix",
    "us.nfci",
    "us.hy_oas",
)
"""Series the dollar analysis reads (canonical ids)."""

DOLLAR_OPTIONAL: tuple[str, ...] = (
    "us.fiscal.interest",
    "us.payrolls",
    "us.vix",
    "us.nfci",
    "us.hy_oas",
)
"""Series of the shape tests (:func:`~ustpull.crossasset.dollar.dollar_shape_tests`) the
study runs without: a test whose data are missing is left out and stated."""


class DollarAnalysis:
    """The dollar's relation to Treasuries: all four views on one data set.

    Parameters
    ----------
    data
        Wide frame with the :data:`DOLLAR_SERIES` (daily, monthly and quarterly series side
        by side; each keeps its own dates).
    decomposition
        Optional 10-year ``expected_rate`` / ``term_premium`` frame (percent) from the
        term-premium model; without it the co-movement covers the yield only and the frown's
        term-premium share is not computed.
    index
        Which dollar index (see :func:`dollar_index`).
    frequency, window
        Sampling and rolling window of the co-movement and relative prices.
    ex_post_tables
        Also build the descriptive state tables (:class:`DollarSmile` by NBER recession dates
        and final GDP with ``growth_rule``; :class:`FiscalFrown` by the headline balance with
        ``fiscal_measure`` and ``fiscal_threshold``), labelled ex post. Off by default: the
        growth states of the default results are the real-time ones of the shape tests
        (publication lags respected, :func:`dollar_shape_tests`).
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        decomposition: pd.DataFrame | None = None,
        index: DollarIndexChoice = "spliced",
        growth_rule: GrowthRule = "gdp_trend",
        fiscal_measure: FiscalMeasure = "impulse",
        fiscal_threshold: float = 1.0,
        frequency: Frequency = "weekly",
        window: int = 52,
        seed: int = 0,
        ex_post_tables: bool = False,
    ) -> None:
        if not 0.0 <= fiscal_threshold <= 20.0:  # NaN fails too: every year would be "neutral"
            raise DataError(
                f"fiscal_threshold must be finite percentage points of GDP in [0, 20], "
                f"got {fiscal_threshold}"
            )
        self._data = data
        self._decomposition = decomposition
        self._index: DollarIndexChoice = index
        self._growth_rule: GrowthRule = growth_rule
        self._fiscal_measure: FiscalMeasure = fiscal_measure
        self._fiscal_threshold = fiscal_threshold
        self._frequency: Frequency = frequency
        self._window = window
        self._seed = seed
        self._ex_post_tables = ex_post_tables

    def fit(self) -> DollarAnalysisResults:
        dollar = dollar_index(self._data, index=self._index)
        ten_year = self._data["us.cmt.10y"].dropna()
        comovement = DollarYieldComovement(
            dollar,
            ten_year,
            decomposition=self._decomposition,
            frequency=self._frequency,
            window=self._window,
        ).fit()
        relative = RelativePrices(self._data, frequency=self._frequency, window=self._window).fit()
        smile, frown = self._ex_post(dollar, ten_year) if self._ex_post_tables else (None, None)
        shapes = dollar_shape_tests(dollar, self._data, seed=self._seed)
        return DollarAnalysisResults(comovement, relative, smile, frown, self._index, shapes)

    def _ex_post(
        self, dollar: pd.Series, ten_year: pd.Series
    ) -> tuple[DollarSmileResults, FiscalFrownResults]:
        """The descriptive state tables (NBER dates and final GDP; headline balance)."""
        smile = DollarSmile(dollar, ten_year, self._data, rule=self._growth_rule).fit()
        term_premium = None if self._decomposition is None else self._decomposition["term_premium"]
        frown = FiscalFrown(
            dollar,
            ten_year,
            self._data,
            term_premium=term_premium,
            measure=self._fiscal_measure,
            threshold=self._fiscal_threshold,
        ).fit()
        return smile, frown


def dollar_series_ids(*, with_term_premium: bool = True) -> list[str]:
    """Series the dollar analysis loads (with the U.S. curve for the term premium)."""
    ids = list(DOLLAR_SERIES)
    if with_term_premium:
        ids += list(country_curve("US").series_ids)
    return list(dict.fromkeys(ids))


def run_dollar(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    decomposition: pd.DataFrame | None = None,
    executor: Executor | None = None,
) -> tuple[DollarAnalysisResults, list[str]]:
    """The dollar study with ``settings`` -> (results, notes).

    Without ``decomposition`` and with ``settings.term_premium`` the U.S. 10-year is split
    here by the daily ACM model (:func:`ustpull.studies.decomposition.components`). The
    spliced index falls back to the Fed's broad index alone when DXY is not in the data
    (ICE does not publish it openly), stated in the notes. ``executor`` is accepted for a
    uniform signature (the dollar tables are serial).
    """
    notes: list[str] = []
    if decomposition is None and settings.term_premium:
        estimate, _ = us_term_premium(data, frequency="daily")
        decomposition = components(estimate)
    index = settings.dollar_index
    if index == "spliced" and ("fx.dxy" not in data.columns or data["fx.dxy"].isna().all()):
        index = "broad"
        notes.append("Dollar: the Fed's broad index alone (no DXY in the store)")
    elif index == "spliced" and (
        "fx.usd_broad" not in data.columns or data["fx.usd_broad"].isna().all()
    ):
        notes.append("Dollar: DXY alone (the Fed's broad index has no data up to this date)")
    results = DollarAnalysis(
        data,
        decomposition=decomposition,
        index=index,
        growth_rule=settings.growth_rule,
        fiscal_measure=settings.fiscal_measure,
        fiscal_threshold=settings.fiscal_threshold,
        frequency=settings.dollar_frequency,
        window=settings.dollar_window,
        seed=settings.seed,
        ex_post_tables=settings.dollar_ex_post_tables,
    ).fit()
    shapes = results.shapes
    if shapes is not None:
        missing = [n for n in ("growth", "risk_off", "fiscal") if getattr(shapes, n) is None]
        if missing:
            notes.append(f"Dollar: shape tests not run for lack of data: {', '.join(missing)}")
    return results, notes
