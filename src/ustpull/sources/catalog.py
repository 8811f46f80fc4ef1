"""The local catalog: a TOML file describing a folder of CSV files as canonical series.

A catalog entry names a file (relative to a data folder), its format and how its columns
map to series ids. ``format = "csv"`` (the default) is a generic dated table; publisher
formats (``fred_csv``, ``treasury_par``, ``feds200628``, ``feds200805``, ``ecb_csv``,
``mof_jgbcme``, ``treasurydirect``, ``investing``) reuse the publisher parsers so a
downloaded file can be catalogued as it is. ``french_factors`` is a dated Fama-French
table (adds the market total return ``Mkt-RF + RF``); ``date_list`` is a one-column list
of event dates, read as an indicator series (1.0 on each listed date). Columns may map
to ids outside the vocabulary (a user's Bloomberg or Haver export); such an entry must
say the series' title, units and frequency.

Example
-------
.. code-block:: toml

    [[entry]]
    name = "cmt"
    file = "fred/ust_cmt_daily.csv"
    format = "fred_csv"
    columns = { DGS10 = "us.cmt.10y", DGS2 = "us.cmt.2y" }

    [[entry]]
    file = "bloomberg/spx.csv"
    date_column = "Date"
    date_format = "%d/%m/%Y"
    order = "descending"
    units = "index points"
    frequency = "daily"
    columns = { PX_LAST = { id = "bbg.spx", title = "S&P 500 (Bloomberg PX_LAST)" } }

When two entries provide the same series on the same date, the later entry wins.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast, get_args

from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources import (
    ecb,
    fred,
    french,
    gsw,
    investing,
    mof,
    treasury_par,
    treasurydirect,
)
from ustpull.sources._text import (
    MISSING_MARKERS,
    Order,
    batch_from_table,
    decode_payload,
    read_text_table,
)
from ustpull.sources.base import Frequency, ParsedBatch, SeriesSpec
from ustpull.sources.csvtable import parse_csv
from ustpull.sources.vocabulary import TREASURYDIRECT_ID_PATTERN, get_spec, is_known

__all__ = [
    "FORMATS",
    "Catalog",
    "CatalogEntry",
    "default_catalog",
    "parse_catalog",
    "parse_entry",
]

_ENTRY_KEYS = {
    "name", "file", "format", "date_column", "date_format", "columns", "missing", "sentinels",
    "encoding", "order", "skip_lines", "delimiter", "options", "title", "units", "frequency",
    "country", "basis", "compounding", "measure",
}  # fmt: skip
_SPEC_KEYS = {"id", "title", "units", "frequency", "country", "basis", "compounding", "measure"}


@dataclass(frozen=True)
class CatalogEntry:
    """One file of a local data folder and how to read it.

    Attributes
    ----------
    name
        Unique name within the catalog (default: the file's stem).
    file
        Path relative to the data folder.
    format
        Key of :data:`FORMATS`.
    columns
        Publisher column -> series id; empty means the format's own mapping.
    date_column
        Header of the date column (``None``: the format's default).
    date_formats
        ``strptime`` patterns tried in order (``None``: the format's default).
    missing
        Cell texts meaning "no observation".
    sentinels
        Column -> numeric value meaning "no observation".
    encodings
        Encodings tried in order when the file has no byte-order mark.
    order
        Promised row order: ``ascending``, ``descending`` or ``monotonic``.
    skip_lines
        Lines above the header to skip.
    delimiter
        Field separator.
    specs
        Metadata of the entry's ids that are not in the vocabulary.
    options
        Format-specific options (``price_date`` for headerless TreasuryDirect files).
    """

    name: str
    file: str
    format: str = "csv"
    columns: Mapping[str, str] = field(default_factory=dict)
    date_column: str | None = None
    date_formats: tuple[str, ...] | None = None
    missing: tuple[str, ...] = MISSING_MARKERS
    sentinels: Mapping[str, float] = field(default_factory=dict)
    encodings: tuple[str, ...] = ("utf-8",)
    order: Order = "ascending"
    skip_lines: int = 0
    delimiter: str = ","
    specs: Mapping[str, SeriesSpec] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)

    def provides(self, series_id: str) -> bool:
        """Whether the entry can hold ``series_id`` (known without reading the file).

        Without explicit ``columns``, a publisher format provides its own table's ids
        (every TreasuryDirect price id for ``treasurydirect``).
        """
        if self.columns:
            return series_id in self.declared()
        if self.format == "treasurydirect":
            return TREASURYDIRECT_ID_PATTERN.match(series_id) is not None
        return series_id in _FORMAT_SERIES.get(self.format, frozenset())

    def declared(self) -> tuple[str, ...]:
        """Ids the entry maps explicitly, plus those its format derives from them
        (``french_factors``: the market total return ``us.ff.mkt.*`` from Mkt-RF and RF)."""
        ids = tuple(self.columns.values())
        if self.format == "french_factors" and "Mkt-RF" in self.columns and "RF" in self.columns:
            ids += (french.market_id(self.columns["Mkt-RF"]),)
        return ids

    def path(self, data_dir: Path | str) -> Path:
        """Absolute path of the entry's file under ``data_dir``."""
        return Path(data_dir) / self.file


FormatParser = Callable[[bytes, CatalogEntry, str], ParsedBatch]

# Ids each publisher format maps by itself, for entries that list no columns.
_FORMAT_SERIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "fred_csv": frozenset(fred.FRED_TO_SERIES.values()),
        "treasury_par": frozenset(treasury_par.TREASURY_PAR_COLUMNS.values()),
        "feds200628": frozenset(gsw.FEDS200628_COLUMNS.values()),
        "feds200805": frozenset(gsw.FEDS200805_COLUMNS.values()),
        "mof_jgbcme": frozenset(mof.MOF_COLUMNS.values()),
        "ecb_csv": frozenset(f"ea.aaa.zero.{n}y" for n in range(1, 31)),
    }
)


def _columns_or_none(entry: CatalogEntry) -> Mapping[str, str] | None:
    return entry.columns or None


def _parse_generic(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    if entry.date_column is None or not entry.columns:
        raise DataError(f"catalog entry {entry.name!r}: format 'csv' needs date_column and columns")
    return parse_csv(
        payload,
        date_column=entry.date_column,
        columns=entry.columns,
        origin=origin,
        date_formats=entry.date_formats or ("%Y-%m-%d",),
        missing=entry.missing,
        sentinels=entry.sentinels,
        encodings=entry.encodings,
        order=entry.order,
        skip_lines=entry.skip_lines,
        delimiter=entry.delimiter,
        specs=entry.specs,
    )


def _parse_investing(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return investing.parse_investing_csv(
        payload, columns=entry.columns, origin=origin, specs=entry.specs
    )


def _parse_fred(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return fred.parse_fred_csv(payload, origin=origin, columns=_columns_or_none(entry))


def _parse_treasury_par(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return treasury_par.parse_treasury_par_csv(
        payload, origin=origin, columns=_columns_or_none(entry)
    )


def _parse_feds200628(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return gsw.parse_feds200628(payload, origin=origin, columns=_columns_or_none(entry))


def _parse_feds200805(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return gsw.parse_feds200805(payload, origin=origin, columns=_columns_or_none(entry))


def _parse_ecb(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return ecb.parse_ecb_csv(payload, origin=origin)


def _parse_mof(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return mof.parse_jgbcme(payload, origin=origin, columns=_columns_or_none(entry))


def _parse_treasurydirect(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    return treasurydirect.parse_security_prices(
        payload, origin=origin, price_date=entry.options.get("price_date")
    )


def _parse_french_factors(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    if entry.date_column is None or not entry.columns or not entry.date_formats:
        raise DataError(
            f"catalog entry {entry.name!r}: format 'french_factors' needs date_column, "
            "date_format and columns"
        )
    return french.parse_french_factors_csv(
        payload,
        origin=origin,
        date_column=entry.date_column,
        date_format=entry.date_formats[0],
        columns=entry.columns,
    )


def _parse_date_list(payload: bytes, entry: CatalogEntry, origin: str) -> ParsedBatch:
    """A list of event dates -> an indicator series, 1.0 on each date (``columns``: the
    date column -> the indicator's id)."""
    if len(entry.columns) != 1:
        raise DataError(
            f"catalog entry {entry.name!r}: format 'date_list' maps its date column to "
            "exactly one indicator id"
        )
    ((date_column, series_id),) = entry.columns.items()
    text = decode_payload(payload, entry.encodings, origin=origin)
    table = read_text_table(text, origin=origin, skip_lines=entry.skip_lines)
    if date_column not in table.columns:
        raise DataError(
            f"{origin}: date column {date_column!r} not found; columns present: "
            f"{list(table.columns)}"
        )
    indicator = table.loc[table[date_column] != "", [date_column]].assign(event="1")
    return batch_from_table(
        indicator,
        source="local",
        origin=origin,
        payload=payload,
        date_column=date_column,
        date_formats=entry.date_formats or ("%Y-%m-%d",),
        column_to_series={"event": series_id},
        order=entry.order,
        specs=entry.specs,
    )


FORMATS: Mapping[str, FormatParser] = MappingProxyType(
    {
        "csv": _parse_generic,
        "investing": _parse_investing,
        "fred_csv": _parse_fred,
        "treasury_par": _parse_treasury_par,
        "feds200628": _parse_feds200628,
        "feds200805": _parse_feds200805,
        "ecb_csv": _parse_ecb,
        "mof_jgbcme": _parse_mof,
        "treasurydirect": _parse_treasurydirect,
        "french_factors": _parse_french_factors,
        "date_list": _parse_date_list,
    }
)
"""Catalog ``format`` name -> parser of a file's bytes."""


def _strings(value: Any, *, key: str, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise DataError(f"{where}: {key!r} must be a string or a list of strings, got {value!r}")
    return tuple(items)


def _custom_spec(
    series_id: str,
    column: str,
    declared: Mapping[str, Any],
    defaults: Mapping[str, Any],
    where: str,
) -> SeriesSpec:
    merged = {**{k: v for k, v in defaults.items() if k in _SPEC_KEYS}, **declared}
    absent = [key for key in ("title", "units", "frequency") if key not in merged]
    if absent:
        raise DataError(
            f"{where}: column {column!r} maps to {series_id!r}, which is not in the vocabulary; "
            f"the entry must give its {', '.join(absent)}"
        )
    if merged["frequency"] not in get_args(Frequency):
        raise DataError(
            f"{where}: frequency {merged['frequency']!r} of {series_id!r} is not one of "
            f"{list(get_args(Frequency))}"
        )
    if merged.get("measure", "nominal") not in ("nominal", "real"):
        raise DataError(f"{where}: measure of {series_id!r} must be 'nominal' or 'real'")
    return SeriesSpec(
        id=series_id,
        title=str(merged["title"]),
        units=str(merged["units"]),
        frequency=cast(Frequency, merged["frequency"]),
        country=str(merged.get("country", "XX")),
        basis=str(merged.get("basis", "level")),
        compounding=str(merged.get("compounding", "none")),
        measure=cast(Any, merged.get("measure", "nominal")),
        source="local",
        attributes=MappingProxyType({"column": column}),
    )


def _check_vocabulary_agrees(series_id: str, raw: Mapping[str, Any], where: str) -> None:
    spec = get_spec(series_id)
    for key in ("units", "frequency"):
        if key in raw and raw[key] != getattr(spec, key):
            raise DataError(
                f"{where}: {key} {raw[key]!r} contradicts the vocabulary's {getattr(spec, key)!r} "
                f"for {series_id!r}"
            )


def _entry_from_table(raw: Mapping[str, Any], position: int, source: str) -> CatalogEntry:
    where = f"{source}: entry {position + 1}"
    if "file" not in raw or not isinstance(raw["file"], str):
        raise DataError(f"{where}: 'file' (path relative to the data folder) is required")
    name = str(raw.get("name", Path(raw["file"]).stem))
    where = f"{source}: entry {name!r}"
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_ENTRY_KEYS)}")
    file_format = raw.get("format", "csv")
    if file_format not in FORMATS:
        raise DataError(f"{where}: unknown format {file_format!r}; known: {sorted(FORMATS)}")
    order = raw.get("order", "ascending")
    if order not in get_args(Order):
        raise DataError(f"{where}: order {order!r} is not one of {list(get_args(Order))}")
    columns: dict[str, str] = {}
    specs: dict[str, SeriesSpec] = {}
    raw_columns = raw.get("columns", {})
    if not isinstance(raw_columns, dict):
        raise DataError(f"{where}: 'columns' must be a table of column = series id")
    for column, target in raw_columns.items():
        declared: dict[str, Any] = dict(target) if isinstance(target, dict) else {"id": target}
        series_id = declared.pop("id", None)
        if not isinstance(series_id, str) or not series_id:
            raise DataError(f"{where}: column {column!r} needs a series id")
        unknown_spec = sorted(set(declared) - _SPEC_KEYS)
        if unknown_spec:
            raise DataError(f"{where}: column {column!r}: unknown key(s) {unknown_spec}")
        if series_id in columns.values():
            raise DataError(f"{where}: series {series_id!r} is mapped from two columns")
        if is_known(series_id):
            _check_vocabulary_agrees(series_id, {**raw, **declared}, where)
        else:
            specs[series_id] = _custom_spec(series_id, column, declared, raw, where)
        columns[str(column)] = series_id
    if file_format == "csv" and ("date_column" not in raw or not columns):
        raise DataError(f"{where}: format 'csv' needs 'date_column' and 'columns'")
    if file_format == "investing" and not columns:
        raise DataError(f"{where}: format 'investing' needs 'columns' (e.g. Price = id)")
    if file_format == "ecb_csv" and columns:
        raise DataError(f"{where}: format 'ecb_csv' maps series keys itself; drop 'columns'")
    sentinels = raw.get("sentinels", {})
    if not isinstance(sentinels, dict) or not all(
        isinstance(v, int | float) for v in sentinels.values()
    ):
        raise DataError(f"{where}: 'sentinels' must be a table of column = number")
    skip_lines = raw.get("skip_lines", 0)
    if not isinstance(skip_lines, int) or skip_lines < 0:
        raise DataError(f"{where}: 'skip_lines' must be a non-negative integer")
    return CatalogEntry(
        name=name,
        file=raw["file"],
        format=file_format,
        columns=MappingProxyType(columns),
        date_column=raw.get("date_column"),
        date_formats=(
            _strings(raw["date_format"], key="date_format", where=where)
            if "date_format" in raw
            else None
        ),
        missing=(
            _strings(raw["missing"], key="missing", where=where)
            if "missing" in raw
            else MISSING_MARKERS
        ),
        sentinels=MappingProxyType({str(k): float(v) for k, v in sentinels.items()}),
        encodings=_strings(raw.get("encoding", "utf-8"), key="encoding", where=where),
        order=order,
        skip_lines=skip_lines,
        delimiter=str(raw.get("delimiter", ",")),
        specs=MappingProxyType(specs),
        options=MappingProxyType({str(k): str(v) for k, v in raw.get("options", {}).items()}),
    )


@dataclass(frozen=True)
class Catalog:
    """A validated list of :class:`CatalogEntry`.

    Build it with :meth:`from_toml` (a file), :meth:`from_dict` (parsed TOML) or
    :func:`default_catalog` (the catalog of the shared data folder shipped with ustpull).
    """

    entries: tuple[CatalogEntry, ...]
    source: str = "<catalog>"

    def __post_init__(self) -> None:
        names = [entry.name for entry in self.entries]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise DataError(f"{self.source}: entry names used twice: {repeated}")

    @classmethod
    def from_dict(cls, document: Mapping[str, Any], *, source: str = "<catalog>") -> Catalog:
        """Build from a parsed TOML document with an ``entry`` array of tables."""
        raw_entries = document.get("entry")
        if not isinstance(raw_entries, list) or not raw_entries:
            raise DataError(f"{source}: no [[entry]] tables")
        return cls(
            tuple(_entry_from_table(raw, i, source) for i, raw in enumerate(raw_entries)),
            source=source,
        )

    @classmethod
    def from_toml(cls, path: Path | str) -> Catalog:
        """Read and validate a catalog file."""
        try:
            document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise DataError(f"{path}: invalid TOML: {error}") from error
        return cls.from_dict(document, source=str(path))

    def entry(self, name: str) -> CatalogEntry:
        """The entry called ``name``."""
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise DataError(f"{self.source}: no entry named {name!r}")

    def declared_series(self) -> list[str]:
        """Ids the entries map explicitly, in catalog order (dynamic ids excluded)."""
        return list(dict.fromkeys(i for entry in self.entries for i in entry.declared()))

    def entries_for(self, series_ids: Iterable[str]) -> list[CatalogEntry]:
        """Entries that hold any of ``series_ids``, in catalog order.

        Raises
        ------
        SeriesNotFoundError
            Names every id that no entry provides.
        """
        wanted = list(series_ids)
        unprovided = [i for i in wanted if not any(e.provides(i) for e in self.entries)]
        if unprovided:
            raise SeriesNotFoundError(
                f"no entry of catalog {self.source} provides {', '.join(map(repr, unprovided))}"
            )
        return [e for e in self.entries if any(e.provides(i) for i in wanted)]


@cache
def default_catalog() -> Catalog:
    """The catalog of the shared public-data folder, shipped in ``ustpull.sources.catalogs``."""
    resource = files("ustpull.sources.catalogs").joinpath("shared_data.toml")
    document = tomllib.loads(resource.read_text(encoding="utf-8"))
    return Catalog.from_dict(document, source="ustpull:catalogs/shared_data.toml")


def parse_entry(entry: CatalogEntry, data_dir: Path | str) -> ParsedBatch:
    """Parse one catalogued file.

    Returns
    -------
    ParsedBatch
        ``origin`` is the file path, ``sha256`` the digest of its bytes.

    Raises
    ------
    DataError
        The file is missing or does not parse (the message names the file).
    """
    path = entry.path(data_dir)
    try:
        payload = path.read_bytes()
    except FileNotFoundError as error:
        raise DataError(f"catalog entry {entry.name!r}: file {path} not found") from error
    return FORMATS[entry.format](payload, entry, str(path))


def parse_catalog(
    data_dir: Path | str,
    catalog: Catalog | None = None,
    *,
    series: Sequence[str] | None = None,
) -> list[ParsedBatch]:
    """Parse every entry of ``catalog`` (default: the shipped one), or only those for ``series``.

    With ``series``, each batch is restricted to the requested ids.
    """
    catalog = catalog or default_catalog()
    if series is None:
        return [parse_entry(entry, data_dir) for entry in catalog.entries]
    wanted = set(series)
    batches = []
    for entry in catalog.entries_for(series):
        batches.append(_restrict(parse_entry(entry, data_dir), wanted))
    return batches


def _restrict(batch: ParsedBatch, wanted: set[str]) -> ParsedBatch:
    observations = batch.observations
    rejections = batch.rejections
    return ParsedBatch(
        source=batch.source,
        origin=batch.origin,
        sha256=batch.sha256,
        observations=observations[observations["series_id"].isin(wanted)].reset_index(drop=True),
        rejections=rejections[rejections["series_id"].isin(wanted)].reset_index(drop=True),
        series=tuple(spec for spec in batch.series if spec.id in wanted),
    )
