"""Real shared-data inputs for the cross-asset inference tests (read at test time)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ustpull.crossasset.stats import align
from ustpull.crossasset.stocks_correlation import zero_coupon_log_returns


def read_series(path: Path, column: int = 0) -> pd.Series:
    """One column of a shared-data CSV (first column = dates), missing cells dropped."""
    frame = pd.read_csv(path, index_col=0, parse_dates=True)
    return pd.to_numeric(frame.iloc[:, column], errors="coerce").dropna()


def stock_bond_daily_returns(shared_data: Path, start: str = "1962") -> pd.DataFrame:
    """Daily S&P 500 log price returns and exact GSW 10-year zero-coupon returns, in percent.

    Prices and yields are aligned on common dates first, so both returns span the same days.
    """
    sp500 = read_series(shared_data / "equity/sp500_daily_close_1950_2026.csv").rename("sp500")
    gsw = pd.read_csv(
        shared_data / "gsw/gsw_zero_yields_daily_1961_2023.csv", index_col=0, parse_dates=True
    )
    curve = gsw[["SVENY09", "SVENY10"]].set_axis([9, 10], axis=1)
    levels = align(sp500, curve).loc[start:]
    stock = np.log(levels["sp500"]).diff().iloc[1:].rename("sp500")
    bond = zero_coupon_log_returns(levels[[9, 10]]).rename("gsw10y")
    return 100.0 * align(stock, bond)
