"""The summary's euro-area linkage sentence rests on the bias-corrected bootstrap test."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pandas as pd
import pytest

from ustpull.report.section_foreign import _linkage_sentence


def _studies(pvalue: float | None, difference: float = 0.05) -> Any:
    if pvalue is None:
        return SimpleNamespace(linkage_bias_corrected=None)
    table = pd.DataFrame(
        {"bootstrap_pvalue": [pvalue], "difference_change": [difference]}, index=["ea"]
    )
    return SimpleNamespace(linkage_bias_corrected=SimpleNamespace(table=table))


@pytest.mark.parametrize(
    ("pvalue", "difference", "expected"),
    [
        # the golden report: EA +0.22 (OLS) -> +0.05 bias-corrected, bootstrap p 0.64
        (0.64, 0.05, "the difference is +0.05, not significant (bootstrap p 0.64)."),
        (0.01, 0.21, "the difference is +0.21, significant (bootstrap p 0.01)."),
        (None, 0.0, "(no bias-corrected test was run)."),
    ],
)
def test_the_verdict_follows_the_bias_corrected_test(
    pvalue: float | None, difference: float, expected: str
) -> None:
    sentence = _linkage_sentence(cast(Any, _studies(pvalue, difference)), "more", "{a}", "{b}")
    assert sentence.startswith("Foreign bonds: in the OLS-VAR split")
    assert sentence.endswith(expected)
