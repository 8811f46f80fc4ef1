"""The result cache: fingerprints that follow every input bit, and a store that never serves
a stale or broken entry."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.studies.cache import (
    ResultCache,
    cache_folder,
    canonical,
    fingerprint,
    frame_digest,
)
from ustpull.studies.settings import StudySettings


def _frame() -> pd.DataFrame:
    index = pd.date_range("2020-01-01", periods=50, freq="B", name="date")
    values = np.linspace(1.0, 2.0, 50)
    return pd.DataFrame({"us.cmt.10y": values, "fx.dxy": values[::-1] * 90.0}, index=index)


def test_frame_digest_follows_every_value_to_the_last_bit() -> None:
    frame = _frame()
    assert frame_digest(frame) == frame_digest(frame.copy())
    revised = frame.copy()
    revised.iloc[17, 1] = np.nextafter(revised.iloc[17, 1], np.inf)  # one ulp
    assert frame_digest(revised) != frame_digest(frame)
    missing = frame.copy()
    missing.iloc[3, 0] = np.nan
    assert frame_digest(missing) != frame_digest(frame)
    later = frame.copy()
    later.index = later.index + pd.Timedelta(days=1)
    assert frame_digest(later) != frame_digest(frame)
    renamed = frame.rename(columns={"fx.dxy": "fx.usd_broad"})
    assert frame_digest(renamed) != frame_digest(frame)


def test_fingerprint_follows_settings_and_is_the_same_in_every_process() -> None:
    settings = StudySettings()
    base = fingerprint(("dollar", _frame(), "2025-10-03", settings))
    assert base == fingerprint(("dollar", _frame(), "2025-10-03", StudySettings()))
    changed = dataclasses.replace(settings, dollar_window=26)
    assert fingerprint(("dollar", _frame(), "2025-10-03", changed)) != base
    assert fingerprint(("dollar", _frame(), "2025-10-04", settings)) != base
    # a set's repr follows the per-process string hash; its canonical text does not
    assert canonical(frozenset({"b", "a", "c"})) == "{'a', 'b', 'c'}"


def test_cache_round_trip_broken_entry_and_pruning(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "studies", keep=2)
    assert cache.get("k1") is None and cache.misses == 1
    cache.put("k1", {"value": 1.5})
    assert cache.get("k1") == {"value": 1.5} and cache.hits == 1
    path = cache.path("k1")
    assert path is not None
    path.write_bytes(pickle.dumps({"value": 1.5})[:5])  # truncated: a miss, never an error
    assert cache.get("k1") is None
    cache.put("k1", 1)
    cache.put("k2", 2)
    cache.put("k3", 3)
    assert len(list((tmp_path / "studies").iterdir())) == 2
    assert ResultCache(None, "studies").get("k3") is None  # disabled


def test_cache_folder_sits_beside_the_store(tmp_path: Path) -> None:
    assert cache_folder(tmp_path / "store.duckdb") == tmp_path / "store.duckdb.cache"
    assert cache_folder(":memory:") is None


@pytest.mark.parametrize("bad", [b"", b"not a pickle"])
def test_unreadable_entry_is_a_miss(tmp_path: Path, bad: bytes) -> None:
    cache = ResultCache(tmp_path, "png")
    cache.put("key", "value")
    path = cache.path("key")
    assert path is not None
    path.write_bytes(bad)
    assert cache.get("key") is None
