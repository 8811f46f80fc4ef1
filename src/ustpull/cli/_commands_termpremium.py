"""CLI commands: termpremium (ACM term premium by country)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ustpull._typing import BiasCorrection, DailyMonthly
from ustpull.cli._common import (
    AsOfDate,
    DaskScheduler,
    DataDir,
    StorePath,
    Workers,
    bounded,
    iso_date,
)
from ustpull.cli._summary import JsonFlag, QuietFlag, emit, progress

MAX_REPLICATIONS = 100_000
#: Bytes a bootstrap replication keeps per date and maturity (draws, fitted yields, premia).
_BYTES_PER_CELL = 3 * 8


def check_bootstrap_memory(replications: int, dates: int, maturities: int) -> None:
    """Refuse a bootstrap whose draws would not fit in the memory available (exit 2)."""
    import os

    needed = replications * dates * maturities * _BYTES_PER_CELL
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not on this platform: do not guess
        return
    if needed > available:
        raise typer.BadParameter(
            f"{replications} replications x {dates} dates x {maturities} maturities need about "
            f"{needed / 2**30:.1f} GiB, more than the {available / 2**30:.1f} GiB available; "
            "lower --replications",
            param_hint="--replications",
        )


if TYPE_CHECKING:
    import pandas as pd

    from ustpull.termpremium.countries import CountryCurve, CountryTermPremium


TermPremiumOutput = Annotated[
    Path | None, typer.Option("--output", help="Write the decomposition to FILE.csv.")
]
CountryCode = Annotated[
    str, typer.Option("--country", help="Country code: US, EA, AU, DE, JP or CH.")
]
OutputFrequency = Annotated[
    DailyMonthly,
    typer.Option("--frequency", "--freq", help="Output dates: monthly (month-ends) or daily."),
]
FirstDate = Annotated[str | None, typer.Option(callback=iso_date, help="First date (YYYY-MM-DD).")]
LastDate = Annotated[str | None, typer.Option(callback=iso_date, help="Last date (YYYY-MM-DD).")]
BandsFlag = Annotated[
    bool,
    typer.Option(
        "--bands",
        help="Add 90% bootstrap bands of the term premium (with --real: VAR-uncertainty "
        "bands of the term premia, inflation risk premium and expected inflation).",
    ),
]
VarBias = Annotated[
    BiasCorrection, typer.Option(help="VAR small-sample bias correction: none, pope or kilian.")
]
EigenvalueCap = Annotated[
    float | None,
    typer.Option(
        callback=bounded(0.001, 1.0, what="an eigenvalue modulus"),
        help="Cap on the VAR eigenvalue moduli, e.g. 0.995.",
    ),
]
Replications = Annotated[
    int,
    typer.Option(
        callback=bounded(1, MAX_REPLICATIONS, what="a number of replications"),
        help=f"Bootstrap replications (1..{MAX_REPLICATIONS}).",
    ),
]
RealFlag = Annotated[
    bool,
    typer.Option(
        "--real",
        help="U.S.: joint nominal-real model; adds real_term_premium_{n}y, "
        "inflation_risk_premium_{n}y, expected_inflation_{n}y, liquidity_premium_{n}y "
        "(n = 2..10).",
    ),
]
CompareFlag = Annotated[
    bool,
    typer.Option(
        "--compare",
        help="U.S.: print gap statistics against the NY Fed ACM and Kim-Wright.",
    ),
]
LiquidityIds = Annotated[
    list[str] | None,
    typer.Option(
        "--liquidity",
        help="With --real: a stored series id used as a TIPS liquidity factor (zero = "
        "perfectly liquid; repeatable). Without one the liquidity premium is zero.",
    ),
]
RealTimeFlag = Annotated[
    bool,
    typer.Option(
        "--real-time",
        help="Add term_premium_{n}y_real_time: each month estimated on data up to it "
        "(expanding window from 120 months); print its gap to the full sample.",
    ),
]


def _termpremium(
    output: TermPremiumOutput = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
    country: CountryCode = "US",
    freq: OutputFrequency = "monthly",
    start: FirstDate = None,
    end: LastDate = None,
    data_dir: DataDir = None,
    store: StorePath = None,
    as_of: AsOfDate = None,
    bands: BandsFlag = False,
    var_bias: VarBias = "none",
    eigenvalue_cap: EigenvalueCap = None,
    replications: Replications = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    workers: Workers = None,
    dask_scheduler: DaskScheduler = None,
    real: RealFlag = False,
    compare: CompareFlag = False,
    liquidity: LiquidityIds = None,
    real_time: RealTimeFlag = False,
) -> None:
    """ACM term premium: yield_{n}y, risk_neutral_{n}y, term_premium_{n}y for n = 1..10 and
    term_premium_5y5y (%)."""
    from ustpull.parallel import executor_from_options
    from ustpull.termpremium.countries import country_curve, country_term_premium

    curve = country_curve(country)
    _check_extras(curve.code, freq=freq, real=real, compare=compare, real_time=real_time)
    if real:
        if output is None or as_json:
            raise typer.BadParameter("--real needs --output FILE.csv (and prints text, no --json)")
        _write_real(
            output,
            data_dir=data_dir,
            store=store,
            as_of=as_of,
            start=start,
            end=end,
            liquidity=liquidity or [],
            bands=(replications, seed) if bands else None,
        )
        return
    data = _load_curve_data(curve, compare=compare, data_dir=data_dir, store=store, as_of=as_of)
    if bands:
        check_bootstrap_memory(replications, len(data), len(curve.series_ids))
    with (
        progress(quiet, 1) as step,
        executor_from_options(workers=workers, dask_scheduler=dask_scheduler) as executor,
    ):
        step(
            f"ACM term premium, {curve.code}"
            + (f", {replications} bootstrap draws" if bands else "")
        )
        estimate = country_term_premium(
            curve.code,
            data,
            frequency=freq,
            start=start,
            end=end,
            bands=bands,
            replications=replications,
            seed=seed,
            executor=executor,
            model_options={"var_bias": var_bias, "eigenvalue_cap": eigenvalue_cap},
        )
    frame = estimate.to_frame()
    if real_time:
        frame = _with_real_time(frame, estimate, as_json=as_json)
    if compare:
        _print_comparison(estimate, data, store=store, as_of=as_of, as_json=as_json)
    _emit_decomposition(frame, curve.code, freq, output=output, as_json=as_json)


def _load_curve_data(
    curve: CountryCurve,
    *,
    compare: bool,
    data_dir: Path | None,
    store: Path | None,
    as_of: str | None,
) -> pd.DataFrame:
    """The curve's series (with Kim-Wright's 10-year premium for --compare), plus the
    optional online-only series the store may hold when no --data-dir is given."""
    from ustpull.studies import load_frame
    from ustpull.termpremium.countries import stored_optional_series

    extra = ["us.kw.tp.10y"] if compare else []
    data = load_frame(curve.series_ids + extra, store=store, data_dir=data_dir, as_of=as_of)
    if data_dir is None:  # JP, CH call rates: online-only series the store may hold
        optional = stored_optional_series(curve, store)
        data = data.join(optional.loc[: data.index.max()], how="outer")
    return data


def _with_real_time(
    frame: pd.DataFrame, estimate: CountryTermPremium, *, as_json: bool
) -> pd.DataFrame:
    """``frame`` with the real-time (expanding-window) premia; prints their gap to the full
    sample (on standard error with --json)."""
    from ustpull.termpremium.realtime import expanding_term_premium

    expanding = expanding_term_premium(estimate.results.model)
    live = expanding.to_frame()
    frame = frame.join(live.loc[:, live.columns.str.endswith("_real_time")])
    typer.echo("real time minus full sample, by maturity (months):", err=as_json)
    typer.echo(expanding.gap_summary().round(2).to_string(), err=as_json)
    typer.echo("root mean square gap (bp) by decade of the estimate:", err=as_json)
    typer.echo(expanding.gap_by_decade()[[24, 60, 120]].round(1).to_string(), err=as_json)
    return frame


def _print_comparison(
    estimate: CountryTermPremium,
    data: pd.DataFrame,
    *,
    store: Path | None,
    as_of: str | None,
    as_json: bool,
) -> None:
    """Gap statistics of the 10-year premium against Kim-Wright and the NY Fed ACM."""
    from ustpull.termpremium.published import comparison_text, stored_nyfed_series

    published = stored_nyfed_series(store)
    if published is not None:  # --as-of: no published value after the date either
        from ustpull.studies import AsOf

        published = AsOf.parse(as_of).cut(published)
    text = comparison_text(estimate.results.term_premium, data["us.kw.tp.10y"], published)
    typer.echo(text, err=as_json)


def _emit_decomposition(
    frame: pd.DataFrame, code: str, freq: str, *, output: Path | None, as_json: bool
) -> None:
    """Write ``frame`` to ``output`` (if given) and print the latest 10-year split."""
    payload = latest_summary(frame, code, freq)
    rows = [
        (_LABELS[name], f"{value:.2f}", payload["last"])
        for name, value in payload["latest"].items()
    ]
    if output is not None:
        frame.to_csv(output, float_format="%.6f", date_format="%Y-%m-%d")
    emit(payload, title=f"ACM term premium, {code}, {freq}", rows=rows, as_json=as_json)
    if output is not None:
        typer.echo(
            f"wrote {output} ({len(frame)} rows, {payload['first']}..{payload['last']})",
            err=as_json,
        )


_LABELS = {
    "yield_10y": "10-year zero yield (%)",
    "risk_neutral_10y": "10-year expected short rate, risk-neutral yield (%)",
    "term_premium_10y": "10-year term premium (%)",
    "term_premium_5y5y": "5y5y forward term premium (%)",
}


def latest_summary(frame: pd.DataFrame, code: str, frequency: str) -> dict[str, Any]:
    """The last row's 10-year split and 5y5y premium (percent), for the table and --json."""
    wanted = list(_LABELS)
    last = frame.dropna(subset=[c for c in wanted if c in frame.columns], how="all").iloc[-1]
    return {
        "country": code,
        "frequency": frequency,
        "first": f"{frame.index[0]:%Y-%m-%d}",
        "last": f"{last.name:%Y-%m-%d}",
        "rows": len(frame),
        "latest": {c: float(last[c]) for c in wanted if c in frame.columns},
    }


