"""Inputs of the Treasury pull: which assets, in which units, and their synchronous changes.

:data:`PULL_ASSETS` is the table of assets the pull measures (conventions as data): each row
names the asset in words, the unit of its change, how the change is made from levels, and the
canonical series id that feeds it from the store.

:func:`pull_changes` turns daily (or monthly) levels into the changes the model regresses:

* ``"weekly"``: for every series on its own, its last quote in each calendar week (Friday
  label) and the change between adjacent weeks
  (:func:`~ustpull.crossasset.synchronous.synchronous_changes`). Markets that close hours apart
  (Tokyo, Frankfurt before New York) then share four of five days of every change;
* ``"month_end"``: each series' last quote in each calendar month and the change between
  adjacent months;
* ``"monthly_average"``: changes of monthly averages, a labelled fallback for series published
  only as monthly averages (the OECD U.K. 10-year yield); every series, the U.S. components
  included, is averaged the same way so both sides of the regression are smoothed alike.

Units: ``"log_percent"`` changes are ``100 ln(P_t / P_{t-1})`` (percent), ``"difference_bp"``
changes are ``100 (y_t - y_{t-1})`` for yields quoted in percent (basis points). The U.S.
expected-rate and term-premium parts are returned as differences in percentage points, the
unit :class:`~ustpull.crossasset.pull.TreasuryPull` takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ustpull.crossasset.synchronous import synchronous_changes
from ustpull.errors import DataError

__all__ = [
    "PULL_ASSETS",
    "PULL_SERIES",
    "ChangeKind",
    "PullAsset",
    "PullFrequency",
    "pull_asset_levels",
    "pull_changes",
]

PullFrequency = Literal["weekly", "month_end", "monthly_average"]
ChangeKind = Literal["log_percent", "difference_bp"]
FREQUENCIES: tuple[str, ...] = ("weekly", "month_end", "monthly_average")


@dataclass(frozen=True)
class PullAsset:
    """One asset of the pull: words, unit and how its change is made."""

    label: str
    """The asset in a sentence ("German 10-year yields")."""
    unit: Literal["%", "bp"]
    change: ChangeKind
    measure: str
    """What the change is, with units, for tables and the methodology."""
    series_id: str | None = None
    """Canonical store series that feeds it (None: supplied by the caller)."""
    fallback: str | None = None
    """Why this asset is only available at a fallback frequency, if it is."""


PULL_ASSETS: dict[str, PullAsset] = {
    "us_stocks": PullAsset(
        "U.S. stocks", "%", "log_percent", "S&P 500 log price change, percent", "us.sp500"
    ),
    "dollar": PullAsset(
        "the dollar",
        "%",
        "log_percent",
        "Fed nominal broad trade-weighted dollar index (H.10), log change, percent",
        "fx.usd_broad",
    ),
    "de_10y": PullAsset(
        "German 10-year yields",
        "bp",
        "difference_bp",
        "Bund 10-year yield change, bp",
        "de.govt.10y",
    ),
    "jp_10y": PullAsset(
        "Japanese 10-year yields",
        "bp",
        "difference_bp",
        "JGB 10-year yield (MoF) change, bp",
        "jp.jgb.10y",
    ),
    "uk_10y": PullAsset(
        "U.K. 10-year yields",
        "bp",
        "difference_bp",
        "U.K. long-term government yield (OECD, monthly average) change, bp",
        "oecd.10y.gb",
        fallback="no daily gilt yields in the data: monthly averages only",
    ),
    "ea_10y": PullAsset(
        "euro-area 10-year yields",
        "bp",
        "difference_bp",
        "ECB AAA euro-area 10-year spot yield change, bp",
        "ea.aaa.zero.10y",
    ),
    "in_10y": PullAsset(
        "Indian 10-year yields",
        "bp",
        "difference_bp",
        "India 10-year G-sec yield change, bp",
        "in.govt.10y",
    ),
}
"""The assets of issue 19's dashboard; the emerging markets available are India only."""

PULL_SERIES: tuple[str, ...] = tuple(
    str(asset.series_id) for asset in PULL_ASSETS.values() if asset.series_id is not None
)
"""Store series ids that feed :data:`PULL_ASSETS` (the U.S. split comes from the ACM fit)."""


