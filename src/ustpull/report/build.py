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
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ustpull.crossasset.connectedness.global_yields import (
    GlobalYieldsConnectedness,
    global_yields_connectedness,
    global_yields_series_ids,
)
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
    CURVE_SPREAD_IDS,
    LINKAGE_COUNTRIES,
    ForeignBondsResults,
    LinkageResults,
    analyze_foreign_bonds,
    component_linkage,
    foreign_bond_series_ids,
    linkage_series_ids,
    monthly_decomposition,
)
from ustpull.crossasset.foreign_bonds import REQUIRED_SERIES as FOREIGN_REQUIRED
from ustpull.crossasset.stocks import STOCK_SERIES, StocksAnalysisResults, analyze_stocks
from ustpull.errors import (
    DataError,
    IngestError,
    PartialDataError,
    SeriesNotFoundError,
    ShortEndWarning,
    ShortSampleWarning,
    SourceUnavailableError,
    UstpullError,
)
from ustpull.report.recipes import PlanRow, Recipe, Resolution, plan, recipes, resolve
from ustpull.store import Store
from ustpull.store.ingest import IngestSummary, ingest_local, ingest_online
from ustpull.termpremium.countries import (
    CountryTermPremium,
    country_curve,
    country_term_premium,
)

__all__ = [
    "EVENT_SERIES",
    "REPORT_STEPS",
    "ReportInputs",
    "ReportOutcome",
    "ReportSettings",
    "build_report",
    "report_plan",
    "report_recipes",
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
    "connectedness",
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
            "TVP-VAR connectedness": "weekly 10-year yield changes, VAR(1), kappa 0.99/0.99, "
            "BayesPrior 104 weeks, horizon 10 (bands 1-4 / 4+ weeks at horizon 100)",
            "dollar index": self.dollar_index,
            "growth-state rule": self.growth_rule,
            "fiscal stance": f"{self.fiscal_measure}, threshold {self.fiscal_threshold} pp of GDP",
            "bootstrap seed": self.seed,
        }


PUBLISHED_KIM_WRIGHT = "us.kw.tp.10y"
"""Kim-Wright 10-year term premium (FRED ``THREEFYTP10``), overlaid on the ACM estimate."""


def required_series(settings: ReportSettings = ReportSettings()) -> dict[str, list[str]]:
    """Columns (canonical ids) each analysis reads, by analysis (see :func:`report_recipes`
    for the series that may fill each)."""
    return {
        # Kim-Wright (published, for the overlay) is optional: FRED serves it online
        "term premia": [*linkage_series_ids(settings.linkage_countries), PUBLISHED_KIM_WRIGHT],
        "stocks": list(STOCK_SERIES),
        "foreign bonds": foreign_bond_series_ids(emerging_monthly=True),
        # the dollar uses the U.S. term premium (term premia), not the curve itself
        "dollar": dollar_series_ids(with_term_premium=False),
        "event studies": list(EVENT_SERIES),
        "connectedness": global_yields_series_ids(),
    }


def report_recipes(settings: ReportSettings = ReportSettings()) -> list[Recipe]:
    """One recipe per analysis: each column with its candidate series in order.

    The term premia need the U.S. curve; each other country's curve is optional (a country
    without one is stated as not estimated).
    """
    columns = required_series(settings)
    us_curve = set(country_curve("US").series_ids)
    foreign_curves = {c for c in columns["term premia"] if c not in us_curve}  # and Kim-Wright
    # every market but the U.S. joins the foreign-bond statistics when its series is there
    base = {*FOREIGN_REQUIRED, *CURVE_SPREAD_IDS}
    other_markets = {c for c in columns["foreign bonds"] if c not in base}
    return recipes(
        columns, optional={"term premia": foreign_curves, "foreign bonds": other_markets}
    )


