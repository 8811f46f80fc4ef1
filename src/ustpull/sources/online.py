"""Online sources: download each publisher's file and parse it into canonical batches.

Every publisher is one row of :data:`SOURCES`, a table of :class:`SourceDefinition`
(name, endpoints, which canonical series it provides, fetch function) rather than a chain
of ifs. A fetch function downloads with a shared :class:`~ustpull.sources.http.HttpClient`
and hands the raw bytes to the publisher's parser:

===================  ==========================================================  =================
source               what is downloaded                                          series
===================  ==========================================================  =================
``fred``             ``fredgraph.csv?id=DGS10`` per series (keyless), or the     ``us.cmt.*``, ...
                     JSON API ``fred/series/observations`` if ``FRED_API_KEY``
``treasury_par``     Treasury daily par yield curve CSV, one request per year    ``us.tsy_par.*``
``gsw``              Federal Reserve ``feds200628.csv`` (GSW nominal curve)      ``us.gsw.*``
``gsw_tips``         Federal Reserve ``feds200805.csv`` (GSW TIPS curve)         ``us.gsw.tips.*``
``ecb``              ECB Data Portal SDMX-CSV, dataflow ``YC`` (AAA spot curve)  ``ea.aaa.zero.*``
``mof``              Japan MoF ``jgbcme_all.csv`` (history) and ``jgbcme.csv``   ``jp.mof.par.*``
``treasurydirect``   FedInvest end-of-day security prices (POST form -> CSV)      ``us.td.*``
``ecb_short``        ECB Data Portal SDMX-CSV, one request per key: €STR          ``ea.estr``,
                     (``EST``), EONIA and 3-month EURIBOR (``FM``, monthly),      ``ea.eonia.*``,
                     the USD/EUR reference rate (``EXR``, from 1999)              ``fx.usd_per_eur``
``shiller``          Robert Shiller's ``ie_data.xls`` (econ.yale.edu)             ``us.shiller.*``
``french``           Kenneth French's three factors, daily and monthly zips       ``us.ff.*``
``bundesbank``       Bundesbank CSV download per series: Svensson zero yields     ``de.bbk.zero.*``,
                     (BBSIS) and listed Federal securities yields (BBSSY)         ``de.govt.*``
``snb``              SNB data portal cube ``rendeidglfzch`` (CSV API)             ``ch.snb.zero.*``
``rba_f2``           RBA table F2 (daily history, current, monthly history)       ``au.rba.govt.*``
``rba_f17``          RBA table F17 zero-coupon yields (history, current)          ``au.rba.zero.*``
``boe``              Bank of England yield-curve archives (nominal, real zips)    ``gb.boe.*``
``nyfed_acm``        NY Fed ``ACMTermPremium.xls`` (ACM term premia)              ``us.acm.*``
===================  ==========================================================  =================

Not fetched online (no public machine-readable endpoint found): daily French OAT yields
(Banque de France Webstat needs an API key; the ECB publishes no daily French yield), so
the French 10-year yield online is FRED's monthly OECD series ``oecd.10y.fr``; German
1- and 20-year yields (``de.govt.1y``, ``de.govt.20y``: the Bundesbank publishes daily
listed-securities yields for 2, 5, 10 and 30 years only); ICE's DXY (``fx.dxy``, licensed;
the Fed's broad index ``fx.usd_broad`` is the online dollar index); India's daily
Investing.com yield (``in.govt.10y``; FRED's monthly ``oecd.10y.in`` online); the event
files (``us.fomc.*``, ``gb.mpc.decision``, ``ca.boc.decision``: research data sets).

All-or-nothing holds within one file: a payload that fails to download or parse gives no
batch. Publishers served as several files (one FRED request per series, one Treasury file
per year) fail per file: the files that came through are returned inside a
:class:`PartialFetchError` error that lists each failed file with its series, URL and reason,
so a 404 on one of 50 FRED ids costs that series only. Parser errors are re-raised as
:class:`~ustpull.errors.DataError` naming the URL.

Conditional requests: a ``304 Not Modified`` (the client had a validator, see
:class:`~ustpull.sources.http.Validators`) yields no batch for that file; a source whose
every file was not modified returns an empty list.

Base URLs
---------
Each endpoint's base URL (scheme and host; the fetcher appends the publisher's path) is
resolved, first match wins, from: the ``base_urls`` argument; the environment variable
``USTPULL_<ENDPOINT>_BASE_URL`` (e.g. ``USTPULL_FRED_BASE_URL``,
``USTPULL_FRED_API_BASE_URL``); ``USTPULL_ONLINE_BASE_URL`` (one mirror or test server
for every endpoint); the publisher's own host (:data:`ENDPOINTS`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Protocol

import pandas as pd

from ustpull.errors import (
    DataError,
    SeriesNotFoundError,
    SourceUnavailableError,
    UstpullError,
)
from ustpull.sources import (
    boe,
    bundesbank,
    ecb,
    fred,
    french,
    gsw,
    mof,
    nyfed_acm,
    rba,
    shiller,
    snb,
    treasury_par,
    treasurydirect,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.http import Fetched, HttpClient
from ustpull.sources.vocabulary import TREASURYDIRECT_ID_PATTERN, all_specs

__all__ = [
    "ENDPOINTS",
    "GLOBAL_BASE_URL_ENV",
    "SOURCES",
    "FileFailure",
    "PartialFetchError",
    "SourceDefinition",
    "base_url",
    "fetch",
    "fetch_boe",
    "fetch_bundesbank",
    "fetch_ecb",
    "fetch_ecb_short",
    "fetch_fred",
    "fetch_french",
    "fetch_gsw",
    "fetch_gsw_tips",
    "fetch_mof",
    "fetch_nyfed_acm",
    "fetch_rba_f2",
    "fetch_rba_f17",
    "fetch_shiller",
    "fetch_snb",
    "fetch_treasury_par",
    "fetch_treasurydirect",
    "series_url",
    "source_of",
    "sources_for",
]

GLOBAL_BASE_URL_ENV = "USTPULL_ONLINE_BASE_URL"
FRED_API_KEY_ENV = "FRED_API_KEY"

#: Endpoint name -> the publisher's base URL (scheme and host only).
ENDPOINTS: Mapping[str, str] = MappingProxyType(
    {
        "fred": "https://fred.stlouisfed.org",
        "fred_api": "https://api.stlouisfed.org",
        "treasury_par": "https://home.treasury.gov",
        "gsw": "https://www.federalreserve.gov",
        "ecb": "https://data-api.ecb.europa.eu",
        "mof": "https://www.mof.go.jp",
        "treasurydirect": "https://www.treasurydirect.gov",
        "shiller": "http://www.econ.yale.edu",
        "french": "https://mba.tuck.dartmouth.edu",
        "bundesbank": "https://api.statistiken.bundesbank.de",
        "snb": "https://data.snb.ch",
        "rba": "https://www.rba.gov.au",
        "boe": "https://www.bankofengland.co.uk",
        "nyfed": "https://www.newyorkfed.org",
    }
)

FRED_GRAPH_PATH = "/graph/fredgraph.csv"
FRED_API_PATH = "/fred/series/observations"
TREASURY_PAR_PATH = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv"
#: First year of the Treasury daily par yield curve.
TREASURY_PAR_FIRST_YEAR = 1990
GSW_NOMINAL_PATH = "/data/yield-curve-tables/feds200628.csv"
GSW_TIPS_PATH = "/data/yield-curve-tables/feds200805.csv"
ECB_DATA_PATH = "/service/data"
MOF_HISTORY_PATH = "/english/policy/jgbs/reference/interest_rate/historical/jgbcme_all.csv"
MOF_CURRENT_PATH = "/english/policy/jgbs/reference/interest_rate/jgbcme.csv"
TREASURYDIRECT_PATH = "/GA-FI/FedInvest/securityPriceDetail"
# The Yale copy stopped updating in 2023-09; shillerdata.com serves the same layout from
# unstable blob URLs, so point USTPULL_SHILLER_BASE_URL at a mirror for newer months.
SHILLER_PATH = "/~shiller/data/ie_data.xls"
FRENCH_DAILY_PATH = "/pages/faculty/ken.french/ftp/F-F_Research_Data_Factors_daily_CSV.zip"
FRENCH_MONTHLY_PATH = "/pages/faculty/ken.french/ftp/F-F_Research_Data_Factors_CSV.zip"
BUNDESBANK_PATH = "/rest/download"
SNB_PATH = "/api/cube/rendeidglfzch/data/csv/en"
RBA_F2_PATHS = (
    "/statistics/tables/xls-hist/f02dhist.xls",
    "/statistics/tables/xls/f02d.xls",
    "/statistics/tables/xls-hist/f02histhist.xls",
)
RBA_F17_PATHS = (
    "/statistics/tables/xls-hist/f17hist.xlsx",
    "/statistics/tables/xls/f17-yields.xlsx",
)
BOE_PATHS = (
    "/-/media/boe/files/statistics/yield-curves/glcnominalddata.zip",
    "/-/media/boe/files/statistics/yield-curves/glcrealddata.zip",
)
ACM_PATH = "/medialibrary/media/research/data_indicators/ACMTermPremium.xls"


def base_url(endpoint: str, *, base_urls: Mapping[str, str] | None = None) -> str:
    """Base URL of ``endpoint`` (see the module docstring for the order of precedence)."""
    if endpoint not in ENDPOINTS:
        raise DataError(f"unknown endpoint {endpoint!r}; known: {sorted(ENDPOINTS)}")
    chosen = (
        (base_urls or {}).get(endpoint)
        or os.environ.get(f"USTPULL_{endpoint.upper()}_BASE_URL")
        or os.environ.get(GLOBAL_BASE_URL_ENV)
        or ENDPOINTS[endpoint]
    )
    return chosen.rstrip("/")


@dataclass(frozen=True)
class FileFailure:
    """One file of a source that failed: the series it carries, its URL and why."""

    series: tuple[str, ...]
    url: str
    reason: str
    unavailable: bool  # True: not reached (404, timeout); False: did not parse

    def describe(self) -> str:
        """``series (url): reason`` for messages."""
        return f"{', '.join(self.series)} ({self.url}): {self.reason}"


class PartialFetchError(SourceUnavailableError):
    """Some files of a source failed; the batches of the others are attached.

    A source that could not deliver everything is (partly) unavailable, hence the base
    class; :func:`ustpull.store.ingest.ingest_online` commits the batches and lists the
    failures one by one.

    Attributes
    ----------
    batches
        Parsed batches of the files that came through (possibly none).
    failures
        One :class:`FileFailure` per file that did not.
    """

    def __init__(self, source: str, batches: list[ParsedBatch], failures: list[FileFailure]):
        self.source = source
        self.batches = batches
        self.failures = failures
        listed = "; ".join(failure.describe() for failure in failures)
        super().__init__(f"{source}: {len(failures)} file(s) failed: {listed}")


def _per_file(
    source: str,
    units: Iterable[tuple[tuple[str, ...], str, Callable[[], ParsedBatch | None]]],
) -> list[ParsedBatch | None]:
    """Run one download-and-parse per file, collecting failures instead of stopping.

    ``units`` are ``(series carried, url, fetch)``. Raises :class:`PartialFetchError` if any
    file failed (with the others' batches attached); otherwise returns the results. A
    single file that fails alone re-raises its own error.
    """
    results: list[ParsedBatch | None] = []
    failures = []
    errors: list[UstpullError] = []
    for series, url, run in units:
        try:
            results.append(run())
        except (SourceUnavailableError, DataError) as error:
            unavailable = isinstance(error, SourceUnavailableError)
            failures.append(FileFailure(series, url, str(error), unavailable))
            errors.append(error)
    if len(errors) == 1 and not results:
        raise errors[0]
    if failures:
        batches = [batch for batch in results if batch is not None]
        raise PartialFetchError(source, batches, failures)
    return results


class FetchFunction(Protocol):
    """Signature shared by the ``fetch_<source>`` functions."""

    def __call__(
        self,
        client: HttpClient,
        *,
        series: Sequence[str] | None = ...,
        start: date | None = ...,
        base_urls: Mapping[str, str] | None = ...,
    ) -> list[ParsedBatch]: ...


@dataclass(frozen=True)
class SourceDefinition:
    """One online publisher.

    Attributes
    ----------
    name
        Source name used by ``fetch`` and ``ustpull ingest --source``.
    title
        Publisher and product.
    endpoints
        Names of the :data:`ENDPOINTS` it downloads from.
    series
        Canonical ids it provides (empty for TreasuryDirect, whose ids depend on the
        securities outstanding; see ``pattern``).
    fetcher
        The ``fetch_<source>`` function.
    pattern
        Optional predicate accepting ids outside ``series`` (``us.td.{CUSIP}.buy``).
    """

    name: str
    title: str
    endpoints: tuple[str, ...]
    series: tuple[str, ...]
    fetcher: FetchFunction
    pattern: Callable[[str], bool] | None = None

    def provides(self, series_id: str) -> bool:
        """Whether this source publishes ``series_id``."""
        return series_id in self.series or (self.pattern is not None and self.pattern(series_id))


# ---------------------------------------------------------------------------------------
# Shared steps


def _restrict(batch: ParsedBatch, wanted: Iterable[str] | None, start: date | None) -> ParsedBatch:
    """``batch`` keeping only the ``wanted`` series and dates on or after ``start``."""
    if wanted is None and start is None:
        return batch
    keep_ids = None if wanted is None else set(wanted)

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        mask = pd.Series(True, index=frame.index)
        if keep_ids is not None:
            mask &= frame["series_id"].isin(keep_ids)
        if start is not None:
            # Rejections may carry NaT dates: keep those (they are still worth logging).
            mask &= ~(frame["date"] < pd.Timestamp(start))
        return frame.loc[mask].reset_index(drop=True)

    return ParsedBatch(
        source=batch.source,
        origin=batch.origin,
        sha256=batch.sha256,
        observations=keep(batch.observations),
        rejections=keep(batch.rejections),
        series=tuple(s for s in batch.series if keep_ids is None or s.id in keep_ids),
    )


def _parsed(
    fetched: Fetched, parse: Callable[..., ParsedBatch], **options: Any
) -> ParsedBatch | None:
    """Parse a download, making sure any parser error names the URL (``None``: not modified)."""
    if fetched.not_modified:
        return None
    if not fetched.content.strip():
        raise DataError(f"{fetched.url}: empty payload (HTTP {fetched.status}, no data)")
    try:
        return parse(fetched.content, origin=fetched.url, **options)
    except DataError as error:
        message = str(error)
        if fetched.url in message:
            raise
        raise DataError(f"{fetched.url}: {message}") from error


def _finished(
    results: Sequence[ParsedBatch | None],
    *,
    series: Sequence[str] | None,
    start: date | None,
    expected: Iterable[str] | None,
) -> list[ParsedBatch]:
    """Check that every ``expected`` series came back, then apply ``series`` and ``start``.

    A publisher that renames or drops a column otherwise makes a series silently vanish;
    this names the URL(s) and the missing series instead. Files not modified since the last
    download (``None``) are dropped; if none was modified there is nothing to check.
    """
    batches = [batch for batch in results if batch is not None]
    if expected is not None and batches:
        found = {spec.id for batch in batches for spec in batch.series}
        missing = [series_id for series_id in expected if series_id not in found]
        if missing:
            origins = ", ".join(batch.origin for batch in batches)
            raise DataError(
                f"{origins}: no data for {missing} (column renamed or missing in the payload?)"
            )
    return [_restrict(batch, series, start) for batch in batches]


def _came(results: Sequence[ParsedBatch | None], wanted: Sequence[str]) -> list[str] | None:
    """``wanted`` if every file was downloaded afresh; ``None`` (nothing to check) if some
    were not modified, since their series rightly do not come back."""
    return list(wanted) if all(batch is not None for batch in results) else None


def _check_known(source: str, series: Sequence[str] | None) -> None:
    if series is None:
        return
    definition = SOURCES[source]
    unknown = [s for s in series if not definition.provides(s)]
    if unknown:
        raise SeriesNotFoundError(
            f"source {source!r} does not publish {unknown}; see ustpull.sources.online.SOURCES"
        )


def _ids_with_prefix(*prefixes: str) -> tuple[str, ...]:
    return tuple(spec.id for spec in all_specs() if spec.id.startswith(prefixes))


def _publisher_codes(source: str, ids: Sequence[str]) -> dict[str, str]:
    """Canonical id -> the publisher's own code (vocabulary attribute ``code``)."""
    codes = {spec.id: spec.attributes.get("code", "") for spec in all_specs()}
    missing = [i for i in ids if not codes.get(i)]
    if missing:
        raise SeriesNotFoundError(f"{source}: no publisher code for {missing}")
    return {i: codes[i] for i in ids}


def _file(
    client: HttpClient,
    url: str,
    parse: Callable[..., ParsedBatch],
    carried: tuple[str, ...],
    params: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], str, Callable[[], ParsedBatch | None]]:
    """One unit of :func:`_per_file`: GET ``url`` and parse it."""
    return carried, url, lambda: _parsed(client.get(url, params=params), parse)