def pull_asset_levels(
    data: pd.DataFrame, assets: Mapping[str, PullAsset] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The assets' levels from a wide store frame (columns = series ids), renamed to assets.

    Returns the levels of every asset whose series is in ``data`` with at least one value, and
    the names of the assets left out (for the report's gaps).
    """
    table = PULL_ASSETS if assets is None else assets
    present = {
        str(spec.series_id): name
        for name, spec in table.items()
        if spec.series_id in data.columns and data[spec.series_id].notna().any()
    }
    absent = [name for name in table if name not in present.values()]
    levels = data[list(present)].rename(columns=present)
    return levels, absent


def _check_levels(levels: pd.DataFrame, label: str) -> None:
    if not isinstance(levels.index, pd.DatetimeIndex):
        raise DataError(f"{label}: levels must be indexed by dates")
    if levels.index.has_duplicates:
        first = levels.index[levels.index.duplicated()][0]
        raise DataError(f"{label}: the date {first:%Y-%m-%d} appears twice")
    values = levels.to_numpy(dtype=float)
    bad = np.isinf(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(
            f"{label}: {levels.columns[col]} is {values[row, col]} on {levels.index[row]:%Y-%m-%d}"
        )


STALE_DAYS: dict[str, int] = {"weekly": 1, "month_end": 7, "monthly_average": 7}
"""A period's quote counts only if the series' last quote in it lies at most this many days
before the period's last calendar day (weekly: Thursday or Friday). Applied to the final
period of every series (a series that ends mid-month has no month-end), and for month-end
changes of daily series to every month (a month whose last quote is weeks old is a hole)."""


def _monthly_changes(observed: pd.Series, frequency: PullFrequency) -> pd.Series:
    """Month-end (last quote) or monthly-average changes between adjacent calendar months."""
    dates = pd.DatetimeIndex(observed.index)
    months = dates.to_period("M")
    grouped = observed.groupby(months)
    monthly = grouped.last() if frequency == "month_end" else grouped.mean()
    periods = pd.PeriodIndex(monthly.index)
    daily = len(dates) > 1 and float(np.median(np.diff(dates.asi8))) < 20 * 86_400e9
    if daily:
        last_quote = pd.DatetimeIndex(pd.Series(dates, index=months).groupby(level=0).max())
        limit = periods.to_timestamp(how="end").normalize() - pd.Timedelta(
            days=STALE_DAYS[frequency]
        )
        stale = np.asarray(last_quote < limit)
        if frequency == "monthly_average":
            stale[:-1] = False
        monthly, periods = monthly[~stale], periods[~stale]
    changes = monthly.diff().iloc[1:][np.diff(periods.asi8) == 1]
    changes.index = pd.DatetimeIndex(
        pd.PeriodIndex(changes.index).to_timestamp(how="end").normalize(), name="date"
    )
    return changes


def _series_changes(level: pd.Series, frequency: PullFrequency) -> pd.Series:
    """One series' changes on its own quotes (module docstring), final partial period dropped."""
    observed = level.dropna()
    if frequency != "weekly":
        return _monthly_changes(observed, frequency)
    try:
        changes = synchronous_changes(observed.to_frame(), frequency="weekly").iloc[:, 0]
    except DataError:  # fewer than two weeks with a quote: no change at all
        return pd.Series(dtype=float, name=level.name)
    limit = changes.index[-1] - pd.Timedelta(days=STALE_DAYS["weekly"])
    if observed.index[-1] < limit:
        changes = changes.iloc[:-1]
    return changes


def _transform(level: pd.Series, change: ChangeKind, label: str) -> pd.Series:
    """Levels on the scale whose plain difference is the change in its unit."""
    if change == "log_percent":
        positive = level.dropna()
        if (positive <= 0).any():
            when = pd.Timestamp(positive.index[int(np.argmax(positive.to_numpy() <= 0))])
            raise DataError(
                f"{label}: {level.name} has a non-positive level {float(positive[when])!r} on "
                f"{when:%Y-%m-%d}; log changes need positive prices"
            )
        return 100.0 * np.log(level)
    return 100.0 * level


def pull_changes(
    asset_levels: pd.DataFrame,
    us_components: pd.DataFrame,
    *,
    frequency: PullFrequency = "weekly",
    assets: Mapping[str, PullAsset] | None = None,
    end: str | pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Synchronous changes of the assets and of the U.S. 10-year expected rate and term premium.

    Parameters
    ----------
    asset_levels
        Levels by date, one column per asset (keys of ``assets``): prices or index levels for
        ``"log_percent"`` assets, yields in percent for ``"difference_bp"`` ones. NaN = no
        quote that day (each series is used on its own dates; nothing is filled).
    us_components
        The U.S. 10-year ``expected_rate`` and ``term_premium`` in percent (e.g.
        ``CountryTermPremium.components(10)`` of the daily ACM fit).
    frequency
        ``"weekly"``, ``"month_end"`` or ``"monthly_average"`` (module docstring).
    assets
        The asset table; default :data:`PULL_ASSETS`.
    end
        Last date used (an as-of date): later observations are ignored, and a week or month
        that ``end`` cuts short is dropped. The U.S. split itself must also be estimated on
        data up to ``end`` for a real-time result (the caller's ACM fit).

    Returns
    -------
    (asset_changes, expected_rate_changes, term_premium_changes)
        On one shared date index (the union of the windows with a U.S. change): asset changes
        in their units (NaN where an asset has no change that window), the two U.S. parts in
        percentage points.
    """
    if frequency not in FREQUENCIES:
        raise DataError(f"frequency must be one of {list(FREQUENCIES)}, got {frequency!r}")
    table = PULL_ASSETS if assets is None else assets
    unknown = [str(c) for c in asset_levels.columns if c not in table]
    if unknown:
        raise DataError(f"pull_changes: unknown assets {unknown}; known: {sorted(table)}")
    missing = [c for c in ("expected_rate", "term_premium") if c not in us_components.columns]
    if missing:
        raise DataError(f"pull_changes: us_components lacks columns {missing}")
    if end is not None:
        asset_levels = asset_levels.loc[: pd.Timestamp(end)]
        us_components = us_components.loc[: pd.Timestamp(end)]
    _check_levels(asset_levels, "pull_changes asset levels")
    _check_levels(us_components, "pull_changes U.S. components")
    parts = us_components[["expected_rate", "term_premium"]].astype(float).dropna(how="any")
    us = pd.concat({c: _series_changes(parts[c], frequency) for c in parts}, axis=1).dropna()
    columns = {}
    for name in asset_levels.columns:
        scaled = _transform(asset_levels[name].astype(float), table[str(name)].change, "pull")
        columns[str(name)] = _series_changes(scaled.rename(name), frequency)
    changes = (
        pd.concat(columns, axis=1).reindex(us.index) if columns else pd.DataFrame(index=us.index)
    )
    return (
        changes,
        us["expected_rate"].rename("expected_rate"),
        us["term_premium"].rename("term_premium"),
    )
