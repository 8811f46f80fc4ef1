"""The import-linter contracts of pyproject.toml hold (CI also runs ``lint-imports``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():  # pragma: no cover - installed by the dev extra
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail("lint-imports is not installed: pip install -e '.[dev]'")
        exe = Path(found)
    return subprocess.run(
        [str(exe), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_layers_contract_is_kept() -> None:
    run = _lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
    assert "Layers: sources -> store" in run.stdout


def test_an_upward_import_breaks_a_layers_contract(tmp_path: Path) -> None:
    """The linter sees the real imports: sources placed above cli is reported broken."""
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_package = ustpull\n\n"
        "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
        "layers =\n    ustpull.sources\n    ustpull.cli\n"
    )
    run = _lint_imports("--config", str(config))
    assert run.returncode == 1
    assert "upside down BROKEN" in run.stdout
    assert "ustpull.cli" in run.stdout
