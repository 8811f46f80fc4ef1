"""``ustpull curves nss``: NSS fits of a yield source written one row per date."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import numpy as np
import pandas as pd
import pytest

from ustpull._typing import YieldSourceName
from ustpull.cli.main import main
from ustpull.curves.nss import nss_zero_yield
from ustpull.curves.nss_sources import NSS_SOURCES, fit_nss_source, yield_source
from ustpull.errors import DataError
from ustpull.sources.local import load_frame
from ustpull.store import Store, ingest_local

COLUMNS = [
    "date",
    "beta0",
    "beta1",
    "beta2",
    "beta3",
    "tau1",
    "tau2",
    "rmse_bp",
    "max_error_bp",
    "converged",
    "model",
    "status",
    "n_excluded",
    "excluded",
    "span_from_years",
    "span_to_years",
    "curve_from_years",
    "curve_to_years",
]


def test_gsw_source_from_data_dir(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "nss.csv"
    code = main(
        [
            "curves", "nss", "--source", "gsw", "--data-dir", str(shared_data),
            "--start", "2020-03-02", "--end", "2020-03-31", "--output", str(output),
        ]
    )  # fmt: skip
    assert code == 0
    frame = pd.read_csv(output)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 22  # business days of March 2020 in the GSW file
    assert frame["date"].iloc[0] == "2020-03-02"
    assert frame["converged"].all()
    # published GSW yields are NSS values rounded to 4 decimals: the fit is at that floor
    assert frame["max_error_bp"].max() < 0.02
    assert "gsw: 22 dates 2020-03-02..2020-03-31" in capsys.readouterr().out


def test_cmt_source_from_store(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --data-dir the command reads the store (here filled from the shared data)."""
    ingest_local(shared_data, store=Store(tmp_store), entries=["ust_cmt_daily"])
    panel = load_frame(yield_source("cmt").ids, shared_data).loc["2024-06-03":"2024-06-28"]
    output = tmp_path / "cmt.csv"
    code = main(
        [
            "curves", "nss", "--source", "cmt", "--start", "2024-06-03", "--end", "2024-06-28",
            "--output", str(output),
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    frame = pd.read_csv(output)
    assert len(frame) == len(panel.dropna(how="all")) == 19
    assert frame["rmse_bp"].median() < 6.0


def test_the_source_choices_are_the_table_of_sources() -> None:
    assert list(get_args(YieldSourceName)) == list(NSS_SOURCES)


def test_unknown_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["curves", "nss", "--source", "bunds", "--output", str(tmp_path / "x.csv")])
    assert code == 2
    assert "'bunds' is not one of 'gsw', 'cmt'" in capsys.readouterr().err


def test_empty_window_is_a_usage_error(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "curves", "nss", "--source", "ecb-aaa", "--data-dir", str(shared_data),
            "--start", "1990-01-01", "--end", "1990-12-31", "--output", str(tmp_path / "x.csv"),
        ]
    )  # fmt: skip
    assert code == 2
    assert "no 'ecb-aaa' yields" in capsys.readouterr().err


def test_source_table() -> None:
    assert sorted(NSS_SOURCES) == ["bund", "cmt", "ecb-aaa", "gsw", "jgb", "treasury-par"]
    assert yield_source("gsw").ids[9] == "us.gsw.zero.10y"
    assert yield_source("jgb").ids[-1] == "jp.mof.par.40y"
    assert yield_source("cmt").basis == "par" and yield_source("ecb-aaa").basis == "zero"


def test_annual_par_yields_are_fitted_on_their_own_basis() -> None:
    """Bund: annual coupons, annual compounding (conventions table). A flat 4 % annual par
    curve is the flat zero curve ln(1.04) = 3.92207 % continuously compounded; on the old
    semiannual restatement it would have been fitted at 2 (sqrt(1.04) - 1) = 3.96078 %."""
    source = yield_source("bund")
    assert source.market == "bund" and source.coupon_frequency == 1
    index = pd.bdate_range("2024-01-01", periods=1)
    yields = pd.DataFrame([[4.0] * 6], index=index, columns=list(source.ids))
    results = fit_nss_source(source, yields)
    np.testing.assert_allclose(results.fitted.to_numpy(), 4.0, atol=1e-3)  # 0.1 bp
    zero = nss_zero_yield(results.params.to_numpy(), [1.0, 5.0, 30.0])
    np.testing.assert_allclose(zero, 100 * np.log(1.04), atol=2e-3)
    with pytest.raises(DataError, match="lack series"):
        fit_nss_source(source, yields.iloc[:, :3])
