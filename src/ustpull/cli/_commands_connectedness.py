"""CLI command: connectedness of the series in any CSV (VAR, rolling VAR, TVP-VAR; bands)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ustpull._typing import BootstrapKind, ModelKind, PriorKind
from ustpull.cli._common import CONFIDENCE, ConfidenceLevel, dumps
from ustpull.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

    from ustpull.crossasset.connectedness import ConnectednessModelResults, GroupConnectedness


def _read_csv(path: Path) -> pd.DataFrame:
    """Columns of ``path`` as floats; the first column is the index (dates when they parse)."""
    import pandas

    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        frame = pandas.read_csv(path, index_col=0)
    except (pandas.errors.ParserError, pandas.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV ({exc})") from None
    if frame.shape[1] < 2:
        raise DataError(f"{path}: needs an index column and at least two series columns")
    for name in frame.columns:
        if not pandas.api.types.is_numeric_dtype(frame[name]):
            values = pandas.to_numeric(frame[name], errors="coerce")
            bad_rows = (values.isna() & frame[name].notna()).to_numpy().nonzero()[0]
            row = int(bad_rows[0])
            value = frame[name].iloc[row]
            raise DataError(f"{path}: column {name!r}, line {row + 2}: {value!r} is not a number")
    if not pandas.api.types.is_numeric_dtype(frame.index):
        with contextlib.suppress(ValueError, TypeError):  # labels that are not dates stay
            frame.index = pandas.DatetimeIndex(
                pandas.to_datetime(frame.index), name=frame.index.name
            )
    return frame.astype("float64")


RollingWindow = Annotated[
    int | None,
    typer.Option(help="var: rolling window (rows); tvp-var: prior window (default 200)."),
]
FrequencyBands = Annotated[
    str | None,
    typer.Option(help="Frequency bands in periods of the data, e.g. 1,5,inf."),
]
SeriesGroups = Annotated[
    list[str] | None,
    typer.Option(
        "--group", help="NAME=series,series (repeatable; a partition): internal/external."
    ),
]
DrawsKind = Annotated[
    BootstrapKind,
    typer.Option(help="Draws: parametric (every model) or residual (static VAR)."),
]


def _connectedness(
    file: Annotated[Path, typer.Argument(help="CSV: first column an index or date, then series.")],
    model: Annotated[ModelKind, typer.Option(help="var (static or rolling) or tvp-var.")] = "var",
    lags: Annotated[int, typer.Option(help="VAR order p.")] = 1,
    horizon: Annotated[int, typer.Option(help="FEVD horizon H.")] = 10,
    window: RollingWindow = None,
    kappa1: Annotated[float, typer.Option(help="TVP-VAR coefficient forgetting factor.")] = 0.99,
    kappa2: Annotated[float, typer.Option(help="TVP-VAR covariance forgetting factor.")] = 0.99,
    prior: Annotated[PriorKind, typer.Option(help="TVP-VAR prior.")] = "bayes",
    gamma: Annotated[float, typer.Option(help="Minnesota prior variance of lag 1.")] = 0.1,
    bands: FrequencyBands = None,
    group: SeriesGroups = None,
    draws: Annotated[int, typer.Option(help="Coefficient draws for intervals (0: none).")] = 0,
    bootstrap: DrawsKind = "parametric",
    level: ConfidenceLevel = CONFIDENCE,
    seed: Annotated[int, typer.Option(help="Seed of the draws.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON, not the table.")] = False,
    output: Annotated[Path | None, typer.Option("--output", help="Write the JSON to FILE.")] = None,
) -> None:
    """Connectedness table, TO/FROM/NET/NPDC, TCI and corrected TCI (over time and averaged)."""
    from ustpull.crossasset.connectedness import ConnectednessModel

    data = _read_csv(file)
    try:  # a specification or a fit the model refuses is bad input
        spec = ConnectednessModel(
            data,
            model=model,
            lags=lags,
            horizon=horizon,
            window=window,
            kappa1=kappa1,
            kappa2=kappa2,
            prior=prior,
            gamma=gamma,
            bands=bands,
        )
        results = spec.fit(draws=draws, confidence=level, seed=seed, bootstrap=bootstrap)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    payload_dict = results.to_dict()
    groups = _parse_groups(group or [])
    split = _group_split(results, groups) if groups else None
    if split is not None:
        payload_dict["groups"] = _group_payload(split)
    payload = dumps(payload_dict)
    if output is not None:
        output.write_text(payload, encoding="utf-8")
    if as_json:
        typer.echo(payload)
        return
    _print_tables(results, split, payload_dict.get("groups"), draws=draws, level=level)
    if output is not None:
        typer.echo(f"wrote {output}")


def _group_split(
    results: ConnectednessModelResults, groups: dict[str, list[str]]
) -> GroupConnectedness:
    """Internal/external connectedness of ``groups`` (a partition of the series)."""
    try:
        return results.groups(groups)
    except ValueError as exc:
        raise DataError(str(exc)) from None


def _group_payload(split: GroupConnectedness) -> dict[str, Any]:
    """The group split as JSON: averages over time, the table and the series over time."""
    return {
        "internal": float(split.internal_t.mean()),
        "external": float(split.external_t.mean()),
        "net": split.net_t.mean().to_dict(),
        "table": {row: split.table.loc[row].to_dict() for row in split.table.index},
        "internal_t": split.internal_t.tolist(),
        "external_t": split.external_t.tolist(),
    }


def _print_tables(
    results: ConnectednessModelResults,
    split: GroupConnectedness | None,
    group_summary: dict[str, Any] | None,
    *,
    draws: int,
    level: float,
) -> None:
    """The connectedness tables as text: every band, the groups and the intervals."""
    typer.echo(results.summary())
    for label in results.bands[1:]:
        typer.echo("\n" + results.band(label).summary())
    if split is not None and group_summary is not None:
        typer.echo(
            f"\nGroups: internal {group_summary['internal']:.2f} %, "
            f"external {group_summary['external']:.2f} %"
            f"\n{split.table.round(2).to_string()}"
        )
    if draws:
        typer.echo(
            f"\nIntervals ({level:.0%}, {draws} draws):\n" + results.intervals.round(2).to_string()
        )


def _parse_groups(specs: list[str]) -> dict[str, list[str]]:
    """``["core=AT,DE", "rest=GR,IT"]`` -> ``{"core": ["AT", "DE"], "rest": ["GR", "IT"]}``."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, members = spec.partition("=")
        if not sep or not name or not members:
            raise DataError(f"--group {spec!r}: write NAME=series,series")
        groups[name] = [member.strip() for member in members.split(",")]
    return groups


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("connectedness")(_connectedness)
