"""Stock-bond eras from one table, named after the data each fit uses (issue 19, point 4)."""

from __future__ import annotations

import pandas as pd

from ustpull.crossasset.stocks_correlation import DEFAULT_ERAS, eras_from_breaks
from ustpull.studies.stocks import named_eras


def test_first_era_holds_whole_years_of_the_gsw_zero() -> None:
    # GSW 10-year zero returns from 1971-08-17: the open first era starts 1972-01-01
    eras = named_eras(DEFAULT_ERAS, pd.Timestamp("1971-08-17"), pd.Timestamp("2025-06-30"))
    assert eras == (
        ("1972-1999", "1972-01-01", "1999-12-31"),
        ("2000-2007", "2000-01-01", "2007-12-31"),
        ("2008-2019", "2008-01-01", "2019-12-31"),
        ("2020-latest", "2020-01-01", None),
    )


def test_cmt_from_january_1962_keeps_its_name_and_data_as_of_2019() -> None:
    eras = named_eras(DEFAULT_ERAS, pd.Timestamp("1962-01-02"), pd.Timestamp("2019-12-31"))
    # data from January: 1962 is a whole year; as of 2019 there is no 2020-latest era
    assert [e[0] for e in eras] == ["1962-1999", "2000-2007", "2008-2019"]
    assert eras[0][1] == "1962-01-01"


def test_an_era_cut_by_the_data_is_named_after_them() -> None:
    eras = named_eras(DEFAULT_ERAS, pd.Timestamp("2003-03-03"), pd.Timestamp("2015-06-30"))
    assert [e[0] for e in eras] == ["2003-2007", "2008-2015"]
    # eras of user breaks keep their date names
    broken = eras_from_breaks(["2000-01-01"])
    named = named_eras(broken, pd.Timestamp("1971-08-17"), pd.Timestamp("2025-06-30"))
    assert named == broken
