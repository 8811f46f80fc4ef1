"""load_frame: the wide frame every analysis test reads real data with."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources import local
from ustpull.sources.catalog import Catalog
from ustpull.sources.local import clear_cache, load_frame

# (series id, date, value) straight from the shared files (file named in each row).
KNOWN_VALUES = [
    ("us.cmt.10y", "2008-09-15", 3.47),  # fred/ust_cmt_daily.csv DGS10
    ("us.cmt.3m", "2020-03-16", 0.24),  # fred/ust_cmt_daily.csv DGS3MO
    ("us.tips.10y", "2024-07-01", 2.16),  # fred/DFII10.csv
    ("us.breakeven.10y", "2008-09-15", 1.77),  # fred/T10YIE.csv
    ("us.hy_oas", "2008-09-15", 9.05),  # fred/BAMLH0A0HYM2.csv
    ("us.fedfunds.target", "2024-07-01", 5.5),  # fred/fed_funds_target_DFEDTAR_DFEDTARU.csv
    ("us.vix", "2008-09-15", 31.7),  # equity/VIXCLS.csv
    ("fx.usd_broad", "2024-07-01", 124.47),  # fx/DTWEXBGS.csv
    ("fx.jpy_per_usd", "2008-09-15", 105.67),  # fx/DEXJPUS.csv
    ("us.fedfunds", "1980-01-01", 13.82),  # fred/FEDFUNDS.csv (monthly, first of month)
    ("us.cpi", "2008-09-01", 218.877),  # macro/CPIAUCSL.csv
    ("us.unrate", "1980-01-01", 6.3),  # macro/UNRATE.csv
    ("us.gdp", "2008-07-01", 14898.999),  # macro/GDP.csv (quarter start)
    ("oecd.10y.ea", "2008-09-01", 4.5043),  # intl/oecd_10y_govt_yields_monthly.csv EZ
    ("oecd.10y.jp", "2008-09-01", 1.481),  # intl/oecd_10y_govt_yields_monthly.csv JP
    ("us.gsw.zero.1y", "1970-01-02", 8.1696),  # gsw/gsw_zero_yields_daily_1961_2023.csv
    ("us.gsw.zero.10y", "1980-01-02", 10.096),  # gsw/gsw_zero_yields_daily_1961_2023.csv
    ("us.gsw.beta1", "1970-01-02", 8.2584885),  # gsw/gsw_nss_params_daily_1961_2018.csv
    ("us.gsw.tau2", "2000-01-03", 9.95532404),  # gsw/gsw_nss_params_daily_1961_2018.csv
    ("us.gsw.beta0", "2024-01-02", 2.78832210744509),  # gsw/feds200628_all_columns_2022_2025
]


@pytest.mark.parametrize(("series_id", "day", "value"), KNOWN_VALUES)
def test_known_values(shared_data: Path, series_id: str, day: str, value: float) -> None:
    frame = load_frame([series_id], shared_data)
    assert frame.loc[pd.Timestamp(day), series_id] == pytest.approx(value, abs=1e-12)


def test_frame_shape_contract(shared_data: Path) -> None:
    ids = ["us.gsw.zero.10y", "us.cmt.10y", "fx.dxy", "us.fedfunds"]
    frame = load_frame(ids, shared_data)
    assert list(frame.columns) == ids
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.name == "date"
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert (frame.dtypes == np.float64).all()
    # The union of the four series' dates: from GS10... DGS10 starts 1962-01-02,
    # GSW 1961-06-14, FEDFUNDS 1954-07-01; the last is DGS10 on 2026-08-20.
    assert frame.index[0] == pd.Timestamp("1954-07-01")
    assert frame.index[-1] == pd.Timestamp("2026-08-20")
    assert not frame.isna().all(axis=1).any()


def test_nelson_siegel_days_have_no_beta3_or_tau2(shared_data: Path) -> None:
    frame = load_frame(["us.gsw.beta3", "us.gsw.tau2", "us.gsw.tau1"], shared_data)
    day = pd.Timestamp("1970-01-02")  # TAU2 = -999.99, BETA3 = 0 in the params file
    assert np.isnan(frame.loc[day, "us.gsw.beta3"]) and np.isnan(frame.loc[day, "us.gsw.tau2"])
    assert frame.loc[day, "us.gsw.tau1"] == pytest.approx(10.95926864)
    assert (frame["us.gsw.tau2"].dropna() > 0).all()
    # 14178 parameter days up to 2018-04-20, of which 4620 are Nelson-Siegel only;
    # plus 746 fitted days of the 2022-2025 feds200628 file (779 rows, 33 empty holidays).
    assert frame["us.gsw.tau1"].count() == 14178 + 746
    assert frame["us.gsw.tau2"].count() == 14178 - 4620 + 746


def test_overlapping_files_are_spliced(shared_data: Path) -> None:
    # SVENY10: 1961-2023 file to 2023-07-07, then the 2022-2025 file to 2025-10-03; the
    # 185 overlapping days agree exactly (MANIFEST), so the splice has no seam.
    series = load_frame(["us.gsw.zero.10y"], shared_data)["us.gsw.zero.10y"].dropna()
    assert series.index[-1] == pd.Timestamp("2025-10-03")
    assert series.index.is_unique
    assert series.loc["2023-07-07"] == pytest.approx(4.0829)


def test_unknown_ids_are_named(shared_data: Path) -> None:
    with pytest.raises(SeriesNotFoundError, match=r"provides 'us\.nope', 'xx\.y'"):
        load_frame(["us.vix", "us.nope", "xx.y"], shared_data)
    with pytest.raises(SeriesNotFoundError, match=r"hold no observations of 'us\.td\.912810ZZ9"):
        load_frame(["us.td.912810ZZ9.buy"], shared_data)


def test_bad_requests(shared_data: Path) -> None:
    with pytest.raises(DataError, match=r"requested twice: \['us\.vix'\]"):
        load_frame(["us.vix", "us.vix"], shared_data)
    with pytest.raises(DataError, match="at least one"):
        load_frame([], shared_data)


def test_treasurydirect_ids(shared_data: Path) -> None:
    frame = load_frame(["us.td.912810TM0.buy", "us.td.912810TM0.sell"], shared_data)
    assert frame.index.tolist() == [pd.Timestamp("2024-06-26")]
    # treasury/treasurydirect_securityprice_2024-06-26_subset.csv: 4 % bond of 11/15/2042
    assert frame.iloc[0].tolist() == [93.109375, 93.0625]


def _user_catalog(folder: Path) -> Catalog:
    return Catalog.from_dict(
        {
            "entry": [
                {"file": "old.csv", "date_column": "d", "columns": {"x": "us.vix"}},
                {"file": "new.csv", "date_column": "d", "columns": {"x": "us.vix"}},
            ]
        }
    )


def test_later_entry_wins_and_cache_follows_the_file(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("d,x\n2024-01-02,10\n2024-01-03,11\n")
    (tmp_path / "new.csv").write_text("d,x\n2024-01-03,12\n2024-01-04,13\n")
    catalog = _user_catalog(tmp_path)
    clear_cache()
    frame = load_frame(["us.vix"], tmp_path, catalog=catalog)
    assert frame["us.vix"].tolist() == [10.0, 12.0, 13.0]
    assert len(local._cache) == 2
    # Same file, new content and modification time: re-read, the stale entry replaced.
    (tmp_path / "new.csv").write_text("d,x\n2024-01-03,14\n")
    stat = (tmp_path / "new.csv").stat()
    os.utime(tmp_path / "new.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    frame = load_frame(["us.vix"], tmp_path, catalog=catalog)
    assert frame["us.vix"].tolist() == [10.0, 14.0]
    assert len(local._cache) == 2


def test_only_the_needed_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("d,x\n2024-01-02,10\n")
    catalog = Catalog.from_dict(
        {
            "entry": [
                {"file": "old.csv", "date_column": "d", "columns": {"x": "us.vix"}},
                {"file": "absent.csv", "date_column": "d", "columns": {"x": "us.sp500"}},
            ]
        }
    )
    assert load_frame(["us.vix"], tmp_path, catalog=catalog)["us.vix"].tolist() == [10.0]
    with pytest.raises(DataError, match=r"entry 'absent': file .*absent\.csv not found"):
        load_frame(["us.sp500"], tmp_path, catalog=catalog)
