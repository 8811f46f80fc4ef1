"""The ``ustpull connectedness FILE.csv`` command: table, JSON, bands and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ustpull.cli.main import main


def test_static_var_prints_the_dy2012_table_and_writes_json(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "dy.json"
    csv = shared_data / "connectedness" / "dy2012.csv"
    code = main(["connectedness", str(csv), "--lags", "4", "--output", str(output)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "TCI 12.59 %, corrected TCI 16.79 %" in captured.out
    assert "NET         5.13  -0.54     -1.69  -2.90" in captured.out
    payload = json.loads(output.read_text())
    assert payload["tci"] == pytest.approx(12.59, abs=0.005)
    assert payload["table"]["R_10Y"]["SP500"] == pytest.approx(10.21, abs=0.005)
    assert set(payload["net"]) == {"SP500", "R_10Y", "DJUBSCOM", "USDX"}


def test_residual_bootstrap_intervals_are_printed(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = shared_data / "connectedness" / "dy2012.csv"
    args = ["--lags", "4", "--draws", "100", "--bootstrap", "residual", "--seed", "1"]
    assert main(["connectedness", str(csv), *args]) == 0
    out = capsys.readouterr().out
    # 95% by default, as every interval of the report (was 90%)
    assert "Intervals (95%, 100 draws):" in out
    line = next(row for row in out.splitlines() if row.startswith("tci "))
    estimate, lower, upper = map(float, line.split()[1:])
    assert estimate == pytest.approx(12.59, abs=0.005) and lower < estimate < upper
    assert main(["connectedness", str(csv), *args, "--level", "0.9"]) == 0
    out90 = capsys.readouterr().out
    assert "Intervals (90%, 100 draws):" in out90
    line90 = next(row for row in out90.splitlines() if row.startswith("tci "))
    _, lower90, upper90 = map(float, line90.split()[1:])
    # same seed and draws: the 90% interval lies inside the 95% one
    assert lower <= lower90 < upper90 <= upper and (lower, upper) != (lower90, upper90)


def test_tvp_var_with_bands_prints_json(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 600 rows of the crude-oil returns on weekly (Friday) dates, so the bands read in weeks.
    oil = pd.read_csv(shared_data / "connectedness" / "cgg2022.csv", index_col=0).iloc[:600]
    oil.index = pd.date_range("2000-01-07", periods=600, freq="W-FRI", name="date")
    csv = tmp_path / "oil.csv"
    oil.to_csv(csv)
    args = ["--model", "tvp-var", "--horizon", "50", "--bands", "1,4,inf", "--json"]
    code = main(["connectedness", str(csv), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    payload = json.loads(captured.out)
    assert set(payload["bands"]) == {"1-4 weeks", "4+ weeks"}
    parts = sum(band["tci"] for band in payload["bands"].values())
    assert parts == pytest.approx(payload["tci"], abs=1e-9)
    assert len(payload["net_t"]["USA"]) == 600
    assert payload["specification"]["prior"] == "bayes"
    assert payload["specification"]["bands"] == "1,4,inf"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "date,a,b\n2020-01-01,1,2\n2020-01-02,x,3\n",
            [],
            "column 'a', line 3: 'x' is not a number",
        ),
        ("date,a\n2020-01-01,1\n", [], "at least two series columns"),
        ("i,a,b\n1,1,2\n2,3,4\n3,5,7\n", ["--bands", "2,5"], "first band boundary must be 1"),
        ("i,a,b\n1,1,2\n2,,4\n3,5,7\n", [], "a has a missing or non-finite value at row 2"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, args: list[str], message: str
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(content)
    assert main(["connectedness", str(csv), *args]) == 2
    assert message in capsys.readouterr().err


def test_groups_split_total_connectedness(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = shared_data / "connectedness" / "dy2012.csv"
    output = tmp_path / "groups.json"
    groups = ["--group", "assets=SP500,R_10Y,DJUBSCOM", "--group", "dollar=USDX"]
    assert main(["connectedness", str(csv), "--lags", "4", *groups, "--output", str(output)]) == 0
    assert "Groups: internal" in capsys.readouterr().out
    split = json.loads(output.read_text())["groups"]
    # published dy2012 table: USDX row/column sums 14.27 (FROM) and 11.36 (TO)
    assert split["external"] == pytest.approx((14.27 + 11.36) / 4, abs=0.01)
    assert split["internal"] + split["external"] == pytest.approx(12.59, abs=0.005)
    assert split["net"]["dollar"] == pytest.approx((11.36 - 14.27) / 4, abs=0.01)
    assert main(["connectedness", str(csv), "--group", "x=SP500"]) == 2
    assert "every series once" in capsys.readouterr().err
    assert main(["connectedness", str(csv), "--group", "nonsense"]) == 2
    assert "write NAME=series,series" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connectedness", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
