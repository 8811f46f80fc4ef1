"""One data route for every study: the store, optionally filled first from local files.

The analysis commands and the report load through this module only:

* :func:`load_frame` -- the columns a command names, from the store (``store``), after
  ingesting the catalogued files of ``data_dir`` when given, as known at ``as_of``;
* :func:`load_study_frame` -- one study's columns filled as the report fills them (its
  recipe's first candidate in the store), so a command and the report run a study on the
  same series;
* :func:`load_study_data` -- the report's route: ingest (online, or a local folder), resolve
  each study's recipe against the store, load, and record where every series came from.

``as_of`` splits into :class:`AsOf` ``vintage`` (what the store knew then: the ingest
vintages of :meth:`~ustpull.store.Store.frame`) and ``end`` (the last observation used).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ustpull.errors import (
    DataError,
    IngestError,
    PartialDataError,
    SeriesNotFoundError,
    SourceUnavailableError,
)
from ustpull.store import Store
from ustpull.store import load as store_load
from ustpull.store.ingest import IngestSummary, ingest_local, ingest_online
from ustpull.studies.recipes import PlanRow, Recipe, Resolution, plan, resolve
from ustpull.studies.series import STUDIES, study_recipes
from ustpull.studies.settings import StudySettings

__all__ = [
    "AsOf",
    "IngestSummary",
    "RealTime",
    "StudyData",
    "downloads",
    "inputs_through",
    "load_frame",
    "load_study_data",
    "load_study_frame",
    "real_time_frame",
    "source_plan",
]


@dataclass(frozen=True)
class AsOf:
    """``vintage``: values as the store knew them at this time; ``end``: the last
    observation date used (both ISO strings, ``None`` for now / everything)."""

    vintage: str | None = None
    end: str | None = None

    @classmethod
    def parse(cls, as_of: AsOf | str | None) -> AsOf:
        """``--as-of DATE``: the store as of DATE and no observation after it."""
        if as_of is None or isinstance(as_of, AsOf):
            return as_of or cls()
        text = as_of.strip()
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise DataError(f"--as-of {as_of!r} is not a date; expected YYYY-MM-DD") from None
        return cls(vintage=text, end=f"{when:%Y-%m-%d}")

    def cut(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` without the rows after ``end``."""
        return frame if self.end is None else frame.loc[: pd.Timestamp(self.end)]


def load_frame(
    ids: Sequence[str],
    *,
    store: Store | Path | str | None = None,
    data_dir: Path | str | None = None,
    as_of: AsOf | str | None = None,
) -> pd.DataFrame:
    """Series ``ids`` for a study (float64, ``DatetimeIndex`` named ``date``).

    ``data_dir``: first ingest the catalogued files that hold ``ids`` into ``store``
    (unchanged files are skipped); ``store``: a :class:`~ustpull.store.Store` or its path,
    default the user's store; ``as_of``: see :class:`AsOf`.
    """
    when = AsOf.parse(as_of)
    if data_dir is not None:  # fill the store first; the values are read below
        store_load(ids, data_dir=data_dir, store=store)
    target = store if isinstance(store, Store) else Store(store, read_only=True)
    return real_time_frame(target, list(ids), when).frame