def _check_extras(code: str, *, freq: str, real: bool, compare: bool, real_time: bool) -> None:
    if (real or compare) and code != "US":
        raise typer.BadParameter(f"--real and --compare are for --country US, not {code}")
    if (real or real_time) and freq != "monthly":
        raise typer.BadParameter("--real and --real-time estimate month-ends: use --freq monthly")
    if real and (compare or real_time):
        raise typer.BadParameter("--real runs alone (not with --compare or --real-time)")


def _write_real(
    output: Path,
    *,
    data_dir: Path | None,
    store: Path | None,
    as_of: str | None,
    start: str | None,
    end: str | None,
    liquidity: list[str],
    bands: tuple[int, int] | None,
) -> None:
    from ustpull.studies import load_frame
    from ustpull.termpremium.countries import country_curve
    from ustpull.termpremium.real_us import REAL_INPUT_IDS, us_nominal_real

    ids = list(dict.fromkeys([*country_curve("US").series_ids, *REAL_INPUT_IDS, *liquidity]))
    data = load_frame(ids, store=store, data_dir=data_dir, as_of=as_of)
    results = us_nominal_real(data, start=start, end=end, liquidity_ids=liquidity)
    typer.echo(results.summary())
    frame = results.to_frame()
    if bands is not None:
        from ustpull.termpremium.real_bands import var_uncertainty_bands

        replications, seed = bands
        band = var_uncertainty_bands(results, replications, seed=seed)
        frame = frame.join(band.to_frame())
        typer.echo(
            f"90% VAR-uncertainty bands from {band.draws} stationary draws "
            f"({100 * band.discarded_share:.1f}% non-stationary draws discarded)"
        )
    _write(frame, output)


def _write(frame: pd.DataFrame, output: Path) -> None:
    frame.to_csv(output, float_format="%.6f", date_format="%Y-%m-%d")
    typer.echo(
        f"wrote {output} ({len(frame)} rows, {frame.index[0]:%Y-%m-%d}..{frame.index[-1]:%Y-%m-%d})"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("termpremium")(_termpremium)
