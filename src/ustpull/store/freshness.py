"""Freshness: how current each stored series is, against its publisher's release cadence.

A series is *stale* when its last observation is older than the longest gap its
publisher's cadence allows (:data:`CADENCES` by source, else :data:`FREQUENCY_CADENCES` by
the series' frequency): the release interval plus the usual publication lag, so a series
is flagged only when a release it should already have is missing.

========================  =======================================  ============
publisher or frequency    cadence                                  max age (d)
========================  =======================================  ============
daily series              every business day, next-day release     7
``gsw`` (Fed GSW)         weekly, data through the prior week      14
weekly series             weekly                                   14
``shiller``               monthly, current month estimated         62
``french``                monthly, through the previous month      75
monthly series            monthly, released within ~6 weeks        95
quarterly series          quarterly, advance estimate ~1 month     220
annual series             annual                                   550
========================  =======================================  ============
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from ustpull.store._store import Store

__all__ = ["CADENCES", "FREQUENCY_CADENCES", "Cadence", "freshness"]


@dataclass(frozen=True)
class Cadence:
    """A release cadence: its name and the oldest last observation still current (days)."""

    name: str
    max_age_days: int


FREQUENCY_CADENCES: Mapping[str, Cadence] = MappingProxyType(
    {
        "daily": Cadence("daily", 7),
        "weekly": Cadence("weekly", 14),
        "monthly": Cadence("monthly", 95),
        "quarterly": Cadence("quarterly", 220),
        "annual": Cadence("annual", 550),
        "irregular": Cadence("irregular", 10_000),
    }
)
"""Cadence by the series' frequency, for publishers not in :data:`CADENCES`."""

CADENCES: Mapping[str, Cadence] = MappingProxyType(
    {
        "gsw": Cadence("weekly (GSW)", 14),
        "shiller": Cadence("monthly (Shiller)", 62),
        "french": Cadence("monthly (French)", 75),
    }
)
"""Cadence by source, where the publisher's own schedule differs from the frequency."""

_COLUMNS = ["id", "source", "frequency", "last_observation", "last_download", "via"]


def freshness(store: Store, *, today: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Per stored series: last observation, last successful download, cadence, staleness.

    Parameters
    ----------
    store
        The store.
    today
        Reference date (default: today, UTC).

    Returns
    -------
    pd.DataFrame
        Indexed by ``id``; columns ``source, frequency, last_observation`` (date),
        ``last_download`` (UTC time of the last successful download, 200 or 304, or of the
        last local ingest), ``via`` (URL or file), ``cadence``, ``max_age_days``,
        ``age_days`` and ``stale`` (bool).
    """
    from ustpull.store.downloads import last_downloads

    now = pd.Timestamp(today) if today is not None else pd.Timestamp.now(tz="UTC")
    now = now.tz_localize(None) if now.tzinfo is not None else now
    listing = store.list_series()
    if listing.empty:
        return pd.DataFrame(columns=_COLUMNS).set_index("id")
    ingested = _last_ingests(store)
    downloads = last_downloads(store)
    table = pd.DataFrame(
        {
            "source": listing["source"].astype(str),
            "frequency": listing["frequency"].astype(str),
            "last_observation": pd.to_datetime(listing["last"]),
        },
        index=listing.index.rename("id"),
    )
    local_time = ingested.reindex(table.index)
    # an empty download log (a store filled from local files only) has untyped columns
    downloaded = pd.to_datetime(downloads["downloaded"].reindex(table.index))
    table["last_download"] = downloaded.fillna(pd.to_datetime(local_time["recorded_at"]))
    table["via"] = downloads["url"].reindex(table.index).astype(object)
    table["via"] = table["via"].where(downloaded.notna(), local_time["origin"].astype(object))
    cadences = [
        CADENCES.get(source) or FREQUENCY_CADENCES.get(frequency, FREQUENCY_CADENCES["daily"])
        for source, frequency in zip(table["source"], table["frequency"], strict=True)
    ]
    table["cadence"] = [c.name for c in cadences]
    table["max_age_days"] = [c.max_age_days for c in cadences]
    table["age_days"] = (now.normalize() - table["last_observation"]).dt.days
    table["stale"] = table["age_days"].isna() | (table["age_days"] > table["max_age_days"])
    return table


def _last_ingests(store: Store) -> pd.DataFrame:
    """Per series: time and origin of the last ingest that carried it (its metadata)."""
    return store._query(
        """
        SELECT s.id, i.recorded_at, i.origin
        FROM series AS s JOIN ingests AS i ON i.ingest_id = s.updated_ingest
        """
    ).set_index("id")
