"""The announcement-day score tables state each row's unit (issue 19: no mixed units in one
column without saying so)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest


def test_event_day_table_has_a_unit_per_row(report_dir: Path) -> None:
    table = pd.read_csv(report_dir / "data" / "event_day_2013_06_19.csv", index_col=0)
    assert list(table.columns[:4]) == ["unit", "1d move", "1d z", "1d rank (%)"]
    # yields in bp, prices in log % x 100 (the vocabulary's units of each series)
    assert table.loc["us.cmt.10y", "unit"] == "bp"
    assert table.loc["de.govt.10y", "unit"] == "bp"
    assert table.loc["us.sp500", "unit"] == "log %"
    assert table.loc["fx.dxy", "unit"] == "log %"
    # 2013-06-19, FOMC, from the close of 06-18 to that of 06-20: DGS10 2.20 -> 2.41 (21 bp;
    # fred/ust_cmt_daily.csv), S&P 500 1651.81 -> 1588.19, 100 ln(1588.19/1651.81) = -3.93
    # (equity/sp500_daily_close_1950_2026.csv)
    assert table.loc["us.cmt.10y", "2d move"] == pytest.approx(21.0, abs=1e-9)
    assert table.loc["us.sp500", "2d move"] == pytest.approx(-3.93, abs=0.01)
    # the Bund closes before the FOMC statement: its one-day cells are blank (issue 16)
    assert table.loc["de.govt.10y", ["1d move", "1d z", "1d rank (%)"]].isna().all()
    assert table.loc["de.govt.10y", "2d move"] == pytest.approx(9.3, abs=1e-9)
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert "1d cells are blank (not applicable) for markets that close before" in page
    start = page.index("2013-06-19 (FOMC meeting): one- and two-day moves (unit per row)")
    html = page[start : page.index("</table>", start)]
    row = re.search(r"<tr><td>us\.sp500</td>(.*?)</tr>", html)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    # two decimals, not 9.000-style: unit, 1d move, z, rank, then the 2d move
    assert cells[0] == "log %" and cells[4] == "-3.93"
