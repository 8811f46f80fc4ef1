"""The offline report, built once per session and shared by every test that reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ustpull.cli.main import main


@pytest.fixture(scope="session")
def report_root(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of one full report from an empty store (the CLI's offline main job): ``out``
    holds the report, ``store.duckdb`` the store it filled."""
    root = tmp_path_factory.mktemp("report")
    code = main(
        [
            "report",
            "--data-dir",
            str(shared_data),
            "--out",
            str(root / "out"),
            "--store",
            str(root / "store.duckdb"),
            "--quiet",
        ]
    )
    assert code == 0
    return root


@pytest.fixture(scope="session")
def report_dir(report_root: Path) -> Path:
    return report_root / "out"


@pytest.fixture(scope="session")
def report_store(report_root: Path) -> Path:
    """The store the report filled from the shared data (every catalogued file)."""
    return report_root / "store.duckdb"


@pytest.fixture(scope="session")
def findings(report_dir: Path) -> dict[str, object]:
    return json.loads((report_dir / "findings.json").read_text(encoding="utf-8"))
