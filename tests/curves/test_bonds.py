"""Bond math: bills, street price/yield, accrued interest, cash-flow matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ustpull.curves.bonds import (
    DAYS_PER_YEAR,
    bill_bond_equivalent_yield,
    bill_discount_from_price,
    bill_price_from_bond_equivalent_yield,
    bill_price_from_discount,
    bill_year_days,
    bond_table,
    bond_table_from_fedinvest,
    cashflow_matrix,
    coupon_schedule,
    street_dirty_price,
    street_yield,
)
from ustpull.errors import DataError
from ustpull.sources.treasurydirect import read_security_prices

SETTLEMENT = pd.Timestamp("2024-06-27")  # FedInvest prices of 2024-06-26, settled T+1


def treasurydirect_table(shared_data: Path) -> pd.DataFrame:
    """Bond table from the FedInvest file of 2024-06-26 via the sources parser."""
    path = shared_data / "treasury" / "treasurydirect_securityprice_2024-06-26_subset.csv"
    table, excluded = bond_table_from_fedinvest(read_security_prices(path.read_bytes()))
    assert excluded.empty
    return table


@pytest.fixture(scope="module")
def fedinvest(shared_data: Path) -> pd.DataFrame:
    return treasurydirect_table(shared_data)


# ---------------------------------------------------------------- bills
def test_bill_formulas_on_auction_rows(shared_data: Path) -> None:
    """Two real auctions (TreasuryDirect auction results, price per 100 as published)."""
    auctions = pd.read_csv(shared_data / "treasury" / "treasury_auction_prices_2001_2024.csv")
    rows = auctions.set_index(["CUSIP", "Auction Date"])
    # 4-week bill 912796B65, auctioned 12/31/2020, issued 01/05/2021, due 02/02/2021: 28 days
    price_4w = rows.loc[("912796B65", "12/31/2020"), "Price per $100"]
    assert price_4w == 99.993778
    assert bill_discount_from_price(price_4w, 28) == pytest.approx(0.0008, abs=5e-8)  # 0.080 %
    assert bill_price_from_discount(0.0008, 28) == pytest.approx(99.993778, abs=5e-7)
    # investment rate (31 CFR 356 App. B, d <= half-year): 0.081 % after rounding
    assert round(float(bill_bond_equivalent_yield(price_4w, 28, 365)) * 100, 3) == 0.081
    # 52-week bill 912796RT8, auctioned 12/31/2018, issued 01/03/2019, due 01/02/2020: 364 days
    price_52w = rows.loc[("912796RT8", "12/31/2018"), "Price per $100"]
    assert bill_discount_from_price(price_52w, 364) == pytest.approx(0.02545, abs=5e-9)  # 2.545 %
    assert bill_year_days(pd.Timestamp("2019-01-03"))[0] == 365
    bey = float(bill_bond_equivalent_yield(price_52w, 364, 365))
    assert round(bey * 100, 3) == 2.631  # quadratic formula (> half-year)
    # the quadratic is the root of P (1 + y/2)(1 + y (d/Y - 1/2)) = 100
    assert price_52w * (1 + bey / 2) * (1 + bey * (364 / 365 - 0.5)) == pytest.approx(
        100, abs=1e-10
    )


def test_every_six_decimal_auction_price_sits_on_the_half_basis_point_grid(
    shared_data: Path,
) -> None:
    """Auction prices are computed from a discount rate in 0.005 % steps, rounded to 6 dp."""
    auctions = pd.read_csv(shared_data / "treasury" / "treasury_auction_prices_2001_2024.csv")
    bills = auctions[auctions["Security Type"] == "Bill"].dropna(subset=["Price per $100"])
    price = bills["Price per $100"].to_numpy(float)
    six_decimals = np.abs(price * 1000 - np.round(price * 1000)) > 1e-6
    issue = pd.to_datetime(bills["Issue Date"], format="%m/%d/%Y")
    days = (pd.to_datetime(bills["Maturity Date"], format="%m/%d/%Y") - issue).dt.days.to_numpy()
    rate = bill_discount_from_price(price, days)[six_decimals]
    on_grid = np.round(rate / 0.00005) * 0.00005
    repriced = np.round(bill_price_from_discount(on_grid, days[six_decimals]), 6)
    assert six_decimals.sum() == 4155
    np.testing.assert_allclose(repriced, price[six_decimals], atol=1e-9)


@pytest.mark.parametrize(
    ("settle", "year_days"),
    [("2019-01-03", 365), ("2023-03-02", 366), ("2024-02-29", 365), ("2024-02-28", 366)],
)
def test_bill_year_days(settle: str, year_days: int) -> None:
    assert bill_year_days(pd.Timestamp(settle))[0] == year_days


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0001, 0.2), st.integers(1, 364), st.sampled_from([365, 366]))
def test_bill_bey_round_trip(bey: float, days: int, year_days: int) -> None:
    price = bill_price_from_bond_equivalent_yield(bey, days, year_days)
    assert bill_bond_equivalent_yield(price, days, year_days) == pytest.approx(bey, abs=1e-12)


def test_bey_is_continuous_at_half_year() -> None:
    # at d = Y/2 both formulas give 1/(1 + y/2) for the price
    left = bill_price_from_bond_equivalent_yield(0.05, 182.5, 365)
    assert left == pytest.approx(100 / 1.025, abs=1e-12)
    right = bill_price_from_bond_equivalent_yield(0.05, 182.5 + 1e-9, 365)
    assert right == pytest.approx(left, abs=1e-8)


# ---------------------------------------------------------------- coupon bonds
def test_fabozzi_twenty_year_bond() -> None:
    # Fabozzi, Bond Markets (9th ed.) ch. 2: 20-year 10 % bond at an 11 % yield,
    # settlement on a coupon date: 919.77 per 1,000 face
    price = street_dirty_price(0.11, 0.10, 1.0, 40, final_period="compound")
    assert price == pytest.approx(91.977, abs=5e-4)  # 919.77 is rounded to cents
    assert street_yield(price, 0.10, 1.0, 40, final_period="compound") == pytest.approx(
        0.11, abs=1e-13
    )


def test_par_bond_on_coupon_date_yields_its_coupon() -> None:
    assert street_dirty_price(0.045, 0.045, 1.0, 20) == pytest.approx(100.0, abs=1e-12)


def test_final_period_simple_interest() -> None:
    # SIFMA: one period or less to redemption -> (100 + c/2) / (1 + w y / 2)
    price = street_dirty_price(0.05, 0.04, 0.25, 1)
    assert price == pytest.approx(102.0 / (1 + 0.25 * 0.05 / 2), abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(-0.01, 0.15),
    st.floats(0.0, 0.15),
    st.floats(0.01, 1.0),
    st.integers(1, 60),
    st.sampled_from(["simple", "compound"]),
    st.sampled_from(["simple", "compound"]),
)
def test_price_yield_round_trip(
    ytm: float, coupon: float, fraction: float, remaining: int, final: str, fractional: str
) -> None:
    conventions = {"final_period": final, "fractional_period": fractional}
    price = street_dirty_price(ytm, coupon, fraction, remaining, **conventions)  # type: ignore[arg-type]
    back = street_yield(price, coupon, fraction, remaining, **conventions)  # type: ignore[arg-type]
    assert back == pytest.approx(ytm, abs=1e-11)


def test_conventions_agree_on_coupon_dates() -> None:
    # w = 1 (settlement on a coupon date): (1 + y/2)^-1 = 1 / (1 + y/2)
    compound = street_dirty_price(0.05, 0.04, 1.0, 20)
    simple = street_dirty_price(0.05, 0.04, 1.0, 20, fractional_period="simple")
    assert simple == pytest.approx(compound, abs=1e-12)


def auction_coupon_securities(shared_data: Path, fedinvest: pd.DataFrame) -> pd.DataFrame:
    """Note and bond auctions (2006-2024) of the securities in the FedInvest file, whose
    coupon the auction file lacks."""
    auctions = pd.read_csv(shared_data / "treasury" / "treasury_auction_prices_2001_2024.csv")
    coupons = fedinvest.set_index("cusip")["coupon"]
    rows = auctions[
        auctions["Security Type"].isin(["Note", "Bond"]) & auctions["CUSIP"].isin(coupons.index)
    ].dropna(subset=["Price per $100"])
    return pd.DataFrame(
        {
            "cusip": rows["CUSIP"].to_numpy(),
            "auction": rows["Auction Date"].to_numpy(),
            "issue": pd.to_datetime(rows["Issue Date"], format="%m/%d/%Y").to_numpy(),
            "maturity": pd.to_datetime(rows["Maturity Date"], format="%m/%d/%Y").to_numpy(),
            "coupon": coupons.loc[rows["CUSIP"]].to_numpy(),
            "price": rows["Price per $100"].to_numpy(),
        }
    )


def auction_yield(row: pd.Series, fractional_period: str) -> float:
    """Yield (decimal) of an auction price with settlement on the issue date."""
    security = pd.DataFrame(
        {
            "cusip": [row["cusip"]],
            "security_type": ["note"],
            "coupon": [row["coupon"]],
            "maturity": [row["maturity"]],
            "clean_price": [row["price"]],
        }
    )
    matrix = cashflow_matrix(security, row["issue"])
    return float(
        street_yield(
            matrix.dirty_price,
            matrix.coupon,
            matrix.period_fraction,
            matrix.coupons_remaining,
            fractional_period=fractional_period,  # type: ignore[arg-type]
        )[0]
    )


def test_auction_prices_follow_treasurys_formula(
    shared_data: Path, fedinvest: pd.DataFrame
) -> None:
    """31 CFR 356 App. B: auction prices come from the high yield (0.001 % steps) with simple
    interest over the fractional first period. Every one of the 154 note and bond auctions
    of the FedInvest securities lands on that grid (original issues and reopenings)."""
    rows = auction_coupon_securities(shared_data, fedinvest)
    assert len(rows) == 154
    yields = np.array([auction_yield(row, "simple") for _, row in rows.iterrows()])
    assert np.max(np.abs(yields - np.round(yields, 5))) < 1e-8
    by_auction = dict(zip(zip(rows["cusip"], rows["auction"], strict=True), yields, strict=True))
    # 10-year note 91282CKQ3: auction results (TreasuryDirect) high yield 4.483 % on
    # 05/08/2024 (issued on the coupon date 05/15) and 4.438 % at the 06/11/2024 reopening
    assert by_auction[("91282CKQ3", "05/08/2024")] == pytest.approx(0.04483, abs=1e-9)
    assert by_auction[("91282CKQ3", "06/11/2024")] == pytest.approx(0.04438, abs=1e-9)
    # the street convention (compound fractional period) misses the reopening by 0.04 bp
    reopening = rows[(rows["cusip"] == "91282CKQ3") & (rows["auction"] == "06/11/2024")].iloc[0]
    assert auction_yield(reopening, "compound") == pytest.approx(0.04438445, abs=1e-8)


# ---------------------------------------------------------------- schedules & cash flows
def test_end_of_month_schedule() -> None:
    # Treasury notes maturing on the last day of a month pay on month ends (31 CFR 356 table 1)
    dates, remaining = coupon_schedule(
        np.array(["2025-08-31", "2026-02-28"], "datetime64[D]"), "2024-06-27"
    )
    assert [str(d) for d in dates[0, :4]] == [
        "2025-08-31",
        "2025-02-28",
        "2024-08-31",
        "2024-02-29",
    ]
    assert [str(d) for d in dates[1, :3]] == ["2026-02-28", "2025-08-31", "2025-02-28"]
    assert list(remaining) == [3, 4]


@pytest.mark.parametrize(
    ("cusip", "accrued", "ytm", "modified", "macaulay"),
    [
        # QuantLib 1.44 FixedRateBond, ActualActual(ISMA), semiannual, settle 2024-06-27
        (
            "91282CKQ3",
            0.511209239130439,
            0.04311808033635248,
            7.9231403876135555,
            8.093955689488215,
        ),
        (
            "912810UA4",
            0.5404211956521632,
            0.04446126279882895,
            16.22982144445216,
            16.59062062266209,
        ),
        (
            "91282CGD7",
            2.0899725274725167,
            0.05370006291916884,
            0.4847660025630413,
            0.4977819849823959,
        ),
        (
            "91282CGN5",
            1.495584239130432,
            0.0526927529741189,
            0.6482163464849743,
            0.6652944983945336,
        ),
    ],
)
def test_treasurydirect_notes_match_quantlib(
    fedinvest: pd.DataFrame,
    cusip: str,
    accrued: float,
    ytm: float,
    modified: float,
    macaulay: float,
) -> None:
    frame = cashflow_matrix(fedinvest, SETTLEMENT).to_frame()
    row = frame.loc[cusip]
    assert row["accrued"] == pytest.approx(accrued, abs=1e-12)
    assert row["yield_to_maturity"] == pytest.approx(ytm, abs=1e-12)
    assert row["modified_duration"] == pytest.approx(modified, abs=1e-9)
    assert row["macaulay_duration"] == pytest.approx(macaulay, abs=1e-9)


def test_accrued_by_hand(fedinvest: pd.DataFrame) -> None:
    # 91282CGD7, 4.25 % due 2024-12-31: last coupon 2023-12-31, next 2024-06-30
    # (182 days, leap year), 179 days accrued on 2024-06-27: 2.125 * 179 / 182
    frame = cashflow_matrix(fedinvest, SETTLEMENT).to_frame()
    assert frame.loc["91282CGD7", "accrued"] == pytest.approx(2.125 * 179 / 182, abs=1e-12)


def test_cashflow_matrix_layout(fedinvest: pd.DataFrame) -> None:
    matrix = cashflow_matrix(fedinvest, SETTLEMENT)
    assert matrix.amounts.shape == (89, 144)
    assert matrix.dates.is_monotonic_increasing and matrix.dates.is_unique
    np.testing.assert_allclose(matrix.times, (matrix.dates - SETTLEMENT).days / DAYS_PER_YEAR)
    # mid of BUY 99.869125 and SELL 99.868750 for the first bill
    assert matrix.clean_price[0] == pytest.approx((99.869125 + 99.86875) / 2, abs=1e-12)
    # a 30-year bond: 60 coupons of 2.3125 plus 100 principal
    bond = matrix.cusips.get_loc("912810UA4")
    assert np.count_nonzero(matrix.amounts[bond]) == 60
    assert matrix.amounts[bond].sum() == pytest.approx(60 * 2.3125 + 100)
    # at the bond's own yield with discounting by street convention the price comes back
    flat = matrix.present_value(np.exp(-0.0 * matrix.times))
    assert flat[bond] == pytest.approx(60 * 2.3125 + 100)
    # durations of bills are time to maturity on the BEY year basis
    bill = matrix.cusips.get_loc("912797LN5")
    assert matrix.macaulay_duration[bill] == pytest.approx(350 / 365)


def test_pricing_with_a_curve_reproduces_dirty_price_of_a_zero(fedinvest: pd.DataFrame) -> None:
    matrix = cashflow_matrix(fedinvest, SETTLEMENT)
    bill = matrix.cusips.get_loc("912796Y52")
    rate = -np.log(matrix.dirty_price[bill] / 100) / matrix.maturity_times[bill]
    priced = matrix.present_value(np.exp(-rate * matrix.times))
    assert priced[bill] == pytest.approx(matrix.dirty_price[bill], abs=1e-12)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("clean_price", 0.0, "912796Y52: clean_price 0.0 must be positive"),
        ("clean_price", np.nan, "912796Y52: clean_price nan must be positive"),
        ("coupon", 4.25, "coupon 4.25 looks like a percent"),
        ("coupon", np.nan, "coupon nan is missing"),
        ("security_type", "tips", "'tips' is not bill/note/bond"),
        ("maturity", pd.NaT, "maturity"),
    ],
)
def test_bad_securities_are_named(
    fedinvest: pd.DataFrame, column: str, value: object, message: str
) -> None:
    broken = fedinvest.copy()
    broken[column] = broken[column].astype(object)
    broken.loc[0, column] = value
    with pytest.raises(DataError, match=message):
        cashflow_matrix(broken, SETTLEMENT)


def test_matured_security_and_missing_columns(fedinvest: pd.DataFrame) -> None:
    with pytest.raises(DataError, match=r"912796Y52: maturity 2024-07-05 is on or before"):
        cashflow_matrix(fedinvest, "2024-07-05")
    with pytest.raises(DataError, match="clean_price"):
        bond_table(fedinvest.drop(columns="clean_price"))
    with pytest.raises(DataError, match="missing column"):
        bond_table(fedinvest.drop(columns="coupon"))


def test_clean_price_from_yield_inverts_the_yield(fedinvest: pd.DataFrame) -> None:
    matrix = cashflow_matrix(fedinvest, SETTLEMENT)
    back = matrix.clean_price_from_yield(matrix.yield_to_maturity)
    np.testing.assert_allclose(back, matrix.clean_price, atol=1e-10)
    # one basis point higher yield lowers prices by about modified duration x 1 bp
    bumped = matrix.clean_price_from_yield(matrix.yield_to_maturity + 1e-4)
    dirty_change = (bumped - back) / matrix.dirty_price
    np.testing.assert_allclose(dirty_change, -matrix.modified_duration * 1e-4, rtol=2e-3)


@pytest.mark.parametrize(
    ("market", "coupon", "maturity", "settle", "accrued", "remaining"),
    [
        # Bund, annual ACT/ACT ICMA: 2023-08-15 -> 2024-08-15 has 366 days, 318 accrued
        ("bund", 0.026, "2033-08-15", "2024-06-28", 2.6 * 318 / 366, 10),
        # JGB, semiannual ACT/365 fixed: 99 days since 2024-03-20
        ("jgb", 0.008, "2034-03-20", "2024-06-27", 0.8 * 99 / 365, 20),
        # Gilt, semiannual ACT/ACT ICMA: 2024-01-31 -> 2024-07-31 has 182 days, 148 accrued
        ("gilt", 0.0425, "2034-07-31", "2024-06-27", 2.125 * 148 / 182, 21),
    ],
)
def test_other_market_conventions(
    market: str, coupon: float, maturity: str, settle: str, accrued: float, remaining: int
) -> None:
    table = pd.DataFrame(
        {
            "cusip": ["X"],
            "security_type": ["bond"],
            "coupon": [coupon],
            "maturity": [pd.Timestamp(maturity)],
            "clean_price": [100.0],
        }
    )
    matrix = cashflow_matrix(table, settle, market=market)  # type: ignore[arg-type]
    assert matrix.accrued[0] == pytest.approx(accrued, abs=1e-12)
    assert matrix.coupons_remaining[0] == remaining
    assert np.count_nonzero(matrix.amounts) == remaining


def test_fedinvest_table_excludes_tips_and_unquoted() -> None:
    securities = pd.DataFrame(
        {
            "cusip": ["912796Y52", "91282CKQ3", "91282CJY8", "912828Z37"],
            "security_type": [
                "MARKET BASED BILL",
                "MARKET BASED NOTE",
                "MARKET BASED TIPS",
                "MARKET BASED NOTE",
            ],
            "coupon_percent": [0.0, 4.375, 1.875, 1.5],
            "maturity": pd.to_datetime(["2024-07-05", "2034-05-15", "2034-07-15", "2025-01-31"]),
            "buy": [99.869125, np.nan, 97.5, np.nan],
            "sell": [99.86875, 100.5, 97.4, np.nan],
        }
    )
    table, excluded = bond_table_from_fedinvest(securities)
    assert table["cusip"].tolist() == ["912796Y52", "91282CKQ3"]
    assert table["coupon"].tolist() == [0.0, 0.04375]
    # mid when both quotes exist, else the quoted side
    assert table["clean_price"].tolist() == [pytest.approx(99.8689375), 100.5]
    assert excluded["reason"].tolist() == ["not a fixed-coupon bill/note/bond", "no quote"]


def test_subset_keeps_rows_and_drops_unused_dates(fedinvest: pd.DataFrame) -> None:
    matrix = cashflow_matrix(fedinvest, SETTLEMENT)
    bills = matrix.subset([1, 0])
    assert bills.cusips.tolist() == ["912797KP1", "912796Y52"]
    assert bills.dates.tolist() == [pd.Timestamp("2024-07-05"), pd.Timestamp("2024-07-16")]
    np.testing.assert_allclose(bills.amounts, [[0.0, 100.0], [100.0, 0.0]])
    assert bills.dirty_price[1] == matrix.dirty_price[0]


@pytest.mark.parametrize(
    ("market", "expected"),
    [
        # Treasury BEY beyond half a year (the quadratic; 2024-06-27 + 364 days spans no
        # 29 February, so a 365-day year): the package's bill formula, checked elsewhere
        # against auction results
        ("us_treasury", None),
        # JGB T-bills and gilt bills: simple yield on 365 days, (100/95 - 1) * 365/364
        ("jgb", (100 / 95 - 1) * 365 / 364),
        ("gilt", (100 / 95 - 1) * 365 / 364),
        # Bubills: simple yield on 360 days
        ("bund", (100 / 95 - 1) * 360 / 364),
    ],
)
def test_bill_yields_follow_each_market_convention(market: str, expected: float | None) -> None:
    from ustpull.curves.bonds import bill_bond_equivalent_yield, bond_table, cashflow_matrix

    settlement = pd.Timestamp("2024-06-27")
    table = bond_table(
        pd.DataFrame(
            {
                "cusip": ["BILL00001"],
                "security_type": ["bill"],
                "coupon": [0.0],
                "maturity": [settlement + pd.Timedelta(days=364)],
                "clean_price": [95.0],
            }
        )
    )
    ytm = float(cashflow_matrix(table, settlement, market=market).yield_to_maturity[0])
    if expected is None:
        expected = float(bill_bond_equivalent_yield(np.array([95.0]), np.array([364]), 365)[0])
    assert ytm == pytest.approx(expected, rel=1e-12)


def test_cashflows_accept_the_settlement_date_of_one_trade() -> None:
    from ustpull.curves.bonds import bond_table, cashflow_matrix, settlement_timestamp
    from ustpull.curves.calendar import settlement_date
    from ustpull.errors import DataError

    settle = settlement_date(pd.Timestamp("2024-06-26"))  # a one-element index: T+1
    assert settlement_timestamp(settle) == pd.Timestamp("2024-06-27")
    table = bond_table(
        pd.DataFrame(
            {
                "cusip": ["912828ZZ0"],
                "security_type": ["note"],
                "coupon": [0.04],
                "maturity": ["2026-06-30"],
                "clean_price": [99.5],
            }
        )
    )
    assert cashflow_matrix(table, settle).to_frame().shape[0] >= 1
    with pytest.raises(DataError, match="expected one settlement date, got 2"):
        settlement_timestamp(pd.DatetimeIndex(["2024-06-27", "2024-06-28"]))
