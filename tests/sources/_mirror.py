"""A local mirror of the publishers: every file the report downloads, at its real path.

Each online source contributes its routes from :data:`ROUTES` (source -> builder), so a
new publisher plugs in with one row. A builder gets the shared data folder and the
canonical ids the report asks of that source and returns :class:`MirrorFile` rows (path,
query, bytes) built at test time from the shared data in the publisher's own layout
(``tests/sources/_payloads.py``). Every file is served with an ETag and a Last-Modified
date, and answers a matching conditional request with ``304 Not Modified``.

Emerging-market OECD yields (``oecd.10y.in``, ``.mx``, ``.kr``, ``.za``, ``.cl``) are not in
the shared data: the mirror serves a synthetic series for them (the U.S. OECD yield plus a
fixed spread and a seeded AR(1) deviation), named as such in :data:`SYNTHETIC`.

Use as ``with Mirror.for_report(shared_data) as mirror:`` and point the client at
``mirror.url`` (``USTPULL_ONLINE_BASE_URL``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tests.sources import _payloads as payloads
from tests.sources._server import LocalServer, Reply
from ustpull.sources import online
from ustpull.sources.fred import FRED_TO_SERIES
from ustpull.sources.local import load_frame

LAST_MODIFIED = "Tue, 01 Dec 2026 06:00:00 GMT"
"""Last-Modified of every mirrored file (a fixed date before the tests run)."""

#: Series the shared data lack, served as the U.S. OECD 10-year yield plus this spread (pp).
SYNTHETIC: Mapping[str, float] = {
    "oecd.10y.in": 3.0,
    "oecd.10y.mx": 4.0,
    "oecd.10y.kr": 0.5,
    "oecd.10y.za": 5.0,
    "oecd.10y.cl": 2.0,
}


@dataclass(frozen=True)
class MirrorFile:
    """One file at its publisher's path (``query``: parameters that must match)."""

    path: str
    body: bytes
    query: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/csv; charset=utf-8"


Builder = Callable[[Path, Sequence[str]], list[MirrorFile]]


