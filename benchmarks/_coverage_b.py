"""Coverage rows of the cross-asset interval methods (issue 16), for bench_interval_coverage.py.

``rows(n_series, seed)`` simulates every design with ``n_series`` series (volatility clustering
in all of them; tests/crossasset/_coverage.py holds the simulators and the estimators' calls)
and returns one dict per (method, design): ``method``, ``design``, ``series``, ``nominal``
(percent), ``coverage`` (percent) and ``mc_se`` (binomial standard error, percentage points).
Rows marked "before" are the interval a method used before issue 16's coverage work (kept to
show the simulation can fail a method). The regime-switching rows fit one model per series
(about 0.2 s each): at 1,000 series they take a few minutes.

Run alone: ``.venv/bin/python benchmarks/_coverage_b.py [--series 1000] [--seed 16]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.crossasset._coverage import (
    hac_difference_coverage,
    mc_standard_error,
    regime_coverage,
    sharpe_coverage,
    tvp_change_coverage,
    tvp_mean_coverage,
)
from tests.crossasset._coverage_tci import tci_change_coverage

NOMINAL = 95.0
SEED = 16
TITLE = (
    "TVP-VAR connectedness (EWC), TCI change, HAC difference, Lo Sharpe, regime switching "
    "(part B, `benchmarks/_coverage_b.py`)"
)


def _row(method: str, design: str, n_series: int, coverage: float) -> dict[str, object]:
    return {
        "method": method,
        "design": design,
        "series": n_series,
        "nominal": NOMINAL,
        "coverage": round(100.0 * float(coverage), 1),
        "mc_se": round(100.0 * mc_standard_error(float(coverage), n_series), 1),
    }


def _tvp_rows(n_series: int, seed: int) -> list[dict[str, object]]:
    rows = []
    designs = (
        (0.99, 1020, "AR(1) 0.99 (the filter's 100-week memory), 1,020 weeks"),
        (0.995, 1020, "AR(1) 0.995, 1,020 weeks"),
        (0.99, 444, "AR(1) 0.99, 444 months (monthly panels)"),
    )
    for phi, n_obs, text in designs:
        coverage = tvp_mean_coverage(n_series, seed, phi=phi, n_obs=n_obs, memory=100)
        design = f"{text}, GARCH(1,1) t5 shocks"
        ewc = coverage["ewc"]
        rows.append(_row("TVP time mean: EWC, t critical values", design, n_series, ewc))
        before = "TVP time mean: Newey-West 100 lags, normal (before)"
        rows.append(_row(before, design, n_series, coverage["newey-west"]))
    change = tvp_change_coverage(n_series, seed)
    design = "change of mean, 522 vs 117 weeks of an AR(1) 0.99, GARCH(1,1) t5 shocks"
    before = "TVP change test: EWC, Welch t (before)"
    rows.append(_row(before, design, n_series, change["ewc"]))
    before = "TVP change test: Newey-West 100 lags, normal (before)"
    rows.append(_row(before, design, n_series, change["newey-west"]))
    return rows + _period_change_rows(n_series, seed)


def _period_change_rows(n_series: int, seed: int) -> list[dict[str, object]]:
    """``connectedness.tci_change`` now: constant VAR(1) per period, block bootstrap."""
    rows = []
    for garch in ((0.06, 0.92, 10.0), (0.10, 0.85, 5.0)):
        coverage = tci_change_coverage(n_series, seed, replications=199, garch=garch)
        design = (
            f"VAR(1) of 4 markets with the periods' fitted A and Sigma, 522 vs 118 weeks, "
            f"GARCH(1,1) ({garch[0]:.2f}, {garch[1]:.2f}) t{garch[2]:.0f} components; "
            "truth: realised TCI difference"
        )
        method = "TCI change: constant VAR per period, block bootstrap"
        rows.append(_row(f"{method}, percentile", design, n_series, coverage["percentile"]))
        rows.append(_row(f"{method}, basic", design, n_series, coverage["basic"]))
        population = design.replace("realised", "population (unconditional)")
        value = coverage["percentile (population)"]
        rows.append(_row(f"{method}, percentile (limit)", population, n_series, value))
    return rows


def _hac_rows(n_series: int, seed: int) -> list[dict[str, object]]:
    coverage = hac_difference_coverage(n_series, seed)
    design = "rho 0.2 vs 0.6, 2 x 500 days, shared GARCH(1,1) (0.12, 0.86)"
    return [
        _row("correlation difference: HAC delta method", design, n_series, coverage["hac"]),
        _row(
            "correlation difference: Fisher z, effective n (stats.py)",
            design,
            n_series,
            coverage["fisher-z (effective n)"],
        ),
    ]


def _sharpe_rows(n_series: int, seed: int) -> list[dict[str, object]]:
    rows = []
    for sharpe, df in ((0.2, 10.0), (0.26, 10.0), (0.5, 5.0)):
        coverage = sharpe_coverage(n_series, seed, n_obs=36, sharpe=sharpe, df=df)
        design = (
            f"36 months, monthly SR {sharpe} (annual {sharpe * 12**0.5:.2f}), GARCH(1,1) "
            f"(0.10, 0.85) t{df:.0f} innovations (kurtosis {5.8 if df == 10 else 50:.1f})"
        )
        rows.append(_row("Sharpe: Lo (2002), t(35)", design, n_series, coverage["lo (t)"]))
        rows.append(
            _row("Sharpe: Lo (2002), normal (before)", design, n_series, coverage["lo (normal)"])
        )
    return rows


def _regime_rows(n_series: int, seed: int) -> list[dict[str, object]]:
    design = (
        "600 weeks of daily GARCH(1,1) (0.02, 0.08, 0.90) pairs, rho -0.5 / 0.4, stay 0.96 "
        "(25 weeks), {}"
    )
    label = {"robust": "QML sandwich", "hessian": "inverse Hessian (before)"}
    coverage = regime_coverage(n_series, seed, cov_types=("robust", "hessian"))
    rows = [
        _row(
            f"regime switching: {label[key.split()[0]]}, {key.split(maxsplit=1)[1]}",
            design.format("GARCH-standardised weekly sums (as the study)"),
            n_series,
            value,
        )
        for key, value in coverage.items()
    ]
    raw_series = max(n_series // 5, 20)  # a demonstration: the bias is large
    raw = regime_coverage(raw_series, seed, volatility="none")
    rows += [
        _row(
            f"regime switching: QML sandwich, {key.split(maxsplit=1)[1]}",
            design.format("raw weekly sums (no standardisation)"),
            raw_series,
            value,
        )
        for key, value in raw.items()
    ]
    return rows


def rows(n_series: int, seed: int) -> list[dict[str, object]]:
    """Every coverage row of this module (see the module docstring)."""
    return [
        *_tvp_rows(n_series, seed),
        *_hac_rows(n_series, seed),
        *_sharpe_rows(n_series, seed),
        *_regime_rows(n_series, seed),
    ]


def coverage_rows(n_series: int) -> list[dict[str, object]]:
    """The rows for bench_interval_coverage.py, each group's CPU seconds shared by its rows."""
    out: list[dict[str, object]] = []
    for group in (_tvp_rows, _hac_rows, _sharpe_rows, _regime_rows):
        cpu = time.process_time()
        group_rows = group(n_series, SEED)
        spent = (time.process_time() - cpu) / max(len(group_rows), 1)
        out += [{**row, "cpu_s": spent} for row in group_rows]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    table = rows(args.series, args.seed)
    print("| method | design | series | nominal | coverage | mc_se |")
    print("|---|---|---:|---:|---:|---:|")
    for row in table:
        print("| " + " | ".join(str(row[key]) for key in row) + " |")
    print(f"\n{time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU")


if __name__ == "__main__":
    main()
