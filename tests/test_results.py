"""The results base: str, notebook HTML, to_frame and to_dict from one summary and one table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ustpull._results import Results


class _TableOnly(Results):
    def summary(self) -> str:
        return "Table <A & B>"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"beta": [0.5, np.nan], "n": [10, 12]}, index=pd.Index(["us", "de"], name="market")
        )


class _DictOnly(Results):
    def summary(self) -> str:
        return "Dict"

    def to_dict(self) -> dict[str, object]:
        return {"tci": 37.5, "nobs": 250, "label": "1-5", "table": {"a": 1.0}}


class _Neither(Results):
    def summary(self) -> str:
        return "Nothing"


def test_str_is_the_summary_and_html_escapes_it_above_the_table() -> None:
    results = _TableOnly()
    assert str(results) == "Table <A & B>"
    page = results._repr_html_()
    assert page.startswith("<pre>Table &lt;A &amp; B&gt;</pre><table")
    assert "<td>0.5</td>" in page and "<td>NaN</td>" in page


def test_to_dict_from_the_table_is_json_ready() -> None:
    out = _TableOnly().to_dict()
    assert out == {"us": {"beta": 0.5, "n": 10}, "de": {"beta": None, "n": 12}}
    assert json.loads(json.dumps(out)) == out
    assert type(out["us"]["n"]) is int  # NumPy scalars become Python scalars


def test_to_frame_from_the_dict_keeps_the_scalars() -> None:
    frame = _DictOnly().to_frame()
    assert list(frame.index) == ["tci", "nobs", "label"]  # the nested table is left out
    assert frame.loc["tci", "value"] == 37.5
    assert frame.loc["nobs", "value"] == 250
    assert "<table" in _DictOnly()._repr_html_()


def test_a_class_with_neither_says_so() -> None:
    results = _Neither()
    with pytest.raises(NotImplementedError, match="_Neither defines neither"):
        results.to_frame()
    with pytest.raises(NotImplementedError, match="_Neither defines neither"):
        results.to_dict()
    assert results._repr_html_() == "<pre>Nothing</pre>"  # no table, still displayable


def test_summary_is_required() -> None:
    class _NoSummary(Results):
        pass

    with pytest.raises(TypeError, match="abstract"):
        _NoSummary()  # type: ignore[abstract]


def test_every_crossasset_and_bootstrap_results_class_uses_the_base() -> None:
    import ustpull.crossasset as crossasset
    from ustpull.curves.bootstrap import BatchBootstrapResults, BootstrapResults
    from ustpull.termpremium import ACMResults, NominalRealResults

    results_classes = [
        getattr(crossasset, name) for name in crossasset.__all__ if name.endswith("Results")
    ]
    assert len(results_classes) >= 20
    others = [BootstrapResults, BatchBootstrapResults, ACMResults, NominalRealResults]
    for cls in [*results_classes, *others]:
        assert issubclass(cls, Results), cls.__name__
        assert "__str__" not in vars(cls), f"{cls.__name__} writes its own __str__"
        assert "_repr_html_" not in vars(cls), f"{cls.__name__} writes its own _repr_html_"
