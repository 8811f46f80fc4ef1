"""Plausibility of a batch's values and dates, judged against the vocabulary's ranges.

Every batch passes here on its way into the store, whichever parser made it, so a new
publisher's series is checked as soon as its family (or its units) has a range in
:data:`ustpull.sources.vocabulary.VALID_RANGES`. A value outside is a rejected row with
the reason; a whole column that looks like basis points where percent is expected is
rejected as such: nothing is rescaled by guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull.sources.base import SeriesSpec
from ustpull.sources.vocabulary import (
    DEFAULT_VALID_RANGE,
    RELEASE_LEAD_DAYS,
    ValidRange,
    get_spec,
    is_known,
    valid_range,
)

#: A column is diagnosed as basis points when more than this share of its values lies
#: above the percent range and dividing by 100 would put nearly all of them inside.
BASIS_POINT_SHARE = 0.5
#: Share of the values that must fall inside the range once divided by 100.
BASIS_POINT_FIT = 0.95
#: Smallest column judged for a scale diagnosis.
SCALE_MIN_ROWS = 3


def _spec_of(series_id: str, specs: Mapping[str, SeriesSpec]) -> SeriesSpec | None:
    if series_id in specs:
        return specs[series_id]
    return get_spec(series_id) if is_known(series_id) else None


def _in_range(values: np.ndarray, valid: ValidRange) -> np.ndarray:
    above_low = values >= valid.low if valid.low_inclusive else values > valid.low
    return above_low & (values <= valid.high)


def _looks_like_basis_points(values: np.ndarray, valid: ValidRange) -> bool:
    if valid.scale != "percent" or len(values) < SCALE_MIN_ROWS:
        return False
    above = np.mean(values > valid.high)
    fits = np.mean(_in_range(values / 100.0, valid))
    return bool(above > BASIS_POINT_SHARE and fits >= BASIS_POINT_FIT)


def implausible(
    series_id: np.ndarray,
    dates: pd.Series,
    values: np.ndarray,
    specs: Mapping[str, SeriesSpec],
    *,
    today: pd.Timestamp | None = None,
    codes: np.ndarray | None = None,
) -> np.ndarray:
    """Reason each row is implausible (``None`` where it is plausible).

    Parameters
    ----------
    series_id, dates, values
        The batch's rows (finite values, parsed dates).
    specs
        Metadata by id; ids absent here are looked up in the vocabulary, and series
        unknown to both get :data:`~ustpull.sources.vocabulary.DEFAULT_VALID_RANGE`.
    today
        Reference for the latest possible date (default: now, UTC).
    codes
        ``series_id`` as integer codes (equal ids, equal codes), if already computed.

    Returns
    -------
    np.ndarray
        Object array of reasons: outside the value range (named, with the units), before
        the family's first possible date, after today plus the release lead, or the
        whole column diagnosed as basis points.
    """
    reasons = np.full(len(values), None, dtype=object)
    now = pd.Timestamp.now(tz="UTC") if today is None else pd.Timestamp(today)
    if now.tzinfo is not None:
        now = now.tz_convert("UTC").tz_localize(None)
    if codes is None:
        codes = pd.factorize(np.asarray(series_id, dtype=object))[0]
    day = pd.to_datetime(dates).to_numpy(dtype="datetime64[us]")
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
    for rows in np.split(order, starts[1:]) if len(order) else []:
        spec = _spec_of(str(series_id[rows[0]]), specs)
        valid = DEFAULT_VALID_RANGE if spec is None else valid_range(spec)
        units = spec.units if spec is not None else "unknown units"
        frequency = spec.frequency if spec is not None else "irregular"
        first = np.datetime64(valid.first_date, "us")
        last = (now + pd.Timedelta(days=RELEASE_LEAD_DAYS.get(frequency, 31))).to_datetime64()
        column = values[rows]
        if _looks_like_basis_points(column, valid):
            median = float(np.median(column))
            reasons[rows] = (
                f"column looks like basis points (median {median:g}) where {units} is "
                f"expected; refused, not rescaled"
            )
            continue
        outside = ~_in_range(column, valid)
        early = day[rows] < first
        late = day[rows] > last
        part = np.full(len(rows), None, dtype=object)
        part[late] = f"date after today plus the {frequency} release lead ({str(last)[:10]})"
        part[early] = f"date before the first possible date {valid.first_date} of the family"
        part[outside] = f"value outside the valid range {valid.describe()} {units}"
        reasons[rows] = part
    return reasons


#: Median ratio new/stored on overlapping dates that diagnoses a change of scale.
SCALE_RATIOS: Mapping[str, tuple[float, float]] = {
    "decimals": (0.005, 0.02),
    "basis points": (50.0, 200.0),
}


@dataclass(frozen=True)
class HistoryCheck:
    """How a batch's series compare with what the store already holds (one row each).

    Attributes
    ----------
    table
        Indexed by ``series_id``; columns ``stored`` (dates with a current value),
        ``overlap`` (of those, dates the batch also holds), ``revised`` (overlapping
        dates whose value would change), ``ratio`` (median new/stored value on the
        overlap), ``batch_last`` (last date in the batch) and ``origin_last`` (last date
        earlier ingests of the same origin delivered, NaT if none).
    """

    table: pd.DataFrame

    def scale_diagnoses(self, specs: Mapping[str, SeriesSpec]) -> dict[str, str]:
        """Series whose values look rescaled against their stored history, with why."""
        found: dict[str, str] = {}
        table = self.table
        ratio = table["ratio"].to_numpy(dtype="float64")
        in_a_range = np.zeros(len(table), dtype=bool)
        for low, high in SCALE_RATIOS.values():
            in_a_range |= (low <= ratio) & (ratio <= high)
        candidates = (table["overlap"].to_numpy() >= SCALE_MIN_ROWS) & in_a_range
        for series_id, row in table[candidates].iterrows():  # only series in a scale range
            spec = _spec_of(str(series_id), specs)
            if spec is None or valid_range(spec).scale != "percent":
                continue
            if row["overlap"] < SCALE_MIN_ROWS or not np.isfinite(row["ratio"]):
                continue
            for name, (low, high) in SCALE_RATIOS.items():
                if low <= row["ratio"] <= high:
                    found[str(series_id)] = (
                        f"column looks like {name} where {spec.units} is expected (median "
                        f"ratio {row['ratio']:.4g} to the {int(row['overlap'])} stored values "
                        "on the same dates); refused, not rescaled"
                    )
        return found

    def storms(self, max_share: float, min_rows: int) -> dict[str, str]:
        """Series the batch would revise beyond ``max_share`` of their history, or shorten."""
        found: dict[str, str] = {}
        table = self.table
        stored_all = table["stored"].to_numpy(dtype="int64")
        storm = (stored_all > 0) & (
            table["revised"].to_numpy(dtype="int64") > np.maximum(max_share * stored_all, min_rows)
        )
        short = table["origin_last"].notna() & (table["batch_last"] < table["origin_last"])
        for series_id, row in table[storm | short.to_numpy()].iterrows():  # only the suspects
            stored, revised = int(row["stored"]), int(row["revised"])
            if stored and revised > max(max_share * stored, min_rows):
                found[str(series_id)] = (
                    f"would revise {revised} of {stored} stored values "
                    f"({revised / stored:.1%}, more than {max_share:.0%})"
                )
            elif pd.notna(row["origin_last"]) and row["batch_last"] < row["origin_last"]:
                found[str(series_id)] = (
                    f"ends on {row['batch_last']:%Y-%m-%d} but the last ingest of this origin "
                    f"went to {row['origin_last']:%Y-%m-%d} (truncated?)"
                )
        return found