def _whole_file_fetcher(
    source: str,
    paths: Sequence[str],
    parse: Callable[..., ParsedBatch],
    doc: str,
    *,
    expect_all: bool = True,
) -> FetchFunction:
    """A fetch function for publishers that serve whole files.

    It downloads ``paths`` (relative to the source's first endpoint), parses each, checks
    that every expected series came back and applies ``series``/``start``. Expected are
    the requested series, or with ``expect_all`` (every file carries every series) all
    of the source's series when none are requested.
    """

    def fetch_whole_files(
        client: HttpClient,
        *,
        series: Sequence[str] | None = None,
        start: date | None = None,
        base_urls: Mapping[str, str] | None = None,
    ) -> list[ParsedBatch]:
        _check_known(source, series)
        root = base_url(SOURCES[source].endpoints[0], base_urls=base_urls)
        carried = tuple(series or SOURCES[source].series)
        batches = _per_file(source, [_file(client, f"{root}{p}", parse, carried) for p in paths])
        expected = series or (SOURCES[source].series if expect_all else None)
        checked = None if expected is None else _came(batches, expected)
        return _finished(batches, series=series, start=start, expected=checked)

    fetch_whole_files.__name__ = fetch_whole_files.__qualname__ = f"fetch_{source}"
    fetch_whole_files.__doc__ = doc
    return fetch_whole_files


