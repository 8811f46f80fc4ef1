"""``ustpull report``: from raw data to the HTML report, findings.json, CSVs and PNGs.

:func:`build_report` runs, in order: ingest (online, or the catalogued files of a local
folder), load every series the analyses need from the store (optionally as known at
``as_of``), the U.S. and euro-area term premia (ACM), the stocks, foreign-bond and dollar
analyses and the event studies; then :mod:`ustpull.report.sections` turns the results into a
:class:`~ustpull.report.document.ReportDocument` and writes it.

A required series that is missing stops the run with an error naming it, unless
``allow_partial=True``: then each analysis that cannot run is left out and the gap is stated
in the report.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ustpull.crossasset.dollar import (
    DollarAnalysis,
    DollarAnalysisResults,
    DollarIndexChoice,
    FiscalMeasure,
    GrowthRule,
    dollar_series_ids,
)
from ustpull.crossasset.events import EPISODES, EventStudy, EventStudyResults
from ustpull.crossasset.foreign_bonds import (
    LINKAGE_COUNTRIES,
    ForeignBondsResults,
    LinkageResults,
    analyze_foreign_bonds,
    component_linkage,
    foreign_bond_series_ids,
    linkage_series_ids,
    monthly_decomposition,
)
from ustpull.crossasset.stocks import STOCK_SERIES, StocksAnalysisResults, analyze_stocks
from ustpull.errors import (
    DataError,
    IngestError,
    SeriesNotFoundError,
    ShortEndWarning,
    ShortSampleWarning,
    SourceUnavailableError,
    UstpullError,
)
from ustpull.store import Store
from ustpull.store.ingest import IngestSummary, ingest_local, ingest_online
from ustpull.termpremium.countries import CountryTermPremium, country_term_premium

__all__ = [
    "EVENT_SERIES",
    "REPORT_STEPS",
    "ReportInputs",
    "ReportOutcome",
    "ReportSettings",
    "build_report",
    "required_series",
]

Progress = Callable[[str, int, int], None]
"""Called as each step starts: ``(step, steps done, steps in total)``."""

REPORT_STEPS: tuple[str, ...] = (
    "ingest",
    "load",
    "term premia",
    "stocks",
    "foreign bonds",
    "dollar",
    "event studies",
    "write",
)

EVENT_SERIES: tuple[str, ...] = (
    "us.tips.10y",
    "us.cmt.10y",
    "us.cmt.2y",
    "us.sp500",
    "fx.dxy",
    "fx.usd_broad",
    "de.govt.10y",
    "jp.jgb.10y",
)
"""Series of the event-study table (taper tantrum first)."""


@dataclass(frozen=True)
class ReportSettings:
    """Model settings of the report (each shown in its methodology section)."""

    correlation_window_days: int = 252
    correlation_window_months: int = 36
    inflation_threshold: float = 3.0
    stock_weight: float = 0.6
    linkage_countries: tuple[str, ...] = LINKAGE_COUNTRIES
    connectedness_window: int = 200
    connectedness_lags: int = 2
    connectedness_horizon: int = 10
    dollar_index: DollarIndexChoice = "spliced"
    growth_rule: GrowthRule = "gdp_trend"
    fiscal_measure: FiscalMeasure = "impulse"
    fiscal_threshold: float = 1.0
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Settings for the methodology table and findings.json."""
        return {
            "stock-bond correlation window (trading days)": self.correlation_window_days,
            "stock-bond correlation window (months)": self.correlation_window_months,
            "CPI inflation threshold (% y/y)": self.inflation_threshold,
            "portfolio stock weight": self.stock_weight,
            "ACM": "K=5 PCs of month-end zero yields at 3..120 months; VAR(1); "
            "returns at 6,12,24..120 months; U.S. short rate: 1-month bill from 2001-07-31",
            "term-premium countries": list(self.linkage_countries),
            "Diebold-Yilmaz": f"VAR({self.connectedness_lags}), horizon "
            f"{self.connectedness_horizon}, rolling window {self.connectedness_window} days",
            "dollar index": self.dollar_index,
            "growth-state rule": self.growth_rule,
            "fiscal stance": f"{self.fiscal_measure}, threshold {self.fiscal_threshold} pp of GDP",
            "bootstrap seed": self.seed,
        }


