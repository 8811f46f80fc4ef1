"""Benchmark: TVP-VAR, frequency, static and rolling connectedness vs published tables and peers.

Tasks (data: ``shared/data/connectedness/``, the ConnectednessApproach replication sets):

1. TVP-VAR(1) connectedness of ``cg2021.csv`` (3,915 x 11), horizon 10, window 200, kappa
   0.99/0.99, BayesPrior: target at most 10 s; accuracy against the published averaged table.
   No Python package estimates a TVP-VAR connectedness, so there is no peer.
2. TVP-VAR frequency connectedness of ``cgg2022.csv`` (6,407 x 6), horizon 100, bands 1-5 and
   5+ days: time and accuracy against the published band totals and NET (no Python peer).
3. Static VAR(4) of ``dy2012.csv``, horizon 10: against diebold-yilmaz 0.1.0 and
   pyconnectedness 0.1.0 (both statsmodels VARs), and the published table.
4. Rolling VAR(4), 200-row windows of ``dy2012.csv`` (2,568 windows): ``ConnectednessModel``
   against today's ``Connectedness.fit_rolling`` and the two peers.
5. Static frequency connectedness of ``dy2012.csv`` (VAR(4), 100 FFT points): against
   pyconnectedness ``frequency_connectedness`` (whole table; its cutoffs are cycle lengths
   :math:`2\\pi/\\omega` on its own grid, so the band split is compared in the notes only).

The ``connectedness`` 0.1.0a2 package on PyPI estimates a penalised multivariate HAR, not a VAR,
so it has no like-for-like task here. Peers: ``pip install -e '.[bench]'``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_connectedness_tvp.py [--data-dir ../shared/data] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from _contract import comparison, write_rows
from ustpull.config import shared_data_dir
from ustpull.crossasset.connectedness import Connectedness, ConnectednessModel

RESULTS = Path(__file__).parent / "results" / "connectedness_tvp.md"
CGG2022_PUBLISHED = {  # README of shared/data/connectedness (ConnectednessApproach page)
    "1-5 days": (37.31, [5.90, 2.73, 4.15, -17.23, 5.43, -0.97]),
    "5+ days": (22.55, [3.20, 4.83, 3.21, -13.60, 5.88, -3.52]),
}


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / "connectedness" / name, index_col=0)


def tvp_task(data_dir: Path, runs: int) -> tuple[list[str], dict[str, float]]:
    data = _read(data_dir, "cg2021.csv")
    reference = _read(data_dir, "cg2021_reference_table.csv")
    model = ConnectednessModel(data, model="tvp-var", lags=1, horizon=10, window=200)
    seconds, results = best_of(runs, model.fit)
    names = list(data.columns)
    cell = float(np.abs(results.table.to_numpy() - reference.loc[names, names].to_numpy()).max())
    published_net = reference.loc["TO", names] - reference.loc[names, "FROM"]
    net = float(np.abs(results.net.to_numpy() - published_net.to_numpy()).max())
    rows = [
        f"| TVP-VAR connectedness, cg2021 (3,915 x 11, H = 10) | {seconds:.2f} s "
        f"| TCI {results.tci:.2f} (77.72), cTCI {results.ctci:.2f} (85.50) "
        f"| max cell {cell:.4f}, max NET {net:.4f} | {'met' if seconds <= 10 else 'NOT met'} |"
    ]
    return rows, {"tvp_s": seconds, "tvp_cell": cell}


def frequency_tvp_task(data_dir: Path, runs: int) -> tuple[list[str], dict[str, float]]:
    data = _read(data_dir, "cgg2022.csv")
    data.index = pd.bdate_range("2000-01-03", periods=len(data))
    model = ConnectednessModel(
        data, model="tvp-var", lags=1, horizon=100, window=200, bands="1,5,inf"
    )
    seconds, results = best_of(runs, model.fit)
    errors = []
    for label, (tci, net) in CGG2022_PUBLISHED.items():
        band = results.band(label)
        errors.append(abs(band.tci - tci))
        errors.append(float(np.abs(band.net.to_numpy() - net).max()))
    short, long = results.band("1-5 days"), results.band("5+ days")
    rows = [
        f"| TVP-VAR frequency connectedness, cgg2022 (6,407 x 6, H = 100, 2 bands) "
        f"| {seconds:.2f} s | TCI 1-5 days {short.tci:.2f} (37.31), 5+ days {long.tci:.2f} "
        f"(22.55) | max abs error (TCI, NET) {max(errors):.4f} | - |"
    ]
    return rows, {"freq_s": seconds, "freq_error": max(errors)}


def static_task(data_dir: Path, runs: int) -> tuple[list[str], list[dict[str, Any]]]:
    import diebold_yilmaz
    import pyconnectedness

    data = _read(data_dir, "dy2012.csv")
    reference = _read(data_dir, "dy2012_reference_table.csv")
    names = list(data.columns)
    model = ConnectednessModel(data, model="var", lags=4, horizon=10)
    ours_s, ours = best_of(runs * 10, model.fit)

    def dy() -> np.ndarray:
        ma, sigma, _ = diebold_yilmaz.fit_var(data.to_numpy(), p=4, horizon=10)
        return np.asarray(diebold_yilmaz.connectedness(ma, sigma, horizon=10).table)

    def pyc() -> np.ndarray:
        result = pyconnectedness.static_connectedness(data, horizon=10, lags=4)
        return result.fevd.to_numpy()

    dy_s, dy_table = best_of(runs * 10, dy)
    pyc_s, pyc_table = best_of(runs * 10, pyc)
    published = reference.loc[names, names].to_numpy()
    errors = {
        "ours": float(np.abs(ours.table.to_numpy() - published).max()),
        "dy": float(np.abs(dy_table - published).max()),
        "pyc": float(np.abs(pyc_table - published).max()),
    }
    rows = [
        f"| static VAR(4), dy2012 (2,771 x 4, H = 10) | ustpull | {ours_s * 1000:.2f} ms "
        f"| {errors['ours']:.4f} | 1x |",
        f"| | diebold-yilmaz {diebold_yilmaz.__version__} | {dy_s * 1000:.2f} ms "
        f"| {errors['dy']:.4f} | {dy_s / ours_s:.1f}x slower |",
        f"| | pyconnectedness {_version('pyconnectedness')} | {pyc_s * 1000:.2f} ms "
        f"| {errors['pyc']:.4f} | {pyc_s / ours_s:.1f}x slower |",
    ]
    note = "error: max abs difference from the published table (pp, printed to 2 decimals)"
    json_rows = [
        comparison(
            "static VAR(4) connectedness, dy2012",
            ours_s,
            f"diebold-yilmaz {diebold_yilmaz.__version__}",
            dy_s,
            our_error=errors["ours"],
            peer_error=errors["dy"],
            notes=note,
        ),
        comparison(
            "static VAR(4) connectedness, dy2012",
            ours_s,
            f"pyconnectedness {_version('pyconnectedness')}",
            pyc_s,
            our_error=errors["ours"],
            peer_error=errors["pyc"],
            notes=note,
        ),
    ]
    return rows, json_rows


def rolling_task(data_dir: Path, runs: int) -> tuple[list[str], list[dict[str, Any]]]:
    import diebold_yilmaz
    import pyconnectedness

    data = _read(data_dir, "dy2012.csv")
    data.index = pd.bdate_range("2000-01-03", periods=len(data))
    window = 200
    general = ConnectednessModel(data, model="var", lags=4, horizon=10, window=window)
    ours_s, ours = best_of(runs, general.fit)
    legacy_model = Connectedness(data, lags=4, horizon=10)
    legacy_s, legacy = best_of(runs, lambda: legacy_model.fit_rolling(window))
    values = data.to_numpy()

    def dy() -> np.ndarray:
        totals = []
        for start in range(len(values) - window + 1):
            ma, sigma, _ = diebold_yilmaz.fit_var(values[start : start + window], p=4, horizon=10)
            totals.append(diebold_yilmaz.connectedness(ma, sigma, horizon=10).total_index)
        return np.array(totals)

    def pyc() -> np.ndarray:
        result = pyconnectedness.dynamic_connectedness(data, window, horizon=10, lags=4)
        return result.total.to_numpy()

    dy_s, dy_total = best_of(1, dy)
    pyc_s, pyc_total = best_of(1, pyc)
    ours_total = ours.tci_t.to_numpy()
    n_windows = len(ours_total)
    errors = {
        "legacy": float(np.abs(ours_total - legacy.total.to_numpy()).max()),
        "dy": float(np.abs(ours_total - dy_total).max()),
        "pyc": float(np.abs(ours_total - pyc_total[-n_windows:]).max()),
    }
    rows = [
        f"| rolling VAR(4), {n_windows} windows of {window} (dy2012) | ustpull "
        f"`ConnectednessModel` | {ours_s * 1000:.1f} ms | reference | 1x |",
        f"| | ustpull `Connectedness.fit_rolling` (today's) | {legacy_s * 1000:.1f} ms "
        f"| {errors['legacy']:.1e} | {legacy_s / ours_s:.2f}x |",
        f"| | diebold-yilmaz {diebold_yilmaz.__version__} | {dy_s * 1000:.0f} ms "
        f"| {errors['dy']:.1e} | {dy_s / ours_s:.0f}x slower |",
        f"| | pyconnectedness {_version('pyconnectedness')} | {pyc_s * 1000:.0f} ms "
        f"| {errors['pyc']:.1e} | {pyc_s / ours_s:.0f}x slower |",
    ]
    note = "error: max abs TCI difference from ours (pp)"
    task = f"rolling VAR(4) connectedness, {n_windows} windows (dy2012)"
    json_rows = [
        comparison(
            task,
            ours_s,
            "ustpull Connectedness.fit_rolling",
            legacy_s,
            peer_error=errors["legacy"],
            notes=note,
        ),
        comparison(
            task,
            ours_s,
            f"diebold-yilmaz {diebold_yilmaz.__version__}",
            dy_s,
            peer_error=errors["dy"],
            notes=note,
        ),
        comparison(
            task,
            ours_s,
            f"pyconnectedness {_version('pyconnectedness')}",
            pyc_s,
            peer_error=errors["pyc"],
            notes=note,
        ),
    ]
    return rows, json_rows


def frequency_static_task(data_dir: Path, runs: int) -> tuple[list[str], list[dict[str, Any]]]:
    import pyconnectedness

    data = _read(data_dir, "dy2012.csv")
    points = 100
    # ours: H + 1 FFT points; their cutoff of p observations is 2 pi / p = pi / (p / 2).
    model = ConnectednessModel(
        data, model="var", lags=4, horizon=points - 1, bands=(1, 2.5, 10, math.inf)
    )
    ours_s, ours = best_of(runs * 10, model.fit)

    def pyc() -> Any:
        return pyconnectedness.frequency_connectedness(data, points, periods=(5, 20), lags=4)

    pyc_s, theirs = best_of(runs * 10, pyc)
    their_total = sum(result.fevd.to_numpy() for result in theirs.bands.values())
    total_error = float(np.abs(ours.table.to_numpy() - their_total).max())
    ours_bands = [ours.band(label).tci for label in ours.bands[1:]]
    their_bands = theirs.total.to_list()
    rows = [
        f"| static frequency VAR(4), dy2012, 100 FFT points, 3 bands | ustpull | "
        f"{ours_s * 1000:.2f} ms | whole table vs peer {total_error:.1e}; band TCI "
        f"{', '.join(f'{v:.2f}' for v in ours_bands)} | 1x |",
        f"| | pyconnectedness {_version('pyconnectedness')} | {pyc_s * 1000:.2f} ms | band TCI "
        f"{', '.join(f'{v:.2f}' for v in their_bands)} | {pyc_s / ours_s:.1f}x slower |",
    ]
    json_rows = [
        comparison(
            "static frequency connectedness, dy2012, 3 bands",
            ours_s,
            f"pyconnectedness {_version('pyconnectedness')}",
            pyc_s,
            our_error=total_error,
            notes="error: max abs difference of the whole (all-band) table (pp)",
        ),
    ]
    return rows, json_rows


def _version(package: str) -> str:
    import importlib.metadata

    return importlib.metadata.version(package)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=shared_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tvp_rows, tvp = tvp_task(args.data_dir, args.runs)
    freq_rows, _ = frequency_tvp_task(args.data_dir, args.runs)
    static_rows, static_json = static_task(args.data_dir, args.runs)
    rolling_rows, rolling_json = rolling_task(args.data_dir, args.runs)
    fstatic_rows, fstatic_json = frequency_static_task(args.data_dir, args.runs)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (shared)"
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    header_tvp = "| task | time (best of runs) | ours (published) | accuracy | target <= 10 s |"
    header_peer = "| task | implementation | time | error | speed |"
    report = f"""# Connectedness beyond R: TVP-VAR, frequency, static and rolling

Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, `benchmarks/bench_connectedness_tvp.py`,
{machine}, load average {load}, Python {platform.python_version()}, numpy {np.__version__}.
Data: the ConnectednessApproach replication sets in `shared/data/connectedness/` (README there);
published values in parentheses (printed to two decimals).

