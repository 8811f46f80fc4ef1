"""The term-premia study: the U.S. estimates and each country's 10-year split.

Each country is one work unit on the executor; a country that fails (no data, a model that
cannot be estimated) is stated as a gap and the others go on, in the CLI and the report alike.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import DailyMonthly
from ustpull.errors import DataError, ShortEndWarning, ShortSampleWarning, UstpullError
from ustpull.parallel import aligned_copy, map_chunks
from ustpull.studies.decomposition import components
from ustpull.studies.settings import LINKAGE_COUNTRIES, StudySettings
from ustpull.termpremium.countries import CountryTermPremium, country_curve, country_term_premium

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from plotly.graph_objects import Figure as PlotlyFigure

    from ustpull.charts import Chart

__all__ = [
    "PUBLISHED_KIM_WRIGHT",
    "TermPremia",
    "linkage_series_ids",
    "run_term_premia",
    "term_premium_decompositions",
    "us_term_premium",
]

PUBLISHED_KIM_WRIGHT = "us.kw.tp.10y"
"""Kim-Wright 10-year term premium (FRED ``THREEFYTP10``), overlaid on the ACM estimate."""


def linkage_series_ids(countries: Sequence[str] = LINKAGE_COUNTRIES) -> list[str]:
    """Series ids the term-premium estimates of ``countries`` need."""
    ids = [series_id for code in countries for series_id in country_curve(code).series_ids]
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class TermPremia(Results):
    """Results of :func:`run_term_premia` (read-only).

    ``us_daily`` and ``us_monthly`` (with 90% bootstrap bands) are the U.S. estimates;
    ``decompositions`` the monthly 10-year splits by lower-case country code, dated on the
    first of each month; ``decompositions_bias_corrected`` the same with Pope (1990)
    bias-corrected VARs (the robustness line). ``notes`` hold the models' caveats, ``gaps``
    the countries that could not be estimated.
    """

    us_daily: CountryTermPremium | None
    us_monthly: CountryTermPremium | None
    decompositions: Mapping[str, pd.DataFrame]
    decompositions_bias_corrected: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    replications: int = 0

    def summary(self) -> str:
        """The countries split, the notes and gaps, and the U.S. month-end estimate."""
        lines = [f"Term premia: 10-year splits for {', '.join(sorted(self.decompositions))}"]
        lines += [f"note: {note}" for note in self.notes]
        lines += [f"gap: {gap}" for gap in self.gaps]
        if self.us_monthly is not None:
            lines += ["", self.us_monthly.summary()]
        return "\n".join(lines)

    def chart(self) -> Chart:
        """The report's chart: the U.S. 10-year split with its band
        (:func:`ustpull.studies.charts.term_premium_split_chart`)."""
        from ustpull.studies.charts import term_premium_split_chart

        if self.us_monthly is None:
            raise DataError("no U.S. month-end estimate to chart")
        return term_premium_split_chart(self.us_monthly, self.replications)

    def figure(self) -> PlotlyFigure:
        """:meth:`chart` as an interactive plotly figure, as the report shows it."""
        import plotly.graph_objects as go

        from ustpull.charts import plotly_figure

        return go.Figure(plotly_figure(self.chart()))

    def plot(self) -> Figure:
        """The U.S. 10-year split with its band: the report's chart
        (:func:`ustpull.studies.charts.term_premium_split_chart`)."""
        from ustpull.charts import figure
        from ustpull.studies.charts import term_premium_split_chart

        if self.us_monthly is None:
            raise DataError("no U.S. month-end estimate to plot")
        return figure(term_premium_split_chart(self.us_monthly, self.replications))


def _caught(messages: list[warnings.WarningMessage]) -> list[str]:
    return list(dict.fromkeys(str(w.message) for w in messages))


def us_term_premium(
    data: pd.DataFrame,
    *,
    frequency: DailyMonthly = "monthly",
    bands: bool = False,
    replications: int = 500,
    seed: int = 0,
    executor: Executor | None = None,
) -> tuple[CountryTermPremium, list[str]]:
    """The U.S. ACM estimate with its caveats (e.g. the pre-1981 short rate) as notes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ShortEndWarning)
        estimate = country_term_premium(
            "US",
            data,
            frequency=frequency,
            bands=bands,
            replications=replications,
            seed=seed,
            executor=executor,
        )
    return estimate, _caught(caught)


