"""The catalog: validation, the shipped shared-data catalog, user catalogs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.sources._payloads import feds200628_payload, treasurydirect_payload
from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.catalog import (
    FORMATS,
    Catalog,
    default_catalog,
    parse_catalog,
    parse_entry,
)
from ustpull.sources.local import load_frame
from ustpull.sources.vocabulary import all_specs

# Row counts of each shipped entry's observations (non-missing cells of the mapped
# columns) and date range, counted independently with awk/pandas on shared/data.
SHIPPED_ENTRY_FACTS = {
    # entry: (observations, first date, last date, number of series)
    "gsw_zero_1961_2023": (357872, "1961-06-14", "2023-07-07", 30),
    # 14178 rows x 6 parameters minus 2 x 4620 Nelson-Siegel days (BETA3, TAU2 dropped)
    "gsw_params_1961_2018": (75828, "1961-06-14", "2018-04-20", 6),
    "feds200628_2022_2025": (71616, "2022-10-11", "2025-10-03", 96),
    "ust_cmt_daily": (147312, "1962-01-02", "2026-08-20", 11),
    "shiller": (11080, "1871-01-01", "2026-07-01", 6),
    "mof_jgbcme_all": (154702, "1974-09-24", "2024-03-29", 15),
    "rba_zero": (216316, "1992-07-01", "2013-05-17", 41),
    "india_10y": (3857, "2005-02-12", "2020-03-12", 1),
    "us_govt_finance": (1479, "1947-01-01", "2024-07-01", 5),
    # 89 securities x (buy, sell), all quoted on 2024-06-26
    "treasurydirect_2024_06_26": (178, "2024-06-26", "2024-06-26", 178),
    # 26023 days x (Mkt-RF, SMB, HML, RF, Mkt = Mkt-RF + RF)
    "ff3_daily": (130115, "1926-07-01", "2025-06-30", 5),
    "ff3_monthly": (5890, "1926-07-01", "2024-08-01", 5),
    "ff3_annual": (485, "1927-01-01", "2023-01-01", 5),
    # 17964 rows minus 756 empty holidays (MANIFEST)
    "DTB3": (17208, "1954-01-04", "2022-11-10", 1),
    "TB4WK": (269, "2001-07-01", "2023-11-01", 1),
    # 2610 weekdays minus 110 empty holidays (awk -F, '$2==""')
    "kim_wright_tp10": (2500, "2016-09-26", "2026-09-25", 1),
    "sonia": (7252, "1997-01-02", "2025-09-15", 1),
    "eonia_monthly": (336, "1994-01-01", "2021-12-01", 1),
    "rba_f2": (36397, "1995-01-03", "2024-05-15", 5),
    # 9989 non-empty cells in 42 value columns, 6 of them "NA"
    "fomc_surprises_gss": (9983, "1984-02-01", "2019-06-19", 42),
    "fomc_shocks_jk": (2394, "1999-02-03", "2019-06-19", 14),
    "fomc_scheduled": (806, "1936-03-19", "2021-12-15", 1),
    "boe_mpc_dates": (295, "1997-06-06", "2024-03-21", 1),
    "boc_dates": (175, "1999-01-04", "2024-04-10", 1),
}

# Vocabulary ids with an online source only (no file in shared/data holds them).
ONLINE_ONLY = {f"us.kw.tp.{n}y" for n in range(1, 10)}


@pytest.fixture(scope="module")
def shipped_batches(shared_data: Path) -> dict[str, object]:
    catalog = default_catalog()
    return {
        entry.name: batch
        for entry, batch in zip(catalog.entries, parse_catalog(shared_data), strict=True)
    }


def test_every_shipped_entry_parses_cleanly(shipped_batches: dict) -> None:
    assert len(shipped_batches) == len(default_catalog().entries) == 70
    for name, batch in shipped_batches.items():
        assert len(batch.observations) > 0, name
        assert len(batch.rejections) == 0, name
        assert len(batch.sha256) == 64
        assert batch.origin.endswith(default_catalog().entry(name).file)


@pytest.mark.parametrize("name", sorted(SHIPPED_ENTRY_FACTS))
def test_shipped_entry_counts_and_ranges(shipped_batches: dict, name: str) -> None:
    count, first, last, n_series = SHIPPED_ENTRY_FACTS[name]
    observations = shipped_batches[name].observations
    assert len(observations) == count
    assert observations["date"].min() == pd.Timestamp(first)
    assert observations["date"].max() == pd.Timestamp(last)
    assert observations["series_id"].nunique() == n_series


def test_shipped_catalog_provides_the_whole_vocabulary(shipped_batches: dict) -> None:
    provided = {i for batch in shipped_batches.values() for i in batch.series_ids}
    static = {spec.id for spec in all_specs()}
    assert static - provided == ONLINE_ONLY
    dynamic = provided - static
    assert len(dynamic) == 178
    assert all(i.startswith("us.td.") for i in dynamic)
    assert set(default_catalog().declared_series()) == static - ONLINE_ONLY


def test_shipped_catalog_covers_every_analysis_file(shared_data: Path) -> None:
    folders = ("gsw", "fred", "equity", "fx", "intl", "macro", "treasury", "rates_short", "events")
    on_disk = {
        str(p.relative_to(shared_data)) for f in folders for p in (shared_data / f).glob("*.csv")
    }
    catalogued = {entry.file for entry in default_catalog().entries}
    assert on_disk - catalogued == {
        "equity/spx_ohlcv_1789_2026.csv",
        "treasury/treasury_auction_prices_2001_2024.csv",
    }


def test_parse_catalog_for_series_reads_only_their_files(shared_data: Path) -> None:
    batches = parse_catalog(shared_data, series=["us.vix", "us.gsw.tau2"])
    assert [Path(b.origin).name for b in batches] == [
        "gsw_nss_params_daily_1961_2018.csv",
        "feds200628_all_columns_2022_2025.csv",
        "VIXCLS.csv",
    ]
    assert all(set(b.series_ids) <= {"us.vix", "us.gsw.tau2"} for b in batches)
    with pytest.raises(SeriesNotFoundError, match=r"'us\.nothing'"):
        parse_catalog(shared_data, series=["us.vix", "us.nothing"])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


USER_CSV = "Date;PX_LAST;YLD\n02/01/2024;4742.83;3.95\n03/01/2024;4704.81;N/A\n"


def test_user_catalog_with_ids_outside_the_vocabulary(tmp_path: Path) -> None:
    (tmp_path / "bbg").mkdir()
    (tmp_path / "bbg" / "spx.csv").write_text(USER_CSV, encoding="utf-8")
    catalog = Catalog.from_toml(
        _write(
            tmp_path,
            """