def required_series(settings: ReportSettings = ReportSettings()) -> dict[str, list[str]]:
    """Series ids each analysis needs, by analysis."""
    return {
        "stocks": list(STOCK_SERIES),
        "foreign bonds": list(
            dict.fromkeys(
                foreign_bond_series_ids() + linkage_series_ids(settings.linkage_countries)
            )
        ),
        "dollar": dollar_series_ids(),
        "event studies": list(EVENT_SERIES),
    }


@dataclass
class ReportInputs:
    """Everything the sections are built from (results of each analysis, or its gap)."""

    data: pd.DataFrame
    settings: ReportSettings
    as_of: str
    us_daily: CountryTermPremium | None = None
    us_monthly: CountryTermPremium | None = None
    decompositions: dict[str, pd.DataFrame] = field(default_factory=dict)
    # the same decompositions with Pope bias-corrected VARs, and their linkage (robustness)
    decompositions_bias_corrected: dict[str, pd.DataFrame] = field(default_factory=dict)
    linkage_bias_corrected: LinkageResults | None = None
    stocks: StocksAnalysisResults | None = None
    foreign: ForeignBondsResults | None = None
    dollar: DollarAnalysisResults | None = None
    events: EventStudyResults | None = None
    sources: pd.DataFrame | None = None
    ingest: IngestSummary | None = None
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportOutcome:
    """What :func:`build_report` wrote and how long each step took."""

    out_dir: Path
    paths: dict[str, Path]
    timings: dict[str, float]
    gaps: list[str]
    findings: int


def _missing_series(store: Store, wanted: Sequence[str]) -> list[str]:
    listing = store.list_series()
    present = set(listing.index[listing["count"] > 0].astype(str))
    return [series_id for series_id in wanted if series_id not in present]