# ---------------------------------------------------------------------------------------
# FRED


def fred_ids_for(series: Sequence[str] | None) -> list[str]:
    """FRED ids to download for canonical ``series``, in their order (all if ``None``).

    A canonical id may need several FRED ids: ``us.fedfunds.target`` is ``DFEDTAR`` until
    2008-12-15 and ``DFEDTARU`` from 2008-12-16.
    """
    if series is None:
        return list(fred.FRED_TO_SERIES)
    return [
        code
        for series_id in dict.fromkeys(series)
        for code, canonical in fred.FRED_TO_SERIES.items()
        if canonical == series_id
    ]


def fetch_fred(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
    api_key: str | None = None,
    starts: Mapping[str, date] | None = None,
) -> list[ParsedBatch]:
    """Download FRED series, one request per FRED id.

    Without an API key the keyless graph download is used
    (``{fred}/graph/fredgraph.csv?id=DGS10[&cosd=YYYY-MM-DD]``); with ``api_key`` or the
    ``FRED_API_KEY`` environment variable, the JSON API
    (``{fred_api}/fred/series/observations?series_id=..&api_key=..&file_type=json``). The key
    never appears in ``ParsedBatch.origin`` or in error messages.

    Parameters
    ----------
    client
        Shared HTTP client (rate-limits FRED to about 2 requests a second).
    series
        Canonical ids; default every FRED series of the vocabulary.
    start
        First date wanted; default the whole history.
    base_urls
        Endpoint overrides (``fred``, ``fred_api``).
    api_key
        FRED API key; default ``$FRED_API_KEY``.
    starts
        Canonical id -> first date wanted for that series (incremental updates: the last
        stored date minus a revision window); overrides ``start`` for the ids it names.

    Returns
    -------
    list of ParsedBatch
        One per FRED id that was modified, in request order.

    Raises
    ------
    PartialFetchError
        Some ids failed (404, empty or unparseable answer); the others' batches are
        attached, each failure names its series, URL and reason.
    """
    _check_known("fred", series)
    key = api_key or os.environ.get(FRED_API_KEY_ENV) or None
    per_series = dict(starts or {})

    def one(code: str) -> tuple[tuple[str, ...], str, Callable[[], ParsedBatch | None]]:
        canonical = fred.FRED_TO_SERIES[code]
        first = per_series.get(canonical, start)
        if key is None:
            url = f"{base_url('fred', base_urls=base_urls)}{FRED_GRAPH_PATH}"
            params = {"id": code} | ({"cosd": first.isoformat()} if first else {})

            def run() -> ParsedBatch | None:
                fetched = client.get(url, params=params)
                parsed = _parsed(fetched, fred.parse_fred_csv, columns={code: canonical})
                return None if parsed is None else _restrict(parsed, None, first)

            return (canonical,), f"{url}?id={code}", run
        api = f"{base_url('fred_api', base_urls=base_urls)}{FRED_API_PATH}"
        query = {"series_id": code, "api_key": key, "file_type": "json"}
        if first is not None:
            query["observation_start"] = first.isoformat()

        def run_api() -> ParsedBatch | None:
            fetched = client.get(api, params=query)
            parsed = _parsed(fetched, fred.parse_fred_json, fred_id=code, series_id=canonical)
            return None if parsed is None else _restrict(parsed, None, first)

        return (canonical,), f"{api}?series_id={code}", run_api

    results = _per_file("fred", [one(code) for code in fred_ids_for(series)])
    # The parser already insists on each requested column (columns=), naming it if absent;
    # a discontinued series may rightly have nothing after ``start``.
    return _finished(results, series=series, start=None, expected=None)