def report_plan(
    *,
    store: Store | Path | str | None = None,
    data_dir: Path | str | None = None,
    settings: ReportSettings = ReportSettings(),
) -> list[PlanRow]:
    """Where every series of the report will come from, without downloading anything.

    Online (default): the first candidate of each column already in the store, else the
    first an online publisher serves. With ``data_dir``: the first candidate a catalogued
    local file holds.
    """
    from ustpull.sources.catalog import default_catalog

    target = store if isinstance(store, Store) else Store(store, read_only=True)
    listing = target.list_series()
    present = set(listing.index[listing["count"] > 0].astype(str))
    return plan(
        report_recipes(settings),
        present,
        catalog=default_catalog(),
        online=data_dir is None,
    )


def _downloads(all_recipes: Sequence[Recipe]) -> dict[str, list[str]]:
    """Source -> ids to download: every candidate an online publisher serves, so a
    preferred series that fails leaves its fallback."""
    from ustpull.sources.online import source_of

    wanted: dict[str, list[str]] = {}
    for series_id in dict.fromkeys(s for recipe in all_recipes for s in recipe.series()):
        source = source_of(series_id)
        if source is not None and series_id not in wanted.setdefault(source, []):
            wanted[source].append(series_id)
    return wanted


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
    connectedness: GlobalYieldsConnectedness | None = None
    dollar: DollarAnalysisResults | None = None
    events: EventStudyResults | None = None
    sources: pd.DataFrame | None = None
    ingest: IngestSummary | None = None
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resolutions: dict[str, Resolution] = field(default_factory=dict)
    provenance: pd.DataFrame | None = None

    def frame(self, analysis: str) -> pd.DataFrame:
        """The columns ``analysis`` reads, each filled by its recipe's chosen series."""
        return self.resolutions[analysis].frame(self.data)


