"""Lazy public names (PEP 562): one helper serves the curves and crossasset layers."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from ustpull._lazy import lazy_names


def test_a_name_is_imported_on_first_use_and_kept() -> None:
    namespace: dict[str, Any] = {"local": 1}
    attribute, names = lazy_names("pkg", {"sqrt": "math", "dumps": "json"}, namespace)
    assert names() == ["dumps", "local", "sqrt"]
    import math

    assert attribute("sqrt") is math.sqrt and namespace["sqrt"] is math.sqrt
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute 'cbrt'"):
        attribute("cbrt")


@pytest.mark.parametrize(
    ("layer", "name", "module"),
    [("curves", "ZeroCurve", "zero_curve"), ("crossasset", "DCCGarch", "dcc")],
)
def test_layers_load_a_model_only_when_asked(layer: str, name: str, module: str) -> None:
    loaded = f"'ustpull.{layer}.{module}' in sys.modules"
    code = (
        f"import sys, ustpull.{layer} as layer\n"
        f"before = {loaded}\n"
        f"value = layer.{name}\n"
        f"print(before, {loaded}, '{name}' in dir(layer), value.__name__)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True", "True", name]


def test_studies_load_only_what_is_asked_for() -> None:
    """``from ustpull.studies import load_frame`` (every CLI command's data route) does not
    import the report-only studies (connectedness, DCC, regimes) until they are used."""
    import subprocess
    import sys

    code = (
        "import sys; from ustpull.studies import load_frame, StudySettings; "
        "print(int('ustpull.studies.run' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
