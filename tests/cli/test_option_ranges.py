"""Every bad option value exits 2 before any work, with one line: option, value, expectation."""

from __future__ import annotations

import time

import pytest

from ustpull.cli.main import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["termpremium", "--output", "x.csv", "--replications", "1000000000"],
         "--replications: 1000000000 is out of range; expected a number of replications in "
         "[1, 100000]"),
        (["ingest", "--lock-timeout", "nan"], "--lock-timeout: nan is out of range"),
        (["ingest", "--lock-timeout", "-1"], "--lock-timeout: -1.0 is out of range"),
        (["ingest", "--timeout", "inf"], "--timeout: inf is out of range"),
        (["dollar", "--output", "x.json", "--fiscal-threshold", "nan"], "--fiscal-threshold: nan"),
        (["dollar", "--output", "x.json", "--fiscal-threshold", "-1"], "--fiscal-threshold: -1.0"),
        (["series", "show", "us.cmt.10y", "--start", "01/03/2020"],
         "--start: '01/03/2020' is not a date in ISO form; expected YYYY-MM-DD"),
        (["series", "show", "us.cmt.10y", "--start", "13/02/2020"], "--start: '13/02/2020'"),
        (["report", "--as-of", "03.01.2020"], "--as-of: '03.01.2020' is not a date"),
        (["report", "--timeout", "nan"], "--timeout: nan is out of range"),
        (["stocks", "--output", "x.json", "--stock-weight", "1.5"], "--stock-weight: 1.5"),
        (["stocks", "--output", "x.json", "--break", "2000/01/01"], "--break: '2000/01/01'"),
        (["events", "--start", "2013-05-01", "--end", "5/1/2013"], "--end: '5/1/2013'"),
        (["connectedness", "x.csv", "--level", "95"],
         "--level: 95.0 is out of range; expected a two-sided coverage in [0.5, 0.999]"),
    ],
)  # fmt: skip
def test_bad_option_exits_2_at_once(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1  # one line
    assert time.perf_counter() - started < 5.0  # refused before any work


def test_store_path_that_is_a_directory_exits_2(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    assert main(["series", "list", "--store", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