def build_report(
    out_dir: Path | str,
    *,
    data_dir: Path | str | None = None,
    store: Store | Path | str | None = None,
    as_of: str | None = None,
    allow_partial: bool = False,
    ingest: bool = True,
    attempts: int | None = None,
    settings: ReportSettings = ReportSettings(),
    progress: Progress | None = None,
    png: bool = True,
) -> ReportOutcome:
    """Ingest, analyse and write the report into ``out_dir``.

    Parameters
    ----------
    out_dir
        Output folder (created): ``index.html``, ``findings.json``, ``data/*.csv``,
        ``figures/*.png``.
    data_dir
        Ingest the catalogued files of this folder (offline); default: download every online
        source.
    store
        Store or its path; default the user's store.
    as_of
        Use the data as known at this date (the store's vintages).
    allow_partial
        Leave out analyses whose series are missing or that fail, stating the gaps, instead
        of stopping with an error.
    ingest
        ``False`` reports from the store as it is (no download, no local ingest).
    attempts
        Requests per URL when downloading, first try included (default: the client's policy).
    settings
        Model settings.
    progress
        Callback as each step starts.
    png
        Also write static PNG figures.

    Raises
    ------
    SeriesNotFoundError
        A required series is missing (named), without ``allow_partial``.
    """
    from ustpull.report.sections import assemble_document

    if as_of is not None:
        try:
            pd.Timestamp(as_of)
        except ValueError as bad_date:  # before any download, not after
            raise DataError(f"--as-of {as_of!r} is not a date") from bad_date
    target = store if isinstance(store, Store) else Store(store)
    timings: dict[str, float] = {}
    total = len(REPORT_STEPS)
    step_started = time.perf_counter()
    current = ""

    def step(name: str) -> None:
        nonlocal step_started, current
        now = time.perf_counter()
        if current:
            timings[current] = now - step_started
        current, step_started = name, now
        if progress is not None:
            progress(name, REPORT_STEPS.index(name), total)

    gaps: list[str] = []
    step("ingest")
    summary: IngestSummary | None = None
    if not ingest:
        pass
    elif data_dir is not None:
        summary = ingest_local(data_dir, store=target, skip_unchanged=True)
    else:
        summary = ingest_online(store=target, attempts=attempts)
    failed = summary.failures if summary is not None else pd.DataFrame()
    if summary is not None and len(failed):
        message = "; ".join(f"{row['name']}: {row['message']}" for _, row in failed.iterrows())
        if not allow_partial and summary.status != "partial":
            failure = {"unavailable": SourceUnavailableError, "invalid": DataError}.get(
                summary.status, IngestError
            )
            raise failure(f"ingest failed ({message}); --no-ingest reports from the store as it is")
        gaps.append(f"Ingest problems (the rest was used): {message}")

    step("load")
    needs = required_series(settings)
    wanted = list(dict.fromkeys(series_id for ids in needs.values() for series_id in ids))
    with target:
        missing = _missing_series(target, wanted)
        if missing and not allow_partial:
            by_analysis = "; ".join(
                f"{name}: {', '.join(s for s in ids if s in missing)}"
                for name, ids in needs.items()
                if any(s in missing for s in ids)
            )
            raise SeriesNotFoundError(
                f"required series missing from the store ({by_analysis}); ingest them or "
                "use --allow-partial"
            )
        available = [series_id for series_id in wanted if series_id not in missing]
        data = target.frame(available, as_of=as_of)
        sources = target.list_series(available)
        log = target.ingest_log()
    data = data.reindex(columns=wanted)
    as_of_date = _data_as_of(data, as_of)
    inputs = ReportInputs(
        data=data,
        settings=settings,
        as_of=as_of_date,
        sources=_sources_table(sources, log),
        ingest=summary,
        gaps=gaps,
    )
    # Event studies run on whatever series are there; the other analyses need all of theirs.
    optional = {"event studies"}
    blocked = {
        name
        for name, ids in needs.items()
        if any(s in missing for s in ids)
        and (name not in optional or all(s in missing for s in ids))
    }
    for name in sorted(optional - blocked):
        absent = [s for s in needs[name] if s in missing]
        if absent:
            gaps.append(f"{name}: without {', '.join(absent)} (missing)")
    for name in sorted(blocked):
        names = ", ".join(s for s in needs[name] if s in missing)
        gaps.append(f"{name}: left out, series missing: {names}")

    def guarded(name: str, run: Callable[[], None]) -> None:
        step(name)
        if name in blocked:
            return
        try:
            run()
        except (UstpullError, ValueError) as error:
            if not allow_partial:
                raise
            gaps.append(f"{name}: left out, {type(error).__name__}: {error}")

    guarded("term premia", lambda: _term_premia(inputs))
    guarded("stocks", lambda: _stocks(inputs))
    guarded("foreign bonds", lambda: _foreign(inputs))
    guarded("dollar", lambda: _dollar(inputs))
    guarded("event studies", lambda: _events(inputs))

    step("write")
    document = assemble_document(inputs)
    paths = document.write(out_dir, png=png)
    timings["write"] = time.perf_counter() - step_started
    if progress is not None:
        progress("done", total, total)
    return ReportOutcome(Path(out_dir), paths, timings, list(gaps), len(document.findings))


def _data_as_of(data: pd.DataFrame, as_of: str | None) -> str:
    last = data.dropna(how="all").index.max()
    if pd.isna(last):
        when = "" if as_of is None else f" as ingested by {as_of} (as-of selects ingest time)"
        raise DataError(f"the store holds no observations for the report's series{when}")
    if as_of is not None:
        return f"{min(pd.Timestamp(as_of), last):%Y-%m-%d}"
    return f"{last:%Y-%m-%d}"


