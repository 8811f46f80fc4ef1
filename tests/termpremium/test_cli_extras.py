"""``ustpull termpremium`` options --real, --compare and --real-time on the shared data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.sources._payloads import acm_payload
from ustpull.cli.main import main
from ustpull.sources.nyfed_acm import parse_acm_xls
from ustpull.store import Store


def test_real_writes_the_decomposition(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "real.csv"
    args = ["termpremium", "--country", "US", "--real", "--data-dir", str(shared_data)]
    assert main([*args, "--bands", "--replications", "200", "--output", str(output)]) == 0
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    assert (frame.index[0], len(frame)) == (pd.Timestamp("2003-01-31"), 273)
    for n in range(2, 11):
        for name in ("real_term_premium", "inflation_risk_premium", "expected_inflation"):
            assert f"{name}_{n}y" in frame.columns
        assert f"liquidity_premium_{n}y" in frame.columns
        np.testing.assert_allclose(
            frame[f"term_premium_{n}y"],
            frame[f"real_term_premium_{n}y"] + frame[f"inflation_risk_premium_{n}y"],
            atol=2e-6,  # six decimals in the file
        )
    printed = capsys.readouterr().out
    assert "Joint nominal-real affine model" in printed
    assert "90% VAR-uncertainty bands from" in printed
    inside = frame["term_premium_10y"].between(
        frame["term_premium_10y_lower"], frame["term_premium_10y_upper"]
    )
    assert inside.all()
    assert (frame["expected_inflation_5y_upper"] > frame["expected_inflation_5y_lower"]).all()


def test_compare_and_real_time(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "us.csv"
    args = ["termpremium", "--compare", "--real-time", "--data-dir", str(shared_data)]
    assert main([*args, "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "all      8.2  3.0  6  12" in printed  # cmt_bills short rate (test_real_us)
    assert "month-ends 2016-09..2025-09 (109 months)" in printed
    assert "mean gap -46.6 bp" in printed  # -46.7 before the bounded NSS refits of 2018-2022
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    live = frame["term_premium_10y_real_time"]
    assert live.first_valid_index() == pd.Timestamp("1971-05-28")  # the 120th month-end
    assert live.iloc[-1] == pytest.approx(frame["term_premium_10y"].iloc[-1], abs=1e-6)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--country", "EA", "--real"], "--real and --compare are for --country US"),
        (["--freq", "daily", "--real-time"], "use --freq monthly"),
        (["--real", "--compare"], "--real runs alone"),
    ],
)
def test_bad_combinations_exit_2(
    extra: list[str],
    message: str,
    tmp_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["termpremium", *extra, "--output", str(tmp_path / "x.csv")]) == 2
    assert message in capsys.readouterr().err


def test_real_with_a_liquidity_series(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    # any stored series can stand in as a TIPS liquidity factor; the high-yield OAS (from
    # 1996-12) is only a test stand-in, not a TIPS liquidity measure
    output = tmp_path / "real_liquidity.csv"
    args = ["termpremium", "--real", "--liquidity", "us.hy_oas", "--data-dir", str(shared_data)]
    assert main([*args, "--output", str(output)]) == 0
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    assert frame["liquidity_premium_10y"].abs().max() > 0.01
    np.testing.assert_allclose(
        frame["term_premium_10y"],
        frame["real_term_premium_10y"] + frame["inflation_risk_premium_10y"],
        atol=2e-6,
    )


def test_compare_uses_the_stored_nyfed_series(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an online ingest of the NY Fed file (real layout, tests/sources/_payloads.acm_payload:
    # ACMTP{n} = 0.1 n on the GSW days of 2020-2022) puts us.acm.tp.{1..10}y in the store;
    # --compare then measures every month-end at 1..10 years instead of the 18 check values
    Store(tmp_store).ingest(
        [parse_acm_xls(acm_payload(shared_data, start="2020-01-01", end="2022-12-31"), origin="u")]
    )
    args = ["termpremium", "--compare", "--data-dir", str(shared_data), "--start", "2000-01-01"]
    assert main([*args, "--output", str(tmp_path / "us.csv")]) == 0
    printed = capsys.readouterr().out
    assert "NY Fed ACM (stored series, month-ends 2020-01..2022-12)" in printed
    table = printed.split("(n = months)")[1].split("Kim-Wright")[0].splitlines()
    (every,) = [line.split() for line in table if line.startswith("all")]
    assert every[-10:] == ["36"] * 10  # 36 months at each of the 10 maturities
