"""``--workers`` and ``--dask-scheduler``: the same output files as a serial run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ustpull.cli.main import main
from ustpull.crossasset.connectedness import WINDOW_CHUNK

EXECUTOR_OPTIONS = {
    "processes": ["--workers", "2"],
    "dask": ["--dask-scheduler", "local", "--workers", "2"],
}


@pytest.fixture(scope="module")
def nss_serial(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _nss_csv(shared_data, tmp_path_factory.mktemp("serial"), [])


def _nss_csv(shared_data: Path, folder: Path, options: list[str]) -> bytes:
    output = folder / "gsw.csv"
    code = main(
        [
            "curves", "nss", "--source", "gsw", "--data-dir", str(shared_data),
            "--start", "2020-01-01", "--end", "2020-06-30", "--output", str(output), *options,
        ]
    )  # fmt: skip
    assert code == 0
    return output.read_bytes()


@pytest.mark.parametrize("executor", sorted(EXECUTOR_OPTIONS))
def test_curves_nss_same_file(
    executor: str, shared_data: Path, tmp_path: Path, nss_serial: bytes
) -> None:
    """GSW zero yields of 2020H1 (125 dates): byte-identical CSV on every executor."""
    assert nss_serial.count(b"\n") == 126  # header + 125 dates
    assert _nss_csv(shared_data, tmp_path, EXECUTOR_OPTIONS[executor]) == nss_serial


def test_termpremium_bands_same_file(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    """Euro-area ACM bands, 100 replications in two 50-replication chunks."""
    outputs = []
    for name, options in (("serial", []), ("pool", EXECUTOR_OPTIONS["processes"])):
        output = tmp_path / f"{name}.csv"
        code = main(
            [
                "termpremium", "--country", "EA", "--data-dir", str(shared_data),
                "--end", "2020-12-31", "--bands", "--replications", "100",
                "--output", str(output), *options,
            ]
        )  # fmt: skip
        assert code == 0
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"term_premium_10y_upper" in outputs[0]


def test_foreign_bonds_same_file(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    """Daily connectedness since 1990 (asked for; > one block of 2,500 windows) and the U.S. and
    euro-area term-premium models as separate units: the same JSON on a 2-process pool."""
    outputs = []
    for name, options in (("serial", []), ("pool", EXECUTOR_OPTIONS["processes"])):
        output = tmp_path / f"{name}.json"
        code = main(
            [
                "foreign-bonds", "--data-dir", str(shared_data), "--output", str(output),
                "--linkage-country", "US", "--linkage-country", "EA", "--frequency", "daily",
                *options,
            ]
        )  # fmt: skip
        assert code == 0
        outputs.append(output.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    payload = json.loads(outputs[0])
    assert len(payload["rolling_connectedness"]["total"]) > 2 * WINDOW_CHUNK
    assert "linkage" in payload


def test_bad_worker_count_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["curves", "nss", "--source", "gsw", "--workers", "0", "--output", str(tmp_path / "x")]
    )
    assert code == 2
    assert "--workers must be at least 1, got 0" in capsys.readouterr().err