def _sources_table(listing: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """One row per series: source, units, first and last date, observations, last ingest."""
    table = listing.reset_index()[
        ["id", "title", "units", "source", "first", "last", "count"]
    ].copy()
    table["first"] = pd.to_datetime(table["first"]).dt.strftime("%Y-%m-%d")
    table["last"] = pd.to_datetime(table["last"]).dt.strftime("%Y-%m-%d")
    if len(log):
        latest = log.sort_values("ingest_id").iloc[-1]
        table["store_vintage"] = f"ingest {int(latest['ingest_id'])} at {latest['recorded_at']}"
    return table.rename(columns={"count": "observations"})


# --------------------------------------------------------------------------- analyses


def _term_premia(inputs: ReportInputs) -> None:
    inputs.us_daily = country_term_premium("US", inputs.data, freq="daily")
    # 500 residual-block bootstrap replications give the chart's 90% bands (about 0.3 s)
    inputs.us_monthly = country_term_premium(
        "US", inputs.data, freq="monthly", bands=True, replications=500, seed=inputs.settings.seed
    )
    inputs.decompositions["us"] = monthly_decomposition(inputs.us_monthly.to_frame((10,)))
    for code in inputs.settings.linkage_countries:
        if code == "US":
            continue
        # The model's caveats (a proxy short rate, a short sample) belong in the report.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ShortEndWarning)
            warnings.simplefilter("always", ShortSampleWarning)
            try:
                estimate = country_term_premium(code, inputs.data, freq="monthly")
            except (UstpullError, ValueError) as error:
                inputs.gaps.append(f"term premium for {code}: not estimated ({error})")
                continue
        for message in dict.fromkeys(str(w.message) for w in caught):
            inputs.notes.append(f"Term premium, {message}")
        inputs.decompositions[code.lower()] = monthly_decomposition(estimate.to_frame((10,)))
    _bias_corrected_decompositions(inputs)


def _bias_corrected_decompositions(inputs: ReportInputs) -> None:
    """Every linkage country again with Pope (1990) bias-corrected VARs (robustness line)."""
    options = {"var_bias": "pope"}
    for code in ("US", *inputs.settings.linkage_countries):
        if code.lower() not in inputs.decompositions or code.lower() in (
            inputs.decompositions_bias_corrected
        ):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the caveats are noted for the main estimates
            try:
                estimate = country_term_premium(
                    code, inputs.data, freq="monthly", model_options=options
                )
            except (UstpullError, ValueError):
                continue
        inputs.decompositions_bias_corrected[code.lower()] = monthly_decomposition(
            estimate.to_frame((10,))
        )


def _stocks(inputs: ReportInputs) -> None:
    settings = inputs.settings
    decomposition = None if inputs.us_monthly is None else inputs.us_monthly.components(10)
    inputs.stocks = analyze_stocks(
        inputs.data,
        window=settings.correlation_window_days,
        monthly_window=settings.correlation_window_months,
        inflation_threshold=settings.inflation_threshold,
        stock_weight=settings.stock_weight,
        decomposition=decomposition,
        seed=settings.seed,
    )


def _foreign(inputs: ReportInputs) -> None:
    settings = inputs.settings
    inputs.foreign = analyze_foreign_bonds(
        inputs.data,
        window=settings.correlation_window_months,
        connectedness_window=settings.connectedness_window,
        lags=settings.connectedness_lags,
        horizon=settings.connectedness_horizon,
        decompositions=inputs.decompositions if len(inputs.decompositions) > 1 else None,
    )
    if len(inputs.decompositions_bias_corrected) > 1:
        try:
            inputs.linkage_bias_corrected = component_linkage(
                inputs.decompositions_bias_corrected, n_boot=500, seed=settings.seed
            )
        except DataError as error:
            inputs.gaps.append(f"linkage with bias-corrected VARs: not estimated ({error})")


def _dollar(inputs: ReportInputs) -> None:
    settings = inputs.settings
    decomposition = None if inputs.us_daily is None else inputs.us_daily.components(10)
    inputs.dollar = DollarAnalysis(
        inputs.data,
        decomposition=decomposition,
        index=settings.dollar_index,
        growth_rule=settings.growth_rule,
        fiscal_measure=settings.fiscal_measure,
        fiscal_threshold=settings.fiscal_threshold,
    ).fit()


def _events(inputs: ReportInputs) -> None:
    data = inputs.data[list(EVENT_SERIES)].dropna(axis=1, how="all")
    inputs.events = EventStudy(data, episodes=EPISODES, on_missing="skip").fit()
