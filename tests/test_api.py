"""The public API of ``ustpull``: entry points by name, imported lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import ustpull


def test_every_public_name_resolves_to_its_definition() -> None:
    defined_here = {"__version__", "ingest", "bootstrap"}
    assert sorted(set(ustpull.__all__) - defined_here) == sorted(ustpull._ENTRY_POINTS)
    assert {"load_frame", "ingest", "bootstrap"} <= set(ustpull.__all__)
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


def test_load_frame_is_the_studies_route() -> None:
    from ustpull.studies import load_frame

    assert ustpull.load_frame is load_frame


def test_ingest_dispatches_on_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    import ustpull.store

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(ustpull.store, "ingest_local", lambda d, **o: calls.append(("local", d)))
    monkeypatch.setattr(ustpull.store, "ingest_online", lambda **o: calls.append(("online", o)))
    ustpull.ingest("/data", entries=["x"])
    ustpull.ingest(sources=["fred"])
    assert calls == [("local", "/data"), ("online", {"sources": ["fred"]})]


def test_bootstrap_fits_one_day(shared_data: Path) -> None:
    import numpy as np

    from tests.curves.test_bonds import treasurydirect_table
    from ustpull.curves.bootstrap import Bootstrap

    table = treasurydirect_table(shared_data)
    direct = Bootstrap(table, "2024-06-27").fit()
    results = ustpull.bootstrap(table, "2024-06-27")
    np.testing.assert_array_equal(results.curve.discount_factors, direct.curve.discount_factors)
