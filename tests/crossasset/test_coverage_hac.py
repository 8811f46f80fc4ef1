"""Coverage of the HAC interval of a correlation difference under GARCH (issue 16, must show).

Design (tests/crossasset/_coverage.py): 500 series; each holds two samples of 500 daily pairs
with correlations 0.2 and 0.6 and one shared GARCH(1,1) variance per pair (alpha 0.12, beta
0.86), so the cross-products cluster. The interval is
``CorrelationDifferenceInterval(...).fit(method="hac")``, the one of the inflation-threshold
differences in the report. Monte-Carlo standard error about 1 pp.

Measured (seed 3, 500 series): HAC 93.0%; the Fisher-z difference with effective sample sizes
(``stats.fisher_z_difference_test``, which corrects for autocorrelation only) 88.8%. At 1,000
series see benchmarks/_coverage_b.py.
"""

from __future__ import annotations

from tests.crossasset._coverage import hac_difference_coverage


def test_hac_correlation_difference_covers_under_garch() -> None:
    coverage = hac_difference_coverage(500, 3)
    assert 0.92 <= coverage["hac"] <= 0.98
    assert coverage["fisher-z (effective n)"] < 0.91  # no allowance for clustering: fails
