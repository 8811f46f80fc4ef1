"""`ustpull dollar` and `ustpull events` on the shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ustpull.cli._summary import events_rows
from ustpull.cli.main import main


def test_events_library_episode_text_and_json(
    shared_data: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["events", "--episode", "taper-tantrum", "--series", "us.tips.10y"]
    assert main([*args, "--series", "us.sp500", "--data-dir", str(shared_data)]) == 0
    text = capsys.readouterr().out
    assert "2013-05-21 .. 2013-07-05" in text and "100.0" in text
    assert main([*args, "--json"]) == 0  # second call: from the store, no --data-dir
    payload = json.loads(capsys.readouterr().out)
    (change,) = payload["changes"]
    assert change["series"] == "us.tips.10y" and change["change"] == pytest.approx(100.0)
    # without the U.S. 10-year no announcement day is scored; the window is context
    assert "announcements" not in payload and "context only" in payload["narrative_note"]
    ((measure, value, span),) = events_rows(payload)
    assert measure == "context: taper-tantrum window, us.tips.10y change (bp)"
    assert (value, span) == ("100.0", "2013-05-21 .. 2013-07-05")


def test_events_on_a_store_without_announcement_days_runs_the_windows_only(
    shared_data: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The announcement series and the report's extra series are optional: a store holding
    only the five required series gives the narrative windows, labelled as context."""
    from ustpull.studies import load_frame

    required = ["us.tips.10y", "us.cmt.10y", "us.cmt.2y", "us.sp500", "fx.usd_broad"]
    load_frame(required, store=tmp_store, data_dir=shared_data)  # only these are stored
    assert main(["events", "--episode", "taper-tantrum", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "announcements" not in payload and "central_banks" not in payload
    changes = {row["series"]: row["change"] for row in payload["changes"]}
    assert sorted(changes) == sorted(required)
    assert changes["us.cmt.10y"] == pytest.approx(79.0)  # bp, 2013-05-21 .. 2013-07-05
    # a series asked for by name stays required: missing from the store, a one-line error
    assert main(["events", "--series", "de.govt.10y"]) == 2  # bad input
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "de.govt.10y" in err


def test_events_errors_are_one_line_with_exit_code_2(
    shared_data: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "--episode", "nope", "--data-dir", str(shared_data)]) == 2
    assert "known episodes: taper-tantrum" in capsys.readouterr().err
    assert main(["events", "--start", "2013-05-25"]) == 2
    assert "give both --start and --end" in capsys.readouterr().err
    code = main(
        [
            "events",
            "--start",
            "2013-05-25",
            "--end",
            "2013-05-26",
            "--series",
            "us.cmt.10y",
            "--data-dir",
            str(shared_data),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'us.cmt.10y' has no observation in window custom" in err


def test_dollar_writes_every_table(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "dollar.json"
    code = main(
        ["dollar", "--data-dir", str(shared_data), "--output", str(output), "--no-term-premium"]
    )
    assert code == 0
    payload = json.loads(output.read_text())
    # issue 16: growth states known at the time by default; the NBER/final-GDP smile and
    # headline-balance frown tables only with --ex-post-tables (below)
    assert set(payload) == {"dollar_index", "comovement", "relative_prices", "shape_tests"}
    assert payload["shape_tests"]["growth_source"].startswith("nonfarm payrolls")
    assert "published one month later" in payload["shape_tests"]["growth_source"]
    # issue 16: the tested verdicts (curvature interval, episode bootstrap) hold no shape
    shapes = payload["shape_tests"]
    assert [shapes[t]["verdict"] for t in ("growth", "risk_off", "fiscal")] == ["no shape"] * 3
    assert "expected_rate" not in payload["comovement"]["full_sample_correlation"]
    assert payload["comovement"]["full_sample_correlation"]["yield"] == pytest.approx(
        0.170, abs=0.01
    )
    growth = {row["state"]: row for row in shapes["growth"]["means"]}
    assert growth["low"]["mean"] == pytest.approx(-0.2733, abs=5e-4)  # % a month, 197 months
    assert growth["low"]["months"] == 197


def test_dollar_ex_post_tables_on_request(
    shared_data: Path, tmp_store: Path, tmp_path: Path
) -> None:
    output = tmp_path / "dollar.json"
    arguments = ["dollar", "--data-dir", str(shared_data), "--output", str(output)]
    assert main([*arguments, "--no-term-premium", "--ex-post-tables", "--quiet"]) == 0
    ex_post = json.loads(output.read_text())["ex_post_tables"]
    # the point means' ordering is descriptive (no verdict key), the verdict is the shape test
    smile = ex_post["smile"]
    assert smile["means_ordered"] is True and "smile_holds" not in smile
    assert smile["label"].startswith("descriptive, ex post")
    assert smile["table"][0]["state"] == "recession" and smile["table"][0]["months"] == 34
    assert "frown_holds" not in ex_post["frown"]


def test_model_caveats_print_as_one_line_warnings(shared_data: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    # a real process: pytest records warnings itself, so only a subprocess shows the format
    command = [
        str(Path(sys.executable).parent / "ustpull"),
        "termpremium",
        "--country",
        "JP",
        "--data-dir",
        str(shared_data),
        "--output",
        str(tmp_path / "jp.csv"),
    ]
    env = {**os.environ, "USTPULL_STORE": str(tmp_path / "store.duckdb")}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "ustpull: warning: JP: no quote under 1y" in done.stderr
    assert "zero_yields(curve, window)" not in done.stderr  # no source excerpt
