"""TreasuryDirect FedInvest security prices: shared file with header, live file without."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.sources._payloads import treasurydirect_payload
from ustpull.errors import DataError
from ustpull.sources.treasurydirect import parse_security_prices, read_security_prices

SHARED = "treasury/treasurydirect_securityprice_2024-06-26_subset.csv"


@pytest.fixture(scope="module")
def securities(shared_data: Path) -> pd.DataFrame:
    return read_security_prices((shared_data / SHARED).read_bytes())


def test_securities_table(securities: pd.DataFrame) -> None:
    # 89 securities: 19 bills, 39 notes, 31 bonds (MANIFEST); maturities 2024-07-05 .. 2054-05-15.
    assert len(securities) == 89
    assert securities["security_type"].value_counts().to_dict() == {
        "MARKET BASED NOTE": 39, "MARKET BASED BOND": 31, "MARKET BASED BILL": 19,
    }  # fmt: skip
    assert securities["maturity"].min() == pd.Timestamp("2024-07-05")
    assert securities["maturity"].max() == pd.Timestamp("2054-05-15")
    assert (securities["price_date"] == pd.Timestamp("2024-06-26")).all()
    assert securities["call_date"].isna().all() and securities["end_of_day"].isna().all()
    bond = securities.set_index("cusip").loc["912810TM0"]
    # RATE 0.04 (decimal) in the file -> 4 percent; BUY 93.109375, SELL 93.0625.
    assert (bond["coupon_percent"], bond["buy"], bond["sell"]) == (4.0, 93.109375, 93.0625)
    assert securities.set_index("cusip").loc["91282CGN5", "coupon_percent"] == 4.625
    assert list(securities.columns) == [
        "cusip", "security_type", "coupon_percent", "maturity", "call_date", "buy", "sell",
        "end_of_day", "price_date",
    ]  # fmt: skip


def test_live_headerless_layout_needs_the_price_date(
    shared_data: Path, securities: pd.DataFrame
) -> None:
    payload = treasurydirect_payload(shared_data)
    assert payload.startswith(b"912796Y52,MARKET BASED BILL,0.000000,07/05/2024,,")
    with pytest.raises(DataError, match="no PRICE_DATE column; pass price_date="):
        read_security_prices(payload)
    live = read_security_prices(payload, price_date="2024-06-26")
    pd.testing.assert_frame_equal(live, securities)


def test_header_with_spaces(shared_data: Path, securities: pd.DataFrame) -> None:
    payload = treasurydirect_payload(shared_data, header=True)
    assert payload.startswith(b"CUSIP,SECURITY TYPE,RATE,MATURITY DATE,")
    table = read_security_prices(payload, price_date="2024-06-26")
    assert table["coupon_percent"].tolist() == securities["coupon_percent"].tolist()


def test_batch_series_and_metadata(shared_data: Path) -> None:
    batch = parse_security_prices((shared_data / SHARED).read_bytes())
    assert len(batch.series) == 178 and len(batch.observations) == 178
    specs = {s.id: s for s in batch.series}
    buy = specs["us.td.912810TM0.buy"]
    assert dict(buy.attributes) == {
        "cusip": "912810TM0", "side": "buy", "coupon_percent": "4", "maturity": "2042-11-15",
        "security_type": "MARKET BASED BOND", "call_date": "",
    }  # fmt: skip
    assert buy.units == "USD per 100 par"


LIVE_ROWS = (
    "912796ZV4,MARKET BASED BILL,0.000000,07/02/2024,,0.000000,99.970278,0.000000\n"
    "912828YH7,MARKET BASED NOTE,0.015000,09/30/2024,,98.953125,98.937500,0.000000\n"
)


def test_zero_quote_means_no_quote() -> None:
    table = read_security_prices(LIVE_ROWS.encode(), price_date="2024-06-26")
    assert np.isnan(table.loc[0, "buy"]) and table.loc[0, "sell"] == 99.970278
    batch = parse_security_prices(LIVE_ROWS.encode(), price_date="2024-06-26")
    assert "us.td.912796ZV4.buy" not in batch.series_ids
    assert sorted(batch.series_ids) == [
        "us.td.912796ZV4.sell", "us.td.912828YH7.buy", "us.td.912828YH7.sell",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "empty payload"),
        (LIVE_ROWS.replace("0.015000", "1.500000"),
         r"CUSIP 912828YH7: RATE 1.5 is not a decimal coupon"),
        (LIVE_ROWS.replace("98.953125", "98-30+"),
         r"CUSIP 912828YH7: BUY is not a number: '98-30\+'"),
        (LIVE_ROWS.replace("09/30/2024", "2024/30/09"),
         r"CUSIP 912828YH7: unparseable MATURITY_DATE '2024/30/09'"),
        (LIVE_ROWS.replace("912828YH7", "912828YH"), "not a CUSIP: '912828YH'"),
        (LIVE_ROWS + LIVE_ROWS.splitlines()[1] + "\n",
         "CUSIP 912828YH7 appears twice on 2024-06-26"),
        ("CUSIP,TYPE\n912828YH7,NOTE\n", r"column\(s\) \['SECURITY_TYPE', 'RATE'"),
    ],
)  # fmt: skip
def test_bad_input(payload: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_security_prices(payload.encode(), price_date="2024-06-26")
