"""``select_series``: the filters of ``ustpull series list`` on a listing-shaped table."""

from __future__ import annotations

import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.store.listing import select_series

LISTING = pd.DataFrame(
    {
        "title": ["10-year CMT yield", "10-year breakeven inflation", "German 10-year yield"],
        "country": ["US", "US", "DE"],
        "source": ["fred", "fred", "bundesbank"],
    },
    index=pd.Index(["us.cmt.10y", "us.breakeven.10y", "de.govt.10y"], name="id"),
)


def test_filters_combine_and_ignore_case() -> None:
    assert select_series(LISTING, country="us").index.tolist() == [
        "us.cmt.10y", "us.breakeven.10y"
    ]  # fmt: skip
    assert select_series(LISTING, text="BREAKEVEN").index.tolist() == ["us.breakeven.10y"]
    assert select_series(LISTING, text="de.govt").index.tolist() == ["de.govt.10y"]
    assert select_series(LISTING, country="US", source="fred", text="cmt").index.tolist() == [
        "us.cmt.10y"
    ]
    assert select_series(LISTING, country="DE", text="breakeven").empty
    assert len(select_series(LISTING)) == 3


def test_unknown_country_or_source_names_what_is_stored() -> None:
    with pytest.raises(DataError, match=r"--source 'fredd': no stored series has it; stored: "
                       r"bundesbank, fred$"):  # fmt: skip
        select_series(LISTING, source="fredd")
    with pytest.raises(DataError, match=r"--country 'XX'.*stored: DE, US"):
        select_series(LISTING, country="XX")
