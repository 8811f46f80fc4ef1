"""Recipes: for each analysis of the report, the series it reads and where each comes from.

A :class:`Recipe` lists, per analysis, every column the analysis reads (a canonical id such
as ``us.sp500``) as a :class:`Need` with its candidates in order of preference: the
series that may fill the column, each with the transform that turns it into the column's
meaning. The first candidate present in the store is used; before any download, the plan
(:func:`plan`) names the first candidate already in the store, else the first one an
online publisher serves (else the first one a local catalog entry holds).

The preferences are data (:data:`PREFERENCES`), e.g.

* daily U.S. equity for the stock-bond correlation: Kenneth French's daily market return
  (``Mkt-RF + RF``, from 1926, chained into a total-return index), then FRED ``SP500``
  (ten years);
* JGB yields: the MoF file's 2- and 10-year yields (``jp.jgb.*``), then the MoF par curve
  served online (``jp.mof.par.*``, the same MoF publication);
* the dollar: the Fed's broad index (FRED), extended back by DXY when the store has it
  (:data:`OPTIONAL`).

Candidates whose ids are not in the vocabulary (a publisher not wired yet) are left out,
so the plan never names a series nothing can deliver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ustpull.sources.catalog import Catalog
from ustpull.sources.vocabulary import is_known

__all__ = [
    "OPTIONAL",
    "PREFERENCES",
    "Candidate",
    "Need",
    "PlanRow",
    "Recipe",
    "Resolution",
    "plan",
    "recipes",
    "resolve",
]

Transform = Literal["level", "return_index"]
"""``level``: the series as stored; ``return_index``: simple returns in percent chained into
an index (100 on the day before the first return), :math:`I_t = 100 \\prod_{s \\le t}
(1 + r_s / 100)`."""


@dataclass(frozen=True)
class Candidate:
    """A series that can fill a column, and how.

    Attributes
    ----------
    series
        Canonical id in the store.
    transform
        How the stored values become the column (see :data:`Transform`).
    includes_dividends
        The resulting equity index is a total-return index (so no dividends are added).
    note
        What the report says when this candidate is used.
    """

    series: str
    transform: Transform = "level"
    includes_dividends: bool = False
    note: str = ""


@dataclass(frozen=True)
class Need:
    """A column an analysis reads, with its candidates in order of preference."""

    column: str
    candidates: tuple[Candidate, ...]
    optional: bool = False


@dataclass(frozen=True)
class Recipe:
    """The needs of one analysis."""

    analysis: str
    needs: tuple[Need, ...]

    def series(self) -> list[str]:
        """Every candidate id, in order."""
        ids = (c.series for need in self.needs for c in need.candidates)
        return list(dict.fromkeys(ids))


_FRENCH_DAILY = Candidate(
    "us.ff.mkt.daily",
    "return_index",
    includes_dividends=True,
    note="daily U.S. equity: Kenneth French's market total return (Mkt-RF + RF, value-"
    "weighted CRSP firms) chained into an index; the 60/40 adds no separate dividends",
)

#: (analysis or ``*`` for all, column) -> candidates in order of preference. Columns not
#: listed have one candidate: themselves.
PREFERENCES: Mapping[tuple[str, str], tuple[Candidate, ...]] = {
    ("stocks", "us.sp500"): (_FRENCH_DAILY, Candidate("us.sp500")),
    ("*", "jp.jgb.10y"): (Candidate("jp.jgb.10y"), Candidate("jp.mof.par.10y")),
    ("*", "jp.jgb.2y"): (Candidate("jp.jgb.2y"), Candidate("jp.mof.par.2y")),
}

#: (analysis, column) the analysis can run without; ``*`` every column of the analysis.
OPTIONAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("dollar", "fx.dxy"),  # the broad index alone, or DXY spliced onto it when stored
        # the ECB reference rate has no online source wired yet: the euro pairs of the
        # relative-price view are then left out, the yen pairs stay
        ("dollar", "fx.usd_per_eur"),
        ("event studies", "*"),  # the table shows the series that are there
    }
)


def _need(analysis: str, column: str, optional: bool) -> Need:
    chosen = PREFERENCES.get((analysis, column)) or PREFERENCES.get(("*", column))
    candidates = tuple(c for c in chosen or (Candidate(column),) if is_known(c.series))
    optional = optional or (analysis, column) in OPTIONAL or (analysis, "*") in OPTIONAL
    return Need(column, candidates or (Candidate(column),), optional)


def recipes(
    columns: Mapping[str, Sequence[str]],
    *,
    optional: Mapping[str, Iterable[str]] | None = None,
) -> list[Recipe]:
    """One recipe per analysis from the columns each reads (``required_series``).

    ``optional`` adds, per analysis, columns it can run without (besides :data:`OPTIONAL`).
    """
    extra = {name: set(ids) for name, ids in (optional or {}).items()}
    return [
        Recipe(
            analysis,
            tuple(_need(analysis, c, c in extra.get(analysis, ())) for c in ids),
        )
        for analysis, ids in columns.items()
    ]


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class Resolution:
    """Which candidate fills each column of one analysis (``None``: missing)."""

    analysis: str
    chosen: Mapping[str, Candidate | None]
    optional: frozenset[str]

    @property
    def missing(self) -> list[str]:
        """Required columns no candidate fills."""
        return [c for c, pick in self.chosen.items() if pick is None and c not in self.optional]

    @property
    def includes_dividends(self) -> bool:
        """The equity column is a total-return index."""
        pick = self.chosen.get("us.sp500")
        return pick is not None and pick.includes_dividends

    def frame(self, data: pd.DataFrame) -> pd.DataFrame:
        """The analysis' columns from the stored series ``data`` (transforms applied);
        a column no candidate fills is left out."""
        columns = {
            column: _transformed(data[pick.series], pick.transform)
            for column, pick in self.chosen.items()
            if pick is not None and pick.series in data.columns
        }
        return pd.DataFrame(columns, index=data.index)

    def notes(self) -> list[str]:
        """What the report should say about substitutions."""
        return [
            pick.note or f"{column}: filled from {pick.series}"
            for column, pick in self.chosen.items()
            if pick is not None and pick.series != column
        ]


def _transformed(values: pd.Series, transform: Transform) -> pd.Series:
    if transform == "level":
        return values
    returns = values.dropna()
    index = 100.0 * np.cumprod(1.0 + returns.to_numpy() / 100.0)
    return pd.Series(index, index=returns.index).reindex(values.index)


def resolve(recipe: Recipe, present: Iterable[str]) -> Resolution:
    """The first candidate of each need that the store holds."""
    have = set(present)
    chosen = {
        need.column: next((c for c in need.candidates if c.series in have), None)
        for need in recipe.needs
    }
    optional = frozenset(need.column for need in recipe.needs if need.optional)
    return Resolution(recipe.analysis, chosen, optional)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class PlanRow:
    """Where one series an analysis needs will come from."""

    analysis: str
    column: str
    series: str
    source: str | None
    url: str | None
    online: bool
    in_store: bool
    optional: bool

    def to_dict(self) -> dict[str, object]:
        """The ``report --plan --json`` record (``needed``: the analysis cannot run without
        it; optional series such as DXY only extend or add to it)."""
        return {
            "analysis": self.analysis,
            "series": self.series,
            "source": self.source,
            "url": self.url,
            "online": self.online,
            "in_store": self.in_store,
            "needed": not self.optional,
        }


def plan(
    all_recipes: Sequence[Recipe],
    present: Iterable[str],
    *,
    catalog: Catalog | None = None,
    base_urls: Mapping[str, str] | None = None,
    online: bool = True,
) -> list[PlanRow]:
    """For each analysis and column: the series that will fill it and where it comes from.

    A candidate already in the store is used as it is; otherwise the first candidate an
    online publisher serves (``online=True``), else the first a ``catalog`` entry holds.
    Nothing is downloaded.
    """
    from ustpull.sources import online as online_sources

    have = set(present)
    rows = []
    for recipe in all_recipes:
        for need in recipe.needs:
            pick = _planned(need, have, catalog, online)
            # offline (--data-dir) the report ingests catalogued files only
            source = online_sources.source_of(pick.series) if online else None
            url = None
            if source is not None:
                url = online_sources.series_url(source, pick.series, base_urls=base_urls)
            elif catalog is not None and any(e.provides(pick.series) for e in catalog.entries):
                entry = catalog.entries_for([pick.series])[0]
                source, url = f"local:{entry.name}", entry.file
            is_online = source is not None and not source.startswith("local:")
            row = PlanRow(
                recipe.analysis, need.column, pick.series, source, url, is_online,
                pick.series in have, need.optional,
            )  # fmt: skip
            rows.append(row)
    return rows


def _planned(need: Need, have: set[str], catalog: Catalog | None, online: bool) -> Candidate:
    from ustpull.sources import online as online_sources

    for candidate in need.candidates:
        if candidate.series in have:
            return candidate
    if online:
        for candidate in need.candidates:
            if online_sources.source_of(candidate.series) is not None:
                return candidate
    if catalog is not None:
        for candidate in need.candidates:
            if any(entry.provides(candidate.series) for entry in catalog.entries):
                return candidate
    return need.candidates[0]
