"""TreasuryDirect FedInvest end-of-day security prices (``securityprice`` CSV).

The live download (``https://www.treasurydirect.gov/GA-FI/FedInvest/securityPriceDetail``)
has **no header** and no price date (the date is the one requested)::

    912796ZV4,MARKET BASED BILL,0.000000,07/02/2024,,99.971111,99.970278,0.000000

i.e. CUSIP, security type, coupon rate (**decimal**, 0.0425 = 4.25 %), maturity date
(``MM/DD/YYYY``), call date, buy, sell, end-of-day price. Prices are clean, per 100 par;
bills are quoted on a price (discount) basis. A buy or sell of ``0.0`` means "no quote",
not a price, and is dropped. Files with a header (``PRICE_DATE,CUSIP,SECURITY_TYPE,RATE,
...``, as in the shared copy) are read too; spaces in header names count as underscores.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import decode_payload, make_batch, parse_dates, read_text_table
from ustpull.sources.base import ParsedBatch, SeriesSpec, empty_rejections, parse_numbers
from ustpull.sources.vocabulary import get_spec, treasurydirect_id, with_attributes

__all__ = ["HEADERLESS_COLUMNS", "parse_security_prices", "read_security_prices"]

HEADERLESS_COLUMNS = (
    "CUSIP",
    "SECURITY_TYPE",
    "RATE",
    "MATURITY_DATE",
    "CALL_DATE",
    "BUY",
    "SELL",
    "END_OF_DAY",
)
"""Column order of the live FedInvest download, which has no header line."""

_CUSIP = re.compile(r"^[0-9A-Z]{9}$")
# A coupon above 25 % in a decimal RATE column means the file holds percent, not decimals.
_MAX_DECIMAL_COUPON = 0.25


def _has_header(text: str) -> bool:
    first_cell = text.lstrip("\ufeff").split(",", 1)[0].strip().strip('"').upper()
    return first_cell in {"CUSIP", "PRICE_DATE", "PRICE DATE"}


def read_security_prices(
    payload: bytes,
    *,
    price_date: date | str | None = None,
    origin: str = "securityprice.csv",
) -> pd.DataFrame:
    """The securities table of a FedInvest price file.

    Parameters
    ----------
    payload
        CSV bytes, with or without a header line.
    price_date
        Pricing date; required when the file has no ``PRICE_DATE`` column (the live
        download), ignored otherwise.
    origin
        URL or file path.

    Returns
    -------
    DataFrame
        One row per security: ``cusip`` (str), ``security_type`` (str, e.g. ``MARKET
        BASED NOTE``), ``coupon_percent`` (float, **percent**: 4.25 means 4.25 %),
        ``maturity`` (datetime), ``call_date`` (datetime, NaT if none), ``buy``, ``sell``,
        ``end_of_day`` (float, clean price per 100 par; NaN where the file says 0.0 =
        no quote), ``price_date`` (datetime).

    Raises
    ------
    DataError
        Empty payload, missing columns, a headerless file without ``price_date``, a bad
        CUSIP, an unparseable maturity, a coupon that is not a decimal rate, a price that
        is not a number, or the same CUSIP twice on one date; each names the CUSIP.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    if _has_header(text):
        table = read_text_table(text, origin=origin)
        table.columns = [c.strip().upper().replace(" ", "_") for c in table.columns]
    else:
        table = read_text_table(text, origin=origin, header=False, names=HEADERLESS_COLUMNS)
    absent = [c for c in HEADERLESS_COLUMNS[:7] if c not in table.columns]
    if absent:
        raise DataError(
            f"{origin}: column(s) {absent} missing; columns present: {list(table.columns)}"
        )
    if "PRICE_DATE" in table.columns:
        price_dates = parse_dates(
            table["PRICE_DATE"], ("%Y-%m-%d", "%m/%d/%Y"), column="PRICE_DATE", origin=origin
        )
    elif price_date is None:
        raise DataError(f"{origin}: the file has no PRICE_DATE column; pass price_date=")
    else:
        price_dates = pd.Series(pd.Timestamp(price_date), index=table.index).astype(
            "datetime64[us]"
        )
    cusips = table["CUSIP"].str.strip().str.upper()
    bad_cusip = ~cusips.str.fullmatch(_CUSIP.pattern)
    if bad_cusip.any():
        raise DataError(f"{origin}: not a CUSIP: {cusips[bad_cusip].iloc[0]!r}")
    if price_dates.isna().any():
        at = int(np.flatnonzero(price_dates.isna().to_numpy())[0])
        raise DataError(
            f"{origin}: CUSIP {cusips.iloc[at]}: unparseable PRICE_DATE "
            f"{table['PRICE_DATE'].iloc[at]!r}"
        )
    repeated = pd.DataFrame({"cusip": cusips, "date": price_dates}).duplicated()
    if repeated.any():
        raise DataError(
            f"{origin}: CUSIP {cusips[repeated].iloc[0]} appears twice on "
            f"{price_dates[repeated].iloc[0].date()}"
        )
    maturity = parse_dates(
        table["MATURITY_DATE"], ("%m/%d/%Y", "%Y-%m-%d"), column="MATURITY_DATE", origin=origin
    )
    if maturity.isna().any():
        at = int(np.flatnonzero(maturity.isna().to_numpy())[0])
        raise DataError(
            f"{origin}: CUSIP {cusips.iloc[at]}: unparseable MATURITY_DATE "
            f"{table['MATURITY_DATE'].iloc[at]!r}"
        )
    call_text = table["CALL_DATE"].str.strip()
    call_date = (
        parse_dates(call_text, ("%m/%d/%Y", "%Y-%m-%d"), column="CALL_DATE", origin=origin)
        if (call_text != "").any()
        else pd.Series(pd.NaT, index=table.index, dtype="datetime64[us]")
    )
    numbers = {}
    for column in ("RATE", "BUY", "SELL", "END_OF_DAY"):
        if column not in table.columns:
            numbers[column] = np.full(len(table), np.nan)
            continue
        text_values = table[column].str.strip()
        values, complete = parse_numbers(text_values)
        bad = ~(complete & np.isfinite(values)) & (text_values != "").to_numpy()
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"{origin}: CUSIP {cusips.iloc[at]}: {column} is not a number: "
                f"{text_values.iloc[at]!r}"
            )
        numbers[column] = values
    rate = numbers["RATE"]
    too_high = rate > _MAX_DECIMAL_COUPON
    if too_high.any():
        at = int(np.flatnonzero(too_high)[0])
        raise DataError(
            f"{origin}: CUSIP {cusips.iloc[at]}: RATE {rate[at]} is not a decimal coupon "
            f"(expected e.g. 0.0425 for 4.25 %)"
        )
    quotes = {c: np.where(numbers[c] == 0.0, np.nan, numbers[c]) for c in ("BUY", "SELL")}
    return pd.DataFrame(
        {
            "cusip": cusips.astype("str"),
            "security_type": table["SECURITY_TYPE"].str.strip().astype("str"),
            "coupon_percent": np.round(rate * 100.0, 6),
            "maturity": maturity,
            "call_date": call_date,
            "buy": quotes["BUY"],
            "sell": quotes["SELL"],
            "end_of_day": np.where(numbers["END_OF_DAY"] == 0.0, np.nan, numbers["END_OF_DAY"]),
            "price_date": price_dates,
        }
    ).reset_index(drop=True)