def load_study_frame(
    study: str,
    settings: StudySettings = StudySettings(),
    *,
    extra: Sequence[str] = (),
    store: Store | Path | str | None = None,
    data_dir: Path | str | None = None,
    as_of: AsOf | str | None = None,
) -> tuple[pd.DataFrame, Resolution]:
    """Study ``study``'s columns as :func:`load_study_data` fills them for the report.

    Each column takes the first candidate of the study's recipe
    (:func:`~ustpull.studies.series.study_recipes`) that the store holds, transformed as the
    recipe says (e.g. ``us.sp500`` of the stocks study: French's daily market total return
    chained into an index when stored, else the S&P 500 close), so that a command and the
    report compute each statistic on the same series. ``extra`` ids (e.g. the U.S. curve of a
    command's own term-premium split) are added as stored. ``data_dir``: first ingest the
    catalogued files that hold any candidate; ``store`` and ``as_of`` as in
    :func:`load_frame`.

    Returns
    -------
    frame, resolution
        The columns (float64, ``DatetimeIndex`` named ``date``) and which series filled each
        (:attr:`~ustpull.studies.recipes.Resolution.includes_dividends`, ``notes()``).

    Raises
    ------
    SeriesNotFoundError
        ``study`` is not a study, or a required column has no candidate in the store.
    """
    recipe = next((r for r in study_recipes(settings) if r.analysis == study), None)
    if recipe is None:
        raise SeriesNotFoundError(f"no study {study!r}; the studies are {list(STUDIES)}")
    when = AsOf.parse(as_of)
    if data_dir is not None:  # fill the store first; the values are read below
        store_load(_catalogued(recipe, extra), data_dir=data_dir, store=store)
    target = store if isinstance(store, Store) else Store(store, read_only=True)
    with target:
        listing = target.list_series()
        resolution = resolve(recipe, set(listing.index[listing["count"] > 0].astype(str)))
        if resolution.missing:
            raise SeriesNotFoundError(
                f"{study}: required series missing from the store "
                f"({', '.join(resolution.missing)}); ingest them first"
            )
        used = [pick.series for pick in resolution.chosen.values() if pick is not None]
        raw = real_time_frame(target, list(dict.fromkeys([*used, *extra])), when).frame
    frame = resolution.frame(raw)
    added = [series_id for series_id in extra if series_id not in frame.columns]
    frame = pd.concat([frame, raw[added]], axis=1).dropna(how="all")
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    return frame, resolution


def _catalogued(recipe: Recipe, extra: Sequence[str]) -> list[str]:
    """The ids to ingest from a local folder: every candidate the shared-data catalog
    provides (a column with none keeps its own id, so the error names it), and ``extra``."""
    from ustpull.sources.catalog import default_catalog

    entries = default_catalog().entries
    ids = []
    for need in recipe.needs:
        held = [c.series for c in need.candidates if any(e.provides(c.series) for e in entries)]
        if held or not need.optional:
            ids.extend(held or [need.column])
    return list(dict.fromkeys([*ids, *extra]))


def _cutoff(vintage: str) -> pd.Timestamp:
    """``vintage`` as a naive UTC timestamp; a bare date means the end of that day (the
    store's ``as_of`` rule)."""
    stamp = pd.Timestamp(vintage)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    elif _is_iso_date(vintage.strip()):
        stamp += pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp


@dataclass(frozen=True)
class RealTime:
    """Series as known at an :class:`AsOf`: ``frame``; ``filled``, the series with values
    the store first recorded after ``vintage`` (none that old); ``origins``, per series the
    URL or file of the ingest that wrote the newest value used (``None``: see the store)."""

    frame: pd.DataFrame
    filled: tuple[str, ...] = ()
    origins: dict[str, str] | None = None


def real_time_frame(store: Store, ids: Sequence[str], when: AsOf) -> RealTime:
    """Series ``ids`` as known at ``when``.

    Only observations dated up to ``when.end``. Each (series, date) takes the value of the
    latest ingest recorded by ``when.vintage``; where the store has no vintage that old (a
    store ingested after the date), the value as *first* ingested, so that nothing recorded
    later (revisions, corrections) reaches an as-of result.
    """
    ids = list(ids)
    if when.vintage is None:
        return RealTime(store.frame(ids, end=when.end))
    log = store.ingest_log()
    cutoff = _cutoff(when.vintage)
    if not len(log) or pd.to_datetime(log["recorded_at"]).max() <= cutoff:
        return RealTime(store.frame(ids, end=when.end, as_of=when.vintage))
    columns, origins, filled = {}, {}, []
    for series_id in ids:
        rows = store.vintages(series_id)  # sorted by date, then ingest
        if when.end is not None:
            rows = rows[pd.to_datetime(rows["date"]) <= pd.Timestamp(when.end)]
        known = rows[pd.to_datetime(rows["recorded_at"]) <= cutoff]
        known = known.drop_duplicates("date", keep="last")
        first = rows.drop_duplicates("date", keep="first")
        later = first[~first["date"].isin(known["date"])]
        used = pd.concat([known, later]).sort_values("date")
        if len(later):
            filled.append(series_id)
        if len(used):
            newest = int(np.argmax(used["ingest_id"].to_numpy()))
            origins[series_id] = str(used["origin"].to_numpy()[newest])
        values = used["value"].to_numpy(dtype=np.float64)
        columns[series_id] = pd.Series(values, index=pd.DatetimeIndex(used["date"]))
    frame = pd.DataFrame(columns, columns=ids, dtype=np.float64).sort_index()
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    return RealTime(frame.dropna(how="all"), tuple(filled), origins)


