"""Coverage rows of the announcement-day variance ratio and the total-connectedness bootstrap
(issue 16), for bench_interval_coverage.py.

Simulators: ``tests/crossasset/_coverage_var_ratio.py`` (30 years of daily GARCH(1,1) yield
changes, 8 announcements a year with doubled variance; designs "data" and "stress") and
``tests/crossasset/_coverage_tci_residual.py`` (5-variable VAR(2), GARCH(1,1) t(5) errors,
1,000 weekly rows; truths the population TCI and each sample's realised TCI). Rows marked
"before" are the interval used before.

Run alone: ``.venv/bin/python benchmarks/_coverage_c.py [--series 1000]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.crossasset._coverage import mc_standard_error
from tests.crossasset._coverage_tci_residual import tci_coverage
from tests.crossasset._coverage_var_ratio import var_ratio_coverage

SEED = 16
TITLE = (
    "Announcement-day variance ratio, total-connectedness bootstrap (part C, "
    "`benchmarks/_coverage_c.py`)"
)


def _row(method: str, design: str, n_series: int, coverage: float, cpu: float) -> dict[str, Any]:
    return {
        "method": method,
        "design": design,
        "series": n_series,
        "nominal": 95.0,
        "coverage": round(100.0 * coverage, 1),
        "mc_se": round(100.0 * mc_standard_error(coverage, n_series), 2),
        "cpu_s": cpu,
    }


def var_ratio_rows(n_series: int) -> list[dict[str, Any]]:
    rows = []
    texts = {
        "data": "30 years daily, GARCH(1,1) (0.05, 0.93) t8, 8 events a year, variance x2",
        "stress": "30 years daily, GARCH(1,1) (0.10, 0.85) t5, 8 events a year, variance x2",
    }
    for design, text in texts.items():
        cpu = time.process_time()
        coverage = var_ratio_coverage(n_series, SEED, replications=999, design=design, before=True)
        cpu = time.process_time() - cpu
        for k in (1, 2):
            label = f"{text}, {k}-day moves"
            method = "variance ratio: symmetric studentized log ratio (adopted)"
            rows.append(_row(method, label, n_series, coverage[f"{k}d"], cpu))
            method = "variance ratio: percentile of R (before)"
            rows.append(_row(method, label, n_series, coverage[f"before {k}d"], cpu))
    return rows


def tci_rows(n_series: int) -> list[dict[str, Any]]:
    cpu = time.process_time()
    coverage = tci_coverage(n_series, SEED, replications=199)
    cpu = time.process_time() - cpu
    design = "VAR(2) of 5, GARCH(1,1) (0.10, 0.85) t5 errors, 1,000 weeks"
    methods = {
        "iid": "TCI: i.i.d. residual bootstrap, percentile",
        "wild": "TCI: wild (Rademacher) residual bootstrap",
        "block": "TCI: moving-block (52 weeks) residual bootstrap",
    }
    rows = []
    for key, method in methods.items():
        for suffix, truth in (("", "population TCI"), (" realised", "realised TCI")):
            label = f"{design}, {truth}"
            rows.append(_row(method, label, n_series, coverage[key + suffix], cpu))
    return rows


def coverage_rows(n_series: int) -> list[dict[str, Any]]:
    """Every row of part C."""
    return var_ratio_rows(n_series) + tci_rows(n_series)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    args = parser.parse_args()
    for row in coverage_rows(args.series):
        print(row)


if __name__ == "__main__":
    main()
