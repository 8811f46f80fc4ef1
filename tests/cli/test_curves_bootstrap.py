"""``ustpull curves bootstrap`` on FedInvest price files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ustpull.cli.main import main

SUBSET = Path("treasury") / "treasurydirect_securityprice_2024-06-26_subset.csv"
COLUMNS = [
    "maturity_years",
    "discount_factor",
    "zero_yield_cc",
    "zero_yield_sa",
    "par_yield",
    "forward_instantaneous",
]


def test_bootstrap_writes_the_monthly_curve(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "curve.csv"
    code = main(
        [
            "curves",
            "bootstrap",
            "--prices",
            str(shared_data / SUBSET),
            "--date",
            "2024-06-26",
            "--output",
            str(output),
            "--interpolation",
            "monotone_convex",
        ]
    )
    assert code == 0
    assert "89 securities repriced" in capsys.readouterr().out
    curve = pd.read_csv(output)
    assert list(curve.columns) == COLUMNS
    assert len(curve) == 358  # monthly out to the 2054-05-15 bond
    ten_year = curve.loc[curve["maturity_years"].sub(10).abs().idxmin()]
    # same value as the Python API (tests/curves/test_bootstrap.py: within 10 bp of GSW 4.2946)
    assert ten_year["zero_yield_cc"] == pytest.approx(4.2946, abs=0.10)
    assert ten_year["par_yield"] > ten_year["zero_yield_cc"]


def test_headerless_live_download_needs_the_date(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the live FedInvest download has no header and no PRICE_DATE column
    raw = pd.read_csv(shared_data / SUBSET, dtype=str).drop(columns="PRICE_DATE")
    live = tmp_path / "securityprice.csv"
    raw.to_csv(live, header=False, index=False)
    output = tmp_path / "curve.csv"
    arguments = ["curves", "bootstrap", "--prices", str(live), "--output", str(output)]
    assert main(arguments) == 2
    assert "PRICE_DATE" in capsys.readouterr().err
    assert main([*arguments, "--date", "2024-06-26"]) == 0
    assert len(pd.read_csv(output)) == 358


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("not,a,price,file\n1,2,3,4\n", ["--date", "2024-06-26"], "not a CUSIP: 'NOT'"),
        (
            "PRICE_DATE,CUSIP,SECURITY_TYPE\n2024-06-26,912796Y52,MARKET BASED BILL\n",
            [],
            "column(s) ['RATE', 'MATURITY_DATE', 'CALL_DATE', 'BUY', 'SELL'] missing",
        ),
        (
            None,
            ["--interpolation", "cubic"],
            "'cubic' is not one of 'log_linear_discount', 'linear_zero', 'monotone_convex', "
            "'log_cubic'",
        ),
        (None, ["--date", "2024-06-25"], "prices are for 2024-06-26, not --date 2024-06-25"),
    ],
)
def test_bad_input_exits_2(
    shared_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    extra: list[str],
    message: str,
) -> None:
    prices = shared_data / SUBSET
    if content is not None:
        prices = tmp_path / "bad.csv"
        prices.write_text(content)
    code = main(
        [
            "curves",
            "bootstrap",
            "--prices",
            str(prices),
            "--output",
            str(tmp_path / "out.csv"),
            *extra,
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "curves",
            "bootstrap",
            "--prices",
            str(tmp_path / "none.csv"),
            "--output",
            str(tmp_path / "out.csv"),
        ]
    )
    assert code == 2
    assert "none.csv" in capsys.readouterr().err
