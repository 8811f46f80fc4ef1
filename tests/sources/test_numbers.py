"""Numbers parse exactly in a source's notation or are rejected: nothing is stripped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.sources._text import check_complete
from ustpull.sources.base import parse_numbers
from ustpull.sources.catalog import Catalog
from ustpull.sources.csvtable import parse_csv


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("4.46", ".", None, 4.46),
        ("-0.125", ".", None, -0.125),
        (".5", ".", None, 0.5),
        ("1.5e-3", ".", None, 0.0015),
        ("4,46", ",", None, 4.46),
        ("1.234,5", ",", ".", 1234.5),
        ("1,234.5", ".", ",", 1234.5),
        ("1'234.5", ".", "'", 1234.5),
        # not complete numbers in that notation: rejected, never 46 or 4
        ("4,6", ".", None, None),
        ("4.", ".", None, None),
        ("4,", ",", None, None),
        ("4.6", ",", None, None),
        ("1,23.5", ".", ",", None),  # a group of two digits is not a thousands group
        ("inf", ".", None, None),
        ("nan", ".", None, None),
        ("4.6.1", ".", None, None),
        ("", ".", None, None),
    ],
)
def test_parse_numbers(
    text: str, decimal: str, thousands: str | None, expected: float | None
) -> None:
    values, complete = parse_numbers(pd.Series([text]), decimal=decimal, thousands=thousands)  # type: ignore[arg-type]
    if expected is None:
        assert not complete[0] and np.isnan(values[0])
    else:
        assert complete[0] and values[0] == expected


def test_thousands_equal_to_decimal_is_refused() -> None:
    with pytest.raises(DataError, match="thousands separator ',' is not allowed"):
        parse_numbers(pd.Series(["1"]), decimal=",", thousands=",")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DATE,A\n2024-01-02,4.1\n2024-01-03,4.", "line 3 ends without a newline"),
        ("DATE,A,B\n2024-01-02,4.1,2\n2024-01-03,4.2\n", r"line 3 has 2 field\(s\), the header 3"),
        ('DATE,A\n2024-01-02,"4.1\n', "ends inside a quoted field"),
    ],
)
def test_truncated_tables_are_refused_whole(text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        check_complete(text, origin="f.csv")


def test_complete_table_passes_and_quoted_export_may_lack_the_final_newline() -> None:
    check_complete("DATE,A\n2024-01-02,4.1\n", origin="f.csv")
    check_complete('"Date","Price"\n"Mar 12, 2020","1.5"', origin="i.csv", final_newline=False)
    with pytest.raises(DataError, match="without its closing quote"):
        check_complete('"Date","Price"\n"Mar 12, 2020","1.', origin="i.csv", final_newline=False)


def test_cut_number_falls_back_to_exact_parsing() -> None:
    # the C parser would read "4." as 4.0; the file is read as text and the cell rejected
    payload = b"DATE,A\n2024-01-02,4.1\n2024-01-03,4.\n2024-01-04,4.3\n"
    batch = parse_csv(payload, date_column="DATE", columns={"A": "us.cmt.10y"}, origin="f.csv")
    assert batch.observations["value"].tolist() == [4.1, 4.3]
    assert batch.rejections["raw"].tolist() == ["4."]
    assert batch.rejections["reason"].iloc[0].startswith("line 3, column 'A'")


def test_catalog_declares_decimal_comma_and_thousands() -> None:
    entry = {
        "file": "eu.csv", "date_column": "Date", "delimiter": ";", "decimal": ",",
        "thousands": ".", "columns": {"A": "us.sp500"},
    }  # fmt: skip
    parsed = Catalog.from_dict({"entry": [entry]}).entries[0]
    assert (parsed.decimal, parsed.thousands) == (",", ".")
    batch = parse_csv(
        b"Date;A\n2024-01-02;4.812,25\n",
        date_column="Date",
        columns={"A": "us.sp500"},
        delimiter=";",
        decimal=",",
        thousands=".",
    )
    assert batch.observations["value"].tolist() == [4812.25]
    with pytest.raises(DataError, match="decimal ',' is also the delimiter"):
        Catalog.from_dict({"entry": [{**entry, "delimiter": ","}]})
    with pytest.raises(DataError, match="decimal separator must be"):
        Catalog.from_dict({"entry": [{**entry, "decimal": ";", "thousands": None}]})
