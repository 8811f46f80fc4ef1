"""Validation done ahead by the parsing helper (:func:`validate_ahead`) is used only when it
cannot depend on the store: a batch that describes every series it holds. Otherwise the
store validates the batch again against its own metadata."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from tests.store.batches import batch
from ustpull.store import Store
from ustpull.store._store import _validated, validate_ahead


def test_a_self_described_batch_is_validated_alike(tmp_path: Path) -> None:
    payload = batch({"syn.a": [("2024-01-02", 4.0), ("2024-01-03", 99999.0), ("2024-01-02", 4.1)]})
    ahead = validate_ahead(payload)
    assert ahead.self_described
    expected = _validated(payload, set())
    pd.testing.assert_frame_equal(ahead.observations, expected[0])
    pd.testing.assert_frame_equal(ahead.rejections, expected[1])
    assert list(ahead.rejections["reason"].str[:9]) == ["value out", "duplicate"]
    with Store(tmp_path / "s.duckdb") as store:
        report = store.ingest([payload], ahead=[ahead])
    assert report.rows_new == 1 and report.rows_rejected == 2


def test_a_row_of_a_series_only_the_store_describes_is_validated_again(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.ingest([batch({"syn.known": [("2024-01-02", 1.0)]})])
        both = batch({"syn.new": [("2024-01-02", 2.0)]})
        extra = pd.DataFrame(
            {"series_id": ["syn.known"], "date": [pd.Timestamp("2024-01-03")], "value": [1.5]}
        ).astype({"series_id": "str", "date": "datetime64[us]"})
        both = replace(both, observations=pd.concat([both.observations, extra], ignore_index=True))
        ahead = validate_ahead(both)
        assert not ahead.self_described  # without the store, syn.known has no metadata
        assert list(ahead.rejections["series_id"]) == ["syn.known"]
        report = store.ingest([both], ahead=[ahead])
        assert report.rows_new == 2 and report.rows_rejected == 0  # the store knows syn.known
        assert store.series("syn.known").to_list() == [1.0, 1.5]
