"""Published comparisons: NY Fed check values, the fidelity table, Kim-Wright statistics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.sources._payloads import acm_payload
from ustpull.errors import DataError
from ustpull.sources.nyfed_acm import parse_acm_xls
from ustpull.store import Store
from ustpull.termpremium.published import (
    NYFED_ACM_CHECKS,
    NYFED_TP_IDS,
    compare_series,
    comparison_text,
    fidelity_table,
    nyfed_gaps,
    nyfed_series_gaps,
    stored_nyfed_series,
)


def _published_frame(shift_bp: float) -> pd.DataFrame:
    """Month-ends 1961-2025 whose 2- and 10-year columns are the published values + shift."""
    index = pd.date_range("1961-06-30", "2025-09-30", freq="ME")
    frame = pd.DataFrame(0.0, index=index, columns=[24, 120])
    for row in NYFED_ACM_CHECKS.itertuples():
        frame.loc[row.month, 12 * row.years] = row.published + shift_bp / 100
    return frame


def test_gaps_and_table_by_decade() -> None:
    gaps = nyfed_gaps(_published_frame(2.5))
    assert len(gaps) == 18
    np.testing.assert_allclose(gaps["gap_bp"], 2.5, atol=1e-9)
    table = fidelity_table(gaps)
    assert table.loc["all", ("rms_bp", 10)] == 2.5
    assert table.loc["all", ("n", 10)] == 12
    assert table.loc["2020s", ("n", 10)] == 3
    assert table.loc["1970s", ("n", 2)] == 1
    assert np.isnan(table.loc["1960s", ("rms_bp", 2)])
    assert list(table.index) == [
        "1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "2020s", "all"
    ]  # fmt: skip


def test_gaps_need_a_check_month() -> None:
    frame = pd.DataFrame({120: [0.1]}, index=pd.DatetimeIndex(["1962-01-31"]))
    with pytest.raises(DataError, match="none of the NY Fed check months"):
        nyfed_gaps(frame)


def test_compare_series_on_month_ends() -> None:
    days = pd.bdate_range("2020-01-01", "2020-12-31")
    theirs = pd.Series(np.linspace(0.0, 1.0, len(days)), index=days)
    ours = theirs + 0.1
    ours.iloc[-1] = np.nan  # the last month-end of ours is its previous business day
    stats = compare_series(ours, theirs, name="kw")
    assert stats["months"] == 12
    assert stats["first"] == "2020-01" and stats["last"] == "2020-12"
    assert stats["correlation"] == pytest.approx(1.0, abs=1e-3)
    assert stats.name == "kw"
    with pytest.raises(DataError, match="fewer than 3 common months with kw"):
        compare_series(ours.iloc[:30], theirs.iloc[-30:], name="kw")


def _our_premia(months: pd.DatetimeIndex, offset_bp: float) -> pd.DataFrame:
    """Month-end premia at 1..10 years equal to the payload's ACMTP{n} = 0.1 n, plus n x offset."""
    return pd.DataFrame({12 * n: 0.1 * n + n * offset_bp / 100 for n in range(1, 11)}, index=months)


def test_series_gaps_at_every_month_end_and_maturity(shared_data: Path, tmp_path: Path) -> None:
    # the NY Fed file's real layout (tests/sources/_payloads.acm_payload: ACMTP{n} = 0.1 n on
    # the GSW business days of 2019-2020), parsed and stored as an online ingest stores it
    store = Store(tmp_path / "acm.duckdb")
    payload = acm_payload(shared_data, start="2019-01-01", end="2020-12-31")
    store.ingest([parse_acm_xls(payload, origin="ACMTermPremium.xls")])
    published = stored_nyfed_series(tmp_path / "acm.duckdb")
    assert published is not None and list(published.columns) == list(NYFED_TP_IDS)
    months = pd.date_range("2018-06-30", "2021-03-31", freq="ME")
    ours = _our_premia(months, offset_bp=0.5)
    ours.iloc[:, :] += np.where(months.month == 12, 0.02, 0.0)[:, None]  # +2 bp each December
    gaps = nyfed_series_gaps(ours, published)
    assert len(gaps) == 24 * 10  # the 24 months of 2019-2020 at 10 maturities
    assert (gaps["month"].min(), gaps["month"].max()) == ("2019-01", "2020-12")
    table = fidelity_table(gaps)
    # n years: gap n/2 bp in 22 months, n/2 + 2 bp in the two Decembers
    for n in (1, 2, 5, 10):
        expected = np.sqrt((22 * (n / 2) ** 2 + 2 * (n / 2 + 2) ** 2) / 24)
        assert table.loc["all", ("rms_bp", n)] == pytest.approx(expected, abs=0.05)
        assert table.loc["2010s", ("n", n)] == 12
    text = comparison_text(ours, nyfed=published)
    assert "stored series, month-ends 2019-01..2020-12" in text


def test_series_gaps_need_a_common_month(shared_data: Path) -> None:
    published = pd.DataFrame({"us.acm.tp.2y": [0.2]}, index=pd.DatetimeIndex(["2019-01-31"]))
    ours = _our_premia(pd.DatetimeIndex(["2020-01-31"]), 0.0)
    with pytest.raises(DataError, match="share no month-end and maturity"):
        nyfed_series_gaps(ours, published)
    with pytest.raises(DataError, match="share no month-end and maturity"):
        nyfed_series_gaps(ours, published.rename(columns={"us.acm.tp.2y": "us.acm.tp.30y"}))


def test_no_stored_series_falls_back_to_the_check_values(tmp_path: Path) -> None:
    assert stored_nyfed_series(tmp_path / "never-created.duckdb") is None
    text = comparison_text(_published_frame(1.0), nyfed=None)
    assert text.startswith("NY Fed ACM (vintage 2025-07)")
    assert "all      1.0  1.0  6  12" in text
