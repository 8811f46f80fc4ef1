"""Month-end sampling and the short-rate conversion and splice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.termpremium.inputs import (
    bond_equivalent_to_continuous,
    month_end,
    spliced_short_rate,
)


def test_conversions_at_five_percent() -> None:
    # 200 ln(1.025) = 4.938522;
    # (36500/30.4167) ln(1 + 5 * 30.4167/36500) = 1200 ln(1 + 5/1200) = 4.989612
    assert bond_equivalent_to_continuous(np.float64(5.0)) == pytest.approx(4.938522, abs=1e-6)
    simple = bond_equivalent_to_continuous(np.float64(5.0), conversion="simple")
    assert simple == pytest.approx(4.989612, abs=1e-6)
    with pytest.raises(DataError, match="conversion"):
        bond_equivalent_to_continuous(np.float64(5.0), conversion="daily")  # type: ignore[arg-type]


def test_month_end_last_row_and_incomplete_month() -> None:
    index = pd.to_datetime(["2020-01-30", "2020-01-31", "2020-02-27", "2020-02-28", "2020-03-10"])
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan, 5.0]}, index=index)
    result = month_end(frame)
    # 2020-02-28 has no data: February's month-end is the 27th; March stops mid-month
    assert list(result.index.strftime("%Y-%m-%d")) == ["2020-01-31", "2020-02-27"]
    assert len(month_end(frame, drop_incomplete=False)) == 3
    # a last weekday lost to a holiday still counts (TARGET closes on 31 December)
    year_end = pd.DataFrame({"a": [1.0, 2.0]}, index=pd.to_datetime(["2020-11-30", "2020-12-30"]))
    assert month_end(year_end).index[-1] == pd.Timestamp("2020-12-30")


def test_spliced_short_rate() -> None:
    months = pd.to_datetime(["2001-05-31", "2001-06-29", "2001-07-31", "2001-08-31"])
    curve = pd.Series([4.0, 3.9, 3.8, 3.7], index=months)
    daily = pd.to_datetime(["2001-07-30", "2001-07-31", "2001-08-30"])
    bill = pd.Series([3.6, 3.67, 3.5], index=daily)
    result = spliced_short_rate(curve, bill)
    np.testing.assert_allclose(
        result.to_numpy(), [4.0, 3.9, 200 * np.log1p(3.67 / 200), 200 * np.log1p(3.5 / 200)]
    )
    assert list(result.attrs["source"]) == ["curve", "curve", "bill", "bill"]
    pd.testing.assert_series_equal(spliced_short_rate(curve, None), curve.rename("short_rate"))