@dataclass(frozen=True)
class ReportOutcome:
    """What :func:`build_report` wrote and how long each step took."""

    out_dir: Path
    paths: dict[str, Path]
    timings: dict[str, float]
    gaps: list[str]
    findings: int
    ingest: IngestSummary | None = None


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
    timeout: float | None = None,
) -> ReportOutcome:
    """Ingest, analyse and write the report into ``out_dir``.

    Parameters
    ----------
    out_dir
        Output folder: ``index.html``, ``findings.json``, ``data/*.csv``,
        ``figures/*.png``. Written atomically (:func:`ustpull.report.output.write_report`):
        an earlier report there is replaced whole, or left intact if writing fails.
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
    timeout
        Overall deadline of the downloads in seconds (see
        :func:`~ustpull.store.ingest.ingest_online`).

    Raises
    ------
    SeriesNotFoundError
        A required series is missing (named), without ``allow_partial``.
    """
    from ustpull.report.output import check_out_dir, write_report
    from ustpull.report.sections import assemble_document

    if as_of is not None and not _is_iso_date(as_of):  # before any download, not after
        raise DataError(f"--as-of {as_of!r} is not a date; expected YYYY-MM-DD")
    check_out_dir(out_dir)
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
        summary = ingest_online(
            store=target,
            series=_downloads(report_recipes(settings)),
            attempts=attempts,
            timeout=timeout,
        )
    failed = summary.failures if summary is not None else pd.DataFrame()
    if summary is not None and len(failed):
        message = "; ".join(f"{row['name']}: {row['message']}" for _, row in failed.iterrows())
        if not allow_partial and summary.status != "partial":
            failure = {"unavailable": SourceUnavailableError, "invalid": DataError}.get(
                summary.status, IngestError
            )
            raise failure(f"ingest failed ({message}); --no-ingest reports from the store as it is")
        gaps.append(f"Ingest problems (the rest was used): {message}")
    if summary is not None and summary.rows_rejected:
        gaps.append(
            f"Ingest rejected {summary.rows_rejected} row(s) as implausible or unreadable "
            "(kept out of the store with their reasons; see the store's rejections)"
        )
    if summary is not None and summary.stopped:
        gaps.append(f"Ingest stopped early: {summary.stopped}")

    step("load")
    all_recipes = report_recipes(settings)
    wanted = list(dict.fromkeys(s for recipe in all_recipes for s in recipe.series()))
    with target:
        listing = target.list_series()
        present = set(listing.index[listing["count"] > 0].astype(str))
        resolutions = {recipe.analysis: resolve(recipe, present) for recipe in all_recipes}
        unresolved = {name: r.missing for name, r in resolutions.items() if r.missing}
        if unresolved and not allow_partial:
            by_analysis = "; ".join(f"{name}: {', '.join(m)}" for name, m in unresolved.items())
            if gaps:  # some downloads failed: what came through is committed (exit 3)
                raise PartialDataError(
                    f"required series missing ({by_analysis}) after failed downloads; "
                    f"{gaps[0]}; --allow-partial reports what can run"
                )
            raise SeriesNotFoundError(
                f"required series missing from the store ({by_analysis}); ingest them or "
                "use --allow-partial (see `ustpull report --plan`)"
            )
        available = [series_id for series_id in wanted if series_id in present]
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
        resolutions=resolutions,
    )
    inputs.provenance = _provenance(inputs, sources, target)
    # Event studies run on whatever series are there; the other analyses need all of theirs.
    blocked = {
        name
        for name, resolution in resolutions.items()
        if resolution.missing or all(pick is None for pick in resolution.chosen.values())
    }
    for name, resolution in resolutions.items():
        inputs.notes.extend(f"{name.capitalize()}: {note}" for note in resolution.notes())
        absent = sorted(c for c in resolution.optional if resolution.chosen.get(c) is None)
        if absent and name != "term premia":  # term premia name each country left out
            inputs.notes.append(
                f"{name.capitalize()}: without {', '.join(absent)} (not in the store; "
                "what needs them is left out, e.g. a market's daily statistics)"
            )
    for name in [r.analysis for r in all_recipes if r.analysis in blocked]:
        names = ", ".join(resolutions[name].missing) or "every series"
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
    guarded("connectedness", lambda: _connectedness(inputs))
    guarded("dollar", lambda: _dollar(inputs))
    guarded("event studies", lambda: _events(inputs))

    step("write")
    document = assemble_document(inputs)
    private: list[tuple[Path | str, str]] = [(target.path.parent, "<store folder>")]
    if data_dir is not None:
        private.append((Path(data_dir).expanduser().resolve(), "<data-dir>"))
        private.append((Path(data_dir), "<data-dir>"))
    paths = write_report(document, out_dir, png=png, private_roots=private)
    timings["write"] = time.perf_counter() - step_started
    if progress is not None:
        progress("done", total, total)
    return ReportOutcome(Path(out_dir), paths, timings, list(gaps), len(document.findings), summary)


def _is_iso_date(text: str) -> bool:
    try:
        return len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _data_as_of(data: pd.DataFrame, as_of: str | None) -> str:
    last = data.dropna(how="all").index.max()
    if pd.isna(last):
        when = "" if as_of is None else f" as ingested by {as_of} (as-of selects ingest time)"
        raise DataError(f"the store holds no observations for the report's series{when}")
    if as_of is not None:
        return f"{min(pd.Timestamp(as_of), last):%Y-%m-%d}"
    return f"{last:%Y-%m-%d}"


def _provenance(inputs: ReportInputs, listing: pd.DataFrame, store: Store) -> pd.DataFrame:
    """Per analysis and column: the series used, its source, URL or file, and last date."""
    from ustpull.store.downloads import series_origins

    origins = series_origins(store, list(listing.index.astype(str)))
    rows = []
    for analysis, resolution in inputs.resolutions.items():
        for column, pick in resolution.chosen.items():
            if pick is None:
                continue
            meta = listing.loc[pick.series].to_dict()
            rows.append(
                {
                    "analysis": analysis,
                    "column": column,
                    "series": pick.series,
                    "source": str(meta["source"]),
                    "origin": origins.get(pick.series, ""),
                    "last": f"{pd.Timestamp(meta['last']):%Y-%m-%d}",
                    "required": column not in resolution.optional,
                }
            )
    columns = ["analysis", "column", "series", "source", "origin", "last", "required"]
    return pd.DataFrame(rows, columns=columns)