## TVP-VAR (no Python peer estimates one)

{header_tvp}
|---|---|---|---|---|
{chr(10).join(tvp_rows + freq_rows)}

## Static, rolling and frequency VAR against the Python packages

Error: static rows, max abs difference from the published dy2012 table; rolling rows, max abs
TCI difference from ours; frequency rows, the whole table against the peer's, and the band
TCIs side by side (the peer's cutoff of p observations is 2 pi / p on the grid 2 pi s / H; ours
takes a boundary of d periods as pi / d on Barunik-Krehlik's package grid, so cutoffs 5 and 20
are our boundaries 2.5 and 10).

{header_peer}
|---|---|---|---|---|
{chr(10).join(static_rows + rolling_rows + fstatic_rows)}

Timings are on a machine shared with other jobs; ratios come from the same run.
"""
    RESULTS.write_text(report)
    rows = [
        comparison(
            "TVP-VAR connectedness cg2021 (no peer; target 10 s)",
            tvp["tvp_s"],
            "target",
            10.0,
            our_error=tvp["tvp_cell"],
            notes="error: max abs cell difference from the published table (pp)",
        ),
        *static_json,
        *rolling_json,
        *fstatic_json,
    ]
    write_rows("connectedness_tvp", rows)
    print(report)


if __name__ == "__main__":
    main()