def _fred(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    files = []
    for code in online.fred_ids_for(series):
        canonical = FRED_TO_SERIES[code]
        if canonical in SYNTHETIC:
            body = _synthetic_fred(data_dir, code, SYNTHETIC[canonical])
        else:
            body = payloads.fred_csv_payload(data_dir, (code,))
        files.append(MirrorFile(online.FRED_GRAPH_PATH, body, {"id": code}))
    return files


def _synthetic_fred(data_dir: Path, code: str, spread: float) -> bytes:
    """U.S. OECD yield + ``spread`` + a seeded AR(1) deviation (phi 0.9, sd 0.15 pp)."""
    us = load_frame(["oecd.10y.us"], data_dir)["oecd.10y.us"].dropna().loc["2000-01-01":]
    shocks = np.random.default_rng(sum(map(ord, code))).normal(0.0, 0.15, len(us))
    deviation = np.zeros(len(us))
    for t in range(1, len(us)):
        deviation[t] = 0.9 * deviation[t - 1] + shocks[t]
    lines = [f"observation_date,{code}"]
    values = us.to_numpy() + spread + deviation
    lines += [f"{day:%Y-%m-%d},{value:.2f}" for day, value in zip(us.index, values, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def _gsw(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    return [MirrorFile(online.GSW_NOMINAL_PATH, payloads.feds200628_payload(data_dir))]


def _ecb(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    wanted = list(series or online.SOURCES["ecb"].series)
    years = [int(s.rsplit(".", 1)[1][:-1]) for s in wanted]
    flow, key = online.sdmx_key(list(online._publisher_codes("ecb", wanted).values()))
    body = payloads.ecb_csv_payload(data_dir, years)
    return [MirrorFile(f"{online.ECB_DATA_PATH}/{flow}/{key}", body, {"format": "csvdata"})]


def _ecb_short(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    files = []
    for series_id in series or online.SOURCES["ecb_short"].series:
        flow, key = online._publisher_codes("ecb_short", [series_id])[series_id].split(".", 1)
        body = payloads.ecb_short_payload(data_dir, series_id)
        files.append(MirrorFile(f"{online.ECB_DATA_PATH}/{flow}/{key}", body))
    return files


def _mof(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    history = payloads.mof_payload(data_dir)
    recent = payloads.mof_payload(data_dir, start=date.today() - timedelta(days=40))
    return [
        MirrorFile(online.MOF_HISTORY_PATH, history, content_type="text/csv"),
        MirrorFile(online.MOF_CURRENT_PATH, recent, content_type="text/csv"),
    ]


XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def _shiller(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    return [MirrorFile(online.SHILLER_PATH, payloads.shiller_payload(data_dir), content_type=XLS)]


def _french(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    wanted = list(series or online.SOURCES["french"].series)
    files = []
    if any(i.endswith(".daily") for i in wanted):
        body = payloads.french_payload(data_dir, frequency="daily")
        files.append(MirrorFile(online.FRENCH_DAILY_PATH, body, content_type=ZIP))
    if any(not i.endswith(".daily") for i in wanted):
        body = payloads.french_payload(data_dir, frequency="monthly")
        files.append(MirrorFile(online.FRENCH_MONTHLY_PATH, body, content_type=ZIP))
    return files


def _bundesbank(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    from ustpull.sources.bundesbank import BUNDESBANK_KEYS

    codes = {canonical: code for code, canonical in BUNDESBANK_KEYS.items()}
    query = {"format": "csv", "lang": "en"}
    files = []
    for series_id in series or online.SOURCES["bundesbank"].series:
        flow, key = codes[series_id].split(".", 1)
        body = payloads.bundesbank_payload(data_dir, series_id)
        files.append(MirrorFile(f"{online.BUNDESBANK_PATH}/{flow}/{key}", body, query))
    return files


def _snb(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    return [MirrorFile(online.SNB_PATH, payloads.snb_payload(data_dir))]


def _rba_f17(data_dir: Path, series: Sequence[str]) -> list[MirrorFile]:
    history, current = online.RBA_F17_PATHS
    # the RBA splits F17 into a history workbook and the current one (recent years)
    old = payloads.rba_f17_payload(data_dir, end="2012-12-31")
    recent = payloads.rba_f17_payload(data_dir, start="2013-01-01")
    return [
        MirrorFile(history, old, content_type=XLSX),
        MirrorFile(current, recent, content_type=XLSX),
    ]


ROUTES: dict[str, Builder] = {
    "fred": _fred,
    "gsw": _gsw,
    "ecb": _ecb,
    "ecb_short": _ecb_short,
    "mof": _mof,
    "shiller": _shiller,
    "french": _french,
    "bundesbank": _bundesbank,
    "snb": _snb,
    "rba_f17": _rba_f17,
}
"""Source -> the files it serves for the requested series."""


class Mirror:
    """A started :class:`LocalServer` serving the files of ``files`` with validators."""

    def __init__(self, files: Sequence[MirrorFile]) -> None:
        self.files = list(files)
        self.server = LocalServer()
        for item in self.files:
            reply = Reply(body=item.body, content_type=item.content_type,
                          validators=LAST_MODIFIED)  # fmt: skip
            self.server.route(item.path, reply, query=item.query)

    @classmethod
    def for_series(cls, data_dir: Path, wanted: Mapping[str, Sequence[str]]) -> Mirror:
        """Files of every source in ``wanted`` (source -> ids); a source without a
        builder raises, naming it."""
        absent = [source for source in wanted if source not in ROUTES]
        if absent:
            raise KeyError(f"no mirror routes for {absent}; add a builder to ROUTES")
        files = [item for source, ids in wanted.items() for item in ROUTES[source](data_dir, ids)]
        return cls(files)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def bytes_served(self) -> int:
        return sum(len(item.body) for item in self.files)

    def __enter__(self) -> Mirror:
        self.server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.stop()