def downloads(all_recipes: Sequence[Recipe]) -> dict[str, list[str]]:
    """Source -> ids to download: every candidate an online publisher serves, so a
    preferred series that fails leaves its fallback."""
    from ustpull.sources.online import source_of

    wanted: dict[str, list[str]] = {}
    for series_id in dict.fromkeys(s for recipe in all_recipes for s in recipe.series()):
        source = source_of(series_id)
        if source is not None and series_id not in wanted.setdefault(source, []):
            wanted[source].append(series_id)
    return wanted


def source_plan(
    *,
    store: Store | Path | str | None = None,
    data_dir: Path | str | None = None,
    settings: StudySettings = StudySettings(),
) -> list[PlanRow]:
    """Where every series of the studies will come from, without downloading anything.

    Online (default): the first candidate of each column already in the store, else the
    first an online publisher serves. With ``data_dir``: the first candidate a catalogued
    local file holds.
    """
    from ustpull.sources.catalog import default_catalog

    target = store if isinstance(store, Store) else Store(store, read_only=True)
    listing = target.list_series()
    present = set(listing.index[listing["count"] > 0].astype(str))
    return plan(
        study_recipes(settings), present, catalog=default_catalog(), online=data_dir is None
    )


@dataclass(frozen=True)
class StudyData:
    """The studies' data: the frame, how each study's columns were filled, and provenance.

    ``frame`` holds every wanted id (absent ones empty); ``resolutions`` map each study to
    its recipe's chosen series; ``blocked`` are the studies that cannot run (a required
    series missing); ``as_of`` is the last date of data used.
    """

    frame: pd.DataFrame
    resolutions: dict[str, Resolution]
    as_of: str
    store_path: Path
    sources: pd.DataFrame | None = None
    provenance: pd.DataFrame | None = None
    ingest: IngestSummary | None = None
    blocked: frozenset[str] = frozenset()
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def columns(self, study: str) -> pd.DataFrame:
        """The columns ``study`` reads, each filled by its recipe's chosen series."""
        return self.resolutions[study].frame(self.frame)


def _is_iso_date(text: str) -> bool:
    try:
        return len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _ingest(
    target: Store,
    *,
    data_dir: Path | str | None,
    settings: StudySettings,
    allow_partial: bool,
    attempts: int | None,
    timeout: float | None,
) -> tuple[IngestSummary, list[str]]:
    """Ingest a local folder or download every online candidate -> (summary, gaps)."""
    if data_dir is not None:
        summary = ingest_local(data_dir, store=target, skip_unchanged=True)
    else:
        series = downloads(study_recipes(settings))
        summary = ingest_online(store=target, series=series, attempts=attempts, timeout=timeout)
    gaps: list[str] = []
    failed = summary.failures
    if len(failed):
        message = "; ".join(f"{row['name']}: {row['message']}" for _, row in failed.iterrows())
        if not allow_partial and summary.status != "partial":
            failure = {"unavailable": SourceUnavailableError, "invalid": DataError}.get(
                summary.status, IngestError
            )
            raise failure(f"ingest failed ({message}); --no-ingest reports from the store as it is")
        gaps.append(f"Ingest problems (the rest was used): {message}")
    if summary.rows_rejected:
        gaps.append(
            f"Ingest rejected {summary.rows_rejected} row(s) as implausible or unreadable "
            "(kept out of the store with their reasons; see the store's rejections)"
        )
    if summary.stopped:
        gaps.append(f"Ingest stopped early: {summary.stopped}")
    return summary, gaps


