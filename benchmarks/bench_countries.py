"""Benchmark: zero curves of Germany, Japan and Switzerland for ACM, against QuantLib.

Task: every usable day of the Bund benchmark par yields (annual coupons, 2000-04..2024-04),
the MoF JGB par curve (semiannual, 1986-07..2024-03) and the SNB spot yields
(1988-01..2024-03) turned into continuously compounded zero yields at 1..120 months
(:func:`ustpull.termpremium.countries.zero_yields`: exact par -> zero bootstrap,
monotone-convex interpolation, flat short end), then the whole monthly ACM estimate
(:func:`~ustpull.termpremium.countries.country_term_premium`).

* QuantLib 1.44: ``PiecewiseLogLinearDiscount`` on ``FixedRateBondHelper`` par bonds (price
  100) at every coupon date up to 10 years (annual for Bunds, semiannual for JGBs), coupons
  = the par yields interpolated linearly in maturity (the same input as ours), 30/360 so
  that coupon periods are exactly 1 or 1/2 year; schedules are built once, the helpers per
  date (their coupons change), and the timed step is helpers plus bootstrap (forced by the
  discount calls). QuantLib is run on
  ``--sample`` evenly spaced dates and its time scaled per day.
* Error: our zero yields at 1..10 years (the bootstrap nodes, where the interpolation
  plays no part) minus QuantLib's, in bp.

BLAS runs single-threaded (``OPENBLAS_NUM_THREADS=1``). QuantLib is installed into the venv
for this script only: ``pip install quantlib``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_countries.py [--data-dir ../shared/data] [--sample 400]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import datetime as dt
import platform
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import QuantLib as ql  # noqa: N813 (the usual alias)

from ustpull.config import shared_data_dir
from ustpull.errors import ShortEndWarning
from ustpull.sources.local import load_frame
from ustpull.termpremium.countries import (
    COUPONS_PER_YEAR,
    country_curve,
    country_term_premium,
    usable_rows,
    zero_yields,
)

RESULTS = Path(__file__).parent / "results" / "countries.md"


def best_of(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Best wall time (ms) of ``repeats`` calls and the last result."""
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return 1000.0 * best, result


class QuantLibParCurve:
    """Par bonds at every coupon date up to 10 years, bootstrapped by QuantLib."""

    def __init__(self, coupons_per_year: int) -> None:
        self.today = ql.Date(3, 1, 2000)
        ql.Settings.instance().evaluationDate = self.today
        self.step = 1.0 / coupons_per_year
        self.grid = np.arange(1, 10 * coupons_per_year + 1) * self.step
        frequency = ql.Annual if coupons_per_year == 1 else ql.Semiannual
        day_count = ql.Thirty360(ql.Thirty360.BondBasis)
        self.prices = [ql.SimpleQuote(100.0) for _ in self.grid]
        self.helpers = []
        months = round(12 * self.step)
        for k, quote in enumerate(self.prices, start=1):
            schedule = ql.Schedule(
                self.today,
                self.today + ql.Period(k * months, ql.Months),
                ql.Period(frequency),
                ql.NullCalendar(),
                ql.Unadjusted,
                ql.Unadjusted,
                ql.DateGeneration.Backward,
                False,
            )
            self.helpers.append((quote, schedule, day_count))
        self.day_count = day_count

    def zero_yields(self, par_percent: np.ndarray) -> np.ndarray:
        """Continuous zero yields (percent) at the grid from par yields at the grid."""
        helpers = [
            ql.FixedRateBondHelper(
                ql.QuoteHandle(quote), 0, 100.0, schedule, [coupon / 100.0], day_count
            )
            for (quote, schedule, day_count), coupon in zip(self.helpers, par_percent, strict=True)
        ]
        curve = ql.PiecewiseLogLinearDiscount(self.today, helpers, self.day_count)
        return np.array([-100.0 * np.log(curve.discount(float(t))) / t for t in self.grid])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data_dir = args.data_dir or shared_data_dir()
    warnings.simplefilter("ignore", ShortEndWarning)

    rows: list[tuple[str, str, str, str, str]] = []
    ratios: list[str] = []
    for code, start in (("DE", "2000-04-01"), ("JP", None), ("CH", None)):
        curve = country_curve(code)
        data = load_frame(curve.series_ids, data_dir).loc[start:]
        days = int(usable_rows(curve, data).sum())
        ours_ms, zeros = best_of(lambda: zero_yields(curve, data), args.repeats)  # noqa: B023
        rows.append(
            (
                code,
                "zero curves, ustpull",
                f"{days:,}",
                f"{ours_ms:.1f}",
                f"{ours_ms / days * 1e3:.2f}",
            )
        )
        model_ms, estimate = best_of(
            lambda: country_term_premium(code, data),  # noqa: B023
            args.repeats,
        )
        months = len(estimate.results.term_premium)
        rows.append((code, f"monthly ACM estimate ({months} months)", "-", f"{model_ms:.1f}", "-"))
        if curve.recipe != "par_bootstrap":
            continue
        coupons = COUPONS_PER_YEAR[curve.compounding]
        peer = QuantLibParCurve(coupons)
        quotes = data.loc[zeros.index, list(curve.yield_ids)]
        years = curve.quoted_years
        picks = np.linspace(0, len(quotes) - 1, args.sample).round().astype(int)
        par_on_grid = []
        for row in quotes.to_numpy()[picks]:
            present = np.isfinite(row)
            par_on_grid.append(np.interp(peer.grid, years[present], row[present]))
        start_time = time.perf_counter()
        peer_zero = np.array([peer.zero_yields(par) for par in par_on_grid])
        peer_ms = 1000.0 * (time.perf_counter() - start_time)
        node_months = np.arange(12, 121, 12)
        ours_at_nodes = zeros.iloc[picks][node_months].to_numpy()
        nodes_in_peer = np.searchsorted(peer.grid, node_months / 12.0)
        gap_bp = 100.0 * np.abs(ours_at_nodes - peer_zero[:, nodes_in_peer])
        per_day_us = peer_ms / args.sample * 1e3
        rows.append(
            (
                code,
                f"zero curves, QuantLib {ql.__version__} ({args.sample} dates)",
                f"{args.sample:,}",
                f"{peer_ms:.1f}",
                f"{per_day_us:.2f}",
            )
        )
        ours_per_day = ours_ms / days * 1e3
        ratios.append(
            f"* {code}: QuantLib {per_day_us / ours_per_day:.0f}x our time per curve; zero "
            f"yields at 1..10 years max |ours - QuantLib| {gap_bp.max():.2e} bp"
        )

    table = "\n".join(f"| {' | '.join(row)} |" for row in rows)
    setting = (
        f"Date: {dt.date.today()}. Machine: {platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other engineers), Python {platform.python_version()}, numpy "
        f"{np.__version__}, pandas {pd.__version__}, QuantLib {ql.__version__}. Best of "
        f"{args.repeats} runs for ours; QuantLib on {args.sample} evenly spaced dates (helpers "
        f"and bootstrap per date). Load average during the run: {os.getloadavg()[0]:.1f}."
    )
    text = f"""# Country zero curves and ACM estimates: benchmark (`benchmarks/bench_countries.py`)

{setting}

| country | task | curves (days) | time (ms) | per curve (us) |
|---|---|---:|---:|---:|
{table}

Ratios and accuracy (QuantLib time per curve / ours; same par inputs on the coupon grid):

{chr(10).join(ratios)}

Switzerland has no peer line: its zero yields are published, only interpolated.
"""
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
