"""The public API of ``ustpull``: entry points by name, imported lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import ustpull


def test_every_public_name_resolves_to_its_definition() -> None:
    assert sorted(set(ustpull.__all__) - {"__version__"}) == sorted(ustpull._ENTRY_POINTS)
    for name, module in ustpull._ENTRY_POINTS.items():
        assert getattr(ustpull, name) is getattr(importlib.import_module(module), name)
    assert ustpull.__version__ == "0.1.0"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'fit_everything'"):
        ustpull.fit_everything  # noqa: B018


def test_import_ustpull_loads_no_layer_and_no_numpy() -> None:
    code = (
        "import sys, ustpull\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('ustpull.', 'numpy', 'pandas')))\n"
        "print(loaded)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['ustpull._version']"


@pytest.mark.parametrize("layer", ["curves", "crossasset", "termpremium"])
def test_model_layers_declare_all(layer: str) -> None:
    module = importlib.import_module(f"ustpull.{layer}")
    assert module.__all__, layer
    for name in module.__all__:
        assert hasattr(module, name), f"ustpull.{layer}.{name}"