def load_study_data(
    settings: StudySettings = StudySettings(),
    *,
    store: Store | Path | str | None = None,
    data_dir: Path | str | None = None,
    as_of: AsOf | str | None = None,
    ingest: bool = True,
    allow_partial: bool = False,
    attempts: int | None = None,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> StudyData:
    """Ingest (unless ``ingest=False``), then load every study's series from the store.

    ``data_dir``: ingest the catalogued files of this folder (offline); default: download
    every online candidate (``attempts`` per URL, overall ``timeout`` in seconds).
    ``progress`` is called with ``"ingest"`` and ``"load"`` as each step starts.

    Raises
    ------
    SeriesNotFoundError
        A required series is missing (named by study), without ``allow_partial``;
        :class:`~ustpull.errors.PartialDataError` when downloads failed before.
    """
    if isinstance(as_of, str) and not _is_iso_date(as_of):  # before any download
        raise DataError(f"--as-of {as_of!r} is not a date; expected YYYY-MM-DD")
    when = AsOf.parse(as_of)
    target = store if isinstance(store, Store) else Store(store)
    if progress is not None:
        progress("ingest")
    summary, gaps = (
        (None, [])
        if not ingest
        else _ingest(
            target,
            data_dir=data_dir,
            settings=settings,
            allow_partial=allow_partial,
            attempts=attempts,
            timeout=timeout,
        )
    )
    if progress is not None:
        progress("load")
    return _load(target, settings, when, summary, gaps, allow_partial)


def _load(
    target: Store,
    settings: StudySettings,
    when: AsOf,
    summary: IngestSummary | None,
    gaps: list[str],
    allow_partial: bool,
) -> StudyData:
    all_recipes = study_recipes(settings)
    wanted = list(dict.fromkeys(s for recipe in all_recipes for s in recipe.series()))
    with target:
        listing = target.list_series()
        present = set(listing.index[listing["count"] > 0].astype(str))
        resolutions = {recipe.analysis: resolve(recipe, present) for recipe in all_recipes}
        unresolved = {name: r.missing for name, r in resolutions.items() if r.missing}
        if unresolved and not allow_partial:
            by_study = "; ".join(f"{name}: {', '.join(m)}" for name, m in unresolved.items())
            if gaps:  # some downloads failed: what came through is committed (exit 3)
                raise PartialDataError(
                    f"required series missing ({by_study}) after failed downloads; "
                    f"{gaps[0]}; --allow-partial reports what can run"
                )
            raise SeriesNotFoundError(
                f"required series missing from the store ({by_study}); ingest them or "
                "use --allow-partial (see `ustpull report --plan`)"
            )
        available = [series_id for series_id in wanted if series_id in present]
        real = real_time_frame(target, available, when)
        frame = real.frame
        sources = _spans(target.list_series(available), frame)
        log = _log_as_of(target.ingest_log(), when)
        provenance = _provenance(resolutions, sources, target, real.origins)
    frame = frame.reindex(columns=wanted)
    blocked, notes = _blocked_and_notes(resolutions)
    if real.filled:
        notes.append(_filled_note(real.filled, when))
    gaps = list(gaps)
    for name in [r.analysis for r in all_recipes if r.analysis in blocked]:
        names = ", ".join(resolutions[name].missing) or "every series"
        gaps.append(f"{name}: left out, series missing: {names}")
    return StudyData(
        frame=frame,
        resolutions=resolutions,
        as_of=_last_date(frame, when),
        store_path=target.path,
        sources=_sources_table(sources, log, when.vintage),
        provenance=provenance,
        ingest=summary,
        blocked=frozenset(blocked),
        gaps=tuple(gaps),
        notes=tuple(notes),
    )


def _spans(listing: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """``listing`` with first, last and count of the observations used (``frame``), not of
    everything the store holds (an as-of run shows nothing of later data)."""
    spans = listing.copy()
    columns = [frame.get(series_id) for series_id in spans.index]
    held = [
        np.zeros(0, dtype=bool) if column is None else column.notna().to_numpy()
        for column in columns
    ]
    dates = frame.index.to_numpy()
    first = [dates[mask.argmax()] if mask.any() else np.datetime64("NaT") for mask in held]
    last = [
        dates[len(mask) - 1 - mask[::-1].argmax()] if mask.any() else np.datetime64("NaT")
        for mask in held
    ]
    # whole columns in the listing's own dtypes (one assignment each, not one per row)
    spans["first"] = pd.Series(first, index=spans.index, dtype=object).astype(spans["first"].dtype)
    spans["last"] = pd.Series(last, index=spans.index, dtype=object).astype(spans["last"].dtype)
    counts = pd.Series([int(mask.sum()) for mask in held], index=spans.index)
    spans["count"] = counts.astype(spans["count"].dtype)
    return spans


def _log_as_of(log: pd.DataFrame, when: AsOf) -> pd.DataFrame:
    """The ingests recorded by ``when.vintage`` (every ingest without one)."""
    if when.vintage is None or not len(log):
        return log
    return log[pd.to_datetime(log["recorded_at"]) <= _cutoff(when.vintage)]


def _filled_note(filled: Sequence[str], when: AsOf) -> str:
    return (
        f"As of {when.vintage}: the store holds no vintage that old of {len(filled)} "
        f"series ({', '.join(filled[:5])}{', ...' if len(filled) > 5 else ''}); their "
        f"observations up to {when.end} are taken as first ingested (revisions recorded "
        "later are left out; the first ingest may itself hold revised values)"
    )


def _blocked_and_notes(resolutions: dict[str, Resolution]) -> tuple[set[str], list[str]]:
    """Studies that cannot run (the event studies run on whatever series are there; the
    others need all of theirs), and what each recipe chose or left out."""
    blocked = {
        name
        for name, resolution in resolutions.items()
        if resolution.missing or all(pick is None for pick in resolution.chosen.values())
    }
    notes: list[str] = []
    for name, resolution in resolutions.items():
        notes.extend(f"{name.capitalize()}: {note}" for note in resolution.notes())
        absent = sorted(c for c in resolution.optional if resolution.chosen.get(c) is None)
        if absent and name != "term premia":  # term premia name each country left out
            notes.append(
                f"{name.capitalize()}: without {', '.join(absent)} (not in the store; "
                "what needs them is left out, e.g. a market's daily statistics)"
            )
    return blocked, notes


def _last_date(frame: pd.DataFrame, when: AsOf) -> str:
    last = frame.dropna(how="all").index.max()
    if pd.isna(last):
        vintage = "" if when.vintage is None else f" as ingested by {when.vintage}"
        raise DataError(f"the store holds no observations for the studies' series{vintage}")
    return f"{last:%Y-%m-%d}"


def _provenance(
    resolutions: dict[str, Resolution],
    listing: pd.DataFrame,
    store: Store,
    origins: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Per study and column: the series used, its source, URL or file, and last date
    (``origins`` as of an as-of date, else the store's latest)."""
    from ustpull.store.downloads import series_origins

    if origins is None:
        origins = series_origins(store, list(listing.index.astype(str)))
    rows = []
    for analysis, resolution in resolutions.items():
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
                    "last": ""
                    if pd.isna(meta["last"])
                    else f"{pd.Timestamp(meta['last']):%Y-%m-%d}",
                    "required": column not in resolution.optional,
                }
            )
    columns = ["analysis", "column", "series", "source", "origin", "last", "required"]
    return pd.DataFrame(rows, columns=columns)


#: studies built on another study's results: their inputs end no later than that study's
#: (the Treasury pull regresses on the term-premium split of the U.S. curve)
STUDY_INPUTS: dict[str, tuple[str, ...]] = {"Treasury pull": ("term premia",)}


def inputs_through(provenance: pd.DataFrame) -> dict[str, str]:
    """Per study: the date all its required input series run through (their earliest end,
    and no later than the studies it builds on, :data:`STUDY_INPUTS`); for a study of
    optional series only (event studies), the latest end of any. This dates the inputs, not
    the results: each finding, chart and section carries its own data-through date."""
    through = {}
    for name, used in provenance.groupby("analysis", sort=False):
        required = used[used["required"]]
        through[str(name)] = (
            str(required["last"].min()) if len(required) else str(used["last"].max())
        )
    for name, bases in STUDY_INPUTS.items():
        ends = [through[base] for base in bases if base in through]
        if name in through and ends:
            through[name] = min(through[name], *ends)
    return through


def _sources_table(
    listing: pd.DataFrame, log: pd.DataFrame, as_of: str | None = None
) -> pd.DataFrame:
    """One row per series: source, units, first and last date, observations, last ingest."""
    table = listing.reset_index()[
        ["id", "title", "units", "source", "first", "last", "count"]
    ].copy()
    table["first"] = pd.to_datetime(table["first"]).dt.strftime("%Y-%m-%d")
    table["last"] = pd.to_datetime(table["last"]).dt.strftime("%Y-%m-%d")
    if len(log):
        latest = log.sort_values("ingest_id").iloc[-1]
        table["store_vintage"] = f"ingest {int(latest['ingest_id'])} at {latest['recorded_at']}"
    elif as_of is not None:
        table["store_vintage"] = f"none recorded by {as_of}: values as first ingested"
    return table.rename(columns={"count": "observations"})
