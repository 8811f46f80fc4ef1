"""Investing.com export (India 10y): BOM, quoted fields, newest first, 'Mar 12, 2020'."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.sources.investing import parse_investing_csv

INDIA = "intl/india_10y_govt_yield_investing_daily_2005_2020.csv"


def test_shared_export(shared_data: Path) -> None:
    payload = (shared_data / INDIA).read_bytes()
    assert payload.startswith(b'\xef\xbb\xbf"Date","Price"')
    batch = parse_investing_csv(payload, columns={"Price": "in.govt.10y"})
    observations = batch.observations.set_index("date")["value"]
    # 3857 rows, "Feb 12, 2005" .. "Mar 12, 2020"; "Mar 02, 2020" Price 6.346; "Jan 02, 2008" 7.746
    assert len(observations) == 3857
    assert observations.index.is_monotonic_increasing
    assert observations.index[0] == pd.Timestamp("2005-02-12")
    assert observations["2020-03-12"] == 6.236
    assert observations["2020-03-02"] == 6.346
    assert observations["2008-01-02"] == 7.746
    assert batch.source == "investing"


def test_thousands_separators_and_change_column_are_handled() -> None:
    payload = (
        '\ufeff"Date","Price","Change %"\n"Mar 12, 2020","1,234.5","1.81%"\n'
        '"Mar 11, 2020","1,200.0","0.97%"\n'
    ).encode()
    batch = parse_investing_csv(payload, columns={"Price": "us.sp500"})
    assert batch.observations["value"].tolist() == [1200.0, 1234.5]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('"Date","Price"\n"Mar 12, 2020","6.2"\n"Mar 13, 2020","6.1"\n"Mar 11, 2020","6.0"\n',
         r"dates out of order \(descending expected\): 2020-03-12 is followed by 2020-03-13"),
        ('"Date","Close"\n"Mar 12, 2020","6.2"\n', r"expected column\(s\) \['Price'\] not found"),
        ('"Datum","Price"\n"12.03.2020","6.2"\n', "date column 'Date' not found"),
    ],
)  # fmt: skip
def test_bad_input(payload: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_investing_csv(payload.encode(), columns={"Price": "in.govt.10y"})