def data_through(provenance: pd.DataFrame) -> dict[str, str]:
    """Per analysis: the date all its required series run through (their earliest end);
    for an analysis of optional series only (event studies), the latest end of any."""
    through = {}
    for name, used in provenance.groupby("analysis", sort=False):
        required = used[used["required"]]
        through[str(name)] = (
            str(required["last"].min()) if len(required) else str(used["last"].max())
        )
    return through


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
    data = inputs.frame("term premia")
    # The model's caveats (e.g. the pre-1981 short rate) belong in the report, once.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ShortEndWarning)
        inputs.us_daily = country_term_premium("US", data, frequency="daily")
        # 500 residual-block bootstrap replications give the chart's 90% bands (about 0.3 s)
        inputs.us_monthly = country_term_premium(
            "US", data, frequency="monthly", bands=True, replications=500, seed=inputs.settings.seed
        )
    for message in dict.fromkeys(str(w.message) for w in caught):
        inputs.notes.append(f"Term premium, {message}")
    inputs.decompositions["us"] = monthly_decomposition(inputs.us_monthly.to_frame((10,)))
    for code in inputs.settings.linkage_countries:
        if code == "US":
            continue
        absent = [s for s in country_curve(code).series_ids if s not in data.columns]
        if absent:  # optional in the recipe (no public source online): stated, not a gap
            inputs.notes.append(
                f"term premium for {code}: not estimated (no data for {', '.join(absent)})"
            )
            continue
        # The model's caveats (a proxy short rate, a short sample) belong in the report.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ShortEndWarning)
            warnings.simplefilter("always", ShortSampleWarning)
            try:
                estimate = country_term_premium(code, data, frequency="monthly")
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
                    code, inputs.data, frequency="monthly", model_options=options
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
        inputs.frame("stocks"),
        equity_includes_dividends=inputs.resolutions["stocks"].includes_dividends,
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
        inputs.frame("foreign bonds"),
        window=settings.correlation_window_months,
        connectedness_window=settings.connectedness_window,
        lags=settings.connectedness_lags,
        horizon=settings.connectedness_horizon,
        decompositions=inputs.decompositions if len(inputs.decompositions) > 1 else None,
    )
    if len(inputs.decompositions_bias_corrected) > 1:
        try:
            inputs.linkage_bias_corrected = component_linkage(
                inputs.decompositions_bias_corrected, replications=500, seed=settings.seed
            )
        except DataError as error:
            inputs.gaps.append(f"linkage with bias-corrected VARs: not estimated ({error})")


def _connectedness(inputs: ReportInputs) -> None:
    inputs.connectedness = global_yields_connectedness(
        inputs.frame("connectedness"),
        decompositions=inputs.decompositions,
        seed=inputs.settings.seed,
    )


def _dollar(inputs: ReportInputs) -> None:
    settings = inputs.settings
    decomposition = None if inputs.us_daily is None else inputs.us_daily.components(10)
    index = settings.dollar_index
    if index == "spliced" and inputs.resolutions["dollar"].chosen.get("fx.dxy") is None:
        index = "broad"  # DXY (ICE) is not published openly: the Fed's broad index alone
        inputs.notes.append("Dollar: the Fed's broad index alone (no DXY in the store)")
    inputs.dollar = DollarAnalysis(
        inputs.frame("dollar"),
        decomposition=decomposition,
        index=index,
        growth_rule=settings.growth_rule,
        fiscal_measure=settings.fiscal_measure,
        fiscal_threshold=settings.fiscal_threshold,
    ).fit()


def _events(inputs: ReportInputs) -> None:
    data = inputs.frame("event studies").dropna(axis=1, how="all")
    inputs.events = EventStudy(data, episodes=EPISODES, on_missing="skip").fit()