# ---------------------------------------------------------------------------------------
# U.S. Treasury daily par yield curve


def treasury_par_url(year: int, *, base_urls: Mapping[str, str] | None = None) -> str:
    """URL of one calendar year of the Treasury daily par yield curve CSV."""
    return (
        f"{base_url('treasury_par', base_urls=base_urls)}{TREASURY_PAR_PATH}/{year}/all"
        f"?type=daily_treasury_yield_curve&field_tdr_date_value={year}&page&_format=csv"
    )


def fetch_treasury_par(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
    end: date | None = None,
) -> list[ParsedBatch]:
    """Download the Treasury daily par yield curve, one CSV per calendar year.

    Parameters
    ----------
    series
        ``us.tsy_par.*`` ids to keep; default all.
    start, end
        Dates wanted; default 1990-01-01 (first published year) through today. One request
        per year from ``start.year`` to ``end.year``.
    base_urls
        Endpoint override (``treasury_par``).
    """
    _check_known("treasury_par", series)
    first = start.year if start else TREASURY_PAR_FIRST_YEAR
    last = (end or date.today()).year
    if last < first:
        raise DataError(f"treasury_par: end year {last} is before start year {first}")
    carried = tuple(series or SOURCES["treasury_par"].series)

    def one(year: int) -> tuple[tuple[str, ...], str, Callable[[], ParsedBatch | None]]:
        url = treasury_par_url(year, base_urls=base_urls)
        return carried, url, lambda: _parsed(client.get(url), treasury_par.parse_treasury_par_csv)

    results = _per_file("treasury_par", [one(year) for year in range(first, last + 1)])
    # Tenors appear over time (4 Mo from 2022), so only explicitly requested ids must exist.
    return _finished(results, series=series, start=start, expected=series)


