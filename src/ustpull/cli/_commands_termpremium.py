"""CLI commands: termpremium (ACM term premium by country)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, cast

import typer

from ustpull.cli._common import DaskScheduler, DataDir, Workers, bounded, iso_date

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


def _termpremium(
    output: Annotated[Path, typer.Option("--output", help="Write the decomposition to FILE.csv.")],
    country: Annotated[
        str, typer.Option("--country", help="Country code: US, EA, AU, DE, JP or CH.")
    ] = "US",
    freq: Annotated[
        str, typer.Option("--freq", help="Output dates: monthly (month-ends) or daily.")
    ] = "monthly",
    start: Annotated[
        str | None, typer.Option(callback=iso_date, help="First date (YYYY-MM-DD).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(callback=iso_date, help="Last date (YYYY-MM-DD).")
    ] = None,
    data_dir: DataDir = None,
    bands: Annotated[
        bool, typer.Option("--bands", help="Add 90% bootstrap bands of the term premium.")
    ] = False,
    var_bias: Annotated[
        str, typer.Option(help="VAR small-sample bias correction: none, pope or kilian.")
    ] = "none",
    eigenvalue_cap: Annotated[
        float | None,
        typer.Option(
            callback=bounded(0.001, 1.0, what="an eigenvalue modulus"),
            help="Cap on the VAR eigenvalue moduli, e.g. 0.995.",
        ),
    ] = None,
    replications: Annotated[
        int,
        typer.Option(
            callback=bounded(1, MAX_REPLICATIONS, what="a number of replications"),
            help=f"Bootstrap replications (1..{MAX_REPLICATIONS}).",
        ),
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    workers: Workers = None,
    dask_scheduler: DaskScheduler = None,
) -> None:
    """ACM term premium: yield_{n}y, risk_neutral_{n}y, term_premium_{n}y for n = 1..10 (%)."""
    from ustpull.parallel import executor_from_options
    from ustpull.store import load
    from ustpull.termpremium.countries import country_curve, country_term_premium

    if freq not in ("monthly", "daily"):
        raise typer.BadParameter(f"--freq must be monthly or daily, got {freq!r}")
    if var_bias not in ("none", "pope", "kilian"):
        raise typer.BadParameter(f"--var-bias must be none, pope or kilian, got {var_bias!r}")
    curve = country_curve(country)
    data = load(curve.series_ids, data_dir=data_dir)
    if bands:
        check_bootstrap_memory(replications, len(data), len(curve.series_ids))
    with executor_from_options(workers=workers, dask_scheduler=dask_scheduler) as executor:
        estimate = country_term_premium(
            curve.code,
            data,
            freq=cast(Literal["monthly", "daily"], freq),
            start=start,
            end=end,
            bands=bands,
            replications=replications,
            seed=seed,
            executor=executor,
            model_options={"var_bias": var_bias, "eigenvalue_cap": eigenvalue_cap},
        )
    frame = estimate.to_frame()
    frame.to_csv(output, float_format="%.6f", date_format="%Y-%m-%d")
    typer.echo(
        f"wrote {output} ({len(frame)} rows, {frame.index[0]:%Y-%m-%d}..{frame.index[-1]:%Y-%m-%d})"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("termpremium")(_termpremium)