[[entry]]
file = "bbg/spx.csv"
date_column = "Date"
date_format = "%d/%m/%Y"
delimiter = ";"
frequency = "daily"
units = "index points"
[entry.columns]
PX_LAST = { id = "bbg.spx", title = "S&P 500 (Bloomberg PX_LAST)" }
YLD = { id = "bbg.ust10", title = "10y yield", units = "percent" }
""",
        )
    )
    entry = catalog.entries[0]
    assert entry.name == "spx"
    batch = parse_entry(entry, tmp_path)
    spx = batch.observations[batch.observations["series_id"] == "bbg.spx"]
    assert spx["value"].tolist() == [4742.83, 4704.81]
    assert spx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]
    # N/A is a missing marker: one yield observation only.
    assert (batch.observations["series_id"] == "bbg.ust10").sum() == 1
    specs = {s.id: s for s in batch.series}
    assert (specs["bbg.spx"].units, specs["bbg.spx"].frequency) == ("index points", "daily")
    assert specs["bbg.ust10"].units == "percent"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\ncolumns = { X = "my.x" }\n',
         r"entry 'a': column 'X' maps to 'my.x', which is not in the vocabulary; the entry "
         r"must give its title, units, frequency"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\ncolumn = { X = "us.vix" }\n',
         r"entry 'a': unknown key\(s\) \['column'\]"),
        ('[[entry]]\nfile = "a.csv"\nformat = "bloomberg"\n',
         r"entry 'a': unknown format 'bloomberg'"),
        ('[[entry]]\nfile = "a.csv"\ncolumns = { X = "us.vix" }\n',
         r"format 'csv' needs 'date_column' and 'columns'"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\nunits = "bp"\ncolumns = { X = "us.vix" }\n',
         r"units 'bp' contradicts the vocabulary's 'percent' for 'us.vix'"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\norder = "random"\n'
         'columns = { X = "us.vix" }\n',
         r"order 'random' is not one of"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\ncolumns = { X = "us.vix", Y = "us.vix" }\n',
         r"series 'us.vix' is mapped from two columns"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\ncolumns = { X = "us.vix" }\n'
         '[[entry]]\nfile = "b/a.csv"\ndate_column = "D"\ncolumns = { X = "us.sp500" }\n',
         r"entry names used twice: \['a'\]"),
        ('[[entry]]\ndate_column = "D"\n', r"entry 1: 'file' .* is required"),
        ("title = 'nothing'\n", r"no \[\[entry\]\] tables"),
        ("[[entry]\n", r"invalid TOML"),
        ('[[entry]]\nfile = "a.csv"\ndate_column = "D"\nfrequency = "hourly"\n'
         'title = "t"\nunits = "u"\ncolumns = { X = "my.x" }\n',
         r"frequency 'hourly' of 'my.x' is not one of"),
    ],
)  # fmt: skip
def test_catalog_validation_names_the_entry(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        Catalog.from_toml(_write(tmp_path, toml))


def test_missing_file_names_the_entry(tmp_path: Path) -> None:
    catalog = Catalog.from_dict(
        {"entry": [{"file": "gone.csv", "date_column": "D", "columns": {"X": "us.vix"}}]}
    )
    with pytest.raises(DataError, match=r"catalog entry 'gone': file .*gone\.csv not found"):
        parse_entry(catalog.entries[0], tmp_path)


def test_formats_cover_every_publisher() -> None:
    assert set(FORMATS) == {
        "csv", "investing", "fred_csv", "treasury_par", "feds200628", "feds200805", "ecb_csv",
        "mof_jgbcme", "treasurydirect", "french_factors", "date_list",
    }  # fmt: skip


def test_publisher_entries_without_columns_provide_their_format_table(
    tmp_path: Path, shared_data: Path
) -> None:
    # A downloaded feds200628.csv (note lines and all) catalogued as it is.
    (tmp_path / "feds200628.csv").write_bytes(
        feds200628_payload(shared_data, start="1985-11-20", end="1985-11-29")
    )
    catalog = Catalog.from_dict({"entry": [{"file": "feds200628.csv", "format": "feds200628"}]})
    frame = load_frame(["us.gsw.zero.30y", "us.gsw.tau2"], tmp_path, catalog=catalog)
    # gsw/gsw_zero_yields_daily_1961_2023.csv: SVENY30 starts 1985-11-25.
    assert frame["us.gsw.zero.30y"].first_valid_index() == pd.Timestamp("1985-11-25")
    assert frame["us.gsw.tau2"].notna().all()
    with pytest.raises(SeriesNotFoundError, match=r"provides 'us\.vix'"):
        load_frame(["us.vix"], tmp_path, catalog=catalog)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"file": "india.csv", "format": "investing"}, "format 'investing' needs 'columns'"),
        ({"file": "yc.csv", "format": "ecb_csv", "columns": {"SR_1Y": "ea.aaa.zero.1y"}},
         "format 'ecb_csv' maps series keys itself"),
        ({"file": "a.csv", "date_column": "D", "skip_lines": -1, "columns": {"X": "us.vix"}},
         "'skip_lines' must be a non-negative integer"),
        ({"file": "a.csv", "date_column": "D", "sentinels": {"X": "NA"},
          "columns": {"X": "us.vix"}}, "'sentinels' must be a table of column = number"),
        ({"file": "a.csv", "date_column": "D", "missing": 1, "columns": {"X": "us.vix"}},
         "'missing' must be a string or a list of strings"),
    ],
)  # fmt: skip
def test_format_specific_validation(raw: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        Catalog.from_dict({"entry": [raw]})


def test_headerless_treasurydirect_file_takes_its_date_from_options(
    tmp_path: Path, shared_data: Path
) -> None:
    (tmp_path / "securityprice.csv").write_bytes(treasurydirect_payload(shared_data))
    entry = {"file": "securityprice.csv", "format": "treasurydirect"}
    with pytest.raises(DataError, match="pass price_date="):
        load_frame(
            ["us.td.912810TM0.sell"], tmp_path, catalog=Catalog.from_dict({"entry": [entry]})
        )
    dated = Catalog.from_dict({"entry": [{**entry, "options": {"price_date": "2024-06-26"}}]})
    frame = load_frame(["us.td.912810TM0.sell"], tmp_path, catalog=dated)
    assert frame.loc["2024-06-26", "us.td.912810TM0.sell"] == 93.0625


def test_french_factors_add_the_market_total_return(shared_data: Path) -> None:
    frame = load_frame(["us.ff.mkt.daily", "us.ff.mkt_rf.daily", "us.ff.rf.daily"], shared_data)
    # ff3_factors_daily row 1926-07-01: Mkt-RF 0.09, RF 0.009; 2025-06-30: 0.49, 0.017
    assert frame.loc["1926-07-01"].tolist() == [0.099, 0.09, 0.009]
    assert frame.loc["2025-06-30", "us.ff.mkt.daily"] == 0.507
    monthly = load_frame(["us.ff.mkt.monthly"], shared_data)["us.ff.mkt.monthly"]
    # ff3_factors_monthly 2024-08: Mkt-RF 1.61, RF 0.48
    assert monthly["2024-08-01"] == pytest.approx(2.09, abs=1e-12)
    annual = load_frame(["us.ff.mkt.annual"], shared_data)["us.ff.mkt.annual"]
    assert annual["2023-01-01"] == pytest.approx(21.68 + 4.95, abs=1e-12)


def test_event_dates_are_indicator_series(shared_data: Path) -> None:
    frame = load_frame(["us.fomc.scheduled", "gb.mpc.decision"], shared_data)
    fomc = frame["us.fomc.scheduled"].dropna()
    assert len(fomc) == 806 and set(fomc) == {1.0}
    assert fomc.index[[0, -1]].strftime("%Y-%m-%d").tolist() == ["1936-03-19", "2021-12-15"]
    assert frame["gb.mpc.decision"].dropna().index[-1] == pd.Timestamp("2024-03-21")
    # fomc_shocks_jarocinski_karadi row 2019-06-19: pc1ff1_hf -0.14881864, MP_pm the same
    shocks = load_frame(["us.fomc.jk.pc1ff1_hf", "us.fomc.jk.mp_pm"], shared_data)
    assert shocks.loc["2019-06-19"].tolist() == [-0.14881864, -0.14881864]


def test_date_list_needs_one_indicator(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("Date\n2024-01-02\n", encoding="utf-8")
    catalog = Catalog.from_dict(
        {"entry": [{"file": "d.csv", "format": "date_list", "columns": {}}]}
    )
    with pytest.raises(DataError, match="exactly one indicator id"):
        parse_entry(catalog.entries[0], tmp_path)
