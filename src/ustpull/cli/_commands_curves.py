"""CLI commands: ``curves`` (zero-curve construction).

Parsing and printing only; the numerics live in :mod:`ustpull.curves`. Heavy modules are
imported inside the commands so that ``ustpull --help`` starts fast.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ustpull._typing import CurveModel, Interpolation, Outliers, YieldSourceName
from ustpull.cli._common import AsOfDate, DaskScheduler, StorePath, Workers

if TYPE_CHECKING:
    import pandas as pd

    from ustpull.curves.nss import CurveFitResults

curves_app = typer.Typer(
    help="Build Treasury zero, par and forward curves.", no_args_is_help=True, rich_markup_mode=None
)


# ---------------------------------------------------------------- curves bootstrap
@curves_app.command("bootstrap")
def _bootstrap_command(
    prices: Annotated[
        Path,
        typer.Option(
            "--prices", help="TreasuryDirect FedInvest security-price CSV (securityprice)."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", help="CSV file to write.")],
    price_date: Annotated[
        datetime | None,
        typer.Option(
            "--date",
            formats=["%Y-%m-%d"],
            help="Price date (YYYY-MM-DD); settlement is the next U.S. bond-market business "
            "day. Required for the headerless live download; default: the file's PRICE_DATE.",
            show_default=False,
        ),
    ] = None,
    interpolation: Annotated[
        Interpolation,
        typer.Option(
            "--interpolation",
            help="log_linear_discount, linear_zero, monotone_convex or log_cubic.",
        ),
    ] = "log_linear_discount",
) -> None:
    """Exact bootstrap of one day's bills, notes and bonds; writes the curve monthly.

    Output columns: maturity_years, discount_factor, zero_yield_cc, zero_yield_sa,
    par_yield, forward_instantaneous (yields in percent), on a monthly grid out to the
    longest security.
    """
    import pandas as pd

    from ustpull.curves.bonds import bond_table_from_fedinvest
    from ustpull.curves.bootstrap import Bootstrap
    from ustpull.curves.calendar import settlement_date
    from ustpull.errors import DataError
    from ustpull.sources.treasurydirect import read_security_prices

    securities = read_security_prices(
        prices.read_bytes(),
        price_date=None if price_date is None else price_date.date(),
        origin=str(prices),
    )
    dates = pd.DatetimeIndex(securities["price_date"]).unique()
    if len(dates) != 1:
        raise DataError(f"{prices}: expected one price date, found {len(dates)}")
    if price_date is not None and dates[0] != pd.Timestamp(price_date):
        raise DataError(
            f"{prices}: prices are for {dates[0].date()}, not --date {price_date.date()}"
        )
    table, excluded = bond_table_from_fedinvest(securities)
    settle = settlement_date(dates[0])[0]
    results = Bootstrap(table, settle, interpolation=interpolation).fit()
    results.curve_frame().to_csv(output, index=False, float_format="%.10g")
    typer.echo(
        f"{dates[0].date()} settle {settle.date()}: {len(table) - len(results.dropped)} "
        f"securities repriced (max error {results.max_abs_error:.1e} per 100), "
        f"{len(results.dropped)} dropped (shared maturity), {len(excluded)} excluded "
        f"(TIPS/FRN/no quote); wrote {output}"
    )


# ---------------------------------------------------------------- curves nss
NssSource = Annotated[
    YieldSourceName,
    typer.Option("--source", help="gsw, cmt, treasury-par, ecb-aaa, bund or jgb (yields to fit)."),
]
SourceDataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Ingest the catalogued local files of the source into the store first.",
        show_default=False,
    ),
]
FirstDay = Annotated[
    datetime | None,
    typer.Option("--start", formats=["%Y-%m-%d"], help="First date.", show_default=False),
]
LastDay = Annotated[
    datetime | None,
    typer.Option("--end", formats=["%Y-%m-%d"], help="Last date.", show_default=False),
]
NssModel = Annotated[
    CurveModel,
    typer.Option("--model", help="nss (NSS where the quotes identify it, NS elsewhere) or ns."),
]
ToleranceBp = Annotated[
    float,
    typer.Option("--tolerance-bp", help="Largest quote error (bp) of a converged day."),
]
OutlierRule = Annotated[
    Outliers,
    typer.Option(
        "--outliers",
        help="exclude (quotes off the curve on days that miss the tolerance, "
        "reported per day) or keep (fit every quote).",
    ),
]
QualityJsonFlag = Annotated[bool, typer.Option("--json", help="Print the quality summary as JSON.")]


@curves_app.command("nss")
def _nss_command(
    source: NssSource,
    output: Annotated[Path, typer.Option("--output", help="CSV file to write.")],
    data_dir: SourceDataDir = None,
    store: StorePath = None,
    as_of: AsOfDate = None,
    start: FirstDay = None,
    end: LastDay = None,
    model: NssModel = "nss",
    tolerance_bp: ToleranceBp = 20.0,
    outliers: OutlierRule = "exclude",
    as_json: QualityJsonFlag = False,
    workers: Workers = None,
    dask_scheduler: DaskScheduler = None,
) -> None:
    """Fit a Nelson-Siegel-Svensson curve on every date of a yield source.

    Output columns: date, beta0, beta1, beta2, beta3 (percent), tau1, tau2 (years), rmse_bp,
    max_error_bp (over the kept quotes), converged, model (nss or ns that day), status (ok,
    ns-only, poor-fit, too-few-quotes), n_excluded and excluded (the series excluded that
    day by the rule of ustpull.curves.nss_outliers; --outliers keep fits every quote),
    span_from_years and span_to_years (the kept quotes' span), curve_from_years and
    curve_to_years (where the curve holds: its extrapolation beyond, from 1 month to 30
    years, fails the shape test and is not to be read).
    Prints a quality table (days by status, p50/p95/p99 of the max error, quotes excluded);
    --json prints it as JSON. Blocks of dates run on --workers processes or a Dask cluster
    (the same numbers as serially).
    """
    import sys

    from ustpull.curves.nss_sources import fit_nss_source, yield_source
    from ustpull.errors import DataError
    from ustpull.parallel import executor_from_options
    from ustpull.studies import load_frame

    if not tolerance_bp > 0:
        raise DataError(f"--tolerance-bp must be positive, got {tolerance_bp}")
    spec = yield_source(source)
    yields = load_frame(spec.ids, store=store, data_dir=data_dir, as_of=as_of).loc[start:end]
    dates = len(yields.dropna(how="all"))
    show_bar = dates > _PROGRESS_FROM_DATES and not as_json
    with (
        executor_from_options(workers=workers, dask_scheduler=dask_scheduler) as executor,
        typer.progressbar(
            length=max(dates, 1), label=f"fitting {spec.name}", file=sys.stderr, hidden=not show_bar
        ) as bar,
    ):
        results = fit_nss_source(
            spec,
            yields,
            model=model,
            executor=executor,
            tolerance_bp=tolerance_bp,
            progress=bar.update,
            outliers=outliers,
        )
    frame = results.to_frame()
    frame.index.name = "date"
    frame.to_csv(output, date_format="%Y-%m-%d", float_format="%.10g")
    _print_fit_quality(
        results, frame, spec.name, output=output, tolerance_bp=tolerance_bp, as_json=as_json
    )


def _print_fit_quality(
    results: CurveFitResults,
    frame: pd.DataFrame,
    name: str,
    *,
    output: Path,
    tolerance_bp: float,
    as_json: bool,
) -> None:
    """The quality summary of the fit of source ``name``: a line and a table, or JSON."""
    import json

    quality = results.quality()
    if as_json:
        first, last = frame.index[0], frame.index[-1]
        payload = {"source": name, "start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}"}
        typer.echo(json.dumps({**payload, **quality, "output": str(output)}, indent=2))
        return
    typer.echo(
        f"{name}: {len(frame)} dates {frame.index[0]:%Y-%m-%d}..{frame.index[-1]:%Y-%m-%d}, "
        f"median rmse {results.rmse_bp.median():.2f} bp, {len(results.failed_dates)} not "
        f"converged (tolerance {tolerance_bp:g} bp); wrote {output}"
    )
    typer.echo(results.quality_table())


_PROGRESS_FROM_DATES = 2000
"""Histories longer than this many dates show a progress bar (on standard error)."""


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(curves_app, name="curves")
