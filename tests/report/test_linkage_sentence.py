"""The summary's euro-area linkage sentence rests on the bias-corrected bootstrap test."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pandas as pd
import pytest

from ustpull.report.section_foreign import _linkage_sentence


def _studies(
    pvalue: float | None, difference: float = 0.05, low: float = 0.0, high: float = 0.0
) -> Any:
    if pvalue is None:
        return SimpleNamespace(linkage_bias_corrected=None)
    table = pd.DataFrame(
        {
            "bootstrap_pvalue": [pvalue],
            "difference_change": [difference],
            "bootstrap_low": [low],
            "bootstrap_high": [high],
        },
        index=["ea"],
    )
    return SimpleNamespace(linkage_bias_corrected=SimpleNamespace(table=table))


@pytest.mark.parametrize(
    ("pvalue", "difference", "low", "high", "expected"),
    [
        # the golden report: EA +0.22 (OLS) -> +0.05 [-0.14, +0.41] bias-corrected, p 0.64
        (0.64, 0.05, -0.14, 0.41,
         "difference is +0.05 [-0.14, +0.41] (block-bootstrap 95% interval), not significant "
         "(p 0.64)."),
        (0.01, 0.21, 0.06, 0.35,
         "difference is +0.21 [+0.06, +0.35] (block-bootstrap 95% interval), significant "
         "(p 0.01)."),
        # the verdict is read from the interval: a p-value near 0.05 with an interval that
        # covers zero stays "not significant"
        (0.04, 0.10, -0.01, 0.30,
         "difference is +0.10 [-0.01, +0.30] (block-bootstrap 95% interval), not significant "
         "(p 0.04)."),
        (None, 0.0, 0.0, 0.0, "(no bias-corrected test was run)."),
    ],
)  # fmt: skip
def test_the_verdict_follows_the_bias_corrected_interval(
    pvalue: float | None, difference: float, low: float, high: float, expected: str
) -> None:
    studies = _studies(pvalue, difference, low, high)
    sentence = _linkage_sentence(cast(Any, studies), "more", "{a}", "{b}")
    assert sentence.startswith("Foreign bonds: in the OLS-VAR split")
    assert sentence.endswith(expected)
