"""Benchmark: rolling Diebold-Yilmaz connectedness against the diebold-yilmaz 0.1.0 package.

Task: 1,001 rolling windows of 200 daily observations, 4 markets (10-year yield changes of the
U.S., Germany, France and Japan: the last 1,200 common trading days in the shared data), a
VAR(2) with constant and generalized FEVD horizon 10. Target: at most 0.1 s with numbers
identical to the peer (max abs difference of every table entry, in percent, below 1e-10).

The peer fits each window with ``diebold_yilmaz.fit_var`` (a statsmodels VAR) and calls
``diebold_yilmaz.connectedness``; ours is one call of
:meth:`ustpull.crossasset.connectedness.Connectedness.fit_rolling` (stacked OLS from
cumulative cross-products, batched MA recursion and GFEVD). The peer is installed into the
venv for this script only: ``pip install diebold-yilmaz==0.1.0``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_connectedness.py [--data-dir ../shared/data] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

import numpy as np

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.crossasset.connectedness import Connectedness, yield_changes
from ustpull.sources.local import load_frame

IDS = {"us": "us.cmt.10y", "de": "de.govt.10y", "fr": "fr.govt.10y", "jp": "jp.jgb.10y"}
WINDOW, LAGS, HORIZON, N_WINDOWS = 200, 2, 10, 1001
RESULTS = Path(__file__).parent / "results" / "connectedness.md"


def peer_rolling(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tables (percent) and totals from the diebold-yilmaz package, one VAR per window."""
    import diebold_yilmaz

    tables, totals = [], []
    for start in range(values.shape[0] - WINDOW + 1):
        ma, sigma, _ = diebold_yilmaz.fit_var(
            values[start : start + WINDOW], p=LAGS, horizon=HORIZON
        )
        result = diebold_yilmaz.connectedness(ma, sigma, horizon=HORIZON)
        tables.append(result.table)
        totals.append(result.total_index)
    return np.array(tables), np.array(totals)


def best_of(runs: int, action: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    levels = load_frame(list(IDS.values()), args.data_dir).set_axis(list(IDS), axis=1)
    changes = yield_changes(levels, frequency="daily").iloc[-(WINDOW + N_WINDOWS - 1) :]
    model = Connectedness(changes, lags=LAGS, horizon=HORIZON)

    ours_seconds, ours = best_of(args.runs, lambda: model.fit_rolling(WINDOW))
    peer_seconds, peer = best_of(max(1, args.runs // 2), lambda: peer_rolling(changes.to_numpy()))
    peer_tables, peer_totals = peer  # type: ignore[misc]
    tables = ours.tables  # type: ignore[attr-defined]
    totals = ours.total.to_numpy()  # type: ignore[attr-defined]
    assert tables.shape == peer_tables.shape == (N_WINDOWS, 4, 4)
    table_error = float(np.abs(tables - peer_tables).max())
    total_error = float(np.abs(totals - peer_totals).max())
    assert table_error < 1e-10, table_error
    assert total_error < 1e-10, total_error

    import diebold_yilmaz

    ratio = peer_seconds / ours_seconds
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared)"
    verdict = "met" if ours_seconds <= 0.1 else "NOT met"
    rows = [
        "| implementation | time (best of runs) | max abs diff of table entries vs peer (pp) "
        "| max abs diff of total index | speed-up |",
        "|---|---|---|---|---|",
        f"| ustpull `Connectedness.fit_rolling` (stacked numpy) | {ours_seconds * 1000:.1f} ms "
        f"| {table_error:.1e} | {total_error:.1e} | {ratio:.0f}x |",
        f"| diebold-yilmaz {diebold_yilmaz.__version__} (`fit_var` + `connectedness` per window) "
        f"| {peer_seconds * 1000:.0f} ms | reference | reference | 1x |",
    ]
    table = "\n".join(rows)
    report = f"""# Rolling Diebold-Yilmaz connectedness

Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, `benchmarks/bench_connectedness.py`, {machine},
Python {platform.python_version()}, numpy {np.__version__}.

Problem: {N_WINDOWS} rolling windows of {WINDOW} daily changes of the U.S., German, French and
Japanese 10-year yields ({changes.index[0]:%Y-%m-%d}..{changes.index[-1]:%Y-%m-%d}, shared data),
VAR({LAGS}) with constant, generalized FEVD horizon {HORIZON}, row-normalised table in percent.

{table}

Target: at most 100 ms and identical numbers (max abs difference below 1e-10): {verdict}.
Timings are on a machine shared with other jobs; the ratio is from the same run.
"""
    RESULTS.write_text(report)
    write_rows(
        "connectedness",
        [
            comparison(
                f"rolling connectedness, {N_WINDOWS} windows",
                ours_seconds,
                f"diebold-yilmaz {diebold_yilmaz.__version__}",
                peer_seconds,
                our_error=table_error,
                peer_error=0.0,
                notes="error: max abs table difference from the peer (pp)",
            )
        ],
    )
    print(report)


if __name__ == "__main__":
    main()
