"""The curve, term-premium and study results classes use the Results base (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull._results import Results
from ustpull.crossasset.connectedness.global_yields import GlobalYieldsConnectedness
from ustpull.curves.nss import CurveFitResults
from ustpull.curves.nss_prices import PriceFitResults
from ustpull.studies.term_premia import TermPremia
from ustpull.termpremium.bands import TermPremiumBands
from ustpull.termpremium.countries import CountryTermPremium
from ustpull.termpremium.real_bands import NominalRealBands
from ustpull.termpremium.realtime import RealTimeTermPremium

CLASSES = [
    CurveFitResults,
    PriceFitResults,
    CountryTermPremium,
    TermPremiumBands,
    NominalRealBands,
    RealTimeTermPremium,
    GlobalYieldsConnectedness,
    TermPremia,
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_class_takes_str_and_html_from_the_base(cls: type) -> None:
    assert issubclass(cls, Results)
    assert "__str__" not in vars(cls) and "_repr_html_" not in vars(cls)
    assert "summary" in vars(cls)


def test_term_premium_bands_summary_reads_the_last_date() -> None:
    dates = pd.to_datetime(["2024-11-30", "2024-12-31"])
    frame = pd.DataFrame([[0.5, 1.0], [0.6, 1.2]], index=dates, columns=[60, 120])
    bands = TermPremiumBands(frame, frame - 0.25, frame + 0.5, frame * 0 + 0.2, 0.9, 100, 12)
    text = str(bands)
    assert text.startswith("Term-premium bands: 90% two-sided, 100 replications, 12-month")
    assert "2024-12-31" in text
    row = text.splitlines()[-1].split()
    assert row == ["120", "1.2", "0.95", "1.7", "0.2"]
    assert bands._repr_html_().startswith("<pre>Term-premium bands")


def test_real_time_summary_is_the_gap_table() -> None:
    ends = pd.to_datetime(["2020-01-31", "2020-02-29"])
    full = pd.DataFrame({120: [1.0, 2.0]}, index=ends)
    live = RealTimeTermPremium(full + np.array([[0.01], [0.03]]), full)
    lines = str(live).splitlines()
    assert lines[0].startswith("Real-time term premium: 2 window ends 2020-01-31..2020-02-29")
    assert lines[-1].split()[:4] == ["120", "2.0", "2.24", "3.0"]  # mean, rms, max |gap| (bp)