def _country_job(
    job: tuple[str, pd.DataFrame], years: int, options: dict[str, Any]
) -> tuple[pd.DataFrame | None, list[str], str | None]:
    """One work unit: one country's ACM model -> (split, caveats, error)."""
    code, data = job
    # the same memory layout in every process (see ustpull.parallel.aligned_copy)
    values = aligned_copy(data.to_numpy(dtype=np.float64))
    frame = pd.DataFrame(values, index=data.index, columns=data.columns, copy=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ShortEndWarning)
        warnings.simplefilter("always", ShortSampleWarning)
        try:
            estimate = country_term_premium(code, frame, frequency="monthly", model_options=options)
            split = components(estimate, years=years, month_start=True)
        except (UstpullError, ValueError) as error:
            return None, _caught(caught), str(error)
    return split, _caught(caught), None


def term_premium_decompositions(
    data: pd.DataFrame,
    countries: Sequence[str] = LINKAGE_COUNTRIES,
    *,
    years: int = 10,
    executor: Executor | None = None,
    model_options: Mapping[str, Any] | None = None,
) -> tuple[dict[str, pd.DataFrame], list[str], list[str]]:
    """Monthly ACM splits of ``countries`` -> (splits by lower-case code, notes, gaps).

    Each country is estimated on its whole available sample as one work unit on
    ``executor``; a country without its curve series or whose model fails is a gap.
    ``model_options`` go to every country's ACM model (e.g. ``{"var_bias": "pope"}``).
    """
    notes: list[str] = []
    gaps: list[str] = []
    jobs = []
    for code in countries:
        absent = [s for s in country_curve(code).series_ids if s not in data.columns]
        if absent:  # optional in the report's recipe (no public source online): a note
            notes.append(
                f"term premium for {code}: not estimated (no data for {', '.join(absent)})"
            )
            continue
        curve = country_curve(code)
        curve_ids = list(curve.yield_ids + curve.parameter_ids)
        if data.loc[curve.first_date :, curve_ids].dropna(how="all").empty:
            # as of a date before the country's data begin: nothing to estimate, not a failure
            begin = "" if curve.first_date is None else f", from {curve.first_date}"
            notes.append(
                f"term premium for {code}: not estimated (its curve data begin after the "
                f"data's last date{begin})"
            )
            continue
        jobs.append((code, data.loc[:, list(linkage_series_ids((code,)))]))
    options = dict(model_options or {})
    results = map_chunks(_country_job, jobs, years, options, executor=executor)
    splits: dict[str, pd.DataFrame] = {}
    for (code, _), (split, caveats, error) in zip(jobs, results, strict=True):
        notes.extend(f"Term premium, {message}" for message in caveats)
        if error is not None:
            gaps.append(f"term premium for {code}: not estimated ({error})")
        elif split is not None:
            splits[code.lower()] = split
    return splits, notes, gaps


def run_term_premia(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    executor: Executor | None = None,
    bias_corrected: bool = True,
) -> TermPremia:
    """The U.S. daily and monthly (banded) estimates and every linkage country's split.

    ``bias_corrected`` adds each estimated country again with Pope (1990) bias-corrected
    VARs (the report's robustness line).
    """
    us_daily, daily_notes = us_term_premium(data, frequency="daily")
    # residual-block bootstrap replications give the chart's 90% bands
    us_monthly, monthly_notes = us_term_premium(
        data,
        bands=True,
        replications=settings.term_premium_replications,
        seed=settings.seed,
        executor=executor,
    )
    countries = tuple(dict.fromkeys(("US", *settings.linkage_countries)))
    splits, notes, gaps = term_premium_decompositions(data, countries, executor=executor)
    robust: dict[str, pd.DataFrame] = {}
    if bias_corrected and splits:
        estimated = [code for code in countries if code.lower() in splits]
        options = {"var_bias": "pope"}  # the caveats are noted for the main estimates
        robust, _, _ = term_premium_decompositions(
            data, estimated, executor=executor, model_options=options
        )
    caveats = [f"Term premium, {m}" for m in dict.fromkeys([*daily_notes, *monthly_notes])]
    return TermPremia(
        us_daily=us_daily,
        us_monthly=us_monthly,
        decompositions=splits,
        decompositions_bias_corrected=robust,
        notes=tuple(dict.fromkeys([*caveats, *notes])),
        gaps=tuple(gaps),
        replications=settings.term_premium_replications,
    )