def parse_security_prices(
    payload: bytes,
    *,
    price_date: date | str | None = None,
    origin: str = "securityprice.csv",
) -> ParsedBatch:
    """Parse a FedInvest price file into ``us.td.{CUSIP}.buy`` / ``.sell`` series.

    Each series' metadata attributes hold ``coupon_percent``, ``maturity`` (ISO date),
    ``security_type`` and ``call_date`` (ISO or empty). Zero quotes (no quote) are
    dropped. See :func:`read_security_prices` for parameters and errors.
    """
    securities = read_security_prices(payload, price_date=price_date, origin=origin)
    parts = []
    specs: dict[str, SeriesSpec] = {}
    for side in ("buy", "sell"):
        quoted = securities[securities[side].notna()]
        ids = [treasurydirect_id(cusip, side) for cusip in quoted["cusip"]]
        parts.append(
            pd.DataFrame({"series_id": ids, "date": quoted["price_date"], "value": quoted[side]})
        )
        maturities = quoted["maturity"].dt.strftime("%Y-%m-%d")
        call_dates = quoted["call_date"].dt.strftime("%Y-%m-%d").fillna("")
        for position, series_id in enumerate(ids):
            specs[series_id] = with_attributes(
                get_spec(series_id),
                coupon_percent=f"{quoted['coupon_percent'].iloc[position]:g}",
                maturity=str(maturities.iloc[position]),
                security_type=str(quoted["security_type"].iloc[position]),
                call_date=str(call_dates.iloc[position]),
            )
    observations = (
        pd.concat(parts, ignore_index=True)
        .astype({"series_id": "str", "value": "float64"})
        .sort_values(["series_id", "date"], ignore_index=True)
    )
    observations["date"] = observations["date"].astype("datetime64[us]")
    return make_batch(
        source="treasurydirect",
        origin=origin,
        payload=payload,
        observations=observations,
        rejections=empty_rejections(),
        specs=specs,
    )
