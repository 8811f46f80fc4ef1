"""The report's cache: a warm report equals the cold one byte for byte (findings.json, CSVs,
PNGs), served entirely from the cache; a changed observation or setting changes exactly the
fingerprints that read it; ``--no-cache`` reaches build_report; the PNG writer draws each
chart once, in either process, and copies unchanged ones."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ustpull.charts import Chart
from ustpull.cli.main import main
from ustpull.report import pngs
from ustpull.report.build import build_report
from ustpull.studies import StudySettings, load_study_data
from ustpull.studies.cache import ResultCache
from ustpull.studies.run import _Runner
from ustpull.studies.series import STUDIES


def _files(folder: Path) -> dict[str, bytes]:
    """findings.json, the CSVs and the PNGs (not files other tests add, e.g. screenshots)."""
    paths = [folder / "findings.json", *folder.glob("data/*.csv"), *folder.glob("figures/*.png")]
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(paths)}


def test_warm_report_is_the_cold_report_byte_for_byte(
    report_dir: Path, report_store: Path, shared_data: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    # the session's report (tests/report/conftest.py) ran the CLI from an empty store: it
    # computed every study and PNG and stored them beside the store
    # nothing is computed, so nothing is stored (forked helpers inherit these patches)
    monkeypatch.setattr(ResultCache, "put", _no_storing)
    monkeypatch.setattr(ResultCache, "put_bytes", _no_storing)
    monkeypatch.setattr(pngs, "render_png", _no_drawing)
    out = tmp_path / "warm"
    build_report(out, data_dir=shared_data, store=report_store, cache=True)
    cold, warm = _files(report_dir), _files(out)
    assert sorted(cold) == sorted(warm)
    assert [name for name in cold if cold[name] != warm[name]] == []


def _no_storing(self: ResultCache, key: str, *args: Any) -> None:
    raise AssertionError(f"{key} computed and stored although cached")


def _no_drawing(chart: Chart, path: Path) -> Path:
    raise AssertionError(f"{chart.chart_id} drawn although cached")


def _keys(runner: _Runner) -> dict[str, str | None]:
    keys = {}
    for name in STUDIES:
        keys[name] = runner._key(name, runner.data.columns(name))
        runner.keys[name] = keys[name]  # type: ignore[assignment]
    return keys


def test_a_changed_observation_or_setting_changes_the_fingerprints(
    report_store: Path, tmp_path: Path
) -> None:
    data = load_study_data(StudySettings(), store=report_store, ingest=False)
    cache = ResultCache(tmp_path, "studies")
    base = _keys(_Runner(data, StudySettings(), None, False, None, cache))
    frame = data.frame.copy()
    last = frame["fx.dxy"].last_valid_index()
    frame.loc[last, "fx.dxy"] = np.nextafter(frame.loc[last, "fx.dxy"], np.inf)
    revised = dataclasses.replace(data, frame=frame)
    keys = _keys(_Runner(revised, StudySettings(), None, False, None, cache))
    reads = {name for name in STUDIES if "fx.dxy" in _series(data, name)}
    assert "dollar" in reads
    assert {name for name in STUDIES if keys[name] != base[name]} == reads
    settings = dataclasses.replace(StudySettings(), dollar_window=26)
    moved = _keys(_Runner(data, settings, None, False, None, cache))
    assert all(moved[name] != base[name] for name in STUDIES)


def _series(data: Any, name: str) -> set[str]:
    chosen = data.resolutions[name].chosen
    return {pick.series for pick in chosen.values() if pick is not None}


def test_no_cache_reaches_build_report(tmp_path: Path, monkeypatch: Any) -> None:
    seen: dict[str, Any] = {}

    def fake(out: Path, **options: Any) -> Any:
        seen.update(options)
        raise SystemExit(0)

    monkeypatch.setattr("ustpull.report.build.build_report", fake)
    for flags, expected in (([], True), (["--no-cache"], False)):
        with pytest.raises(SystemExit):
            main(["report", "--no-ingest", "--quiet", "--out", str(tmp_path / "o"), *flags])
        assert seen["cache"] is expected


def _charts(count: int) -> list[Chart]:
    index = pd.date_range("2020-01-03", periods=40, freq="W-FRI", name="date")
    return [
        Chart(f"c{k}", f"chart {k}", pd.DataFrame({"x": np.arange(40.0) * (k + 1)}, index), "bp")
        for k in range(count)
    ]


def test_png_writer_draws_each_chart_once_and_reuses_the_cache(tmp_path: Path) -> None:
    charts = _charts(5)
    cache = ResultCache(tmp_path / "cache", "png")
    with pngs.PngWriter(charts, tmp_path / "a", cache=cache) as writer:
        writer.finish()
    for chart in charts:
        alone = pngs.render_png(chart, tmp_path / f"{chart.chart_id}.png").read_bytes()
        assert (tmp_path / "a" / f"{chart.chart_id}.png").read_bytes() == alone
    assert len(list((tmp_path / "cache" / "png").iterdir())) == 5
    changed = [*charts[:4], dataclasses.replace(charts[4], title="another title")]
    with pngs.PngWriter(changed, tmp_path / "b", cache=cache) as writer:
        assert [chart.chart_id for chart, *_ in writer.pending] == ["c4"]  # the rest copied
    assert sorted(path.name for path in (tmp_path / "b").iterdir()) == [
        f"c{k}.png" for k in range(5)
    ]
    assert len(list((tmp_path / "cache" / "png").iterdir())) == 6
    assert (tmp_path / "b" / "c0.png").read_bytes() == (tmp_path / "a" / "c0.png").read_bytes()