# ---------------------------------------------------------------------------------------
# Federal Reserve GSW curves


fetch_gsw = _whole_file_fetcher(
    "gsw",
    (GSW_NOMINAL_PATH,),
    gsw.parse_feds200628,
    "Download ``feds200628.csv`` (Gürkaynak-Sack-Wright nominal curve, ~16 MB).",
)
fetch_gsw_tips = _whole_file_fetcher(
    "gsw_tips",
    (GSW_TIPS_PATH,),
    gsw.parse_feds200805,
    "Download ``feds200805.csv`` (Gürkaynak-Sack-Wright TIPS curve and breakevens).",
)


# ---------------------------------------------------------------------------------------
# ECB Data Portal


def sdmx_key(codes: Sequence[str]) -> tuple[str, str]:
    """Dataflow and combined SDMX key for full series codes of one dataflow.

    ``["YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y", "YC.B...SR_2Y"]`` ->
    ``("YC", "B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y+SR_2Y")``: each dimension lists its values
    joined by ``+`` (SDMX "or"). Codes must differ in one dimension at most, so that the
    combined key asks for exactly these series.
    """
    split = [code.split(".") for code in codes]
    flows = {parts[0] for parts in split}
    if len(flows) != 1 or len({len(parts) for parts in split}) != 1:
        raise DataError(f"SDMX codes {list(codes)} are not of one dataflow and key shape")
    dimensions = [list(dict.fromkeys(values)) for values in zip(*split, strict=True)][1:]
    if sum(len(values) > 1 for values in dimensions) > 1:
        raise DataError(f"SDMX codes {list(codes)} differ in more than one dimension")
    return flows.pop(), ".".join("+".join(values) for values in dimensions)


