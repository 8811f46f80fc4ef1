"""Benchmark: exact bootstrap of a 30-security Treasury curve against QuantLib.

Task: the 2024-06-26 FedInvest prices (shared data), 30 securities (every third of the 89 by
maturity: bills, notes and bonds out to 2054), settlement 2024-06-27, log-linear discount
interpolation. Target: at most 0.5 ms per curve (QuantLib 1.44 took 0.5 ms), batched
bootstraps faster still per curve, every security repriced within 1e-8 per 100.

* QuantLib: ``PiecewiseLogLinearDiscount`` on ``FixedRateBondHelper`` (notes and bonds,
  ACT/ACT ISMA, unadjusted semiannual schedule with the end-of-month rule) and
  ``BondHelper(ZeroCouponBond)`` (bills); helpers built once, the timed step is curve
  construction plus the bootstrap (forced by a discount call). Error: clean price of each
  helper bond from a ``DiscountingBondEngine`` on the fitted curve minus the quote.
* Ours: ``Bootstrap(table, settlement).fit()`` (end to end from the bond table: schedules,
  accrued interest, Newton solve, results object), ``solve_node_discount`` on a prepared
  cash-flow matrix (the solve alone), and ``bootstrap_batch`` over 250 dates of the same 30
  notes and bonds (every second one maturing after 2025-08-01; synthetic prices from
  randomly shifted curves, settlement on the 250 business days from 2024-06-27).

BLAS runs single-threaded (``OPENBLAS_NUM_THREADS=1``) so both sides use one core on the
shared machine. QuantLib is installed into the venv for this script only:
``pip install quantlib``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_bootstrap.py [--data-dir ../shared/data] [--runs 200]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import datetime as dt
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import QuantLib as ql  # noqa: N813 (the usual alias)

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.curves.bonds import (
    CashflowMatrix,
    bond_table_from_fedinvest,
    cashflow_matrix,
)
from ustpull.curves.bootstrap import (
    Bootstrap,
    bootstrap_batch,
    solve_node_discount,
    yield_start,
)
from ustpull.curves.calendar import is_business_day
from ustpull.curves.zero_curve import ZeroCurve
from ustpull.sources.treasurydirect import read_security_prices

SETTLEMENT = pd.Timestamp("2024-06-27")
SUBSET = Path("treasury") / "treasurydirect_securityprice_2024-06-26_subset.csv"
RESULTS = Path(__file__).parent / "results" / "bootstrap.md"
N_BONDS, N_DATES = 30, 250


def thirty_securities(data_dir: Path) -> pd.DataFrame:
    """Every third security by maturity of the 89 in the FedInvest subset (30 in all)."""
    table, _ = bond_table_from_fedinvest(read_security_prices((data_dir / SUBSET).read_bytes()))
    ordered = table.sort_values("maturity", ignore_index=True)
    return ordered.iloc[::3].reset_index(drop=True).iloc[:N_BONDS]


def best_time(function: Callable[[], object], runs: int) -> float:
    """Best of ``runs`` wall-clock timings in seconds (after one warm-up call)."""
    function()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def quantlib_setup(table: pd.DataFrame) -> tuple[list[ql.BondHelper], list[float]]:
    """Bond helpers with clean-price quotes; evaluation date = settlement (0 settlement days)."""
    today = ql.Date(SETTLEMENT.day, SETTLEMENT.month, SETTLEMENT.year)
    ql.Settings.instance().evaluationDate = today
    helpers = []
    for row in table.itertuples():
        maturity = ql.Date(row.maturity.day, row.maturity.month, row.maturity.year)
        quote = ql.QuoteHandle(ql.SimpleQuote(float(row.clean_price)))
        if row.security_type == "bill":
            bond = ql.ZeroCouponBond(0, ql.NullCalendar(), 100.0, maturity, ql.Unadjusted)
            helpers.append(ql.BondHelper(quote, bond))
            continue
        schedule = ql.Schedule(
            maturity - ql.Period(30, ql.Years),
            maturity,
            ql.Period(ql.Semiannual),
            ql.NullCalendar(),
            ql.Unadjusted,
            ql.Unadjusted,
            ql.DateGeneration.Backward,
            ql.Date.isEndOfMonth(maturity),
        )
        day_count = ql.ActualActual(ql.ActualActual.ISMA, schedule)
        helpers.append(
            ql.FixedRateBondHelper(quote, 0, 100.0, schedule, [float(row.coupon)], day_count)
        )
    return helpers, table["clean_price"].tolist()


def quantlib_curve(helpers: list[ql.BondHelper]) -> ql.YieldTermStructure:
    today = ql.Settings.instance().evaluationDate
    curve = ql.PiecewiseLogLinearDiscount(today, helpers, ql.Actual365Fixed())
    curve.nodes()  # force the bootstrap
    return curve


def quantlib_error(helpers: list[ql.BondHelper], quotes: list[float]) -> float:
    curve = quantlib_curve(helpers)
    engine = ql.DiscountingBondEngine(ql.YieldTermStructureHandle(curve))
    errors = []
    for helper, quote in zip(helpers, quotes, strict=True):
        bond = helper.bond()
        bond.setPricingEngine(engine)
        errors.append(bond.cleanPrice() - quote)
    return float(np.max(np.abs(errors)))


def batch_inputs(data_dir: Path) -> list[CashflowMatrix]:
    """250 business days of the same 30 notes and bonds priced off gently moving curves.

    The securities are every second note or bond maturing after 2025-08-01 (alive on all
    250 dates).
    """
    table, _ = bond_table_from_fedinvest(read_security_prices((data_dir / SUBSET).read_bytes()))
    alive = table[table["maturity"] > pd.Timestamp("2025-08-01")].sort_values("maturity")
    table = alive.iloc[::2].reset_index(drop=True).iloc[:N_BONDS]
    days = pd.date_range(SETTLEMENT, periods=2 * N_DATES, freq="D")
    settlements = days[is_business_day(days)][:N_DATES]
    rng = np.random.default_rng(20240626)
    matrices = []
    for settle in settlements:
        base = cashflow_matrix(table, settle)
        shift = rng.normal(0.0, 0.05)
        curve = ZeroCurve.from_zero_yields(
            [0.25, 2, 10, 30], np.array([5.4, 4.7, 4.3, 4.5]) + shift
        )
        dirty = base.present_value(curve.discount(base.times))
        matrices.append(cashflow_matrix(table.assign(clean_price=dirty - base.accrued), settle))
    return matrices


def solve_one_date(matrix: CashflowMatrix) -> tuple[np.ndarray, np.ndarray, int]:
    """``solve_node_discount`` for one date from its cash-flow matrix (yield-based start)."""
    return solve_node_discount(
        matrix.maturity_times[None, :],
        matrix.times[None, :],
        matrix.amounts[None],
        matrix.dirty_price[None, :],
        start=yield_start(matrix.maturity_times, matrix.yield_to_maturity)[None, :],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    table = thirty_securities(args.data_dir)
    helpers, quotes = quantlib_setup(table)
    ql_time = best_time(lambda: quantlib_curve(helpers), args.runs)
    ql_end_to_end = best_time(lambda: quantlib_curve(quantlib_setup(table)[0]), args.runs)
    ql_error = quantlib_error(helpers, quotes)

    spec = Bootstrap(table, SETTLEMENT)
    results = spec.fit()
    ours_fit = best_time(lambda: Bootstrap(table, SETTLEMENT).fit(), args.runs)
    matrix = spec.cashflows
    ours_core = best_time(lambda: solve_one_date(matrix), args.runs)
    ours_error = results.max_abs_error

    matrices = batch_inputs(args.data_dir)
    batch = bootstrap_batch(matrices)
    batch_time = best_time(lambda: bootstrap_batch(matrices), max(5, args.runs // 10)) / N_DATES
    one_by_one = best_time(
        lambda: [solve_one_date(item) for item in matrices],
        max(5, args.runs // 10),
    )
    method_rows = []
    for interpolation in ("linear_zero", "log_cubic", "monotone_convex"):
        fitted = Bootstrap(table, SETTLEMENT, interpolation=interpolation).fit()
        seconds = best_time(
            lambda method=interpolation: Bootstrap(table, SETTLEMENT, interpolation=method).fit(),
            max(5, args.runs // 10),
        )
        method_rows.append((interpolation, seconds, fitted.max_abs_error))

    rows = [
        ("QuantLib 1.44 PiecewiseLogLinearDiscount, ready helpers", ql_time, ql_error),
        ("QuantLib 1.44, helpers built from the table + bootstrap", ql_end_to_end, ql_error),
        ("ours: Bootstrap(...).fit(), log-linear, end to end", ours_fit, ours_error),
        ("ours: solve_node_discount (solve only)", ours_core, ours_error),
        (f"ours: bootstrap_batch, {N_DATES} dates, per curve", batch_time, batch.max_abs_error),
        (
            f"ours: the same {N_DATES} dates one by one (solve only), per curve",
            one_by_one / N_DATES,
            batch.max_abs_error,
        ),
    ] + [(f"ours: Bootstrap(...).fit(), {name}", t, e) for name, t, e in method_rows]
    lines = [
        "# Exact bootstrap of a 30-security Treasury curve",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} "
        f"({os.cpu_count()} cores shared with other jobs), Python {platform.python_version()}, "
        f"numpy {np.__version__}, QuantLib {ql.__version__}, BLAS single-threaded; "
        f"best of {args.runs} runs; load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "Input: 2024-06-26 FedInvest prices, 30 securities (every third by maturity, 2024-07-05 "
        "to 2054-05-15), settlement 2024-06-27. Error = max |model - market| price per 100.",
        "",
        "| method | time per curve (ms) | ratio to QuantLib | max repricing error |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, error in rows:
        lines.append(f"| {name} | {seconds * 1e3:.3f} | {seconds / ql_time:.2f} | {error:.1e} |")
    lines += [
        "",
        "Ratio < 1 means faster than QuantLib (ready helpers). Comparable pairs: the solve "
        "alone vs QuantLib with ready helpers (both start from built cash flows); ours end to "
        "end vs QuantLib building its helpers from the same table (both include schedules "
        "and accrued interest; ours also yields, durations and the results object).",
        "",
        "Run: `.venv/bin/python benchmarks/bench_bootstrap.py`",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    note = "error: max price error per 100"
    write_rows(
        "bootstrap",
        [
            comparison(
                "30-security exact bootstrap, solve only (ready cash flows / helpers)",
                ours_core,
                f"QuantLib {ql.__version__}",
                ql_time,
                our_error=ours_error,
                peer_error=ql_error,
                notes=note,
            ),
            comparison(
                "30-security exact bootstrap, end to end from the bond table",
                ours_fit,
                f"QuantLib {ql.__version__}",
                ql_end_to_end,
                our_error=ours_error,
                peer_error=ql_error,
                notes=note,
            ),
        ],
    )
    print(text)


if __name__ == "__main__":
    main()