def fetch_ecb(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[ParsedBatch]:
    """Download ECB euro-area AAA spot yields (dataflow ``YC``) as SDMX-CSV, one request.

    URL: ``{ecb}/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y+...+SR_30Y?format=csvdata``
    (plus ``startPeriod=YYYY-MM-DD``).
    """
    _check_known("ecb", series)
    wanted = series or SOURCES["ecb"].series
    flow, key = sdmx_key(list(_publisher_codes("ecb", wanted).values()))
    params = {"format": "csvdata"} | ({"startPeriod": start.isoformat()} if start else {})
    fetched = client.get(
        f"{base_url('ecb', base_urls=base_urls)}{ECB_DATA_PATH}/{flow}/{key}", params=params
    )
    batch = _parsed(fetched, ecb.parse_ecb_csv)
    return _finished([batch], series=series, start=start, expected=wanted)


# ---------------------------------------------------------------------------------------
# Japan Ministry of Finance


fetch_mof = _whole_file_fetcher(
    "mof",
    (MOF_HISTORY_PATH, MOF_CURRENT_PATH),
    mof.parse_jgbcme,
    "Download the MoF JGB par curve: ``jgbcme_all.csv`` (to last month) and ``jgbcme.csv``.",
)


# ---------------------------------------------------------------------------------------
# TreasuryDirect FedInvest prices


def previous_weekday(today: date) -> date:
    """The last Monday-Friday strictly before ``today`` (FedInvest posts end-of-day prices)."""
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def fetch_treasurydirect(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
    price_date: date | None = None,
) -> list[ParsedBatch]:
    """Download FedInvest end-of-day prices of every marketable Treasury for one date.

    POSTs the form FedInvest's "CSV FORMAT" button sends (``priceDateDay``,
    ``priceDateMonth``, ``priceDateYear``, ``fileType=csv``) to
    ``{treasurydirect}/GA-FI/FedInvest/securityPriceDetail``; the answer is a header-less
    CSV (CUSIP, type, coupon, maturity, call date, buy, sell, end of day).

    Parameters
    ----------
    series
        ``us.td.{CUSIP}.{buy,sell}`` ids to keep; default every security.
    start
        Ignored unless after ``price_date`` (then nothing is kept).
    price_date
        Pricing date; default the previous weekday.
    """
    _check_known("treasurydirect", series)
    when = price_date or previous_weekday(date.today())
    form = {
        "priceDateDay": str(when.day),
        "priceDateMonth": str(when.month),
        "priceDateYear": str(when.year),
        "fileType": "csv",
        "csv": "CSV FORMAT",
    }
    fetched = client.post(
        f"{base_url('treasurydirect', base_urls=base_urls)}{TREASURYDIRECT_PATH}", form=form
    )
    batch = _parsed(fetched, treasurydirect.parse_security_prices, price_date=when)
    return _finished([batch], series=series, start=start, expected=series)


# ---------------------------------------------------------------------------------------
# ECB short rates, one SDMX key per request (their keys differ in several dimensions)


def fetch_ecb_short(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[ParsedBatch]:
    """Download euro short rates from the ECB Data Portal as SDMX-CSV, one request per key.

    URLs: ``{ecb}/service/data/EST/B.EU000A2X2A25.WT?format=csvdata`` (€STR, daily),
    ``{ecb}/service/data/FM/M.U2.EUR.4F.MM.EONIA.HSTA`` (EONIA, monthly average, to 2021-12)
    , ``{ecb}/service/data/FM/M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA`` (3-month EURIBOR) and
    ``{ecb}/service/data/EXR/D.USD.EUR.SP00.A`` (the euro reference rate in U.S. dollars,
    daily from 1999), each with ``startPeriod`` when ``start`` is given.
    """
    _check_known("ecb_short", series)
    wanted = series or SOURCES["ecb_short"].series
    params = {"format": "csvdata"} | ({"startPeriod": start.isoformat()} if start else {})
    root = base_url("ecb", base_urls=base_urls)
    units = []
    for series_id, code in _publisher_codes("ecb_short", wanted).items():
        flow, key = code.split(".", 1)
        url = f"{root}{ECB_DATA_PATH}/{flow}/{key}"
        units.append(_file(client, url, ecb.parse_ecb_series_csv, (series_id,), params))
    batches = _per_file("ecb_short", units)
    return _finished(batches, series=series, start=start, expected=_came(batches, wanted))


# ---------------------------------------------------------------------------------------
# Robert Shiller, Kenneth French


fetch_shiller = _whole_file_fetcher(
    "shiller",
    (SHILLER_PATH,),
    shiller.parse_shiller_xls,
    "Download Robert Shiller's ``ie_data.xls`` (monthly S&P composite, dividends, earnings, "
    "CPI, long rate, CAPE).",
)


def fetch_french(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[ParsedBatch]:
    """Download Kenneth French's three-factor zips: the daily file for ``us.ff.*.daily``,
    the monthly file (monthly and annual blocks) for the others; only the files that hold
    a requested series are downloaded."""
    _check_known("french", series)
    wanted = list(series or SOURCES["french"].series)
    paths = [
        path
        for path, daily in ((FRENCH_DAILY_PATH, True), (FRENCH_MONTHLY_PATH, False))
        if any(i.endswith(".daily") == daily for i in wanted)
    ]
    root = base_url("french", base_urls=base_urls)
    units = [
        _file(client, f"{root}{path}", french.parse_french_zip,
              tuple(i for i in wanted if i.endswith(".daily") == (path == FRENCH_DAILY_PATH)))
        for path in paths
    ]  # fmt: skip
    batches = _per_file("french", units)
    return _finished(batches, series=series, start=start, expected=_came(batches, wanted))


# ---------------------------------------------------------------------------------------
# Deutsche Bundesbank, SNB, RBA, Bank of England, NY Fed ACM


def bundesbank_url(code: str, *, base_urls: Mapping[str, str] | None = None) -> str:
    """CSV download URL of one Bundesbank series (full key ``FLOW.rest.of.key``)."""
    flow, key = code.split(".", 1)
    return f"{base_url('bundesbank', base_urls=base_urls)}{BUNDESBANK_PATH}/{flow}/{key}"


def fetch_bundesbank(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[ParsedBatch]:
    """Download Bundesbank series, one CSV per series key:
    ``{bundesbank}/rest/download/{flow}/{key}?format=csv&lang=en``."""
    _check_known("bundesbank", series)
    wanted = series or SOURCES["bundesbank"].series
    query = {"format": "csv", "lang": "en"}
    units = [
        _file(client, bundesbank_url(code, base_urls=base_urls),
              bundesbank.parse_bundesbank_csv, (series_id,), query)
        for series_id, code in _publisher_codes("bundesbank", wanted).items()
    ]  # fmt: skip
    batches = _per_file("bundesbank", units)
    return _finished(batches, series=series, start=start, expected=_came(batches, wanted))


fetch_snb = _whole_file_fetcher(
    "snb",
    (SNB_PATH,),
    snb.parse_snb_csv,
    "Download SNB cube ``rendeidglfzch`` (Confederation spot yields) from the data API.",
)
fetch_rba_f2 = _whole_file_fetcher(
    "rba_f2",
    RBA_F2_PATHS,
    rba.parse_rba_table,
    "Download RBA table F2: daily history ``f02dhist.xls``, current ``f02d.xls`` and the "
    "monthly history ``f02histhist.xls``.",
    expect_all=False,
)
fetch_rba_f17 = _whole_file_fetcher(
    "rba_f17",
    RBA_F17_PATHS,
    rba.parse_rba_table,
    "Download RBA table F17 zero-coupon yields: history and current workbooks.",
    expect_all=False,
)


def fetch_boe(
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
) -> list[ParsedBatch]:
    """Download the Bank of England yield-curve archives (zips of GLC workbooks): the
    nominal one for ``gb.boe.zero.*``, the real one for ``gb.boe.real.zero.*``, each only
    if a requested series needs it. Maturities appear over time, so only explicitly
    requested ids must be present."""
    _check_known("boe", series)
    wanted = list(series or SOURCES["boe"].series)
    nominal, real = BOE_PATHS
    paths = [
        path
        for path, is_real in ((nominal, False), (real, True))
        if any(i.startswith("gb.boe.real.") == is_real for i in wanted)
    ]
    root = base_url("boe", base_urls=base_urls)
    units = [
        _file(client, f"{root}{path}", boe.parse_boe_archive,
              tuple(i for i in wanted if i.startswith("gb.boe.real.") == (path == real)))
        for path in paths
    ]  # fmt: skip
    batches = _per_file("boe", units)
    return _finished(batches, series=series, start=start, expected=_came(batches, series or []))


fetch_nyfed_acm = _whole_file_fetcher(
    "nyfed_acm",
    (ACM_PATH,),
    nyfed_acm.parse_acm_xls,
    "Download the NY Fed's ``ACMTermPremium.xls`` (sheet ``ACM Daily``).",
)


# ---------------------------------------------------------------------------------------
# The table


def _treasurydirect_id(series_id: str) -> bool:
    return TREASURYDIRECT_ID_PATTERN.match(series_id) is not None


_SOURCE_ROWS: tuple[tuple[Any, ...], ...] = (
    # name, title, endpoints, series provided, fetch function[, id pattern]
    ("fred", "FRED, Federal Reserve Bank of St. Louis", ("fred", "fred_api"),
     tuple(dict.fromkeys(fred.FRED_TO_SERIES.values())), fetch_fred),
    ("treasury_par", "U.S. Treasury daily par yield curve rates", ("treasury_par",),
     _ids_with_prefix("us.tsy_par."), fetch_treasury_par),
    ("gsw", "Federal Reserve Board GSW nominal yield curve (feds200628)", ("gsw",),
     _ids_with_prefix("us.gsw.zero.", "us.gsw.par.", "us.gsw.fwd.", "us.gsw.beta", "us.gsw.tau"),
     fetch_gsw),
    ("gsw_tips", "Federal Reserve Board GSW TIPS yield curve (feds200805)", ("gsw",),
     _ids_with_prefix("us.gsw.tips.", "us.gsw.breakeven."), fetch_gsw_tips),
    ("ecb", "ECB Data Portal euro-area AAA government spot curve (YC)", ("ecb",),
     _ids_with_prefix("ea.aaa.zero."), fetch_ecb),
    ("mof", "Japan Ministry of Finance JGB interest rates (jgbcme)", ("mof",),
     _ids_with_prefix("jp.mof.par."), fetch_mof),
    ("treasurydirect", "TreasuryDirect FedInvest end-of-day security prices", ("treasurydirect",),
     (), fetch_treasurydirect, _treasurydirect_id),
    ("ecb_short",
     "ECB Data Portal euro short rates (EUR STR, EONIA, 3-month EURIBOR), USD/EUR reference rate",
     ("ecb",), ("ea.estr", "ea.eonia.monthly", "ea.euribor.monthly.3m", "fx.usd_per_eur"),
     fetch_ecb_short),
    ("shiller", "Robert Shiller, ie_data.xls (Irrational Exuberance data)", ("shiller",),
     _ids_with_prefix("us.shiller."), fetch_shiller),
    ("french", "Kenneth R. French data library, Fama-French three factors", ("french",),
     _ids_with_prefix("us.ff."), fetch_french),
    ("bundesbank", "Deutsche Bundesbank time series (Federal securities yields)", ("bundesbank",),
     tuple(bundesbank.BUNDESBANK_KEYS.values()), fetch_bundesbank),
    ("snb", "Swiss National Bank data portal, Confederation spot yields", ("snb",),
     _ids_with_prefix("ch.snb.zero."), fetch_snb),
    ("rba_f2", "Reserve Bank of Australia table F2, government bond yields", ("rba",),
     _ids_with_prefix("au.rba.govt."), fetch_rba_f2),
    ("rba_f17", "Reserve Bank of Australia table F17, zero-coupon yields", ("rba",),
     _ids_with_prefix("au.rba.zero."), fetch_rba_f17),
    ("boe", "Bank of England UK yield curves (nominal and real spot)", ("boe",),
     _ids_with_prefix("gb.boe."), fetch_boe),
    ("nyfed_acm", "Federal Reserve Bank of New York ACM term premia", ("nyfed",),
     _ids_with_prefix("us.acm."), fetch_nyfed_acm),
)  # fmt: skip

SOURCES: Mapping[str, SourceDefinition] = MappingProxyType(
    {row[0]: SourceDefinition(*row) for row in _SOURCE_ROWS}
)
"""Source name -> definition, in the order ``ustpull ingest`` fetches them."""


def fetch(
    source_name: str,
    client: HttpClient,
    *,
    series: Sequence[str] | None = None,
    start: date | None = None,
    base_urls: Mapping[str, str] | None = None,
    **options: Any,
) -> list[ParsedBatch]:
    """Fetch one source by name: ``SOURCES[source_name].fetcher(client, ...)``.

    ``options`` go to the fetch function (``api_key`` for FRED, ``end`` for
    ``treasury_par``, ``price_date`` for ``treasurydirect``).

    Raises
    ------
    DataError
        Unknown source name, or a payload that does not parse (naming the URL).
    SeriesNotFoundError
        A requested id that the source does not publish.
    SourceUnavailableError
        The publisher could not be reached or served no data (naming the URL).
    """
    if source_name not in SOURCES:
        raise DataError(f"unknown online source {source_name!r}; known: {list(SOURCES)}")
    fetcher: Callable[..., list[ParsedBatch]] = SOURCES[source_name].fetcher
    return fetcher(client, series=series, start=start, base_urls=base_urls, **options)


def sources_for(series: Iterable[str]) -> dict[str, list[str]]:
    """Group canonical ids by the online source that publishes them (first in table order).

    Raises
    ------
    SeriesNotFoundError
        Naming the ids no online source publishes (e.g. Shiller data, local-only files).
    """
    grouped: dict[str, list[str]] = {}
    orphans = []
    for series_id in series:
        source = next((d.name for d in SOURCES.values() if d.provides(series_id)), None)
        if source is None:
            orphans.append(series_id)
        else:
            grouped.setdefault(source, []).append(series_id)
    if orphans:
        raise SeriesNotFoundError(f"no online source publishes {orphans}; use --data-dir")
    return grouped


# ---------------------------------------------------------------------------------------
# Where each series comes from (for ``ustpull report --plan``)


def _fred_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    codes = fred_ids_for([series_id])
    return f"{base_url('fred', base_urls=base_urls)}{FRED_GRAPH_PATH}?id={'+'.join(codes)}"


def _ecb_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    flow, key = sdmx_key(list(_publisher_codes("ecb", [series_id]).values()))
    return f"{base_url('ecb', base_urls=base_urls)}{ECB_DATA_PATH}/{flow}/{key}?format=csvdata"


def _path_url(endpoint: str, path: str) -> Callable[[str, Mapping[str, str] | None], str]:
    return lambda _series_id, base_urls: f"{base_url(endpoint, base_urls=base_urls)}{path}"


def _ecb_short_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    flow, key = _publisher_codes("ecb_short", [series_id])[series_id].split(".", 1)
    return f"{base_url('ecb', base_urls=base_urls)}{ECB_DATA_PATH}/{flow}/{key}"


def _french_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    path = FRENCH_DAILY_PATH if series_id.endswith(".daily") else FRENCH_MONTHLY_PATH
    return f"{base_url('french', base_urls=base_urls)}{path}"


def _bundesbank_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    code = _publisher_codes("bundesbank", [series_id])[series_id]
    return bundesbank_url(code, base_urls=base_urls)


def _boe_url(series_id: str, base_urls: Mapping[str, str] | None) -> str:
    nominal, real = BOE_PATHS
    path = real if series_id.startswith("gb.boe.real.") else nominal
    return f"{base_url('boe', base_urls=base_urls)}{path}"


#: Source name -> URL of the file that carries a series (the history file where a
#: publisher splits history and current; sources not listed: their host).
SERIES_URLS: dict[str, Callable[[str, Mapping[str, str] | None], str]] = {
    "fred": _fred_url,
    "treasury_par": _path_url("treasury_par", f"{TREASURY_PAR_PATH}/{{year}}/all"),
    "gsw": _path_url("gsw", GSW_NOMINAL_PATH),
    "gsw_tips": _path_url("gsw", GSW_TIPS_PATH),
    "ecb": _ecb_url,
    "mof": _path_url("mof", MOF_HISTORY_PATH),
    "treasurydirect": _path_url("treasurydirect", TREASURYDIRECT_PATH),
    "ecb_short": _ecb_short_url,
    "shiller": _path_url("shiller", SHILLER_PATH),
    "french": _french_url,
    "bundesbank": _bundesbank_url,
    "snb": _path_url("snb", SNB_PATH),
    "rba_f2": _path_url("rba", RBA_F2_PATHS[0]),
    "rba_f17": _path_url("rba", RBA_F17_PATHS[0]),
    "boe": _boe_url,
    "nyfed_acm": _path_url("nyfed", ACM_PATH),
}


def source_of(series_id: str) -> str | None:
    """The first online source (table order) that publishes ``series_id``, if any."""
    return next((d.name for d in SOURCES.values() if d.provides(series_id)), None)


def series_url(
    source_name: str, series_id: str, *, base_urls: Mapping[str, str] | None = None
) -> str:
    """URL the series is downloaded from (``{year}`` for one-file-per-year publishers)."""
    build = SERIES_URLS.get(source_name)
    if build is None:
        return base_url(SOURCES[source_name].endpoints[0], base_urls=base_urls)
    return build(series_id, base_urls)
